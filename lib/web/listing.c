/* listing.c: lists of hosts, images, clusters... as JSON one object per row, or as a table. */
#include "web/listing.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/json.h"
#include "web/page.h"

/* Where a listing's rows come from: a query's result, or rows the caller made. */
struct source {
	MYSQL *db;
	MYSQL_RES *res; /* when not NULL, a result of db */
	MYSQL_ROW *rows;
	size_t n, next;
};

static MYSQL_ROW
next_row(struct source *src)
{
	if (src->res != NULL)
		return mysql_fetch_row(src->res);
	return src->next < src->n ? src->rows[src->next++] : NULL;
}

/* After the last row: 0, or -1 when the database stopped the rows with an error. */
static int
rows_end(const struct source *src)
{
	return src->res != NULL ? dm_sql_stream_end(src->db) : 0;
}

/* Names separated by newlines, as a JSON list of strings. */
static void
list_json(FILE *f, char *v)
{
	char *nl;
	int first = 1;

	putc('[', f);
	for (; *v; v = nl ? nl + 1 : v + strlen(v), first = 0) {
		if ((nl = strchr(v, '\n')) != NULL)
			*nl = '\0';
		fputs(first ? "" : ",", f);
		if (dm_json_str(f, v) == -1)
			fputs("null", f);
	}
	putc(']', f);
}

/* One row as an object, written as it comes: no json_t per row or per value. */
static void
row_json(FILE *f, MYSQL_ROW r, const struct dm_col *cols, size_t ncols)
{
	size_t i;

	putc('{', f);
	for (i = 0; i < ncols; i++) {
		if (r[i] == NULL || cols[i].type == DM_COL_STR || cols[i].type == DM_COL_TIME) {
			dm_json_member(f, i == 0, cols[i].key, r[i]);
			continue;
		}
		dm_json_key(f, i == 0, cols[i].key);
		if (cols[i].type == DM_COL_INT || cols[i].type == DM_COL_ID)
			fprintf(f, "%lld", strtoll(r[i], NULL, 10));
		else if (cols[i].type == DM_COL_LIST)
			list_json(f, r[i]);
		else
			fputs(strcmp(r[i], "1") == 0 ? "true" : "false", f);
	}
	putc('}', f);
}

/*
 * The rows as a JSON list, each an object or, bare, its first column's value: 0, or -1
 * with the list left open (rows_end).
 */
static int
rows_json(FILE *f, struct source *src, const struct dm_col *cols, size_t ncols, int bare)
{
	MYSQL_ROW r;
	int first = 1;

	fputc('[', f);
	for (; (r = next_row(src)) != NULL; first = 0) {
		fputs(first ? "\n  " : ",\n  ", f);
		if (!bare)
			row_json(f, r, cols, ncols);
		else if (r[0] == NULL || dm_json_str(f, r[0]) == -1)
			fputs("null", f);
	}
	if (rows_end(src) == -1)
		return -1;
	fputs("\n]", f);
	return 0;
}

int
dm_listing_json(FILE *f, MYSQL *db, MYSQL_RES *res, const struct dm_col *cols, size_t ncols)
{
	struct source src = {.db = db, .res = res};

	return rows_json(f, &src, cols, ncols, 0);
}

static void
list_html(FILE *f, const char *v)
{
	const char *nl;
	char part[256];
	size_t n;

	for (; *v; v = nl ? nl + 1 : v + n) {
		nl = strchr(v, '\n');
		n = nl ? (size_t)(nl - v) : strlen(v);
		snprintf(part, sizeof(part), "%.*s", (int)n, v);
		dm_html_txt(f, part);
		if (nl)
			fputs(", ", f);
	}
}

/* Whether column i is a DM_COL_FLAG that is set in row r. */
static int
flag_set(MYSQL_ROW r, const struct dm_col *cols, size_t i)
{
	return cols[i].type == DM_COL_FLAG && r[i] != NULL && strcmp(r[i], "1") == 0;
}

/* The value of the column keyed key in row r, or NULL when there is none. */
static const char *
value_of(MYSQL_ROW r, const struct dm_col *cols, size_t ncols, const char *key)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i].key, key) == 0)
			return r[i];
	return NULL;
}

