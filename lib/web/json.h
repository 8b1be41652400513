/* json.h: JSON answers whose object is built and serialized before the status goes out. */
#ifndef DM_WEB_JSON_H
#define DM_WEB_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "cgi/entry.h"

/*
 * The compact text of o, the object of a JSON answer about what ("host"), serialized
 * while the status can still change: malloc'd, or NULL after answering 500 with the
 * reason. o is NULL when building it failed, e (as json_pack_ex fills it) saying why:
 * Jansson refuses a string that is not UTF-8, which the database may hold. Releases o.
 */
char *dm_json_answer(struct dm_ctx *ctx, const char *what, json_t *o, const json_error_t *e);
/* Writes a non-empty object's text without its closing brace: more members follow, then "}". */
void dm_json_open(FILE *f, const char *text);

#endif
