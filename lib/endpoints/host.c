/* host.c: GET /hosts/NAME (the host's packages, as a page or JSON) and DELETE /hosts/NAME. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "cgi/authz.h"
#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
#include "endpoints/update.h"
#include "web/extlink.h"
#include "web/json.h"
#include "web/not_found.h"
#include "web/page.h"
#include "web/pkglist.h"
#include "web/vulns.h"

enum stmt { S_HOST, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_HOST] = "SELECT h.id, h.name, o.name, k.name, " DM_SQL_ISO("h.created") ", " DM_SQL_ISO(
        "h.modified") ", h.modified < UTC_TIMESTAMP() - INTERVAL 1 DAY, k.id, kv.issues"
                      " FROM host h JOIN os o ON o.id = h.os_id"
                      " JOIN kernel_version k ON k.id = h.kernel_id"
                      " LEFT JOIN cve_kernel_verdict kv ON kv.kernel_version_id = k.id"
                      " WHERE h.name = ?",
};

enum host_col {
	H_ID,
	H_NAME,
	H_OS,
	H_KERNEL,
	H_CREATED,
	H_MODIFIED,
	H_STALE,
	H_KERNEL_ID,
	H_KERNEL_VERDICT
};

/* The placeholders of HOST_EXTERNAL_LINKS for host h; hostname is a buffer for its own. */
static size_t
link_vars(struct dm_extvar vars[2], MYSQL_ROW h, char *hostname, size_t size)
{
	snprintf(hostname, size, "%.*s", (int)strcspn(h[H_NAME], "."), h[H_NAME]);
	vars[0] = (struct dm_extvar){"fqdn", h[H_NAME], dm_url_arg};
	vars[1] = (struct dm_extvar){"hostname", hostname, dm_url_arg};
	return 2;
}

/* 0, or the status of a database error that stopped the packages (answer unfinished). */
static int
host_json(struct dm_ctx *ctx, MYSQL_ROW h, struct dm_vulns *v, MYSQL_RES *pkgs)
{
	FILE *f = ctx->res.out;
	char hostname[DM_NAME_MAX + 1];
	struct dm_extvar vars[2];
	size_t n = link_vars(vars, h, hostname, sizeof(hostname));
	json_error_t e;
	json_t *o = json_pack_ex(&e, 0, "{s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "name", h[H_NAME],
	                         "os", h[H_OS], "kernel", h[H_KERNEL], "created", h[H_CREATED],
	                         "modified", h[H_MODIFIED], "stale", strcmp(h[H_STALE], "1") == 0,
	                         "external_links", dm_extlinks_json(ctx->cfg.host_links, vars, n));
	char *text = dm_json_answer(ctx, "host", o, &e);

	if (text == NULL)
		return 0;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	dm_json_open(f, text);
	free(text);
	dm_vulns_json(f, v, DM_KIND_HOST);
	fputs(",\"packages\":", f);
	if (dm_pkglist_json(f, ctx->db, pkgs) == -1)
		return dm_db_status(ctx->db);
	fputs("}\n", f);
	return 0;
}

static int
host_html(struct dm_ctx *ctx, MYSQL_ROW h, struct dm_vulns *v, MYSQL_RES *pkgs,
          const struct dm_pkglist_params *pp)
{
	FILE *f = ctx->res.out;
	char hostname[DM_NAME_MAX + 1];
	struct dm_extvar vars[2];
	size_t n = link_vars(vars, h, hostname, sizeof(hostname));

	dm_page_begin(ctx, 200, h[H_NAME]);
	fputs("<dl class=\"facts\">\n", f);
	dm_page_fact(f, "OS", h[H_OS]);
	fputs("<dt>Kernel</dt><dd><a href=\"/kernels/", f);
	dm_url_arg(f, h[H_KERNEL_ID]);
	fputs("\">", f);
	dm_html_txt(f, h[H_KERNEL]);
	fputs("</a></dd>\n", f);
	fputs("<dt>Last update</dt><dd>", f);
	dm_html_txt(f, h[H_MODIFIED]);
	if (strcmp(h[H_STALE], "1") == 0)
		fputs(" <span class=\"badge\" title=\"No report for more than a day\">stale</span>",
		      f);
	fputs("</dd>\n", f);
	dm_page_fact(f, "Created", h[H_CREATED]);
	dm_vulns_facts_html(f, v, DM_KIND_HOST);
	dm_extlinks_html(f, ctx->cfg.host_links, vars, n);
	fputs("</dl>\n", f);
	dm_vulns_html(f, v, pp->all_vulns);
	fputs("<h2 id=\"packages\">Packages</h2>\n", f);
	dm_pkglist_html(f, ctx, &pp->pg, pp->q, pkgs);
	dm_page_end(ctx);
	return 0;
}

/* The running kernel of host row h, as the vulnerabilities want it. */
static const struct dm_vulns_kernel *
kernel(MYSQL_RES *res, MYSQL_ROW h, struct dm_vulns_kernel *k)
{
	k->name = h[H_KERNEL];
	k->verdict = h[H_KERNEL_VERDICT];
	k->len = h[H_KERNEL_VERDICT] ? mysql_fetch_lengths(res)[H_KERNEL_VERDICT] : 0;
	return k;
}

static int
host_get(struct dm_ctx *ctx, const char *name)
{
	MYSQL_RES *host = NULL, *pkgs = NULL;
	struct dm_pkglist_params pp;
	struct dm_vulns v = {0};
	struct dm_vulns_kernel k;
	struct dm_sql q;
	MYSQL_ROW h;
	int status = 0;

	if (dm_pkglist_params(ctx, &pp) == -1)
		return 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_HOST], name);
	/* One view of the data: an import between the queries would mix old and new. */
	if (dm_db_snapshot(ctx->db) == -1 || (host = dm_sql_query(&q)) == NULL)
		status = dm_db_status(ctx->db);
	else if ((h = mysql_fetch_row(host)) == NULL)
		status = 404;
	else if ((pkgs = dm_pkglist_query(&q, DM_KIND_HOST, strtoull(h[H_ID], NULL, 10))) == NULL ||
	         dm_vulns_query(&v, ctx, h[H_OS], kernel(host, h, &k), pkgs) == -1)
		status = mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	else if (ctx->req.wants_json)
		status = host_json(ctx, h, &v, pkgs);
	else
		status = host_html(ctx, h, &v, pkgs, &pp);
	dm_vulns_free(&v);
	if (pkgs != NULL)
		mysql_free_result(pkgs);
	if (host != NULL)
		mysql_free_result(host);
	dm_sql_free(&q);
	dm_paging_free(&pp.pg);
	return status;
}

static int
host(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	if (ctx->req.method != DM_DELETE)
		return dm_not_found_status(ctx, host_get(ctx, name));
	if (dm_authz(ctx, "host", name, 1, ctx->cfg.proxy_hosts) == -1)
		return 0;
	return dm_delete(ctx, DM_KIND_HOST, name);
}

const struct dm_endpoint dm_ep_host = {
    .name = "host",
    .methods = DM_M(DM_GET) | DM_M(DM_DELETE),
    .identity = DM_ID_CLIENT_WRITES,
    .needs_db = 1,
    .handler = host,
};
