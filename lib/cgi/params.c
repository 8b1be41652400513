/* params.c: parsing a query string against the parameters a page knows. */
#include "cgi/params.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"

/* "q", "a and b", "a, b and c": the names known, for the message. */
static void
known(const struct dm_param *params, size_t n, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		                        i == 0       ? ""
		                        : i + 1 == n ? " and "
		                                     : ", ",
		                        params[i].name);
}

void
dm_bad_param(struct dm_ctx *ctx, const char *fmt, ...)
{
	FILE *f = ctx->res.out;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->res.started) {
		fprintf(stderr, "debmonitor: %s\n", msg);
		return;
	}
	if (ctx->req.wants_json) {
		dm_respond(&ctx->res, 400, "application/json", "Cache-Control", "no-store", NULL);
		fputs("{\"error\": ", f);
		if (dm_json_str(f, msg) == -1)
			fputs("\"bad parameter\"", f);
		fputs("}\n", f);
		return;
	}
	dm_respond(&ctx->res, 400, "text/html; charset=utf-8", "Cache-Control", "no-store", NULL);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<title>Bad request - DebMonitor</title>\n"
	      "<link rel=\"stylesheet\" href=\"/static/debmonitor.css\">\n</head>\n<body>\n"
	      "<main>\n<h1>Bad request</h1>\n<p class=\"error\">",
	      f);
	dm_html_txt(f, msg);
	fputs("</p>\n<p><a href=\"/\">DebMonitor</a></p>\n</main>\n</body>\n</html>\n", f);
}

int
dm_params(struct dm_ctx *ctx, char *query, struct dm_param *params, size_t n)
{
	char *param, *amp, *eq, names[256];
	size_t i;

	for (i = 0; i < n; i++)
		params[i].value = NULL;
	for (param = query; param != NULL && *query; param = amp ? amp + 1 : NULL) {
		if ((amp = strchr(param, '&')) != NULL)
			*amp = '\0';
		eq = strchr(param, '=');
		for (i = 0; eq != NULL && i < n; i++)
			if (strlen(params[i].name) == (size_t)(eq - param) &&
			    strncmp(param, params[i].name, (size_t)(eq - param)) == 0)
				break;
		if (eq == NULL || i == n) {
			known(params, n, names, sizeof(names));
			dm_bad_param(ctx,
			             "unknown or malformed parameter '%.64s': only %s %s known",
			             param, names, n == 1 ? "is" : "are");
			return -1;
		}
		if (params[i].value != NULL) {
			dm_bad_param(ctx, "%s: given twice", params[i].name);
			return -1;
		}
		if (dm_url_decode(eq + 1, 1) == -1) {
			dm_bad_param(ctx, "%s: malformed percent-encoding", params[i].name);
			return -1;
		}
		params[i].value = eq + 1;
	}
	return 0;
}
