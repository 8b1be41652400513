/* hosts.c: the CGI executable of dm_ep_hosts (lib/endpoints/hosts.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_hosts);
}
