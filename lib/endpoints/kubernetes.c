/* kubernetes.c: GET /kubernetes/: which images each cluster runs, per namespace. */
#include "endpoints/endpoints.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/paging.h"

static const char head[] = "SELECT k.cluster, k.namespace, i.name, o.name, k.containers";
static const char from[] = " FROM kubernetes_image k JOIN image i ON i.id = k.image_id"
                           " JOIN os o ON o.id = i.os_id WHERE 1";

static const struct dm_col cols[] = {
    {"cluster", "Cluster", DM_COL_STR, NULL},       {"namespace", "Namespace", DM_COL_STR, NULL},
    {"image", "Image", DM_COL_STR, "/images/"},     {"os", "OS", DM_COL_STR, NULL},
    {"containers", "Containers", DM_COL_INT, NULL},
};

/*
 * A row is a cluster's namespace's image (the primary key, an image's name being unique).
 * Joined by a byte below any a name has, the three sort as cluster, namespace, image: the
 * order of the list before paging.
 */
#define UNIQUE "CONCAT(k.cluster, CHAR(1), k.namespace, CHAR(1), i.name)"

static const struct dm_sort sorts[] = {
    {"cluster", "k.cluster"}, {"namespace", "k.namespace"},   {"image", "i.name"},
    {"os", "o.name"},         {"containers", "k.containers"},
};

/* q= matches part of any of the three names (a newline never is part of one). */
#define Q_COLUMN "CONCAT_WS('\\n', k.cluster, k.namespace, i.name)"

enum param { P_Q, P__FILTERS };

/* The page's form: the name's part (value of q=, read by form()). */
static const char *form_q;

static void
form(FILE *f, const struct dm_paging *pg)
{
	dm_form_open(f, "/kubernetes/");
	dm_form_text(f, "Name", "q", form_q, "part of a cluster, namespace or image");
	dm_form_close(f, pg, "/kubernetes/");
}

static int
answer(struct dm_ctx *ctx, const struct dm_param *p, struct dm_paging *pg, struct dm_sql *q)
{
	const char *v = dm_filter_value(&p[P_Q]);
	MYSQL_RES *res;
	int status;

	dm_sql_start(q, "SELECT COUNT(*) FROM kubernetes_image k JOIN image i ON i.id = k.image_id"
	                " WHERE 1");
	if (v != NULL)
		dm_filter_q(q, Q_COLUMN, v);
	if (dm_paging_count(q, pg) == -1)
		return dm_db_status(ctx->db);
	dm_sql_start(q, head);
	dm_paging_select(q, pg);
	dm_sql_raw(q, from);
	if (v != NULL)
		dm_filter_q(q, Q_COLUMN, v);
	dm_paging_where(q, pg);
	dm_paging_order(q, pg);
	if ((res = pg->limit > 0 ? dm_sql_query(q) : dm_sql_stream(q)) == NULL)
		return dm_db_status(ctx->db);
	form_q = v;
	status = dm_listing_paged(ctx, "Live Kubernetes images", "images", res, cols,
	                          sizeof(cols) / sizeof(cols[0]), pg, form);
	mysql_free_result(res);
	return status;
}

static int
kubernetes(struct dm_ctx *ctx)
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

const struct dm_endpoint dm_ep_kubernetes = {
    .name = "kubernetes",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = kubernetes,
};
