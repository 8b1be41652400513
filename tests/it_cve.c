/* it_cve.c: debmonitor-cve on the real database: imports, what they change, failures that keep it.
 */
#include "integration.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "db/sql.h"

/* The release table of tests/data/tracker/README's oracle: no duke. */
#define TABLE "/tests/data/tracker/debian.csv"

/* The summary of the first import of the fixture, and of the modified copy after it. */
#define SKIPPED "debmonitor-cve: skipped 1 entries of unknown releases: duke\n"
#define FIRST                                                                                      \
	SKIPPED                                                                                    \
	"debmonitor-cve: 22 issues (10 sources): 22 added, 0 resolved, 0 removed, 0 changed\n"
#define SECOND                                                                                     \
	SKIPPED                                                                                    \
	"debmonitor-cve: 22 issues (11 sources): 1 added, 1 resolved, 1 removed, 1 changed\n"
#define ETAG "\"tracker-v1\""
#define LAST_MODIFIED "Mon, 01 Dec 2025 10:00:00 GMT"

/* The test's own directory: the release table, a config, files to import. */
static char dir[64];
static char config[128];

/* --- a small HTTP server, in a thread of the test ----------------------------------------- */

struct server {
	int fd;   /* listening, answered by the thread */
	int hang; /* listening, never accepted: a server that does not answer */
	int port, hang_port;
	pthread_t thread;
	pthread_mutex_t lock;
	struct dm_buf body; /* what /tracker.json serves */
	int requests;       /* of /tracker.json */
	int conditional;    /* of those, how many carried If-None-Match and If-Modified-Since */
	char last_inm[128]; /* the last If-None-Match */
};

static struct server srv = {.fd = -1, .hang = -1};

static int
listen_local(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0 && (w = send(fd, p, n, MSG_NOSIGNAL)) > 0)
		p += w, n -= (size_t)w;
}

/* The value of a request header (case-insensitive name), into out; "" when absent. */
static void
header_of(const char *req, const char *name, char *out, size_t len)
{
	const char *p;
	size_t n = strlen(name);

	out[0] = '\0';
	for (p = strstr(req, "\r\n"); p != NULL; p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
			p += 3 + n + strspn(p + 3 + n, " ");
			snprintf(out, len, "%.*s", (int)strcspn(p, "\r\n"), p);
			return;
		}
}

/*
 * /tracker.json: the body with an ETag (304 when If-None-Match has it); /cut.json: a
 * Content-Length the body does not reach; /busy: 503; anything else 404.
 */
static void
answer(int c, const char *req)
{
	char head[512], inm[128], ims[128];
	size_t len;

	header_of(req, "If-None-Match", inm, sizeof(inm));
	header_of(req, "If-Modified-Since", ims, sizeof(ims));
	pthread_mutex_lock(&srv.lock);
	len = srv.body.len;
	if (strncmp(req, "GET /tracker.json ", 18) == 0) {
		srv.requests++;
		srv.conditional += inm[0] && ims[0];
		snprintf(srv.last_inm, sizeof(srv.last_inm), "%s", inm);
		if (strcmp(inm, ETAG) == 0)
			snprintf(head, sizeof(head),
			         "HTTP/1.1 304 Not Modified\r\nETag: %s\r\n\r\n", ETAG);
		else
			snprintf(head, sizeof(head),
			         "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nETag: %s\r\n"
			         "Last-Modified: %s\r\n\r\n",
			         len, ETAG, LAST_MODIFIED);
	} else if (strncmp(req, "GET /cut.json ", 14) == 0) {
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", len);
		len = 2 * len / 3;
	} else if (strncmp(req, "GET /busy ", 10) == 0) {
		snprintf(head, sizeof(head),
		         "HTTP/1.1 503 Service Unavailable\r\n"
		         "Content-Length: 0\r\n\r\n");
	} else {
		snprintf(head, sizeof(head), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
	}
	send_all(c, head, strlen(head));
	if (strstr(head, " 200 ") != NULL)
		send_all(c, srv.body.data, len);
	pthread_mutex_unlock(&srv.lock);
}

static void *
serve(void *arg)
{
	char req[8192];
	size_t n;
	ssize_t r;
	int c;

	(void)arg;
	while ((c = accept(srv.fd, NULL, NULL)) >= 0) {
		for (n = 0; n + 1 < sizeof(req); n += (size_t)r) {
			if ((r = recv(c, req + n, sizeof(req) - 1 - n, 0)) <= 0)
				break;
			req[n + (size_t)r] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL) {
				answer(c, req);
				break;
			}
		}
		close(c);
	}
	return NULL;
}

static void
server_start(const char *body_path)
{
	char err[256];

	pthread_mutex_init(&srv.lock, NULL);
	dm_buf_init(&srv.body, 1024 * 1024);
	ck_assert_msg(dm_buf_read_file(&srv.body, body_path, err, sizeof(err)) == 0, "%s", err);
	srv.fd = listen_local(&srv.port);
	srv.hang = listen_local(&srv.hang_port);
	ck_assert_int_eq(pthread_create(&srv.thread, NULL, serve, NULL), 0);
}

