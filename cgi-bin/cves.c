/* cves.c: the CGI executable of dm_ep_cves (lib/endpoints/cves.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_cves);
}
