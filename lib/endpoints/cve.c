/* cve.c: GET /cves/ID: one security issue, what the tracker says of it, and who it affects. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "cve/exposure.h"
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
 * Who has an affected version: hosts or images (PKGS, FK, ENTITY) whose installed package
 * is built from a source version the release affects, on an OS of the release's codename
 * (oc, the map dm_cve_oses_sql writes); hosts also by the kernel they run.
 */
#define WHO_PKGS(PKGS, FK, ENTITY)                                                                 \
	DM_SQL_CVE_INSTALLS(PKGS)                                                                  \
	" JOIN " ENTITY " s ON s.id = e." FK " JOIN package p ON p.id = e.package_id"              \
	" WHERE r.issue_id = # AND " DM_SQL_CVE_AFFECTS("r", "spv.version_key")
static const char who_head[] =
    "SELECT s.name, 0, p.name, pv.version, spv.version, r.fixed_version,"
    " ELT(r.status + 1, 'fix available', 'no fix yet', 'undetermined') FROM cve_release r JOIN ";
static const char *const who_tail[DM_KIND__MAX] = {
    [DM_KIND_HOST] = WHO_PKGS("host_package", "host_id", "host"),
    [DM_KIND_IMAGE] = WHO_PKGS("image_package", "image_id", "image"),
};
static const char kernel_head[] =
    " UNION ALL SELECT s.name, 1, NULL, k.version, k.version, r.fixed_version,"
    " ELT(r.status + 1, 'fix available', 'no fix yet', 'undetermined') FROM cve_release r JOIN ";
static const char kernel_tail[] = DM_SQL_CVE_KERNELS
    " JOIN host s ON s.kernel_id = k.id"
    " WHERE r.issue_id = # AND r.source_name = 'linux' AND k.version_key IS NOT NULL "
    "AND " DM_SQL_CVE_AFFECTS("r", "k.version_key");
static const char who_order[] = " ORDER BY 1, 3";

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

/* The rows of who has the issue, stored (counted for the headings). */
static MYSQL_RES *
who(struct dm_sql *q, enum dm_kind kind, const struct dm_cve_oses *oses, unsigned long long id)
{
	dm_sql_start(q, who_head);
	dm_cve_oses_sql(q, oses);
	dm_sql_add(q, who_tail[kind], id);
	if (kind == DM_KIND_HOST) {
		dm_sql_raw(q, kernel_head);
		dm_cve_oses_sql(q, oses);
		dm_sql_add(q, kernel_tail, id);
	}
	dm_sql_raw(q, who_order);
	return dm_sql_query(q);
}

