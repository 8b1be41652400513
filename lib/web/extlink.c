/* extlink.c: external links from URL templates, each value URL-escaped before it is put in. */
#include "web/extlink.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

/* The variable whose "{name}" starts at p, or NULL. */
static const struct dm_extvar *
var_at(const char *p, const struct dm_extvar *vars, size_t nvars)
{
	size_t i, n;

	for (i = 0; i < nvars; i++) {
		n = strlen(vars[i].name);
		if (strncmp(p + 1, vars[i].name, n) == 0 && p[n + 1] == '}')
			return &vars[i];
	}
	return NULL;
}

char *
dm_extlink_url(const char *template, const struct dm_extvar *vars, size_t nvars)
{
	const struct dm_extvar *v;
	char *url = NULL;
	size_t len = 0;
	const char *p;
	FILE *f = open_memstream(&url, &len);

	if (f == NULL)
		return NULL;
	for (p = template; *p; p++) {
		if (*p == '{' && (v = var_at(p, vars, nvars)) != NULL) {
			v->escape(f, v->value);
			p += strlen(v->name) + 1;
		} else {
			fputc(*p, f);
		}
	}
	if (fclose(f) != 0) {
		free(url);
		return NULL;
	}
	return url;
}

json_t *
dm_extlinks_json(const json_t *links, const struct dm_extvar *vars, size_t nvars)
{
	json_t *o = json_object(), *tmpl;
	const char *title;
	char *url;

	json_object_foreach ((json_t *)links, title, tmpl) {
		url = dm_extlink_url(json_string_value(tmpl), vars, nvars);
		if (url != NULL)
			json_object_set_new(o, title, json_string(url));
		free(url);
	}
	return o;
}

void
dm_extlinks_html(FILE *f, const json_t *links, const struct dm_extvar *vars, size_t nvars)
{
	const char *title;
	json_t *tmpl;
	char *url;
	int first = 1;

	json_object_foreach ((json_t *)links, title, tmpl) {
		if ((url = dm_extlink_url(json_string_value(tmpl), vars, nvars)) == NULL)
			continue;
		fputs(first ? "<dt>Links</dt><dd class=\"links\">" : ", ", f);
		fputs("<a href=\"", f);
		dm_html_attr(f, url);
		fputs("\" rel=\"noopener noreferrer\">", f);
		dm_html_txt(f, title);
		fputs("</a>", f);
		free(url);
		first = 0;
	}
	if (!first)
		fputs("</dd>\n", f);
}
