/*
 * it_faults.c: MariaDB stopped or killed under updates (201 or 503, never half an update)
 * and in the middle of a page (never a 200 that looks whole), Apache reloaded under load
 * (every answer right).
 */
#include "integration.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STREAMERS 2

enum phase { BEFORE, DOWN, BACK };

struct streamer {
	char host[64];
	const int *phase;
	int stop;
	int last;                  /* the variant last answered 201; 0 for none */
	long answers[BACK + 1][3]; /* per phase: 201, 503, anything else */
	char why[512];             /* the last "anything else" */
};

/* Variant v of a streamer's full report: two packages of its own and one they share. */
static void
stream_spec(const struct streamer *s, int v, char *spec, size_t len)
{
	snprintf(spec, len, "fault-shared=%d.0 fault-%c-one=%d.0 fault-%c-two=%d.0", v, s->host[6],
	         v, s->host[6], v);
}

static void *
stream(void *arg)
{
	struct streamer *s = arg;
	char spec[256], why[512];
	long status;
	int v, phase;

	for (v = 1; !__atomic_load_n(&s->stop, __ATOMIC_SEQ_CST); v = 3 - v) {
		stream_spec(s, v, spec, sizeof(spec));
		phase = __atomic_load_n(s->phase, __ATOMIC_SEQ_CST);
		status = it_post_full(s->host, "fault-kernel", spec, why, sizeof(why));
		if (status == 201)
			s->last = v;
		else
			snprintf(s->why, sizeof(s->why), "%s", why);
		s->answers[phase][status == 201 ? 0 : status == 503 ? 1 : 2]++;
	}
	return NULL;
}

/* The host has exactly what variant v of its report says. */
static void
assert_state(const struct streamer *s, int v)
{
	char spec[256];
	json_t *host = it_get_subject(it_http, "hosts", s->host);

	ck_assert_msg(host != NULL, "%s is gone", s->host);
	stream_spec(s, v, spec, sizeof(spec));
	it_assert_packages(host, s->host, spec);
	json_decref(host);
}

/*
 * MariaDB shut down while two hosts post full reports back to back, then started again:
 * every answer is 201 or 503 (a plain-text reason), none is a 500 or no answer; once the
 * database is back the next report lands, and each host has exactly its last accepted one.
 */
START_TEST(test_db_stopped_during_updates)
{
	struct streamer s[STREAMERS];
	pthread_t t[STREAMERS];
	struct it_response r;
	int phase = BEFORE, i;

	for (i = 0; i < STREAMERS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		snprintf(s[i].host, sizeof(s[i].host), "fault-%c.example.org", 'a' + i);
		s[i].phase = &phase;
		ck_assert_int_eq(pthread_create(&t[i], NULL, stream, &s[i]), 0);
	}
	sleep(1);
	__atomic_store_n(&phase, DOWN, __ATOMIC_SEQ_CST);
	it_db_stop(SIGTERM);
	it_do(it_https("/hosts/fault-a.example.org"), NULL, &r);
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strstr(r.body, "database unavailable") != NULL, "%s", r.body);
	it_response_free(&r);
	sleep(2);
	it_db_start();
	__atomic_store_n(&phase, BACK, __ATOMIC_SEQ_CST);
	sleep(2);
	for (i = 0; i < STREAMERS; i++) {
		__atomic_store_n(&s[i].stop, 1, __ATOMIC_SEQ_CST);
		pthread_join(t[i], NULL);
	}
	for (i = 0; i < STREAMERS; i++) {
		ck_assert_msg(
		    s[i].answers[BEFORE][2] + s[i].answers[DOWN][2] + s[i].answers[BACK][2] == 0,
		    "%s: an answer neither 201 nor 503: %s", s[i].host, s[i].why);
		ck_assert_msg(s[i].answers[BEFORE][0] > 0 && s[i].answers[DOWN][1] > 0 &&
		                  s[i].answers[BACK][0] > 0,
		              "%s: 201 before %ld, 503 while down %ld, 201 after %ld", s[i].host,
		              s[i].answers[BEFORE][0], s[i].answers[DOWN][1],
		              s[i].answers[BACK][0]);
		assert_state(&s[i], s[i].last);
		it_forget("hosts", s[i].host);
	}
}
END_TEST

/* --- a crash in the middle of a big update ---------------------------------------------- */

#define BIG 20000

