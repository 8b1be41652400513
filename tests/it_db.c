/* it_db.c: the test instance's MariaDB read directly as root, to see what a request wrote. */
#include "integration.h"

#include <limits.h>
#include <mysql.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/parse.h"

#define IT_DB_SNAPSHOT_MAX (512 * 1024 * 1024)

/* The data tables, each in the order of its primary key. */
static const struct {
	const char *table;
	const char *order;
} data_tables[] = {
    {"os", "id"},
    {"kernel_version", "id"},
    {"package", "id"},
    {"source_package", "id"},
    {"source_package_version", "id"},
    {"package_version", "id"},
    {"host", "id"},
    {"host_package", "host_id, package_id"},
    {"image", "id"},
    {"image_package", "image_id, package_id"},
    {"kubernetes_image", "cluster, namespace, image_id"},
};

/*
 * A new connection per call: Check forks a process per test, and a connection must not
 * be shared across fork.
 */
MYSQL *
it_db_open(void)
{
	MYSQL *db = mysql_init(NULL);
	unsigned int timeout = 30;

	ck_assert_ptr_nonnull(db);
	mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(db, NULL, "root", NULL, it_env("DM_DB_NAME"), 0,
	                       it_env("DM_MYSQL_SOCKET"), 0) == NULL) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", mysql_error(db));
		mysql_close(db);
		ck_abort_msg("cannot connect to %s as root: %s", it_env("DM_MYSQL_SOCKET"), msg);
	}
	ck_assert_int_eq(mysql_query(db, "SET time_zone = '+00:00'"), 0);
	return db;
}

static MYSQL_RES *
db_query(MYSQL *db, const char *sql)
{
	MYSQL_RES *res;

	ck_assert_msg(mysql_query(db, sql) == 0, "%s: %s", sql, mysql_error(db));
	res = mysql_store_result(db);
	ck_assert_msg(res != NULL, "%s: no result: %s", sql, mysql_error(db));
	return res;
}

void
it_db_exec(const char *sql)
{
	MYSQL *db = it_db_open();

	ck_assert_msg(mysql_query(db, sql) == 0, "%s: %s", sql, mysql_error(db));
	mysql_close(db);
}

char *
it_db_value(const char *sql)
{
	MYSQL *db = it_db_open();
	MYSQL_RES *res = db_query(db, sql);
	MYSQL_ROW row = mysql_fetch_row(res);
	char *v = NULL;

	if (row != NULL && mysql_num_fields(res) > 0 && row[0] != NULL)
		ck_assert_ptr_nonnull(v = strdup(row[0]));
	mysql_free_result(res);
	mysql_close(db);
	return v;
}

long long
it_db_count(const char *sql)
{
	char *v = it_db_value(sql);
	long long n = -1;

	ck_assert_msg(v != NULL, "%s: no value", sql);
	ck_assert_msg(dm_parse_ll(v, -(1LL << 62), 1LL << 62, &n) == 0, "%s: not a number: %s", sql,
	              v);
	free(v);
	return n;
}

/* One table as a header line and one tab-separated line per row; NULL shown as \N. */
static void
dump_table(MYSQL *db, struct dm_buf *b, const char *table, const char *order)
{
	char sql[256];
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long *len;
	unsigned int i, n;
	int rc = 0;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s", table, order);
	res = db_query(db, sql);
	n = mysql_num_fields(res);
	rc |=
	    dm_buf_printf(b, "== %s (%llu rows)\n", table, (unsigned long long)mysql_num_rows(res));
	while ((row = mysql_fetch_row(res)) != NULL) {
		len = mysql_fetch_lengths(res);
		for (i = 0; i < n; i++) {
			if (i > 0)
				rc |= dm_buf_add(b, "\t", 1);
			if (row[i] == NULL)
				rc |= dm_buf_add(b, "\\N", 2);
			else
				rc |= dm_buf_add(b, row[i], len[i]);
		}
		rc |= dm_buf_add(b, "\n", 1);
	}
	mysql_free_result(res);
	ck_assert_msg(rc == 0, "the snapshot of %s does not fit in memory", table);
}

