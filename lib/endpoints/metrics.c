/* metrics.c: GET /metrics: the fleet's totals in Prometheus' text exposition format. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/model.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/*
 * Every number comes from a small table or from the counters the ingest keeps on the host
 * and image rows (10,000 rows for 10,000 hosts), never from host_package or image_package
 * (20 million rows): a scrape every 15 seconds must cost the database next to nothing.
 * No series names a host: the per-host numbers are in /hosts/'s JSON.
 */
enum stmt { STMT_TOTALS, STMT_HOSTS, STMT_BY_OS, STMT_CVE_STATE, STMT_CVES, STMT__MAX };

/*
 * One pass over the image rows for the totals no index gives (an aggregate each over
 * 10,000 rows cost about a millisecond of the database's time, so there is one pass with
 * four). upgrades counts the security ones too. COALESCE: sums over no rows are NULL.
 * The hosts' come from STMT_BY_OS.
 */
#define SCAN(table)                                                                                \
	"(SELECT COALESCE(SUM(upgrades > 0), 0) up, COALESCE(SUM(security_upgrades > 0), 0) sec,"  \
	" COALESCE(SUM(upgrades), 0) ups, COALESCE(SUM(security_upgrades), 0) secs"                \
	" FROM " table ")"

/* Stale hosts, counted on the modified key: few rows, usually. */
#define STALE_HOSTS "(SELECT COUNT(*) FROM host WHERE " DM_SQL_STALE("modified") ")"

/*
 * The version tables grow with every release a fleet passes through (37,000 rows at
 * bench/fleet's 10,000 hosts, and versions stay until debmonitor-gc finds them unused):
 * COUNT(*) walks a whole index, 5 to 15 ms here. InnoDB's row estimate costs nothing and,
 * from the 200 pages both tables sample (sql/schema.sql), is within a few percent;
 * HELP says which numbers are estimates.
 */
#define ESTIMATE                                                                                   \
	"(SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"        \
	" AND TABLE_NAME = "

static const char *const stmts[STMT__MAX] = {
    /* In the order of totals[]; the report times from the modified key. */
    [STMT_TOTALS] = "SELECT NULL, NULL, i.up, i.sec, NULL, NULL, i.ups - i.secs,"
                    " i.secs, (SELECT UNIX_TIMESTAMP(MIN(modified)) FROM host),"
                    " (SELECT UNIX_TIMESTAMP(MAX(modified)) FROM host),"
                    " (SELECT COUNT(*) FROM package), (SELECT COUNT(*) FROM source_package),"
                    " " ESTIMATE "'package_version'), " ESTIMATE "'source_package_version'),"
                    " (SELECT COUNT(*) FROM kernel_version),"
                    " " STALE_HOSTS " FROM " SCAN("image") " i",
    /*
     * The hosts per OS, and their upgrades as SCAN's: one pass over the host table's
     * os_counts key, which holds them (5 ms at 12,900 hosts; as a derived table of
     * STMT_BY_OS MariaDB grouped it in a temporary table and sorted it, 14 ms).
     */
    [STMT_HOSTS] = "SELECT os_id, COUNT(*), SUM(upgrades > 0), SUM(security_upgrades > 0),"
                   " SUM(upgrades), SUM(security_upgrades) FROM host GROUP BY os_id",
    /* Every OS, with the images on it: an OS without any shows 0. */
    [STMT_BY_OS] = "SELECT o.id, o.name, (SELECT COUNT(*) FROM image WHERE os_id = o.id)"
                   " FROM os o ORDER BY o.name",
    [STMT_CVE_STATE] = "SELECT UNIX_TIMESTAMP(imported), UNIX_TIMESTAMP(counted)"
                       " FROM cve_state WHERE id = 1",
    /*
     * The issues that affect something and those with a fix, per urgency, as
     * debmonitor-cve's last count wrote them: grouping cve_count here took 20 ms with
     * 36,814 affecting issues.
     */
    [STMT_CVES] = "SELECT urgency, issues, fixable FROM cve_urgency",
};

/* One sample of STMT_TOTALS, in select order. help NULL: another sample of the one above. */
struct total {
	const char *name;
	const char *labels[4]; /* key, value pairs; NULL when fewer */
	const char *help;
};

