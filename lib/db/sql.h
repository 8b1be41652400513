/* sql.h: the one audited builder of SQL text; every literal goes through the connection's escaping.
 */
#ifndef DM_SQL_H
#define DM_SQL_H

#include <mysql.h>

#include "core/buf.h"

/* A DATETIME column (UTC) as the API shows times: "2026-11-24T10:00:00Z". */
#define DM_SQL_ISO(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

/* Larger than any statement an update of DM_LIST_MAX packages builds, in chunks. */
#define DM_SQL_MAX (32 * 1024 * 1024)

struct dm_sql {
	MYSQL *db;
	struct dm_buf b;
	int failed; /* out of memory or over DM_SQL_MAX: the statement must not run */
};

void dm_sql_init(struct dm_sql *q, MYSQL *db);
void dm_sql_free(struct dm_sql *q);

/*
 * dm_sql_start(q, tmpl, args...) starts a new statement from a template of a statement
 * table; dm_sql_add(q, tmpl, args...) appends one to the statement being built. The
 * template must be constant SQL text. Each '?' in it takes the next argument as a string
 * literal, quoted and escaped: a char * or const char *, or NULL for SQL NULL. Each '#'
 * takes the next argument as a number: any integer type, written in decimal; a negative
 * value is refused, as no id or count is below zero.
 *
 * The rule is enforced, because a wrong argument used to be silent undefined behaviour
 * (an int read as a char *, a string read as a number):
 * - at compile time, every argument must be a string, NULL or an integer: anything else
 *   (a double, a struct, a void * variable, an int *) has no DM_SQL_ARG association and
 *   does not compile, nor does a call with more than DM_SQL_ARGS_MAX (8) arguments;
 * - at run time, each '?' must meet a string or NULL and each '#' an integer that is not
 *   negative, and there must be exactly as many arguments as placeholders. A mismatch is
 *   a programming error: the statement is marked failed (it never runs) and a message
 *   naming the template goes to stderr (Apache's error log, for a CGI).
 */
#define dm_sql_start(q, ...) dm_sql_start_args((q), DM_SQL__ARGS(__VA_ARGS__))
#define dm_sql_add(q, ...) dm_sql_add_args((q), DM_SQL__ARGS(__VA_ARGS__))
#define DM_SQL_ARGS_MAX 8

/* One argument, tagged with the kind of value the caller passed (DM_SQL_ARG). */
enum dm_sql_arg_kind { DM_SQL_ARG_STR, DM_SQL_ARG_INT, DM_SQL_ARG_UINT };
struct dm_sql_arg {
	enum dm_sql_arg_kind kind;
	union {
		const char *s; /* NULL: SQL NULL */
		long long i;
		unsigned long long u;
	} v;
};

/* What the macros call: tmpl's placeholders filled from the n arguments of v. */
void dm_sql_start_args(struct dm_sql *q, const char *tmpl, const struct dm_sql_arg *v, size_t n);
void dm_sql_add_args(struct dm_sql *q, const char *tmpl, const struct dm_sql_arg *v, size_t n);

static inline struct dm_sql_arg
dm_sql_arg_str(const char *s)
{
	return (struct dm_sql_arg){.kind = DM_SQL_ARG_STR, .v.s = s};
}

static inline struct dm_sql_arg
dm_sql_arg_null(const void *null)
{
	(void)null;
	return (struct dm_sql_arg){.kind = DM_SQL_ARG_STR, .v.s = NULL};
}

/* Every signed type widens to long long and every unsigned one to unsigned long long. */
static inline struct dm_sql_arg
dm_sql_arg_int(long long i)
{
	return (struct dm_sql_arg){.kind = DM_SQL_ARG_INT, .v.i = i};
}

static inline struct dm_sql_arg
dm_sql_arg_uint(unsigned long long u)
{
	return (struct dm_sql_arg){.kind = DM_SQL_ARG_UINT, .v.u = u};
}

/*
 * One argument as a struct dm_sql_arg, chosen by its type; there is deliberately no
 * default association, so that any other type fails to compile. The selector is a
 * conditional expression rather than x itself for two reasons. It applies the integer
 * promotions, so char, short, _Bool and enums arrive as int or unsigned like any other
 * integer. And it tells NULL from other void pointers: NULL is a null pointer constant,
 * and "1 ? NULL : (struct dm_sql_null *)0" has the type struct dm_sql_null *, while a
 * void * variable in its place keeps the type void *, which nothing accepts. The inner
 * selection only supplies that second operand for void * and x itself for the rest, so
 * the conditional is valid whatever x is. Selectors are never evaluated: x is evaluated
 * once, as the argument of the function selected.
 */
