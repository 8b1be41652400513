/* dashboard.c: GET /: the fleet in numbers, each linking to the list it counts. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/escape.h"
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
        "MIN(modified)") " FROM host)";

/* One number of the dashboard, in select order; is_time: a time, null without hosts. */
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
    {"hosts_with_upgrades", "Hosts with upgrades", "/hosts/", 0},
    {"hosts_with_security_upgrades", "Hosts with security upgrades", "/hosts/", 0},
    {"images_with_upgrades", "Images with upgrades", "/images/", 0},
    {"images_with_security_upgrades", "Images with security upgrades", "/images/", 0},
    {"pending_upgrades", "Pending upgrades", "/packages/", 0},
    {"pending_security_upgrades", "Pending security upgrades", "/packages/", 0},
    {"newest_host_update", "Newest host update", "/hosts/", 1},
    {"oldest_host_update", "Oldest host update", "/hosts/", 1},
};

#define NCARDS (sizeof(cards) / sizeof(cards[0]))

static void
dashboard_json(struct dm_ctx *ctx, MYSQL_ROW r)
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
	if ((text = dm_json_answer(ctx, "dashboard", o, &e)) == NULL)
		return;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	fputs(text, ctx->res.out);
	fputc('\n', ctx->res.out);
	free(text);
}

static void
dashboard_html(struct dm_ctx *ctx, MYSQL_ROW r)
{
	FILE *f = ctx->res.out;
	size_t i;

	dm_page_begin(ctx, 200, "Dashboard");
	fputs("<div class=\"cards\">\n", f);
	for (i = 0; i < NCARDS; i++) {
		fprintf(f, "<a class=\"card%s\" href=\"%s\" id=\"%s\"><span class=\"value\">",
		        cards[i].is_time ? " time" : "", cards[i].link, cards[i].key);
		dm_html_txt(f, r[i] != NULL ? r[i] : "never");
		fprintf(f, "</span><span class=\"title\">%s</span></a>\n", cards[i].title);
	}
	fputs("</div>\n", f);
	dm_page_end(ctx);
}

static int
dashboard(struct dm_ctx *ctx)
{
	MYSQL_RES *res;
	MYSQL_ROW r;
	int status = 0;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_store_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	if ((r = mysql_fetch_row(res)) == NULL || mysql_num_fields(res) != NCARDS)
		status = 500;
	else if (ctx->req.wants_json)
		dashboard_json(ctx, r);
	else
		dashboard_html(ctx, r);
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
