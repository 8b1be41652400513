/* source_package.c: GET /source-packages/NAME: its versions per OS and the binaries of each. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/model.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/issues.h"
#include "web/json.h"
#include "web/link.h"
#include "web/listing.h"
#include "web/not_found.h"
#include "web/page.h"
#include "web/paging.h"

/*
 * Whether an install of a binary built from the version waits for an upgrade: 'security'
 * when one waits for a security upgrade, 'upgrade' for another, '' for none. Each EXISTS
 * reads the install tables' version_install key and stops at the first row.
 */
#define WAITS(PKGS, COND)                                                                          \
	"EXISTS (SELECT 1 FROM package_version pv JOIN " PKGS " e ON e.package_version_id = pv.id" \
	" WHERE pv.source_package_version_id = spv.id AND e.upgradable_version_id IS NOT "         \
	"NULL" COND ")"
#define SECURITY " AND e.upgrade_type = " DM_SQL_UPGRADE_SECURITY
#define UPGRADE_SQL                                                                                \
	"IF(" WAITS("host_package", SECURITY) " OR " WAITS(                                        \
	    "image_package",                                                                       \
	    SECURITY) ", 'security', IF(" WAITS("host_package",                                    \
	                                        "") " OR " WAITS("image_package",                  \
	                                                         "") ", 'upgrade', ''))"
#define BINARIES_SQL                                                                               \
	"COALESCE((SELECT GROUP_CONCAT(DISTINCT p.name ORDER BY p.name SEPARATOR '\\n')"           \
	" FROM package_version pv JOIN package p ON p.id = pv.package_id"                          \
	" WHERE pv.source_package_version_id = spv.id), '')"

enum stmt { S_SOURCE, S_VERSIONS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_SOURCE] = "SELECT id FROM source_package WHERE name = ?",
    [S_VERSIONS] = "SELECT id, version FROM source_package_version WHERE source_package_id = #",
};

static const char head[] = "SELECT o.name, spv.version, " BINARIES_SQL ", " UPGRADE_SQL;
static const char from[] = " FROM source_package_version spv JOIN os o ON o.id = spv.os_id"
                           " WHERE spv.source_package_id = #";

enum version_col { V_OS, V_VERSION, V_BINARIES, V_UPGRADE };

