/* pkglist.h: the package list of one host or image, as JSON or as an HTML table. */
#ifndef DM_PKGLIST_H
#define DM_PKGLIST_H

#include <mysql.h>
#include <stdio.h>

#include "db/model.h"
#include "cgi/entry.h"
#include "cgi/params.h"
#include "db/sql.h"
#include "web/paging.h"

/* The columns of a package list's rows. */
enum dm_pkglist_col {
	P_NAME,
	P_VERSION,
	P_SOURCE,
	P_UPGRADE,
	P_TYPE,
	P_SOURCE_VERSION,
	P_VERDICT /* cve_verdict.issues (vulns.h), NULL when the version has none */
};

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
/*
 * Writes the rows of res (stored) whose name has q (NULL: all) as an HTML table, one
 * page of them as pg asks (a browser lays out 200 rows in a fraction of the time of
 * 2,000), with the pager; the table's filter box asks the server (q=).
 */
void dm_pkglist_html(FILE *f, const struct dm_ctx *ctx, const struct dm_paging *pg, const char *q,
                     MYSQL_RES *res);
/*
 * A host's or image's page's parameters: q (a part of a package's name), vulns=all (the
 * whole vulnerabilities section), and paging's.
 */
struct dm_pkglist_params {
	struct dm_param p[2 + DM_P__MAX];
	char query[4096];
	struct dm_paging pg; /* dm_paging_free it */
	const char *q;       /* NULL: none */
	int all_vulns;       /* vulns=all */
};
/* Reads them: 0, or -1 after answering 400 naming the bad one. */
int dm_pkglist_params(struct dm_ctx *ctx, struct dm_pkglist_params *pp);
/* "security", "" (a plain upgrade) or NULL (none) from the upgrade_type column. */
const char *dm_upgrade_type(const char *column);

#endif
