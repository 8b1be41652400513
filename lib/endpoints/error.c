/* error.c: Apache's own errors (ErrorDocument 404 and 413), answered as the CGIs answer theirs. */
#include "endpoints/endpoints.h"

#include <string.h>

#include "core/escape.h"
#include "web/page.h"

/* The paths clients and scripts write to: never answered with HTML. */
int
dm_is_api_path(const char *uri)
{
	size_t n = strlen(uri);

	return strcmp(uri, "/auth-check") == 0 || (n >= 7 && strcmp(uri + n - 7, "/update") == 0);
}

static void
not_found_json(struct dm_ctx *ctx)
{
	FILE *f = ctx->res.out;

	dm_respond(&ctx->res, 404, "application/json", "Cache-Control", "no-store", NULL);
	fputs("{\"error\": \"not found\", \"path\": ", f);
	if (dm_json_str(f, ctx->req.uri) == -1)
		fputs("null", f);
	fputs("}\n", f);
}

static void
not_found_html(struct dm_ctx *ctx)
{
	FILE *f = ctx->res.out;

	dm_page_begin(ctx, 404, "Page not found");
	fputs("<p>There is nothing at <code>", f);
	dm_html_txt(f, ctx->req.uri);
	fputs("</code>. Try the <a href=\"/\">dashboard</a> or the search box above.</p>\n", f);
	dm_page_end(ctx);
}

void
dm_not_found(struct dm_ctx *ctx)
{
	if (dm_is_api_path(ctx->req.uri) ||
	    (ctx->req.method != DM_GET && ctx->req.method != DM_HEAD))
		dm_error(&ctx->res, 404, "not found: %s", ctx->req.uri);
	else if (ctx->req.wants_json)
		not_found_json(ctx);
	else
		not_found_html(ctx);
}

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
