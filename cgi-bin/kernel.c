/* kernel.c: the CGI executable of dm_ep_kernel (lib/endpoints/kernel.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_kernel);
}
