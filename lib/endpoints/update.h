/* update.h: what the update and delete endpoints of hosts and images share. */
#ifndef DM_UPDATE_H
#define DM_UPDATE_H

#include "cgi/entry.h"
#include "db/model.h"

/* Reads, validates and applies an update for a host or an image already authorized. */
int dm_update(struct dm_ctx *ctx, enum dm_kind kind, const char *name);

/* Deletes the host or image name: answers 204, or returns 404 when there is none. */
int dm_delete(struct dm_ctx *ctx, enum dm_kind kind, const char *name);

#endif
