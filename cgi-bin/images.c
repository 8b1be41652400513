/* images.c: the CGI executable for dm_ep_images (see lib/images.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_images);
}
