/* it_migrate.c: debmonitor-migrate on databases of earlier versions (tests/data/db/). */
#include "integration.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "db/db.h"

/* Databases made by the code of each earlier schema version: tests/data/db/NAME.sql. */
static const char *const earlier[] = {"v1"};

/* The pages compared, as JSON: what the earlier code showed of the dump (NAME-pages/). */
static const struct page {
	const char *file; /* NAME-pages/FILE.json */
	const char *cgi;
	const char *uri;
	const char *path_info;
	const char *query;
} pages[] = {
    {"dashboard", "dashboard", "/", "", ""},
    {"hosts", "hosts", "/hosts/", "", ""},
    {"host", "host", "/hosts/web1.example.org", "/web1.example.org", ""},
    {"images", "images", "/images/", "", ""},
    {"image", "image", "/images/registry.example.org/team/app:1.2-3",
     "/registry.example.org/team/app:1.2-3", ""},
    {"kubernetes", "kubernetes", "/kubernetes/", "", ""},
    {"packages", "packages", "/packages/", "", ""},
    {"package", "package", "/packages/openssl", "/openssl", ""},
    {"source-packages", "source-packages", "/source-packages/", "", ""},
    {"source-package", "source-package", "/source-packages/openssl", "/openssl", ""},
    {"kernels", "kernels", "/kernels/", "", ""},
    {"search", "search", "/search?q=ssl", "", "q=ssl"},
};

#define OLD_DB "dm_migrate_old"
#define NEW_DB "dm_migrate_new"

/* A file next to the built debmonitor-gc (the build directory's top), in a static buffer. */
static const char *
built(const char *name)
{
	static char path[2][1024];
	static int next;
	char gc[1024], *p = path[next++ % 2];

	snprintf(gc, sizeof(gc), "%s", it_env("DM_GC"));
	snprintf(p, sizeof(path[0]), "%s/%s", dirname(gc), name);
	return p;
}

/* The test's configuration for database db: the instance's, another DB_NAME. */
static const char *
config_for(const char *db)
{
	static char path[1024];
	json_error_t e;
	json_t *cfg;

	snprintf(path, sizeof(path), "%s/migrate-%s.json", it_env("DM_STATE"), db);
	cfg = json_load_file(it_env("DM_CONFIG"), 0, &e);
	ck_assert_msg(cfg != NULL, "%s: %s", it_env("DM_CONFIG"), e.text);
	json_object_set_new(json_object_get(cfg, "MYSQL"), "DB_NAME", json_string(db));
	ck_assert_int_eq(json_dump_file(cfg, path, JSON_INDENT(4)), 0);
	json_decref(cfg);
	return path;
}

/* The server's database user, as the instance's configuration names it (static buffer). */
static const char *
server_user(void)
{
	static char user[256];
	json_error_t e;
	json_t *cfg = json_load_file(it_env("DM_CONFIG"), 0, &e);

	ck_assert_msg(cfg != NULL, "%s: %s", it_env("DM_CONFIG"), e.text);
	snprintf(user, sizeof(user), "%s",
	         json_string_value(json_object_get(json_object_get(cfg, "MYSQL"), "DB_USER")));
	json_decref(cfg);
	return user;
}

/*
 * An empty database db that the server's user may use as ./quickstart grants it (no right
 * to change tables); with dump, loaded from tests/data/db/DUMP.sql.
 */
static void
fresh_db(const char *db, const char *dump)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
	it_db_exec(sql);
	snprintf(sql, sizeof(sql),
	         "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin", db);
	it_db_exec(sql);
	snprintf(sql, sizeof(sql),
	         "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, LOCK TABLES"
	         " ON %s.* TO '%s'@'localhost'",
	         db, server_user());
	it_db_exec(sql);
	if (dump != NULL)
		it_sh("mariadb --no-defaults -S '%s' -uroot %s < '%s/tests/data/db/%s.sql'",
		      it_env("DM_MYSQL_SOCKET"), db, it_env("DM_TEST_SOURCE"), dump);
}

