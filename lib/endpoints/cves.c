/* cves.c: GET /cves/: the security issues that affect the fleet, counted, filtered, sorted. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "cgi/params.h"
#include "core/escape.h"
#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/listing.h"
#include "web/page.h"

/*
 * cve_count holds only issues that affect something; the counts are debmonitor-cve's of
 * cve_state.counted (a pass over every package row is too long for a page).
 */
#define STATUS                                                                                     \
	"CASE WHEN c.hosts_fixable + c.images_fixable > 0 THEN 'fix available'"                    \
	" WHEN c.states & 2 THEN 'no fix yet' ELSE 'undetermined' END"
static const char select_head[] = "SELECT i.name, c.urgency, " STATUS ","
                                  " c.hosts, c.images, c.hosts_fixable, c.images_fixable"
                                  " FROM cve_count c JOIN cve_issue i ON i.id = c.issue_id WHERE 1";
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
static const char *const urgencies[] = {"high",        "medium",           "low",
                                        "unimportant", "not yet assigned", "end-of-life"};

/* ?sort=: the orders, the first the default. */
static const struct {
	const char *name, *order;
} sorts[] = {
    {"urgency", " ORDER BY " DM_SQL_CVE_URGENCY_RANK("c.urgency") " DESC, c.hosts + c.images"
                                                                  " DESC, i.name DESC"},
    {"hosts", " ORDER BY c.hosts DESC, c.images DESC, i.name DESC"},
    {"images", " ORDER BY c.images DESC, c.hosts DESC, i.name DESC"},
    {"issue", " ORDER BY i.name DESC"},
};

enum param { P_URGENCY, P_FIX, P_SORT, P__MAX };

struct filter {
	const char *urgency; /* NULL: any */
	int fix;             /* -1 any, 1 available, 0 none */
	size_t sort;
};

/* Checks the parameters' values: 0, or -1 after answering 400. */
static int
read_filter(struct dm_ctx *ctx, struct dm_param *p, struct filter *f)
{
	size_t i;

	f->urgency = NULL;
	f->fix = -1;
	f->sort = 0;
	if (p[P_URGENCY].value != NULL && p[P_URGENCY].value[0] != '\0') {
		for (i = 0; i < sizeof(urgencies) / sizeof(urgencies[0]); i++)
			if (strcmp(p[P_URGENCY].value, urgencies[i]) == 0)
				f->urgency = urgencies[i];
		if (f->urgency == NULL) {
			dm_bad_param(ctx, "urgency: must be high, medium, low, unimportant, not yet"
			                  " assigned or end-of-life");
			return -1;
		}
	}
	if (p[P_FIX].value != NULL && p[P_FIX].value[0] != '\0') {
		if (strcmp(p[P_FIX].value, "available") == 0)
			f->fix = 1;
		else if (strcmp(p[P_FIX].value, "none") == 0)
			f->fix = 0;
		else {
			dm_bad_param(ctx, "fix: must be available or none");
			return -1;
		}
	}
	if (p[P_SORT].value != NULL && p[P_SORT].value[0] != '\0') {
		for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
			if (strcmp(p[P_SORT].value, sorts[i].name) == 0)
				break;
		if (i == sizeof(sorts) / sizeof(sorts[0])) {
			dm_bad_param(ctx, "sort: must be urgency, hosts, images or issue");
			return -1;
		}
		f->sort = i;
	}
	return 0;
}

static void
option(FILE *out, const char *value, const char *label, const char *chosen)
{
	fputs("<option value=\"", out);
	dm_html_attr(out, value);
	fputs(chosen && strcmp(chosen, value) == 0 ? "\" selected>" : "\">", out);
	dm_html_txt(out, label);
	fputs("</option>", out);
}

/* The filter form, GET to this page, showing the current choice. */
static void
form(FILE *out, const struct filter *f)
{
	const char *fix = f->fix == 1 ? "available" : f->fix == 0 ? "none" : "";
	size_t i;

	fputs("<form class=\"filters\" method=\"get\" action=\"/cves/\">\n"
	      "<label>Urgency <select name=\"urgency\">",
	      out);
	option(out, "", "any", f->urgency ? f->urgency : "");
	for (i = 0; i < sizeof(urgencies) / sizeof(urgencies[0]); i++)
		option(out, urgencies[i], urgencies[i], f->urgency);
	fputs("</select></label>\n<label>Fix <select name=\"fix\">", out);
	option(out, "", "any", fix);
	option(out, "available", "available", fix);
	option(out, "none", "none yet", fix);
	fputs("</select></label>\n<label>Sort by <select name=\"sort\">", out);
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		option(out, sorts[i].name, sorts[i].name, sorts[f->sort].name);
	fputs("</select></label>\n<button type=\"submit\">Show</button>\n</form>\n", out);
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

static int
answer(struct dm_ctx *ctx, const struct filter *flt, MYSQL_ROW st, MYSQL_RES *res)
{
	FILE *f = ctx->res.out;

	if (ctx->req.wants_json) {
		dm_respond(&ctx->res, 200, "application/json", NULL);
		fputc('{', f);
		dm_json_member(f, 1, "imported", st ? st[0] : NULL);
		dm_json_member(f, 0, "counted", st ? st[1] : NULL);
		fputs(",\"cves\":", f);
		if (dm_listing_json(f, ctx->db, res, cols, NCOLS) == -1)
			return dm_db_status(ctx->db);
		fputs("}\n", f);
		return 0;
	}
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
	form(f, flt);
	if (dm_listing_html(f, ctx->db, res, cols, NCOLS) == -1)
		return dm_db_status(ctx->db);
	dm_page_end(ctx);
	return 0;
}

static int
cves(struct dm_ctx *ctx)
{
	struct dm_param p[P__MAX] = {{"urgency", NULL}, {"fix", NULL}, {"sort", NULL}};
	MYSQL_RES *st = NULL, *res = NULL;
	char *query = strdup(ctx->req.query);
	struct filter flt;
	struct dm_sql q;
	MYSQL_ROW row = NULL;
	int status = 0;

	if (query == NULL)
		return 500;
	if (dm_params(ctx, query, p, P__MAX) == -1 || read_filter(ctx, p, &flt) == -1) {
		free(query);
		return 0;
	}
	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, select_head);
	if (flt.urgency != NULL)
		dm_sql_add(&q, " AND c.urgency = ?", flt.urgency);
	if (flt.fix == 1)
		dm_sql_raw(&q, " AND c.hosts_fixable + c.images_fixable > 0");
	else if (flt.fix == 0)
		dm_sql_raw(&q, " AND c.hosts_fixable + c.images_fixable = 0");
	dm_sql_raw(&q, sorts[flt.sort].order);
	if (state(ctx, &st, &row) == -1 || (res = dm_sql_stream(&q)) == NULL)
		status = dm_db_status(ctx->db);
	else
		status = answer(ctx, &flt, row, res);
	if (res != NULL)
		mysql_free_result(res);
	if (st != NULL)
		mysql_free_result(st);
	dm_sql_free(&q);
	free(query);
	return status;
}

const struct dm_endpoint dm_ep_cves = {
    .name = "cves",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = cves,
};