/* Writes the link template t of a row r: "{KEY}" the value of column KEY, encoded. */
static void
link_template(FILE *f, const char *t, MYSQL_ROW r, const struct dm_col *cols, size_t ncols)
{
	const char *close, *v;
	char part[64];
	size_t n;

	while (*t) {
		n = strcspn(t, "{");
		n = n < sizeof(part) ? n : sizeof(part) - 1;
		snprintf(part, sizeof(part), "%.*s", (int)n, t);
		dm_html_attr(f, part);
		t += strlen(part);
		if (*t != '{')
			continue;
		if ((close = strchr(t, '}')) == NULL)
			break; /* not a template the code has: the rest left out */
		snprintf(part, sizeof(part), "%.*s", (int)(close - t - 1), t + 1);
		if ((v = value_of(r, cols, ncols, part)) != NULL)
			dm_url_arg(f, v);
		t = close + 1;
	}
}

/* Opens the link of column c: its path prefix and target, or its template filled in. */
static void
link_open(FILE *f, const char *target, const struct dm_col *c, MYSQL_ROW r,
          const struct dm_col *cols, size_t ncols)
{
	fputs("<a href=\"", f);
	if (strchr(c->link, '{') != NULL) {
		link_template(f, c->link, r, cols, ncols);
	} else {
		fputs(c->link, f);
		dm_url_path(f, target);
	}
	fputs("\">", f);
}

/*
 * Cell i of row r; target is what its link points to: the value, or the id column before
 * it; badge, when not NULL, follows the value (a set flag before it).
 */
static void
cell(FILE *f, MYSQL_ROW r, size_t i, const char *target, const char *badge,
     const struct dm_col *cols, size_t ncols)
{
	const struct dm_col *c = &cols[i];
	const char *value = r[i];

	fputs(c->type == DM_COL_INT ? "<td class=\"num\">" : "<td>", f);
	if (value != NULL && target != NULL && c->link != NULL) {
		link_open(f, target, c, r, cols, ncols);
		dm_html_txt(f, value);
		fputs("</a>", f);
	} else if (value != NULL && c->type == DM_COL_LIST) {
		list_html(f, value);
	} else if (value != NULL && c->type == DM_COL_TIME) {
		fputs("<time datetime=\"", f);
		dm_html_attr(f, value);
		fputs("\">", f);
		dm_html_txt(f, value);
		fputs("</time>", f);
	} else if (value != NULL) {
		dm_html_txt(f, value);
	}
	if (badge != NULL)
		fprintf(f, " <span class=\"badge\">%s</span>", badge);
	fputs("</td>", f);
}

/* The row's opening tag, its class naming the flags it has set. */
static void
row_open(FILE *f, MYSQL_ROW r, const struct dm_col *cols, size_t ncols)
{
	size_t i;
	int any = 0;

	fputs("<tr", f);
	for (i = 0; i < ncols; i++) {
		if (flag_set(r, cols, i)) {
			fputs(any ? " " : " class=\"", f);
			fputs(cols[i].key, f);
			any = 1;
		}
	}
	fputs(any ? "\">" : ">", f);
}

static void
row_html(FILE *f, MYSQL_ROW r, const struct dm_col *cols, size_t ncols)
{
	const char *target, *badge;
	size_t i;

	row_open(f, r, cols, ncols);
	for (i = 0; i < ncols; i++) {
		if (cols[i].type == DM_COL_ID || cols[i].type == DM_COL_FLAG)
			continue;
		target = i > 0 && cols[i - 1].type == DM_COL_ID ? r[i - 1] : r[i];
		badge = i > 0 && flag_set(r, cols, i - 1) ? cols[i - 1].title : NULL;
		cell(f, r, i, target, badge, cols, ncols);
	}
	fputs("</tr>\n", f);
}

/* The sort column of key, or NULL when the list does not sort by it. */
static const struct dm_sort *
sort_of(const struct dm_paging *pg, const char *key)
{
	size_t i;

	for (i = 0; i < pg->n_sorts; i++)
		if (strcmp(pg->sorts[i].key, key) == 0)
			return &pg->sorts[i];
	return NULL;
}

