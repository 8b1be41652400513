/* kernel.c: the CGI executable for dm_ep_kernel (see lib/kernel.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_kernel);
}
