/* issues.h: the security issues the tracker lists for source packages, per release. */
#ifndef DM_ISSUES_H
#define DM_ISSUES_H

#include <mysql.h>
#include <stddef.h>
#include <stdio.h>

#include "db/sql.h"

/*
 * The issues of the n sources (names): one row per (issue, source), newest ids first,
 * each with what every release says of it ("bookworm: fixed in 3.0.17-1~deb12u3
 * (medium)"). Stored.
 */
MYSQL_RES *dm_issues_query(struct dm_sql *q, const char *const *sources, size_t n);
/* Writes the rows as a JSON list. */
void dm_issues_json(FILE *f, MYSQL *db, MYSQL_RES *res);
/* Writes a section: a heading and the table, or that the tracker lists none. */
void dm_issues_html(FILE *f, MYSQL *db, MYSQL_RES *res);

#endif
