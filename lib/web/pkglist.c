/* pkglist.c: a host's or an image's packages, streamed from the database to the answer. */
#include "web/pkglist.h"

#include <string.h>

#include "core/escape.h"

/* Upgrades first, security ones before the others, then by name. */
#define PACKAGES(PKGS, FK)                                                                         \
	"SELECT p.name, pv.version, sp.name, uv.version,"                                          \
	" IF(e.upgradable_version_id IS NULL, NULL, e.upgrade_type), spv.version"                  \
	" FROM " PKGS " e JOIN package p ON p.id = e.package_id"                                   \
	" JOIN package_version pv ON pv.id = e.package_version_id"                                 \
	" JOIN source_package_version spv ON spv.id = pv.source_package_version_id"                \
	" JOIN source_package sp ON sp.id = spv.source_package_id"                                 \
	" LEFT JOIN package_version uv ON uv.id = e.upgradable_version_id"                         \
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

int
dm_pkglist_html(FILE *f, MYSQL *db, MYSQL_RES *res)
{
	MYSQL_ROW r;

	fputs("<table>\n<thead><tr><th>Package</th><th>Version</th>"
	      "<th>Upgradable to</th><th>Upgrade type</th></tr></thead>\n<tbody>\n",
	      f);
	while ((r = mysql_fetch_row(res)) != NULL)
		html_row(f, r);
	if (dm_sql_stream_end(db) == -1)
		return -1;
	fputs("</tbody>\n</table>\n", f);
	return 0;
}
