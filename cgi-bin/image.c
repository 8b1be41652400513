/* image.c: the CGI executable of dm_ep_image (lib/endpoints/image.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_image);
}
