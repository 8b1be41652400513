/* packages.c: GET /packages/: every binary package with its versions, OSes and counts. */
#include "handlers.h"

#include "db.h"
#include "listing.h"

/*
 * Versions and OSes come from correlated subqueries on the (package, os, version) key:
 * a derived table of them would be materialized and probed once per package (3x
 * slower at 10,000 hosts). The install counts the ingest keeps in package_stats are
 * summed in a derived table of their own (joined, they would multiply rows).
 */
static const char stmt[] =
    "SELECT p.name,"
    " (SELECT COUNT(*) FROM package_version pv WHERE pv.package_id = p.id),"
    " COALESCE((SELECT GROUP_CONCAT(o.name ORDER BY o.name SEPARATOR '\\n') FROM os o"
    " WHERE EXISTS (SELECT 1 FROM package_version pv WHERE pv.package_id = p.id"
    " AND pv.os_id = o.id)), ''),"
    " COALESCE(s.hosts, 0), COALESCE(s.images, 0), COALESCE(s.upgrades, 0),"
    " COALESCE(s.security, 0) FROM package p"
    " LEFT JOIN (SELECT package_id, SUM(hosts) AS hosts, SUM(images) AS images,"
    " SUM(host_upgrades + image_upgrades) AS upgrades,"
    " SUM(host_security + image_security) AS security FROM package_stats GROUP BY package_id) s"
    " ON s.package_id = p.id ORDER BY p.name";

static const struct dm_col cols[] = {
    {"name", "Package", DM_COL_STR, "/packages/"},
    {"versions", "Versions", DM_COL_INT, NULL},
    {"os", "OS", DM_COL_LIST, NULL},
    {"hosts", "Hosts", DM_COL_INT, NULL},
    {"images", "Images", DM_COL_INT, NULL},
    {"upgrades", "Upgrades", DM_COL_INT, NULL},
    {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

static int
packages(struct dm_ctx *ctx)
{
	MYSQL_RES *res;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	dm_listing(ctx, "Packages", "packages", res, cols, sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return 0;
}

const struct dm_endpoint dm_ep_packages = {
    .name = "packages",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = packages,
};
