/* host.c: GET /hosts/NAME (the host's packages, as a page or JSON) and DELETE /hosts/NAME. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "db.h"
#include "escape.h"
#include "page.h"
#include "sql.h"

enum stmt { S_HOST, S_PACKAGES, S_DELETE, S__MAX };

#define ISO(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

static const char *const stmts[S__MAX] = {
    [S_HOST] = "SELECT h.id, h.name, o.name, k.name, " ISO("h.created") ", " ISO(
        "h.modified") " FROM host h JOIN os o ON o.id = h.os_id"
                      " JOIN kernel_version k ON k.id = h.kernel_id WHERE h.name = ?",
    /* Upgrades first, security ones before the others, then by name. */
    [S_PACKAGES] = "SELECT p.name, pv.version, sp.name, uv.version,"
                   " IF(e.upgradable_version_id IS NULL, NULL, e.upgrade_type)"
                   " FROM host_package e JOIN package p ON p.id = e.package_id"
                   " JOIN package_version pv ON pv.id = e.package_version_id"
                   " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"
                   " JOIN source_package sp ON sp.id = spv.source_package_id"
                   " LEFT JOIN package_version uv ON uv.id = e.upgradable_version_id"
                   " WHERE e.host_id = #"
                   " ORDER BY e.upgradable_version_id IS NULL, e.upgrade_type DESC, p.name",
    [S_DELETE] = "DELETE FROM host WHERE name = ?",
};

enum host_col { H_ID, H_NAME, H_OS, H_KERNEL, H_CREATED, H_MODIFIED };

enum pkg_col { P_NAME, P_VERSION, P_SOURCE, P_UPGRADE, P_TYPE };

static const char *
upgrade_type(const char *v)
{
	return v == NULL ? NULL : strcmp(v, "1") == 0 ? "security" : "";
}

/* One package as a JSON object, written on its own: the list never sits in memory whole. */
static void
package_json(FILE *f, MYSQL_ROW r, int first)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "name", r[P_NAME], "version",
	                      r[P_VERSION], "source", r[P_SOURCE], "upgradable_version",
	                      r[P_UPGRADE], "upgrade_type", upgrade_type(r[P_TYPE]));

	if (o == NULL)
		return;
	fputs(first ? "\n  " : ",\n  ", f);
	json_dumpf(o, f, JSON_COMPACT);
	json_decref(o);
}

static void
host_json(struct dm_ctx *ctx, MYSQL_ROW h, MYSQL_RES *pkgs)
{
	FILE *f = ctx->res.out;
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", h[H_NAME], "os", h[H_OS], "kernel",
	              h[H_KERNEL], "created", h[H_CREATED], "modified", h[H_MODIFIED]);
	MYSQL_ROW r;
	int first = 1;
	char *head;

	dm_respond(&ctx->res, 200, "application/json", NULL);
	if (o == NULL || (head = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return;
	}
	/* The object without its closing brace, then the streamed list. */
	head[strlen(head) - 1] = '\0';
	fprintf(f, "%s,\"packages\":[", head);
	while ((r = mysql_fetch_row(pkgs)) != NULL) {
		package_json(f, r, first);
		first = 0;
	}
	fputs("\n]}\n", f);
	free(head);
	json_decref(o);
}

static void
package_row(FILE *f, MYSQL_ROW r)
{
	const char *type = upgrade_type(r[P_TYPE]);

	fputs(type == NULL ? "<tr>"
	      : type[0]    ? "<tr class=\"security\">"
	                   : "<tr class=\"upgrade\">",
	      f);
	fputs("<td><a href=\"/packages/", f);
	dm_url_arg(f, r[P_NAME]);
	fputs("\">", f);
	dm_html_txt(f, r[P_NAME]);
	fputs("</a></td><td>", f);
	dm_html_txt(f, r[P_VERSION]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[P_UPGRADE] ? r[P_UPGRADE] : "");
	fputs("</td><td>", f);
	dm_html_txt(f, type == NULL ? "" : type[0] ? type : "upgrade");
	fputs("</td></tr>\n", f);
}

static void
host_html(struct dm_ctx *ctx, MYSQL_ROW h, MYSQL_RES *pkgs)
{
	FILE *f = ctx->res.out;
	MYSQL_ROW r;

	dm_page_begin(ctx, 200, h[H_NAME]);
	fputs("<dl class=\"facts\">\n<dt>OS</dt><dd>", f);
	dm_html_txt(f, h[H_OS]);
	fputs("</dd>\n<dt>Kernel</dt><dd>", f);
	dm_html_txt(f, h[H_KERNEL]);
	fputs("</dd>\n<dt>Last update</dt><dd><time>", f);
	dm_html_txt(f, h[H_MODIFIED]);
	fputs("</time></dd>\n<dt>Created</dt><dd><time>", f);
	dm_html_txt(f, h[H_CREATED]);
	fputs("</time></dd>\n</dl>\n<table>\n<thead><tr><th>Package</th><th>Version</th>"
	      "<th>Upgradable to</th><th>Upgrade type</th></tr></thead>\n<tbody>\n",
	      f);
	while ((r = mysql_fetch_row(pkgs)) != NULL)
		package_row(f, r);
	fputs("</tbody>\n</table>\n", f);
	dm_page_end(ctx);
}

static int
host_get(struct dm_ctx *ctx, const char *name)
{
	struct dm_sql q;
	MYSQL_RES *host = NULL, *pkgs = NULL;
	MYSQL_ROW h;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_HOST], name);
	if ((host = dm_sql_query(&q)) == NULL) {
		status = dm_db_status(ctx->db);
		goto out;
	}
	if ((h = mysql_fetch_row(host)) == NULL) {
		status = 404;
		goto out;
	}
	dm_sql_start(&q, stmts[S_PACKAGES], strtoull(h[H_ID], NULL, 10));
	if ((pkgs = dm_sql_stream(&q)) == NULL) {
		status = dm_db_status(ctx->db);
		goto out;
	}
	if (ctx->req.wants_json)
		host_json(ctx, h, pkgs);
	else
		host_html(ctx, h, pkgs);
out:
	if (pkgs != NULL)
		mysql_free_result(pkgs);
	if (host != NULL)
		mysql_free_result(host);
	dm_sql_free(&q);
	return status;
}

/* The host and, by the foreign key's cascade, its package rows; shared rows stay for gc. */
static int
host_delete(struct dm_ctx *ctx, const char *name)
{
	struct dm_sql q;
	int status = 0;

	if (dm_authz(ctx, "host", name, 1, ctx->cfg.proxy_hosts) == -1)
		return 0;
	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_DELETE], name);
	if (dm_sql_exec(&q) == -1)
		status = dm_db_status(ctx->db);
	else if (mysql_affected_rows(ctx->db) == 0)
		status = 404;
	else
		dm_respond(&ctx->res, 204, "text/plain; charset=utf-8", NULL);
	dm_sql_free(&q);
	return status;
}

static int
host(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	return ctx->req.method == DM_DELETE ? host_delete(ctx, name) : host_get(ctx, name);
}

const struct dm_endpoint dm_ep_host = {
    .name = "host",
    .methods = DM_M(DM_GET) | DM_M(DM_DELETE),
    .identity = DM_ID_CLIENT_WRITES,
    .needs_db = 1,
    .handler = host,
};
