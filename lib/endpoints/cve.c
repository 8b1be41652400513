/* cve.c: GET /cves/ID: one security issue, what the tracker says of it, and who it affects. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "cve/exposure.h"
#include "cve/who.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/not_found.h"
#include "web/page.h"

#define TRACKER_URL "https://security-tracker.debian.org/tracker/"
#define BUG_URL "https://bugs.debian.org/"

enum stmt { S_ISSUE, S_RELEASES, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_ISSUE] = "SELECT id, name, description, scope, debianbug FROM cve_issue WHERE name = ?",
    [S_RELEASES] =
        "SELECT r.source_name, r.codename,"
        " ELT(r.status + 1, 'resolved', 'open', 'undetermined'), r.urgency, r.fixed_version"
        " FROM cve_release r WHERE r.issue_id = # ORDER BY r.source_name, r.codename",
};

enum issue_col { I_ID, I_NAME, I_DESCRIPTION, I_SCOPE, I_BUG };

static const struct dm_col release_cols[] = {
    {"source", "Source package", DM_COL_STR, "/source-packages/"},
    {"release", "Release", DM_COL_STR, NULL},
    {"status", "Status", DM_COL_STR, NULL},
    {"urgency", "Urgency", DM_COL_STR, NULL},
    {"fixed_version", "Fixed version", DM_COL_STR, NULL},
};
#define RELEASE_COLS (sizeof(release_cols) / sizeof(release_cols[0]))

/*
 * The images with an affected version: whose installed package is built from a source
 * version the release affects, on an OS of the release's codename (oc, the map
 * dm_cve_oses_sql writes). The hosts' rows, with the kernels they run, are dm_cve_who's,
 * in the same columns.
 */
static const char images_head[] =
    "SELECT s.name, 0, p.name, pv.version, spv.version, r.fixed_version,"
    " ELT(r.status + 1, 'fix available', 'no fix yet', 'undetermined') FROM cve_release r JOIN ";
static const char images_tail[] =
    DM_SQL_CVE_INSTALLS("image_package") " JOIN image s ON s.id = e.image_id"
                                         " JOIN package p ON p.id = e.package_id"
                                         " WHERE r.issue_id = # AND " DM_SQL_CVE_AFFECTS(
                                             "r", "spv.version_key") " ORDER BY 1, 3";

/* The columns of who, named after the kind: "host" linking to /hosts/, or images. */
#define WHO_COLS(KEY, TITLE, LINK)                                                                 \
	{                                                                                          \
		{KEY, TITLE, DM_COL_STR, LINK},                                                    \
		    {"running_kernel", "running kernel", DM_COL_FLAG, NULL},                       \
		    {"package", "Package", DM_COL_STR, "/packages/"},                              \
		    {"installed", "Installed", DM_COL_STR, NULL},                                  \
		    {"source_version", "Source version", DM_COL_STR, NULL},                        \
		    {"fixed_version", "Fixed in", DM_COL_STR, NULL},                               \
		    {"status", "Status", DM_COL_STR, NULL},                                        \
	}
static const struct dm_col host_cols[] = WHO_COLS("host", "Host", "/hosts/");
static const struct dm_col image_cols[] = WHO_COLS("image", "Image", "/images/");
#define N_WHO_COLS (sizeof(host_cols) / sizeof(host_cols[0]))

/* The images with the issue, stored (counted for the heading). */
static MYSQL_RES *
who_images(struct dm_sql *q, const struct dm_cve_oses *oses, unsigned long long id)
{
	dm_sql_start(q, images_head);
	dm_cve_oses_sql(q, oses);
	dm_sql_add(q, images_tail, id);
	return dm_sql_query(q);
}

/*
 * The affected hosts, a page at a time in HTML (every host of the fleet, for an issue of
 * a package every host has, is 10,000 rows: seconds for a browser to lay out), in the
 * query's order: host, then package (the running kernel's row, no package, first).
 */
