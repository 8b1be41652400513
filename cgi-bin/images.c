/* images.c: the CGI executable of dm_ep_images (lib/endpoints/images.c). */
#include "endpoints/endpoints.h"

int
main(void)
{
	return dm_main(&dm_ep_images);
}
