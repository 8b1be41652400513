/* host_update.c: POST /hosts/NAME/update: a host reports its packages (debmonitor-api(7)). */
#include "endpoints/endpoints.h"

#include "cgi/authz.h"
#include "endpoints/update.h"

static int
host_update(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 0, &name) == -1 ||
	    dm_authz(ctx, "host", name, 1, ctx->cfg.proxy_hosts) == -1)
		return 0;
	return dm_update(ctx, DM_KIND_HOST, name);
}

const struct dm_endpoint dm_ep_host_update = {
    .name = "host-update",
    .methods = DM_M(DM_POST),
    .identity = DM_ID_CLIENT,
    .needs_db = 0,
    .handler = host_update,
};
