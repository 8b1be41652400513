/* kernels.c: GET /kernels/: the running kernels per OS and how many hosts run each. */
#include "endpoints/endpoints.h"

#include "db/db.h"
#include "web/listing.h"

/* host is one row per host, with a key on kernel_id: counting it is cheap. */
static const char stmt[] =
    "SELECT k.id, k.name, o.name, COALESCE(h.hosts, 0) FROM kernel_version k"
    " JOIN os o ON o.id = k.os_id"
    " LEFT JOIN (SELECT kernel_id, COUNT(*) AS hosts FROM host GROUP BY kernel_id) h"
    " ON h.kernel_id = k.id ORDER BY o.name, k.name";

static const struct dm_col cols[] = {
    {"id", "ID", DM_COL_ID, NULL},
    {"name", "Kernel", DM_COL_STR, "/kernels/"},
    {"os", "OS", DM_COL_STR, NULL},
    {"hosts", "Hosts", DM_COL_INT, NULL},
};

static int
kernels(struct dm_ctx *ctx)
{
	MYSQL_RES *res;
	int status;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	status = dm_listing(ctx, "Kernels", "kernels", res, cols, sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return status;
}

const struct dm_endpoint dm_ep_kernels = {
    .name = "kernels",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = kernels,
};