static const struct dm_col cols[] = {
    {"os", "OS", DM_COL_STR, NULL},
    {"version", "Version", DM_COL_STR, NULL},
    {"binaries", "Binary packages", DM_COL_LIST, NULL},
    /* Some host or image with a binary of this version waits for an upgrade. */
    {"upgrade", "Upgrades waiting", DM_COL_STR, NULL},
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

enum sort { SORT_OS, SORT_VERSION, SORT_BINARIES, SORT_UPGRADE, SORT__MAX };

/* The default, os, is by OS then version in dpkg's order; version is by dpkg's order. */
static const struct dm_sort sort_keys[SORT__MAX] = {
    {"os", "0"}, {"version", "0"}, {"binaries", BINARIES_SQL}, {"upgrade", UPGRADE_SQL}};

/* What the request asks of the versions, once read. */
struct versions {
	struct dm_param p[DM_VF__MAX + DM_P__MAX];
	struct dm_vcond vc;
	struct dm_paging pg;
	struct dm_sort sorts[SORT__MAX];
	unsigned long long id; /* the source */
	MYSQL_RES *res;        /* its versions */
	struct dm_ranked *v;   /* by dpkg's order */
	size_t nv;
	char *rank, *by_os;  /* the sorts' SQL of version and os */
	MYSQL_RES *os_names; /* for the form */
};

/*
 * The source's versions in dpkg's order (equal ones share a rank) and the sorts' SQL
 * that ranks them, pg pointed at it: 0, or -1 on a database error or no memory.
 */
static int
versions_read(struct dm_sql *q, struct versions *vs)
{
	char *rank_case;
	size_t len;

	dm_sql_start(q, stmts[S_VERSIONS], vs->id);
	if ((vs->res = dm_sql_query(q)) == NULL || dm_ranked_read(vs->res, &vs->v, &vs->nv) == -1 ||
	    (rank_case = dm_sql_rank_case(vs->v, vs->nv, "spv.id", 0)) == NULL)
		return -1;
	len = strlen(rank_case) + 64;
	if ((vs->rank = malloc(len)) != NULL)
		snprintf(vs->rank, len, "LPAD(%s, 6, '0')", rank_case);
	free(rank_case);
	if (vs->rank == NULL || (vs->by_os = malloc(len + 64)) == NULL)
		return -1;
	snprintf(vs->by_os, len + 64, "CONCAT(o.name, CHAR(1 USING utf8mb4), %s)", vs->rank);
	memcpy(vs->sorts, sort_keys, sizeof(sort_keys));
	vs->sorts[SORT_OS].sql = vs->by_os;
	vs->sorts[SORT_VERSION].sql = vs->rank;
	vs->pg.sort = &vs->sorts[vs->pg.sort - vs->pg.sorts];
	vs->pg.sorts = vs->sorts;
	return 0;
}

/* Appends the filters' conditions, each " AND ...", to the WHERE of from. */
static void
where(struct dm_sql *q, const struct versions *vs)
{
	const char *os = dm_filter_value(&vs->p[DM_VF_OS]),
	           *up = dm_filter_value(&vs->p[DM_VF_UPGRADES]);
	size_t i;
	int any = 0;

	if (vs->vc.op != -1) {
		dm_sql_raw(q, " AND spv.id IN (0");
		for (i = 0; i < vs->nv; i++)
			if (dm_vcond_match(&vs->vc, vs->v[i].version)) {
				dm_sql_raw(q, ", ");
				dm_sql_uint(q, vs->v[i].id);
				any = 1;
			}
		dm_sql_raw(q, any ? ")" : ") AND 0");
	}
	if (os != NULL)
		dm_sql_add(q, " AND o.name = ?", os);
	if (up != NULL)
		dm_sql_raw(q, strcmp(up, "any") == 0        ? " AND " UPGRADE_SQL " <> ''"
		              : strcmp(up, "security") == 0 ? " AND " UPGRADE_SQL " = 'security'"
		                                            : " AND " UPGRADE_SQL " = ''");
}

/* Counts the versions the filters keep, then queries the page (or all of them, streamed). */
static MYSQL_RES *
versions_query(struct dm_sql *q, struct versions *vs)
{
	dm_sql_start(q, "SELECT COUNT(*)");
	dm_sql_add(q, from, vs->id);
	where(q, vs);
	if (dm_paging_count(q, &vs->pg) == -1)
		return NULL;
	dm_sql_start(q, head);
	dm_paging_select(q, &vs->pg);
	dm_sql_add(q, from, vs->id);
	where(q, vs);
	dm_paging_where(q, &vs->pg);
	dm_paging_order(q, &vs->pg);
	return vs->pg.limit > 0 ? dm_sql_query(q) : dm_sql_stream(q);
}

static void
source_json(struct dm_ctx *ctx, const char *name, const struct dm_issues *issues,
            struct versions *vs, struct dm_page *page)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	char *text =
	    dm_json_answer(ctx, "source package", json_pack_ex(&e, 0, "{s:s}", "name", name), &e);

	if (text == NULL)
		return;
	dm_listing_respond(ctx, &vs->pg, "versions", page);
	dm_json_open(f, text);
	free(text);
	fputs(",\"issues\":", f);
	dm_issues_json(f, issues);
	fputs(",", f);
	if (dm_listing_json_part(f, &vs->pg, page, "versions", cols, N_COLS) == 0)
		fputs("}\n", f);
}

