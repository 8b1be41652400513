/* link.h: HTML links to the page of a named object (host, image, package, kernel...). */
#ifndef DM_LINK_H
#define DM_LINK_H

#include <stdio.h>

/* <a href="prefix NAME">name</a>, name as one URL path segment ("/packages/", "libc6"). */
void dm_link(FILE *f, const char *prefix, const char *name);
/* The same for a name whose '/' and ':' stay (an image reference under "/images/"). */
void dm_link_path(FILE *f, const char *prefix, const char *name);
/* A link for each of names separated by newlines (a DM_COL_LIST value), comma-separated. */
void dm_links(FILE *f, const char *prefix, const char *names);

#endif