/* Runs a command; its exit code, what it printed (stdout and stderr) in *out. */
static int
run(const char *cmd, char **out)
{
	char chunk[4096];
	struct dm_buf b;
	size_t n;
	FILE *f;
	int st;

	dm_buf_init(&b, 16 * 1024 * 1024);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_int_eq(dm_buf_add(&b, chunk, n), 0);
	ck_assert_int_eq(dm_buf_add(&b, "", 1), 0);
	st = pclose(f);
	*out = b.data;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* debmonitor-migrate on database db, as MariaDB's root (extra: more options). */
static int
migrate(const char *db, const char *extra, char **out)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "'%s' --config '%s' --user root --sql-dir '%s/sql' %s 2>&1",
	         built("debmonitor-migrate"), config_for(db), it_env("DM_TEST_SOURCE"), extra);
	return run(cmd, out);
}

/* One column of query's rows, one line a row, in *out (malloc'd). */
static char *
lines(const char *query)
{
	char cmd[4096], *out;

	snprintf(cmd, sizeof(cmd), "mariadb --no-defaults -S '%s' -uroot -N -B -e \"%s\"",
	         it_env("DM_MYSQL_SOCKET"), query);
	ck_assert_msg(run(cmd, &out) == 0, "%s: %s", query, out);
	return out;
}

/* Every row of every table of db, the columns listed in cols (table: columns), as text. */
static char *
rows_of(const char *db, const char *cols)
{
	struct dm_buf all, q;
	char *save = NULL, *copy = strdup(cols), *line, *colon, *out;

	dm_buf_init(&all, 64 * 1024 * 1024);
	dm_buf_init(&q, 64 * 1024);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ck_assert_ptr_nonnull(colon = strchr(line, '\t'));
		*colon = '\0';
		dm_buf_free(&q);
		dm_buf_init(&q, 64 * 1024);
		ck_assert_int_eq(dm_buf_printf(&q, "SELECT %s FROM %s.%s ORDER BY %s", colon + 1,
		                               db, line, colon + 1),
		                 0);
		out = lines(q.data);
		ck_assert_int_eq(dm_buf_printf(&all, "== %s\n%s", line, out), 0);
		free(out);
	}
	dm_buf_free(&q);
	free(copy);
	return all.data;
}

/*
 * Each table of db with its columns, "table\tcol, col, ..." a line; schema_version, whose
 * one row a migration must change, left out.
 */
static char *
columns_of(const char *db)
{
	char query[512];

	snprintf(query, sizeof(query),
	         "SELECT TABLE_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION)"
	         " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '%s'"
	         " AND TABLE_NAME <> 'schema_version' GROUP BY TABLE_NAME ORDER BY TABLE_NAME",
	         db);
	return lines(query);
}

