/* kernels.c: the CGI executable for dm_ep_kernels (see lib/kernels.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_kernels);
}
