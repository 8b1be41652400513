/* search.c: the CGI executable of dm_ep_search (lib/endpoints/search.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_search);
}
