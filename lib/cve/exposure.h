/* exposure.h: what the security tracker's data covers, and the words pages show for it. */
#ifndef DM_EXPOSURE_H
#define DM_EXPOSURE_H

#include <mysql.h>
#include <stddef.h>

#include "core/config.h"
#include "core/distro.h"
#include "db/model.h"
#include "db/sql.h"

/*
 * The urgency order as an SQL expression, most severe highest: high 6 .. unimportant 1,
 * anything else 0. The tracker's stars ("high**": set from NVD's score) do not count.
 */
#define DM_SQL_CVE_URGENCY_RANK(col)                                                               \
	"FIELD(TRIM(TRAILING '*' FROM " col "), 'unimportant', 'end-of-life', 'not yet assigned'," \
	" 'low', 'medium', 'high')"

/* What an affecting release's status means for the host or image: "fix available"... */
const char *dm_cve_state_name(enum dm_cve_status s);
/* The same as an HTML class: "fixable", "open", "undetermined". */
const char *dm_cve_state_class(enum dm_cve_status s);
/* The rank of an urgency as DM_SQL_CVE_URGENCY_RANK gives it. */
int dm_cve_urgency_rank(const char *urgency);

/*
 * The OS names of the database that name a Debian release (dm_distro_lookup), with the
 * release's series: the codename the tracker's data is keyed by.
 */
struct dm_cve_oses {
	struct dm_distro distro;
	unsigned long long *ids;
	const char **series; /* in distro */
	size_t n;
};

/* Reads the os table: 0, or -1 with a message in err (a database error, or the table's). */
int dm_cve_oses_load(struct dm_cve_oses *o, MYSQL *db, const struct dm_config *cfg, char *err,
                     size_t errlen);
void dm_cve_oses_free(struct dm_cve_oses *o);
/*
 * Appends a derived table of o, "(SELECT 1 AS os_id, 'bookworm' AS codename UNION ALL
 * ...)", empty when o is, for joins that map a row's os_id to its codename.
 */
void dm_cve_oses_sql(struct dm_sql *q, const struct dm_cve_oses *o);

/*
 * Appends the condition "column (an os id) is of a release past its end of life today"
 * (dm_distro_past_eol): "column IN (...)", or "0" when none is. column is constant SQL.
 */
void dm_cve_oses_eol_sql(struct dm_sql *q, const struct dm_cve_oses *o, const char *column);

/*
 * From cve_release r and the os map oc (dm_cve_oses_sql, then this), the package versions
 * pv whose source version spv is r's source on an OS of r's release; the caller adds
 * WHERE r.issue_id ... AND DM_SQL_CVE_AFFECTS.
 */
#define DM_SQL_CVE_VERSIONS                                                                        \
	" oc ON oc.codename = r.codename JOIN source_package sp ON sp.name = r.source_name"        \
	" JOIN source_package_version spv ON spv.source_package_id = sp.id AND spv.os_id = "       \
	"oc.os_id"                                                                                 \
	" JOIN package_version pv ON pv.source_package_version_id = spv.id"
/* The same, and the installed rows e of those versions in PKGS (host_package, image_package). */
#define DM_SQL_CVE_INSTALLS(PKGS)                                                                  \
	DM_SQL_CVE_VERSIONS " JOIN " PKGS " e ON e.package_version_id = pv.id"
/* The same for the kernels k whose version r's linux affects (with DM_SQL_CVE_AFFECTS). */
#define DM_SQL_CVE_KERNELS                                                                         \
	" oc ON oc.codename = r.codename JOIN kernel_version k ON k.os_id = oc.os_id"

/*
 * Appends the condition "the host (its id column id, its kernel's kernel_id) has a
 * version the issue named issue affects, or runs one": a filter of host lists.
 */
void dm_cve_hosts_sql(struct dm_sql *q, const struct dm_cve_oses *o, const char *issue,
                      const char *id, const char *kernel_id);
/* The same for images (their id column id), which run no kernel of their own. */
void dm_cve_images_sql(struct dm_sql *q, const struct dm_cve_oses *o, const char *issue,
                       const char *id);

/* Why the tracker's data says nothing of an OS, or that it does. */
enum dm_cve_cover {
	DM_CVE_COVERED,     /* a release the imported data has */
	DM_CVE_NO_DATA,     /* nothing imported yet (debmonitor-cve) */
	DM_CVE_NOT_DEBIAN,  /* Ubuntu, ...: the Debian tracker does not cover it */
	DM_CVE_NO_RELEASE,  /* "Debian": the name says no release (testing, unstable) */
	DM_CVE_NOT_IN_DATA, /* a release the data lacks: the tracker drops ended ones */
};

/*
 * Whether the imported data covers os, with *rel its release when os names one: a cover,
 * or -1 on a database error. day is today (dm_distro_day). The time of the last import
 * (ISO 8601), or "" before any, goes into imported (DM_CVE_IMPORTED_LEN bytes).
 */
#define DM_CVE_IMPORTED_LEN 24
int dm_cve_cover(MYSQL *db, const struct dm_distro *d, const char *os, int day,
                 const struct dm_release **rel, char imported[DM_CVE_IMPORTED_LEN]);
/* A sentence saying why, for the page: "Ubuntu 24.04 is not Debian: ..." into buf. */
const char *dm_cve_cover_text(enum dm_cve_cover c, const char *os, const struct dm_release *rel,
                              char *buf, size_t size);

#endif
