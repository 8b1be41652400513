/* package.c: the CGI executable for dm_ep_package (see lib/package.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_package);
}