/* What /tracker.json serves from now on. */
static void
server_body(const char *path)
{
	char err[256];

	pthread_mutex_lock(&srv.lock);
	srv.body.len = 0;
	ck_assert_msg(dm_buf_read_file(&srv.body, path, err, sizeof(err)) == 0, "%s", err);
	pthread_mutex_unlock(&srv.lock);
}

static const char *
url(const char *path)
{
	static char u[128];

	snprintf(u, sizeof(u), "http://127.0.0.1:%d%s", srv.port, path);
	return u;
}

/* --- the test's files and runs ------------------------------------------------------------ */

static const char *
fixture(const char *name)
{
	static char path[4][1024];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/tests/data/tracker/%s", it_env("DM_TEST_SOURCE"), name);
	return p;
}

static const char *
in_dir(const char *name)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void
write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * The instance's config with the oracle's release table, a short download time limit
 * and, when socket is not NULL, another database socket, as the test's own file.
 */
static void
write_config(const char *path, const char *socket)
{
	json_error_t e;
	json_t *cfg = json_load_file(it_env("DM_CONFIG"), 0, &e);
	char table[4096];

	ck_assert_msg(cfg != NULL, "%s: %s", it_env("DM_CONFIG"), e.text);
	snprintf(table, sizeof(table), "%s" TABLE, it_env("DM_TEST_SOURCE"));
	json_object_set_new(cfg, "DISTRO_INFO_CSV", json_string(table));
	json_object_set_new(cfg, "CVE_TRACKER_TIMEOUT", json_integer(2));
	if (socket != NULL)
		json_object_set_new(json_object_get(cfg, "MYSQL"), "DB_SOCKET",
		                    json_string(socket));
	ck_assert_int_eq(json_dump_file(cfg, path, JSON_INDENT(2)), 0);
	json_decref(cfg);
}

/* Every test starts from no import at all, in a directory of its own. */
static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/dm-it-cve-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(config, sizeof(config), "%s", in_dir("config.json"));
	write_config(config, NULL);
	it_db_exec("DELETE FROM cve_issue");
	it_db_exec("DELETE FROM cve_state");
	it_db_exec("DELETE FROM cve_verdict");
	it_db_exec("DELETE FROM cve_kernel_verdict");
}

static void
teardown(void)
{
	if (srv.fd >= 0)
		shutdown(srv.fd, SHUT_RDWR);
	it_sh("rm -rf '%s'", dir);
}

/* Runs debmonitor-cve with --config cfg and args; its exit code, its output in *out. */
static int
cve_with(const char *cfg, const char *args, char **out)
{
	return it_tool("DM_CVE", cfg, args, out);
}

static int
cve(const char *args, char **out)
{
	return cve_with(config, args, out);
}

/* Runs it with --quiet, which must succeed and print nothing. */
static void
quiet(const char *args)
{
	char *out;
	int rc = cve(args, &out);

	ck_assert_msg(rc == 0 && out[0] == '\0', "debmonitor-cve %s: exit %d:\n%s", args, rc, out);
	free(out);
}

/*
 * Runs it, which must succeed and print exactly want, then (unless a dry run) the line of
 * the count, whose figures vary.
 */
static void
cve_says(const char *args, const char *want)
{
	static const char counted[] = "debmonitor-cve: counted ";
	char *out, *last;
	int rc = cve(args, &out);

	last = strstr(out, counted);
	ck_assert_msg((last != NULL) == (strstr(args, "--dry-run") == NULL),
	              "debmonitor-cve %s: the count's line: %s", args, out);
	if (last != NULL) {
		ck_assert_msg(strchr(last, '\n') == last + strlen(last) - 1, "%s", out);
		*last = '\0';
	}
	ck_assert_msg(rc == 0 && strcmp(out, want) == 0,
	              "debmonitor-cve %s: exit %d:\n%s\nwant:\n%s", args, rc, out, want);
	free(out);
}

static void
import_fixture(void)
{
	char args[1100];

	snprintf(args, sizeof(args), "--file '%s'", fixture("tracker.json"));
	cve_says(args, FIRST);
}

/* The value the query gives, as text ("NULL" for SQL NULL); malloc'd. */
static char *
value(const char *sql)
{
	char *v = it_db_value(sql);

	return v ? v : strdup("NULL");
}

static void
assert_value(const char *want, const char *sql)
{
	char *v = value(sql);

	ck_assert_msg(strcmp(v, want) == 0, "%s: %s, want %s", sql, v, want);
	free(v);
}

/* The column of the cve_release row of issue, source and codename. */
static void
assert_release(const char *issue, const char *source, const char *codename, const char *column,
               const char *want)
{
	char sql[1024];

	snprintf(
	    sql, sizeof(sql),
	    "SELECT COALESCE(%s, 'NULL') FROM cve_release r JOIN cve_issue i ON i.id = r.issue_id"
	    " WHERE i.name = '%s' AND r.source_name = '%s' AND r.codename = '%s'",
	    column, issue, source, codename);
	assert_value(want, sql);
}

