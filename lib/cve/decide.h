/* decide.h: the tracker's verdict on each source version, decided once into cve_verdict. */
#ifndef DM_DECIDE_H
#define DM_DECIDE_H

#include <mysql.h>
#include <stddef.h>

#include "cve/exposure.h"

/* Which versions dm_cve_decide decides. */
enum dm_cve_decide_scope {
	DM_CVE_DECIDE_ALL, /* every one again: cve_release changed (in its transaction) */
	DM_CVE_DECIDE_NEW, /* those without a verdict yet: reported since the last decision */
};

/*
 * Writes cve_verdict from cve_release for the source versions of the OSes of o that have
 * a version key: per version, the issues that affect it in its OS's release (open,
 * undetermined, or resolved in a later version than it, as DM_SQL_CVE_AFFECTS says),
 * packed (sql/schema.sql; dm_cve_verdict_next reads them); and cve_kernel_verdict, the
 * same of linux for each running kernel. The versions are those one statement reads (one
 * view of the data), so that a version reported meanwhile gets no row and is decided live
 * by the pages. Run it inside the transaction that changed cve_release, or with
 * DM_CVE_DECIDE_LOCK held (an import meanwhile would leave verdicts of the old data). The
 * versions and kernels decided go to *n. Returns 0, or -1 with the reason in err.
 */
int dm_cve_decide(MYSQL *db, const struct dm_cve_oses *o, enum dm_cve_decide_scope scope,
                  unsigned long long *n, char *err, size_t errlen);

/* One issue of a packed verdict. */
struct dm_cve_verdict {
	enum dm_cve_status status;
	const char *issue, *urgency, *fixed; /* fixed: NULL unless resolved */
};

/*
 * Reads the next issue of the packed verdict at *p (len bytes left at *len) into *out, its
 * strings copied with their NULs into *buf (at least as many bytes as the verdict has):
 * 1, 0 at the end, -1 when the verdict is malformed.
 */
int dm_cve_verdict_next(const char **p, size_t *len, char **buf, struct dm_cve_verdict *out);

#endif