/* The definition of every table of db, AUTO_INCREMENT counters left out, as text. */
static char *
tables_of(const char *db)
{
	char query[512], *names, *save = NULL, *t, *def, *p, *q;
	struct dm_buf all;

	snprintf(query, sizeof(query),
	         "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s'"
	         " ORDER BY TABLE_NAME",
	         db);
	names = lines(query);
	dm_buf_init(&all, 1024 * 1024);
	for (t = strtok_r(names, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		snprintf(query, sizeof(query), "SHOW CREATE TABLE %s.%s", db, t);
		def = lines(query);
		while ((p = strstr(def, " AUTO_INCREMENT=")) != NULL) {
			q = p + strlen(" AUTO_INCREMENT=");
			q += strspn(q, "0123456789");
			memmove(p, q, strlen(q) + 1);
		}
		ck_assert_int_eq(dm_buf_printf(&all, "%s\n", def), 0);
		free(def);
	}
	free(names);
	return all.data;
}

/* The JSON answer of a page's CGI on database db (with the run's configuration). */
static json_t *
page_json(const struct page *pg, const char *db)
{
	char cmd[4096], cgi[128], *out, *body;
	json_error_t e;
	json_t *j;

	snprintf(cgi, sizeof(cgi), "cgi-bin/%s", pg->cgi);
	snprintf(cmd, sizeof(cmd),
	         "DEBMONITOR_CONFIG='%s' REQUEST_METHOD=GET REQUEST_URI='%s' PATH_INFO='%s'"
	         " QUERY_STRING='%s' HTTP_ACCEPT=application/json '%s'",
	         config_for(db), pg->uri, pg->path_info, pg->query, built(cgi));
	ck_assert_msg(run(cmd, &out) == 0, "%s: %s", pg->uri, out);
	ck_assert_msg(strncmp(out, "Status: 200", 11) == 0, "%s: %s", pg->uri, out);
	ck_assert_ptr_nonnull(body = strstr(out, "\r\n\r\n"));
	j = json_loads(body + 4, 0, &e);
	ck_assert_msg(j != NULL, "%s: not JSON (%s): %s", pg->uri, e.text, body + 4);
	free(out);
	return j;
}

/*
 * want's every member is in got with the same value (got may have more: the API adds
 * members, never renames them); lists have the same length, item by item.
 */
static void
assert_subset(const json_t *want, const json_t *got, const char *where)
{
	char at[1024];
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(want)) {
		ck_assert_msg(json_is_object(got), "%s: not an object", where);
		json_object_foreach ((json_t *)want, key, v) {
			snprintf(at, sizeof(at), "%s.%s", where, key);
			ck_assert_msg(json_object_get(got, key) != NULL, "%s: missing", at);
			assert_subset(v, json_object_get(got, key), at);
		}
		return;
	}
	if (json_is_array(want)) {
		ck_assert_msg(json_is_array(got) && json_array_size(got) == json_array_size(want),
		              "%s: %zu items, want %zu", where, json_array_size(got),
		              json_array_size(want));
		json_array_foreach ((json_t *)want, i, v) {
			snprintf(at, sizeof(at), "%s[%zu]", where, i);
			assert_subset(v, json_array_get(got, i), at);
		}
		return;
	}
	ck_assert_msg(json_equal((json_t *)want, (json_t *)got), "%s: %s, want %s", where,
	              json_dumps(got, JSON_ENCODE_ANY), json_dumps(want, JSON_ENCODE_ANY));
}

/* The pages of db are what the earlier code showed of the dump (DM_MIGRATE_RECORD=1: record). */
static void
assert_pages(const char *dump, const char *db)
{
	char path[1024];
	json_error_t e;
	json_t *want, *got;
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		snprintf(path, sizeof(path), "%s/tests/data/db/%s-pages/%s.json",
		         it_env("DM_TEST_SOURCE"), dump, pages[i].file);
		got = page_json(&pages[i], db);
		if (getenv("DM_MIGRATE_RECORD") != NULL)
			ck_assert_int_eq(json_dump_file(got, path, JSON_INDENT(2) | JSON_SORT_KEYS),
			                 0);
		want = json_load_file(path, 0, &e);
		ck_assert_msg(want != NULL, "%s: %s", path, e.text);
		assert_subset(want, got, pages[i].uri);
		json_decref(want);
		json_decref(got);
	}
}

/*
 * A database of each earlier version migrates to exactly the tables a new one has, keeps
 * every row (the columns it had, as they were), shows the same pages, and a second run
 * changes nothing.
 */
