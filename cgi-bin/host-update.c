/* host-update.c: the CGI executable for dm_ep_host_update (see lib/host_update.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_host_update);
}
