/* paging.h: a list's format, server-side sort and keyset pages, from its query string. */
#ifndef DM_PAGING_H
#define DM_PAGING_H

#include <stddef.h>

#include "cgi/entry.h"
#include "cgi/params.h"
#include "db/sql.h"

/* Rows per page of HTML unless limit= says otherwise, and the most limit= may ask. */
#define DM_LIMIT_HTML 200
#define DM_LIMIT_MAX 5000

enum dm_format { DM_FORMAT_HTML, DM_FORMAT_JSON, DM_FORMAT_CSV };

/* A column a list sorts by: the key sort= names (the column's JSON key), its SQL. */
struct dm_sort {
	const char *key;
	const char *sql; /* never NULL in a row: COALESCE what may be */
};

/*
 * The parameters every list knows besides its filters, in this order at the end of its
 * dm_param array (DM_PAGING_PARAMS), so that one dm_params call reads them all.
 */
enum dm_paging_param { DM_P_SORT, DM_P_LIMIT, DM_P_AFTER, DM_P_BEFORE, DM_P_FORMAT, DM_P__MAX };
#define DM_PAGING_PARAMS                                                                           \
	{"sort", NULL}, {"limit", NULL}, {"after", NULL}, {"before", NULL},                        \
	{                                                                                          \
		"format", NULL                                                                     \
	}

struct dm_paging {
	const struct dm_param *params; /* every parameter of the list, filters first */
	size_t n_params;
	const struct dm_sort *sorts, *sort; /* the columns, and the one sorted by */
	size_t n_sorts;
	int desc;           /* sort=-KEY */
	const char *unique; /* SQL of what tells rows apart, ascending with the sort */
	enum dm_format format;
	long limit;        /* rows per page; 0: the whole list, streamed */
	int backward;      /* before=: the page that ends before the cursor (empty: the last) */
	char *value, *key; /* the cursor's sort value and unique key, decoded; NULL: none */
	long long total;   /* rows the filters keep (dm_paging_count) */
};

/*
 * Reads the paging parameters (the last DM_P__MAX of params) and the format (format=,
 * else the Accept header): 0, or -1 after answering 400 naming the parameter. sorts[0]
 * is the default sort; unique is the SQL of a unique column.
 */
int dm_paging_parse(struct dm_ctx *ctx, struct dm_paging *pg, const struct dm_param *params,
                    size_t n_params, const struct dm_sort *sorts, size_t n_sorts,
                    const char *unique);
void dm_paging_free(struct dm_paging *pg);
/* Appends ", SORT, UNIQUE": the select's last two columns, which make the cursors. */
void dm_paging_select(struct dm_sql *q, const struct dm_paging *pg);
/* Appends " AND (...)": the rows past the cursor, in the direction read (none: nothing). */
void dm_paging_where(struct dm_sql *q, const struct dm_paging *pg);
/* Appends " ORDER BY ... LIMIT": one row more than a page, to know if another follows. */
void dm_paging_order(struct dm_sql *q, const struct dm_paging *pg);
/*
 * Runs the count query q holds (SELECT COUNT(*) FROM ... WHERE filters) into pg->total:
 * 0, or -1 (a database error).
 */
int dm_paging_count(struct dm_sql *q, struct dm_paging *pg);
/*
 * The URL of this list with its filters, its sort (or sort, when not NULL) and
 * cursor=value (cursor NULL: none), malloc'd: the path and a query string, each value
 * percent-encoded. NULL: no memory.
 */
char *dm_paging_url(const struct dm_ctx *ctx, const struct dm_paging *pg, const char *sort,
                    const char *cursor, const char *value);
/* The URLs of a page's neighbours, malloc'd; NULL where there is none. */
struct dm_pager {
	char *first, *prev, *next, *last;
};
/*
 * The neighbours of rows [start, end) of n rows in the list's order, each row's cursor
 * being cursor(i) (malloc'd, made by dm_paging_cursor): for lists paged in C.
 */
void dm_pager_links(const struct dm_ctx *ctx, const struct dm_paging *pg, size_t start, size_t end,
                    size_t n, char *(*cursor)(size_t i, void *arg), void *arg, struct dm_pager *p);
/* The pager, <nav class="pager">: first, previous, "shown of total", next, last. */
void dm_pager_html(FILE *f, const struct dm_pager *p, size_t shown, long long total);
void dm_pager_free(struct dm_pager *p);
/*
 * The rows [*start, *end) of n (in the list's order) that the page's cursor and limit
 * ask for; cmp(i, value, key, arg) orders row i against the cursor (<0, 0, >0).
 */
void dm_paging_slice(const struct dm_paging *pg, size_t n,
                     int (*cmp)(size_t i, const char *value, const char *key, void *arg), void *arg,
                     size_t *start, size_t *end);
/* The cursor of a row whose last two columns are those of dm_paging_select, malloc'd. */
char *dm_paging_cursor(const char *value, const char *key);

#endif
