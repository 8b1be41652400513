/* package.c: GET /packages/NAME: its source packages and every host and image that has it. */
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
#include "web/not_found.h"
#include "web/page.h"
#include "web/listing.h"
#include "web/paging.h"

enum stmt { S_PACKAGE, S_SOURCES, S_VERSIONS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_PACKAGE] = "SELECT id FROM package WHERE name = ?",
    [S_SOURCES] = "SELECT DISTINCT sp.name FROM package_version pv"
                  " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"
                  " JOIN source_package sp ON sp.id = spv.source_package_id"
                  " WHERE pv.package_id = # ORDER BY sp.name",
    [S_VERSIONS] = "SELECT id, version FROM package_version WHERE package_id = #",
};

/*
 * The installs: one part per table, each through the package's versions and the table's
 * version_install key, each keeping its best page (the sort's expressions name the
 * part's kind), merged by the sort's two columns (7 and 8). VRANK and URANK are the
 * installed and upgradable versions' places in dpkg's order, written per request as a
 * CASE on the package's few version ids (an upgrade is a version of the same package).
 */
#define PART_HEAD(KIND)                                                                            \
	"(SELECT STRAIGHT_JOIN '" KIND "', t.name, o.name, pv.version, uv.version,"                \
	" IF(e.upgradable_version_id IS NULL, NULL,"                                               \
	" IF(e.upgrade_type = " DM_SQL_UPGRADE_SECURITY ", 'security', ''))"
#define PART_FROM(PKGS, FK, TABLE)                                                                 \
	" FROM package_version pv JOIN " PKGS " e ON e.package_version_id = pv.id"                 \
	" JOIN " TABLE " t ON t.id = e." FK " JOIN os o ON o.id = t.os_id"                         \
	" LEFT JOIN package_version uv ON uv.id = e.upgradable_version_id WHERE pv.package_id = #"
#define COUNT_FROM(PKGS, FK, TABLE)                                                                \
	"(SELECT COUNT(*) FROM package_version pv STRAIGHT_JOIN " PKGS " e"                        \
	" ON e.package_version_id = pv.id STRAIGHT_JOIN " TABLE " t ON t.id = e." FK               \
	" STRAIGHT_JOIN os o ON o.id = t.os_id WHERE pv.package_id = #"

static const char *const part_head[DM_KIND__MAX] = {PART_HEAD("host"), PART_HEAD("image")};
static const char *const part_from[DM_KIND__MAX] = {
    PART_FROM("host_package", "host_id", "host"), PART_FROM("image_package", "image_id", "image")};
static const char *const count_from[DM_KIND__MAX] = {
    COUNT_FROM("host_package", "host_id", "host"),
    COUNT_FROM("image_package", "image_id", "image")};

enum sort { SORT_TYPE, SORT_KIND, SORT_NAME, SORT_OS, SORT_VERSION, SORT_UPGRADE, SORT__MAX };

/*
 * The columns sort= takes (upgrade_type, the default: security upgrades, then other
 * upgrades, then none, then by OS and version, as the page always showed them). Their
 * SQL is written per request and per kind (sorts_build): this table only names them.
 */
static const struct dm_sort sort_keys[SORT__MAX] = {
    {"upgrade_type", "0"}, {"kind", "0"},    {"name", "0"},
    {"os", "0"},           {"version", "0"}, {"upgradable_version", "0"},
};
/* What tells installs apart, ascending with the sort: the kind, then the name. */
static const char *const uniques[DM_KIND__MAX] = {"CONCAT('host ', t.name)",
                                                  "CONCAT('image ', t.name)"};

