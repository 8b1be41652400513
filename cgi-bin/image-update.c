/* image-update.c: the CGI executable for dm_ep_image_update (see lib/image_update.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_image_update);
}
