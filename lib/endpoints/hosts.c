/* hosts.c: GET /hosts/: every host with its OS, kernel, last update and package counts. */
#include "endpoints/endpoints.h"

#include "db/db.h"
#include "db/sql.h"
#include "web/listing.h"

/* The counts live on the host row (kept by the ingest): no scan of host_package. */
static const char stmt[] =
    "SELECT h.name, o.name, k.name, h.modified < UTC_TIMESTAMP() - INTERVAL 1 DAY,"
    " " DM_SQL_ISO("h.modified") ","
                                 " h.packages, h.upgrades, h.security_upgrades FROM host h"
                                 " JOIN os o ON o.id = h.os_id JOIN kernel_version k ON k.id = "
                                 "h.kernel_id ORDER BY h.name";

static const struct dm_col cols[] = {
    {"name", "Host", DM_COL_STR, "/hosts/"},
    {"os", "OS", DM_COL_STR, NULL},
    {"kernel", "Kernel", DM_COL_STR, NULL},
    /* Not updated for more than a day: its reports stopped. */
    {"stale", "stale", DM_COL_FLAG, NULL},
    {"modified", "Last update", DM_COL_TIME, NULL},
    {"packages", "Packages", DM_COL_INT, NULL},
    {"upgrades", "Upgrades", DM_COL_INT, NULL},
    {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

static int
hosts(struct dm_ctx *ctx)
{
	MYSQL_RES *res;
	int status;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	status = dm_listing(ctx, "Hosts", "hosts", res, cols, sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return status;
}

const struct dm_endpoint dm_ep_hosts = {
    .name = "hosts",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = hosts,
};
