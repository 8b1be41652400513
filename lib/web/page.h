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
/*
 * Open and close the box of a table of n rows. A long one (DM_LONG_ROWS rows or more) is
 * laid out only when it comes near the window (debmonitor.css, ".long"): a browser lays a
 * table out whole, and a long table below the first screen no longer delays the page.
 */
#define DM_LONG_ROWS 100
void dm_table_open(FILE *f, size_t n);
void dm_table_close(FILE *f, size_t n);

#endif
