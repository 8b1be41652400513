/* exposure.c: coverage of an OS by the tracker's data, the OS-to-codename map, words. */
#include "cve/exposure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const state_names[DM_CVE_STATUS__MAX] = {
    [DM_CVE_RESOLVED] = "fix available",
    [DM_CVE_OPEN] = "no fix yet",
    [DM_CVE_UNDETERMINED] = "undetermined",
};

static const char *const state_classes[DM_CVE_STATUS__MAX] = {
    [DM_CVE_RESOLVED] = "fixable",
    [DM_CVE_OPEN] = "open",
    [DM_CVE_UNDETERMINED] = "undetermined",
};

/* In DM_SQL_CVE_URGENCY_RANK's order, least severe first. */
static const char *const urgencies[] = {"unimportant", "end-of-life", "not yet assigned",
                                        "low",         "medium",      "high"};

const char *
dm_cve_state_name(enum dm_cve_status s)
{
	return (unsigned)s < DM_CVE_STATUS__MAX ? state_names[s] : "?";
}

const char *
dm_cve_state_class(enum dm_cve_status s)
{
	return (unsigned)s < DM_CVE_STATUS__MAX ? state_classes[s] : "";
}

int
dm_cve_urgency_rank(const char *urgency)
{
	size_t i, n = strlen(urgency);

	while (n > 0 && urgency[n - 1] == '*')
		n--;
	for (i = 0; i < sizeof(urgencies) / sizeof(urgencies[0]); i++)
		if (strlen(urgencies[i]) == n && strncmp(urgencies[i], urgency, n) == 0)
			return (int)i + 1;
	return 0;
}

int
dm_cve_oses_load(struct dm_cve_oses *o, MYSQL *db, const struct dm_config *cfg, char *err,
                 size_t errlen)
{
	const struct dm_release *rel;
	int day = dm_distro_day(time(NULL));
	MYSQL_RES *res;
	MYSQL_ROW row;

	memset(o, 0, sizeof(*o));
	if (dm_distro_load(&o->distro, cfg->distro_csv, err, errlen) == -1)
		return -1;
	if (mysql_query(db, "SELECT id, name FROM os") != 0 ||
	    (res = mysql_store_result(db)) == NULL) {
		snprintf(err, errlen, "reading the OS names: %s", mysql_error(db));
		dm_cve_oses_free(o);
		return -1;
	}
	o->ids = calloc(mysql_num_rows(res) + 1, sizeof(*o->ids));
	o->series = calloc(mysql_num_rows(res) + 1, sizeof(*o->series));
	while (o->ids != NULL && o->series != NULL && (row = mysql_fetch_row(res)) != NULL)
		if (dm_distro_lookup(&o->distro, row[1], day, &rel) == DM_OS_RELEASE) {
			o->ids[o->n] = strtoull(row[0], NULL, 10);
			o->series[o->n++] = rel->series;
		}
	mysql_free_result(res);
	if (o->ids == NULL || o->series == NULL) {
		snprintf(err, errlen, "out of memory");
		dm_cve_oses_free(o);
		return -1;
	}
	return 0;
}

void
dm_cve_oses_free(struct dm_cve_oses *o)
{
	free(o->ids);
	free(o->series);
	dm_distro_free(&o->distro);
	memset(o, 0, sizeof(*o));
}

void
dm_cve_oses_sql(struct dm_sql *q, const struct dm_cve_oses *o)
{
	size_t i;

	if (o->n == 0) {
		dm_sql_raw(q, "(SELECT 0 AS os_id, '' AS codename FROM DUAL WHERE 0)");
		return;
	}
	dm_sql_raw(q, "(");
	for (i = 0; i < o->n; i++) {
		dm_sql_raw(q, i == 0 ? "SELECT " : " UNION ALL SELECT ");
		dm_sql_uint(q, o->ids[i]);
		dm_sql_raw(q, i == 0 ? " AS os_id, " : ", ");
		dm_sql_str(q, o->series[i]);
		if (i == 0)
			dm_sql_raw(q, " AS codename");
	}
	dm_sql_raw(q, ")");
}

void
dm_cve_oses_eol_sql(struct dm_sql *q, const struct dm_cve_oses *o, const char *column)
{
	int day = dm_distro_day(time(NULL)), any = 0;
	const struct dm_release *rel;
	size_t i;

	for (i = 0; i < o->n; i++) {
		rel = dm_distro_series(&o->distro, o->series[i]);
		if (rel == NULL || !dm_distro_past_eol(rel, day))
			continue;
		if (!any) {
			dm_sql_raw(q, column);
			dm_sql_raw(q, " IN (");
		} else {
			dm_sql_raw(q, ", ");
		}
		dm_sql_uint(q, o->ids[i]);
		any = 1;
	}
	dm_sql_raw(q, any ? ")" : "0");
}

