/* host.c: the CGI executable of dm_ep_host (lib/endpoints/host.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_host);
}
