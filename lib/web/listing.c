/* listing.c: lists of hosts, images, clusters... as JSON one object per row, or as a table. */
#include "web/listing.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
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

/* The rows as a JSON list: 0, or -1 with the list left open (rows_end). */
static int
rows_json(FILE *f, struct source *src, const struct dm_col *cols, size_t ncols)
{
	MYSQL_ROW r;
	int first = 1;

	fputc('[', f);
	for (; (r = next_row(src)) != NULL; first = 0) {
		fputs(first ? "\n  " : ",\n  ", f);
		row_json(f, r, cols, ncols);
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

	return rows_json(f, &src, cols, ncols);
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

/*
 * One cell; target is what its link points to: the value, or the id column before it;
 * badge, when not NULL, follows the value (a set flag before it).
 */
static void
cell(FILE *f, const char *value, const char *target, const char *badge, const struct dm_col *c)
{
	fputs(c->type == DM_COL_INT ? "<td class=\"num\">" : "<td>", f);
	if (value != NULL && target != NULL && c->link != NULL) {
		fprintf(f, "<a href=\"%s", c->link);
		dm_url_path(f, target);
		fputs("\">", f);
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
		cell(f, r[i], target, badge, &cols[i]);
	}
	fputs("</tr>\n", f);
}

/* The rows as a table: 0, or -1 with the table left open (rows_end). */
static int
rows_html(FILE *f, struct source *src, const struct dm_col *cols, size_t ncols)
{
	MYSQL_ROW r;
	size_t i;

	fputs("<table>\n<thead><tr>", f);
	for (i = 0; i < ncols; i++)
		if (cols[i].type != DM_COL_ID && cols[i].type != DM_COL_FLAG)
			fprintf(f, "<th%s>%s</th>",
			        cols[i].type == DM_COL_INT ? " class=\"num\"" : "", cols[i].title);
	fputs("</tr></thead>\n<tbody>\n", f);
	while ((r = next_row(src)) != NULL)
		row_html(f, r, cols, ncols);
	if (rows_end(src) == -1)
		return -1;
	fputs("</tbody>\n</table>\n", f);
	return 0;
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
		if (rows_json(f, src, cols, ncols) == -1)
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
