/* kubernetes.c: the CGI executable of dm_ep_kubernetes (lib/endpoints/kubernetes.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_kubernetes);
}
