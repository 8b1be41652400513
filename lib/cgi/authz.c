/* authz.c: authorization from mod_ssl's verified CN only, never from the request's content. */
#include "cgi/authz.h"

#include <string.h>

int
dm_authz(struct dm_ctx *ctx, const char *what, const char *name, int own_name,
         const json_t *proxies)
{
	const char *cn = ctx->req.client_cn;

	/* VERIFY_CLIENTS false (testing only) trusts everyone, as upstream does. */
	if (!ctx->cfg.verify_clients)
		return 0;
	if (ctx->req.client_verified && cn[0] != '\0' &&
	    ((own_name && strcmp(cn, name) == 0) || dm_config_listed(proxies, cn)))
		return 0;
	if (name[0] == '\0')
		dm_error(&ctx->res, 403, "certificate CN '%s' may not change %s", cn, what);
	else
		dm_error(&ctx->res, 403, "certificate CN '%s' may not change %s '%s'", cn, what,
		         name);
	return -1;
}