void
dm_cve_hosts_sql(struct dm_sql *q, const struct dm_cve_oses *o, const char *issue, const char *id,
                 const char *kernel_id)
{
	dm_sql_raw(q, "(");
	dm_sql_raw(q, id);
	dm_sql_raw(q, " IN (SELECT e.host_id FROM cve_release r JOIN ");
	dm_cve_oses_sql(q, o);
	dm_sql_add(q,
	           DM_SQL_CVE_INSTALLS(
	               "host_package") " WHERE r.issue_id = (SELECT id FROM"
	                               " cve_issue WHERE name = ?) AND " DM_SQL_CVE_AFFECTS(
	                                   "r", "spv.version_key") ") OR ",
	           issue);
	dm_sql_raw(q, kernel_id);
	dm_sql_raw(q, " IN (SELECT k.id FROM cve_release r JOIN ");
	dm_cve_oses_sql(q, o);
	dm_sql_add(q,
	           DM_SQL_CVE_KERNELS
	           " WHERE r.issue_id = (SELECT id FROM cve_issue WHERE name = ?)"
	           " AND r.source_name = 'linux' AND k.version_key IS NOT NULL"
	           " AND " DM_SQL_CVE_AFFECTS("r", "k.version_key") "))",
	           issue);
}

void
dm_cve_images_sql(struct dm_sql *q, const struct dm_cve_oses *o, const char *issue, const char *id)
{
	dm_sql_raw(q, id);
	dm_sql_raw(q, " IN (SELECT e.image_id FROM cve_release r JOIN ");
	dm_cve_oses_sql(q, o);
	dm_sql_add(q,
	           DM_SQL_CVE_INSTALLS(
	               "image_package") " WHERE r.issue_id = (SELECT id FROM"
	                                " cve_issue WHERE name = ?) AND " DM_SQL_CVE_AFFECTS(
	                                    "r", "spv.version_key") ")",
	           issue);
}

/* 1 when the query gives a row, 0 when not, -1 on an error. */
static int
exists(struct dm_sql *q)
{
	MYSQL_RES *res = dm_sql_query(q);
	int found;

	if (res == NULL)
		return -1;
	found = mysql_num_rows(res) > 0;
	mysql_free_result(res);
	return found;
}

/* The time of the last import into imported: 1, 0 before any import, -1 on an error. */
static int
imported_at(struct dm_sql *q, char imported[DM_CVE_IMPORTED_LEN])
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int found;

	imported[0] = '\0';
	dm_sql_start(q, "SELECT " DM_SQL_ISO("imported") " FROM cve_state WHERE id = 1");
	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	if ((found = (row = mysql_fetch_row(res)) != NULL) && row[0] != NULL)
		snprintf(imported, DM_CVE_IMPORTED_LEN, "%s", row[0]);
	mysql_free_result(res);
	return found;
}

int
dm_cve_cover(MYSQL *db, const struct dm_distro *d, const char *os, int day,
             const struct dm_release **rel, char imported[DM_CVE_IMPORTED_LEN])
{
	enum dm_os_match m = dm_distro_lookup(d, os, day, rel);
	struct dm_sql q;
	int found;

	dm_sql_init(&q, db);
	if ((found = imported_at(&q, imported)) == 1 && m == DM_OS_RELEASE) {
		dm_sql_start(&q, "SELECT 1 FROM cve_release WHERE codename = ? LIMIT 1",
		             (*rel)->series);
		found = exists(&q);
		dm_sql_free(&q);
		return found == -1 ? -1 : found ? DM_CVE_COVERED : DM_CVE_NOT_IN_DATA;
	}
	dm_sql_free(&q);
	if (found == -1)
		return -1;
	if (found == 0)
		return DM_CVE_NO_DATA;
	return m == DM_OS_DEBIAN ? DM_CVE_NO_RELEASE : DM_CVE_NOT_DEBIAN;
}

const char *
dm_cve_cover_text(enum dm_cve_cover c, const char *os, const struct dm_release *rel, char *buf,
                  size_t size)
{
	switch (c) {
	case DM_CVE_COVERED:
		snprintf(buf, size, "%s (%s) is covered by the Debian security tracker's data.", os,
		         rel->series);
		break;
	case DM_CVE_NO_DATA:
		snprintf(buf, size,
		         "Not covered: no security tracker data has been imported yet"
		         " (debmonitor-cve).");
		break;
	case DM_CVE_NOT_DEBIAN:
		snprintf(
		    buf, size,
		    "Not covered: %s is not Debian, and the Debian security tracker only covers"
		    " Debian.",
		    os);
		break;
	case DM_CVE_NO_RELEASE:
		snprintf(buf, size,
		         "Not covered: \"%s\" does not say which Debian release it is (testing and"
		         " unstable report no version).",
		         os);
		break;
	case DM_CVE_NOT_IN_DATA:
		snprintf(
		    buf, size,
		    "Not covered: the security tracker's data has nothing for %s (%s); it drops"
		    " releases past their end of life.",
		    os, rel->series);
		break;
	}
	return buf;
}
