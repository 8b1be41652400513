/* error.c: the CGI executable of dm_ep_error (lib/endpoints/error.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_error);
}
