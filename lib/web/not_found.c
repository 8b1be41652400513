/* not_found.c: the 404 answer, as the CGIs and Apache's ErrorDocument give it. */
#include "web/not_found.h"

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

int
dm_not_found_status(struct dm_ctx *ctx, int status)
{
	if (status != 404)
		return status;
	dm_not_found(ctx);
	return 0;
}
