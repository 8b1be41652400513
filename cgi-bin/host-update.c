/* host-update.c: the CGI executable of dm_ep_host_update (lib/endpoints/host_update.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_host_update);
}