struct dm_sql_null;
#define DM_SQL_ARG(x)                                                                              \
	_Generic(1 ? (x) : _Generic((x), void *: (struct dm_sql_null *)0, default: (x)),           \
	    struct dm_sql_null *: dm_sql_arg_null,                                                 \
	    char *: dm_sql_arg_str,                                                                \
	    const char *: dm_sql_arg_str,                                                          \
	    int: dm_sql_arg_int,                                                                   \
	    long: dm_sql_arg_int,                                                                  \
	    long long: dm_sql_arg_int,                                                             \
	    unsigned: dm_sql_arg_uint,                                                             \
	    unsigned long: dm_sql_arg_uint,                                                        \
	    unsigned long long: dm_sql_arg_uint)(x)

/*
 * DM_SQL__ARGS(tmpl, args...) is "tmpl, array, n": the arguments counted and each made a
 * struct dm_sql_arg by DM_SQL_ARG, in a compound literal that lives for the call. The
 * count picks DM_SQL__ARGS_<n>; from DM_SQL_ARGS_MAX + 1 to 16 arguments it picks one that
 * names an incomplete type, so such a call does not compile.
 */
#define DM_SQL__ARGS(...) DM_SQL__CAT(DM_SQL__ARGS_, DM_SQL__COUNT(__VA_ARGS__))(__VA_ARGS__)
#define DM_SQL__CAT(a, b) DM_SQL__CAT2(a, b)
#define DM_SQL__CAT2(a, b) a##b
#define DM_SQL__COUNT(...)                                                                         \
	DM_SQL__PICK(__VA_ARGS__, MANY, MANY, MANY, MANY, MANY, MANY, MANY, MANY, 8, 7, 6, 5, 4,   \
	             3, 2, 1, 0, ~)
#define DM_SQL__PICK(t, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, n,  \
                     ...)                                                                          \
	n
#define DM_SQL__V(n, ...) (const struct dm_sql_arg[n]){__VA_ARGS__}, n
#define DM_SQL__ARGS_MANY(...) sizeof(struct dm_sql_too_many_arguments)
#define DM_SQL__ARGS_0(t) (t), NULL, 0
#define DM_SQL__ARGS_1(t, ...) (t), DM_SQL__V(1, DM_SQL__E1(__VA_ARGS__))
#define DM_SQL__ARGS_2(t, ...) (t), DM_SQL__V(2, DM_SQL__E2(__VA_ARGS__))
#define DM_SQL__ARGS_3(t, ...) (t), DM_SQL__V(3, DM_SQL__E3(__VA_ARGS__))
#define DM_SQL__ARGS_4(t, ...) (t), DM_SQL__V(4, DM_SQL__E4(__VA_ARGS__))
#define DM_SQL__ARGS_5(t, ...) (t), DM_SQL__V(5, DM_SQL__E5(__VA_ARGS__))
#define DM_SQL__ARGS_6(t, ...) (t), DM_SQL__V(6, DM_SQL__E6(__VA_ARGS__))
#define DM_SQL__ARGS_7(t, ...) (t), DM_SQL__V(7, DM_SQL__E7(__VA_ARGS__))
#define DM_SQL__ARGS_8(t, ...) (t), DM_SQL__V(8, DM_SQL__E8(__VA_ARGS__))
#define DM_SQL__E1(a) DM_SQL_ARG(a)
#define DM_SQL__E2(a, ...) DM_SQL_ARG(a), DM_SQL__E1(__VA_ARGS__)
#define DM_SQL__E3(a, ...) DM_SQL_ARG(a), DM_SQL__E2(__VA_ARGS__)
#define DM_SQL__E4(a, ...) DM_SQL_ARG(a), DM_SQL__E3(__VA_ARGS__)
#define DM_SQL__E5(a, ...) DM_SQL_ARG(a), DM_SQL__E4(__VA_ARGS__)
#define DM_SQL__E6(a, ...) DM_SQL_ARG(a), DM_SQL__E5(__VA_ARGS__)
#define DM_SQL__E7(a, ...) DM_SQL_ARG(a), DM_SQL__E6(__VA_ARGS__)
#define DM_SQL__E8(a, ...) DM_SQL_ARG(a), DM_SQL__E7(__VA_ARGS__)

