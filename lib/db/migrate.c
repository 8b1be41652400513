/* migrate.c: schema.sql for a new database, then the numbered steps up to this build's. */
#include "db/migrate.h"

#include <dirent.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/parse.h"
#include "db/db.h"
#include "db/keys.h"

/* The largest SQL file read: schema.sql is 10 KiB. */
#define DM_MIGRATE_FILE_MAX (4 * 1024 * 1024)
/* Seconds to wait for another run to finish. */
#define DM_MIGRATE_LOCK_WAIT "60"

static enum dm_migrate_result
fail(enum dm_migrate_result r, MYSQL *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, db && mysql_errno(db) ? mysql_error(db) : "failed");
	return r;
}

/* The version schema_version records: 0 when there is no such table (a new database). */
static int
version(MYSQL *db, long long *v)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	*v = 0;
	if (mysql_query(db, "SELECT MAX(version) FROM schema_version") != 0)
		return mysql_errno(db) == ER_NO_SUCH_TABLE ? 0 : -1;
	if ((res = mysql_store_result(db)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		dm_parse_ll(row[0], 0, 1000000, v);
	mysql_free_result(res);
	return 0;
}

/* Runs every statement of a file's text; 0, or -1 at the first that fails, saying why. */
static int
run_script(MYSQL *db, const struct dm_buf *text, const char *path, char *err, size_t errlen)
{
	MYSQL_RES *res;
	int rc;

	if (mysql_set_server_option(db, MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0)
		return -1;
	/* As mysql_next_result: 0 another statement's result, -1 none left, > 0 an error. */
	rc = mysql_real_query(db, text->data, (unsigned long)text->len) != 0 ? 1 : 0;
	while (rc == 0) {
		if ((res = mysql_store_result(db)) != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(db) != 0)
			rc = 1;
		if (rc == 0)
			rc = mysql_next_result(db);
	}
	rc = rc > 0 ? -1 : 0;
	/* Before the next call on the connection clears it. */
	if (rc == -1)
		snprintf(err, errlen, "%s: %s", path, mysql_error(db));
	mysql_set_server_option(db, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return rc;
}

/* The path of step n: migrations/NNN-*.sql. 0, or -1 when there is none. */
static int
step_path(const char *dir, long long n, char *path, size_t len)
{
	char sub[4096], prefix[32];
	struct dirent *e;
	size_t l;
	DIR *d;
	int rc = -1;

	snprintf(sub, sizeof(sub), "%s/migrations", dir);
	snprintf(prefix, sizeof(prefix), "%03lld-", n);
	if ((d = opendir(sub)) == NULL)
		return -1;
	while (rc == -1 && (e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && l > 4 &&
		    strcmp(e->d_name + l - 4, ".sql") == 0) {
			/* A path too long for len is no path at all. */
			if (snprintf(path, len, "%s/%s", sub, e->d_name) < (int)len)
				rc = 0;
		}
	}
	closedir(d);
	return rc;
}

/* Runs the file at path, then (n > 0) records version n, in one transaction where DDL allows. */
static enum dm_migrate_result
apply(MYSQL *db, const char *path, long long n, char *err, size_t errlen)
{
	char record[96];
	struct dm_buf text;
	int failed;

	dm_buf_init(&text, DM_MIGRATE_FILE_MAX);
	if (dm_buf_read_file(&text, path, err, errlen) == -1) {
		dm_buf_free(&text);
		return DM_MIGRATE_MISSING;
	}
	snprintf(record, sizeof(record), "UPDATE schema_version SET version = %lld", n);
	err[0] = '\0';
	failed = mysql_query(db, "START TRANSACTION") != 0 ||
	         run_script(db, &text, path, err, errlen) != 0 ||
	         (n > 0 && mysql_query(db, record) != 0) || mysql_commit(db) != 0;
	dm_buf_free(&text);
	if (!failed)
		return DM_MIGRATE_DONE;
	if (err[0] == '\0')
		fail(DM_MIGRATE_FAILED, db, path, err, errlen);
	mysql_rollback(db);
	return DM_MIGRATE_FAILED;
}

/* A new database: schema.sql, which must make this build's version. */
static enum dm_migrate_result
create(MYSQL *db, struct dm_migrate *m, char *err, size_t errlen)
{
	enum dm_migrate_result r;
	char path[4096];

	snprintf(path, sizeof(path), "%s/schema.sql", m->sql_dir);
	if ((r = apply(db, path, 0, err, errlen)) != DM_MIGRATE_DONE)
		return r;
	if (version(db, &m->to) == -1)
		return fail(DM_MIGRATE_FAILED, db, "schema_version", err, errlen);
	if (m->to != DM_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s makes schema version %lld, this build needs %d", path,
		         m->to, DM_SCHEMA_VERSION);
		return DM_MIGRATE_FAILED;
	}
	return DM_MIGRATE_DONE;
}

/* Every step from m->from to this build's version, each file found before any is run. */
static enum dm_migrate_result
steps(MYSQL *db, struct dm_migrate *m, char *err, size_t errlen)
{
	enum dm_migrate_result r;
	char path[4096];
	long long n;

	for (n = m->from + 1; n <= DM_SCHEMA_VERSION; n++)
		if (step_path(m->sql_dir, n, path, sizeof(path)) == -1) {
			snprintf(err, errlen,
			         "%s/migrations: no %03lld-*.sql to reach version %lld", m->sql_dir,
			         n, n);
			return DM_MIGRATE_MISSING;
		}
	for (n = m->from + 1; n <= DM_SCHEMA_VERSION; n++) {
		step_path(m->sql_dir, n, path, sizeof(path));
		if ((r = apply(db, path, n, err, errlen)) != DM_MIGRATE_DONE)
			return r;
		m->to = n;
	}
	return DM_MIGRATE_DONE;
}

static enum dm_migrate_result
run(MYSQL *db, struct dm_migrate *m, char *err, size_t errlen)
{
	if (version(db, &m->from) == -1)
		return fail(DM_MIGRATE_FAILED, db, "schema_version", err, errlen);
	m->to = m->from;
	if (m->from > DM_SCHEMA_VERSION) {
		snprintf(err, errlen,
		         "the database's schema is version %lld, newer than this build's (%d):"
		         " upgrade DebMonitor instead",
		         m->from, DM_SCHEMA_VERSION);
		return DM_MIGRATE_NEWER;
	}
	if (m->from == DM_SCHEMA_VERSION)
		return DM_MIGRATE_DONE;
	if (m->check) {
		m->to = DM_SCHEMA_VERSION;
		return DM_MIGRATE_PENDING;
	}
	return m->from == 0 ? create(db, m, err, errlen) : steps(db, m, err, errlen);
}

enum dm_migrate_result
dm_migrate(MYSQL *db, struct dm_migrate *m, char *err, size_t errlen)
{
	enum dm_migrate_result r;
	MYSQL_RES *res;
	MYSQL_ROW row;
	int locked;

	if (mysql_query(db, "SELECT GET_LOCK('debmonitor-migrate', " DM_MIGRATE_LOCK_WAIT ")") !=
	        0 ||
	    (res = mysql_store_result(db)) == NULL)
		return fail(DM_MIGRATE_FAILED, db, "GET_LOCK", err, errlen);
	row = mysql_fetch_row(res);
	locked = row != NULL && row[0] != NULL && strcmp(row[0], "1") == 0;
	mysql_free_result(res);
	if (!locked) {
		snprintf(err, errlen, "another debmonitor-migrate is running on this database");
		return DM_MIGRATE_FAILED;
	}
	r = run(db, m, err, errlen);
	/*
	 * Version keys the SQL steps cannot compute (schema 2): those of a migrated database,
	 * or of rows an older build wrote. Two short reads when none is missing.
	 */
	if (r == DM_MIGRATE_DONE && dm_keys_fill(db, err, errlen) == -1)
		r = DM_MIGRATE_FAILED;
	if (mysql_query(db, "SELECT RELEASE_LOCK('debmonitor-migrate')") == 0 &&
	    (res = mysql_store_result(db)) != NULL)
		mysql_free_result(res);
	return r;
}
