/* page.h: the frame every HTML page shares: head, navigation, search box, footer. */
#ifndef DM_PAGE_H
#define DM_PAGE_H

#include <stdio.h>

#include "cgi/entry.h"

/* Sends the headers for status and opens the page; title is client data, escaped. */
void dm_page_begin(struct dm_ctx *ctx, int status, const char *title);
void dm_page_end(struct dm_ctx *ctx);
/* One fact of a <dl class="facts">: name is the program's own, value escaped. */
void dm_page_fact(FILE *f, const char *name, const char *value);

#endif
