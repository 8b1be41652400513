/* search.c: the CGI executable for dm_ep_search (see lib/search.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_search);
}
