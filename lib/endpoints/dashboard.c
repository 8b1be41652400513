/* dashboard.c: GET /: the fleet in numbers, each linking to the list it counts. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/escape.h"
#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/json.h"
#include "web/page.h"

/*
 * Counts of the small tables and sums of the counters the ingest keeps on the host and
 * image rows: no request ever aggregates host_package.
 */
static const char stmt[] =
    "SELECT (SELECT COUNT(*) FROM host), (SELECT COUNT(*) FROM image),"
    " (SELECT COUNT(*) FROM kernel_version), (SELECT COUNT(*) FROM package),"
    " (SELECT COUNT(*) FROM source_package), (SELECT COUNT(*) FROM package_version),"
    " (SELECT COUNT(*) FROM host WHERE upgrades > 0),"
    " (SELECT COUNT(*) FROM host WHERE security_upgrades > 0),"
    " (SELECT COUNT(*) FROM image WHERE upgrades > 0),"
    " (SELECT COUNT(*) FROM image WHERE security_upgrades > 0),"
    " (SELECT COALESCE(SUM(upgrades), 0) FROM host)"
    " + (SELECT COALESCE(SUM(upgrades), 0) FROM image),"
    " (SELECT COALESCE(SUM(security_upgrades), 0) FROM host)"
    " + (SELECT COALESCE(SUM(security_upgrades), 0) FROM image),"
    " (SELECT " DM_SQL_ISO("MAX(modified)") " FROM host), (SELECT " DM_SQL_ISO(
        "MIN(modified)") " FROM host), (SELECT COUNT(*) FROM host"
                         " WHERE modified < UTC_TIMESTAMP() - INTERVAL 1 DAY)";

/*
 * The hosts per OS, by the host table's key on os_id: one count per OS that has hosts,
 * and whether its release is past its end of life (between the two halves).
 */
static const char os_head[] = "SELECT o.name, h.hosts, ";
static const char os_tail[] = " FROM os o JOIN (SELECT os_id, COUNT(*) AS hosts FROM host"
                              " GROUP BY os_id) h ON h.os_id = o.id ORDER BY o.name";

/* The most hosts listed; the count says how many there are. */
#define HIGH_LIST_MAX 50
#define HIGH_LIST_MAX_SQL "50"

/*
 * The hosts a high-urgency issue with a fix available affects, as debmonitor-cve last
 * counted them (cve_host): the HIGH_LIST_MAX with the most, each row with the number of
 * all. At fleet scale such issues affect millions of (host, issue) pairs: too many to
 * gather for a page.
 */
static const char high_stmt[] =
    "SELECT h.name, c.high_fixable, (SELECT COUNT(*) FROM cve_host WHERE high_fixable > 0)"
    " FROM cve_host c JOIN host h ON h.id = c.host_id WHERE c.high_fixable > 0"
    " ORDER BY c.high_fixable DESC, h.name LIMIT " HIGH_LIST_MAX_SQL;

/* What the dashboard says of security: from the tracker's data and Debian's release table. */
struct security {
	struct dm_cve_oses oses;
	MYSQL_RES *high;      /* the hosts of high-urgency issues with a fix (HIGH_LIST_MAX) */
	long long high_total; /* how many there are */
	MYSQL_RES *state;     /* imported, issues affecting the fleet, hosts past end of life */
	MYSQL_ROW st;
	MYSQL_RES *by_os; /* OS name, hosts, past end of life (0 or 1) */
};

/*
 * One number of the dashboard, in select order; is_time: a time, null without hosts.
 * link: the list it counts, filtered so that its total is the number (times: the list
 * sorted so that the host it dates comes first; pending upgrades: the packages that have
 * them, as the number counts installs, not packages).
 */
struct card {
	const char *key;
	const char *title;
	const char *link;
	int is_time;
};

