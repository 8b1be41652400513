/* check_db.c: opening the database fails clearly, and succeeds on the live test instance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "db/db.h"
#include "suites.h"

START_TEST(test_db_unavailable)
{
	static const char socket_path[] = "/nonexistent/dm-check/mysqld.sock";
	struct dm_config cfg;
	char err[512] = "";
	MYSQL *db;

	memset(&cfg, 0, sizeof(cfg));
	cfg.db_name = "debmonitor";
	cfg.db_user = "debmonitor";
	cfg.db_socket = socket_path;
	cfg.db_port = 3306;
	db = dm_db_open(&cfg, err, sizeof(err));
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(err, "database unavailable") != NULL,
	              "message \"%s\" lacks \"database unavailable\"", err);
	ck_assert_msg(strstr(err, socket_path) != NULL, "message \"%s\" does not name the socket",
	              err);
}
END_TEST

/* The live database of ./quickstart test, or NULL when DM_UNIT_NO_DB=1 says to skip. */
static MYSQL *
live_db(struct dm_config *cfg)
{
	const char *path = getenv("DM_CONFIG"), *no_db = getenv("DM_UNIT_NO_DB");
	char err[512] = "";
	MYSQL *db;

	if ((path == NULL || path[0] == '\0') && no_db != NULL && strcmp(no_db, "1") == 0)
		return NULL;
	ck_assert_msg(path != NULL && path[0] != '\0',
	              "DM_CONFIG is not set: run ./quickstart test, or set DM_UNIT_NO_DB=1 to skip "
	              "the live database test");
	ck_assert_msg(dm_config_load(cfg, path, err, sizeof(err)) == 0, "%s", err);
	db = dm_db_open(cfg, err, sizeof(err));
	if (db == NULL)
		dm_config_free(cfg);
	ck_assert_msg(db != NULL, "%s", err);
	return db;
}

/* A transaction body that always meets a deadlock, as a hot row under many writers can. */
static int
always_deadlocked(MYSQL *db, void *arg)
{
	(*(int *)arg)++;
	mysql_query(db, "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,"
	                " MESSAGE_TEXT = 'Deadlock found when trying to get lock'");
	return -1;
}

/* Every attempt deadlocked: the client is told the database is busy (503), not a 500. */
START_TEST(test_db_txn_deadlocks_exhausted)
{
	struct dm_config cfg;
	char err[512] = "";
	int calls = 0, status;
	MYSQL *db;

	if ((db = live_db(&cfg)) == NULL)
		return;
	status = dm_db_txn(db, always_deadlocked, &calls, err, sizeof(err));
	ck_assert_int_eq(calls, DM_DB_TXN_ATTEMPTS);
	ck_assert_msg(status == 503, "status %d: %s", status, err);
	ck_assert_msg(strncmp(err, "database busy", 13) == 0, "message: %s", err);
	ck_assert_msg(strstr(err, "Deadlock found") != NULL, "message: %s", err);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/*
 * ./quickstart test points DM_CONFIG at its throw-away instance. Without one this test
 * fails, so that a run without a database never passes silently; DM_UNIT_NO_DB=1 says the
 * skip is intended.
 */
START_TEST(test_db_live)
{
	const char *path = getenv("DM_CONFIG"), *no_db = getenv("DM_UNIT_NO_DB");
	struct dm_config cfg;
	char err[512] = "";
	MYSQL *db;

	if ((path == NULL || path[0] == '\0') && no_db != NULL && strcmp(no_db, "1") == 0) {
		fprintf(stderr, "check_db: DM_CONFIG unset and DM_UNIT_NO_DB=1: live database "
		                "test skipped\n");
		return;
	}
	ck_assert_msg(path != NULL && path[0] != '\0',
	              "DM_CONFIG is not set: run ./quickstart test, or set DM_UNIT_NO_DB=1 to skip "
	              "the live database test");
	ck_assert_msg(dm_config_load(&cfg, path, err, sizeof(err)) == 0, "%s", err);
	db = dm_db_open(&cfg, err, sizeof(err));
	if (db == NULL)
		dm_config_free(&cfg);
	ck_assert_msg(db != NULL, "%s", err);
	err[0] = '\0';
	ck_assert_msg(dm_db_check_schema(db, err, sizeof(err)) == 0, "%s", err);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

Suite *
make_db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("db");

	/* Leaves room for the connect timeout before Check's own default of 4 s. */
	tcase_set_timeout(tc, DM_DB_CONNECT_TIMEOUT * 2);
	tcase_add_test(tc, test_db_unavailable);
	tcase_add_test(tc, test_db_live);
	tcase_add_test(tc, test_db_txn_deadlocks_exhausted);
	suite_add_tcase(s, tc);
	return s;
}
