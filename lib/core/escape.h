/* escape.h: every byte of client data reaches output through one of these writers. */
#ifndef DM_ESCAPE_H
#define DM_ESCAPE_H

#include <jansson.h>
#include <stdio.h>

/* HTML text content: & < > escaped. */
void dm_html_txt(FILE *f, const char *s);
/* A double-quoted HTML attribute value: & < > " ' escaped. */
void dm_html_attr(FILE *f, const char *s);
/* One URL component (query value or path segment): all but A-Z a-z 0-9 - . _ ~ encoded. */
void dm_url_arg(FILE *f, const char *s);
/* A URL path made of names (an image reference): as dm_url_arg, but '/' and ':' kept. */
void dm_url_path(FILE *f, const char *s);
/*
 * A JSON string literal with its quotes, escaped as Jansson escapes: 0, or -1 (nothing
 * written) if s is not UTF-8.
 */
int dm_json_str(FILE *f, const char *s);
/* The start of one member of an object being written: "key": (after a comma unless first). */
void dm_json_key(FILE *f, int first, const char *key);
/*
 * One member of an object being written: "key":"value" (after a comma unless first);
 * key is the program's own (not escaped), value a string from anywhere, or NULL for null
 * (as is a value that is not UTF-8, which the ingest never stores).
 */
void dm_json_member(FILE *f, int first, const char *key, const char *value);
/*
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A text that starts with = + - @ (or a tab or carriage return) is what a
 * spreadsheet runs as a formula: it gets a leading apostrophe, and is quoted. NULL is an
 * empty field.
 */
void dm_csv_field(FILE *f, const char *s);
/*
 * A Prometheus label value, without its quotes (text exposition format): backslash,
 * double quote and line feed escaped as \\, \" and \n; everything else as it is.
 */
void dm_prom_label(FILE *f, const char *s);
/*
 * Decodes %XX escapes (and '+' as space when plus_is_space) in place: 0, or -1 on a
 * malformed escape or an encoded NUL.
 */
int dm_url_decode(char *s, int plus_is_space);

#endif
