/* error.c: the CGI executable for dm_ep_error (see lib/error_page.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_error);
}
