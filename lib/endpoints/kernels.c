/* kernels.c: GET /kernels/: the running kernels per OS and how many hosts run each. */
#include "endpoints/endpoints.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/paging.h"

/*
 * host is one row per host, with a key on kernel_id: counting it is cheap, and there are
 * far fewer kernels than hosts, so sorting and paging them all costs little.
 */
static const char head[] = "SELECT k.id, k.name, o.name, COALESCE(h.hosts, 0)";
static const char from[] =
    " FROM kernel_version k JOIN os o ON o.id = k.os_id"
    " LEFT JOIN (SELECT kernel_id, COUNT(*) AS hosts FROM host GROUP BY kernel_id) h"
    " ON h.kernel_id = k.id WHERE 1";

/* The count of hosts links to them, by OS too: a kernel's name may run on several OSes. */
static const struct dm_col cols[] = {
    {"id", "ID", DM_COL_ID, NULL},
    {"name", "Kernel", DM_COL_STR, "/kernels/"},
    {"os", "OS", DM_COL_STR, NULL},
    {"hosts", "Hosts", DM_COL_INT, "/hosts/?os={os}&kernel={name}"},
};

/*
 * What tells kernels apart, and orders them by OS then name within the OS name's order
 * (one os id per OS name): the default order, OS then name, as before paging.
 */
#define UNIQUE "CONCAT(LPAD(k.os_id, 5, '0'), ' ', k.name)"

static const struct dm_sort sorts[] = {
    {"os", "o.name"},
    {"name", "k.name"},
    {"hosts", "COALESCE(h.hosts, 0)"},
};

enum param { P_Q, P__FILTERS };

/* The page's form: the name's part (value of q=, read by form()). */
static const char *form_q;

static void
form(FILE *f, const struct dm_paging *pg)
{
	dm_form_open(f, "/kernels/");
	dm_form_text(f, "Kernel", "q", form_q, "part of the name");
	dm_form_close(f, pg, "/kernels/");
}

static int
answer(struct dm_ctx *ctx, const struct dm_param *p, struct dm_paging *pg, struct dm_sql *q)
{
	const char *v = dm_filter_value(&p[P_Q]);
	MYSQL_RES *res;
	int status;

	dm_sql_start(q, "SELECT COUNT(*) FROM kernel_version k WHERE 1");
	if (v != NULL)
		dm_filter_q(q, "k.name", v);
	if (dm_paging_count(q, pg) == -1)
		return dm_db_status(ctx->db);
	dm_sql_start(q, head);
	dm_paging_select(q, pg);
	dm_sql_raw(q, from);
	if (v != NULL)
		dm_filter_q(q, "k.name", v);
	dm_paging_where(q, pg);
	dm_paging_order(q, pg);
	if ((res = pg->limit > 0 ? dm_sql_query(q) : dm_sql_stream(q)) == NULL)
		return dm_db_status(ctx->db);
	form_q = v;
	status = dm_listing_paged(ctx, "Kernels", "kernels", res, cols,
	                          sizeof(cols) / sizeof(cols[0]), pg, form);
	mysql_free_result(res);
	return status;
}

static int
kernels(struct dm_ctx *ctx)
{
	struct dm_param p[P__FILTERS + DM_P__MAX] = {{"q", NULL}, DM_PAGING_PARAMS};
	struct dm_paging pg = {0};
	char query[4096];
	struct dm_sql q;
	int status = 0;

	if (dm_filters_read(ctx, query, sizeof(query), p, P__FILTERS, &pg, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), UNIQUE) == -1)
		goto out;
	dm_sql_init(&q, ctx->db);
	status = answer(ctx, p, &pg, &q);
	dm_sql_free(&q);
out:
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_kernels = {
    .name = "kernels",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = kernels,
};