/* A row as dm_listing_html's, with a link to each binary package. */
static void
version_html(FILE *f, MYSQL_ROW r)
{
	const char *up = r[V_UPGRADE] ? r[V_UPGRADE] : "";

	fputs(strcmp(up, "security") == 0 ? "<tr class=\"security\">"
	      : up[0]                     ? "<tr class=\"upgrade\">"
	                                  : "<tr>",
	      f);
	fputs("<td>", f);
	dm_html_txt(f, r[V_OS]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[V_VERSION]);
	fputs("</td><td>", f);
	dm_links(f, "/packages/", r[V_BINARIES]);
	fputs("</td><td>", f);
	dm_html_txt(f, up);
	fputs("</td></tr>\n", f);
}

static void
source_html(struct dm_ctx *ctx, const char *name, const struct dm_issues *issues,
            struct versions *vs, struct dm_page *page)
{
	FILE *f = ctx->res.out;

	dm_page_begin(ctx, 200, name);
	dm_form_versions(f, ctx, vs->os_names, vs->p, &vs->vc, &vs->pg);
	dm_listing_html_part(f, ctx, &vs->pg, page, cols, N_COLS, version_html);
	dm_issues_html(f, issues, "/source-packages/", name);
	dm_page_end(ctx);
}

/* The versions as the page or the answer, the source's issues read: 0, or a status. */
static int
versions_answer(struct dm_ctx *ctx, struct dm_sql *q, const char *name, struct versions *vs,
                const struct dm_issues *issues)
{
	struct dm_page page;
	MYSQL_RES *res;
	int rc = 0;

	if (versions_read(q, vs) == -1)
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	if ((vs->pg.format == DM_FORMAT_HTML && (vs->os_names = dm_form_os_query(q)) == NULL) ||
	    (res = versions_query(q, vs)) == NULL)
		return dm_db_status(ctx->db);
	if (dm_listing_read(ctx, &vs->pg, res, N_COLS, &page) == -1) {
		rc = 500;
	} else if (vs->pg.format == DM_FORMAT_CSV) {
		dm_listing_respond(ctx, &vs->pg, "versions", &page);
		rc = dm_listing_csv_part(ctx->res.out, &page, cols, N_COLS) == -1 ? -1 : 0;
	} else if (vs->pg.format == DM_FORMAT_JSON) {
		source_json(ctx, name, issues, vs, &page);
	} else {
		source_html(ctx, name, issues, vs, &page);
	}
	if (rc == 0 && vs->pg.limit == 0 && dm_sql_stream_end(ctx->db) == -1)
		rc = -1;
	dm_listing_page_free(&page);
	mysql_free_result(res);
	return rc == -1 ? dm_db_status(ctx->db) : rc;
}

static int
source_get(struct dm_ctx *ctx, const char *name, struct versions *vs)
{
	struct dm_issues issues = {0};
	MYSQL_RES *source = NULL;
	struct dm_sql q;
	MYSQL_ROW s;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_SOURCE], name);
	if ((source = dm_sql_query(&q)) == NULL) {
		status = dm_db_status(ctx->db);
	} else if ((s = mysql_fetch_row(source)) == NULL) {
		status = 404;
	} else if (dm_issues_read(ctx->db, &name, 1, &issues) == -1) {
		status = dm_db_status(ctx->db);
	} else {
		vs->id = strtoull(s[0], NULL, 10);
		status = versions_answer(ctx, &q, name, vs, &issues);
	}
	dm_issues_free(&issues);
	if (source != NULL)
		mysql_free_result(source);
	dm_sql_free(&q);
	return status;
}

static int
source_package(struct dm_ctx *ctx)
{
	struct versions vs = {0};
	const char *name;
	char query[4096];
	int status = 0;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	if (dm_vfilters_read(ctx, query, sizeof(query), vs.p, &vs.pg, sort_keys, SORT__MAX,
	                     "spv.id", name, &vs.vc) == 0)
		status = dm_not_found_status(ctx, source_get(ctx, name, &vs));
	if (vs.os_names != NULL)
		mysql_free_result(vs.os_names);
	if (vs.res != NULL)
		mysql_free_result(vs.res);
	free(vs.v);
	free(vs.rank);
	free(vs.by_os);
	dm_paging_free(&vs.pg);
	return status;
}

const struct dm_endpoint dm_ep_source_package = {
    .name = "source-package",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = source_package,
};