/* Appends more constant SQL text or one literal to the statement being built. */
void dm_sql_raw(struct dm_sql *q, const char *text);
void dm_sql_str(struct dm_sql *q, const char *s);
void dm_sql_uint(struct dm_sql *q, unsigned long long v);
/*
 * Appends the sort key of a Debian version (dm_version_key) as a hex literal, X'...': for
 * the version_key and fixed_key columns, so that SQL compares versions as dpkg does.
 */
void dm_sql_version_key(struct dm_sql *q, const char *version);
/* Appends n strings as literals, "'a', 'b'": the inside of an "IN (...)" list. */
void dm_sql_strs(struct dm_sql *q, const char *const *v, size_t n);
/* Appends n ids as "1, 2, 3)": the end of an "IN (" list. */
void dm_sql_ids(struct dm_sql *q, const unsigned long long *ids, size_t n);
/*
 * Runs "SELECT ... FROM t" (select) over every row (ids NULL) or only those whose column
 * is one of the n ids (none when n is 0), then tail (" ORDER BY ..."): the stored result,
 * or NULL on failure.
 */
MYSQL_RES *dm_sql_scan(MYSQL *db, const char *select, const char *column,
                       const unsigned long long *ids, size_t n, const char *tail);
/* Above this many ids, dm_sql_lookup reads the whole table: one scan beats many lookups. */
#define DM_SQL_LOOKUP_MAX 512
/*
 * Runs "select WHERE column IN (...)" for the n ids (sorted and made distinct here, in
 * place), or select alone over the whole table when they are more than
 * DM_SQL_LOOKUP_MAX: the stored result, or NULL on failure.
 */
MYSQL_RES *dm_sql_lookup(MYSQL *db, const char *select, const char *column, unsigned long long *ids,
                         size_t n);
/* A row of a stored result and the id in its first column. */
struct dm_id_row {
	unsigned long long id;
	MYSQL_ROW r;
};
/* The rows of res by their first column, sorted, into *out (malloc'd, *n): 0, or -1. */
int dm_id_rows(MYSQL_RES *res, struct dm_id_row **out, size_t *n);
/* The row of id among the n sorted ones, or NULL. */
MYSQL_ROW dm_id_row(const struct dm_id_row *a, size_t n, unsigned long long id);

/* A version of a package or a source, and its place in dpkg's order. */
struct dm_ranked {
	unsigned long long id;
	const char *version; /* in the result it was read from */
	size_t rank;         /* equal versions (1.0 and 1.00) share one */
};
/*
 * The rows (id, version) of res into *v (malloc'd, *n of them), sorted in dpkg's order
 * and ranked: 0, or -1 (no memory).
 */
int dm_ranked_read(MYSQL_RES *res, struct dm_ranked **v, size_t *n);
/*
 * "CASE column WHEN id THEN rank ... ELSE other END" for the n versions, malloc'd, so that
 * SQL orders rows by their version as dpkg does: NULL when out of memory.
 */
char *dm_sql_rank_case(const struct dm_ranked *v, size_t n, const char *column, int other);
/* Runs the statement: 0, or -1 (mysql_errno tells why; 0 when the builder failed). */
int dm_sql_exec(struct dm_sql *q);
/* Runs a query and stores its result: the result, or NULL on failure. */
MYSQL_RES *dm_sql_query(struct dm_sql *q);
/* Runs a query whose rows are read as they come (mysql_use_result): for long lists. */
MYSQL_RES *dm_sql_stream(struct dm_sql *q);
/*
 * After mysql_fetch_row gave NULL on a streamed result, which means both "no more rows"
 * and "the connection failed": 0 at the end of the rows, -1 when they stopped on an error
 * (mysql_errno(db) says which). Every loop over a streamed result asks.
 */
int dm_sql_stream_end(MYSQL *db);

/* Results kept alive while strings of their rows are in use (an id map's keys, say). */
struct dm_results {
	MYSQL_RES **v;
	size_t n, cap;
};

/* Keeps res until dm_results_clear: res, or NULL (res freed) when it was NULL or no memory. */
MYSQL_RES *dm_results_keep(struct dm_results *k, MYSQL_RES *res);
/* Frees the results kept; dm_results_free also frees the list itself. */
void dm_results_clear(struct dm_results *k);
void dm_results_free(struct dm_results *k);

#endif
