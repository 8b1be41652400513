/* source_packages.c: GET /source-packages/: every source package, its versions and binaries. */
#include "handlers.h"

#include "db.h"
#include "listing.h"

/* Versions with their OSes, and the binaries built, each in a derived table of its own. */
static const char stmt[] =
    "SELECT sp.name, COALESCE(v.versions, 0), COALESCE(v.os, ''), COALESCE(b.binaries, 0)"
    " FROM source_package sp"
    " LEFT JOIN (SELECT spv.source_package_id, COUNT(*) AS versions,"
    " GROUP_CONCAT(DISTINCT o.name ORDER BY o.name SEPARATOR '\\n') AS os"
    " FROM source_package_version spv JOIN os o ON o.id = spv.os_id"
    " GROUP BY spv.source_package_id) v ON v.source_package_id = sp.id"
    " LEFT JOIN (SELECT spv.source_package_id, COUNT(DISTINCT pv.package_id) AS binaries"
    " FROM package_version pv"
    " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"
    " GROUP BY spv.source_package_id) b ON b.source_package_id = sp.id ORDER BY sp.name";

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

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	dm_listing(ctx, "Source packages", "source_packages", res, cols,
	           sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return 0;
}

const struct dm_endpoint dm_ep_source_packages = {
    .name = "source-packages",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = source_packages,
};