/*
 * A heading that sorts on the server: a link to the list sorted by its column, the other
 * way round when it is the one sorted by. aria-sort says which it is.
 */
static void
sort_heading(FILE *f, const struct dm_ctx *ctx, const struct dm_paging *pg, const struct dm_col *c,
             const struct dm_sort *s)
{
	char sort[80], *url;
	int current = s == pg->sort;

	snprintf(sort, sizeof(sort), "%s%s", current && !pg->desc ? "-" : "", s->key);
	fprintf(f, "<th%s%s>", c->type == DM_COL_INT ? " class=\"num\"" : "",
	        !current   ? ""
	        : pg->desc ? " aria-sort=\"descending\""
	                   : " aria-sort=\"ascending\"");
	if ((url = dm_paging_url(ctx, pg, sort, NULL, NULL)) != NULL) {
		fputs("<a class=\"sort-link\" href=\"", f);
		dm_html_attr(f, url);
		fprintf(f, "\">%s</a></th>", c->title);
		free(url);
	} else {
		fprintf(f, "%s</th>", c->title);
	}
}

static void
thead(FILE *f, const struct dm_col *cols, size_t ncols, const struct dm_ctx *ctx,
      const struct dm_paging *pg)
{
	const struct dm_sort *s;
	size_t i;

	fputs("<thead><tr>", f);
	for (i = 0; i < ncols; i++) {
		if (cols[i].type == DM_COL_ID || cols[i].type == DM_COL_FLAG)
			continue;
		if (pg != NULL && (s = sort_of(pg, cols[i].key)) != NULL)
			sort_heading(f, ctx, pg, &cols[i], s);
		else
			fprintf(f, "<th%s>%s</th>",
			        cols[i].type == DM_COL_INT ? " class=\"num\"" : "", cols[i].title);
	}
	fputs("</tr></thead>\n", f);
}

/* The rows as a table: 0, or -1 with the table left open (rows_end). */
static int
rows_html(FILE *f, struct source *src, const struct dm_col *cols, size_t ncols)
{
	/* A streamed result counts no row before they are read: its table is never long. */
	size_t n = src->res != NULL ? (size_t)mysql_num_rows(src->res) : src->n;
	MYSQL_ROW r;

	dm_table_open(f, n);
	fputs("<table>\n", f);
	thead(f, cols, ncols, NULL, NULL);
	fputs("<tbody>\n", f);
	while ((r = next_row(src)) != NULL)
		row_html(f, r, cols, ncols);
	if (rows_end(src) == -1)
		return -1;
	fputs("</tbody>\n</table>\n", f);
	dm_table_close(f, n);
	return 0;
}

void
dm_listing_json_rows(FILE *f, MYSQL_ROW *rows, size_t n, const struct dm_col *cols, size_t ncols)
{
	struct source src = {.rows = rows, .n = n};

	rows_json(f, &src, cols, ncols, 0);
}

void
dm_listing_html_rows(FILE *f, MYSQL_ROW *rows, size_t n, const struct dm_col *cols, size_t ncols)
{
	struct source src = {.rows = rows, .n = n};

	rows_html(f, &src, cols, ncols);
}

int
dm_listing_html(FILE *f, MYSQL *db, MYSQL_RES *res, const struct dm_col *cols, size_t ncols)
{
	struct source src = {.db = db, .res = res};

	return rows_html(f, &src, cols, ncols);
}

/* 0, or the status of the database error that stopped the rows (the answer unfinished). */
static int
answer(struct dm_ctx *ctx, const char *title, const char *list, struct source *src,
       const struct dm_col *cols, size_t ncols)
{
	FILE *f = ctx->res.out;

	if (ctx->req.wants_json) {
		dm_respond(&ctx->res, 200, "application/json", NULL);
		fputs("{", f);
		dm_json_str(f, list);
		fputs(": ", f);
		if (rows_json(f, src, cols, ncols, 0) == -1)
			return dm_db_status(src->db);
		fputs("}\n", f);
		return 0;
	}
	dm_page_begin(ctx, 200, title);
	if (rows_html(f, src, cols, ncols) == -1)
		return dm_db_status(src->db);
	dm_page_end(ctx);
	return 0;
}