static int
cve_json(struct dm_ctx *ctx, MYSQL_ROW is, MYSQL_RES *rel, MYSQL_RES *hosts, MYSQL_RES *images)
{
	FILE *f = ctx->res.out;

	dm_respond(&ctx->res, 200, "application/json", NULL);
	fputc('{', f);
	dm_json_member(f, 1, "issue", is[I_NAME]);
	dm_json_member(f, 0, "description", is[I_DESCRIPTION]);
	dm_json_member(f, 0, "scope", is[I_SCOPE]);
	dm_json_key(f, 0, "debianbug");
	fputs(is[I_BUG] ? is[I_BUG] : "null", f);
	fputs(",\"tracker_url\":\"" TRACKER_URL, f);
	fputs(is[I_NAME], f); /* CVE- and TEMP- ids: letters, digits and '-' only */
	fputs("\",\"releases\":", f);
	if (dm_listing_json(f, ctx->db, rel, release_cols, RELEASE_COLS) == -1)
		return dm_db_status(ctx->db);
	fputs(",\"hosts\":", f);
	dm_listing_json(f, ctx->db, hosts, host_cols, N_WHO_COLS);
	fputs(",\"images\":", f);
	dm_listing_json(f, ctx->db, images, image_cols, N_WHO_COLS);
	fputs("}\n", f);
	return 0;
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

/* The page of hosts pg asks for, as a page's part (p's rows point into rows). */
static int
who_page(struct dm_ctx *ctx, struct dm_paging *pg, MYSQL_RES *hosts, MYSQL_ROW **rows,
         struct dm_page *p)
{
	size_t n = 0, start, end;
	struct dm_pager links;
	MYSQL_ROW r;

	memset(p, 0, sizeof(*p));
	if ((*rows = calloc(mysql_num_rows(hosts) + 1, sizeof(**rows))) == NULL)
		return -1;
	while ((r = mysql_fetch_row(hosts)) != NULL)
		(*rows)[n++] = r;
	pg->total = (long long)n;
	dm_paging_slice(pg, n, who_cmp, *rows, &start, &end);
	dm_pager_links(ctx, pg, start, end, n, who_cursor, *rows, &links);
	*p = (struct dm_page){.db = ctx->db,
	                      .paged = 1,
	                      .rows = *rows + start,
	                      .n = end - start,
	                      .first = links.first,
	                      .prev = links.prev,
	                      .next = links.next,
	                      .last = links.last};
	return 0;
}

static int
cve_html(struct dm_ctx *ctx, MYSQL_ROW is, MYSQL_RES *rel, MYSQL_RES *hosts, MYSQL_RES *images,
         struct dm_paging *pg)
{
	struct dm_pager links;
	struct dm_page p;
	MYSQL_ROW *rows;

	FILE *f = ctx->res.out;

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
	fprintf(f, "<h2 id=\"hosts\">Affected hosts (%llu)</h2>\n",
	        (unsigned long long)mysql_num_rows(hosts));
	if (who_page(ctx, pg, hosts, &rows, &p) == -1)
		return 500;
	dm_listing_html_part(f, ctx, pg, &p, host_cols, N_WHO_COLS, NULL);
	links = (struct dm_pager){p.first, p.prev, p.next, p.last};
	dm_pager_free(&links);
	free(rows);
	fprintf(f, "<h2 id=\"images\">Affected images (%llu)</h2>\n",
	        (unsigned long long)mysql_num_rows(images));
	dm_listing_html(f, ctx->db, images, image_cols, N_WHO_COLS);
	dm_page_end(ctx);
	return 0;
}

/* The affected hosts as CSV (the same page as HTML when limit= or a cursor is given). */
static int
cve_csv(struct dm_ctx *ctx, struct dm_paging *pg, MYSQL_RES *hosts)
{
	struct dm_pager links;
	struct dm_page p;
	MYSQL_ROW *rows;
	int rc;

	if (who_page(ctx, pg, hosts, &rows, &p) == -1)
		return 500;
	dm_listing_respond(ctx, pg, "hosts", &p);
	rc = dm_listing_csv_part(ctx->res.out, &p, host_cols, N_WHO_COLS);
	links = (struct dm_pager){p.first, p.prev, p.next, p.last};
	dm_pager_free(&links);
	free(rows);
	return rc == -1 ? dm_db_status(ctx->db) : 0;
}

static int
cve_get(struct dm_ctx *ctx, const char *name)
{
	MYSQL_RES *issue = NULL, *rel = NULL, *hosts = NULL, *images = NULL;
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
	if ((issue = dm_sql_query(&q)) == NULL)
		goto db_error;
	if ((is = mysql_fetch_row(issue)) == NULL) {
		status = 404;
		goto out;
	}
	id = strtoull(is[I_ID], NULL, 10);
	dm_sql_start(&q, stmts[S_RELEASES], id);
	if ((rel = dm_sql_query(&q)) == NULL ||
	    (hosts = who(&q, DM_KIND_HOST, &oses, id)) == NULL ||
	    (images = who(&q, DM_KIND_IMAGE, &oses, id)) == NULL)
		goto db_error;
	status = pg.format == DM_FORMAT_JSON  ? cve_json(ctx, is, rel, hosts, images)
	         : pg.format == DM_FORMAT_CSV ? cve_csv(ctx, &pg, hosts)
	                                      : cve_html(ctx, is, rel, hosts, images, &pg);
	goto out;
db_error:
	status = dm_db_status(ctx->db);
out:
	if (images != NULL)
		mysql_free_result(images);
	if (hosts != NULL)
		mysql_free_result(hosts);
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
