/* json.c: a JSON answer that cannot be written is a 500 that says why, never an empty 200. */
#include "web/json.h"

#include <stdlib.h>
#include <string.h>

char *
dm_json_answer(struct dm_ctx *ctx, const char *what, json_t *o, const json_error_t *e)
{
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

	if (o == NULL)
		dm_error(&ctx->res, 500, "cannot write the %s as JSON: %s", what, e->text);
	else if (text == NULL)
		dm_error(&ctx->res, 500, "cannot write the %s as JSON: out of memory", what);
	json_decref(o);
	return text;
}

void
dm_json_open(FILE *f, const char *text)
{
	size_t n = strlen(text);

	if (n > 0)
		fwrite(text, 1, n - 1, f);
}
