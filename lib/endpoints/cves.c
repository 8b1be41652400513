/* cves.c: GET /cves/: the security issues that affect the fleet, counted, filtered, paged. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "cgi/params.h"
#include "core/escape.h"
#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/json.h"
#include "web/listing.h"
#include "web/paging.h"
#include "web/page.h"

/*
 * cve_count holds only issues that affect something; the counts are debmonitor-cve's of
 * cve_state.counted (a pass over every package row is too long for a page).
 */
#define STATUS                                                                                     \
	"CASE WHEN c.hosts_fixable + c.images_fixable > 0 THEN 'fix available'"                    \
	" WHEN c.states & 2 THEN 'no fix yet' ELSE 'undetermined' END"
static const char select_head[] = "SELECT i.name, c.urgency, " STATUS ","
                                  " c.hosts, c.images, c.hosts_fixable, c.images_fixable";
/*
 * Ties go by the id, cve_count's own key: with every ORDER BY column of the
 * first table, MariaDB keeps the best 201 counts and joins their names, where a tie by
 * name joined all 13,000 (27 ms, 8 with the id). By name, the names' index is read in
 * order and each name's count looked up.
 */
static const char from[] = " FROM cve_count c JOIN cve_issue i ON i.id = c.issue_id WHERE 1";
static const char from_names[] =
    " FROM cve_issue i STRAIGHT_JOIN cve_count c ON c.issue_id = i.id WHERE 1";
static const char state_stmt[] =
    "SELECT " DM_SQL_ISO("imported") ", " DM_SQL_ISO("counted") " FROM cve_state WHERE id = 1";

