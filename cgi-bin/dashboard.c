/* dashboard.c: the CGI executable for dm_ep_dashboard (see lib/dashboard.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_dashboard);
}
