/* source-package.c: the CGI executable of dm_ep_source_package (lib/endpoints/source_package.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_source_package);
}
