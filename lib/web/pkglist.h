/* pkglist.h: the package list of one host or image, as JSON or as an HTML table. */
#ifndef DM_PKGLIST_H
#define DM_PKGLIST_H

#include <mysql.h>
#include <stdio.h>

#include "db/model.h"
#include "db/sql.h"

/* The columns of a package list's rows. */
enum dm_pkglist_col { P_NAME, P_VERSION, P_SOURCE, P_UPGRADE, P_TYPE, P_SOURCE_VERSION };

/*
 * The packages of host or image id, upgrades first, stored: the vulnerabilities section
 * (vulns.h) reads them before the list is written.
 */
MYSQL_RES *dm_pkglist_query(struct dm_sql *q, enum dm_kind kind, unsigned long long id);
/*
 * Writes the rows of res, a result of db, as the JSON list "[{...}, ...]" one object at
 * a time: 0, or -1 when a database error stopped them (the list is left open).
 */
int dm_pkglist_json(FILE *f, MYSQL *db, MYSQL_RES *res);
/* Writes the rows as an HTML table: 0, or -1 as dm_pkglist_json (the table left open). */
int dm_pkglist_html(FILE *f, MYSQL *db, MYSQL_RES *res);
/* "security", "" (a plain upgrade) or NULL (none) from the upgrade_type column. */
const char *dm_upgrade_type(const char *column);

#endif
