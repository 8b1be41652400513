/* kubernetes.c: the CGI executable for dm_ep_kubernetes (see lib/kubernetes.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_kubernetes);
}