int
dm_listing(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_RES *res,
           const struct dm_col *cols, size_t ncols)
{
	struct source src = {.db = ctx->db, .res = res};

	return answer(ctx, title, list, &src, cols, ncols);
}

int
dm_listing_rows(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_ROW *rows, size_t n,
                const struct dm_col *cols, size_t ncols)
{
	struct source src = {.rows = rows, .n = n};

	return answer(ctx, title, list, &src, cols, ncols);
}

/* --- lists with filters, a sort and pages ------------------------------------------------ */

/* One row as CSV fields, CRLF-ended; a list's names separated by spaces. */
static void
row_csv(FILE *f, MYSQL_ROW r, const struct dm_col *cols, size_t ncols)
{
	char *v, *nl;
	size_t i;

	for (i = 0; i < ncols; i++) {
		if (i > 0)
			putc(',', f);
		if (cols[i].type == DM_COL_FLAG) {
			fputs(r[i] != NULL && strcmp(r[i], "1") == 0 ? "true" : "false", f);
		} else if (cols[i].type == DM_COL_LIST && r[i] != NULL &&
		           (v = strdup(r[i])) != NULL) {
			for (nl = v; (nl = strchr(nl, '\n')) != NULL;)
				*nl = ' ';
			dm_csv_field(f, v);
			free(v);
		} else {
			dm_csv_field(f, r[i]);
		}
	}
	fputs("\r\n", f);
}

/* The rows as CSV, a header of the keys first: 0, or -1 as rows_json. */
static int
rows_csv(FILE *f, struct source *src, const struct dm_col *cols, size_t ncols)
{
	MYSQL_ROW r;
	size_t i;

	for (i = 0; i < ncols; i++)
		fprintf(f, "%s%s", i ? "," : "", cols[i].key);
	fputs("\r\n", f);
	while ((r = next_row(src)) != NULL)
		row_csv(f, r, cols, ncols);
	return rows_end(src);
}

static void
page_clear(struct dm_page *p)
{
	free(p->rows);
	free(p->first);
	free(p->prev);
	free(p->next);
	free(p->last);
	free(p->link);
	memset(p, 0, sizeof(*p));
}

void
dm_listing_page_free(struct dm_page *p)
{
	page_clear(p);
}

/* The URL of the page past row r (cursor "after") or before it ("before"). */
static char *
url_from(const struct dm_ctx *ctx, const struct dm_paging *pg, const char *cursor, MYSQL_ROW r,
         size_t ncols)
{
	char *c = dm_paging_cursor(r[ncols], r[ncols + 1]), *url;

	if (c == NULL)
		return NULL;
	url = dm_paging_url(ctx, pg, NULL, cursor, c);
	free(c);
	return url;
}