/*
 * The import's tables as counts and checksums of every row: equal snapshots mean
 * nothing changed, to the byte.
 */
static char *
snapshot(void)
{
	static const char *const sql[] = {
	    "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM cve_issue), (SELECT COUNT(*) FROM"
	    " cve_release), (SELECT COUNT(*) FROM cve_state), (SELECT COUNT(*) FROM cve_count))",
	    "CHECKSUM TABLE cve_issue, cve_release, cve_state, cve_count EXTENDED",
	};
	MYSQL *db = it_db_open();
	struct dm_buf b;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i;

	dm_buf_init(&b, 64 * 1024);
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		ck_assert_msg(mysql_query(db, sql[i]) == 0, "%s", mysql_error(db));
		ck_assert_ptr_nonnull(res = mysql_store_result(db));
		while ((row = mysql_fetch_row(res)) != NULL)
			ck_assert_int_eq(
			    dm_buf_printf(&b, "%s %s\n", row[0],
			                  mysql_num_fields(res) > 1 && row[1] ? row[1] : ""),
			    0);
		mysql_free_result(res);
	}
	mysql_close(db);
	return b.data;
}

/* A failed run: exit code rc, a message with want, and the tables as before. */
static void
fails(const char *cfg, const char *args, int rc, const char *want)
{
	char *before = snapshot(), *after, *out;
	int got = cve_with(cfg, args, &out);

	after = snapshot();
	ck_assert_msg(got == rc && strstr(out, want) != NULL && strstr(out, "nothing imported"),
	              "debmonitor-cve %s: exit %d, want %d with \"%s\":\n%s", args, got, rc, want,
	              out);
	ck_assert_msg(strcmp(before, after) == 0, "debmonitor-cve %s changed the tables:\n%s\n%s",
	              args, before, after);
	free(before);
	free(after);
	free(out);
}

/* --- the tests ---------------------------------------------------------------------------- */

START_TEST(test_cve_usage)
{
	char *out;

	ck_assert_int_eq(cve("--file a --url http://b/", &out), 64);
	free(out);
	ck_assert_int_eq(cve("--bogus", &out), 64);
	free(out);
	ck_assert_int_eq(cve("extra", &out), 64);
	free(out);
	ck_assert_int_eq(cve("--url ftp://security-tracker.debian.org/json", &out), 64);
	ck_assert_ptr_nonnull(
	    strstr(out, "--url: 'ftp://security-tracker.debian.org/json' is not"));
	free(out);
	ck_assert_int_eq(cve("--version", &out), 0);
	ck_assert_msg(strncmp(out, "debmonitor-cve ", 15) == 0, "%s", out);
	free(out);
	ck_assert_int_eq(cve("--help", &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "usage: debmonitor-cve"));
	free(out);
	ck_assert_int_eq(cve_with("/nonexistent/config.json", "", &out), 78);
	ck_assert_ptr_nonnull(strstr(out, "/nonexistent/config.json"));
	free(out);
	ck_assert_int_eq(cve("--file /nonexistent/tracker.json", &out), 66);
	ck_assert_ptr_nonnull(strstr(out, "/nonexistent/tracker.json: cannot open"));
	free(out);
	ck_assert_int_eq(cve("--count --file /nonexistent/tracker.json", &out), 64);
	ck_assert_ptr_nonnull(strstr(out, "--count imports nothing"));
	free(out);
	ck_assert_int_eq(cve("--count --dry-run", &out), 64);
	free(out);
	/* Before any import (setup empties cve_state), nothing to count, and no error. */
	ck_assert_int_eq(cve("--count", &out), 0);
	ck_assert_str_eq(out, "debmonitor-cve: nothing imported yet, nothing to count\n");
	free(out);
}
END_TEST

/*
 * The rows of one key per version of the README's "Expected results", in the fixed_key
 * order: whether fixed_key > the installed version's key says affected-fix-available.
 */
