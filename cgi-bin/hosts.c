/* hosts.c: the CGI executable for dm_ep_hosts (see lib/hosts.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_hosts);
}