START_TEST(test_migrate_earlier)
{
	const char *dump = earlier[_i];
	char sql[512], *out, *cols, *before, *after, *old_tables, *new_tables;

	fresh_db(OLD_DB, dump);
	cols = columns_of(OLD_DB);
	before = rows_of(OLD_DB, cols);
	ck_assert_msg(migrate(OLD_DB, "", &out) == 0, "%s: %s", dump, out);
	ck_assert_msg(strstr(out, "schema version ") == out, "%s", out);
	free(out);
	ck_assert_msg(migrate(OLD_DB, "", &out) == 0 && strstr(out, ": up to date\n") != NULL,
	              "second run: %s", out);
	free(out);
	after = rows_of(OLD_DB, cols);
	it_db_assert_unchanged(before, after, "debmonitor-migrate (the rows the dump had)");
	snprintf(sql, sizeof(sql), "SELECT version FROM %s.schema_version", OLD_DB);
	ck_assert_int_eq(it_db_count(sql), DM_SCHEMA_VERSION);
	/* Every source version and Debian kernel has its key (dm_keys_fill). */
	snprintf(sql, sizeof(sql),
	         "SELECT (SELECT COUNT(*) FROM %s.source_package_version WHERE version_key IS NULL)"
	         " + (SELECT COUNT(*) FROM %s.kernel_version WHERE version IS NULL)",
	         OLD_DB, OLD_DB);
	ck_assert_int_eq(it_db_count(sql), 0);
	fresh_db(NEW_DB, NULL);
	ck_assert_msg(migrate(NEW_DB, "", &out) == 0 && strstr(out, ": created\n") != NULL, "%s",
	              out);
	free(out);
	old_tables = tables_of(OLD_DB);
	new_tables = tables_of(NEW_DB);
	it_db_assert_unchanged(new_tables, old_tables,
	                       "the migrated tables against a new database's");
	assert_pages(dump, OLD_DB);
	free(old_tables);
	free(new_tables);
	free(before);
	free(after);
	free(cols);
}
END_TEST

/* A database newer than this build is refused and left alone; --check says where it stands. */
START_TEST(test_migrate_newer_refused)
{
	char sql[128], *out, *cols, *before, *after;

	fresh_db(NEW_DB, NULL);
	ck_assert_msg(migrate(NEW_DB, "--check", &out) == 1, "%s", out);
	ck_assert_msg(strstr(out, "steps to version") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(migrate(NEW_DB, "", &out), 0);
	free(out);
	ck_assert_msg(migrate(NEW_DB, "--check", &out) == 0, "%s", out);
	free(out);
	snprintf(sql, sizeof(sql), "UPDATE %s.schema_version SET version = %d", NEW_DB,
	         DM_SCHEMA_VERSION + 1);
	it_db_exec(sql);
	cols = columns_of(NEW_DB);
	before = rows_of(NEW_DB, cols);
	ck_assert_msg(migrate(NEW_DB, "", &out) == 65 &&
	                  strstr(out, "newer than this build") != NULL,
	              "%s", out);
	free(out);
	after = rows_of(NEW_DB, cols);
	it_db_assert_unchanged(before, after, "debmonitor-migrate on a newer database");
	free(before);
	free(after);
	free(cols);
}
END_TEST

/* The server's own user may not change tables: a new database needs an account that may. */
START_TEST(test_migrate_needs_rights)
{
	char cmd[4096], *out;

	fresh_db(NEW_DB, NULL);
	snprintf(cmd, sizeof(cmd), "'%s' --config '%s' --sql-dir '%s/sql' 2>&1",
	         built("debmonitor-migrate"), config_for(NEW_DB), it_env("DM_TEST_SOURCE"));
	ck_assert_msg(run(cmd, &out) == 70, "%s", out);
	ck_assert_msg(strstr(out, "CREATE command denied") != NULL, "%s", out);
	free(out);
}
END_TEST

static void
drop_dbs(void)
{
	it_db_exec("DROP DATABASE IF EXISTS " OLD_DB);
	it_db_exec("DROP DATABASE IF EXISTS " NEW_DB);
}

Suite *
make_it_migrate_suite(void)
{
	Suite *s = suite_create("integration: migrate");
	TCase *tc = tcase_create("migrate");

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, NULL, drop_dbs);
	tcase_add_loop_test(tc, test_migrate_earlier, 0,
	                    (int)(sizeof(earlier) / sizeof(earlier[0])));
	tcase_add_test(tc, test_migrate_newer_refused);
	tcase_add_test(tc, test_migrate_needs_rights);
	suite_add_tcase(s, tc);
	return s;
}
