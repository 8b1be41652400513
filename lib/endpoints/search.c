/* search.c: GET /search?q=TEXT: names and versions containing TEXT, grouped by kind. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cgi/params.h"
#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/json.h"
#include "web/listing.h"
#include "web/page.h"

/* Rows answered per group at most: a two-letter search must not dump the database. */
#define SEARCH_ROWS "500"
#define SEARCH_ROWS_MAX 500
/*
 * Rows the page shows per group: a browser lays a table out whole, and 500 rows of two
 * groups took it half a second on a slow machine. The rest are a link away, in the
 * group's list filtered by the same text, or in the JSON answer.
 */
#define SEARCH_HTML_ROWS 100
/* Characters; names and versions are VARCHAR(255): a longer text could not match. */
#define SEARCH_QUERY_MAX 255

/* Case-insensitive, as upstream's: "libc" finds "LibC"; the pattern is one '?'. */
#define MATCH(col) " WHERE " col " COLLATE utf8mb4_general_ci LIKE ?"
#define NAMES(table) "SELECT name FROM " table MATCH("name") " ORDER BY name LIMIT " SEARCH_ROWS
#define VERSIONS(vtable, ntable, fk)                                                               \
	"SELECT n.name, v.version, o.name FROM " vtable " v JOIN " ntable " n ON n.id = v." fk     \
	" JOIN os o ON o.id = v.os_id" MATCH(                                                      \
	    "v.version") " ORDER BY n.name, v.version, o.name LIMIT " SEARCH_ROWS
#define KERNELS                                                                                    \
	"SELECT k.id, k.name, o.name FROM kernel_version k JOIN os o ON o.id = k.os_id" MATCH(     \
	    "k.name") " ORDER BY k.name, o.name LIMIT " SEARCH_ROWS

/*
 * Issue ids are ASCII ("CVE-2024-1234", "TEMP-..."), in a column compared without regard
 * to case: an ASCII text matches them as it is, any other matches none (run_groups).
 */
#define ISSUES "SELECT name FROM cve_issue WHERE name LIKE ? ORDER BY name DESC LIMIT " SEARCH_ROWS

enum group {
	G_HOSTS,
	G_IMAGES,
	G_PACKAGES,
	G_SOURCES,
	G_KERNELS,
	G_VERSIONS,
	G_SVERSIONS,
	G_ISSUES,
	G__MAX
};

static const struct dm_col host_cols[] = {{"name", "Host", DM_COL_STR, "/hosts/"}};
static const struct dm_col image_cols[] = {{"name", "Image", DM_COL_STR, "/images/"}};
static const struct dm_col package_cols[] = {{"name", "Package", DM_COL_STR, "/packages/"}};
static const struct dm_col source_cols[] = {
    {"name", "Source package", DM_COL_STR, "/source-packages/"}};
static const struct dm_col kernel_cols[] = {
    {"id", "ID", DM_COL_ID, NULL},
    {"name", "Kernel", DM_COL_STR, "/kernels/"},
    {"os", "OS", DM_COL_STR, NULL},
};
static const struct dm_col version_cols[] = {
    {"name", "Package", DM_COL_STR, "/packages/"},
    {"version", "Version", DM_COL_STR, NULL},
    {"os", "OS", DM_COL_STR, NULL},
};
static const struct dm_col issue_cols[] = {{"name", "Issue", DM_COL_STR, "/cves/"}};
static const struct dm_col sversion_cols[] = {
    {"name", "Source package", DM_COL_STR, "/source-packages/"},
    {"version", "Version", DM_COL_STR, NULL},
    {"os", "OS", DM_COL_STR, NULL},
};

#define COLS(c) c, sizeof(c) / sizeof(c[0])

static const struct {
	const char *key; /* JSON member */
	const char *title;
	const char *sql;
	const struct dm_col *cols;
	size_t ncols;
	const char *list; /* the list page that filters by name with q, or NULL */
} groups[G__MAX] = {
    [G_HOSTS] = {"hosts", "Hosts", NAMES("host"), COLS(host_cols), "/hosts/"},
    [G_IMAGES] = {"images", "Images", NAMES("image"), COLS(image_cols), "/images/"},
    [G_PACKAGES] = {"packages", "Packages", NAMES("package"), COLS(package_cols), "/packages/"},
    [G_SOURCES] = {"source_packages", "Source packages", NAMES("source_package"), COLS(source_cols),
                   "/source-packages/"},
    [G_KERNELS] = {"kernels", "Kernels", KERNELS, COLS(kernel_cols), "/kernels/"},
    [G_VERSIONS] = {"package_versions", "Package versions",
                    VERSIONS("package_version", "package", "package_id"), COLS(version_cols)},
    [G_SVERSIONS] = {"source_package_versions", "Source package versions",
                     VERSIONS("source_package_version", "source_package", "source_package_id"),
                     COLS(sversion_cols)},
    [G_ISSUES] = {"cves", "Vulnerabilities", ISSUES, COLS(issue_cols)},
};

/* Checks the decoded q: 0, or -1 after answering 400. *chars: its length in characters. */
static int
check_q(struct dm_ctx *ctx, const char *q, size_t *chars)
{
	json_t *s = json_string(q);
	const char *p;

	if (s == NULL) {
		dm_bad_param(ctx, "q: not UTF-8");
		return -1;
	}
	json_decref(s);
	for (*chars = 0, p = q; *p; p++)
		*chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (*chars > SEARCH_QUERY_MAX) {
		dm_bad_param(ctx, "q: longer than %d characters", SEARCH_QUERY_MAX);
		return -1;
	}
	return 0;
}

