/*
 * it_replica.c: pages read from a read replica (DM_TOPOLOGY=replica), and from the primary
 * when the replica lags or is down, never an error; the replica catching up again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"

#define LAG_HEADER "X-DebMonitor-Replica-Lag"
#define HOST_A "rep-a.example.org"
#define HOST_B "rep-b.example.org"
#define HOST_C "rep-c.example.org"
#define SPEC "rep-pkg=1.0-1"
/* How long the replica may take to catch up on this machine, in tenths of a second. */
#define CATCH_UP 200

/* GET path on the pages vhost: its status; whether a replica answered in *replica. */
static long
get(const char *path, int *replica)
{
	struct it_response r;
	long status;

	it_do(it_http(path), NULL, &r);
	ck_assert_msg(r.curl == CURLE_OK, "GET %s: no answer", path);
	status = r.status;
	*replica = it_header(&r, LAG_HEADER) != NULL;
	if (status == 200 && strstr(r.body, "<html") != NULL)
		ck_assert_msg((strstr(r.body, "read from a replica") != NULL) == *replica,
		              "GET %s: the footer and the header disagree", path);
	it_response_free(&r);
	return status;
}

/* Waits until the host's page is read from the replica: 0, or -1 at CATCH_UP. */
static int
wait_replica_has(const char *host)
{
	char path[256];
	int i, replica;

	snprintf(path, sizeof(path), "/hosts/%s", host);
	for (i = 0; i < CATCH_UP; i++) {
		if (get(path, &replica) == 200 && replica)
			return 0;
		usleep(100000);
	}
	return -1;
}

/* Runs SQL as root on the replica. */
static void
replica_sql(const char *sql)
{
	it_sh("mariadb --no-defaults -S '%s' -uroot -e '%s'", it_env("DM_REPLICA_SOCKET"), sql);
}

static void
post(const char *host)
{
	char why[256];

	ck_assert_int_eq(it_post_full(host, "6.1.0-rep", SPEC, why, sizeof(why)), 201);
}

static void
setup(void)
{
	it_forget("hosts", HOST_A);
	it_forget("hosts", HOST_B);
	it_forget("hosts", HOST_C);
}

/* The pages come from the replica; writes and /auth-check go to the primary. */
START_TEST(test_reads_replica)
{
	struct it_response r;
	int replica;

	ck_assert_int_eq(get("/hosts/", &replica), 200);
	ck_assert_msg(replica, "/hosts/ was not read from the replica");
	ck_assert_int_eq(get("/", &replica), 200);
	ck_assert_msg(replica, "/ was not read from the replica");
	post(HOST_A);
	ck_assert_msg(wait_replica_has(HOST_A) == 0, "the replica never showed " HOST_A);
	it_do(it_https("/auth-check"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(it_header(&r, LAG_HEADER));
	it_response_free(&r);
}
END_TEST

/* A replica whose SQL thread stopped is skipped: the primary answers, with what it has. */
START_TEST(test_replica_stopped_thread)
{
	int replica;

	replica_sql("STOP SLAVE SQL_THREAD");
	post(HOST_B);
	ck_assert_int_eq(get("/hosts/" HOST_B, &replica), 200);
	ck_assert_msg(!replica, "a replica that does not apply served the page");
	ck_assert_int_eq(get("/hosts/", &replica), 200);
	ck_assert_msg(!replica, "a replica that does not apply served /hosts/");
	replica_sql("START SLAVE SQL_THREAD");
	ck_assert_msg(wait_replica_has(HOST_B) == 0, "the replica never caught up with " HOST_B);
}
END_TEST

/* The replica down: every page from the primary; started again, it catches up and serves. */
START_TEST(test_replica_down)
{
	static const char *const pages[] = {"/",
	                                    "/hosts/",
	                                    "/hosts/" HOST_C,
	                                    "/packages/rep-pkg",
	                                    "/source-packages/rep-pkg",
	                                    "/kernels/",
	                                    "/cves/"};
	int replica;
	size_t i;

	it_sh("DM_STATE_DIR='%s' '%s/quickstart' replica stop", it_env("DM_STATE"),
	      it_env("DM_TEST_SOURCE"));
	post(HOST_C);
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		ck_assert_msg(get(pages[i], &replica) == 200, "%s with the replica down", pages[i]);
		ck_assert(!replica);
	}
	it_sh("DM_STATE_DIR='%s' '%s/quickstart' replica start", it_env("DM_STATE"),
	      it_env("DM_TEST_SOURCE"));
	ck_assert_msg(wait_replica_has(HOST_C) == 0, "the restarted replica never caught up");
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		ck_assert_msg(get(pages[i], &replica) == 200 && replica, "%s from the replica",
		              pages[i]);
}
END_TEST

/*
 * The replica lost under a page (stopped, restarted, its connection killed): nothing of the
 * page reached the client, so the primary answers it. The page's query waits on a table
 * locked on the replica until the replica kills its connection, as a shutdown does.
 */
START_TEST(test_replica_lost_mid_page)
{
	const char *sock = it_env("DM_REPLICA_SOCKET"), *db = it_env("DM_DB_NAME");
	int replica;

	post(HOST_A);
	ck_assert_msg(wait_replica_has(HOST_A) == 0, "the replica never showed " HOST_A);
	/*
	 * The locker holds host for 30 s (the page is asked for once it does); the killer ends
	 * the page's connection once it waits.
	 */
	it_sh(
	    "sql() { mariadb --no-defaults -S '%s' -uroot -N -B -e \"$1\"; }; "
	    "(sql 'LOCK TABLES %s.host WRITE; SELECT SLEEP(30)' >/dev/null 2>&1 &); "
	    "for i in $(seq 100); do [ -n \"$(sql \"SELECT id FROM information_schema.processlist "
	    "WHERE info = 'SELECT SLEEP(30)'\")\" ] && break; sleep 0.1; done; "
	    "(for i in $(seq 300); do "
	    "id=$(sql \"SELECT id FROM information_schema.processlist WHERE command = 'Query' "
	    "AND user NOT IN ('root', 'system user') AND state LIKE 'Waiting for table%%'\"); "
	    "[ -n \"$id\" ] && { sql \"KILL $id\"; break; }; sleep 0.1; done; "
	    "sql \"SELECT CONCAT('KILL ', id, ';') FROM information_schema.processlist "
	    "WHERE info LIKE 'SELECT SLEEP(30)'\" | "
	    "mariadb --no-defaults -S '%s' -uroot) >/dev/null 2>&1 &",
	    sock, db, sock);
	ck_assert_int_eq(get("/hosts/" HOST_A, &replica), 200);
	ck_assert_msg(!replica, "the page says it was read from the replica that failed");
	/* The lock gone, the replica serves again. */
	ck_assert_msg(wait_replica_has(HOST_A) == 0, "the replica did not serve again");
}
END_TEST

Suite *
make_it_replica_suite(void)
{
	Suite *s = suite_create("integration: replica");
	TCase *tc = tcase_create("replica");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_reads_replica);
	tcase_add_test(tc, test_replica_stopped_thread);
	tcase_add_test(tc, test_replica_down);
	tcase_add_test(tc, test_replica_lost_mid_page);
	suite_add_tcase(s, tc);
	return s;
}
