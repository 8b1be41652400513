/* not-found.c: the CGI executable for dm_ep_not_found (see lib/not_found.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_not_found);
}
