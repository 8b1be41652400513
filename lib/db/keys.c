/* keys.c: filling missing version keys, a chunk of rows at a time. */
#include "db/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"
#include "db/sql.h"

/* The missing keys of one table: "version" is the column the key is made from. */
struct table {
	const char *select; /* id, text of the rows lacking their key, by id */
	const char *update; /* the start of the UPDATE ... CASE id statement */
	int kernel;         /* the text is a kernel's name: the version is read from it */
};

static const struct table tables[] = {
    {"SELECT id, version FROM source_package_version WHERE version_key IS NULL AND id > #"
     " ORDER BY id LIMIT 1000",
     "UPDATE source_package_version SET version_key = CASE id", 0},
    {"SELECT id, name FROM kernel_version WHERE version IS NULL AND id > # ORDER BY id"
     " LIMIT 1000",
     "UPDATE kernel_version SET version = CASE id", 1},
};

static int
fail(MYSQL *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, mysql_error(db));
	return -1;
}

/* The kernel table sets two columns: version, then version_key from it. */
static void
kernel_case(struct dm_sql *q, MYSQL_RES *res, int key)
{
	char version[DM_NAME_MAX + 1];
	MYSQL_ROW row;

	mysql_data_seek(res, 0);
	while ((row = mysql_fetch_row(res)) != NULL) {
		dm_version_from_uname(row[1], version, sizeof(version));
		dm_sql_raw(q, " WHEN ");
		dm_sql_raw(q, row[0]);
		dm_sql_raw(q, " THEN ");
		if (!key)
			dm_sql_str(q, version);
		else if (version[0] == '\0')
			dm_sql_raw(q, "NULL");
		else
			dm_sql_version_key(q, version);
	}
	dm_sql_raw(q, " END");
}

/* One chunk: the number of rows filled (0 when none was left), or -1. */
static long long
chunk(MYSQL *db, const struct table *t, unsigned long long *after, char *err, size_t errlen)
{
	struct dm_sql q;
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long n = 0;
	int rc = 0;

	dm_sql_init(&q, db);
	dm_sql_start(&q, t->select, *after);
	if ((res = dm_sql_query(&q)) == NULL) {
		dm_sql_free(&q);
		return fail(db, "reading rows without a version key", err, errlen);
	}
	if (mysql_num_rows(res) > 0) {
		dm_sql_start(&q, t->update);
		if (t->kernel) {
			kernel_case(&q, res, 0);
			dm_sql_raw(&q, ", version_key = CASE id");
			kernel_case(&q, res, 1);
		} else {
			while ((row = mysql_fetch_row(res)) != NULL) {
				dm_sql_raw(&q, " WHEN ");
				dm_sql_raw(&q, row[0]);
				dm_sql_raw(&q, " THEN ");
				dm_sql_version_key(&q, row[1]);
			}
			dm_sql_raw(&q, " END");
		}
		dm_sql_raw(&q, " WHERE id IN (");
		mysql_data_seek(res, 0);
		while ((row = mysql_fetch_row(res)) != NULL) {
			if (n++ > 0)
				dm_sql_raw(&q, ", ");
			dm_sql_raw(&q, row[0]);
			*after = strtoull(row[0], NULL, 10);
		}
		dm_sql_raw(&q, ")");
		rc = dm_sql_exec(&q);
	}
	mysql_free_result(res);
	dm_sql_free(&q);
	if (rc == -1)
		return fail(db, "writing version keys", err, errlen);
	return n;
}

long long
dm_keys_fill(MYSQL *db, char *err, size_t errlen)
{
	unsigned long long after;
	long long n, total = 0;
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		after = 0;
		while ((n = chunk(db, &tables[i], &after, err, errlen)) > 0)
			total += n;
		if (n == -1)
			return -1;
	}
	return total;
}
