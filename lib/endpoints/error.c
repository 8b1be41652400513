/* error.c: Apache's own errors (ErrorDocument 404 and 413), answered as the CGIs answer theirs. */
#include "endpoints/endpoints.h"

#include <string.h>

#include "web/not_found.h"

/* A body over LimitRequestBody: Apache refused it before any CGI ran. */
static int
too_large(struct dm_ctx *ctx)
{
	dm_error(&ctx->res, 413, "request body too large: the server accepts at most %lld bytes",
	         ctx->cfg.max_body_bytes);
	return 0;
}

static int
error_page(struct dm_ctx *ctx)
{
	if (strcmp(ctx->req.redirect_status, "413") == 0)
		return too_large(ctx);
	dm_not_found(ctx);
	return 0;
}

const struct dm_endpoint dm_ep_error = {
    .name = "error",
    .methods = DM_M(DM_GET) | DM_M(DM_POST) | DM_M(DM_DELETE) | DM_M(DM_OTHER),
    .identity = DM_ID_PUBLIC,
    .needs_db = 0,
    .handler = error_page,
};