/* The Link header's value for the page's neighbours, malloc'd, or NULL when none. */
static char *
link_header(const struct dm_page *p)
{
	const char *const rels[] = {"first", "prev", "next", "last"};
	const char *urls[] = {p->first, p->prev, p->next, p->last};
	char *out = NULL;
	size_t i, len = 0;
	int any = 0;
	FILE *f;

	if (!p->first && !p->prev && !p->next && !p->last)
		return NULL;
	if ((f = open_memstream(&out, &len)) == NULL)
		return NULL;
	for (i = 0; i < 4; i++)
		if (urls[i] != NULL)
			fprintf(f, "%s<%s>; rel=\"%s\"", any++ ? ", " : "", urls[i], rels[i]);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

void
dm_listing_slice(const struct dm_ctx *ctx, struct dm_paging *pg, MYSQL_ROW *rows, size_t n,
                 int (*cmp)(size_t i, const char *value, const char *key, void *arg),
                 char *(*cursor)(size_t i, void *arg), void *arg, struct dm_page *p)
{
	struct dm_pager links;
	size_t start, end;

	pg->total = (long long)n;
	dm_paging_slice(pg, n, cmp, arg, &start, &end);
	dm_pager_links(ctx, pg, start, end, n, cursor, arg, &links);
	*p = (struct dm_page){.db = ctx->db,
	                      .paged = 1,
	                      .rows = rows + start,
	                      .n = end - start,
	                      .first = links.first,
	                      .prev = links.prev,
	                      .next = links.next,
	                      .last = links.last};
	p->link = link_header(p);
}

void
dm_listing_slice_free(struct dm_page *p)
{
	struct dm_pager links = {p->first, p->prev, p->next, p->last};

	dm_pager_free(&links);
	free(p->link);
	memset(p, 0, sizeof(*p));
}

/*
 * Reads the page from the n rows of src (limit + 1 at most, in the direction read): the
 * extra row says another page follows that way. 0, or -1 (no memory).
 */
static int
page_read(const struct dm_ctx *ctx, const struct dm_paging *pg, struct source *src, size_t n,
          size_t ncols, struct dm_page *p)
{
	int more, has_next, has_prev;
	MYSQL_ROW r;
	size_t i;

	if ((p->rows = calloc(n + 1, sizeof(*p->rows))) == NULL)
		return -1;
	for (i = 0; i < n && (r = next_row(src)) != NULL; i++)
		p->rows[i] = r;
	more = i > (size_t)pg->limit;
	p->n = more ? (size_t)pg->limit : i;
	for (i = 0; pg->backward && i < p->n / 2; i++) {
		r = p->rows[i];
		p->rows[i] = p->rows[p->n - 1 - i];
		p->rows[p->n - 1 - i] = r;
	}
	has_next = pg->backward ? pg->value != NULL : more;
	has_prev = pg->backward ? more : pg->value != NULL;
	if (p->n > 0 && has_next)
		p->next = url_from(ctx, pg, "after", p->rows[p->n - 1], ncols);
	if (p->n > 0 && has_prev)
		p->prev = url_from(ctx, pg, "before", p->rows[0], ncols);
	if (has_prev || (p->n == 0 && (pg->value != NULL || pg->backward)))
		p->first = dm_paging_url(ctx, pg, NULL, NULL, NULL);
	if (has_next)
		p->last = dm_paging_url(ctx, pg, NULL, "before", "");
	p->link = link_header(p);
	p->paged = 1;
	return 0;
}

int
dm_listing_read(struct dm_ctx *ctx, const struct dm_paging *pg, MYSQL_RES *res, size_t ncols,
                struct dm_page *p)
{
	struct source src = {.db = ctx->db, .res = res};

	memset(p, 0, sizeof(*p));
	p->db = ctx->db;
	p->res = res;
	if (pg->limit == 0)
		return 0;
	if (page_read(ctx, pg, &src, mysql_num_rows(res), ncols, p) == 0)
		return 0;
	page_clear(p);
	return -1;
}

/* --- lists made in C: sorted and paged here, as dm_paging's SQL would ------------------- */

/* What rows_cmp compares by: the sort's column, numbers as numbers; the first column last. */
struct order {
	size_t col;
	int num, desc;
};

static int
value_cmp(const struct order *o, const char *a, const char *b)
{
	long long x, y;

	if (!o->num)
		return strcmp(a ? a : "", b ? b : "");
	x = a ? strtoll(a, NULL, 10) : 0;
	y = b ? strtoll(b, NULL, 10) : 0;
	return x < y ? -1 : x > y;
}

/* Row a against the sort value v and unique key k, in the order shown. */
static int
cursor_cmp(const struct order *o, MYSQL_ROW a, const char *v, const char *k)
{
	int c = value_cmp(o, a[o->col], v);

	if (c == 0)
		c = strcmp(a[0], k);
	return o->desc ? -c : c;
}

static int
rows_cmp(const void *pa, const void *pb, void *arg)
{
	const MYSQL_ROW b = *(const MYSQL_ROW *)pb;

	return cursor_cmp(arg, *(const MYSQL_ROW *)pa, b[((struct order *)arg)->col], b[0]);
}

/* A row and its sort value as a number, read once (not in each of n log n comparisons). */
struct keyed {
	long long k;
	MYSQL_ROW r;
};

static int
keyed_cmp(const void *pa, const void *pb, void *arg)
{
	const struct keyed *a = pa, *b = pb;
	int c = a->k < b->k ? -1 : a->k > b->k;

	if (c == 0)
		c = strcmp(a->r[0], b->r[0]);
	return ((const struct order *)arg)->desc ? -c : c;
}

/* Sorts the n rows as rows_cmp would. 0, or -1 (no memory). */
static int
rows_sort(const struct order *o, MYSQL_ROW *rows, size_t n)
{
	struct keyed *k;
	size_t i;

	if (!o->num) {
		qsort_r(rows, n, sizeof(*rows), rows_cmp, (void *)o);
		return 0;
	}
	if ((k = calloc(n + 1, sizeof(*k))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		k[i] = (struct keyed){rows[i][o->col] ? strtoll(rows[i][o->col], NULL, 10) : 0,
		                      rows[i]};
	qsort_r(k, n, sizeof(*k), keyed_cmp, (void *)o);
	for (i = 0; i < n; i++)
		rows[i] = k[i].r;
	free(k);
	return 0;
}

/* The first of the n sorted rows at or past (past: strictly) the cursor. */
static size_t
rows_find(const struct order *o, MYSQL_ROW *rows, size_t n, const struct dm_paging *pg, int past)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cursor_cmp(o, rows[mid], pg->value, pg->key);
		if (c < 0 || (past && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
dm_listing_rows_read(struct dm_ctx *ctx, const struct dm_paging *pg, MYSQL_ROW *rows, size_t n,
                     const struct dm_col *cols, size_t ncols, struct dm_page *p)
{
	struct order o = {0, 0, pg->desc};
	struct source src = {0};
	size_t i, from, to;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i].key, pg->sort->key) == 0)
			o.col = i;
	o.num = cols[o.col].type == DM_COL_INT;
	if (rows_sort(&o, rows, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		rows[i][ncols] = rows[i][o.col];
		rows[i][ncols + 1] = rows[i][0];
	}
	if (pg->limit == 0) {
		p->src_rows = rows;
		p->src_n = n;
		return 0;
	}
	/* The rows SQL would give: limit + 1 from the cursor on, in the direction read. */
	if (!pg->backward) {
		from = pg->value != NULL ? rows_find(&o, rows, n, pg, 1) : 0;
		to = n - from > (size_t)pg->limit ? from + (size_t)pg->limit + 1 : n;
	} else {
		to = pg->value != NULL ? rows_find(&o, rows, n, pg, 0) : n;
		from = to > (size_t)pg->limit ? to - (size_t)pg->limit - 1 : 0;
	}
	for (i = 0; pg->backward && i < (to - from) / 2; i++) {
		MYSQL_ROW r = rows[from + i];

		rows[from + i] = rows[to - 1 - i];
		rows[to - 1 - i] = r;
	}
	src = (struct source){.rows = rows + from, .n = to - from};
	if (page_read(ctx, pg, &src, to - from, ncols, p) == 0)
		return 0;
	page_clear(p);
	return -1;
}

/* Where the page's rows come from: the page read, the rows made in C, or the result. */
static struct source
page_source(const struct dm_page *p)
{
	if (p->paged)
		return (struct source){.rows = p->rows, .n = p->n};
	if (p->src_rows != NULL || p->res == NULL)
		return (struct source){.rows = p->src_rows, .n = p->src_n};
	return (struct source){.db = p->db, .res = p->res};
}

/* The pager of dm_paging (one way to write it for every list). */
static void
pager(FILE *f, const struct dm_page *p, size_t shown, long long total)
{
	const struct dm_pager links = {p->first, p->prev, p->next, p->last};

	dm_pager_html(f, &links, shown, total);
}

/* Whether the list filters by q= (a name's part): what the table's filter box asks. */
static int
knows_q(const struct dm_paging *pg)
{
	size_t i;

	for (i = 0; i + DM_P__MAX < pg->n_params; i++)
		if (strcmp(pg->params[i].name, "q") == 0)
			return 1;
	return 0;
}

/* Links to the same list as CSV and JSON (all its rows unless limit= was given). */
static void
formats(FILE *f, const struct dm_ctx *ctx, const struct dm_paging *pg)
{
	char *url = dm_paging_url(ctx, pg, NULL, NULL, NULL);
	const char *sep;

	if (url == NULL)
		return;
	sep = strchr(url, '?') ? "&amp;" : "?";
	fputs("<p class=\"formats\">This list as <a href=\"", f);
	dm_html_attr(f, url);
	fprintf(f, "%sformat=csv\">CSV</a> or <a href=\"", sep);
	dm_html_attr(f, url);
	fprintf(f, "%sformat=json\">JSON</a>.</p>\n", sep);
	free(url);
}

void
dm_listing_html_part(FILE *f, const struct dm_ctx *ctx, const struct dm_paging *pg,
                     const struct dm_page *p, const struct dm_col *cols, size_t ncols,
                     void (*row)(FILE *f, MYSQL_ROW r))
{
	size_t i;

	fprintf(f, "<p class=\"list-total\">%lld %s</p>\n", pg->total,
	        pg->total == 1 ? "row matches" : "rows match");
	pager(f, p, p->n, pg->total);
	dm_table_open(f, p->n);
	fprintf(f, "<table data-total=\"%lld\"%s%s>\n", pg->total,
	        (long long)p->n < pg->total ? " data-paged=\"1\"" : "",
	        knows_q(pg) ? " data-q=\"q\"" : "");
	thead(f, cols, ncols, ctx, pg);
	fputs("<tbody>\n", f);
	for (i = 0; i < p->n; i++) {
		if (row != NULL)
			row(f, p->rows[i]);
		else
			row_html(f, p->rows[i], cols, ncols);
	}
	fputs("</tbody>\n</table>\n", f);
	dm_table_close(f, p->n);
	pager(f, p, p->n, pg->total);
	formats(f, ctx, pg);
}

void
dm_listing_respond(struct dm_ctx *ctx, const struct dm_paging *pg, const char *list,
                   const struct dm_page *p)
{
	const char *link = p->link;
	char disposition[128];

	if (pg->format == DM_FORMAT_JSON) {
		if (link != NULL)
			dm_respond(&ctx->res, 200, "application/json", "Link", link, NULL);
		else
			dm_respond(&ctx->res, 200, "application/json", NULL);
		return;
	}
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s.csv\"", list);
	if (link != NULL)
		dm_respond(&ctx->res, 200, "text/csv; charset=utf-8; header=present",
		           "Content-Disposition", disposition, "Link", link, NULL);
	else
		dm_respond(&ctx->res, 200, "text/csv; charset=utf-8; header=present",
		           "Content-Disposition", disposition, NULL);
}

/*
 * The members "<list>": [...] (each row an object or, bare, its first column's value),
 * "total", "next" and "previous": 0, or -1 with the list left open.
 */
static int
json_part(FILE *f, const struct dm_paging *pg, const struct dm_page *p, const char *list,
          const struct dm_col *cols, size_t ncols, int bare)
{
	struct source src = page_source(p);

	dm_json_str(f, list);
	fputs(": ", f);
	if (rows_json(f, &src, cols, ncols, bare) == -1)
		return -1;
	fprintf(f, ",\n \"total\": %lld", pg->total);
	if (p->next != NULL) {
		fputs(",\n \"next\": ", f);
		dm_json_str(f, p->next);
	}
	if (p->prev != NULL) {
		fputs(",\n \"previous\": ", f);
		dm_json_str(f, p->prev);
	}
	return 0;
}

int
dm_listing_json_part(FILE *f, const struct dm_paging *pg, const struct dm_page *p, const char *list,
                     const struct dm_col *cols, size_t ncols)
{
	return json_part(f, pg, p, list, cols, ncols, 0);
}

int
dm_listing_csv_part(FILE *f, const struct dm_page *p, const struct dm_col *cols, size_t ncols)
{
	struct source src = page_source(p);

	return rows_csv(f, &src, cols, ncols);
}

/*
 * The answer of a whole list, its page p read: in JSON {head's members (none when NULL),
 * "<list>": [...], total, next, previous}, the rows bare after a head. 0, or the status
 * of a database error.
 */
static int
paged_answer(struct dm_ctx *ctx, const char *title, const char *head, const char *list,
             const struct dm_col *cols, size_t ncols, const struct dm_paging *pg, struct dm_page *p,
             void (*form)(FILE *f, const struct dm_paging *pg))
{
	FILE *f = ctx->res.out;
	int rc = 0;

	if (pg->format == DM_FORMAT_HTML) {
		dm_page_begin(ctx, 200, title);
		if (form != NULL)
			form(f, pg);
		dm_listing_html_part(f, ctx, pg, p, cols, ncols, NULL);
		dm_page_end(ctx);
	} else {
		dm_listing_respond(ctx, pg, list, p);
		if (pg->format == DM_FORMAT_CSV) {
			rc = dm_listing_csv_part(f, p, cols, ncols);
		} else {
			if (head != NULL) {
				dm_json_open(f, head);
				fputs(strcmp(head, "{}") == 0 ? "" : ",", f);
			} else {
				fputs("{", f);
			}
			if ((rc = json_part(f, pg, p, list, cols, ncols, head != NULL)) == 0)
				fputs("}\n", f);
		}
	}
	dm_listing_page_free(p);
	return rc == -1 ? dm_db_status(ctx->db) : 0;
}

int
dm_listing_paged(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_RES *res,
                 const struct dm_col *cols, size_t ncols, const struct dm_paging *pg,
                 void (*form)(FILE *f, const struct dm_paging *pg))
{
	return dm_listing_paged_in(ctx, title, NULL, list, res, cols, ncols, pg, form);
}

int
dm_listing_paged_in(struct dm_ctx *ctx, const char *title, const char *head, const char *list,
                    MYSQL_RES *res, const struct dm_col *cols, size_t ncols,
                    const struct dm_paging *pg, void (*form)(FILE *f, const struct dm_paging *pg))
{
	struct dm_page p;

	if (dm_listing_read(ctx, pg, res, ncols, &p) == -1)
		return 500;
	return paged_answer(ctx, title, head, list, cols, ncols, pg, &p, form);
}

int
dm_listing_paged_rows(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_ROW *rows,
                      size_t n, const struct dm_col *cols, size_t ncols, const struct dm_paging *pg,
                      void (*form)(FILE *f, const struct dm_paging *pg))
{
	return dm_listing_paged_rows_fill(ctx, title, list, rows, n, cols, ncols, pg, form, NULL,
	                                  NULL);
}

int
dm_listing_paged_rows_fill(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_ROW *rows,
                           size_t n, const struct dm_col *cols, size_t ncols,
                           const struct dm_paging *pg,
                           void (*form)(FILE *f, const struct dm_paging *pg),
                           int (*fill)(MYSQL_ROW *rows, size_t n, void *arg), void *arg)
{
	struct dm_page p;
	struct source src;

	if (dm_listing_rows_read(ctx, pg, rows, n, cols, ncols, &p) == -1)
		return 500;
	src = page_source(&p);
	if (fill != NULL && fill(src.rows, src.n, arg) == -1) {
		dm_listing_page_free(&p);
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	}
	return paged_answer(ctx, title, NULL, list, cols, ncols, pg, &p, form);
}

int
dm_listing_paged_window(struct dm_ctx *ctx, const char *title, const char *list, MYSQL_ROW *rows,
                        size_t n, const struct dm_col *cols, size_t ncols,
                        const struct dm_paging *pg,
                        void (*form)(FILE *f, const struct dm_paging *pg))
{
	struct source src = {.rows = rows, .n = n};
	struct dm_page p;

	memset(&p, 0, sizeof(p));
	if (page_read(ctx, pg, &src, n, ncols, &p) == -1) {
		page_clear(&p);
		return 500;
	}
	return paged_answer(ctx, title, NULL, list, cols, ncols, pg, &p, form);
}