char *
it_db_snapshot(void)
{
	MYSQL *db = it_db_open();
	struct dm_buf b;
	size_t i;

	dm_buf_init(&b, IT_DB_SNAPSHOT_MAX);
	/* One consistent read of every table, whatever commits meanwhile. */
	ck_assert_int_eq(mysql_query(db, "START TRANSACTION WITH CONSISTENT SNAPSHOT"), 0);
	for (i = 0; i < sizeof(data_tables) / sizeof(data_tables[0]); i++)
		dump_table(db, &b, data_tables[i].table, data_tables[i].order);
	ck_assert_int_eq(mysql_query(db, "COMMIT"), 0);
	mysql_close(db);
	return b.data;
}

/* Names the first line where two snapshots differ, for a readable failure. */
void
it_db_assert_unchanged(const char *before, const char *after, const char *what)
{
	size_t i = 0, line = 1, start = 0;

	if (strcmp(before, after) == 0)
		return;
	for (; before[i] && before[i] == after[i]; i++)
		if (before[i] == '\n')
			line++, start = i + 1;
	ck_abort_msg("%s changed the database; first difference at snapshot line %zu:\n"
	             "before: %.*s\nafter:  %.*s",
	             what, line, (int)strcspn(before + start, "\n"), before + start,
	             (int)strcspn(after + start, "\n"), after + start);
}

void
it_assert_rejected(const char *what, const char *before, const struct it_response *r, long status)
{
	char *after = it_db_snapshot();

	ck_assert_msg(r->status == status, "%s: HTTP %ld, want %ld: %s", what, r->status, status,
	              r->body);
	it_db_assert_unchanged(before, after, what);
	free(after);
}

/* The running server's command line, as /proc shows it: what it_db_start runs again. */
static char db_cmdline[8192];
static size_t db_cmdline_len;

pid_t
it_pid_file(const char *path)
{
	char buf[32] = "";
	FILE *f;
	long long pid = 0;

	ck_assert_msg((f = fopen(path, "r")) != NULL, "%s: cannot read", path);
	if (fgets(buf, sizeof(buf), f) != NULL)
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	ck_assert_msg(dm_parse_ll(buf, 1, INT_MAX, &pid) == 0, "%s: no process id", path);
	return (pid_t)pid;
}

pid_t
it_db_pid(void)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/mysqld.pid", it_env("DM_STATE"));
	return it_pid_file(path);
}

void
it_db_stop(int sig)
{
	char path[64];
	pid_t pid = it_db_pid();
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	db_cmdline_len = fread(db_cmdline, 1, sizeof(db_cmdline) - 1, f);
	fclose(f);
	ck_assert_uint_gt(db_cmdline_len, 0);
	ck_assert_int_eq(kill(pid, sig), 0);
	for (i = 0; i < 300 && kill(pid, 0) == 0; i++)
		usleep(100 * 1000);
	ck_assert_msg(kill(pid, 0) == -1, "MariaDB (pid %d) did not stop", (int)pid);
}

void
it_db_start(void)
{
	char *argv[128];
	size_t i, n = 0;
	pid_t pid;
	int tries;

	ck_assert_uint_gt(db_cmdline_len, 0);
	for (i = 0; i < db_cmdline_len && n + 1 < sizeof(argv) / sizeof(argv[0]);
	     i += strlen(db_cmdline + i) + 1)
		argv[n++] = db_cmdline + i;
	argv[n] = NULL;
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		/* A daemon of its own: not a child Check waits for, not in the test's session. */
		setsid();
		if (fork() != 0)
			_exit(0);
		freopen("/dev/null", "r", stdin);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	for (tries = 0; tries < 300; tries++) {
		MYSQL *db = mysql_init(NULL);

		if (db != NULL && mysql_real_connect(db, NULL, "root", NULL, NULL, 0,
		                                     it_env("DM_MYSQL_SOCKET"), 0) != NULL) {
			mysql_close(db);
			return;
		}
		mysql_close(db);
		usleep(100 * 1000);
	}
	ck_abort_msg("MariaDB did not come back on %s", it_env("DM_MYSQL_SOCKET"));
}