static const struct total totals[] = {
    {"debmonitor_hosts_with_upgrades", {NULL}, "Hosts with at least one upgrade pending."},
    {"debmonitor_hosts_with_security_upgrades",
     {NULL},
     "Hosts with at least one security upgrade pending."},
    {"debmonitor_images_with_upgrades", {NULL}, "Images with at least one upgrade pending."},
    {"debmonitor_images_with_security_upgrades",
     {NULL},
     "Images with at least one security upgrade pending."},
    {"debmonitor_pending_upgrades",
     {"kind", "host", "type", "plain"},
     "Packages with an upgrade pending, summed over hosts or images (kind), by upgrade type"
     " (security or plain)."},
    {"debmonitor_pending_upgrades", {"kind", "host", "type", "security"}, NULL},
    {"debmonitor_pending_upgrades", {"kind", "image", "type", "plain"}, NULL},
    {"debmonitor_pending_upgrades", {"kind", "image", "type", "security"}, NULL},
    {"debmonitor_oldest_host_report_timestamp_seconds",
     {NULL},
     "Last report of the host that reported least recently, in seconds since the epoch;"
     " absent without hosts."},
    {"debmonitor_newest_host_report_timestamp_seconds",
     {NULL},
     "Last report of any host, in seconds since the epoch; absent without hosts."},
    {"debmonitor_packages", {NULL}, "Binary package names known (as on the dashboard)."},
    {"debmonitor_source_packages", {NULL}, "Source package names known."},
    {"debmonitor_package_versions",
     {NULL},
     "Binary package versions known, per OS: an estimate (InnoDB's statistics)."},
    {"debmonitor_source_package_versions",
     {NULL},
     "Source package versions known, per OS: an estimate (InnoDB's statistics)."},
    {"debmonitor_kernels", {NULL}, "Running kernels known, per OS."},
    {"debmonitor_hosts_stale", {NULL}, "Hosts without a report for more than a day."},
};
#define NTOTALS (sizeof(totals) / sizeof(totals[0]))

/* The urgencies of /cves/ (stars gone), always shown once the tracker's data is imported. */
static const char *const urgencies[] = {"high",        "medium",           "low",
                                        "unimportant", "not yet assigned", "end-of-life"};
#define NURGENCIES (sizeof(urgencies) / sizeof(urgencies[0]))

/* The results of the statements, each stored whole (a few dozen rows at most). */
struct answer {
	MYSQL_RES *res[STMT__MAX];
};

/* Every metric is a gauge: a number read now, which may go down. */
static void
family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* name{k1="v1",...} value; labels: n key, value pairs, the values escaped. */
static void
sample(FILE *f, const char *name, const char *const *labels, size_t n, const char *value)
{
	size_t i;

	fputs(name, f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "{", labels[2 * i]);
		dm_prom_label(f, labels[2 * i + 1]);
		fputc('"', f);
	}
	fprintf(f, "%s %s\n", n ? "}" : "", value);
}

/* The columns of STMT_HOSTS. */
enum { H_OS, H_N, H_UP, H_SEC, H_UPS, H_SECS };

/*
 * The totals row, its host numbers (NULL in STMT_TOTALS: columns 0, 1, 4 and 5) summed
 * from hosts, STMT_HOSTS's result.
 */
static void
write_totals(FILE *f, MYSQL_ROW total, MYSQL_RES *hosts)
{
	long long up = 0, sec = 0, ups = 0, secs = 0;
	char num[4][24], *r[NTOTALS];
	const struct total *t;
	MYSQL_ROW o;
	size_t i, n;

	mysql_data_seek(hosts, 0);
	while ((o = mysql_fetch_row(hosts)) != NULL) {
		up += strtoll(o[H_UP], NULL, 10);
		sec += strtoll(o[H_SEC], NULL, 10);
		ups += strtoll(o[H_UPS], NULL, 10);
		secs += strtoll(o[H_SECS], NULL, 10);
	}
	snprintf(num[0], sizeof(num[0]), "%lld", up);
	snprintf(num[1], sizeof(num[1]), "%lld", sec);
	snprintf(num[2], sizeof(num[2]), "%lld", ups - secs);
	snprintf(num[3], sizeof(num[3]), "%lld", secs);
	for (i = 0; i < NTOTALS; i++)
		r[i] = total[i];
	r[0] = num[0];
	r[1] = num[1];
	r[4] = num[2];
	r[5] = num[3];

	for (i = 0; i < NTOTALS; i++) {
		t = &totals[i];
		if (t->help != NULL)
			family(f, t->name, t->help);
		for (n = 0; n < 2 && t->labels[2 * n] != NULL; n++)
			continue;
		/* NULL: a time of no host at all. */
		if (r[i] != NULL)
			sample(f, t->name, t->labels, n, r[i]);
	}
}

/* The number of hosts on the OS of id, from STMT_HOSTS's result. */
static const char *
hosts_on(MYSQL_RES *hosts, const char *id)
{
	MYSQL_ROW r;

	mysql_data_seek(hosts, 0);
	while ((r = mysql_fetch_row(hosts)) != NULL)
		if (strcmp(r[H_OS], id) == 0)
			return r[H_N];
	return "0";
}

/* Hosts, then images, by OS: one pass over the OSes each, as a family must be one block. */
static void
write_by_os(FILE *f, MYSQL_RES *res, MYSQL_RES *hosts)
{
	static const char *const names[] = {"debmonitor_hosts", "debmonitor_images"};
	static const char *const helps[] = {"Hosts by OS.", "Container images by OS."};
	const char *labels[2] = {"os", NULL};
	MYSQL_ROW r;
	size_t k;

	for (k = 0; k < 2; k++) {
		family(f, names[k], helps[k]);
		mysql_data_seek(res, 0);
		while ((r = mysql_fetch_row(res)) != NULL) {
			labels[1] = r[1];
			sample(f, names[k], labels, 1, k == 0 ? hosts_on(hosts, r[0]) : r[2]);
		}
	}
}

