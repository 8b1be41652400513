/* paging.c: sort=, limit=, after=, before= and format= of every list; keyset pages in SQL. */
#include "web/paging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/parse.h"

/*
 * A cursor is the sort value and the unique key of the row a page ends with (after=) or
 * starts with (before=), each in hex, joined by a dot: opaque, and any byte survives a
 * URL. It names a place in the order, not a row: a row deleted since still marks it, so
 * paging while updates arrive visits each row that stays exactly once.
 */
#define CURSOR_MAX 2048

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes n hex digits of s into a malloc'd string: NULL when malformed or a NUL. */
static char *
unhex(const char *s, size_t n)
{
	char *out;
	size_t i;
	int hi, lo;

	if (n % 2 != 0 || (out = malloc(n / 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i += 2) {
		if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0 || (hi | lo) == 0) {
			free(out);
			return NULL;
		}
		out[i / 2] = (char)(hi << 4 | lo);
	}
	out[n / 2] = '\0';
	return out;
}

static void
hex(FILE *f, const char *s)
{
	for (; *s; s++)
		fprintf(f, "%02x", (unsigned char)*s);
}

char *
dm_paging_cursor(const char *value, const char *key)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		return NULL;
	hex(f, value ? value : "");
	putc('.', f);
	hex(f, key ? key : "");
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Reads a cursor: 0, or -1 when it is not one this program wrote. */
static int
cursor_parse(struct dm_paging *pg, const char *c)
{
	const char *dot = strchr(c, '.');

	if (dot == NULL || strlen(c) > CURSOR_MAX)
		return -1;
	pg->value = unhex(c, (size_t)(dot - c));
	pg->key = unhex(dot + 1, strlen(dot + 1));
	return pg->value != NULL && pg->key != NULL && pg->key[0] != '\0' ? 0 : -1;
}

static int
bad(struct dm_ctx *ctx, const char *name, const char *value, const char *why)
{
	dm_bad_param(ctx, "%s: '%.64s' %s", name, value, why);
	return -1;
}

/* The format: format= when given, else what Accept prefers. */
static int
format_parse(struct dm_ctx *ctx, struct dm_paging *pg, const char *v)
{
	if (v == NULL || v[0] == '\0')
		pg->format = ctx->req.wants_csv    ? DM_FORMAT_CSV
		             : ctx->req.wants_json ? DM_FORMAT_JSON
		                                   : DM_FORMAT_HTML;
	else if (strcmp(v, "html") == 0)
		pg->format = DM_FORMAT_HTML;
	else if (strcmp(v, "json") == 0)
		pg->format = DM_FORMAT_JSON;
	else if (strcmp(v, "csv") == 0)
		pg->format = DM_FORMAT_CSV;
	else
		return bad(ctx, "format", v, "is not one of html, json, csv");
	/* The answer follows format=, whatever Accept said: JSON errors for JSON too. */
	ctx->req.wants_json = pg->format == DM_FORMAT_JSON;
	return 0;
}

static int
sort_parse(struct dm_ctx *ctx, struct dm_paging *pg, const char *v)
{
	const char *key = v;
	size_t i;

	pg->sort = &pg->sorts[0];
	if (v == NULL || v[0] == '\0')
		return 0;
	if ((pg->desc = key[0] == '-') != 0)
		key++;
	for (i = 0; i < pg->n_sorts; i++)
		if (strcmp(pg->sorts[i].key, key) == 0) {
			pg->sort = &pg->sorts[i];
			return 0;
		}
	dm_bad_param(ctx, "sort: '%.64s' is not a column of this list (COLUMN or -COLUMN)", v);
	return -1;
}

int
dm_paging_parse(struct dm_ctx *ctx, struct dm_paging *pg, const struct dm_param *params,
                size_t n_params, const struct dm_sort *sorts, size_t n_sorts, const char *unique)
{
	const struct dm_param *p = params + n_params - DM_P__MAX;
	const char *after = p[DM_P_AFTER].value, *before = p[DM_P_BEFORE].value;
	long long limit;

	memset(pg, 0, sizeof(*pg));
	pg->params = params;
	pg->n_params = n_params;
	pg->sorts = sorts;
	pg->n_sorts = n_sorts;
	pg->unique = unique;
	if (format_parse(ctx, pg, p[DM_P_FORMAT].value) == -1 ||
	    sort_parse(ctx, pg, p[DM_P_SORT].value) == -1)
		return -1;
	if (p[DM_P_LIMIT].value != NULL && p[DM_P_LIMIT].value[0] != '\0') {
		if (dm_parse_ll(p[DM_P_LIMIT].value, 1, DM_LIMIT_MAX, &limit) == -1)
			return bad(ctx, "limit", p[DM_P_LIMIT].value,
			           "is not a number from 1 to 5000");
		pg->limit = (long)limit;
	} else if (pg->format == DM_FORMAT_HTML) {
		pg->limit = DM_LIMIT_HTML;
	}
	if (after != NULL && before != NULL)
		return bad(ctx, "after", after, "and before: give one or the other");
	if ((after != NULL || before != NULL) && pg->limit == 0)
		pg->limit = DM_LIMIT_HTML;
	pg->backward = before != NULL;
	if (after != NULL && cursor_parse(pg, after) == -1)
		return bad(ctx, "after", after, "is not a cursor of this list's links");
	if (before != NULL && before[0] != '\0' && cursor_parse(pg, before) == -1)
		return bad(ctx, "before", before, "is not a cursor of this list's links");
	return 0;
}

void
dm_paging_free(struct dm_paging *pg)
{
	free(pg->value);
	free(pg->key);
	pg->value = pg->key = NULL;
}

void
dm_paging_select(struct dm_sql *q, const struct dm_paging *pg)
{
	dm_sql_raw(q, ", ");
	dm_sql_raw(q, pg->sort->sql);
	dm_sql_raw(q, ", ");
	dm_sql_raw(q, pg->unique);
}

/* Whether rows are read in descending order: the sort's, turned round for before=. */
static int
reading_down(const struct dm_paging *pg)
{
	return pg->desc != pg->backward;
}

void
dm_paging_where(struct dm_sql *q, const struct dm_paging *pg)
{
	const char *op = reading_down(pg) ? " < " : " > ";

	if (pg->value == NULL)
		return;
	dm_sql_raw(q, " AND (");
	dm_sql_raw(q, pg->sort->sql);
	dm_sql_raw(q, op);
	dm_sql_str(q, pg->value);
	dm_sql_raw(q, " OR (");
	dm_sql_raw(q, pg->sort->sql);
	dm_sql_raw(q, " = ");
	dm_sql_str(q, pg->value);
	dm_sql_raw(q, " AND ");
	dm_sql_raw(q, pg->unique);
	dm_sql_raw(q, op);
	dm_sql_str(q, pg->key);
	dm_sql_raw(q, "))");
}

void
dm_paging_order(struct dm_sql *q, const struct dm_paging *pg)
{
	const char *dir = reading_down(pg) ? " DESC" : "";

	dm_sql_raw(q, " ORDER BY ");
	dm_sql_raw(q, pg->sort->sql);
	dm_sql_raw(q, dir);
	dm_sql_raw(q, ", ");
	dm_sql_raw(q, pg->unique);
	dm_sql_raw(q, dir);
	if (pg->limit > 0) {
		dm_sql_raw(q, " LIMIT ");
		dm_sql_uint(q, (unsigned long long)pg->limit + 1);
	}
}

int
dm_paging_count(struct dm_sql *q, struct dm_paging *pg)
{
	MYSQL_RES *res = dm_sql_query(q);
	MYSQL_ROW row;

	if (res == NULL)
		return -1;
	row = mysql_fetch_row(res);
	pg->total = row != NULL && row[0] != NULL ? strtoll(row[0], NULL, 10) : 0;
	mysql_free_result(res);
	return 0;
}

/* Appends "?name=value" or "&name=value", value percent-encoded, when value is not empty. */
static void
arg(FILE *f, const char **sep, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	fprintf(f, "%s%s=", *sep, name);
	dm_url_arg(f, value);
	*sep = "&";
}

char *
dm_paging_url(const struct dm_ctx *ctx, const struct dm_paging *pg, const char *sort,
              const char *cursor, const char *value)
{
	const struct dm_param *p = pg->params + pg->n_params - DM_P__MAX;
	const char *uri = ctx->req.uri, *sep = "?";
	char *out = NULL;
	size_t i, len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		return NULL;
	fwrite(uri, 1, strcspn(uri, "?#"), f);
	for (i = 0; i + DM_P__MAX < pg->n_params; i++)
		arg(f, &sep, pg->params[i].name, pg->params[i].value);
	arg(f, &sep, "sort", sort ? sort : p[DM_P_SORT].value);
	arg(f, &sep, "limit", p[DM_P_LIMIT].value);
	if (pg->format != DM_FORMAT_HTML)
		arg(f, &sep, "format", p[DM_P_FORMAT].value);
	if (cursor != NULL) {
		fprintf(f, "%s%s=", sep, cursor);
		dm_url_arg(f, value ? value : "");
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

void
dm_paging_slice(const struct dm_paging *pg, size_t n,
                int (*cmp)(size_t i, const char *value, const char *key, void *arg), void *arg,
                size_t *start, size_t *end)
{
	size_t limit = pg->limit > 0 ? (size_t)pg->limit : n, i = 0;

	if (pg->value != NULL)
		while (i < n && cmp(i, pg->value, pg->key, arg) < (pg->backward ? 0 : 1))
			i++;
	else if (pg->backward)
		i = n;
	if (pg->backward) {
		*end = i;
		*start = i > limit ? i - limit : 0;
	} else {
		*start = i;
		*end = n - i > limit ? i + limit : n;
	}
}

void
dm_pager_links(const struct dm_ctx *ctx, const struct dm_paging *pg, size_t start, size_t end,
               size_t n, char *(*cursor)(size_t i, void *arg), void *arg, struct dm_pager *p)
{
	char *c;

	memset(p, 0, sizeof(*p));
	if (start > 0) {
		p->first = dm_paging_url(ctx, pg, NULL, NULL, NULL);
		if (start < n && (c = cursor(start, arg)) != NULL) {
			p->prev = dm_paging_url(ctx, pg, NULL, "before", c);
			free(c);
		}
	}
	if (end < n) {
		p->last = dm_paging_url(ctx, pg, NULL, "before", "");
		if (end > 0 && (c = cursor(end - 1, arg)) != NULL) {
			p->next = dm_paging_url(ctx, pg, NULL, "after", c);
			free(c);
		}
	}
}

void
dm_pager_html(FILE *f, const struct dm_pager *p, size_t shown, long long total)
{
	const char *const rels[] = {"first", "prev", "next", "last"};
	const char *const text[] = {"&laquo; First", "&lsaquo; Previous", "Next &rsaquo;",
	                            "Last &raquo;"};
	const char *urls[] = {p->first, p->prev, p->next, p->last};
	size_t i;

	if (!p->first && !p->prev && !p->next && !p->last)
		return;
	fputs("<nav class=\"pager\" aria-label=\"Pages\">", f);
	for (i = 0; i < 4; i++) {
		if (i == 2)
			fprintf(f, "<span class=\"muted\">%zu of %lld</span>", shown, total);
		if (urls[i] == NULL) {
			fprintf(f, "<span class=\"off\">%s</span>", text[i]);
			continue;
		}
		fprintf(f, "<a rel=\"%s\" href=\"", rels[i]);
		dm_html_attr(f, urls[i]);
		fprintf(f, "\">%s</a>", text[i]);
	}
	fputs("</nav>\n", f);
}

void
dm_pager_free(struct dm_pager *p)
{
	free(p->first);
	free(p->prev);
	free(p->next);
	free(p->last);
	memset(p, 0, sizeof(*p));
}
