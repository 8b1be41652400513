/* kernel.c: GET /kernels/ID: a running kernel and the hosts that run it. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/parse.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/json.h"
#include "web/listing.h"
#include "web/not_found.h"
#include "web/paging.h"

enum stmt { S_KERNEL, S_COUNT, S_HOSTS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_KERNEL] = "SELECT k.id, o.name, k.name, (SELECT COUNT(*) FROM host WHERE kernel_id = k.id)"
                 " FROM kernel_version k JOIN os o ON o.id = k.os_id WHERE k.id = #",
    [S_COUNT] = "SELECT COUNT(*) FROM host h WHERE h.kernel_id = #",
    [S_HOSTS] = "SELECT h.name",
};

/* S_HOSTS's FROM, after the paging columns: the host key on kernel_id, then its name. */
static const char hosts_from[] = " FROM host h WHERE h.kernel_id = #";

enum kernel_col { K_ID, K_OS, K_NAME, K_HOSTS };

static const struct dm_col host_cols[] = {
    {"name", "Host", DM_COL_STR, "/hosts/"},
};

static const struct dm_sort sorts[] = {{"name", "h.name"}};

enum param { P_Q, P__FILTERS };

/* What the page's form shows, above the hosts (one request per process). */
static struct {
	MYSQL_ROW k;
	const char *q;
} shown;

/* The kernel's facts, its count of hosts linking to /hosts/ filtered by it, the form. */
static void
form(FILE *f, const struct dm_paging *pg)
{
	char action[64];

	fputs("<dl class=\"facts\">\n<dt>OS</dt><dd>", f);
	dm_html_txt(f, shown.k[K_OS]);
	fputs("</dd>\n<dt>Hosts</dt><dd><a href=\"/hosts/?os=", f);
	dm_url_arg(f, shown.k[K_OS]);
	fputs("&amp;kernel=", f);
	dm_url_arg(f, shown.k[K_NAME]);
	fputs("\" id=\"kernel-hosts\">", f);
	dm_html_txt(f, shown.k[K_HOSTS]);
	fputs("</a></dd>\n</dl>\n<h2>Hosts running it</h2>\n", f);
	snprintf(action, sizeof(action), "/kernels/%s", shown.k[K_ID]);
	dm_form_open(f, action);
	dm_form_text(f, "Host", "q", shown.q, "part of the name");
	dm_form_close(f, pg, action);
}

/* The JSON object the hosts' list goes in: the kernel's members. NULL after a 500. */
static char *
kernel_head(struct dm_ctx *ctx, MYSQL_ROW k)
{
	json_error_t e;
	json_t *o =
	    json_pack_ex(&e, 0, "{s:I, s:s, s:s}", "id", (json_int_t)strtoll(k[K_ID], NULL, 10),
	                 "os", k[K_OS], "name", k[K_NAME]);

	return dm_json_answer(ctx, "kernel", o, &e);
}

/* The hosts, filtered, sorted and paged, in the page or the JSON of kernel k. */
static int
hosts(struct dm_ctx *ctx, MYSQL_ROW k, unsigned long long id, struct dm_paging *pg,
      struct dm_sql *q)
{
	MYSQL_RES *res;
	char *text = NULL;
	int status;

	dm_sql_start(q, stmts[S_COUNT], id);
	if (shown.q != NULL)
		dm_filter_q(q, "h.name", shown.q);
	if (dm_paging_count(q, pg) == -1)
		return dm_db_status(ctx->db);
	if (pg->format == DM_FORMAT_JSON && (text = kernel_head(ctx, k)) == NULL)
		return 0;
	dm_sql_start(q, stmts[S_HOSTS]);
	dm_paging_select(q, pg);
	dm_sql_add(q, hosts_from, id);
	if (shown.q != NULL)
		dm_filter_q(q, "h.name", shown.q);
	dm_paging_where(q, pg);
	dm_paging_order(q, pg);
	if ((res = pg->limit > 0 ? dm_sql_query(q) : dm_sql_stream(q)) == NULL) {
		free(text);
		return dm_db_status(ctx->db);
	}
	shown.k = k;
	status = dm_listing_paged_in(ctx, k[K_NAME], text, "hosts", res, host_cols,
	                             sizeof(host_cols) / sizeof(host_cols[0]), pg, form);
	mysql_free_result(res);
	free(text);
	return status;
}

static int
kernel_get(struct dm_ctx *ctx, unsigned long long id, struct dm_paging *pg)
{
	MYSQL_RES *kernel = NULL;
	struct dm_sql q;
	MYSQL_ROW k;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_KERNEL], id);
	if ((kernel = dm_sql_query(&q)) == NULL)
		status = dm_db_status(ctx->db);
	else if ((k = mysql_fetch_row(kernel)) == NULL)
		status = 404;
	else
		status = hosts(ctx, k, id, pg, &q);
	if (kernel != NULL)
		mysql_free_result(kernel);
	dm_sql_free(&q);
	return status;
}

/* Reads the query string: 0, or -1 after answering 400. */
static int
parse(struct dm_ctx *ctx, struct dm_param *p, struct dm_paging *pg, char *query, size_t size)
{
	if (dm_filters_read(ctx, query, size, p, P__FILTERS, pg, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), "h.name") == -1)
		return -1;
	shown.q = dm_filter_value(&p[P_Q]);
	return 0;
}

/* The route captured "/ID": anything but a kernel_version id names no kernel. */
static int
kernel(struct dm_ctx *ctx)
{
	struct dm_param p[P__FILTERS + DM_P__MAX] = {{"q", NULL}, DM_PAGING_PARAMS};
	const char *path = ctx->req.path_info;
	struct dm_paging pg = {0};
	char query[4096];
	long long id;
	int status = 0;

	if (*path == '/')
		path++;
	if (dm_parse_ll(path, 1, UINT_MAX, &id) == -1)
		return dm_not_found_status(ctx, 404);
	if (parse(ctx, p, &pg, query, sizeof(query)) == 0)
		status = dm_not_found_status(ctx, kernel_get(ctx, (unsigned long long)id, &pg));
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_kernel = {
    .name = "kernel",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = kernel,
};