static const struct {
	const char *codename, *source, *version, *issue;
	int affected;
} expected[] = {
    {"bookworm", "bind9", "1:9.18.33-1~deb12u2", "CVE-2025-40775", 1},
    {"bookworm", "bind9", "1:9.18.41-1~deb12u1", "CVE-2025-40775", 0},
    {"bookworm", "bind9", "9.18.41-1~deb12u1", "CVE-2025-40775", 1},
    {"bookworm", "busybox", "1:1.35.0-4+b1", "CVE-2023-42363", 1},
    {"bookworm", "busybox", "1:1.35.0-4+deb12u1+b1", "CVE-2023-42363", 0},
    {"bookworm", "chromium", "140.0.7339.185-1~deb12u1", "CVE-2025-12036", 1},
    {"bookworm", "chromium", "142.0.7444.59-1~deb12u1", "CVE-2025-12036", 0},
    {"bookworm", "linux", "6.1.153-1", "CVE-2024-26800", 0},
    {"bookworm", "linux", "6.1.153-1", "CVE-2025-38236", 1},
    {"bookworm", "linux", "6.1.164-1", "CVE-2025-38236", 0},
    {"bookworm", "openssh", "1:9.2p1-2+deb12u4", "CVE-2025-26465", 0},
    {"bookworm", "openssl", "3.0.17-1~deb12u2", "CVE-2025-9230", 1},
    {"bookworm", "openssl", "3.0.17-1~deb12u3", "CVE-2025-9231", 0},
    {"bookworm", "openssl", "3.0.17-1", "CVE-2025-9230", 0},
    {"bookworm", "samba", "2:4.17.10+dfsg-0+deb12u1", "CVE-2023-4154", 1},
    {"bookworm", "samba", "2:4.17.12+dfsg-0+deb12u1+b1", "CVE-2023-4154", 0},
    {"bullseye", "openssh", "1:8.4p1-5+deb11u3", "CVE-2025-26465", 1},
    {"bullseye", "openssl", "1.1.1w-0+deb11u1", "CVE-2025-9230", 1},
    {"trixie", "busybox", "1:1.37.0-6", "CVE-2023-42363", 0},
    {"trixie", "linux", "6.12.57-1", "CVE-2025-38352", 0},
    {"trixie", "samba", "2:4.22.3+dfsg-4", "CVE-2023-4154", 0},
    {"forky", "linux", "6.17.10-1", "CVE-2025-68001", 0},
    {"buster", "linux", "4.19.304-1", "CVE-2024-26800", 1},
};

/* fixed_key > the key of version (dm_sql_version_key): "1" or "0". */
static void
assert_affected(size_t k)
{
	MYSQL *db = it_db_open();
	struct dm_sql q;
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_init(&q, db);
	dm_sql_start(&q, "SELECT r.fixed_key > ");
	dm_sql_version_key(&q, expected[k].version);
	dm_sql_add(&q,
	           " FROM cve_release r JOIN cve_issue i ON i.id = r.issue_id WHERE i.name = ?"
	           " AND r.source_name = ? AND r.codename = ?",
	           expected[k].issue, expected[k].source, expected[k].codename);
	ck_assert_msg(dm_sql_exec(&q) == 0, "%s", mysql_error(db));
	ck_assert_ptr_nonnull(res = mysql_store_result(db));
	ck_assert_ptr_nonnull(row = mysql_fetch_row(res));
	ck_assert_msg(row[0] != NULL && strcmp(row[0], expected[k].affected ? "1" : "0") == 0,
	              "%s %s %s %s: fixed_key > key is %s, want %d", expected[k].codename,
	              expected[k].source, expected[k].version, expected[k].issue,
	              row[0] ? row[0] : "NULL", expected[k].affected);
	mysql_free_result(res);
	dm_sql_free(&q);
	mysql_close(db);
}

