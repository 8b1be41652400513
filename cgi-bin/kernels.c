/* kernels.c: the CGI executable of dm_ep_kernels (lib/endpoints/kernels.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_kernels);
}
