/* image_update.c: POST /images/NAME/update: a build host reports an image's packages. */
#include "endpoints/endpoints.h"

#include "cgi/authz.h"
#include "endpoints/update.h"

/* NAME is a full image reference: "/" and ":" allowed (also sent as %2F). */
static int
image_update(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 1, &name) == -1 ||
	    dm_authz(ctx, "image", name, 0, ctx->cfg.proxy_images) == -1)
		return 0;
	return dm_update(ctx, DM_KIND_IMAGE, name);
}

const struct dm_endpoint dm_ep_image_update = {
    .name = "image-update",
    .methods = DM_M(DM_POST),
    .identity = DM_ID_CLIENT,
    .needs_db = 0,
    .handler = image_update,
};