/* The first import: every row as the file says. */
START_TEST(test_cve_first_import)
{
	char sum[256], want[1300], *v;
	size_t k;
	FILE *f;

	import_fixture();
	assert_value("22", "SELECT COUNT(*) FROM cve_issue");
	assert_value("104", "SELECT COUNT(*) FROM cve_release");
	assert_value("74 24 6", "SELECT CONCAT_WS(' ', SUM(status = 0), SUM(status = 1),"
	                        " SUM(status = 2)) FROM cve_release");
	assert_value("0", "SELECT COUNT(*) FROM cve_release WHERE codename = 'duke'");
	assert_value("1", "SELECT COUNT(*) FROM cve_release WHERE codename = 'buster'");
	assert_release("CVE-2024-26800", "linux", "bookworm",
	               "CONCAT_WS(' ', status, urgency,"
	               " fixed_version)",
	               "0 high** 6.1.90-1");
	assert_release("CVE-2025-10230", "samba", "trixie", "urgency", "low*");
	assert_release("CVE-2025-9086", "curl", "forky", "urgency", "medium*");
	assert_release("CVE-2025-9086", "curl", "bookworm", "fixed_version", "0");
	assert_release("CVE-2025-9086", "curl", "bookworm", "HEX(fixed_key)", "NULL");
	assert_release("CVE-2025-9230", "edk2", "bookworm", "CONCAT_WS(' ', status, urgency)",
	               "1 low");
	assert_release("CVE-2025-9230", "edk2", "bookworm", "fixed_version", "NULL");
	assert_release("CVE-2025-40300", "linux", "bookworm", "CONCAT(status, HEX(fixed_key))",
	               "NULL");
	assert_release("CVE-2025-40300", "linux", "bookworm", "status", "2");
	assert_release("CVE-2025-40018", "linux", "bookworm", "urgency", "not yet assigned");
	assert_value("|NULL|NULL", "SELECT CONCAT(description, '|', COALESCE(scope, 'NULL'), '|',"
	                           " COALESCE(debianbug, 'NULL')) FROM cve_issue"
	                           " WHERE name = 'TEMP-0000000-3F5A1C'");
	assert_value("1116452 remote", "SELECT CONCAT_WS(' ', debianbug, scope) FROM cve_issue"
	                               " WHERE name = 'CVE-2025-9230'");
	assert_value("E28099", "SELECT HEX(SUBSTRING(description, 5, 1)) FROM cve_issue"
	                       " WHERE name = 'CVE-2025-9086'");
	assert_value("F09F8DAA2E", "SELECT HEX(RIGHT(description, 2)) FROM cve_issue"
	                           " WHERE name = 'CVE-2025-9086'");
	assert_value("0", "SELECT COUNT(*) FROM cve_release r JOIN cve_issue i ON i.id = r.issue_id"
	                  " WHERE i.name = 'CVE-2025-8176'");
	/* fixed_key orders as dpkg: the fixture's README, line by line, and two rows. */
	for (k = 0; k < sizeof(expected) / sizeof(expected[0]); k++)
		assert_affected(k);
	assert_value("1", "SELECT a.fixed_key < b.fixed_key FROM cve_release a, cve_release b,"
	                  " cve_issue i WHERE a.issue_id = i.id AND b.issue_id = i.id"
	                  " AND i.name = 'CVE-2025-9230' AND a.source_name = 'openssl'"
	                  " AND b.source_name = 'openssl' AND a.codename = 'bookworm'"
	                  " AND b.codename = 'trixie'");
	/* cve_state: the file's absolute path, its SHA-256, what the import did. */
	snprintf(sum, sizeof(sum), "sha256sum '%s'", fixture("tracker.json"));
	ck_assert_ptr_nonnull(f = popen(sum, "r"));
	ck_assert_ptr_nonnull(fgets(sum, sizeof(sum), f));
	pclose(f);
	sum[64] = '\0';
	v = value("SELECT CONCAT_WS(' ', source, digest, issues, added, resolved, removed,"
	          " etag IS NULL, last_modified IS NULL, imported = checked, counted IS NULL,"
	          " imported > UTC_TIMESTAMP() - INTERVAL 1 HOUR) FROM cve_state WHERE id = 1");
	snprintf(want, sizeof(want), "%s %s 22 22 0 0 1 1 1 0 1", fixture("tracker.json"), sum);
	ck_assert_str_eq(v, want);
	free(v);
}
END_TEST

/* The fixture, changed: one issue resolved, one added, one removed, one changed. */
static void
write_changed(const char *path)
{
	json_error_t e;
	json_t *t = json_load_file(fixture("tracker.json"), 0, &e), *rel;

	ck_assert_msg(t != NULL, "%s", e.text);
	rel = json_object_get(
	    json_object_get(json_object_get(json_object_get(t, "linux"), "CVE-2025-39866"),
	                    "releases"),
	    "bookworm");
	json_object_set_new(rel, "status", json_string("resolved"));
	json_object_set_new(rel, "fixed_version", json_string("6.1.158-1"));
	rel = json_object_get(
	    json_object_get(json_object_get(json_object_get(t, "linux"), "CVE-2025-39866"),
	                    "releases"),
	    "bullseye");
	json_object_set_new(rel, "status", json_string("resolved"));
	json_object_set_new(rel, "fixed_version", json_string("5.10.244-1"));
	json_object_del(json_object_get(t, "curl"), "TEMP-1106528-8A1F3C");
	rel = json_object_get(
	    json_object_get(json_object_get(json_object_get(t, "samba"), "CVE-2025-10230"),
	                    "releases"),
	    "trixie");
	json_object_set_new(rel, "urgency", json_string("medium"));
	json_object_set_new(t, "hello",
	                    json_pack("{s:{s:s, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}}",
	                              "CVE-2025-99999", "description",
	                              "A flaw in hello's greeting.", "releases", "bookworm",
	                              "status", "open", "urgency", "low", "sid", "status",
	                              "resolved", "urgency", "low", "fixed_version", "2.12.2-1"));
	ck_assert_int_eq(json_dump_file(t, path, JSON_COMPACT | JSON_ENSURE_ASCII), 0);
	json_decref(t);
}

/* The verdict on a version of source on Debian 12 (cve_verdict.issues), or "NULL". */
#define VERDICT(source, version)                                                                   \
	"SELECT v.issues FROM cve_verdict v JOIN source_package_version spv"                       \
	" ON spv.id = v.source_package_version_id JOIN source_package sp"                          \
	" ON sp.id = spv.source_package_id JOIN os o ON o.id = spv.os_id WHERE sp.name = '" source \
	"' AND spv.version = '" version "' AND o.name = 'Debian 12'"
/* The verdict on the kernel of VERDICT_HOST. */
#define VERDICT_HOST "vc-verdict.example.org"
#define KERNEL_VERDICT                                                                             \
	"SELECT v.issues FROM cve_kernel_verdict v JOIN host h ON h.kernel_id = "                  \
	"v.kernel_version_id"                                                                      \
	" WHERE h.name = '" VERDICT_HOST "'"

