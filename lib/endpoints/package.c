/* package.c: GET /packages/NAME: its source packages and every host and image that has it. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/issues.h"
#include "web/json.h"
#include "web/link.h"
#include "web/not_found.h"
#include "web/page.h"
#include "web/pkglist.h"

enum stmt { S_PACKAGE, S_SOURCES, S_INSTALLS, S__MAX };

/* Through the package's versions and the version_install key of each table. */
#define INSTALLS(KIND, PKGS, FK, TABLE)                                                            \
	"(SELECT STRAIGHT_JOIN '" KIND "' AS kind, t.name AS name, o.name AS os,"                  \
	" pv.version AS version, uv.version AS upgrade,"                                           \
	" IF(e.upgradable_version_id IS NULL, NULL, e.upgrade_type) AS utype"                      \
	" FROM package_version pv JOIN " PKGS " e ON e.package_version_id = pv.id"                 \
	" JOIN " TABLE " t ON t.id = e." FK " JOIN os o ON o.id = t.os_id"                         \
	" LEFT JOIN package_version uv ON uv.id = e.upgradable_version_id WHERE pv.package_id = "  \
	"#)"

static const char *const stmts[S__MAX] = {
    [S_PACKAGE] = "SELECT id FROM package WHERE name = ?",
    [S_SOURCES] = "SELECT DISTINCT sp.name FROM package_version pv"
                  " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"
                  " JOIN source_package sp ON sp.id = spv.source_package_id"
                  " WHERE pv.package_id = # ORDER BY sp.name",
    /*
     * Sorted here, not by MariaDB: its sort of 10,000 joined rows went through an on-disk
     * temporary table and took half the page's time.
     */
    [S_INSTALLS] = INSTALLS("host", "host_package", "host_id", "host") " UNION ALL " INSTALLS(
        "image", "image_package", "image_id", "image"),
};

enum install_col { I_KIND, I_NAME, I_OS, I_VERSION, I_UPGRADE, I_TYPE };

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

/* A's rank among upgrade types: security upgrades, then other upgrades, then none. */
static int
type_rank(const char *utype)
{
	return utype == NULL ? 2 : strcmp(utype, DM_SQL_UPGRADE_SECURITY) == 0 ? 0 : 1;
}

static int
strcmp_null(const char *a, const char *b)
{
	return a == NULL ? (b != NULL) : b == NULL ? -1 : strcmp(a, b);
}

/*
 * As "ORDER BY utype DESC, os, version, kind, name" would (the columns' binary collation
 * compares bytes, as strcmp does).
 */
static int
install_cmp(const void *pa, const void *pb)
{
	const MYSQL_ROW a = *(const MYSQL_ROW *)pa, b = *(const MYSQL_ROW *)pb;
	static const int order[] = {I_OS, I_VERSION, I_KIND, I_NAME};
	size_t i;
	int c = type_rank(a[I_TYPE]) - type_rank(b[I_TYPE]);

	for (i = 0; c == 0 && i < sizeof(order) / sizeof(order[0]); i++)
		c = strcmp_null(a[order[i]], b[order[i]]);
	return c;
}

/* The stored result's rows, sorted: NULL (with *n 0) when there are none or no memory. */
static MYSQL_ROW *
installs_sorted(MYSQL_RES *installs, size_t *n)
{
	MYSQL_ROW *rows, r;

	*n = 0;
	if (mysql_num_rows(installs) == 0 ||
	    (rows = calloc(mysql_num_rows(installs), sizeof(*rows))) == NULL)
		return NULL;
	while ((r = mysql_fetch_row(installs)) != NULL)
		rows[(*n)++] = r;
	qsort(rows, *n, sizeof(*rows), install_cmp);
	return rows;
}

static void
installs_json(FILE *f, MYSQL_ROW *rows, size_t n)
{
	MYSQL_ROW r;
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		r = rows[i];
		fputs(i == 0 ? "\n  {" : ",\n  {", f);
		dm_json_member(f, 1, "kind", r[I_KIND]);
		dm_json_member(f, 0, "name", r[I_NAME]);
		dm_json_member(f, 0, "os", r[I_OS]);
		dm_json_member(f, 0, "version", r[I_VERSION]);
		dm_json_member(f, 0, "upgradable_version", r[I_UPGRADE]);
		dm_json_member(f, 0, "upgrade_type", dm_upgrade_type(r[I_TYPE]));
		putc('}', f);
	}
	fputs("\n]", f);
}

