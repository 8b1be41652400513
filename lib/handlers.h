/* handlers.h: the endpoint declarations, one per CGI executable in cgi-bin/. */
#ifndef DM_HANDLERS_H
#define DM_HANDLERS_H

#include "entry.h"
#include "ingest.h"

extern const struct dm_endpoint dm_ep_auth_check;
extern const struct dm_endpoint dm_ep_error;
extern const struct dm_endpoint dm_ep_host_update;
extern const struct dm_endpoint dm_ep_host;
extern const struct dm_endpoint dm_ep_hosts;
extern const struct dm_endpoint dm_ep_image_update;
extern const struct dm_endpoint dm_ep_image;
extern const struct dm_endpoint dm_ep_images;
extern const struct dm_endpoint dm_ep_kubernetes;
extern const struct dm_endpoint dm_ep_kubernetes_update;

/* Reads, validates and applies an update for a host or an image already authorized. */
int dm_update(struct dm_ctx *ctx, enum dm_kind kind, const char *name);

/* Runs a delete statement for name: 204, or 404 when it deleted nothing. */
int dm_delete(struct dm_ctx *ctx, const char *stmt, const char *name);

/* Whether a path is one of the API's (answered in plain text, never HTML). */
int dm_is_api_path(const char *uri);

#endif
