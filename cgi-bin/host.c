/* host.c: the CGI executable for dm_ep_host (see lib/host.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_host);
}
