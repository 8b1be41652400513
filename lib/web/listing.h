/* listing.h: a query's rows streamed as a JSON list or an HTML table, described by columns. */
#ifndef DM_LISTING_H
#define DM_LISTING_H

#include <mysql.h>
#include <stdio.h>

#include "cgi/entry.h"
#include "web/paging.h"

enum dm_col_type {
	DM_COL_STR,
	DM_COL_INT,
	DM_COL_LIST, /* names separated by newlines (GROUP_CONCAT ... SEPARATOR '\n') */
	DM_COL_ID,   /* a number: in JSON as DM_COL_INT; in HTML no column of its own, but the
	                target of the next column's link (a kernel's name links to its id) */
	DM_COL_TIME, /* an ISO 8601 time: in JSON as DM_COL_STR; in HTML a <time> element */
	DM_COL_FLAG  /* 0 or 1: in JSON false or true; in HTML no column of its own, but when 1
	                the row gets the key as a class and the next cell a badge saying title */
};

/* One column of the result, in select order. */
struct dm_col {
	const char *key;   /* JSON member name */
	const char *title; /* HTML column heading */
	enum dm_col_type type;
	/*
	 * HTML: link the value under this path prefix ("/hosts/"), or NULL. A link with a
	 * "{KEY}" in it is a template instead, each such part the value of the column keyed
	 * KEY as a URL component: a count that links to the list it counts
	 * ("/hosts/?kernel={name}").
	 */
	const char *link;
};

/*
 * Answers 200 with {"<list>": [rows...]} (JSON) or a page titled title with a table,
 * as the request asks; rows of res (a result of ctx->db) are written one at a time as
 * they come. 0, or the HTTP status of a database error that stopped the rows, the
 * answer left unfinished for the handler to return it.
 */
int dm_listing(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_RES *res,
               const struct dm_col *cols, size_t ncols);
/*
 * A list with filters, a sort and pages (pg, parsed and counted): the rows of res, whose
 * select ends with dm_paging_select's two columns, as JSON ({"<list>": [...], "total",
 * "next", "previous"}), CSV (a header of keys, then the rows) or a page (form writes its
 * filter form, when not NULL; then the count, the pager and a table whose headings sort
 * on the server). A Link header names the next and previous pages. res is a stored
 * result when pg->limit, else streamed (the whole list). 0, or as dm_listing.
 */
int dm_listing_paged(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_RES *res,
                     const struct dm_col *cols, size_t ncols, const struct dm_paging *pg,
                     void (*form)(FILE *f, const struct dm_paging *pg));
/*
 * The same, but the JSON answer is the object head (compact JSON text, "{...}", whose
 * members come first) with a member list: the values of the first column, bare ("a",
 * not {"name": "a"}), then total and next as dm_listing_paged gives them.
 */
int dm_listing_paged_in(struct dm_ctx *ctx, const char *title, const char *head, const char *list,
                        MYSQL_RES *res, const struct dm_col *cols, size_t ncols,
                        const struct dm_paging *pg,
                        void (*form)(FILE *f, const struct dm_paging *pg));
/*
 * As dm_listing_paged, for a list made in C: the n rows (each ncols values, then two
 * free slots that get the cursor's columns) that pass the filters, pg->total set to n.
 * They are sorted here, in place, by pg's column (DM_COL_INT ones as numbers, others as
 * bytes, as the binary collation does), the first column telling rows apart, and paged
 * as dm_paging's SQL would. 0, or as dm_listing.
 */
int dm_listing_paged_rows(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_ROW *rows,
                          size_t n, const struct dm_col *cols, size_t ncols,
                          const struct dm_paging *pg,
                          void (*form)(FILE *f, const struct dm_paging *pg));

/*
 * The same, and before the rows are written, fill(rows, n, arg) completes those shown (the
 * page's, or every row of a whole list): columns the sort and the filters do not need can
 * be read for the page alone. fill answers 0, or -1 (a database error or no memory).
 */
int dm_listing_paged_rows_fill(struct dm_ctx *ctx, const char *title, const char *list,
                               MYSQL_ROW *rows, size_t n, const struct dm_col *cols, size_t ncols,
                               const struct dm_paging *pg,
                               void (*form)(FILE *f, const struct dm_paging *pg),
                               int (*fill)(MYSQL_ROW *rows, size_t n, void *arg), void *arg);
/*
 * The same for a page made in C from rows SQL chose: the n rows dm_paging_where and
 * dm_paging_order would give (at most limit + 1, in the direction read), each ncols values
 * and the cursor's two, pg->limit > 0 and pg->total set by the caller. 0, or as dm_listing.
 */
