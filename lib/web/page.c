/* page.c: the shared HTML frame, written through the escaping writers. */
#include "web/page.h"

#include "core/escape.h"

static const char *const nav[][2] = {
    {"/hosts/", "Hosts"},
    {"/images/", "Images"},
    {"/kubernetes/", "Kubernetes"},
    {"/packages/", "Packages"},
    {"/source-packages/", "Source packages"},
    {"/kernels/", "Kernels"},
    {"/cves/", "Vulnerabilities"},
};

/* Who Apache logged in, and the login block's logout link where its method has one. */
static void
user(FILE *f, const struct dm_request *r)
{
	if (r->remote_user[0] == '\0')
		return;
	fputs("<span class=\"user\" title=\"Logged in\">", f);
	dm_html_txt(f, r->remote_user);
	fputs("</span>", f);
	if (r->logout_url[0] == '\0')
		return;
	fputs("<a class=\"logout\" href=\"", f);
	dm_html_attr(f, r->logout_url);
	fputs("\">Log out</a>", f);
}

void
dm_page_begin(struct dm_ctx *ctx, int status, const char *title)
{
	FILE *f = ctx->res.out;
	size_t i;

	dm_respond(&ctx->res, status, "text/html; charset=utf-8", NULL);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	dm_html_txt(f, title);
	fputs(" - DebMonitor</title>\n"
	      "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
	      "<link rel=\"stylesheet\" href=\"/static/debmonitor.css\">\n"
	      "<script src=\"/static/debmonitor.js\" defer></script>\n</head>\n<body>\n"
	      "<header><nav><a class=\"brand\" href=\"/\">DebMonitor</a>\n",
	      f);
	for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++)
		fprintf(f, "<a href=\"%s\">%s</a>\n", nav[i][0], nav[i][1]);
	fputs("<form action=\"/search\" method=\"get\" role=\"search\">"
	      "<input type=\"search\" name=\"q\" placeholder=\"Search\" aria-label=\"Search\">"
	      "</form>",
	      f);
	user(f, &ctx->req);
	fputs("</nav></header>\n<main>\n<h1>", f);
	dm_html_txt(f, title);
	fputs("</h1>\n", f);
}

void
dm_page_end(struct dm_ctx *ctx)
{
	fputs("</main>\n<footer>DebMonitor &middot; Debian packages tracker", ctx->res.out);
	if (ctx->replica_lag >= 0)
		fprintf(ctx->res.out,
		        " &middot; <span class=\"replica\">read from a replica %lld s behind the"
		        " primary</span>",
		        ctx->replica_lag);
	fputs("</footer>\n</body>\n</html>\n", ctx->res.out);
}

void
dm_page_fact(FILE *f, const char *name, const char *value)
{
	fprintf(f, "<dt>%s</dt><dd>", name);
	dm_html_txt(f, value);
	fputs("</dd>\n", f);
}

void
dm_table_open(FILE *f, size_t n)
{
	if (n >= DM_LONG_ROWS)
		fputs("<div class=\"long\">\n", f);
}

void
dm_table_close(FILE *f, size_t n)
{
	if (n >= DM_LONG_ROWS)
		fputs("</div>\n", f);
}
