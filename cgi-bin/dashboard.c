/* dashboard.c: the CGI executable of dm_ep_dashboard (lib/endpoints/dashboard.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_dashboard);
}
