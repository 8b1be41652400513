/* source-package.c: the CGI executable for dm_ep_source_package (see lib/source_package.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_source_package);
}
