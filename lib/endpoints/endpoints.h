/* endpoints.h: the endpoint declarations, one per CGI executable in cgi-bin/. */
#ifndef DM_ENDPOINTS_H
#define DM_ENDPOINTS_H

#include "cgi/entry.h"
#include "ingest/ingest.h"

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
extern const struct dm_endpoint dm_ep_dashboard;
extern const struct dm_endpoint dm_ep_packages;
extern const struct dm_endpoint dm_ep_package;
extern const struct dm_endpoint dm_ep_source_packages;
extern const struct dm_endpoint dm_ep_source_package;
extern const struct dm_endpoint dm_ep_kernels;
extern const struct dm_endpoint dm_ep_kernel;
extern const struct dm_endpoint dm_ep_search;

/* Reads, validates and applies an update for a host or an image already authorized. */
int dm_update(struct dm_ctx *ctx, enum dm_kind kind, const char *name);

/* Deletes the host or image name: answers 204, or returns 404 when there is none. */
int dm_delete(struct dm_ctx *ctx, enum dm_kind kind, const char *name);

/*
 * The 404 answer: plain text on the API paths and for writes, JSON when asked, else the
 * HTML page.
 */
void dm_not_found(struct dm_ctx *ctx);

/* Whether a path is one of the API's (answered in plain text, never HTML). */
int dm_is_api_path(const char *uri);

#endif
