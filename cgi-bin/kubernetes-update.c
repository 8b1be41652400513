/* kubernetes-update.c: the CGI executable of dm_ep_kubernetes_update
 * (lib/endpoints/kubernetes_update.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_kubernetes_update);
}
