/* packages.c: the CGI executable of dm_ep_packages (lib/endpoints/packages.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_packages);
}