static const struct dm_sort who_sorts[] = {{"host", "s.name"}};

static const char *
who_key(MYSQL_ROW r)
{
	return r[2] != NULL ? r[2] : "-"; /* before any package name: [a-z0-9] */
}

static int
who_cmp(size_t i, const char *value, const char *key, void *arg)
{
	MYSQL_ROW r = ((MYSQL_ROW *)arg)[i];
	int c = strcmp(r[0], value);

	return c != 0 ? c : strcmp(who_key(r), key);
}

static char *
who_cursor(size_t i, void *arg)
{
	MYSQL_ROW r = ((MYSQL_ROW *)arg)[i];

	return dm_paging_cursor(r[0], who_key(r));
}

/* The page of hosts pg asks for, as a page's part (p's rows point into hosts'). */
static void
who_page(struct dm_ctx *ctx, struct dm_paging *pg, const struct dm_cve_who *hosts,
         struct dm_page *p)
{
	dm_listing_slice(ctx, pg, hosts->rows, hosts->n, who_cmp, who_cursor, hosts->rows, p);
}

/* The issue in JSON: its hosts every one, or a page of them when limit= or a cursor asks. */
static int
cve_json(struct dm_ctx *ctx, MYSQL_ROW is, MYSQL_RES *rel, const struct dm_cve_who *hosts,
         MYSQL_RES *images, struct dm_paging *pg)
{
	FILE *f = ctx->res.out;
	struct dm_page p;

	who_page(ctx, pg, hosts, &p);
	dm_listing_respond(ctx, pg, "hosts", &p);
	fputc('{', f);
	dm_json_member(f, 1, "issue", is[I_NAME]);
	dm_json_member(f, 0, "description", is[I_DESCRIPTION]);
	dm_json_member(f, 0, "scope", is[I_SCOPE]);
	dm_json_key(f, 0, "debianbug");
	fputs(is[I_BUG] ? is[I_BUG] : "null", f);
	fputs(",\"tracker_url\":\"" TRACKER_URL, f);
	fputs(is[I_NAME], f); /* CVE- and TEMP- ids: letters, digits and '-' only */
	fputs("\",\"releases\":", f);
	if (dm_listing_json(f, ctx->db, rel, release_cols, RELEASE_COLS) == -1) {
		dm_listing_slice_free(&p);
		return dm_db_status(ctx->db);
	}
	fputc(',', f);
	dm_listing_json_part(f, pg, &p, "hosts", host_cols, N_WHO_COLS);
	dm_listing_slice_free(&p);
	fputs(",\"images\":", f);
	dm_listing_json(f, ctx->db, images, image_cols, N_WHO_COLS);
	fputs("}\n", f);
	return 0;
}

static int
cve_html(struct dm_ctx *ctx, MYSQL_ROW is, MYSQL_RES *rel, const struct dm_cve_who *hosts,
         MYSQL_RES *images, struct dm_paging *pg)
{
	FILE *f = ctx->res.out;
	struct dm_page p;

	dm_page_begin(ctx, 200, is[I_NAME]);
	fputs("<dl class=\"facts\">\n", f);
	dm_page_fact(f, "Description", is[I_DESCRIPTION][0] ? is[I_DESCRIPTION] : "(none)");
	if (is[I_SCOPE] != NULL)
		dm_page_fact(f, "Scope", is[I_SCOPE]);
	if (is[I_BUG] != NULL) {
		fputs("<dt>Debian bug</dt><dd><a href=\"" BUG_URL, f);
		dm_url_arg(f, is[I_BUG]);
		fputs("\">#", f);
		dm_html_txt(f, is[I_BUG]);
		fputs("</a></dd>\n", f);
	}
	fputs("<dt>Security tracker</dt><dd><a href=\"" TRACKER_URL, f);
	dm_url_arg(f, is[I_NAME]);
	fputs("\">", f);
	dm_html_txt(f, is[I_NAME]);
	fputs("</a></dd>\n</dl>\n<h2>Releases</h2>\n", f);
	if (dm_listing_html(f, ctx->db, rel, release_cols, RELEASE_COLS) == -1)
		return dm_db_status(ctx->db);
	fprintf(f, "<h2 id=\"hosts\">Affected hosts (%zu)</h2>\n", hosts->n);
	who_page(ctx, pg, hosts, &p);
	dm_listing_html_part(f, ctx, pg, &p, host_cols, N_WHO_COLS, NULL);
	dm_listing_slice_free(&p);
	fprintf(f, "<h2 id=\"images\">Affected images (%llu)</h2>\n",
	        (unsigned long long)mysql_num_rows(images));
	dm_listing_html(f, ctx->db, images, image_cols, N_WHO_COLS);
	dm_page_end(ctx);
	return 0;
}