/* The LIKE pattern of a substring: %q% with q's own %, _ and \ taken literally. */
static char *
like_pattern(const char *q)
{
	size_t n = strlen(q);
	char *pat = malloc(2 * n + 3), *w = pat;

	if (pat == NULL)
		return NULL;
	*w++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*w++ = '\\';
		*w++ = *q;
	}
	*w++ = '%';
	*w = '\0';
	return pat;
}

static int
ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Runs every group's query; res[] stays NULL when there is nothing to search for. */
static int
run_groups(struct dm_ctx *ctx, const char *q, MYSQL_RES **res)
{
	char *pattern = like_pattern(q);
	struct dm_sql sql;
	size_t g;
	int status = 0;

	if (pattern == NULL)
		return 500;
	dm_sql_init(&sql, ctx->db);
	for (g = 0; g < G__MAX && status == 0; g++) {
		if (g == G_ISSUES && !ascii(q))
			continue;
		dm_sql_start(&sql, groups[g].sql, pattern);
		if ((res[g] = dm_sql_query(&sql)) == NULL)
			status = dm_db_status(ctx->db);
	}
	dm_sql_free(&sql);
	free(pattern);
	return status;
}

/* 0, or the status of a database error that stopped the rows (answer unfinished). */
static int
search_json(struct dm_ctx *ctx, const char *q, MYSQL_RES **res)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	char *text = dm_json_answer(ctx, "search", json_pack_ex(&e, 0, "{s:s}", "query", q), &e);
	size_t g;

	if (text == NULL)
		return 0;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	dm_json_open(f, text);
	free(text);
	for (g = 0; g < G__MAX; g++) {
		fprintf(f, ",\n\"%s\":", groups[g].key);
		if (res[g] == NULL)
			fputs("[]", f);
		else if (dm_listing_json(f, ctx->db, res[g], groups[g].cols, groups[g].ncols) == -1)
			return dm_db_status(ctx->db);
	}
	fputs("}\n", f);
	return 0;
}

/* How many rows matched, as the page says it: the answer stops at SEARCH_ROWS_MAX. */
static void
count_html(FILE *f, my_ulonglong n)
{
	fprintf(f, n >= SEARCH_ROWS_MAX ? "%llu or more" : "%llu", (unsigned long long)n);
}

/* Where the rows past the page's are: the group's list filtered by q, or the JSON. */
static void
more_html(FILE *f, size_t g, const char *q, my_ulonglong n)
{
	fprintf(f, "<p class=\"muted\">The first %d of ", SEARCH_HTML_ROWS);
	count_html(f, n);
	if (groups[g].list != NULL) {
		fprintf(f, ": <a href=\"%s?q=", groups[g].list);
		dm_url_arg(f, q);
		fputs("\">all of them</a>.</p>\n", f);
	} else {
		fputs(". The JSON answer has up to " SEARCH_ROWS ".</p>\n", f);
	}
}

static void
group_html(FILE *f, size_t g, const char *q, MYSQL_RES *res)
{
	my_ulonglong n = mysql_num_rows(res);
	MYSQL_ROW rows[SEARCH_HTML_ROWS];
	size_t shown = 0;

	fprintf(f, "<h2 id=\"%s\">%s <span class=\"muted\">(", groups[g].key, groups[g].title);
	count_html(f, n);
	fputs(")</span></h2>\n", f);
	if (n == 0) {
		fputs("<p class=\"muted\">No match.</p>\n", f);
		return;
	}
	while (shown < SEARCH_HTML_ROWS && (rows[shown] = mysql_fetch_row(res)) != NULL)
		shown++;
	dm_listing_html_rows(f, rows, shown, groups[g].cols, groups[g].ncols);
	if (n > shown)
		more_html(f, g, q, n);
}

static int
search_html(struct dm_ctx *ctx, const char *q, MYSQL_RES **res)
{
	FILE *f = ctx->res.out;
	size_t g;

	dm_page_begin(ctx, 200, "Search");
	if (res[0] == NULL) {
		fprintf(f, "<p>Search for at least %lld characters.</p>\n",
		        ctx->cfg.search_min_length);
	} else {
		fputs("<p>Names and versions containing <strong>", f);
		dm_html_txt(f, q);
		fputs("</strong>:</p>\n", f);
	}
	for (g = 0; g < G__MAX && res[g] != NULL; g++)
		group_html(f, g, q, res[g]);
	dm_page_end(ctx);
	return 0;
}

static int
search(struct dm_ctx *ctx)
{
	MYSQL_RES *res[G__MAX] = {NULL};
	char *query = strdup(ctx->req.query);
	struct dm_param param = {"q", NULL};
	const char *q;
	size_t chars, g;
	int status = 0;

	if (query == NULL)
		return 500;
	if (dm_params(ctx, query, &param, 1) == -1)
		goto out;
	q = param.value ? param.value : "";
	if (check_q(ctx, q, &chars) == -1)
		goto out;
	if ((long long)chars >= ctx->cfg.search_min_length &&
	    (status = run_groups(ctx, q, res)) != 0)
		goto out;
	if (ctx->req.wants_json)
		status = search_json(ctx, q, res);
	else
		status = search_html(ctx, q, res);
out:
	for (g = 0; g < G__MAX; g++)
		if (res[g] != NULL)
			mysql_free_result(res[g]);
	free(query);
	return status;
}

const struct dm_endpoint dm_ep_search = {
    .name = "search",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = search,
};
