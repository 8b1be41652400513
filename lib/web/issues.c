/* issues.c: a source package's security issues, for the package and source package pages. */
#include "web/issues.h"

#include "web/listing.h"

/* What one release says, as a line of the list. */
#define RELEASE_LINE                                                                               \
	"CONCAT(r.codename, ': ', ELT(r.status + 1, IF(r.fixed_version = '0', 'not affected',"     \
	" CONCAT('fixed in ', r.fixed_version)), 'open', 'undetermined'), ' (', r.urgency, ')')"
/* The sources' rows are ranges of cve_release's primary key (source_name, ...). */
static const char head[] = "SELECT i.name, r.source_name, GROUP_CONCAT(" RELEASE_LINE
                           " ORDER BY r.codename SEPARATOR '\\n') FROM cve_release r"
                           " JOIN cve_issue i ON i.id = r.issue_id WHERE r.source_name IN (";
static const char tail[] =
    ") GROUP BY r.issue_id, r.source_name ORDER BY i.name DESC, r.source_name";

static const struct dm_col cols[] = {
    {"issue", "Issue", DM_COL_STR, "/cves/"},
    {"source", "Source package", DM_COL_STR, "/source-packages/"},
    {"releases", "Releases", DM_COL_LIST, NULL},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

MYSQL_RES *
dm_issues_query(struct dm_sql *q, const char *const *sources, size_t n)
{
	dm_sql_start(q, head);
	if (n == 0)
		dm_sql_raw(q, "NULL");
	else
		dm_sql_strs(q, sources, n);
	dm_sql_raw(q, tail);
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
