/* hosts.c: GET /hosts/: the hosts with their OS, kernel, last update and package counts. */
#include "endpoints/endpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/version.h"
#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
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
    {"name", "h.name"},         {"os", "o.name"},
    {"kernel", "k.name"},       {"modified", "h.modified"},
    {"packages", "h.packages"}, {"upgrades", "h.upgrades"},
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

/* The version conditions, in P_VERSION_LT.. order: their names and what dpkg says. */
static const struct {
	const char *op;
	int lo, hi; /* dm_version_cmp(installed, V) within [lo, hi] */
} version_ops[] = {{"lt", -1, -1}, {"le", -1, 0}, {"eq", 0, 0}, {"ge", 0, 1}, {"gt", 1, 1}};
#define N_OPS (sizeof(version_ops) / sizeof(version_ops[0]))

/* What the filters say, once read. */
struct filters {
	struct dm_param p[P__FILTERS + DM_P__MAX];
	int op;              /* index in version_ops, or -1 */
	const char *version; /* its operand */
	const char *version_param; /* the parameter that gave it */
	unsigned long long *ids; /* package=: the package versions that pass, n_ids of them */
	size_t n_ids;
	struct dm_cve_oses oses;
	MYSQL_RES *os_names; /* for the form */
};

static const char *
value(const struct filters *fl, enum param p)
{
	const char *v = fl->p[p].value;

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int
bad(struct dm_ctx *ctx, const char *name, const char *v, const char *why)
{
	dm_bad_param(ctx, "%s: '%.64s' %s", name, v, why);
	return -1;
}

/* Whether s is an issue id as the tracker writes them: CVE-..., TEMP-... */
static int
issue_id_valid(const char *s)
{
	return (strncmp(s, "CVE-", 4) == 0 || strncmp(s, "TEMP-", 5) == 0) && strlen(s) <= 64 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == strlen(s);
}

/* Checks the filters' values: 0, or -1 after answering 400 naming the first bad one. */
static int
check(struct dm_ctx *ctx, struct filters *fl)
{
	const char *v, *why = NULL;
	size_t i;

	for (i = 0; i < P__FILTERS; i++)
		if ((v = value(fl, (enum param)i)) != NULL && strlen(v) > DM_NAME_MAX)
			return bad(ctx, fl->p[i].name, v, "is too long");
	if ((v = value(fl, P_UPGRADES)) != NULL && strcmp(v, "any") != 0 &&
	    strcmp(v, "security") != 0 && strcmp(v, "none") != 0)
		return bad(ctx, "upgrades", v, "is not one of any, security, none");
	if ((v = value(fl, P_STALE)) != NULL && strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
		return bad(ctx, "stale", v, "is not 1 or 0");
	if ((v = value(fl, P_CVE)) != NULL && !issue_id_valid(v))
		return bad(ctx, "cve", v, "is not an issue id (CVE-YYYY-NNNN, TEMP-...)");
	fl->op = -1;
	for (i = 0; i < N_OPS; i++) {
		if ((v = value(fl, (enum param)(P_VERSION_LT + i))) == NULL)
			continue;
		if (fl->op != -1)
			return bad(ctx, fl->p[P_VERSION_LT + i].name, v,
			           "with another version condition: give one");
		fl->op = (int)i;
		fl->version = v;
		fl->version_param = fl->p[P_VERSION_LT + i].name;
	}
	if ((v = value(fl, P_VERSION_OP)) != NULL || value(fl, P_VERSION) != NULL) {
		for (i = 0; v != NULL && i < N_OPS && strcmp(version_ops[i].op, v) != 0; i++)
			;
		if (v == NULL || i == N_OPS)
			return bad(ctx, "version_op", v ? v : "",
			           "is not one of lt, le, eq, ge, gt (with version=)");
		if (value(fl, P_VERSION) == NULL)
			return bad(ctx, "version", "", "is missing (with version_op=)");
		if (fl->op != -1)
			return bad(ctx, "version", value(fl, P_VERSION),
			           "with another version condition: give one");
		fl->op = (int)i;
		fl->version = value(fl, P_VERSION);
		fl->version_param = "version";
	}
	if (fl->op != -1 && value(fl, P_PACKAGE) == NULL)
		return bad(ctx, "package", "", "is missing: a version condition needs package=NAME");
	if (fl->op != -1 && !dm_version_valid(fl->version, &why))
		return bad(ctx, fl->version_param, fl->version, why);
	return 0;
}

/*
 * package=: the versions of the package that pass the version condition, compared in C
 * by dpkg's rules (a package has a few versions; the fleet's install rows are millions).
 * 0, or -1 on a database error or no memory.
 */
static int
package_versions(struct dm_sql *q, struct filters *fl)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int c;

	dm_sql_start(q,
	             "SELECT pv.id, pv.version FROM package p JOIN package_version pv"
	             " ON pv.package_id = p.id WHERE p.name = ?",
	             value(fl, P_PACKAGE));
	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	if ((fl->ids = calloc(mysql_num_rows(res) + 1, sizeof(*fl->ids))) == NULL) {
		mysql_free_result(res);
		return -1;
	}
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (fl->op != -1) {
			c = dm_version_cmp(row[1], fl->version);
			c = c < 0 ? -1 : c > 0;
			if (c < version_ops[fl->op].lo || c > version_ops[fl->op].hi)
				continue;
		}
		fl->ids[fl->n_ids++] = strtoull(row[0], NULL, 10);
	}
	mysql_free_result(res);
	return 0;
}