/*
 * One sample per fix value of a row of STMT_CVES: the issues with a fix available, and
 * the others. row NULL: an urgency no issue has, zeros.
 */
static void
cve_samples(FILE *f, const char *urgency, MYSQL_ROW row)
{
	const char *labels[4] = {"urgency", urgency, "fix", "available"};
	long long all = row ? strtoll(row[1], NULL, 10) : 0,
	          fixed = row ? strtoll(row[2], NULL, 10) : 0;
	char v[32];

	snprintf(v, sizeof(v), "%lld", fixed);
	sample(f, "debmonitor_vulnerabilities", labels, 2, v);
	labels[3] = "not_available";
	snprintf(v, sizeof(v), "%lld", all - fixed);
	sample(f, "debmonitor_vulnerabilities", labels, 2, v);
}

/* The row of STMT_CVES for urgency u, or NULL. */
static MYSQL_ROW
cve_row(MYSQL_RES *res, const char *u)
{
	MYSQL_ROW r;

	mysql_data_seek(res, 0);
	while ((r = mysql_fetch_row(res)) != NULL)
		if (strcmp(r[0], u) == 0)
			return r;
	return NULL;
}

static int
known_urgency(const char *u)
{
	size_t i;

	for (i = 0; i < NURGENCIES; i++)
		if (strcmp(urgencies[i], u) == 0)
			return 1;
	return 0;
}

/*
 * The issues by urgency and fix, each known pair shown (0 too) so that an alert on one
 * series never sees it vanish; before the first import nothing is shown, as no data is
 * not "no issues".
 */
static void
write_cves(FILE *f, MYSQL_ROW state, MYSQL_RES *res)
{
	MYSQL_ROW r;
	size_t i;

	family(f, "debmonitor_vulnerabilities",
	       "Security issues affecting at least one host or image, by urgency and whether a"
	       " fix is available, as debmonitor-cve last counted them; absent before its first"
	       " import.");
	for (i = 0; state != NULL && i < NURGENCIES; i++)
		cve_samples(f, urgencies[i], cve_row(res, urgencies[i]));
	mysql_data_seek(res, 0);
	while (state != NULL && (r = mysql_fetch_row(res)) != NULL)
		if (!known_urgency(r[0]))
			cve_samples(f, r[0], r);
	family(f, "debmonitor_vulnerabilities_imported_timestamp_seconds",
	       "When debmonitor-cve last imported the security tracker's data, in seconds since"
	       " the epoch; absent before the first import.");
	if (state != NULL && state[0] != NULL)
		sample(f, "debmonitor_vulnerabilities_imported_timestamp_seconds", NULL, 0,
		       state[0]);
	family(f, "debmonitor_vulnerabilities_counted_timestamp_seconds",
	       "When debmonitor-cve last counted the issues affecting the fleet, in seconds since"
	       " the epoch; absent before the first count.");
	if (state != NULL && state[1] != NULL)
		sample(f, "debmonitor_vulnerabilities_counted_timestamp_seconds", NULL, 0,
		       state[1]);
}

/* Runs every statement: 0, or an HTTP status. */
static int
query(struct dm_ctx *ctx, struct answer *a)
{
	size_t i;

	for (i = 0; i < STMT__MAX; i++)
		if (mysql_query(ctx->db, stmts[i]) != 0 ||
		    (a->res[i] = mysql_store_result(ctx->db)) == NULL)
			return dm_db_status(ctx->db);
	return 0;
}

static int
metrics(struct dm_ctx *ctx)
{
	struct answer a = {{NULL}};
	MYSQL_ROW total = NULL;
	size_t i;
	int status;

	if ((status = query(ctx, &a)) == 0 &&
	    ((total = mysql_fetch_row(a.res[STMT_TOTALS])) == NULL ||
	     mysql_num_fields(a.res[STMT_TOTALS]) != NTOTALS))
		status = 500;
	if (status == 0) {
		dm_respond(&ctx->res, 200, CONTENT_TYPE, NULL);
		write_by_os(ctx->res.out, a.res[STMT_BY_OS], a.res[STMT_HOSTS]);
		write_totals(ctx->res.out, total, a.res[STMT_HOSTS]);
		write_cves(ctx->res.out, mysql_fetch_row(a.res[STMT_CVE_STATE]), a.res[STMT_CVES]);
	}
	for (i = 0; i < STMT__MAX; i++)
		if (a.res[i] != NULL)
			mysql_free_result(a.res[i]);
	return status;
}

const struct dm_endpoint dm_ep_metrics = {
    .name = "metrics",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_METRICS,
    .needs_db = 1,
    .handler = metrics,
};
