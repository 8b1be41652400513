/* metrics.c: the CGI executable of dm_ep_metrics (lib/endpoints/metrics.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_metrics);
}
