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
/*
 * Answers 400 for a bad parameter, in the form the client asked: a JSON error object
 * ({"error": "..."}) when it wants JSON, else a short HTML page; the message says which
 * parameter and why.
 */
void dm_bad_param(struct dm_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
