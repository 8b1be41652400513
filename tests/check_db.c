/* check_db.c: opening the database fails clearly, and succeeds on the live test instance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "db/db.h"
#include "db/model.h"
#include "ingest/ingest.h"
#include "ingest/payload.h"
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
	time_t t0;
	MYSQL *db;

	if ((db = live_db(&cfg)) == NULL)
		return;
	t0 = time(NULL);
	status = dm_db_txn(db, always_deadlocked, &calls, err, sizeof(err));
	/* At least that many attempts, for at least that long, and not much longer. */
	ck_assert_int_ge(calls, DM_DB_TXN_ATTEMPTS);
	ck_assert_int_ge(time(NULL) - t0, DM_DB_TXN_SECONDS - 1);
	ck_assert_int_le(time(NULL) - t0, DM_DB_TXN_SECONDS + 1);
	ck_assert_msg(status == 503, "status %d: %s", status, err);
	ck_assert_msg(strncmp(err, "database busy", 13) == 0, "message: %s", err);
	ck_assert_msg(strstr(err, "Deadlock found") != NULL, "message: %s", err);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/* A transaction body that meets a deadlock on its first ten runs, then succeeds. */
static int
deadlocked_ten_times(MYSQL *db, void *arg)
{
	if (++*(int *)arg > 10)
		return 0;
	return always_deadlocked(db, &(int){0});
}

/*
 * A conflict that outlasts the first attempts but not the time the server allows for them
 * (quick attempts, as short transactions make): the update still succeeds.
 */
START_TEST(test_db_txn_deadlocks_retried_for_a_while)
{
	struct dm_config cfg;
	char err[512] = "";
	int calls = 0, status;
	MYSQL *db;

	if ((db = live_db(&cfg)) == NULL)
		return;
	status = dm_db_txn(db, deadlocked_ten_times, &calls, err, sizeof(err));
	ck_assert_msg(status == 0, "status %d: %s", status, err);
	ck_assert_int_eq(calls, 11);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/* What dm_db_status answers for error e (raised with message text) on db. */
static int
status_of(MYSQL *db, unsigned int e, const char *text)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	         "SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = %u, MESSAGE_TEXT = '%s'", e, text);
	mysql_query(db, sql);
	ck_assert_int_eq(mysql_errno(db), e);
	return dm_db_status(db);
}

/*
 * A commit a Galera node could not replicate, the node having just left the cluster's
 * primary component (another node killed, a view changing): nothing was written, and
 * the client is told to send again later (503), not that the server failed.
 */
