/* hosts.c: GET /hosts/: the hosts with their OS, kernel, last update and package counts. */
#include "endpoints/endpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/paging.h"

/*
 * The counts live on the host row (kept by the ingest): no scan of host_package, for the
 * list or its filters, but for package= and cve=, which go through the install table's
 * version index. Whether the OS's release is past its end of life comes from Debian's
 * release table, as a list of os ids between the two halves.
 */
static const char head[] = "SELECT h.name, ";
static const char cols_sql[] =
    ", o.name, k.name, h.modified < UTC_TIMESTAMP() - INTERVAL 1 DAY, " DM_SQL_ISO(
        "h.modified") ", h.packages, h.upgrades, h.security_upgrades";
/*
 * Host first, then its OS and kernel: MariaDB would start from the few kernels and sort
 * every host (56 ms at 10,000 hosts) where reading hosts in order or keeping the best 201
 * takes 11. The count joins only what its filters need.
 */
static const char from[] = " FROM host h STRAIGHT_JOIN os o ON o.id = h.os_id"
                           " STRAIGHT_JOIN kernel_version k ON k.id = h.kernel_id WHERE 1";

static const struct dm_col cols[] = {
    {"name", "Host", DM_COL_STR, "/hosts/"},
    /* Its release gets no security updates any more, not even from Debian LTS. */
    {"end_of_life", "end of life", DM_COL_FLAG, NULL},
    {"os", "OS", DM_COL_STR, NULL},
    {"kernel", "Kernel", DM_COL_STR, NULL},
    /* Not updated for more than a day: its reports stopped. */
    {"stale", "stale", DM_COL_FLAG, NULL},
    {"modified", "Last update", DM_COL_TIME, NULL},
    {"packages", "Packages", DM_COL_INT, NULL},
    {"upgrades", "Upgrades", DM_COL_INT, NULL},
    {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

static const struct dm_sort sorts[] = {
    {"name", "h.name"},
    {"os", "o.name"},
    {"kernel", "k.name"},
    {"modified", "h.modified"},
    {"packages", "h.packages"},
    {"upgrades", "h.upgrades"},
    {"security_upgrades", "h.security_upgrades"},
};

enum param {
	P_Q,
	P_OS,
	P_KERNEL,
	P_UPGRADES,
	P_STALE,
	P_PACKAGE,
	P_VERSION_LT,
	P_VERSION_LE,
	P_VERSION_EQ,
	P_VERSION_GE,
	P_VERSION_GT,
	P_VERSION_OP, /* the form's way: version_op=lt&version=V */
	P_VERSION,
	P_CVE,
	P__FILTERS
};

/* What the filters say, once read. */
struct filters {
	struct dm_param p[P__FILTERS + DM_P__MAX];
	struct dm_vcond vc;
	unsigned long long *ids; /* package=: the package versions that pass, n_ids of them */
	size_t n_ids;
	struct dm_cve_oses oses;
	MYSQL_RES *os_names; /* for the form */
};

static const char *
value(const struct filters *fl, enum param p)
{
	return dm_filter_value(&fl->p[p]);
}

/*
 * Checks what dm_filters_read does not: stale= and the version condition. 0, or -1 after
 * answering 400 naming the bad one.
 */
static int
check(struct dm_ctx *ctx, struct filters *fl)
{
	const char *v;

	if ((v = value(fl, P_STALE)) != NULL && strcmp(v, "1") != 0 && strcmp(v, "0") != 0) {
		dm_bad_param(ctx, "stale: '%.64s' is not 1 or 0", v);
		return -1;
	}
	return dm_vcond_parse(ctx, &fl->p[P_VERSION_LT], value(fl, P_PACKAGE), &fl->vc);
}

/* Appends the filters' conditions, each " AND ...", to the WHERE 1 of from. */
static void
where(struct dm_sql *q, const struct filters *fl)
{
	const char *v;

	if ((v = value(fl, P_Q)) != NULL)
		dm_filter_q(q, "h.name", v);
	if ((v = value(fl, P_OS)) != NULL)
		dm_sql_add(q, " AND o.name = ?", v);
	if ((v = value(fl, P_KERNEL)) != NULL)
		dm_sql_add(q, " AND k.name = ?", v);
	if ((v = value(fl, P_UPGRADES)) != NULL)
		dm_filter_upgrades(q, "h", v);
	if ((v = value(fl, P_STALE)) != NULL)
		dm_sql_raw(q, strcmp(v, "1") == 0
		                  ? " AND h.modified < UTC_TIMESTAMP() - INTERVAL 1 DAY"
		                  : " AND h.modified >= UTC_TIMESTAMP() - INTERVAL 1 DAY");
	if (value(fl, P_PACKAGE) != NULL && fl->n_ids == 0)
		dm_sql_raw(q, " AND 0");
	if (value(fl, P_PACKAGE) != NULL && fl->n_ids > 0) {
		dm_sql_raw(q, " AND h.id IN (SELECT e.host_id FROM host_package e"
		              " WHERE e.package_version_id IN (");
		dm_sql_ids(q, fl->ids, fl->n_ids);
		dm_sql_raw(q, ")");
	}
	if ((v = value(fl, P_CVE)) != NULL) {
		dm_sql_raw(q, " AND ");
		dm_cve_hosts_sql(q, &fl->oses, v, "h.id", "h.kernel_id");
	}
}

/* The filters of the page's form, read by form() (one request per process). */
static const struct filters *form_filters;

/* The filters as a GET form: it works without JavaScript, empty fields meaning "any". */
static void
form(FILE *f, const struct dm_paging *pg)
{
	static const char *const stale[][2] = {{"", "any"}, {"1", "stale"}, {"0", "reporting"}};
	const struct filters *fl = form_filters;

	dm_form_open(f, "/hosts/");
	dm_form_text(f, "Name", "q", value(fl, P_Q), "part of the name");
	dm_form_os(f, fl->os_names, value(fl, P_OS));
	dm_form_text(f, "Kernel", "kernel", value(fl, P_KERNEL), "exact name");
	dm_form_upgrades(f, value(fl, P_UPGRADES));
	dm_form_select(f, "Reports", "stale", value(fl, P_STALE), stale, 3);
	dm_form_text(f, "Package", "package", value(fl, P_PACKAGE), "installed, exact name");
	dm_form_vcond(f, &fl->vc);
	dm_form_text(f, "Vulnerable to", "cve", value(fl, P_CVE), "CVE-YYYY-NNNN");
	dm_form_close(f, pg, "/hosts/");
}

static int
answer_sorted(struct dm_ctx *ctx, struct filters *fl, struct dm_paging *pg, struct dm_sql *q)
{
	MYSQL_RES *res;
	int status;

	if (value(fl, P_PACKAGE) != NULL &&
	    dm_vcond_ids(q, value(fl, P_PACKAGE), &fl->vc, &fl->ids, &fl->n_ids) == -1)
		return dm_db_status(ctx->db);
	dm_sql_start(q, "SELECT COUNT(*) FROM host h");
	if (value(fl, P_OS) != NULL)
		dm_sql_raw(q, " JOIN os o ON o.id = h.os_id");
	if (value(fl, P_KERNEL) != NULL)
		dm_sql_raw(q, " JOIN kernel_version k ON k.id = h.kernel_id");
	dm_sql_raw(q, " WHERE 1");
	where(q, fl);
	if (dm_paging_count(q, pg) == -1)
		return dm_db_status(ctx->db);
	if (pg->format == DM_FORMAT_HTML) {
		if ((fl->os_names = dm_form_os_query(q)) == NULL)
			return dm_db_status(ctx->db);
	}
	dm_sql_start(q, head);
	dm_cve_oses_eol_sql(q, &fl->oses, "h.os_id");
	dm_sql_raw(q, cols_sql);
	dm_paging_select(q, pg);
	dm_sql_raw(q, from);
	where(q, fl);
	dm_paging_where(q, pg);
	dm_paging_order(q, pg);
	if ((res = pg->limit > 0 ? dm_sql_query(q) : dm_sql_stream(q)) == NULL)
		return dm_db_status(ctx->db);
	form_filters = fl;
	status = dm_listing_paged(ctx, "Hosts", "hosts", res, cols, sizeof(cols) / sizeof(cols[0]),
	                          pg, form);
	mysql_free_result(res);
	return status;
}

/*
 * sort=os (sort=kernel) as the host row's own expression, "CASE h.os_id WHEN 1 THEN
 * 'Debian 11' ... END" in the names' collation, into by (its text then the sort's SQL):
 * with every ORDER BY column of the first table, MariaDB sorts the host rows alone and
 * joins the page's 201, where sorting by o.name joined all 10,000 first (64 ms; 59 for
 * k.name). The OSes and kernels are few (a fleet runs some dozens of kernels). select
 * reads their ids and names, column is the host's. 0, or -1 (a database error).
 */
static int
own_sort(struct dm_sql *q, struct dm_sql *by, const char *select, const char *column)
{
	MYSQL_RES *res;
	MYSQL_ROW r;

	dm_sql_start(q, select);
	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	dm_sql_raw(by, "CONVERT(CASE ");
	dm_sql_raw(by, column);
	while ((r = mysql_fetch_row(res)) != NULL) {
		dm_sql_add(by, " WHEN # THEN ?", strtoull(r[0], NULL, 10), r[1]);
	}
	dm_sql_raw(by, " ELSE '' END USING utf8mb4) COLLATE utf8mb4_nopad_bin");
	mysql_free_result(res);
	return by->failed ? -1 : 0;
}

static int
answer(struct dm_ctx *ctx, struct filters *fl, struct dm_paging *pg, struct dm_sql *q)
{
	struct dm_sort own[sizeof(sorts) / sizeof(sorts[0])];
	int os = strcmp(pg->sort->key, "os") == 0, kernel = strcmp(pg->sort->key, "kernel") == 0;
	struct dm_sql by;
	int status;

	dm_sql_init(&by, ctx->db);
	if (os || kernel) {
		if (own_sort(q, &by,
		             os ? "SELECT id, name FROM os" : "SELECT id, name FROM kernel_version",
		             os ? "h.os_id" : "h.kernel_id") == -1) {
			dm_sql_free(&by);
			return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
		}
		memcpy(own, sorts, sizeof(sorts));
		own[pg->sort - pg->sorts].sql = by.b.data;
		pg->sort = &own[pg->sort - pg->sorts];
		pg->sorts = own;
	}
	status = answer_sorted(ctx, fl, pg, q);
	dm_sql_free(&by);
	return status;
}

static int
hosts(struct dm_ctx *ctx)
{
	static const char *const names[P__FILTERS] = {
	    "q",          "os",         "kernel",     "upgrades",   "stale",
	    "package",    "version_lt", "version_le", "version_eq", "version_ge",
	    "version_gt", "version_op", "version",    "cve"};
	static const struct dm_param paging[DM_P__MAX] = {DM_PAGING_PARAMS};
	struct filters fl = {0};
	struct dm_paging pg;
	char query[4096], err[512];
	struct dm_sql q;
	size_t i;
	int status;

	for (i = 0; i < P__FILTERS; i++)
		fl.p[i].name = names[i];
	for (i = 0; i < DM_P__MAX; i++)
		fl.p[P__FILTERS + i] = paging[i];
	if (dm_filters_read(ctx, query, sizeof(query), fl.p, P__FILTERS, &pg, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), "h.name") == -1 ||
	    check(ctx, &fl) == -1) {
		dm_paging_free(&pg);
		return 0;
	}
	if (dm_cve_oses_load(&fl.oses, ctx->db, &ctx->cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "debmonitor: %s\n", err);
		dm_paging_free(&pg);
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	}
	dm_sql_init(&q, ctx->db);
	status = answer(ctx, &fl, &pg, &q);
	dm_sql_free(&q);
	if (fl.os_names != NULL)
		mysql_free_result(fl.os_names);
	free(fl.ids);
	dm_cve_oses_free(&fl.oses);
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_hosts = {
    .name = "hosts",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = hosts,
};
