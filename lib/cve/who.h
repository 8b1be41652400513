/* who.h: the hosts an issue affects, one row per affected package or running kernel. */
#ifndef DM_CVE_WHO_H
#define DM_CVE_WHO_H

#include <mysql.h>
#include <stddef.h>

#include "cve/exposure.h"

/* The columns of a row, in this order. */
enum dm_cve_who_col {
	DM_WHO_HOST,           /* the host's name */
	DM_WHO_KERNEL,         /* "1": the running kernel's row (no package); else "0" */
	DM_WHO_PACKAGE,        /* the package's name; NULL on a kernel's row */
	DM_WHO_INSTALLED,      /* its installed version (the kernel's) */
	DM_WHO_SOURCE_VERSION, /* its source version (the kernel's) */
	DM_WHO_FIXED,          /* the fixed version; NULL when there is none */
	DM_WHO_STATUS,         /* "fix available", "no fix yet" or "undetermined" */
	DM_WHO__MAX
};

/*
 * The rows, sorted by host name, then package name (a kernel's row first), as bytes.
 * Each row has DM_WHO__MAX values and two free slots after them (for a cursor's
 * columns); the values point into the results kept here.
 */
struct dm_cve_who {
	MYSQL_ROW *rows;
	size_t n;
	/* private */
	MYSQL_RES *res[5];
	char **cells;
};

/*
 * Reads who the issue (its cve_issue id) affects on o's releases into w: the package
 * versions and kernels it affects are decided first (a few rows), then their installs
 * and the hosts' names are read without joins and put together here, so that an issue
 * on every host costs a scan of the installs' index, not a lookup a row. 0, or -1 on a
 * database error or no memory (w to be freed either way).
 */
int dm_cve_who_hosts(MYSQL *db, const struct dm_cve_oses *o, unsigned long long issue,
                     struct dm_cve_who *w);
void dm_cve_who_free(struct dm_cve_who *w);

#endif
