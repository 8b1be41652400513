/* issues.h: the security issues the tracker lists for source packages, per release. */
#ifndef DM_ISSUES_H
#define DM_ISSUES_H

#include <mysql.h>
#include <stddef.h>
#include <stdio.h>

/* Rows the page shows before saying how many more its JSON has. */
#define DM_ISSUES_HTML_MAX 200

/*
 * The issues of some sources: one row per (issue, source), newest names first, each with
 * what every release says of it ("bookworm: fixed in 3.0.17-1~deb12u3 (medium)", one
 * line a release). The rows point into what is kept here.
 */
struct dm_issues {
	MYSQL_ROW *rows; /* issue, source, releases */
	size_t n;
	/* private */
	MYSQL_RES *res;
	char **cells;
	char *text;
};

/*
 * Reads the issues of the n sources (names) into is: their release rows, read by the
 * primary key and grouped here (linux's 20,000 rows in a few milliseconds, where SQL's
 * GROUP_CONCAT took tens). 0, or -1 on a database error or no memory (is to be freed).
 */
int dm_issues_read(MYSQL *db, const char *const *sources, size_t n, struct dm_issues *is);
void dm_issues_free(struct dm_issues *is);
/* Writes the rows as a JSON list. */
void dm_issues_json(FILE *f, const struct dm_issues *is);
/*
 * Writes a section: a heading and the table of the newest DM_ISSUES_HTML_MAX (the JSON
 * of the page prefix + name has them all), or that the tracker lists none.
 */
void dm_issues_html(FILE *f, const struct dm_issues *is, const char *prefix, const char *name);

#endif