/* The second import writes the difference only, and says what it was. */
START_TEST(test_cve_second_import)
{
	char args[512], *ids, *after, why[256];

	/* Decided by the first import, then by the second in its own transaction. */
	ck_assert_msg(it_post_full(VERDICT_HOST,
	                           "#1 SMP PREEMPT_DYNAMIC Debian 6.1.153-1 (2025-09-20)",
	                           "hello=2.12.1-1@hello", why, sizeof(why)) == 201,
	              "%s", why);
	import_fixture();
	assert_value("", VERDICT("hello", "2.12.1-1"));
	ck_assert_ptr_nonnull(
	    strstr(after = value(KERNEL_VERDICT), "114:CVE-2025-398666:medium0:"));
	free(after);
	ids = value("SELECT GROUP_CONCAT(r.id ORDER BY r.id) FROM cve_release r JOIN cve_issue i"
	            " ON i.id = r.issue_id WHERE i.name IN ('CVE-2024-26800', 'CVE-2025-9230')");
	write_changed(in_dir("changed.json"));
	snprintf(args, sizeof(args), "--file '%s'", in_dir("changed.json"));
	cve_says(args, SECOND);
	assert_value("22", "SELECT COUNT(*) FROM cve_issue");
	assert_value("102", "SELECT COUNT(*) FROM cve_release");
	assert_value("0", "SELECT COUNT(*) FROM cve_issue WHERE name = 'TEMP-1106528-8A1F3C'");
	assert_value("0", "SELECT COUNT(*) FROM cve_release r LEFT JOIN cve_issue i"
	                  " ON i.id = r.issue_id WHERE i.id IS NULL");
	/* Every release row, new, changed or kept, carries its issue's name. */
	assert_value("0", "SELECT COUNT(*) FROM cve_release r JOIN cve_issue i"
	                  " ON i.id = r.issue_id WHERE r.issue_name <> i.name");
	/* Counted again: the removed issue's count is gone with it. */
	assert_value("0", "SELECT COUNT(*) FROM cve_count c LEFT JOIN cve_issue i"
	                  " ON i.id = c.issue_id WHERE i.id IS NULL");
	assert_value("1", "SELECT counted >= imported FROM cve_state");
	assert_release("CVE-2025-39866", "linux", "bookworm",
	               "CONCAT_WS(' ', status, fixed_version)", "0 6.1.158-1");
	assert_release("CVE-2025-39866", "linux", "bullseye", "fixed_key IS NOT NULL", "1");
	assert_release("CVE-2025-10230", "samba", "trixie", "urgency", "medium");
	assert_release("CVE-2025-99999", "hello", "bookworm", "CONCAT_WS(' ', status, urgency)",
	               "1 low");
	assert_release("CVE-2025-99999", "hello", "sid", "fixed_version", "2.12.2-1");
	assert_value("A flaw in hello's greeting.", "SELECT description FROM cve_issue"
	                                            " WHERE name = 'CVE-2025-99999'");
	assert_value("22 1 1 1", "SELECT CONCAT_WS(' ', issues, added, resolved, removed)"
	                         " FROM cve_state");
	/* Rows that did not change were not written again. */
	after = value("SELECT GROUP_CONCAT(r.id ORDER BY r.id) FROM cve_release r JOIN cve_issue i"
	              " ON i.id = r.issue_id WHERE i.name IN ('CVE-2024-26800', 'CVE-2025-9230')");
	ck_assert_str_eq(after, ids);
	free(ids);
	free(after);
	/* The verdicts say the new data: hello's new issue is open, the kernel's fixed. */
	assert_value("114:CVE-2025-999993:low0:", VERDICT("hello", "2.12.1-1"));
	ck_assert_ptr_nonnull(
	    strstr(after = value(KERNEL_VERDICT), "014:CVE-2025-398666:medium9:6.1.158-1"));
	free(after);
	/* And back: the fixture again undoes all four. */
	snprintf(args, sizeof(args), "--file '%s'", fixture("tracker.json"));
	cve_says(args, SKIPPED "debmonitor-cve: 22 issues (10 sources): 1 added, 0 resolved,"
	                       " 1 removed, 2 changed\n");
	assert_value("104", "SELECT COUNT(*) FROM cve_release");
	assert_value("", VERDICT("hello", "2.12.1-1"));
	ck_assert_ptr_nonnull(
	    strstr(after = value(KERNEL_VERDICT), "114:CVE-2025-398666:medium0:"));
	free(after);
	it_forget("hosts", VERDICT_HOST);
}
END_TEST