/* A full report of BIG packages, all at version 1.v (v: 1 or 2). */
static char *
big_report(const char *host, int v)
{
	json_t *inst = json_array();
	char name[64], ver[32];
	size_t i;

	for (i = 0; i < BIG; i++) {
		snprintf(name, sizeof(name), "fault-big-%05zu", i);
		snprintf(ver, sizeof(ver), "1.%d", v);
		json_array_append_new(inst, json_pack("{s:s, s:s, s:s}", "name", name, "version",
		                                      ver, "source", "fault-big-src"));
	}
	return it_dump(json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "api_version", "v1",
	                         "update_type", "full", "hostname", host, "os", "Debian 12",
	                         "running_kernel", "release", "6.1", "version", "fault-kernel",
	                         "installed", inst));
}

/* How many of host's rows are at version (all of them: BIG). */
static long long
rows_at(const char *host, const char *version)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM host_package e JOIN host h ON h.id = e.host_id"
	         " JOIN package_version pv ON pv.id = e.package_version_id"
	         " WHERE h.name = '%s' AND pv.version LIKE '%s'",
	         host, version);
	return it_db_count(sql);
}

struct big_post {
	const char *host;
	char *body;
	long status;
	char answer[256];
};

static void *
post_big(void *arg)
{
	struct big_post *b = arg;
	struct it_tls tls = it_cert("proxy-hosts.example.org");
	struct it_request req = {
	    .method = "POST", .body = b->body, .body_len = strlen(b->body), .tls = &tls};
	struct it_response r;
	char url[512];

	snprintf(url, sizeof(url), "%s/hosts/%s/update", it_env("DM_HTTPS_URL"), b->host);
	it_do(url, &req, &r);
	b->status = r.curl == CURLE_OK ? r.status : -(long)r.curl;
	snprintf(b->answer, sizeof(b->answer), "%s", r.body);
	it_response_free(&r);
	return NULL;
}

/*
 * MariaDB killed (SIGKILL) while a host's full report of 20,000 packages replaces its
 * previous one: after the restart the host has its old set or its new set, never a mix,
 * and the client was told 503 (or 201, had the commit won the race).
 */
START_TEST(test_db_killed_during_big_update)
{
	const char *host = "fault-big.example.org";
	struct big_post b = {.host = host};
	pthread_t t;
	long long at1, at2, total;
	int i;

	b.body = big_report(host, 1);
	post_big(&b);
	ck_assert_msg(b.status == 201, "first report: %ld %s", b.status, b.answer);
	free(b.body);
	b.body = big_report(host, 2);
	ck_assert_int_eq(pthread_create(&t, NULL, post_big, &b), 0);
	/* Killed once the update is writing: its transaction has changed rows. */
	for (i = 0; i < 600; i++) {
		if (it_db_count("SELECT COALESCE(MAX(trx_rows_modified), 0)"
		                " FROM information_schema.innodb_trx") > 100)
			break;
		usleep(10 * 1000);
	}
	it_db_stop(SIGKILL);
	pthread_join(t, NULL);
	free(b.body);
	ck_assert_msg(b.status == 503 || b.status == 201, "the client was told %ld: %s", b.status,
	              b.answer);
	it_db_start();
	at1 = rows_at(host, "1.1");
	at2 = rows_at(host, "1.2");
	total = rows_at(host, "%");
	ck_assert_msg(total == BIG && (at1 == BIG || at2 == BIG),
	              "after the crash: %lld rows, %lld at 1.1, %lld at 1.2 (answer %ld)", total,
	              at1, at2, b.status);
	ck_assert_msg(b.status != 201 || at2 == BIG, "told 201 but the old set is there");
	it_forget("hosts", host);
}
END_TEST

/* --- a page cut short by a crash ---------------------------------------------------------- */

/* Hosts written straight into the database: /hosts/ then streams for about a second. */
#define MANY 100000
#define MANY_HOST "fault-many.example.org"
/*
 * The start of the /hosts/ query (hosts.c), as the process list shows it: the end-of-life
 * condition comes between the name and the OS.
 */
#define HOSTS_QUERY "SELECT h.name, %, o.name, k.name%"
/* What the CGI logs, naming the page, when the database fails it part-way. */
#define CUT_SHORT_LOG "debmonitor: GET /hosts/: the answer failed part-way"

/* MANY hosts without packages (no counts to keep) on the OS and kernel of MANY_HOST. */
static void
many_hosts_add(void)
{
	char why[512], sql[512];

	ck_assert_msg(it_post_full(MANY_HOST, "fault-kernel", "fault-many=1.0", why, sizeof(why)) ==
	                  201,
	              "%s", why);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO host (name, os_id, kernel_id)"
	         " SELECT CONCAT('fault-many-', LPAD(s.seq, 6, '0')), h.os_id, h.kernel_id"
	         " FROM seq_1_to_%d s JOIN host h ON h.name = '" MANY_HOST "'",
	         MANY);
	it_db_exec(sql);
}

