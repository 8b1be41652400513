/* source_packages.c: GET /source-packages/: every source package, its versions and binaries. */
#include "endpoints/endpoints.h"

#include "db/db.h"
#include "web/listing.h"

/* Correlated subqueries on the source's keys, as in packages.c, for the same reason. */
static const char stmt[] =
    "SELECT sp.name,"
    " (SELECT COUNT(*) FROM source_package_version spv WHERE spv.source_package_id = sp.id),"
    " COALESCE((SELECT GROUP_CONCAT(o.name ORDER BY o.name SEPARATOR '\\n') FROM os o"
    " WHERE EXISTS (SELECT 1 FROM source_package_version spv"
    " WHERE spv.source_package_id = sp.id AND spv.os_id = o.id)), ''),"
    " (SELECT COUNT(DISTINCT pv.package_id) FROM source_package_version spv"
    " JOIN package_version pv ON pv.source_package_version_id = spv.id"
    " WHERE spv.source_package_id = sp.id)"
    " FROM source_package sp ORDER BY sp.name";

static const struct dm_col cols[] = {
    {"name", "Source package", DM_COL_STR, "/source-packages/"},
    {"versions", "Versions", DM_COL_INT, NULL},
    {"os", "OS", DM_COL_LIST, NULL},
    {"binaries", "Binary packages", DM_COL_INT, NULL},
};

static int
source_packages(struct dm_ctx *ctx)
{
	MYSQL_RES *res;
	int status;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	status = dm_listing(ctx, "Source packages", "source_packages", res, cols,
	                    sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return status;
}

const struct dm_endpoint dm_ep_source_packages = {
    .name = "source-packages",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = source_packages,
};
