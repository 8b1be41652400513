/* hosts.c: GET /hosts/: every host with its OS, kernel, last update and package counts. */
#include "endpoints/endpoints.h"

#include <stdio.h>

#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/listing.h"

/*
 * The counts live on the host row (kept by the ingest): no scan of host_package. Whether
 * the OS's release is past its end of life comes from Debian's release table, as a list
 * of os ids between the two halves.
 */
static const char head[] = "SELECT h.name, ";
static const char tail[] =
    ", o.name, k.name, h.modified < UTC_TIMESTAMP() - INTERVAL 1 DAY, " DM_SQL_ISO(
        "h.modified") ", h.packages, h.upgrades, h.security_upgrades FROM host h JOIN os o ON o.id "
                      "= h.os_id"
                      " JOIN kernel_version k ON k.id = h.kernel_id ORDER BY h.name";

static const struct dm_col cols[] = {
    {"name", "Host", DM_COL_STR, "/hosts/"},
    /* Its release gets no security updates any more, not even from Debian LTS. */
    {"end_of_life", "end of life", DM_COL_FLAG, NULL},
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
	struct dm_cve_oses oses;
	MYSQL_RES *res;
	struct dm_sql q;
	char err[512];
	int status;

	if (dm_cve_oses_load(&oses, ctx->db, &ctx->cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "debmonitor: %s\n", err);
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	}
	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, head);
	dm_cve_oses_eol_sql(&q, &oses, "h.os_id");
	dm_sql_raw(&q, tail);
	if ((res = dm_sql_stream(&q)) == NULL)
		status = dm_db_status(ctx->db);
	else
		status =
		    dm_listing(ctx, "Hosts", "hosts", res, cols, sizeof(cols) / sizeof(cols[0]));
	if (res != NULL)
		mysql_free_result(res);
	dm_sql_free(&q);
	dm_cve_oses_free(&oses);
	return status;
}

const struct dm_endpoint dm_ep_hosts = {
    .name = "hosts",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = hosts,
};
