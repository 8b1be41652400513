/* packages.c: GET /packages/: every binary package with its versions, OSes and counts. */
#include "handlers.h"

#include "db.h"
#include "listing.h"

/*
 * Versions and OSes, and the install counts the ingest keeps in package_stats, are each
 * aggregated in a derived table of its own: joined together they would multiply rows.
 */
static const char stmt[] =
    "SELECT p.name, COALESCE(v.versions, 0), COALESCE(v.os, ''), COALESCE(s.hosts, 0),"
    " COALESCE(s.images, 0), COALESCE(s.upgrades, 0), COALESCE(s.security, 0) FROM package p"
    " LEFT JOIN (SELECT pv.package_id, COUNT(*) AS versions,"
    " GROUP_CONCAT(DISTINCT o.name ORDER BY o.name SEPARATOR '\\n') AS os"
    " FROM package_version pv JOIN os o ON o.id = pv.os_id GROUP BY pv.package_id) v"
    " ON v.package_id = p.id"
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
