/* source_package.c: GET /source-packages/NAME: its versions per OS and the binaries of each. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/issues.h"
#include "web/json.h"
#include "web/link.h"
#include "web/listing.h"
#include "web/not_found.h"
#include "web/page.h"

enum stmt { S_SOURCE, S_VERSIONS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_SOURCE] = "SELECT id FROM source_package WHERE name = ?",
    [S_VERSIONS] = "SELECT o.name, spv.version,"
                   " COALESCE(GROUP_CONCAT(DISTINCT p.name ORDER BY p.name SEPARATOR '\\n'), '')"
                   " FROM source_package_version spv JOIN os o ON o.id = spv.os_id"
                   " LEFT JOIN package_version pv ON pv.source_package_version_id = spv.id"
                   " LEFT JOIN package p ON p.id = pv.package_id"
                   " WHERE spv.source_package_id = # GROUP BY spv.id, o.name, spv.version"
                   " ORDER BY o.name, spv.version",
};

enum version_col { V_OS, V_VERSION, V_BINARIES };

static const struct dm_col cols[] = {
    {"os", "OS", DM_COL_STR, NULL},
    {"version", "Version", DM_COL_STR, NULL},
    {"binaries", "Binary packages", DM_COL_LIST, NULL},
};

/* 0, or the status of a database error that stopped the versions (answer unfinished). */
static int
source_json(struct dm_ctx *ctx, const char *name, MYSQL_RES *issues, MYSQL_RES *versions)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	char *text =
	    dm_json_answer(ctx, "source package", json_pack_ex(&e, 0, "{s:s}", "name", name), &e);

	if (text == NULL)
		return 0;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	dm_json_open(f, text);
	free(text);
	fputs(",\"issues\":", f);
	dm_issues_json(f, ctx->db, issues);
	fputs(",\"versions\":", f);
	if (dm_listing_json(f, ctx->db, versions, cols, sizeof(cols) / sizeof(cols[0])) == -1)
		return dm_db_status(ctx->db);
	fputs("}\n", f);
	return 0;
}

/* A table as dm_listing_html's, with a link to each binary package. */
static int
source_html(struct dm_ctx *ctx, const char *name, MYSQL_RES *issues, MYSQL_RES *versions)
{
	FILE *f = ctx->res.out;
	MYSQL_ROW r;

	dm_page_begin(ctx, 200, name);
	fputs("<table>\n<thead><tr><th>OS</th><th>Version</th><th>Binary packages</th></tr>"
	      "</thead>\n<tbody>\n",
	      f);
	while ((r = mysql_fetch_row(versions)) != NULL) {
		fputs("<tr><td>", f);
		dm_html_txt(f, r[V_OS]);
		fputs("</td><td>", f);
		dm_html_txt(f, r[V_VERSION]);
		fputs("</td><td>", f);
		dm_links(f, "/packages/", r[V_BINARIES]);
		fputs("</td></tr>\n", f);
	}
	if (dm_sql_stream_end(ctx->db) == -1)
		return dm_db_status(ctx->db);
	fputs("</tbody>\n</table>\n", f);
	dm_issues_html(f, ctx->db, issues);
	dm_page_end(ctx);
	return 0;
}

static int
source_get(struct dm_ctx *ctx, const char *name)
{
	MYSQL_RES *source = NULL, *issues = NULL, *versions = NULL;
	struct dm_sql q;
	MYSQL_ROW s;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_SOURCE], name);
	if ((source = dm_sql_query(&q)) == NULL) {
		status = dm_db_status(ctx->db);
	} else if ((s = mysql_fetch_row(source)) == NULL) {
		status = 404;
	} else if ((issues = dm_issues_query(&q, &name, 1)) == NULL) {
		status = dm_db_status(ctx->db);
	} else {
		dm_sql_start(&q, stmts[S_VERSIONS], strtoull(s[0], NULL, 10));
		if ((versions = dm_sql_stream(&q)) == NULL)
			status = dm_db_status(ctx->db);
		else if (ctx->req.wants_json)
			status = source_json(ctx, name, issues, versions);
		else
			status = source_html(ctx, name, issues, versions);
	}
	if (versions != NULL)
		mysql_free_result(versions);
	if (issues != NULL)
		mysql_free_result(issues);
	if (source != NULL)
		mysql_free_result(source);
	dm_sql_free(&q);
	return status;
}

static int
source_package(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	return dm_not_found_status(ctx, source_get(ctx, name));
}

const struct dm_endpoint dm_ep_source_package = {
    .name = "source-package",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = source_package,
};
