/* auth_check.c: GET /auth-check: "OK" for a verified client certificate and a usable database. */
#include "endpoints/endpoints.h"

#include "db/db.h"

static int
auth_check(struct dm_ctx *ctx)
{
	char err[512];

	/* An operator testing a certificate also learns whether the server behind it works. */
	if (dm_db_check_schema(ctx->db, err, sizeof(err)) == -1) {
		dm_error(&ctx->res, 503, "%s", err);
		return 0;
	}
	dm_respond(&ctx->res, 200, "text/plain; charset=utf-8", "Cache-Control", "no-store", NULL);
	fputs("OK\n", ctx->res.out);
	return 0;
}

const struct dm_endpoint dm_ep_auth_check = {
    .name = "auth-check",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_CLIENT,
    .primary = 1, /* the schema it checks is the primary's */
    .needs_db = 1,
    .handler = auth_check,
};
