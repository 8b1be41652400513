/* package.c: the CGI executable of dm_ep_package (lib/endpoints/package.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_package);
}