/* The same file again changes no row: only the time of the check; --force imports it. */
START_TEST(test_cve_unchanged)
{
	char args[1100], want[128], *before, *after, *imported;

	import_fixture();
	it_db_exec("UPDATE cve_state SET imported = imported - INTERVAL 1 HOUR,"
	           " checked = checked - INTERVAL 1 HOUR");
	imported = value("SELECT " DM_SQL_ISO("imported") " FROM cve_state");
	before = value("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM cve_release),"
	               " (SELECT MAX(id) FROM cve_release), (SELECT MAX(id) FROM cve_issue))");
	snprintf(args, sizeof(args), "--file '%s'", fixture("tracker.json"));
	snprintf(want, sizeof(want), "debmonitor-cve: unchanged since %s\n", imported);
	cve_says(args, want);
	after = value("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM cve_release),"
	              " (SELECT MAX(id) FROM cve_release), (SELECT MAX(id) FROM cve_issue))");
	ck_assert_str_eq(before, after);
	assert_value("1 1", "SELECT CONCAT_WS(' ', checked > imported,"
	                    " checked > UTC_TIMESTAMP() - INTERVAL 1 MINUTE) FROM cve_state");
	free(after);
	snprintf(args, sizeof(args), "--quiet --file '%s'", fixture("tracker.json"));
	quiet(args);
	snprintf(args, sizeof(args), "--force --file '%s'", fixture("tracker.json"));
	cve_says(args, SKIPPED "debmonitor-cve: 22 issues (10 sources): 0 added, 0 resolved,"
	                       " 0 removed, 0 changed\n");
	after = value("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM cve_release),"
	              " (SELECT MAX(id) FROM cve_release), (SELECT MAX(id) FROM cve_issue))");
	ck_assert_str_eq(before, after);
	assert_value("1 0", "SELECT CONCAT_WS(' ', imported = checked, added) FROM cve_state");
	free(before);
	free(after);
	free(imported);
}
END_TEST

