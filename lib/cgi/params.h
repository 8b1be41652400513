/* params.h: a GET query string's parameters, each known by name and given at most once. */
#ifndef DM_PARAMS_H
#define DM_PARAMS_H

#include <stddef.h>

#include "cgi/entry.h"

/* One known parameter: its name, and its decoded value (NULL while absent). */
struct dm_param {
	const char *name;
	const char *value;
};

/*
 * Reads query (a writable copy of the query string, decoded in place: values point into
 * it) into the n params, whose names say which are known ("name=value", '+' is a space):
 * 0, or -1 after answering 400 for an unknown, repeated or malformed parameter.
 */
int dm_params(struct dm_ctx *ctx, char *query, struct dm_param *params, size_t n);

#endif