/* The affected hosts as CSV (the same page as HTML when limit= or a cursor is given). */
static int
cve_csv(struct dm_ctx *ctx, struct dm_paging *pg, const struct dm_cve_who *hosts)
{
	struct dm_page p;
	int rc;

	who_page(ctx, pg, hosts, &p);
	dm_listing_respond(ctx, pg, "hosts", &p);
	rc = dm_listing_csv_part(ctx->res.out, &p, host_cols, N_WHO_COLS);
	dm_listing_slice_free(&p);
	return rc == -1 ? dm_db_status(ctx->db) : 0;
}

static int
cve_get(struct dm_ctx *ctx, const char *name)
{
	MYSQL_RES *issue = NULL, *rel = NULL, *images = NULL;
	struct dm_cve_who hosts = {0};
	struct dm_param params[DM_P__MAX] = {DM_PAGING_PARAMS};
	char query[4096];
	struct dm_paging pg = {0};
	struct dm_cve_oses oses;
	unsigned long long id;
	struct dm_sql q;
	char err[512];
	MYSQL_ROW is;
	int status = 0;

	if (dm_filters_read(ctx, query, sizeof(query), params, 0, &pg, who_sorts, 1, "s.name") ==
	    -1) {
		dm_paging_free(&pg);
		return 0;
	}
	if (dm_cve_oses_load(&oses, ctx->db, &ctx->cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "debmonitor: %s\n", err);
		dm_paging_free(&pg);
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	}
	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_ISSUE], name);
	if (dm_db_snapshot(ctx->db) == -1 || (issue = dm_sql_query(&q)) == NULL)
		goto db_error;
	if ((is = mysql_fetch_row(issue)) == NULL) {
		status = 404;
		goto out;
	}
	id = strtoull(is[I_ID], NULL, 10);
	dm_sql_start(&q, stmts[S_RELEASES], id);
	if ((rel = dm_sql_query(&q)) == NULL ||
	    dm_cve_who_hosts(ctx->db, &oses, id, &hosts) == -1 ||
	    (images = who_images(&q, &oses, id)) == NULL)
		goto db_error;
	status = pg.format == DM_FORMAT_JSON  ? cve_json(ctx, is, rel, &hosts, images, &pg)
	         : pg.format == DM_FORMAT_CSV ? cve_csv(ctx, &pg, &hosts)
	                                      : cve_html(ctx, is, rel, &hosts, images, &pg);
	goto out;
db_error:
	status = dm_db_status(ctx->db);
out:
	if (images != NULL)
		mysql_free_result(images);
	dm_cve_who_free(&hosts);
	if (rel != NULL)
		mysql_free_result(rel);
	if (issue != NULL)
		mysql_free_result(issue);
	dm_sql_free(&q);
	dm_cve_oses_free(&oses);
	dm_paging_free(&pg);
	return status;
}

static int
cve(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	return dm_not_found_status(ctx, cve_get(ctx, name));
}

const struct dm_endpoint dm_ep_cve = {
    .name = "cve",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = cve,
};