static const struct card cards[] = {
    {"hosts", "Hosts", "/hosts/", 0},
    {"images", "Images", "/images/", 0},
    {"kernels", "Running kernels", "/kernels/", 0},
    {"packages", "Packages", "/packages/", 0},
    {"source_packages", "Source packages", "/source-packages/", 0},
    {"package_versions", "Package versions", "/packages/", 0},
    {"hosts_with_upgrades", "Hosts with upgrades", "/hosts/?upgrades=any", 0},
    {"hosts_with_security_upgrades", "Hosts with security upgrades", "/hosts/?upgrades=security",
     0},
    {"images_with_upgrades", "Images with upgrades", "/images/?upgrades=any", 0},
    {"images_with_security_upgrades", "Images with security upgrades", "/images/?upgrades=security",
     0},
    {"pending_upgrades", "Pending upgrades", "/packages/?upgrades=any", 0},
    {"pending_security_upgrades", "Pending security upgrades", "/packages/?upgrades=security", 0},
    {"newest_host_update", "Newest host update", "/hosts/?sort=-modified", 1},
    {"oldest_host_update", "Oldest host update", "/hosts/?sort=modified", 1},
    {"stale_hosts", "Stale hosts (no report for a day)", "/hosts/?stale=1", 0},
};

#define NCARDS (sizeof(cards) / sizeof(cards[0]))

/* 0, or -1 on an error (the database's, or the release table's: said on stderr). */
static int
security_query(struct dm_ctx *ctx, struct security *sec)
{
	char err[512];
	struct dm_sql q;
	MYSQL_ROW row;
	int rc = 0;

	if (dm_cve_oses_load(&sec->oses, ctx->db, &ctx->cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "debmonitor: %s\n", err);
		return -1;
	}
	dm_sql_init(&q, ctx->db);
	dm_sql_start(
	    &q,
	    "SELECT (SELECT " DM_SQL_ISO(
	        "imported") " FROM cve_state WHERE id = 1),"
	                    " (SELECT COUNT(*) FROM cve_count), (SELECT COUNT(*) FROM host WHERE ");
	dm_cve_oses_eol_sql(&q, &sec->oses, "os_id");
	dm_sql_raw(&q, ")");
	if ((sec->state = dm_sql_query(&q)) == NULL ||
	    (sec->st = mysql_fetch_row(sec->state)) == NULL)
		rc = -1;
	if (rc == 0) {
		dm_sql_start(&q, os_head);
		dm_cve_oses_eol_sql(&q, &sec->oses, "o.id");
		dm_sql_raw(&q, os_tail);
		if ((sec->by_os = dm_sql_query(&q)) == NULL)
			rc = -1;
	}
	if (rc == 0) {
		dm_sql_start(&q, high_stmt);
		if ((sec->high = dm_sql_query(&q)) == NULL)
			rc = -1;
		else if ((row = mysql_fetch_row(sec->high)) != NULL)
			sec->high_total = strtoll(row[2], NULL, 10);
		if (sec->high != NULL)
			mysql_data_seek(sec->high, 0);
	}
	dm_sql_free(&q);
	return rc;
}

static void
security_free(struct security *sec)
{
	if (sec->high != NULL)
		mysql_free_result(sec->high);
	if (sec->state != NULL)
		mysql_free_result(sec->state);
	if (sec->by_os != NULL)
		mysql_free_result(sec->by_os);
	dm_cve_oses_free(&sec->oses);
}

/* The first HIGH_LIST_MAX rows of the hosts with high-urgency fixes waiting, as JSON. */
static json_t *
high_json(MYSQL_RES *res)
{
	json_t *list = json_array();
	MYSQL_ROW r;
	size_t n = 0;

	while (list != NULL && n++ < HIGH_LIST_MAX && (r = mysql_fetch_row(res)) != NULL)
		if (json_array_append_new(list, json_pack("{s:s, s:I}", "host", r[0], "issues",
		                                          (json_int_t)strtoll(r[1], NULL, 10))) ==
		    -1) {
			json_decref(list);
			list = NULL;
		}
	return list;
}

