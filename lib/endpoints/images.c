/* images.c: GET /images/: every image with its OS, last update and package counts. */
#include "endpoints/endpoints.h"

#include "db/db.h"
#include "db/sql.h"
#include "web/listing.h"

static const char stmt[] = "SELECT i.name, o.name, " DM_SQL_ISO(
    "i.modified") ", i.packages,"
                  " i.upgrades, i.security_upgrades FROM image i JOIN os o ON o.id = i.os_id ORDER "
                  "BY i.name";

static const struct dm_col cols[] = {
    {"name", "Image", DM_COL_STR, "/images/"},
    {"os", "OS", DM_COL_STR, NULL},
    {"modified", "Last update", DM_COL_TIME, NULL},
    {"packages", "Packages", DM_COL_INT, NULL},
    {"upgrades", "Upgrades", DM_COL_INT, NULL},
    {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

static int
images(struct dm_ctx *ctx)
{
	MYSQL_RES *res;
	int status;

	if (mysql_query(ctx->db, stmt) != 0 || (res = mysql_use_result(ctx->db)) == NULL)
		return dm_db_status(ctx->db);
	status = dm_listing(ctx, "Images", "images", res, cols, sizeof(cols) / sizeof(cols[0]));
	mysql_free_result(res);
	return status;
}

const struct dm_endpoint dm_ep_images = {
    .name = "images",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = images,
};
