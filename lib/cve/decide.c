/* decide.c: cve_verdict written from cve_release, the issues of each source version. */
#include "cve/decide.h"

#include <stdio.h>
#include <string.h>

#include "db/model.h"
#include "db/sql.h"

/* An issue of a verdict: its status digit, then name, urgency and fixed version as LEN:bytes. */
#define FIELD(x) "LENGTH(" x "), ':', " x
#define FIXED "IF(r.status = 0, IFNULL(r.fixed_version, ''), '')"
#define ENTRY                                                                                      \
	"CONCAT(r.status, " FIELD("r.issue_name") ", " FIELD("r.urgency") ", " FIELD(FIXED) ")"

enum part {
	P_LIMIT,
	P_CLEAR,
	P_INSERT,
	P_JOIN,
	P_UNDECIDED,
	P_GROUP,
	P_KERNEL_CLEAR,
	P_KERNEL_INSERT,
	P_KERNEL_JOIN,
	P_KERNEL_UNDECIDED,
	P_KERNEL_GROUP,
	P__MAX
};

static const char *const parts[P__MAX] = {
    /* A verdict is at most a MEDIUMBLOB; a longer one fails (a warning), never cut short. */
    [P_LIMIT] = "SET SESSION group_concat_max_len = 16777215",
    [P_CLEAR] = "DELETE FROM cve_verdict",
    [P_INSERT] = "INSERT INTO cve_verdict (source_package_version_id, source_name,"
                 " source_version, issues) SELECT spv.id, MIN(sp.name), MIN(spv.version),"
                 " IFNULL(GROUP_CONCAT(" ENTRY " ORDER BY r.issue_id"
                 " SEPARATOR ''), '') FROM ",
    [P_JOIN] =
        " oc JOIN source_package_version spv ON spv.os_id = oc.os_id"
        " JOIN source_package sp ON sp.id = spv.source_package_id"
        " LEFT JOIN cve_release r ON r.source_name = sp.name AND r.codename = oc.codename"
        " AND " DM_SQL_CVE_AFFECTS("r", "spv.version_key") " WHERE spv.version_key IS NOT NULL",
    [P_UNDECIDED] = " AND NOT EXISTS (SELECT 1 FROM cve_verdict d"
                    " WHERE d.source_package_version_id = spv.id)",
    [P_GROUP] = " GROUP BY spv.id",
    [P_KERNEL_CLEAR] = "DELETE FROM cve_kernel_verdict",
    [P_KERNEL_INSERT] = "INSERT INTO cve_kernel_verdict (kernel_version_id, issues)"
                        " SELECT k.id, IFNULL(GROUP_CONCAT(" ENTRY " ORDER BY r.issue_id"
                        " SEPARATOR ''), '') FROM ",
    [P_KERNEL_JOIN] = " oc JOIN kernel_version k ON k.os_id = oc.os_id"
                      " LEFT JOIN cve_release r ON r.source_name = 'linux'"
                      " AND r.codename = oc.codename AND " DM_SQL_CVE_AFFECTS(
                          "r", "k.version_key") " WHERE k.version_key IS NOT NULL",
    [P_KERNEL_UNDECIDED] = " AND NOT EXISTS (SELECT 1 FROM cve_kernel_verdict d"
                           " WHERE d.kernel_version_id = k.id)",
    [P_KERNEL_GROUP] = " GROUP BY k.id",
};

/* The statements of one kind of subject: a version of a source, or a running kernel. */
struct subject {
	enum part clear, insert, join, undecided, group;
};

static const struct subject subjects[] = {
    {P_CLEAR, P_INSERT, P_JOIN, P_UNDECIDED, P_GROUP},
    {P_KERNEL_CLEAR, P_KERNEL_INSERT, P_KERNEL_JOIN, P_KERNEL_UNDECIDED, P_KERNEL_GROUP},
};

static int
failed(MYSQL *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what,
	         mysql_errno(db) ? mysql_error(db) : "out of memory or statement too large");
	return -1;
}

/* Decides the subjects of one kind: 0 (how many added to *n), or -1. */
static int
decide(struct dm_sql *q, const struct dm_cve_oses *o, enum dm_cve_decide_scope scope,
       const struct subject *s, unsigned long long *n, char *err, size_t errlen)
{
	if (scope == DM_CVE_DECIDE_ALL && mysql_query(q->db, parts[s->clear]) != 0)
		return failed(q->db, "clearing the verdicts", err, errlen);
	dm_sql_start(q, parts[s->insert]);
	dm_cve_oses_sql(q, o);
	dm_sql_raw(q, parts[s->join]);
	if (scope == DM_CVE_DECIDE_NEW)
		dm_sql_raw(q, parts[s->undecided]);
	dm_sql_raw(q, parts[s->group]);
	if (dm_sql_exec(q) == -1)
		return failed(q->db, "deciding the versions", err, errlen);
	if (mysql_warning_count(q->db) > 0) {
		snprintf(err, errlen, "deciding the versions: a verdict longer than 16 MB");
		return -1;
	}
	*n += mysql_affected_rows(q->db);
	return 0;
}

int
dm_cve_decide(MYSQL *db, const struct dm_cve_oses *o, enum dm_cve_decide_scope scope,
              unsigned long long *n, char *err, size_t errlen)
{
	struct dm_sql q;
	size_t i;
	int rc = 0;

	*n = 0;
	if (mysql_query(db, parts[P_LIMIT]) != 0)
		return failed(db, "deciding the versions", err, errlen);
	dm_sql_init(&q, db);
	for (i = 0; rc == 0 && i < sizeof(subjects) / sizeof(subjects[0]); i++)
		rc = decide(&q, o, scope, &subjects[i], n, err, errlen);
	dm_sql_free(&q);
	return rc;
}

/* One LEN:bytes field at *p into *buf, NUL-terminated: its copy, or NULL if malformed. */
static const char *
field(const char **p, size_t *len, char **buf)
{
	size_t n = 0, i = 0;
	char *out = *buf;

	while (i < *len && (*p)[i] >= '0' && (*p)[i] <= '9' && n < *len)
		n = 10 * n + (size_t)((*p)[i++] - '0');
	if (i == 0 || i >= *len || (*p)[i] != ':' || n > *len - i - 1)
		return NULL;
	memcpy(out, *p + i + 1, n);
	out[n] = '\0';
	*p += i + 1 + n;
	*len -= i + 1 + n;
	*buf += n + 1;
	return out;
}

int
dm_cve_verdict_next(const char **p, size_t *len, char **buf, struct dm_cve_verdict *out)
{
	if (*len == 0)
		return 0;
	if (**p < '0' || **p >= '0' + DM_CVE_STATUS__MAX)
		return -1;
	out->status = (enum dm_cve_status)(**p - '0');
	(*p)++;
	(*len)--;
	if ((out->issue = field(p, len, buf)) == NULL ||
	    (out->urgency = field(p, len, buf)) == NULL ||
	    (out->fixed = field(p, len, buf)) == NULL)
		return -1;
	if (out->status != DM_CVE_RESOLVED)
		out->fixed = NULL;
	return 1;
}
