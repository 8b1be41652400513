/* authz.h: who may change a host's or an image's data. */
#ifndef DM_AUTHZ_H
#define DM_AUTHZ_H

#include <jansson.h>

#include "cgi/entry.h"

/*
 * Whether the verified certificate may write name's data: its CN is name itself (when
 * own_name is set: hosts change their own data) or listed in proxies (PROXY_HOSTS or
 * PROXY_IMAGES). Answers 403 naming the CN and returns -1 when it may not.
 */
int dm_authz(struct dm_ctx *ctx, const char *what, const char *name, int own_name,
             const json_t *proxies);

#endif
