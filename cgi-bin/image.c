/* image.c: the CGI executable for dm_ep_image (see lib/image.c). */
#include "handlers.h"

int
main(void)
{
	return dm_main(&dm_ep_image);
}
