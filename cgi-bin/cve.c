/* cve.c: the CGI executable of dm_ep_cve (lib/endpoints/cve.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_cve);
}
