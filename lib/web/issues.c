/* issues.c: a source package's security issues, for the package and source package pages. */
#include "web/issues.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/sql.h"
#include "web/listing.h"

/* The sources' rows are ranges of cve_release's primary key (source_name, ...). */
static const char head[] = "SELECT r.issue_name, r.source_name, r.codename, r.status, r.urgency,"
                           " r.fixed_version FROM cve_release r WHERE r.source_name IN (";
enum { R_ISSUE, R_SOURCE, R_CODENAME, R_STATUS, R_URGENCY, R_FIXED };

static const struct dm_col cols[] = {
    {"issue", "Issue", DM_COL_STR, "/cves/"},
    {"source", "Source package", DM_COL_STR, "/source-packages/"},
    {"releases", "Releases", DM_COL_LIST, NULL},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* Newest issue first (by name, as bytes), then source, then release. */
static int
release_cmp(const void *pa, const void *pb)
{
	MYSQL_ROW a = *(const MYSQL_ROW *)pa, b = *(const MYSQL_ROW *)pb;
	int c = strcmp(b[R_ISSUE], a[R_ISSUE]);

	if (c == 0)
		c = strcmp(a[R_SOURCE], b[R_SOURCE]);
	return c != 0 ? c : strcmp(a[R_CODENAME], b[R_CODENAME]);
}

/* What release row r says, as a line: "bookworm: fixed in 1.2-3 (medium)". */
static void
release_line(FILE *f, MYSQL_ROW r)
{
	fprintf(f, "%s: ", r[R_CODENAME]);
	if (strcmp(r[R_STATUS], "1") == 0)
		fputs("open", f);
	else if (strcmp(r[R_STATUS], "2") == 0)
		fputs("undetermined", f);
	else if (r[R_FIXED] == NULL)
		fputs("resolved", f);
	else if (strcmp(r[R_FIXED], "0") == 0)
		fputs("not affected", f);
	else
		fprintf(f, "fixed in %s", r[R_FIXED]);
	fprintf(f, " (%s)", r[R_URGENCY]);
}

/* Groups the m sorted release rows into is's rows, their lines in one text. */
static int
group(struct dm_issues *is, MYSQL_ROW *rel, size_t m)
{
	size_t i, k = 0, len = 0, *at;
	FILE *f;

	if ((at = calloc(m + 1, sizeof(*at))) == NULL ||
	    (is->cells = calloc(3 * m + 1, sizeof(*is->cells))) == NULL ||
	    (is->rows = calloc(m + 1, sizeof(*is->rows))) == NULL ||
	    (f = open_memstream(&is->text, &len)) == NULL) {
		free(at);
		return -1;
	}
	for (i = 0; i < m; i++) {
		if (i > 0 && strcmp(rel[i][R_ISSUE], rel[i - 1][R_ISSUE]) == 0 &&
		    strcmp(rel[i][R_SOURCE], rel[i - 1][R_SOURCE]) == 0) {
			fputc('\n', f);
		} else {
			if (i > 0)
				fputc('\0', f);
			is->rows[k] = is->cells + 3 * k;
			is->rows[k][0] = rel[i][R_ISSUE];
			is->rows[k][1] = rel[i][R_SOURCE];
			at[k++] = (size_t)ftell(f);
		}
		release_line(f, rel[i]);
	}
	if (fclose(f) != 0) {
		free(at);
		return -1;
	}
	for (i = 0; i < k; i++)
		is->rows[i][2] = is->text + at[i];
	is->n = k;
	free(at);
	return 0;
}

int
dm_issues_read(MYSQL *db, const char *const *sources, size_t n, struct dm_issues *is)
{
	MYSQL_ROW *rel, r;
	struct dm_sql q;
	size_t m = 0;
	int rc;

	memset(is, 0, sizeof(*is));
	dm_sql_init(&q, db);
	dm_sql_start(&q, head);
	if (n == 0)
		dm_sql_raw(&q, "NULL");
	else
		dm_sql_strs(&q, sources, n);
	dm_sql_raw(&q, ")");
	is->res = dm_sql_query(&q);
	dm_sql_free(&q);
	if (is->res == NULL)
		return -1;
	if ((rel = calloc(mysql_num_rows(is->res) + 1, sizeof(*rel))) == NULL)
		return -1;
	while ((r = mysql_fetch_row(is->res)) != NULL)
		rel[m++] = r;
	qsort(rel, m, sizeof(*rel), release_cmp);
	rc = group(is, rel, m);
	free(rel);
	return rc;
}

void
dm_issues_free(struct dm_issues *is)
{
	if (is->res != NULL)
		mysql_free_result(is->res);
	free(is->rows);
	free(is->cells);
	free(is->text);
	memset(is, 0, sizeof(*is));
}

void
dm_issues_json(FILE *f, const struct dm_issues *is)
{
	dm_listing_json_rows(f, is->rows, is->n, cols, NCOLS);
}

void
dm_issues_html(FILE *f, const struct dm_issues *is, const char *prefix, const char *name)
{
	fputs("<h2 id=\"issues\">Security issues</h2>\n", f);
	if (is->n == 0) {
		fputs("<p class=\"none\">The security tracker's data lists no issue for it.</p>\n",
		      f);
		return;
	}
	if (is->n > DM_ISSUES_HTML_MAX) {
		fprintf(f,
		        "<p class=\"list-total\">%zu issues, the newest %d below; all of them in"
		        " <a href=\"%s",
		        is->n, DM_ISSUES_HTML_MAX, prefix);
		dm_url_arg(f, name);
		fputs("?format=json\">the JSON</a> (its member issues).</p>\n", f);
	}
	dm_listing_html_rows(f, is->rows, is->n < DM_ISSUES_HTML_MAX ? is->n : DM_ISSUES_HTML_MAX,
	                     cols, NCOLS);
}
