/* auth-check.c: the CGI executable of dm_ep_auth_check (lib/endpoints/auth_check.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_auth_check);
}
