/* pkglist.c: a host's or an image's packages, streamed from the database to the answer. */
#include "web/pkglist.h"

#include <stdlib.h>
#include <string.h>

#include "cgi/params.h"
#include "core/escape.h"
#include "web/page.h"

/*
 * Upgrades first, security ones before the others, then by name. The source's name and
 * version come with the version's verdict (cve_verdict) when it has one; only a version
 * without one joins its source_package_version and source_package rows (MariaDB checks
 * the ON condition before the lookup): two lookups a row fewer on a covered host.
 */
#define PACKAGES(PKGS, FK)                                                                         \
	"SELECT p.name, pv.version, COALESCE(cv.source_name, sp.name), uv.version,"                \
	" IF(e.upgradable_version_id IS NULL, NULL, e.upgrade_type),"                              \
	" COALESCE(cv.source_version, spv.version), cv.issues"                                     \
	" FROM " PKGS " e JOIN package p ON p.id = e.package_id"                                   \
	" JOIN package_version pv ON pv.id = e.package_version_id"                                 \
	" LEFT JOIN package_version uv ON uv.id = e.upgradable_version_id"                         \
	" LEFT JOIN cve_verdict cv ON cv.source_package_version_id = pv.source_package_version_id" \
	" LEFT JOIN source_package_version spv ON cv.source_package_version_id IS NULL"            \
	" AND spv.id = pv.source_package_version_id"                                               \
	" LEFT JOIN source_package sp ON sp.id = spv.source_package_id"                            \
	" WHERE e." FK " = #"                                                                      \
	" ORDER BY e.upgradable_version_id IS NULL, e.upgrade_type DESC, p.name"

static const char *const stmts[DM_KIND__MAX] = {
    [DM_KIND_HOST] = PACKAGES("host_package", "host_id"),
    [DM_KIND_IMAGE] = PACKAGES("image_package", "image_id"),
};

MYSQL_RES *
dm_pkglist_query(struct dm_sql *q, enum dm_kind kind, unsigned long long id)
{
	dm_sql_start(q, stmts[kind], id);
	return dm_sql_query(q);
}

const char *
dm_upgrade_type(const char *column)
{
	return column == NULL                                 ? NULL
	       : strcmp(column, DM_SQL_UPGRADE_SECURITY) == 0 ? "security"
	                                                      : "";
}

int
dm_pkglist_json(FILE *f, MYSQL *db, MYSQL_RES *res)
{
	MYSQL_ROW r;
	int first = 1;

	fputc('[', f);
	for (; (r = mysql_fetch_row(res)) != NULL; first = 0) {
		fputs(first ? "\n  {" : ",\n  {", f);
		dm_json_member(f, 1, "name", r[P_NAME]);
		dm_json_member(f, 0, "version", r[P_VERSION]);
		dm_json_member(f, 0, "source", r[P_SOURCE]);
		dm_json_member(f, 0, "upgradable_version", r[P_UPGRADE]);
		dm_json_member(f, 0, "upgrade_type", dm_upgrade_type(r[P_TYPE]));
		putc('}', f);
	}
	if (dm_sql_stream_end(db) == -1)
		return -1;
	fputs("\n]", f);
	return 0;
}

static void
html_row(FILE *f, MYSQL_ROW r)
{
	const char *type = dm_upgrade_type(r[P_TYPE]);

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

static const struct dm_sort sorts[] = {{"package", "p.name"}};

int
dm_pkglist_params(struct dm_ctx *ctx, struct dm_pkglist_params *pp)
{
	static const struct dm_param params[2 + DM_P__MAX] = {
	    {"q", NULL}, {"vulns", NULL}, DM_PAGING_PARAMS};
	const char *all;

	memcpy(pp->p, params, sizeof(params));
	if (strlen(ctx->req.query) >= sizeof(pp->query)) {
		dm_bad_param(ctx, "the query string is longer than %zu bytes",
		             sizeof(pp->query) - 1);
		return -1;
	}
	snprintf(pp->query, sizeof(pp->query), "%s", ctx->req.query);
	if (dm_params(ctx, pp->query, pp->p, 2 + DM_P__MAX) == -1)
		return -1;
	all = pp->p[1].value;
	if (all != NULL && all[0] != '\0' && strcmp(all, "all") != 0) {
		dm_bad_param(ctx, "vulns: '%.64s' is not all", all);
		return -1;
	}
	pp->all_vulns = all != NULL && all[0] != '\0';
	if (dm_paging_parse(ctx, &pp->pg, pp->p, 2 + DM_P__MAX, sorts, 1, "p.name") == -1) {
		dm_paging_free(&pp->pg);
		return -1;
	}
	pp->q = pp->p[0].value != NULL && pp->p[0].value[0] != '\0' ? pp->p[0].value : NULL;
	return 0;
}

/* A row's place among upgrades: security 0, other 1, none 2 (the query's order). */
static int
rank(MYSQL_ROW r)
{
	const char *type = dm_upgrade_type(r[P_TYPE]);

	return type == NULL ? 2 : type[0] ? 0 : 1;
}

static int
row_cmp(size_t i, const char *value, const char *key, void *arg)
{
	MYSQL_ROW r = ((MYSQL_ROW *)arg)[i];
	int c = rank(r) - (int)strtol(value, NULL, 10);

	return c != 0 ? c : strcmp(r[P_NAME], key);
}

static char *
row_cursor(size_t i, void *arg)
{
	MYSQL_ROW r = ((MYSQL_ROW *)arg)[i];
	char value[2] = {(char)('0' + rank(r)), '\0'};

	return dm_paging_cursor(value, r[P_NAME]);
}

void
dm_pkglist_html(FILE *f, const struct dm_ctx *ctx, const struct dm_paging *pg, const char *q,
                MYSQL_RES *res)
{
	MYSQL_ROW r, *rows = calloc(mysql_num_rows(res) + 1, sizeof(*rows));
	size_t i, n = 0, start = 0, end = 0;
	struct dm_pager pager = {0};

	while (rows != NULL && (r = mysql_fetch_row(res)) != NULL)
		if (q == NULL || strstr(r[P_NAME], q) != NULL)
			rows[n++] = r;
	mysql_data_seek(res, 0);
	if (rows != NULL) {
		dm_paging_slice(pg, n, row_cmp, rows, &start, &end);
		dm_pager_links(ctx, pg, start, end, n, row_cursor, rows, &pager);
	}
	dm_pager_html(f, &pager, end - start, (long long)n);
	dm_table_open(f, end - start);
	fprintf(f, "<table data-total=\"%zu\"%s data-q=\"q\">\n", n,
	        end - start < n ? " data-paged=\"1\"" : "");
	fputs("<thead><tr><th>Package</th><th>Version</th>"
	      "<th>Upgradable to</th><th>Upgrade type</th></tr></thead>\n<tbody>\n",
	      f);
	for (i = start; i < end; i++)
		html_row(f, rows[i]);
	fputs("</tbody>\n</table>\n", f);
	dm_table_close(f, end - start);
	dm_pager_html(f, &pager, end - start, (long long)n);
	dm_pager_free(&pager);
	free(rows);
}