/* The hosts per OS as JSON: [{"os", "hosts", "end_of_life"}, ...], or NULL (no memory). */
static json_t *
by_os_json(MYSQL_RES *res)
{
	json_t *list = json_array();
	MYSQL_ROW r;

	mysql_data_seek(res, 0);
	while (list != NULL && (r = mysql_fetch_row(res)) != NULL)
		if (json_array_append_new(list, json_pack("{s:s, s:I, s:b}", "os", r[0], "hosts",
		                                          (json_int_t)strtoll(r[1], NULL, 10),
		                                          "end_of_life", r[2][0] == '1')) == -1) {
			json_decref(list);
			list = NULL;
		}
	return list;
}

/* The security members of the dashboard's JSON: 0, or -1 when out of memory. */
static int
security_json(json_t *o, struct security *sec)
{
	json_t *list = high_json(sec->high), *by_os = by_os_json(sec->by_os);

	if (by_os == NULL || json_object_set_new(o, "hosts_by_os", by_os) == -1) {
		json_decref(list);
		return -1;
	}
	return list == NULL ||
	               json_object_set_new(o, "cve_imported",
	                                   sec->st[0] ? json_string(sec->st[0]) : json_null()) ==
	                   -1 ||
	               json_object_set_new(o, "cves_affecting",
	                                   json_integer(strtoll(sec->st[1], NULL, 10))) == -1 ||
	               json_object_set_new(o, "hosts_end_of_life",
	                                   json_integer(strtoll(sec->st[2], NULL, 10))) == -1 ||
	               json_object_set_new(o, "hosts_with_high_fixes",
	                                   json_integer(sec->high_total)) == -1 ||
	               json_object_set_new(o, "hosts_with_high_fixes_list", list) == -1
	           ? -1
	           : 0;
}