static void
many_hosts_remove(void)
{
	it_db_exec("DELETE FROM host WHERE name LIKE 'fault-many-%'");
	it_forget("hosts", MANY_HOST);
}

/* Apache's error log from offset on (the lines written since): malloc'd. */
static char *
error_log_since(long offset)
{
	char path[1024], *text;
	size_t len = 0;
	FILE *f;
	long end;

	snprintf(path, sizeof(path), "%s/log/apache-error.log", it_env("DM_STATE"));
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	end = ftell(f);
	ck_assert_ptr_nonnull(text = calloc(1, (size_t)(end > offset ? end - offset : 0) + 1));
	if (end > offset && fseek(f, offset, SEEK_SET) == 0)
		len = fread(text, 1, (size_t)(end - offset), f);
	text[len] = '\0';
	fclose(f);
	return text;
}

static long
error_log_size(void)
{
	char *text = error_log_since(0);
	long n = (long)strlen(text);

	free(text);
	return n;
}

/* Whether MariaDB is seen writing /hosts/'s rows to the CGI within seconds. */
static int
writing_hosts(int seconds)
{
	MYSQL *db = it_db_open();
	time_t end = time(NULL) + seconds;
	MYSQL_RES *res;
	MYSQL_ROW row;
	int seen = 0;

	while (!seen && time(NULL) < end) {
		ck_assert_msg(
		    mysql_query(db, "SELECT COUNT(*) FROM information_schema.processlist"
		                    " WHERE state = 'Writing to net' AND info LIKE '" HOSTS_QUERY
		                    "'") == 0,
		    "processlist: %s", mysql_error(db));
		ck_assert_ptr_nonnull(res = mysql_store_result(db));
		row = mysql_fetch_row(res);
		seen = row != NULL && row[0] != NULL && strcmp(row[0], "0") != 0;
		mysql_free_result(res);
		if (!seen)
			usleep(200);
	}
	mysql_close(db);
	return seen;
}

struct page_get {
	const char *accept;
	struct it_response r;
};

static void *
get_hosts(void *arg)
{
	struct page_get *g = arg;
	struct it_request req = {.accept = g->accept};
	char url[512];

	snprintf(url, sizeof(url), "%s/hosts/", it_env("DM_HTTP_URL"));
	it_do(url, &req, &g->r);
	return NULL;
}

/* Whether r is a whole 200 document: JSON that parses, or a page that ends. */
static int
complete_200(const struct it_response *r, int json)
{
	json_t *j;
	size_t n = strlen("</html>\n");

	if (r->curl != CURLE_OK || r->status != 200)
		return 0;
	if (!json)
		return r->len >= n && strcmp(r->body + r->len - n, "</html>\n") == 0;
	j = json_loadb(r->body, r->len, 0, NULL);
	json_decref(j);
	return j != NULL;
}

/*
 * GET /hosts/'s whole list (as JSON or CSV: pages of HTML are read whole before they are
 * written) with MariaDB killed while the rows stream from it: the client never gets a
 * JSON document that looks whole (a CSV cut short cannot say so but by the transfer),
 * and Apache's error log says which page the database failed. 0, or -1 with why: the
 * caller removes the 100,000 hosts before it fails (left behind, they would fail the
 * suites that follow).
 */
static int
page_killed(const char *accept, char *why, size_t len)
{
	struct page_get g = {.accept = accept};
	long offset = error_log_size();
	char *log = NULL;
	pthread_t t;
	int i, streaming = 0;

	ck_assert_int_eq(pthread_create(&t, NULL, get_hosts, &g), 0);
	/*
	 * Killed once MariaDB waits for the CGI to take more rows: the page is under way. The
	 * wait can be short (a CSV row costs the CGI little): asked on one connection, every
	 * 0.2 ms, for up to 10 s (a new connection and 5 ms a question missed it at times).
	 */
	streaming = writing_hosts(10);
	it_db_stop(SIGKILL);
	pthread_join(t, NULL);
	it_db_start();
	for (i = 0; i < 20 && (log == NULL || strstr(log, CUT_SHORT_LOG) == NULL); i++) {
		free(log);
		usleep(i ? 100 * 1000 : 0);
		log = error_log_since(offset);
	}
	why[0] = '\0';
	if (!streaming)
		snprintf(why, len, "/hosts/ (%s) never streamed", accept);
	else if (strcmp(accept, "application/json") == 0 && complete_200(&g.r, 1))
		snprintf(why, len,
		         "/hosts/ (%s) cut short by the crash answered a whole 200 (%zu bytes)",
		         accept, g.r.len);
	else if (strstr(log, CUT_SHORT_LOG) == NULL)
		snprintf(why, len, "the error log lacks \"%s\":\n%.1500s", CUT_SHORT_LOG, log);
	free(log);
	it_response_free(&g.r);
	return why[0] != '\0' ? -1 : 0;
}

