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
 * Starts a new statement from a template of a statement table: each '?' takes the next
 * argument as a const char * (quoted and escaped; NULL gives NULL), each '#' as an
 * unsigned long long. The template itself must be constant SQL text.
 */
void dm_sql_start(struct dm_sql *q, const char *tmpl, ...);
/* Appends a template as dm_sql_start does, to the statement being built. */
void dm_sql_add(struct dm_sql *q, const char *tmpl, ...);
/* Appends more constant SQL text or one literal to the statement being built. */
void dm_sql_raw(struct dm_sql *q, const char *text);
void dm_sql_str(struct dm_sql *q, const char *s);
void dm_sql_uint(struct dm_sql *q, unsigned long long v);
/* Appends n strings as literals, "'a', 'b'": the inside of an "IN (...)" list. */
void dm_sql_strs(struct dm_sql *q, const char *const *v, size_t n);
/* Appends n ids as "1, 2, 3)": the end of an "IN (" list. */
void dm_sql_ids(struct dm_sql *q, const unsigned long long *ids, size_t n);
/* Runs the statement: 0, or -1 (mysql_errno tells why; 0 when the builder failed). */
int dm_sql_exec(struct dm_sql *q);
/* Runs a query and stores its result: the result, or NULL on failure. */
MYSQL_RES *dm_sql_query(struct dm_sql *q);
/* Runs a query whose rows are read as they come (mysql_use_result): for long lists. */
MYSQL_RES *dm_sql_stream(struct dm_sql *q);

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
