/* source-packages.c: the CGI executable of dm_ep_source_packages
 * (lib/endpoints/source_packages.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_source_packages);
}
