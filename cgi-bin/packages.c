/* packages.c: the CGI executable for dm_ep_packages (see lib/packages.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_packages);
}