/* Appends the filters' conditions, each " AND ...", to the WHERE 1 of from. */
static void
where(struct dm_sql *q, const struct filters *fl)
{
	const char *v;
	char *like, *o;

	if ((v = value(fl, P_Q)) != NULL && (like = malloc(2 * strlen(v) + 3)) != NULL) {
		o = like;
		*o++ = '%';
		for (; *v; v++) {
			if (*v == '%' || *v == '_' || *v == '\\')
				*o++ = '\\';
			*o++ = *v;
		}
		*o++ = '%';
		*o = '\0';
		dm_sql_add(q, " AND h.name LIKE ?", like);
		free(like);
	}
	if ((v = value(fl, P_OS)) != NULL)
		dm_sql_add(q, " AND o.name = ?", v);
	if ((v = value(fl, P_KERNEL)) != NULL)
		dm_sql_add(q, " AND k.name = ?", v);
	if ((v = value(fl, P_UPGRADES)) != NULL)
		dm_sql_raw(q, strcmp(v, "any") == 0        ? " AND h.upgrades > 0"
		              : strcmp(v, "security") == 0 ? " AND h.security_upgrades > 0"
		                                           : " AND h.upgrades = 0");
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

static void
text_input(FILE *f, const char *label, const char *name, const char *v, const char *hint)
{
	fprintf(f, "<label>%s <input type=\"search\" name=\"%s\" placeholder=\"%s\" value=\"",
	        label, name, hint);
	dm_html_attr(f, v ? v : "");
	fputs("\"></label>\n", f);
}

static void
select_input(FILE *f, const char *label, const char *name, const char *v,
             const char *const (*options)[2], size_t n)
{
	size_t i;

	fprintf(f, "<label>%s <select name=\"%s\">", label, name);
	for (i = 0; i < n; i++) {
		fputs("<option value=\"", f);
		dm_html_attr(f, options[i][0]);
		fprintf(f, "\"%s>", strcmp(options[i][0], v ? v : "") == 0 ? " selected" : "");
		dm_html_txt(f, options[i][1]);
		fputs("</option>", f);
	}
	fputs("</select></label>\n", f);
}

/* The filters as a GET form: it works without JavaScript, empty fields meaning "any". */
static void
form(FILE *f, const struct dm_paging *pg)
{
	static const char *const upgrades[][2] = {
	    {"", "any or none"}, {"any", "some"}, {"security", "security"}, {"none", "none"}};
	static const char *const stale[][2] = {{"", "any"}, {"1", "stale"}, {"0", "reporting"}};
	static const char *const ops[][2] = {{"", ""},      {"lt", "<"},  {"le", "\u2264"},
	                                     {"eq", "="},   {"ge", "\u2265"}, {"gt", ">"}};
	const struct filters *fl = form_filters;
	const char *op = fl->op >= 0 ? version_ops[fl->op].op : "";
	const char *sort = pg->params[P__FILTERS + DM_P_SORT].value;
	const char *limit = pg->params[P__FILTERS + DM_P_LIMIT].value;
	MYSQL_ROW row;

	fputs("<form class=\"filters\" method=\"get\" action=\"/hosts/\">\n", f);
	text_input(f, "Name", "q", value(fl, P_Q), "part of the name");
	fputs("<label>OS <select name=\"os\"><option value=\"\">any</option>", f);
	while (fl->os_names != NULL && (row = mysql_fetch_row(fl->os_names)) != NULL) {
		fputs("<option", f);
		if (value(fl, P_OS) != NULL && strcmp(row[0], value(fl, P_OS)) == 0)
			fputs(" selected", f);
		fputs(">", f);
		dm_html_txt(f, row[0]);
		fputs("</option>", f);
	}
	fputs("</select></label>\n", f);
	text_input(f, "Kernel", "kernel", value(fl, P_KERNEL), "exact name");
	select_input(f, "Upgrades", "upgrades", value(fl, P_UPGRADES), upgrades, 4);
	select_input(f, "Reports", "stale", value(fl, P_STALE), stale, 3);
	text_input(f, "Package", "package", value(fl, P_PACKAGE), "installed, exact name");
	select_input(f, "Version", "version_op", op, ops, 6);
	text_input(f, "", "version", fl->version, "Debian version");
	text_input(f, "Vulnerable to", "cve", value(fl, P_CVE), "CVE-YYYY-NNNN");
	if (sort != NULL && sort[0] != '\0') {
		fputs("<input type=\"hidden\" name=\"sort\" value=\"", f);
		dm_html_attr(f, sort);
		fputs("\">", f);
	}
	if (limit != NULL && limit[0] != '\0') {
		fputs("<input type=\"hidden\" name=\"limit\" value=\"", f);
		dm_html_attr(f, limit);
		fputs("\">", f);
	}
	fputs("<button type=\"submit\">Filter</button> <a href=\"/hosts/\">Clear</a>\n</form>\n", f);
}

static int
answer(struct dm_ctx *ctx, struct filters *fl, struct dm_paging *pg, struct dm_sql *q)
{
	MYSQL_RES *res;
	int status;

	if (value(fl, P_PACKAGE) != NULL && package_versions(q, fl) == -1)
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
		dm_sql_start(q, "SELECT name FROM os ORDER BY name");
		if ((fl->os_names = dm_sql_query(q)) == NULL)
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
	if (strlen(ctx->req.query) >= sizeof(query)) {
		dm_bad_param(ctx, "the query string is longer than %zu bytes", sizeof(query) - 1);
		return 0;
	}
	snprintf(query, sizeof(query), "%s", ctx->req.query);
	if (dm_params(ctx, query, fl.p, P__FILTERS + DM_P__MAX) == -1)
		return 0;
	if (dm_paging_parse(ctx, &pg, fl.p, P__FILTERS + DM_P__MAX, sorts,
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
