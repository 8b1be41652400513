/* issues.c: a source package's security issues, for the package and source package pages. */
#include "web/issues.h"

#include "web/listing.h"

/* What one release says, as a line of the list. */
#define RELEASE_LINE                                                                               \
	"CONCAT(r.codename, ': ', ELT(r.status + 1, IF(r.fixed_version = '0', 'not affected',"     \
	" CONCAT('fixed in ', r.fixed_version)), 'open', 'undetermined'), ' (', r.urgency, ')')"
#define ISSUES(WHERE)                                                                              \
	"SELECT i.name, r.source_name, GROUP_CONCAT(" RELEASE_LINE " ORDER BY r.codename"          \
	" SEPARATOR '\\n') FROM cve_release r JOIN cve_issue i ON i.id = r.issue_id WHERE " WHERE  \
	" GROUP BY r.issue_id, r.source_name ORDER BY i.name DESC, r.source_name"

static const char by_source[] = ISSUES("r.source_name = ?");
static const char by_package[] =
    ISSUES("r.source_name IN (SELECT sp.name FROM package_version pv"
           " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"
           " JOIN source_package sp ON sp.id = spv.source_package_id WHERE pv.package_id = #)");

static const struct dm_col cols[] = {
    {"issue", "Issue", DM_COL_STR, "/cves/"},
    {"source", "Source package", DM_COL_STR, "/source-packages/"},
    {"releases", "Releases", DM_COL_LIST, NULL},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

MYSQL_RES *
dm_issues_query(struct dm_sql *q, const char *source, unsigned long long package_id)
{
	if (source != NULL)
		dm_sql_start(q, by_source, source);
	else
		dm_sql_start(q, by_package, package_id);
	return dm_sql_query(q);
}

void
dm_issues_json(FILE *f, MYSQL *db, MYSQL_RES *res)
{
	dm_listing_json(f, db, res, cols, NCOLS);
}

void
dm_issues_html(FILE *f, MYSQL *db, MYSQL_RES *res)
{
	fputs("<h2 id=\"issues\">Security issues</h2>\n", f);
	if (mysql_num_rows(res) == 0) {
		fputs("<p class=\"none\">The security tracker's data lists no issue for it.</p>\n",
		      f);
		return;
	}
	dm_listing_html(f, db, res, cols, NCOLS);
}
