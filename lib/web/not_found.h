/* not_found.h: the 404 answer, in the form the request asked for. */
#ifndef DM_NOT_FOUND_H
#define DM_NOT_FOUND_H

#include "cgi/entry.h"

/*
 * The 404 answer: plain text on the API paths and for writes, JSON when asked, else the
 * HTML page.
 */
void dm_not_found(struct dm_ctx *ctx);

/* A page handler's result: 404 answered here with dm_not_found (0 returned), else status. */
int dm_not_found_status(struct dm_ctx *ctx, int status);

/* Whether a path is one of the API's (answered in plain text, never HTML). */
int dm_is_api_path(const char *uri);

#endif