/* A dry run says what an import would do and writes nothing, cve_state included. */
START_TEST(test_cve_dry_run)
{
	char args[1100], want[128], *before, *after, *imported;

	before = snapshot();
	snprintf(args, sizeof(args), "--dry-run --file '%s'", fixture("tracker.json"));
	cve_says(args, SKIPPED "debmonitor-cve: 22 issues (10 sources): 22 added, 0 resolved,"
	                       " 0 removed, 0 changed (dry run: nothing written)\n");
	after = snapshot();
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	import_fixture();
	write_changed(in_dir("changed.json"));
	before = snapshot();
	snprintf(args, sizeof(args), "--dry-run --file '%s'", in_dir("changed.json"));
	cve_says(args, SKIPPED "debmonitor-cve: 22 issues (11 sources): 1 added, 1 resolved,"
	                       " 1 removed, 1 changed (dry run: nothing written)\n");
	imported = value("SELECT " DM_SQL_ISO("imported") " FROM cve_state");
	snprintf(want, sizeof(want),
	         "debmonitor-cve: unchanged since %s (dry run: nothing written)\n", imported);
	snprintf(args, sizeof(args), "--dry-run --file '%s'", fixture("tracker.json"));
	cve_says(args, want);
	free(imported);
	after = snapshot();
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

/* Files that are not the tracker's JSON: refused whole, the last import kept. */
START_TEST(test_cve_bad_files)
{
	char args[1100];
	struct dm_buf b;
	char err[256];

	import_fixture();
	dm_buf_init(&b, 1024 * 1024);
	ck_assert_msg(dm_buf_read_file(&b, fixture("tracker.json"), err, sizeof(err)) == 0, "%s",
	              err);
	write_text(in_dir("truncated.json"), b.data, 2 * b.len / 3);
	dm_buf_free(&b);
	snprintf(args, sizeof(args), "--file '%s'", in_dir("truncated.json"));
	fails(config, args, 65, "truncated.json: not JSON: ");
	snprintf(args, sizeof(args), "--file '%s'", fixture("invalid/not-json.json"));
	fails(config, args, 65, "not-json.json: not JSON: invalid token at line 1 column 1");
	snprintf(args, sizeof(args), "--file '%s'", fixture("invalid/releases-array.json"));
	fails(config, args, 65, "openssl/CVE-2025-9230/releases: must be an object");
	write_text(in_dir("empty.json"), "", 0);
	snprintf(args, sizeof(args), "--file '%s'", in_dir("empty.json"));
	fails(config, args, 65, "not JSON");
	snprintf(args, sizeof(args), "--force --file '%s'", fixture("invalid/status-unknown.json"));
	fails(config, args, 65, "status: must be one of resolved, open, undetermined");
	assert_value("22", "SELECT COUNT(*) FROM cve_issue");
}
END_TEST

/*
 * Downloads: the validators kept and sent again, a 304 believed (the file served
 * meanwhile is garbage: only a conditional request keeps the run from reading it),
 * --force asking again without them.
 */
START_TEST(test_cve_download)
{
	char args[256], *out;

	server_start(fixture("tracker.json"));
	snprintf(args, sizeof(args), "--url '%s'", url("/tracker.json"));
	cve_says(args, FIRST);
	assert_value("\"tracker-v1\" " LAST_MODIFIED,
	             "SELECT CONCAT_WS(' ', etag, last_modified) FROM cve_state");
	assert_value(url("/tracker.json"), "SELECT source FROM cve_state");
	server_body(fixture("invalid/not-json.json"));
	ck_assert_int_eq(cve(args, &out), 0);
	ck_assert_msg(strncmp(out, "debmonitor-cve: unchanged since ", 32) == 0, "%s", out);
	free(out);
	pthread_mutex_lock(&srv.lock);
	ck_assert_int_eq(srv.requests, 2);
	ck_assert_int_eq(srv.conditional, 1);
	ck_assert_str_eq(srv.last_inm, ETAG);
	pthread_mutex_unlock(&srv.lock);
	snprintf(args, sizeof(args), "--force --url '%s'", url("/tracker.json"));
	fails(config, args, 65, "/tracker.json: not JSON");
	pthread_mutex_lock(&srv.lock);
	ck_assert_str_eq(srv.last_inm, "");
	pthread_mutex_unlock(&srv.lock);
	/* The same bytes from another source: nothing to import, the new source recorded. */
	server_body(fixture("tracker.json"));
	snprintf(args, sizeof(args), "--file '%s'", fixture("tracker.json"));
	ck_assert_int_eq(cve(args, &out), 0);
	ck_assert_msg(strncmp(out, "debmonitor-cve: unchanged since ", 32) == 0, "%s", out);
	free(out);
	assert_value(fixture("tracker.json"), "SELECT source FROM cve_state");
	assert_value("1", "SELECT etag IS NULL FROM cve_state");
}
END_TEST

/* Downloads that fail: the exit code says whether to try again; the last import stays. */
START_TEST(test_cve_download_failures)
{
	char args[256], hang[128];
	time_t t0;

	server_start(fixture("tracker.json"));
	import_fixture();
	snprintf(args, sizeof(args), "--url '%s'", url("/missing.json"));
	fails(config, args, 69, "/missing.json: HTTP 404");
	snprintf(args, sizeof(args), "--url '%s'", url("/busy"));
	fails(config, args, 75, "/busy: HTTP 503");
	snprintf(args, sizeof(args), "--url '%s'", url("/cut.json"));
	fails(config, args, 69, "/cut.json: ");
	snprintf(hang, sizeof(hang), "http://127.0.0.1:%d/tracker.json", srv.hang_port);
	snprintf(args, sizeof(args), "--url '%s'", hang);
	t0 = time(NULL);
	fails(config, args, 75, "timed out");
	ck_assert_int_le(time(NULL) - t0, 30); /* CVE_TRACKER_TIMEOUT 2, valgrind's start too */
	/* The configuration's URL, when --url is not given; refused at once when malformed. */
	it_sh("sed -i 's|\"CVE_TRACKER_TIMEOUT\"|\"CVE_TRACKER_URL\": \"%s\", &|' '%s'",
	      url("/missing.json"), config);
	fails(config, "", 69, "/missing.json: HTTP 404");
	it_sh("sed -i 's|http://127.0.0.1|ftp://127.0.0.1|' '%s'", config);
	fails(config, "", 78, "CVE_TRACKER_URL must be a URL");
}
END_TEST

/* The database gone: a clear message and the code for "unavailable"; another import running. */
START_TEST(test_cve_database_failures)
{
	char args[1100], gone[256];
	MYSQL *holder;
	json_t *cfg;

	import_fixture();
	snprintf(gone, sizeof(gone), "%s", in_dir("gone.json"));
	write_config(gone, "/nonexistent/mysqld.sock");
	snprintf(args, sizeof(args), "--force --file '%s'", fixture("tracker.json"));
	fails(gone, args, 69, "database unavailable");
	holder = it_db_open();
	ck_assert_int_eq(mysql_query(holder, "SELECT GET_LOCK('debmonitor-cve', 0)"), 0);
	mysql_free_result(mysql_store_result(holder));
	fails(config, args, 75, "another debmonitor-cve is importing");
	mysql_close(holder);
	/* No release table: nothing is read without it. */
	snprintf(gone, sizeof(gone), "%s", in_dir("no-table.json"));
	write_config(gone, NULL);
	ck_assert_ptr_nonnull(cfg = json_load_file(gone, 0, NULL));
	json_object_set_new(cfg, "DISTRO_INFO_CSV", json_string(in_dir("debian.csv")));
	ck_assert_int_eq(json_dump_file(cfg, gone, JSON_INDENT(2)), 0);
	json_decref(cfg);
	fails(gone, args, 78, "debian.csv: cannot open");
}
END_TEST

Suite *
make_it_cve_suite(void)
{
	Suite *s = suite_create("integration: cve");
	TCase *tc = tcase_create("cve");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cve_usage);
	tcase_add_test(tc, test_cve_first_import);
	tcase_add_test(tc, test_cve_second_import);
	tcase_add_test(tc, test_cve_unchanged);
	tcase_add_test(tc, test_cve_dry_run);
	tcase_add_test(tc, test_cve_bad_files);
	tcase_add_test(tc, test_cve_download);
	tcase_add_test(tc, test_cve_download_failures);
	tcase_add_test(tc, test_cve_database_failures);
	suite_add_tcase(s, tc);
	return s;
}