/* The first HIGH_LIST_MAX rows as a table. */
static void
high_html(FILE *f, MYSQL_RES *res)
{
	MYSQL_ROW r;
	size_t n = 0;

	fputs("<table>\n<thead><tr><th>Host</th><th class=\"num\">High-urgency issues with a fix"
	      "</th></tr></thead>\n<tbody>\n",
	      f);
	while (n++ < HIGH_LIST_MAX && (r = mysql_fetch_row(res)) != NULL) {
		fputs("<tr><td><a href=\"/hosts/", f);
		dm_url_arg(f, r[0]);
		fputs("#vulnerabilities\">", f);
		dm_html_txt(f, r[0]);
		fputs("</a></td><td class=\"num\">", f);
		dm_html_txt(f, r[1]);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* A card per OS, linking to its hosts; a badge on those past their end of life. */
static void
by_os_html(FILE *f, MYSQL_RES *res)
{
	MYSQL_ROW r;

	fputs("<h2 id=\"os\">Hosts by OS</h2>\n<div class=\"cards\">\n", f);
	mysql_data_seek(res, 0);
	while ((r = mysql_fetch_row(res)) != NULL) {
		fputs("<a class=\"card\" href=\"/hosts/?os=", f);
		dm_url_arg(f, r[0]);
		fputs("\"><span class=\"value\">", f);
		dm_html_txt(f, r[1]);
		fputs("</span><span class=\"title\">", f);
		dm_html_txt(f, r[0]);
		if (r[2][0] == '1')
			fputs(" <span class=\"badge\">end of life</span>", f);
		fputs("</span></a>\n", f);
	}
	fputs("</div>\n", f);
}

static void
security_html(FILE *f, struct security *sec)
{
	static const char *const titles[] = {"Security tracker data imported",
	                                     "Issues affecting the fleet",
	                                     "Hosts past end of life"};
	static const char *const ids[] = {"cve_imported", "cves_affecting", "hosts_end_of_life"};
	size_t i;

	fputs("<h2>Security</h2>\n<div class=\"cards\">\n", f);
	for (i = 0; i < 3; i++) {
		fprintf(f, "<a class=\"card%s\" href=\"%s\" id=\"%s\"><span class=\"value\">",
		        i == 0 ? " time" : "", i == 2 ? "#os" : "/cves/", ids[i]);
		dm_html_txt(f, sec->st[i] != NULL ? sec->st[i] : "never");
		fprintf(f, "</span><span class=\"title\">%s</span></a>\n", titles[i]);
	}
	fprintf(f,
	        "<a class=\"card\" href=\"#high\" id=\"hosts_with_high_fixes\"><span "
	        "class=\"value\">%lld</span><span class=\"title\">Hosts with high-urgency fixes"
	        " waiting</span></a>\n</div>\n",
	        sec->high_total);
	if (sec->high_total == 0)
		return;
	fputs("<h2 id=\"high\">Hosts with high-urgency fixes waiting</h2>\n", f);
	if (sec->high_total > HIGH_LIST_MAX)
		fprintf(f, "<p class=\"note\">The %d with the most, of %lld.</p>\n", HIGH_LIST_MAX,
		        sec->high_total);
	high_html(f, sec->high);
}

static void
dashboard_json(struct dm_ctx *ctx, MYSQL_ROW r, struct security *sec)
{
	json_t *o = json_object(), *v;
	json_error_t e;
	char *text;
	size_t i;

	/* Numbers and times: only memory can run out. */
	snprintf(e.text, sizeof(e.text), "out of memory");
	for (i = 0; o != NULL && i < NCARDS; i++) {
		if (r[i] == NULL)
			v = json_null();
		else if (cards[i].is_time)
			v = json_string(r[i]);
		else
			v = json_integer(strtoll(r[i], NULL, 10));
		if (json_object_set_new(o, cards[i].key, v) == -1) {
			json_decref(o);
			o = NULL;
		}
	}
	if (o != NULL && security_json(o, sec) == -1) {
		json_decref(o);
		o = NULL;
	}
	if ((text = dm_json_answer(ctx, "dashboard", o, &e)) == NULL)
		return;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	fputs(text, ctx->res.out);
	fputc('\n', ctx->res.out);
	free(text);
}

static void
dashboard_html(struct dm_ctx *ctx, MYSQL_ROW r, struct security *sec)
{
	FILE *f = ctx->res.out;
	size_t i;

	dm_page_begin(ctx, 200, "Dashboard");
	fputs("<div class=\"cards\">\n", f);
	for (i = 0; i < NCARDS; i++) {
		fprintf(f, "<a class=\"card%s\" href=\"", cards[i].is_time ? " time" : "");
		dm_html_attr(f, cards[i].link);
		fprintf(f, "\" id=\"%s\"><span class=\"value\">", cards[i].key);
		dm_html_txt(f, r[i] != NULL ? r[i] : "never");
		fprintf(f, "</span><span class=\"title\">%s</span></a>\n", cards[i].title);
	}
	fputs("</div>\n", f);
	by_os_html(f, sec->by_os);
	security_html(f, sec);
	dm_page_end(ctx);
}

static int
dashboard(struct dm_ctx *ctx)
{
	struct security sec = {0};
	MYSQL_RES *res;
	MYSQL_ROW r;
	int status = 0;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_store_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	if ((r = mysql_fetch_row(res)) == NULL || mysql_num_fields(res) != NCARDS)
		status = 500;
	else if (security_query(ctx, &sec) == -1)
		status = mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	else if (ctx->req.wants_json)
		dashboard_json(ctx, r, &sec);
	else
		dashboard_html(ctx, r, &sec);
	security_free(&sec);
	mysql_free_result(res);
	return status;
}

const struct dm_endpoint dm_ep_dashboard = {
    .name = "dashboard",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = dashboard,
};
