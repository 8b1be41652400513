/* extlink.h: the configured external links of a host or image page (*_EXTERNAL_LINKS). */
#ifndef DM_EXTLINK_H
#define DM_EXTLINK_H

#include <jansson.h>
#include <stdio.h>

/* One placeholder of a URL template: "{name}" becomes value, URL-escaped by escape. */
struct dm_extvar {
	const char *name; /* "fqdn", "hostname", "image_path" */
	const char *value;
	void (*escape)(FILE *, const char *); /* dm_url_arg or dm_url_path */
};

/* The URL of template with every known placeholder replaced (malloc'd), or NULL. */
char *dm_extlink_url(const char *template, const struct dm_extvar *vars, size_t nvars);
/* A new object {title: URL} for the links object of the configuration (NULL: none). */
json_t *dm_extlinks_json(const json_t *links, const struct dm_extvar *vars, size_t nvars);
/* "<dt>Links</dt><dd>" with one link per title, when there is any. */
void dm_extlinks_html(FILE *f, const json_t *links, const struct dm_extvar *vars, size_t nvars);

#endif
