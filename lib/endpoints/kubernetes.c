/* kubernetes.c: GET /kubernetes/: which images each cluster runs, per namespace. */
#include "endpoints/endpoints.h"

#include "db/db.h"
#include "web/listing.h"

static const char stmt[] =
    "SELECT k.cluster, k.namespace, i.name, o.name, k.containers FROM kubernetes_image k"
    " JOIN image i ON i.id = k.image_id JOIN os o ON o.id = i.os_id"
    " ORDER BY k.cluster, k.namespace, i.name";

static const struct dm_col cols[] = {
    {"cluster", "Cluster", DM_COL_STR, NULL},       {"namespace", "Namespace", DM_COL_STR, NULL},
    {"image", "Image", DM_COL_STR, "/images/"},     {"os", "OS", DM_COL_STR, NULL},
    {"containers", "Containers", DM_COL_INT, NULL},
};

static int
kubernetes(struct dm_ctx *ctx)
{
	MYSQL_RES *res;
	int status;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	status = dm_listing(ctx, "Live Kubernetes images", "images", res, cols,
	                    sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return status;
}

const struct dm_endpoint dm_ep_kubernetes = {
    .name = "kubernetes",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = kubernetes,
};
