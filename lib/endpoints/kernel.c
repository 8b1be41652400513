/* kernel.c: GET /kernels/ID: a running kernel and the hosts that run it. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>

#include "core/escape.h"
#include "core/parse.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/json.h"
#include "web/listing.h"
#include "web/not_found.h"
#include "web/page.h"

enum stmt { S_KERNEL, S_HOSTS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_KERNEL] = "SELECT k.id, o.name, k.name FROM kernel_version k JOIN os o ON o.id = k.os_id"
                 " WHERE k.id = #",
    [S_HOSTS] = "SELECT name FROM host WHERE kernel_id = # ORDER BY name",
};

enum kernel_col { K_ID, K_OS, K_NAME };

static const struct dm_col host_cols[] = {
    {"name", "Host", DM_COL_STR, "/hosts/"},
};

/* 0, or the status of a database error that stopped the hosts (answer unfinished). */
static int
kernel_json(struct dm_ctx *ctx, MYSQL_ROW k, MYSQL_RES *hosts)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	json_t *o =
	    json_pack_ex(&e, 0, "{s:I, s:s, s:s}", "id", (json_int_t)strtoll(k[K_ID], NULL, 10),
	                 "os", k[K_OS], "name", k[K_NAME]);
	char *text = dm_json_answer(ctx, "kernel", o, &e);
	MYSQL_ROW r;
	int first = 1;

	if (text == NULL)
		return 0;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	dm_json_open(f, text);
	free(text);
	fputs(",\"hosts\":[", f);
	for (; (r = mysql_fetch_row(hosts)) != NULL; first = 0) {
		fputs(first ? "\n  " : ",\n  ", f);
		dm_json_str(f, r[0]);
	}
	if (dm_sql_stream_end(ctx->db) == -1)
		return dm_db_status(ctx->db);
	fputs("\n]}\n", f);
	return 0;
}

static int
kernel_html(struct dm_ctx *ctx, MYSQL_ROW k, MYSQL_RES *hosts)
{
	FILE *f = ctx->res.out;

	dm_page_begin(ctx, 200, k[K_NAME]);
	fputs("<dl class=\"facts\">\n<dt>OS</dt><dd>", f);
	dm_html_txt(f, k[K_OS]);
	fputs("</dd>\n</dl>\n<h2>Hosts running it</h2>\n", f);
	if (dm_listing_html(f, ctx->db, hosts, host_cols,
	                    sizeof(host_cols) / sizeof(host_cols[0])) == -1)
		return dm_db_status(ctx->db);
	dm_page_end(ctx);
	return 0;
}

static int
kernel_get(struct dm_ctx *ctx, unsigned long long id)
{
	MYSQL_RES *kernel = NULL, *hosts = NULL;
	struct dm_sql q;
	MYSQL_ROW k;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_KERNEL], id);
	if ((kernel = dm_sql_query(&q)) == NULL) {
		status = dm_db_status(ctx->db);
	} else if ((k = mysql_fetch_row(kernel)) == NULL) {
		status = 404;
	} else {
		dm_sql_start(&q, stmts[S_HOSTS], id);
		if ((hosts = dm_sql_stream(&q)) == NULL)
			status = dm_db_status(ctx->db);
		else if (ctx->req.wants_json)
			status = kernel_json(ctx, k, hosts);
		else
			status = kernel_html(ctx, k, hosts);
	}
	if (hosts != NULL)
		mysql_free_result(hosts);
	if (kernel != NULL)
		mysql_free_result(kernel);
	dm_sql_free(&q);
	return status;
}

/* The route captured "/ID": anything but a kernel_version id names no kernel. */
static int
kernel(struct dm_ctx *ctx)
{
	const char *p = ctx->req.path_info;
	long long id;

	if (*p == '/')
		p++;
	if (dm_parse_ll(p, 1, UINT_MAX, &id) == -1)
		return dm_not_found_status(ctx, 404);
	return dm_not_found_status(ctx, kernel_get(ctx, (unsigned long long)id));
}

const struct dm_endpoint dm_ep_kernel = {
    .name = "kernel",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = kernel,
};
