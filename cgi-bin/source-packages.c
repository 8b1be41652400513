/* source-packages.c: the CGI executable for dm_ep_source_packages (see lib/source_packages.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_source_packages);
}