START_TEST(test_db_status_commit_not_replicated)
{
	struct dm_config cfg;
	MYSQL *db;

	if ((db = live_db(&cfg)) == NULL)
		return;
	ck_assert_int_eq(status_of(db, 1180,
	                           "Error while appending streaming replication fragment(provider"
	                           " status: Not connected to Primary Component)"),
	                 503);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/*
 * A statement outside any transaction that waited too long for a lock, or lost one to a
 * deadlock. On a Galera node, a read that waits for the cluster's writes (wsrep_sync_wait)
 * when the node loses the majority says "lock wait timeout" too.
 * Nothing was written: the client is told to send again later (503), not that the server
 * failed.
 */
START_TEST(test_db_status_lock_conflicts)
{
	struct dm_config cfg;
	MYSQL *db;

	if ((db = live_db(&cfg)) == NULL)
		return;
	ck_assert_int_eq(status_of(db, 1205, "conflict"), 503);
	ck_assert_int_eq(status_of(db, 1213, "conflict"), 503);
	/* A row referred to that does not exist is no conflict outside a transaction. */
	ck_assert_int_eq(status_of(db, 1452, "fk"), 500);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/*
 * A full disk is the database failing, not a fault of ours: 503, and the client sends
 * again later. Measured on a MariaDB whose data and tmpdir were small tmpfs mounts: an
 * InnoDB table that cannot grow is 1114 "The table 'a' is full"; a sort or temporary
 * table that cannot spill is 3 "Error writing file '.../#sql/fd=49' (Errcode: 28 "No
 * space left on device")".
 */
START_TEST(test_db_status_storage_full)
{
	struct dm_config cfg;
	MYSQL *db;

	if ((db = live_db(&cfg)) == NULL)
		return;
	ck_assert_int_eq(status_of(db, 3, "full"), 503);
	ck_assert_int_eq(status_of(db, 1114, "full"), 503);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/* The rows of the result of the last query on db. */
static my_ulonglong
count_rows(MYSQL *db)
{
	MYSQL_RES *res = mysql_store_result(db);
	my_ulonglong n;

	ck_assert_ptr_nonnull(res);
	n = mysql_num_rows(res);
	mysql_free_result(res);
	return n;
}

/*
 * An update whose new kernel row another transaction is inserting, uncommitted, for longer
 * than the lock wait timeout: the update gives up before its own transaction, answers 503
 * and writes nothing. (On a Galera node the same error comes from a read that waits for the
 * cluster when the node loses the majority: it_galera's test_majority_lost_during_read.)
 */
START_TEST(test_ingest_lock_wait_is_busy)
{
	struct dm_config cfg;
	struct dm_payload p;
	char host[64], kernel[64], body[512], sql[512], err[512] = "";
	MYSQL *db, *holder;
	int status;

	if ((db = live_db(&cfg)) == NULL)
		return;
	snprintf(host, sizeof(host), "t-lockwait-%ld.example.org", (long)getpid());
	snprintf(kernel, sizeof(kernel), "t-lockwait-%ld-%ld", (long)getpid(), (long)time(NULL));
	snprintf(body, sizeof(body),
	         "{\"api_version\": \"v1\", \"update_type\": \"full\", \"hostname\": \"%s\","
	         " \"os\": \"Debian 12\", \"running_kernel\": {\"release\": \"6.1.0\","
	         " \"version\": \"%s\"}, \"installed\": [{\"name\": \"t-lockwait\","
	         " \"version\": \"1.0\", \"source\": \"t-lockwait\"}], \"uninstalled\": [],"
	         " \"upgradable\": []}",
	         host, kernel);
	ck_assert_msg(
	    dm_payload_parse(&p, body, strlen(body), DM_SUBJECT_HOST, host, err, sizeof(err)) == 0,
	    "%s", err);
	holder = dm_db_open(&cfg, err, sizeof(err));
	ck_assert_msg(holder != NULL, "%s", err);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO kernel_version (os_id, name) SELECT id, '%s' FROM os"
	         " WHERE name = 'Debian 12'",
	         kernel);
	ck_assert_msg(
	    mysql_query(holder, "INSERT IGNORE INTO os (name) VALUES ('Debian 12')") == 0 &&
	        mysql_query(holder, "START TRANSACTION") == 0 && mysql_query(holder, sql) == 0,
	    "%s", mysql_error(holder));
	ck_assert_int_eq(mysql_query(db, "SET SESSION innodb_lock_wait_timeout = 1"), 0);
	status = dm_ingest(db, DM_KIND_HOST, &p, err, sizeof(err));
	mysql_rollback(holder);
	ck_assert_msg(status == 503, "status %d: %s", status, err);
	ck_assert_msg(strstr(err, "Lock wait timeout") != NULL, "%s", err);
	snprintf(sql, sizeof(sql), "SELECT id FROM host WHERE name = '%s'", host);
	ck_assert_int_eq(mysql_query(holder, sql), 0);
	ck_assert_int_eq(count_rows(holder), 0);
	dm_payload_free(&p);
	dm_db_close(holder);
	dm_db_close(db);
	dm_config_free(&cfg);
}
END_TEST

/*
 * The slots of package counts: one server uses them all; the nodes of a cluster each have
 * slots of their own, every node at least one, whatever the size of the cluster.
 */
START_TEST(test_db_stats_slot)
{
	unsigned nodes, node, owner[DM_STATS_SLOTS];
	unsigned long pick;
	int slot, used;

	for (pick = 0, used = 0; pick < 64; pick++)
		used |= 1 << dm_db_stats_slot(0, 1, pick);
	ck_assert_int_eq(used, (1 << DM_STATS_SLOTS) - 1);
	for (nodes = 2; nodes <= DM_STATS_SLOTS + 3; nodes++) {
		memset(owner, 0, sizeof(owner));
		for (node = 0; node < nodes; node++) {
			for (pick = 0, used = 0; pick < 64; pick++) {
				slot = dm_db_stats_slot(node, nodes, pick);
				ck_assert_int_ge(slot, 0);
				ck_assert_int_lt(slot, DM_STATS_SLOTS);
				used |= 1 << slot;
				/* Owned by this node alone while there are slots enough for each.
				 */
				if (nodes <= DM_STATS_SLOTS)
					ck_assert_msg(owner[slot] == 0 || owner[slot] == node + 1,
					              "%u nodes: slot %d of nodes %u and %u", nodes,
					              slot, owner[slot], node + 1);
				owner[slot] = node + 1;
			}
			ck_assert_msg(used != 0, "%u nodes: node %u has no slot", nodes, node + 1);
		}
		/* Together the nodes use every slot. */
		for (slot = 0; slot < DM_STATS_SLOTS; slot++)
			ck_assert_msg(owner[slot] != 0, "%u nodes: slot %d unused", nodes, slot);
	}
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
	tcase_set_timeout(tc, DM_DB_CONNECT_TIMEOUT * 2 + DM_DB_TXN_SECONDS);
	tcase_add_test(tc, test_db_unavailable);
	tcase_add_test(tc, test_db_stats_slot);
	tcase_add_test(tc, test_db_live);
	tcase_add_test(tc, test_db_txn_deadlocks_exhausted);
	tcase_add_test(tc, test_db_txn_deadlocks_retried_for_a_while);
	tcase_add_test(tc, test_db_status_commit_not_replicated);
	tcase_add_test(tc, test_db_status_lock_conflicts);
	tcase_add_test(tc, test_db_status_storage_full);
	tcase_add_test(tc, test_ingest_lock_wait_is_busy);
	suite_add_tcase(s, tc);
	return s;
}
