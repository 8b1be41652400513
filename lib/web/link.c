/* link.c: links to object pages, href and text each through its escaping writer. */
#include "web/link.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

static void
link_to(FILE *f, const char *prefix, const char *name, void (*url)(FILE *, const char *))
{
	fprintf(f, "<a href=\"%s", prefix);
	url(f, name);
	fputs("\">", f);
	dm_html_txt(f, name);
	fputs("</a>", f);
}

void
dm_link(FILE *f, const char *prefix, const char *name)
{
	link_to(f, prefix, name, dm_url_arg);
}

void
dm_link_path(FILE *f, const char *prefix, const char *name)
{
	link_to(f, prefix, name, dm_url_path);
}

void
dm_links(FILE *f, const char *prefix, const char *names)
{
	char *copy = strdup(names), *name, *nl;

	for (name = copy; name != NULL && *name; name = nl ? nl + 1 : NULL) {
		if ((nl = strchr(name, '\n')) != NULL)
			*nl = '\0';
		if (name != copy)
			fputs(", ", f);
		dm_link(f, prefix, name);
	}
	free(copy);
}
