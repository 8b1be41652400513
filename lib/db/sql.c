/* sql.c: builds statements from templates and escaped literals, and runs them. */
#include "core/version.h"
#include "db/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
dm_sql_init(struct dm_sql *q, MYSQL *db)
{
	q->db = db;
	q->failed = 0;
	dm_buf_init(&q->b, DM_SQL_MAX);
}

void
dm_sql_free(struct dm_sql *q)
{
	dm_buf_free(&q->b);
}

void
dm_sql_raw(struct dm_sql *q, const char *text)
{
	if (dm_buf_adds(&q->b, text) == -1)
		q->failed = 1;
}

void
dm_sql_str(struct dm_sql *q, const char *s)
{
	unsigned long n;
	size_t len;
	char *p;

	if (s == NULL) {
		dm_sql_raw(q, "NULL");
		return;
	}
	len = strlen(s);
	/* The worst case of escaping doubles every byte; two quotes around it. */
	if (q->failed || (p = dm_buf_space(&q->b, 2 * len + 2)) == NULL) {
		q->failed = 1;
		return;
	}
	p[0] = '\'';
	n = mysql_real_escape_string(q->db, p + 1, s, (unsigned long)len);
	p[n + 1] = '\'';
	dm_buf_used(&q->b, n + 2);
}

/* The key as a hex literal: X'' for the empty key of "no version". */
void
dm_sql_version_key(struct dm_sql *q, const char *version)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char key[DM_VERSION_KEY_MAX];
	size_t i, n = dm_version_key(version ? version : "", key, sizeof(key));
	char *p;

	if (n > sizeof(key))
		n = sizeof(key); /* longer than a stored version: cannot be one of ours */
	if (q->failed || (p = dm_buf_space(&q->b, 2 * n + 3)) == NULL) {
		q->failed = 1;
		return;
	}
	*p++ = 'X';
	*p++ = '\'';
	for (i = 0; i < n; i++) {
		*p++ = hex[key[i] >> 4];
		*p++ = hex[key[i] & 15];
	}
	*p = '\'';
	dm_buf_used(&q->b, 2 * n + 3);
}

void
dm_sql_uint(struct dm_sql *q, unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	dm_sql_raw(q, num);
}

/* Writes one argument for its placeholder: NULL, or why the two do not go together. */
static const char *
sql_arg(struct dm_sql *q, char placeholder, const struct dm_sql_arg *a)
{
	if (placeholder == '?') {
		if (a->kind != DM_SQL_ARG_STR)
			return "a number for '?', which takes a string";
		dm_sql_str(q, a->v.s);
	} else if (a->kind == DM_SQL_ARG_STR) {
		return "a string for '#', which takes a number";
	} else if (a->kind == DM_SQL_ARG_INT && a->v.i < 0) {
		return "a negative number for '#'";
	} else {
		dm_sql_uint(q, a->kind == DM_SQL_ARG_INT ? (unsigned long long)a->v.i : a->v.u);
	}
	return NULL;
}

/*
 * Appends tmpl with its placeholders filled from v. Any mismatch between them is a bug in
 * the caller that no input can cause: the statement is failed, and the message names the
 * template, so that the log says which statement to fix.
 */
static void
sql_add(struct dm_sql *q, const char *tmpl, const struct dm_sql_arg *v, size_t n)
{
	const char *p, *why = NULL;
	size_t i = 0, len;

	for (p = tmpl; why == NULL; p++) {
		len = strcspn(p, "?#");
		if (dm_buf_add(&q->b, p, len) == -1)
			q->failed = 1;
		p += len;
		if (*p == '\0')
			break;
		why = i < n ? sql_arg(q, *p, &v[i]) : "more placeholders than arguments";
		i++;
	}
	if (why == NULL && i < n)
		why = "more arguments than placeholders";
	if (why != NULL) {
		q->failed = 1;
		fprintf(stderr,
		        "debmonitor: SQL template \"%s\" not built: %s"
		        " (%zu placeholders met, %zu arguments)\n",
		        tmpl, why, i, n);
	}
}

void
dm_sql_start_args(struct dm_sql *q, const char *tmpl, const struct dm_sql_arg *v, size_t n)
{
	q->b.len = 0;
	q->failed = 0;
	sql_add(q, tmpl, v, n);
}

void
dm_sql_add_args(struct dm_sql *q, const char *tmpl, const struct dm_sql_arg *v, size_t n)
{
	sql_add(q, tmpl, v, n);
}

MYSQL_RES *
dm_sql_scan(MYSQL *db, const char *select, const char *column, const unsigned long long *ids,
            size_t n, const char *tail)
{
	struct dm_sql q;
	MYSQL_RES *res;

	dm_sql_init(&q, db);
	dm_sql_raw(&q, select);
	if (ids != NULL && n == 0)
		dm_sql_raw(&q, " WHERE 0");
	else if (ids != NULL) {
		dm_sql_raw(&q, " WHERE ");
		dm_sql_raw(&q, column);
		dm_sql_raw(&q, " IN (");
		dm_sql_ids(&q, ids, n);
	}
	dm_sql_raw(&q, tail);
	res = dm_sql_query(&q);
	dm_sql_free(&q);
	return res;
}