START_TEST(test_db_killed_during_page)
{
	char json[2048], csv[2048];
	int a, b;

	many_hosts_add();
	a = page_killed("application/json", json, sizeof(json));
	b = page_killed("text/csv", csv, sizeof(csv));
	many_hosts_remove();
	ck_assert_msg(a == 0, "%s", json);
	ck_assert_msg(b == 0, "%s", csv);
}
END_TEST

/* --- Apache restarted gracefully ------------------------------------------------------- */

struct reader {
	int stop;
	long pages, unavailable, wrong;
	char why[512];
};

/* The dashboard's JSON, again and again: each answer must be a complete 200. */
static void *
read_pages(void *arg)
{
	struct reader *r = arg;
	struct it_request req = {.accept = "application/json"};
	struct it_response res;
	char url[512];
	json_t *j;

	snprintf(url, sizeof(url), "%s/", it_env("DM_HTTP_URL"));
	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
		it_do(url, &req, &res);
		j = res.status == 200 ? json_loadb(res.body, res.len, 0, NULL) : NULL;
		if (res.status == 503)
			r->unavailable++;
		else if (j == NULL || !json_is_integer(json_object_get(j, "hosts"))) {
			r->wrong++;
			snprintf(r->why, sizeof(r->why), "HTTP %ld (curl %d): %.200s", res.status,
			         (int)res.curl, res.body);
		}
		json_decref(j);
		r->pages++;
		it_response_free(&res);
	}
	return NULL;
}

/*
 * Apache reloaded (apache2 -k graceful, as logrotate does) three times while two hosts
 * post reports and a reader fetches the dashboard: every answer is the right one or a 503
 * that changed nothing, and each host ends with its last accepted report. The 503s are
 * Apache's own: mod_cgid recreates its daemon's socket on a graceful restart, and a CGI
 * request that comes in between finds none ("ScriptSock ... does not exist"). The client
 * retries a 503.
 */
START_TEST(test_apache_graceful_under_load)
{
	struct streamer s[STREAMERS];
	struct reader rd = {0};
	pthread_t t[STREAMERS], tr;
	int phase = BEFORE, i;

	for (i = 0; i < STREAMERS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		snprintf(s[i].host, sizeof(s[i].host), "fault-%c.example.org", 'c' + i);
		s[i].phase = &phase;
		ck_assert_int_eq(pthread_create(&t[i], NULL, stream, &s[i]), 0);
	}
	ck_assert_int_eq(pthread_create(&tr, NULL, read_pages, &rd), 0);
	for (i = 0; i < 3; i++) {
		sleep(1);
		it_sh("apache2 -f '%s/apache/httpd.conf' -k graceful", it_env("DM_STATE"));
	}
	sleep(1);
	for (i = 0; i < STREAMERS; i++)
		__atomic_store_n(&s[i].stop, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&rd.stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < STREAMERS; i++)
		pthread_join(t[i], NULL);
	pthread_join(tr, NULL);
	ck_assert_msg(rd.wrong == 0 && rd.pages - rd.unavailable > 3,
	              "dashboard: %ld of %ld wrong, %ld 503: %s", rd.wrong, rd.pages,
	              rd.unavailable, rd.why);
	for (i = 0; i < STREAMERS; i++) {
		ck_assert_msg(s[i].answers[BEFORE][2] == 0 && s[i].answers[BEFORE][0] > 3,
		              "%s: %ld accepted, %ld 503, %ld other: %s", s[i].host,
		              s[i].answers[BEFORE][0], s[i].answers[BEFORE][1],
		              s[i].answers[BEFORE][2], s[i].why);
		assert_state(&s[i], s[i].last);
		it_forget("hosts", s[i].host);
	}
}
END_TEST

Suite *
make_it_faults_suite(void)
{
	Suite *s = suite_create("integration: database faults");
	TCase *tc = tcase_create("faults");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_apache_graceful_under_load);
	tcase_add_test(tc, test_db_stopped_during_updates);
	tcase_add_test(tc, test_db_killed_during_big_update);
	tcase_add_test(tc, test_db_killed_during_page);
	suite_add_tcase(s, tc);
	return s;
}