static const struct dm_col cols[] = {
    {"kind", "Kind", DM_COL_STR, NULL},
    {"name", "Name", DM_COL_STR, NULL},
    {"os", "OS", DM_COL_STR, NULL},
    {"version", "Version", DM_COL_STR, NULL},
    {"upgradable_version", "Upgradable to", DM_COL_STR, NULL},
    {"upgrade_type", "Upgrade type", DM_COL_STR, NULL},
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

enum install_col { I_KIND, I_NAME, I_OS, I_VERSION, I_UPGRADE, I_TYPE };

/* A package's version: its id, its string, its place in dpkg's order. */
/* What the request asks of the installs, once read. */
struct installs {
	struct dm_param p[DM_VF__MAX + DM_P__MAX];
	struct dm_vcond vc;
	struct dm_paging pg;
	unsigned long long id; /* the package */
	MYSQL_RES *versions;
	struct dm_ranked *v; /* by dpkg's order */
	size_t nv;
	char *vrank, *urank; /* the CASE expressions of the ranks */
	MYSQL_RES *os_names; /* for the form */
};

/* The names of the package's sources as a JSON list: NULL, with e saying why, on failure. */
static json_t *
sources_json(MYSQL_RES *sources, json_error_t *e)
{
	json_t *a = json_array(), *s;
	MYSQL_ROW r;

	snprintf(e->text, sizeof(e->text), "out of memory");
	while (a != NULL && (r = mysql_fetch_row(sources)) != NULL) {
		/* A name Jansson refuses fails the answer: dropped, the list would lie. */
		if ((s = json_pack_ex(e, 0, "s", r[0])) == NULL) {
			json_decref(a);
			return NULL;
		}
		if (json_array_append_new(a, s) == -1) {
			snprintf(e->text, sizeof(e->text), "out of memory");
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/*
 * The package's versions in dpkg's order (equal ones, 1.0 and 1.00, share a rank) and
 * the CASE expressions of their ranks: 0, or -1 on a database error or no memory.
 */
static int
versions_read(struct dm_sql *q, struct installs *in)
{
	dm_sql_start(q, stmts[S_VERSIONS], in->id);
	if ((in->versions = dm_sql_query(q)) == NULL ||
	    dm_ranked_read(in->versions, &in->v, &in->nv) == -1)
		return -1;
	in->vrank = dm_sql_rank_case(in->v, in->nv, "e.package_version_id", 0);
	in->urank = dm_sql_rank_case(in->v, in->nv, "e.upgradable_version_id", -1);
	return in->vrank != NULL && in->urank != NULL ? 0 : -1;
}

/* Appends the filters' conditions, each " AND ...", to a part's WHERE. */
static void
where(struct dm_sql *q, const struct installs *in)
{
	const char *os = in->p[DM_VF_OS].value, *up = in->p[DM_VF_UPGRADES].value;
	int any = 0;
	size_t i;

	if (in->vc.op != -1) {
		dm_sql_raw(q, " AND e.package_version_id IN (0");
		for (i = 0; i < in->nv; i++)
			if (dm_vcond_match(&in->vc, in->v[i].version)) {
				dm_sql_raw(q, ", ");
				dm_sql_uint(q, in->v[i].id);
				any = 1;
			}
		dm_sql_raw(q, any ? ")" : ") AND 0");
	}
	if (os != NULL && os[0] != '\0')
		dm_sql_add(q, " AND o.name = ?", os);
	if (up != NULL && up[0] != '\0')
		dm_sql_raw(q, strcmp(up, "any") == 0 ? " AND e.upgradable_version_id IS NOT NULL"
		              : strcmp(up, "security") == 0
		                  ? " AND e.upgradable_version_id IS NOT NULL"
		                    " AND e.upgrade_type = " DM_SQL_UPGRADE_SECURITY
		                  : " AND e.upgradable_version_id IS NULL");
}

/*
 * The installs the filters keep, both kinds, into in->pg.total: 0, or -1. Without os= or
 * a version condition, the counts the ingest keeps in package_stats say it (a package on
 * 4,000 hosts: 14 ms to count its rows, a few slots to sum); otherwise the rows.
 */
static int
installs_count(struct dm_sql *q, struct installs *in)
{
	const char *up = dm_filter_value(&in->p[DM_VF_UPGRADES]);

	if (in->vc.op == -1 && dm_filter_value(&in->p[DM_VF_OS]) == NULL) {
		dm_sql_start(q, "SELECT COALESCE(SUM(");
		dm_sql_raw(q, up == NULL                    ? "hosts + images"
		              : strcmp(up, "any") == 0      ? "host_upgrades + image_upgrades"
		              : strcmp(up, "security") == 0 ? "host_security + image_security"
		                                            : "hosts + images - host_upgrades"
		                                              " - image_upgrades");
		dm_sql_add(q, "), 0) FROM package_stats WHERE package_id = #", in->id);
		return dm_paging_count(q, &in->pg);
	}
	dm_sql_start(q, "SELECT ");
	dm_sql_add(q, count_from[DM_KIND_HOST], in->id);
	where(q, in);
	dm_sql_raw(q, ") + ");
	dm_sql_add(q, count_from[DM_KIND_IMAGE], in->id);
	where(q, in);
	dm_sql_raw(q, ")");
	return dm_paging_count(q, &in->pg);
}

/*
 * The installs' query: each kind's part with its own sort expressions (its kind a
 * constant), the parts merged by the sort's columns, stored. A page is sorted and cut by
 * SQL; the whole list is sorted here (whole_sort): for a package on 10,000 hosts,
 * MariaDB's sort of the union in a temporary table was half the answer's time.
 */
static MYSQL_RES *
installs_query(struct dm_sql *q, struct installs *in, struct dm_sort (*sorts)[SORT__MAX])
{
	const char *dir = in->pg.desc != in->pg.backward ? " DESC" : "";
	struct dm_paging part = in->pg;
	int k;

	dm_sql_start(q, "");
	for (k = 0; k < DM_KIND__MAX; k++) {
		part.sorts = sorts[k];
		part.sort = &sorts[k][in->pg.sort - in->pg.sorts];
		part.unique = uniques[k];
		dm_sql_raw(q, k ? " UNION ALL " : "");
		dm_sql_raw(q, part_head[k]);
		dm_paging_select(q, &part);
		dm_sql_add(q, part_from[k], in->id);
		where(q, in);
		dm_paging_where(q, &part);
		if (in->pg.limit > 0)
			dm_paging_order(q, &part);
		dm_sql_raw(q, ")");
	}
	if (in->pg.limit > 0) {
		dm_sql_raw(q, " ORDER BY 7");
		dm_sql_raw(q, dir);
		dm_sql_raw(q, ", 8");
		dm_sql_raw(q, dir);
		dm_sql_raw(q, " LIMIT ");
		dm_sql_uint(q, (unsigned long long)in->pg.limit + 1);
	}
	return dm_sql_query(q);
}

/* How whole_cmp orders: the sort's value as a number (a rank) or as bytes, and which way. */
struct whole_order {
	int num, desc;
};

static int
whole_cmp(const void *pa, const void *pb, void *arg)
{
	MYSQL_ROW a = *(const MYSQL_ROW *)pa, b = *(const MYSQL_ROW *)pb;
	const struct whole_order *o = arg;
	long long x, y;
	int c;

	if (o->num) {
		x = strtoll(a[N_COLS], NULL, 10);
		y = strtoll(b[N_COLS], NULL, 10);
		c = x < y ? -1 : x > y;
	} else {
		c = strcmp(a[N_COLS], b[N_COLS]);
	}
	if (c == 0)
		c = strcmp(a[N_COLS + 1], b[N_COLS + 1]);
	return o->desc ? -c : c;
}

/*
 * The whole list's rows of res in the order SQL's ORDER BY 7, 8 gives (the sort's
 * column, then kind and name; the binary collation's order is strcmp's), malloc'd into
 * page as the rows a list made in C shows: 0, or -1 (no memory).
 */
static int
whole_sort(struct installs *in, MYSQL_RES *res, struct dm_page *page)
{
	struct whole_order o = {in->pg.sort == &in->pg.sorts[SORT_VERSION] ||
	                            in->pg.sort == &in->pg.sorts[SORT_UPGRADE],
	                        in->pg.desc};
	MYSQL_ROW *rows = calloc(mysql_num_rows(res) + 1, sizeof(*rows)), r;
	size_t n = 0;

	memset(page, 0, sizeof(*page));
	if (rows == NULL)
		return -1;
	while ((r = mysql_fetch_row(res)) != NULL)
		rows[n++] = r;
	qsort_r(rows, n, sizeof(*rows), whole_cmp, &o);
	page->src_rows = rows;
	page->src_n = n;
	return 0;
}

/* The sorts' SQL of each kind, with the ranks of this package's versions: 0, or -1. */
static int
sorts_build(const struct installs *in, struct dm_sort (*sorts)[SORT__MAX], char **type)
{
	static const char *const kinds[DM_KIND__MAX] = {"'host'", "'image'"};
	size_t len = strlen(in->vrank) + 256;
	int k;

	if ((*type = malloc(len)) == NULL)
		return -1;
	snprintf(*type, len,
	         "CONCAT(IF(e.upgradable_version_id IS NULL, 2, IF(e.upgrade_type = %s, 0, 1)),"
	         " ' ', o.name, CHAR(1 USING utf8mb4), LPAD(%s, 6, '0'))",
	         DM_SQL_UPGRADE_SECURITY, in->vrank);
	for (k = 0; k < DM_KIND__MAX; k++) {
		memcpy(sorts[k], sort_keys, sizeof(sort_keys));
		sorts[k][SORT_TYPE].sql = *type;
		sorts[k][SORT_KIND].sql = kinds[k];
		sorts[k][SORT_NAME].sql = "t.name";
		sorts[k][SORT_OS].sql = "o.name";
		sorts[k][SORT_VERSION].sql = in->vrank;
		sorts[k][SORT_UPGRADE].sql = in->urank;
	}
	return 0;
}

static void
package_json(struct dm_ctx *ctx, const char *name, MYSQL_RES *sources,
             const struct dm_issues *issues, struct installs *in, struct dm_page *page)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	json_t *list = sources_json(sources, &e);
	json_t *o =
	    list != NULL ? json_pack_ex(&e, 0, "{s:s, s:o}", "name", name, "sources", list) : NULL;
	char *text = dm_json_answer(ctx, "package", o, &e);

	if (text == NULL)
		return;
	dm_listing_respond(ctx, &in->pg, "installs", page);
	dm_json_open(f, text);
	fputs(",\"issues\":", f);
	dm_issues_json(f, issues);
	fputs(",", f);
	if (dm_listing_json_part(f, &in->pg, page, "installs", cols, N_COLS) == 0)
		fputs("}\n", f);
	free(text);
}

static void
install_html(FILE *f, MYSQL_ROW r)
{
	const char *type = r[I_TYPE];
	int host = strcmp(r[I_KIND], "host") == 0;

	fputs(type == NULL ? "<tr>"
	      : type[0]    ? "<tr class=\"security\">"
	                   : "<tr class=\"upgrade\">",
	      f);
	fprintf(f, "<td>%s</td><td>", host ? "host" : "image");
	if (host)
		dm_link(f, "/hosts/", r[I_NAME]);
	else
		dm_link_path(f, "/images/", r[I_NAME]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[I_OS]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[I_VERSION]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[I_UPGRADE] ? r[I_UPGRADE] : "");
	fputs("</td><td>", f);
	dm_html_txt(f, type == NULL ? "" : type[0] ? type : "upgrade");
	fputs("</td></tr>\n", f);
}

static void
package_html(struct dm_ctx *ctx, const char *name, MYSQL_RES *sources,
             const struct dm_issues *issues, struct installs *in, struct dm_page *page)
{
	FILE *f = ctx->res.out;
	MYSQL_ROW r;
	int first = 1;

	dm_page_begin(ctx, 200, name);
	fputs("<dl class=\"facts\">\n<dt>Source packages</dt><dd>", f);
	for (; (r = mysql_fetch_row(sources)) != NULL; first = 0) {
		fputs(first ? "" : ", ", f);
		dm_link(f, "/source-packages/", r[0]);
	}
	fputs("</dd>\n</dl>\n<h2>Installed on</h2>\n", f);
	dm_form_versions(f, ctx, in->os_names, in->p, &in->vc, &in->pg);
	dm_listing_html_part(f, ctx, &in->pg, page, cols, N_COLS, install_html);
	dm_issues_html(f, issues, "/packages/", name);
	dm_page_end(ctx);
}

/* The issues of the sources the package's versions are built from (the rows of sources). */
static int
source_issues(MYSQL *db, MYSQL_RES *sources, struct dm_issues *issues)
{
	size_t i, n = mysql_num_rows(sources);
	const char **names = calloc(n + 1, sizeof(*names));
	MYSQL_ROW r;
	int rc;

	if (names == NULL)
		return -1;
	for (i = 0; i < n && (r = mysql_fetch_row(sources)) != NULL; i++)
		names[i] = r[0];
	mysql_data_seek(sources, 0);
	rc = dm_issues_read(db, names, i, issues);
	free(names);
	return rc;
}

/* The installs as the page or the answer, the package's other parts read: 0, or a status. */
static int
installs_answer(struct dm_ctx *ctx, struct dm_sql *q, const char *name, struct installs *in,
                MYSQL_RES *sources, const struct dm_issues *issues)
{
	struct dm_sort sorts[DM_KIND__MAX][SORT__MAX];
	struct dm_page page;
	MYSQL_RES *res;
	char *type = NULL;
	int rc = 0;

	if (versions_read(q, in) == -1 || sorts_build(in, sorts, &type) == -1) {
		free(type);
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	}
	if (installs_count(q, in) == -1 ||
	    (in->pg.format == DM_FORMAT_HTML && (in->os_names = dm_form_os_query(q)) == NULL) ||
	    (res = installs_query(q, in, sorts)) == NULL) {
		free(type);
		return dm_db_status(ctx->db);
	}
	if (in->pg.limit > 0 ? dm_listing_read(ctx, &in->pg, res, N_COLS, &page) == -1
	                     : whole_sort(in, res, &page) == -1) {
		rc = 500;
	} else if (in->pg.format == DM_FORMAT_CSV) {
		dm_listing_respond(ctx, &in->pg, "installs", &page);
		rc = dm_listing_csv_part(ctx->res.out, &page, cols, N_COLS) == -1 ? -1 : 0;
	} else if (in->pg.format == DM_FORMAT_JSON) {
		package_json(ctx, name, sources, issues, in, &page);
	} else {
		package_html(ctx, name, sources, issues, in, &page);
	}
	free(page.src_rows);
	dm_listing_page_free(&page);
	mysql_free_result(res);
	free(type);
	return rc == -1 ? dm_db_status(ctx->db) : rc;
}

static int
package_get(struct dm_ctx *ctx, const char *name, struct installs *in)
{
	MYSQL_RES *package = NULL, *sources = NULL;
	struct dm_issues issues = {0};
	struct dm_sql q;
	MYSQL_ROW p;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_PACKAGE], name);
	if ((package = dm_sql_query(&q)) == NULL)
		goto db_error;
	if ((p = mysql_fetch_row(package)) == NULL) {
		status = 404;
		goto out;
	}
	in->id = strtoull(p[0], NULL, 10);
	dm_sql_start(&q, stmts[S_SOURCES], in->id);
	if ((sources = dm_sql_query(&q)) == NULL || source_issues(ctx->db, sources, &issues) == -1)
		goto db_error;
	status = installs_answer(ctx, &q, name, in, sources, &issues);
	goto out;
db_error:
	status = dm_db_status(ctx->db);
out:
	dm_issues_free(&issues);
	if (sources != NULL)
		mysql_free_result(sources);
	if (package != NULL)
		mysql_free_result(package);
	dm_sql_free(&q);
	return status;
}

static int
package(struct dm_ctx *ctx)
{
	struct installs in = {0};
	const char *name;
	char query[4096];
	int status = 0;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	if (dm_vfilters_read(ctx, query, sizeof(query), in.p, &in.pg, sort_keys, SORT__MAX, "0",
	                     name, &in.vc) == 0)
		status = dm_not_found_status(ctx, package_get(ctx, name, &in));
	if (in.os_names != NULL)
		mysql_free_result(in.os_names);
	if (in.versions != NULL)
		mysql_free_result(in.versions);
	free(in.v);
	free(in.vrank);
	free(in.urank);
	dm_paging_free(&in.pg);
	return status;
}

const struct dm_endpoint dm_ep_package = {
    .name = "package",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = package,
};