static void
package_json(struct dm_ctx *ctx, const char *name, MYSQL_RES *sources, MYSQL_RES *issues,
             MYSQL_ROW *rows, size_t n)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	json_t *list = sources_json(sources, &e);
	json_t *o =
	    list != NULL ? json_pack_ex(&e, 0, "{s:s, s:o}", "name", name, "sources", list) : NULL;
	char *text = dm_json_answer(ctx, "package", o, &e);

	if (text == NULL)
		return;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	dm_json_open(f, text);
	fputs(",\"issues\":", f);
	dm_issues_json(f, ctx->db, issues);
	fputs(",\"installs\":", f);
	installs_json(f, rows, n);
	fputs("}\n", f);
	free(text);
}

static void
install_html(FILE *f, MYSQL_ROW r)
{
	const char *type = dm_upgrade_type(r[I_TYPE]);
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
package_html(struct dm_ctx *ctx, const char *name, MYSQL_RES *sources, MYSQL_RES *issues,
             MYSQL_ROW *rows, size_t n)
{
	FILE *f = ctx->res.out;
	MYSQL_ROW r;
	size_t i;
	int first = 1;

	dm_page_begin(ctx, 200, name);
	fputs("<dl class=\"facts\">\n<dt>Source packages</dt><dd>", f);
	for (; (r = mysql_fetch_row(sources)) != NULL; first = 0) {
		fputs(first ? "" : ", ", f);
		dm_link(f, "/source-packages/", r[0]);
	}
	fputs(
	    "</dd>\n</dl>\n<h2>Installed on</h2>\n<table>\n<thead><tr><th>Kind</th><th>Name</th>"
	    "<th>OS</th><th>Version</th><th>Upgradable to</th><th>Upgrade type</th></tr></thead>\n"
	    "<tbody>\n",
	    f);
	for (i = 0; i < n; i++)
		install_html(f, rows[i]);
	fputs("</tbody>\n</table>\n", f);
	dm_issues_html(f, ctx->db, issues);
	dm_page_end(ctx);
}

/* The issues of the sources the package's versions are built from (the rows of sources). */
static MYSQL_RES *
source_issues(struct dm_sql *q, MYSQL_RES *sources)
{
	size_t i, n = mysql_num_rows(sources);
	const char **names = calloc(n + 1, sizeof(*names));
	MYSQL_RES *res;
	MYSQL_ROW r;

	if (names == NULL)
		return NULL;
	for (i = 0; i < n && (r = mysql_fetch_row(sources)) != NULL; i++)
		names[i] = r[0];
	mysql_data_seek(sources, 0);
	res = dm_issues_query(q, names, i);
	free(names);
	return res;
}

static int
package_get(struct dm_ctx *ctx, const char *name)
{
	MYSQL_RES *package = NULL, *sources = NULL, *issues = NULL, *installs = NULL;
	MYSQL_ROW *rows = NULL;
	unsigned long long id;
	size_t n;
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
	id = strtoull(p[0], NULL, 10);
	dm_sql_start(&q, stmts[S_SOURCES], id);
	if ((sources = dm_sql_query(&q)) == NULL || (issues = source_issues(&q, sources)) == NULL)
		goto db_error;
	dm_sql_start(&q, stmts[S_INSTALLS], id, id);
	if ((installs = dm_sql_query(&q)) == NULL)
		goto db_error;
	if ((rows = installs_sorted(installs, &n)) == NULL && mysql_num_rows(installs) > 0) {
		status = 500;
		goto out;
	}
	if (ctx->req.wants_json)
		package_json(ctx, name, sources, issues, rows, n);
	else
		package_html(ctx, name, sources, issues, rows, n);
	goto out;
db_error:
	status = dm_db_status(ctx->db);
out:
	free(rows);
	if (installs != NULL)
		mysql_free_result(installs);
	if (issues != NULL)
		mysql_free_result(issues);
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
	const char *name;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	return dm_not_found_status(ctx, package_get(ctx, name));
}

const struct dm_endpoint dm_ep_package = {
    .name = "package",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = package,
};