int dm_listing_paged_window(struct dm_ctx *ctx, const char *title, const char *list,
                            MYSQL_ROW *rows, size_t n, const struct dm_col *cols, size_t ncols,
                            const struct dm_paging *pg,
                            void (*form)(FILE *f, const struct dm_paging *pg));

/*
 * The pieces of dm_listing_paged, for a paged list that is one part of a page (a
 * package's installs among its facts and issues): read the page, answer the headers
 * (JSON or CSV, with the Link header), write the list's members or rows, free.
 */
struct dm_page {
	MYSQL *db;
	MYSQL_RES *res;      /* the whole list, streamed, when not paged */
	MYSQL_ROW *src_rows; /* or the whole list made in C, src_n rows */
	size_t src_n;
	int paged;       /* rows is the page read */
	MYSQL_ROW *rows; /* the page's rows in the order shown */
	size_t n;
	char *first, *prev, *next, *last; /* the neighbours' URLs; NULL: none */
	char *link;                       /* the Link header; NULL: none */
};

/*
 * Reads the page of res (select ending with dm_paging_select's columns; a stored result
 * when pg->limit, else streamed and only kept): 0, or -1 (no memory).
 */
int dm_listing_read(struct dm_ctx *ctx, const struct dm_paging *pg, MYSQL_RES *res, size_t ncols,
                    struct dm_page *p);
/* The same for rows made in C, as dm_listing_paged_rows sorts and pages them. */
int dm_listing_rows_read(struct dm_ctx *ctx, const struct dm_paging *pg, MYSQL_ROW *rows, size_t n,
                         const struct dm_col *cols, size_t ncols, struct dm_page *p);
/*
 * The page pg asks for of n rows made and ordered by the caller (cmp orders row i against
 * a cursor's value and key, cursor makes row i's, as dm_paging_slice and dm_pager_links
 * take them): pg->total set to n, p's rows pointing into rows, its neighbours' URLs and
 * Link header made. dm_listing_slice_free frees those, not the rows.
 */
void dm_listing_slice(const struct dm_ctx *ctx, struct dm_paging *pg, MYSQL_ROW *rows, size_t n,
                      int (*cmp)(size_t i, const char *value, const char *key, void *arg),
                      char *(*cursor)(size_t i, void *arg), void *arg, struct dm_page *p);
void dm_listing_slice_free(struct dm_page *p);
/* Answers 200 with the JSON or CSV headers of the list (its file name list.csv). */
void dm_listing_respond(struct dm_ctx *ctx, const struct dm_paging *pg, const char *list,
                        const struct dm_page *p);
/*
 * Writes the members "<list>": [...], "total", and "next" and "previous" when there are
 * such pages, inside an object the caller opens and closes: 0, or -1 when a database
 * error stopped the rows (the list left open).
 */
int dm_listing_json_part(FILE *f, const struct dm_paging *pg, const struct dm_page *p,
                         const char *list, const struct dm_col *cols, size_t ncols);
/* Writes the rows as CSV, a header of the keys first: 0, or -1 as dm_listing_json_part. */
int dm_listing_csv_part(FILE *f, const struct dm_page *p, const struct dm_col *cols, size_t ncols);
/*
 * Writes the count, the pager, the table (headings that sort on the server; each row by
 * row, or as cols say when NULL), the pager again and links to the CSV and JSON.
 */
void dm_listing_html_part(FILE *f, const struct dm_ctx *ctx, const struct dm_paging *pg,
                          const struct dm_page *p, const struct dm_col *cols, size_t ncols,
                          void (*row)(FILE *f, MYSQL_ROW r));
void dm_listing_page_free(struct dm_page *p);

/* The same for rows the caller made (each ncols strings or NULLs), in their order: 0. */
int dm_listing_rows(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_ROW *rows,
                    size_t n, const struct dm_col *cols, size_t ncols);
/*
 * Writes the rows of res, a result of db, only, as a JSON list "[...]": 0, or -1 when a
 * database error stopped them (the list is left open).
 */
int dm_listing_json(FILE *f, MYSQL *db, MYSQL_RES *res, const struct dm_col *cols, size_t ncols);
/* Writes the rows only, as an HTML table: 0, or -1 as dm_listing_json (the table left open). */
int dm_listing_html(FILE *f, MYSQL *db, MYSQL_RES *res, const struct dm_col *cols, size_t ncols);
/* The same two for n rows the caller made. */
void dm_listing_json_rows(FILE *f, MYSQL_ROW *rows, size_t n, const struct dm_col *cols,
                          size_t ncols);
void dm_listing_html_rows(FILE *f, MYSQL_ROW *rows, size_t n, const struct dm_col *cols,
                          size_t ncols);

#endif
