/* auth-check.c: the CGI executable for dm_ep_auth_check (see lib/auth_check.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_auth_check);
}