static int
id_cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

MYSQL_RES *
dm_sql_lookup(MYSQL *db, const char *select, const char *column, unsigned long long *ids, size_t n)
{
	size_t i, k = 0;

	qsort(ids, n, sizeof(*ids), id_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	return k > DM_SQL_LOOKUP_MAX ? dm_sql_scan(db, select, column, NULL, 0, "")
	                             : dm_sql_scan(db, select, column, ids, k, "");
}

static int
id_row_cmp(const void *a, const void *b)
{
	return id_cmp(&((const struct dm_id_row *)a)->id, &((const struct dm_id_row *)b)->id);
}

int
dm_id_rows(MYSQL_RES *res, struct dm_id_row **out, size_t *n)
{
	MYSQL_ROW r;

	*n = 0;
	mysql_data_seek(res, 0);
	if ((*out = calloc(mysql_num_rows(res) + 1, sizeof(**out))) == NULL)
		return -1;
	while ((r = mysql_fetch_row(res)) != NULL)
		(*out)[(*n)++] = (struct dm_id_row){strtoull(r[0], NULL, 10), r};
	qsort(*out, *n, sizeof(**out), id_row_cmp);
	return 0;
}

MYSQL_ROW
dm_id_row(const struct dm_id_row *a, size_t n, unsigned long long id)
{
	struct dm_id_row key = {id, NULL}, *hit = bsearch(&key, a, n, sizeof(*a), id_row_cmp);

	return hit != NULL ? hit->r : NULL;
}

int
dm_sql_exec(struct dm_sql *q)
{
	if (q->failed)
		return -1;
	return mysql_real_query(q->db, q->b.data, (unsigned long)q->b.len) == 0 ? 0 : -1;
}

MYSQL_RES *
dm_sql_query(struct dm_sql *q)
{
	if (dm_sql_exec(q) == -1)
		return NULL;
	return mysql_store_result(q->db);
}

MYSQL_RES *
dm_sql_stream(struct dm_sql *q)
{
	if (dm_sql_exec(q) == -1)
		return NULL;
	return mysql_use_result(q->db);
}

int
dm_sql_stream_end(MYSQL *db)
{
	return mysql_errno(db) != 0 ? -1 : 0;
}

void
dm_sql_ids(struct dm_sql *q, const unsigned long long *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dm_sql_uint(q, ids[i]);
		dm_sql_raw(q, i + 1 < n ? ", " : ")");
	}
}

void
dm_sql_strs(struct dm_sql *q, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			dm_sql_raw(q, ", ");
		dm_sql_str(q, v[i]);
	}
}

MYSQL_RES *
dm_results_keep(struct dm_results *k, MYSQL_RES *res)
{
	MYSQL_RES **v;
	size_t cap;

	if (res == NULL)
		return NULL;
	if (k->n == k->cap) {
		cap = k->cap ? 2 * k->cap : 64;
		if ((v = realloc(k->v, cap * sizeof(*v))) == NULL) {
			mysql_free_result(res);
			return NULL;
		}
		k->v = v;
		k->cap = cap;
	}
	return k->v[k->n++] = res;
}

void
dm_results_clear(struct dm_results *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		mysql_free_result(k->v[i]);
	k->n = 0;
}

void
dm_results_free(struct dm_results *k)
{
	dm_results_clear(k);
	free(k->v);
	k->v = NULL;
	k->cap = 0;
}

static int
ranked_cmp(const void *a, const void *b)
{
	const struct dm_ranked *x = a, *y = b;
	int c = dm_version_cmp(x->version, y->version);

	return c != 0 ? c : strcmp(x->version, y->version);
}

int
dm_ranked_read(MYSQL_RES *res, struct dm_ranked **v, size_t *n)
{
	MYSQL_ROW r;
	size_t i;

	*n = 0;
	if ((*v = calloc(mysql_num_rows(res) + 1, sizeof(**v))) == NULL)
		return -1;
	while ((r = mysql_fetch_row(res)) != NULL) {
		(*v)[*n].id = strtoull(r[0], NULL, 10);
		(*v)[(*n)++].version = r[1];
	}
	qsort(*v, *n, sizeof(**v), ranked_cmp);
	for (i = 1; i < *n; i++)
		(*v)[i].rank =
		    (*v)[i - 1].rank + (dm_version_cmp((*v)[i - 1].version, (*v)[i].version) != 0);
	return 0;
}

char *
dm_sql_rank_case(const struct dm_ranked *v, size_t n, const char *column, int other)
{
	char *out = NULL;
	size_t i, len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		return NULL;
	fprintf(f, "CASE %s", column);
	for (i = 0; i < n; i++)
		fprintf(f, " WHEN %llu THEN %zu", v[i].id, v[i].rank);
	fprintf(f, " ELSE %d END", other);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
