/* image-update.c: the CGI executable of dm_ep_image_update (lib/endpoints/image_update.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_image_update);
}