static const struct dm_col cols[] = {
    {"issue", "Issue", DM_COL_STR, "/cves/"},
    {"urgency", "Urgency", DM_COL_STR, NULL},
    {"status", "Status", DM_COL_STR, NULL},
    {"hosts", "Hosts", DM_COL_INT, NULL},
    {"images", "Images", DM_COL_INT, NULL},
    {"hosts_fixable", "Hosts with a fix", DM_COL_INT, NULL},
    {"images_fixable", "Images with a fix", DM_COL_INT, NULL},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* The values of ?urgency= (the tracker's words, without stars). */
static const char *const urgencies[][2] = {
    {"", "any"},
    {"high", "high"},
    {"medium", "medium"},
    {"low", "low"},
    {"unimportant", "unimportant"},
    {"not yet assigned", "not yet assigned"},
    {"end-of-life", "end-of-life"},
};
#define NURGENCIES (sizeof(urgencies) / sizeof(urgencies[0]))
static const char *const fixes[][2] = {
    {"", "any"}, {"available", "available"}, {"none", "none yet"}};

/*
 * sort= on every column; urgency, the default, is the most urgent first, then the most
 * hosts and images (its value one string, ascending: 9 less the rank, then 9,999,999,999
 * less the count), ties by the id.
 */
static const struct dm_sort sorts[] = {
    {"urgency", "CONCAT(9 - " DM_SQL_CVE_URGENCY_RANK(
                    "c.urgency") ","
                                 " LPAD(9999999999 - c.hosts - c.images, 10, '0'))"},
    {"issue", "i.name"},
    {"status", STATUS},
    {"hosts", "c.hosts"},
    {"images", "c.images"},
    {"hosts_fixable", "c.hosts_fixable"},
    {"images_fixable", "c.images_fixable"},
};

enum param { P_URGENCY, P_FIX, P__FILTERS };

/* Checks the filters' values: 0, or -1 after answering 400. */
static int
check(struct dm_ctx *ctx, const struct dm_param *p)
{
	const char *u = dm_filter_value(&p[P_URGENCY]), *fix = dm_filter_value(&p[P_FIX]);
	size_t i;

	for (i = 1; u != NULL && i < NURGENCIES && strcmp(u, urgencies[i][0]) != 0; i++)
		continue;
	if (u != NULL && i == NURGENCIES) {
		dm_bad_param(ctx, "urgency: must be high, medium, low, unimportant, not yet"
		                  " assigned or end-of-life");
		return -1;
	}
	if (fix != NULL && strcmp(fix, "available") != 0 && strcmp(fix, "none") != 0) {
		dm_bad_param(ctx, "fix: must be available or none");
		return -1;
	}
	return 0;
}

/* Appends the filters' conditions, each " AND ...". */
static void
where(struct dm_sql *q, const struct dm_param *p)
{
	const char *u = dm_filter_value(&p[P_URGENCY]), *fix = dm_filter_value(&p[P_FIX]);

	if (u != NULL)
		dm_sql_add(q, " AND c.urgency = ?", u);
	if (fix != NULL)
		dm_sql_raw(q, strcmp(fix, "available") == 0
		                  ? " AND c.hosts_fixable + c.images_fixable > 0"
		                  : " AND c.hosts_fixable + c.images_fixable = 0");
}

/* cve_state's times, or NULLs: 0, or -1 on a database error. */
static int
state(struct dm_ctx *ctx, MYSQL_RES **res, MYSQL_ROW *row)
{
	if (mysql_query(ctx->db, state_stmt) != 0 || (*res = mysql_store_result(ctx->db)) == NULL)
		return -1;
	*row = mysql_fetch_row(*res);
	return 0;
}

static void
cves_json(struct dm_ctx *ctx, const struct dm_paging *pg, MYSQL_ROW st, struct dm_page *page)
{
	FILE *f = ctx->res.out;

	dm_listing_respond(ctx, pg, "cves", page);
	fputc('{', f);
	dm_json_member(f, 1, "imported", st ? st[0] : NULL);
	dm_json_member(f, 0, "counted", st ? st[1] : NULL);
	fputs(",", f);
	if (dm_listing_json_part(f, pg, page, "cves", cols, NCOLS) == 0)
		fputs("}\n", f);
}

static void
cves_html(struct dm_ctx *ctx, const struct dm_paging *pg, const struct dm_param *p, MYSQL_ROW st,
          struct dm_page *page)
{
	FILE *f = ctx->res.out;

	dm_page_begin(ctx, 200, "Vulnerabilities");
	if (st == NULL) {
		fputs("<p class=\"not-covered\">No security tracker data has been imported yet: run"
		      " debmonitor-cve(8).</p>\n",
		      f);
	} else {
		fputs("<p class=\"note\">Issues of the Debian security tracker (data imported ", f);
		dm_html_txt(f, st[0]);
		fputs(") that affect at least one host or image, as counted ", f);
		dm_html_txt(f, st[1] ? st[1] : "never");
		fputs(". Host, image and issue pages show the exposure as it is now.</p>\n", f);
	}
	dm_form_open(f, "/cves/");
	dm_form_select(f, "Urgency", "urgency", p[P_URGENCY].value, urgencies, NURGENCIES);
	dm_form_select(f, "Fix", "fix", p[P_FIX].value, fixes, sizeof(fixes) / sizeof(fixes[0]));
	dm_form_close(f, pg, "/cves/");
	dm_listing_html_part(f, ctx, pg, page, cols, NCOLS, NULL);
	dm_page_end(ctx);
}

/* The list, counted, as the request asks: 0, or a status. */
static int
answer(struct dm_ctx *ctx, struct dm_paging *pg, const struct dm_param *p, MYSQL_ROW st,
       struct dm_sql *q)
{
	struct dm_page page;
	MYSQL_RES *res;
	int rc = 0;

	dm_sql_start(q, "SELECT COUNT(*) FROM cve_count c WHERE 1");
	where(q, p);
	if (dm_paging_count(q, pg) == -1)
		return dm_db_status(ctx->db);
	dm_sql_start(q, select_head);
	dm_paging_select(q, pg);
	dm_sql_raw(q, strcmp(pg->sort->key, "issue") == 0 ? from_names : from);
	where(q, p);
	dm_paging_where(q, pg);
	dm_paging_order(q, pg);
	if ((res = pg->limit > 0 ? dm_sql_query(q) : dm_sql_stream(q)) == NULL)
		return dm_db_status(ctx->db);
	if (dm_listing_read(ctx, pg, res, NCOLS, &page) == -1) {
		rc = 500;
	} else if (pg->format == DM_FORMAT_CSV) {
		dm_listing_respond(ctx, pg, "cves", &page);
		rc = dm_listing_csv_part(ctx->res.out, &page, cols, NCOLS) == -1 ? -1 : 0;
	} else if (pg->format == DM_FORMAT_JSON) {
		cves_json(ctx, pg, st, &page);
	} else {
		cves_html(ctx, pg, p, st, &page);
	}
	if (rc == 0 && pg->limit == 0 && dm_sql_stream_end(ctx->db) == -1)
		rc = -1;
	dm_listing_page_free(&page);
	mysql_free_result(res);
	return rc == -1 ? dm_db_status(ctx->db) : rc;
}

static int
cves(struct dm_ctx *ctx)
{
	struct dm_param p[P__FILTERS + DM_P__MAX] = {
	    {"urgency", NULL}, {"fix", NULL}, DM_PAGING_PARAMS};
	MYSQL_RES *st = NULL;
	struct dm_paging pg;
	MYSQL_ROW row = NULL;
	struct dm_sql q;
	char query[4096];
	int status = 0;

	if (dm_filters_read(ctx, query, sizeof(query), p, P__FILTERS, &pg, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), "c.issue_id") == -1 ||
	    check(ctx, p) == -1) {
		dm_paging_free(&pg);
		return 0;
	}
	if (strcmp(pg.sort->key, "issue") == 0)
		pg.unique = "i.id"; /* the same, in the names' index */
	dm_sql_init(&q, ctx->db);
	if (state(ctx, &st, &row) == -1)
		status = dm_db_status(ctx->db);
	else
		status = answer(ctx, &pg, p, row, &q);
	if (st != NULL)
		mysql_free_result(st);
	dm_sql_free(&q);
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_cves = {
    .name = "cves",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = cves,
};
