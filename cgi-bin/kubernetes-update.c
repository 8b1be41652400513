/* kubernetes-update.c: the CGI executable for dm_ep_kubernetes_update (see
 * lib/kubernetes_update.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_kubernetes_update);
}
