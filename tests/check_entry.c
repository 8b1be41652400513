/* check_entry.c: the shared entry point enforces methods, identity and config before a handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi/entry.h"
#include "suites.h"
#include "web/not_found.h"

#define PATH_LEN 64

/* Every variable the entry point reads; each test starts with none of them set. */
static const char *const cgi_vars[] = {
    "REQUEST_METHOD",
    "PATH_INFO",
    "REDIRECT_URL",
    "REQUEST_URI",
    "QUERY_STRING",
    "CONTENT_LENGTH",
    "SSL_CLIENT_VERIFY",
    "SSL_CLIENT_S_DN_CN",
    "HTTPS",
    "DEBMONITOR_READ_ONLY",
    "HTTP_ACCEPT",
    "REMOTE_USER",
    "DEBMONITOR_CONFIG",
    "DEBMONITOR_METRICS_OPEN",
};

/* Config files shared by the tests: written once by the parent, removed once by it. */
static char good_config[PATH_LEN], bad_config[PATH_LEN], noverify_config[PATH_LEN],
    login_config[PATH_LEN];

/* How often a test handler ran in this test's process. */
static int handler_calls;

static void
write_config(char path[PATH_LEN], const char *text)
{
	size_t len = strlen(text);
	int fd;

	snprintf(path, PATH_LEN, "/tmp/dm-check-entry-XXXXXX");
	fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp failed");
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

static void
configs_create(void)
{
	write_config(good_config,
	             "{\n  \"SEARCH_MIN_LENGTH\": 4,\n  \"MAX_BODY_BYTES\": 2048\n}\n");
	write_config(bad_config, "{\n  \"SEARCH_MIN_LENGTH\": 4\n  \"VERIFY_CLIENTS\": true\n}\n");
	write_config(noverify_config, "{\"VERIFY_CLIENTS\": false}\n");
	write_config(login_config, "{\"REQUIRE_LOGIN\": true}\n");
}

static void
configs_remove(void)
{
	unlink(good_config);
	unlink(bad_config);
	unlink(noverify_config);
	unlink(login_config);
}

static void
clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof(cgi_vars) / sizeof(cgi_vars[0]); i++)
		unsetenv(cgi_vars[i]);
}

/* A GET request for /things/x on the pages vhost with the good config. */
static void
request_setup(void)
{
	clear_env();
	setenv("REQUEST_METHOD", "GET", 1);
	setenv("REQUEST_URI", "/things/x", 1);
	setenv("PATH_INFO", "/x", 1);
	setenv("DEBMONITOR_CONFIG", good_config, 1);
	handler_calls = 0;
}

static int
hello_handler(struct dm_ctx *ctx)
{
	handler_calls++;
	dm_respond(&ctx->res, 200, "text/plain; charset=utf-8", NULL);
	fprintf(ctx->res.out, "hello, search_min_length=%lld\n", ctx->cfg.search_min_length);
	return 0;
}

static int
missing_handler(struct dm_ctx *ctx)
{
	(void)ctx;
	handler_calls++;
	return 404;
}

/* A page's handler answers its own 404 in the form asked for (lib/web/not_found.c). */
static int
missing_page_handler(struct dm_ctx *ctx)
{
	handler_calls++;
	return dm_not_found_status(ctx, 404);
}

static int
broken_handler(struct dm_ctx *ctx)
{
	(void)ctx;
	handler_calls++;
	return 500;
}

/* An update the database kept refusing: the handler answers the 503 itself. */
static int
busy_handler(struct dm_ctx *ctx)
{
	dm_error(&ctx->res, 503, "database busy: the update kept conflicting with others");
	return 0;
}

/* A page whose rows stop coming: the headers and part of the body are written, then 503. */
static int
failing_page_handler(struct dm_ctx *ctx)
{
	int i;

	handler_calls++;
	dm_respond(&ctx->res, 200, "text/html; charset=utf-8", NULL);
	for (i = 0; i < 1000; i++)
		fprintf(ctx->res.out, "<tr><td>row %d</td></tr>\n", i);
	return 503;
}

/* Echoes the request body, read with the configured limit. */
static int
echo_handler(struct dm_ctx *ctx)
{
	struct dm_buf body;
	int status;

	handler_calls++;
	dm_buf_init(&body, 0);
	status = dm_request_body(&ctx->req, ctx->in, (size_t)ctx->cfg.max_body_bytes, &body);
	if (status == 0) {
		dm_respond(&ctx->res, 201, "text/plain; charset=utf-8", NULL);
		fprintf(ctx->res.out, "got %zu bytes: %s\n", body.len, body.data ? body.data : "");
	}
	dm_buf_free(&body);
	return status;
}

static const struct dm_endpoint ep_get = {
    .name = "hello",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = hello_handler,
};
static const struct dm_endpoint ep_client = {
    .name = "client",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_CLIENT,
    .needs_db = 0,
    .handler = hello_handler,
};
static const struct dm_endpoint ep_missing = {
    .name = "missing",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = missing_handler,
};
static const struct dm_endpoint ep_missing_page = {
    .name = "missing-page",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = missing_page_handler,
};
static const struct dm_endpoint ep_broken = {
    .name = "broken",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = broken_handler,
};
static const struct dm_endpoint ep_busy = {
    .name = "busy",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = busy_handler,
};
static const struct dm_endpoint ep_failing_page = {
    .name = "failing-page",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = failing_page_handler,
};
static const struct dm_endpoint ep_post = {
    .name = "echo",
    .methods = DM_M(DM_POST),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = echo_handler,
};
static const struct dm_endpoint ep_all = {
    .name = "all",
    .methods = DM_M(DM_GET) | DM_M(DM_POST) | DM_M(DM_DELETE),
    .identity = DM_ID_ANYONE,
    .needs_db = 0,
    .handler = hello_handler,
};

/* Runs ep with body as stdin; returns everything it wrote (the caller frees it). */
static char *
run(const struct dm_endpoint *ep, const char *body)
{
	char *text = NULL;
	size_t len = 0;
	FILE *in, *out;

	in = fmemopen((void *)body, strlen(body), "r");
	ck_assert_ptr_nonnull(in);
	out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(dm_run(ep, in, out), 0);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	return text;
}

/* As run, also returning what went to stderr (Apache's error log) in *logged. */
static char *
run_logged(const struct dm_endpoint *ep, char **logged)
{
	FILE *log = tmpfile();
	char *out;
	long n;
	int saved;

	ck_assert_ptr_nonnull(log);
	fflush(stderr);
	ck_assert_int_ge(saved = dup(STDERR_FILENO), 0);
	ck_assert_int_ge(dup2(fileno(log), STDERR_FILENO), 0);
	out = run(ep, "");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ck_assert_int_ge(n = ftell(log), 0);
	ck_assert_ptr_nonnull(*logged = calloc(1, (size_t)n + 1));
	rewind(log);
	ck_assert_uint_eq(fread(*logged, 1, (size_t)n, log), (size_t)n);
	fclose(log);
	return out;
}

static void
assert_has(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "output lacks \"%s\":\n%s", want, text);
}

static void
assert_starts(const char *text, const char *want)
{
	ck_assert_msg(strncmp(text, want, strlen(want)) == 0,
	              "output does not start with \"%s\":\n%s", want, text);
}

START_TEST(test_allowed_methods)
{
	struct dm_endpoint ep = ep_get;
	struct dm_request req;

	memset(&req, 0, sizeof(req));
	ck_assert_uint_eq(dm_allowed_methods(&ep, &req), DM_M(DM_GET) | DM_M(DM_HEAD));
	ep.methods = DM_M(DM_POST) | DM_M(DM_DELETE);
	ck_assert_uint_eq(dm_allowed_methods(&ep, &req), DM_M(DM_POST) | DM_M(DM_DELETE));
	ep.methods = DM_M(DM_HEAD);
	ck_assert_uint_eq(dm_allowed_methods(&ep, &req), DM_M(DM_HEAD));
	ep.methods = DM_M(DM_GET) | DM_M(DM_POST) | DM_M(DM_DELETE) | DM_M(DM_OTHER);
	ck_assert_uint_eq(dm_allowed_methods(&ep, &req), DM_M(DM_GET) | DM_M(DM_HEAD) |
	                                                     DM_M(DM_POST) | DM_M(DM_DELETE) |
	                                                     DM_M(DM_OTHER));
	/* The read-only vhost keeps only the reading methods. */
	req.read_only = 1;
	ck_assert_uint_eq(dm_allowed_methods(&ep, &req), DM_M(DM_GET) | DM_M(DM_HEAD));
	ep.methods = DM_M(DM_POST) | DM_M(DM_DELETE);
	ck_assert_uint_eq(dm_allowed_methods(&ep, &req), 0);
}
END_TEST

START_TEST(test_allow_header)
{
	char buf[64];

	dm_allow_header(DM_M(DM_GET) | DM_M(DM_HEAD), buf, sizeof(buf));
	ck_assert_str_eq(buf, "GET, HEAD");
	dm_allow_header(DM_M(DM_POST), buf, sizeof(buf));
	ck_assert_str_eq(buf, "POST");
	dm_allow_header(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	dm_allow_header(DM_M(DM_DELETE) | DM_M(DM_GET) | DM_M(DM_POST) | DM_M(DM_HEAD), buf,
	                sizeof(buf));
	ck_assert_str_eq(buf, "GET, HEAD, POST, DELETE");
	/* OTHER stands for any method the server does not know: it has no name to allow. */
	dm_allow_header(DM_M(DM_OTHER) | DM_M(DM_POST), buf, sizeof(buf));
	ck_assert_str_eq(buf, "POST");
}
END_TEST

START_TEST(test_allow_header_truncated)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	dm_allow_header(DM_M(DM_GET) | DM_M(DM_HEAD), buf, 8);
	ck_assert_str_eq(buf, "GET, HE");
	ck_assert_int_eq(buf[8], 'X');
}
END_TEST

START_TEST(test_run_get)
{
	char *out = run(&ep_get, "");

	ck_assert_str_eq(out, "Status: 200 OK\r\n"
	                      "Content-Type: text/plain; charset=utf-8\r\n"
	                      "\r\n"
	                      "hello, search_min_length=4\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

START_TEST(test_run_head)
{
	char *out;

	setenv("REQUEST_METHOD", "HEAD", 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

START_TEST(test_run_method_not_allowed)
{
	char *out;

	setenv("REQUEST_METHOD", "POST", 1);
	out = run(&ep_get, "{}");
	ck_assert_str_eq(out, "Status: 405 Method Not Allowed\r\n"
	                      "Content-Type: text/plain; charset=utf-8\r\n"
	                      "Allow: GET, HEAD\r\n"
	                      "\r\n"
	                      "POST is not allowed on /things/x; allowed: GET, HEAD\n");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
}
END_TEST

START_TEST(test_run_unknown_method)
{
	char *out;

	setenv("REQUEST_METHOD", "PUT", 1);
	out = run(&ep_all, "");
	assert_starts(out, "Status: 405 Method Not Allowed\r\n");
	assert_has(out, "Allow: GET, HEAD, POST, DELETE\r\n");
	assert_has(out, "PUT is not allowed on /things/x");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
}
END_TEST

START_TEST(test_run_read_only)
{
	char *out;

	setenv("REQUEST_METHOD", "POST", 1);
	setenv("DEBMONITOR_READ_ONLY", "1", 1);
	out = run(&ep_post, "{}");
	assert_starts(out, "Status: 405 Method Not Allowed\r\n");
	assert_has(out, "on this read-only vhost; allowed: none\n");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
}
END_TEST

START_TEST(test_run_method_before_config)
{
	char *out;

	/* A wrong method is answered without reading the configuration at all. */
	setenv("REQUEST_METHOD", "DELETE", 1);
	setenv("DEBMONITOR_CONFIG", bad_config, 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 405 Method Not Allowed\r\n");
	free(out);
}
END_TEST

START_TEST(test_run_client_required_http)
{
	char *out = run(&ep_client, "");

	ck_assert_str_eq(out,
	                 "Status: 403 Forbidden\r\n"
	                 "Content-Type: text/plain; charset=utf-8\r\n"
	                 "Cache-Control: no-store\r\n"
	                 "\r\n"
	                 "a verified client certificate is required: use the HTTPS client vhost\n");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
}
END_TEST

START_TEST(test_run_client_required_https)
{
	char *out;

	setenv("HTTPS", "on", 1);
	out = run(&ep_client, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	assert_has(out, "\r\n\r\nclient certificate validation failed: 'NONE'\n");
	free(out);
	setenv("SSL_CLIENT_VERIFY", "FAILED:self signed certificate", 1);
	out = run(&ep_client, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	assert_has(out, "validation failed: 'FAILED:self signed certificate'\n");
	free(out);
	setenv("SSL_CLIENT_VERIFY", "GENEROUS", 1);
	out = run(&ep_client, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	free(out);
	ck_assert_int_eq(handler_calls, 0);
}
END_TEST

START_TEST(test_run_client_verified)
{
	char *out;

	setenv("HTTPS", "on", 1);
	setenv("SSL_CLIENT_VERIFY", "SUCCESS", 1);
	setenv("SSL_CLIENT_S_DN_CN", "host1.example.org", 1);
	out = run(&ep_client, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

START_TEST(test_run_client_not_verified_by_config)
{
	char *out;

	setenv("DEBMONITOR_CONFIG", noverify_config, 1);
	out = run(&ep_client, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

/* REQUIRE_LOGIN: a page without REMOTE_USER is refused, whatever Apache forgot. */
START_TEST(test_run_login_required)
{
	char *out;

	setenv("DEBMONITOR_CONFIG", login_config, 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n");
	assert_has(out, "login required (REQUIRE_LOGIN)");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
	/* A verified certificate is not a login for HTML... */
	setenv("HTTPS", "on", 1);
	setenv("SSL_CLIENT_VERIFY", "SUCCESS", 1);
	setenv("SSL_CLIENT_S_DN_CN", "host1.example.org", 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	assert_has(out, "may read only the JSON");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
	/* ...but may read the JSON, as upstream allows. */
	setenv("HTTP_ACCEPT", "application/json", 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

START_TEST(test_run_login_user)
{
	char *out;

	setenv("DEBMONITOR_CONFIG", login_config, 1);
	setenv("REMOTE_USER", "alice", 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

/* A certificate endpoint (host updates, /auth-check) needs no login; an unverified one no JSON. */
START_TEST(test_run_login_client_endpoint)
{
	char *out;

	setenv("DEBMONITOR_CONFIG", login_config, 1);
	setenv("HTTPS", "on", 1);
	setenv("SSL_CLIENT_VERIFY", "SUCCESS", 1);
	setenv("SSL_CLIENT_S_DN_CN", "host1.example.org", 1);
	out = run(&ep_client, "");
	assert_starts(out, "Status: 200 OK\r\n");
	free(out);
	setenv("SSL_CLIENT_VERIFY", "FAILED:unable to verify", 1);
	setenv("HTTP_ACCEPT", "application/json", 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

/*
 * /metrics with REQUIRE_LOGIN: a user, a verified certificate (HTML or not) or an address
 * the site opened (DEBMONITOR_METRICS_OPEN=1) may read it; nobody else, as for a page.
 */
START_TEST(test_run_login_metrics)
{
	struct dm_endpoint ep = ep_get;
	char *out;

	ep.identity = DM_ID_METRICS;
	setenv("DEBMONITOR_CONFIG", login_config, 1);
	out = run(&ep, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	assert_has(out, "login required (REQUIRE_LOGIN)");
	free(out);
	setenv("DEBMONITOR_METRICS_OPEN", "yes", 1);
	out = run(&ep, "");
	assert_starts(out, "Status: 403 Forbidden\r\n");
	free(out);
	ck_assert_int_eq(handler_calls, 0);
	setenv("DEBMONITOR_METRICS_OPEN", "1", 1);
	out = run(&ep, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
	unsetenv("DEBMONITOR_METRICS_OPEN");
	setenv("HTTPS", "on", 1);
	setenv("SSL_CLIENT_VERIFY", "SUCCESS", 1);
	setenv("SSL_CLIENT_S_DN_CN", "prometheus.example.org", 1);
	out = run(&ep, "");
	assert_starts(out, "Status: 200 OK\r\n");
	ck_assert_int_eq(handler_calls, 2);
	free(out);
}
END_TEST

START_TEST(test_run_bad_config)
{
	char *out, where[PATH_LEN + 8];

	setenv("DEBMONITOR_CONFIG", bad_config, 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 500 Internal Server Error\r\n"
	                   "Content-Type: text/plain; charset=utf-8\r\n");
	snprintf(where, sizeof(where), "%s:3:", bad_config);
	assert_has(out, "\r\n\r\nconfiguration error: ");
	assert_has(out, where);
	ck_assert_int_eq(handler_calls, 0);
	free(out);
}
END_TEST

START_TEST(test_run_missing_config)
{
	char *out;

	setenv("DEBMONITOR_CONFIG", "/nonexistent/dm-check/config.json", 1);
	out = run(&ep_get, "");
	assert_starts(out, "Status: 500 Internal Server Error\r\n");
	assert_has(out, "/nonexistent/dm-check/config.json: cannot open");
	ck_assert_int_eq(handler_calls, 0);
	free(out);
}
END_TEST

/* A page's 404 is the same answer as Apache's: a page for a browser's GET... */
START_TEST(test_run_handler_not_found)
{
	char *out = run(&ep_missing_page, "");

	assert_starts(out, "Status: 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\n");
	assert_has(out, "<code>/things/x</code>");
	ck_assert_int_eq(handler_calls, 1);
	free(out);
}
END_TEST

/* ...and plain text on the API paths. */
START_TEST(test_run_handler_not_found_api)
{
	char *out;

	setenv("REQUEST_URI", "/hosts/x/update", 1);
	out = run(&ep_missing, "");
	ck_assert_str_eq(out, "Status: 404 Not Found\r\n"
	                      "Content-Type: text/plain; charset=utf-8\r\n"
	                      "Cache-Control: no-store\r\n"
	                      "\r\n"
	                      "not found: /hosts/x/update\n");
	free(out);
}
END_TEST

/* ...the same from a page's handler... */
START_TEST(test_run_page_not_found_api)
{
	char *out;

	setenv("REQUEST_URI", "/hosts/x/update", 1);
	out = run(&ep_missing_page, "");
	assert_starts(out, "Status: 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n");
	assert_has(out, "\r\n\r\nnot found: /hosts/x/update\n");
	free(out);
}
END_TEST

/* ...and the entry point, which knows no pages, answers a bare 404 in plain text. */
START_TEST(test_run_handler_bare_not_found)
{
	char *out = run(&ep_missing, "");

	assert_starts(out, "Status: 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n");
	assert_has(out, "\r\n\r\nnot found: /things/x\n");
	free(out);
}
END_TEST

/* A failed answer leaves its line in the error log, as one that failed part-way does. */
START_TEST(test_run_handler_status)
{
	char *logged, *out = run_logged(&ep_broken, &logged);

	assert_starts(out, "Status: 500 Internal Server Error\r\n"
	                   "Content-Type: text/plain; charset=utf-8\r\n");
	assert_has(out, "\r\n\r\nInternal Server Error\n");
	ck_assert_str_eq(logged,
	                 "debmonitor: GET /things/x: answered 500: Internal Server Error\n");
	free(logged);
	free(out);
}
END_TEST

/*
 * A handler that answers a failure itself (an update the database kept refusing): the
 * error log has the line too, whoever wrote the answer.
 */
START_TEST(test_run_handler_answers_failure)
{
	char *logged, *out = run_logged(&ep_busy, &logged);

	assert_starts(out, "Status: 503 Service Unavailable\r\n");
	ck_assert_str_eq(logged, "debmonitor: GET /things/x: answered 503: database busy: the "
	                         "update kept conflicting with others\n");
	free(logged);
	free(out);
}
END_TEST

/*
 * A handler that fails after starting its answer (a page whose rows stopped coming): what
 * it wrote has not reached the client yet, so the client gets the failure's status
 * instead of a page that looks whole, and the error log says which page failed.
 */
START_TEST(test_run_handler_fails_after_start)
{
	char *logged, *out = run_logged(&ep_failing_page, &logged);
	const char *want = "Status: 503 Service Unavailable\r\n"
	                   "Content-Type: text/plain; charset=utf-8\r\n";

	/* The page is 25 KB: a message quoting it all would be too long for Check. */
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0 && strstr(out, "row") == NULL,
	              "the failed page reached the client (%zu bytes):\n%.200s", strlen(out), out);
	ck_assert_str_eq(logged, "debmonitor: GET /things/x: the answer failed part-way "
	                         "(answered 503 instead): Service Unavailable\n");
	free(logged);
	free(out);
}
END_TEST

START_TEST(test_run_post_body)
{
	char *out;

	setenv("REQUEST_METHOD", "POST", 1);
	setenv("CONTENT_LENGTH", "11", 1);
	out = run(&ep_post, "{\"a\": true}");
	ck_assert_str_eq(out, "Status: 201 Created\r\n"
	                      "Content-Type: text/plain; charset=utf-8\r\n"
	                      "\r\n"
	                      "got 11 bytes: {\"a\": true}\n");
	free(out);
}
END_TEST

START_TEST(test_run_post_too_large)
{
	char *out;

	/* The good config caps bodies at 2048 bytes. */
	setenv("REQUEST_METHOD", "POST", 1);
	setenv("CONTENT_LENGTH", "2049", 1);
	out = run(&ep_post, "{}");
	assert_starts(out, "Status: 413 Content Too Large\r\n");
	free(out);
}
END_TEST

Suite *
make_entry_suite(void)
{
	Suite *s = suite_create("entry");
	TCase *methods = tcase_create("methods");
	TCase *tc = tcase_create("run");

	tcase_add_test(methods, test_allowed_methods);
	tcase_add_test(methods, test_allow_header);
	tcase_add_test(methods, test_allow_header_truncated);
	suite_add_tcase(s, methods);

	tcase_add_unchecked_fixture(tc, configs_create, configs_remove);
	tcase_add_checked_fixture(tc, request_setup, clear_env);
	tcase_add_test(tc, test_run_get);
	tcase_add_test(tc, test_run_head);
	tcase_add_test(tc, test_run_method_not_allowed);
	tcase_add_test(tc, test_run_unknown_method);
	tcase_add_test(tc, test_run_read_only);
	tcase_add_test(tc, test_run_method_before_config);
	tcase_add_test(tc, test_run_client_required_http);
	tcase_add_test(tc, test_run_client_required_https);
	tcase_add_test(tc, test_run_client_verified);
	tcase_add_test(tc, test_run_client_not_verified_by_config);
	tcase_add_test(tc, test_run_login_required);
	tcase_add_test(tc, test_run_login_user);
	tcase_add_test(tc, test_run_login_client_endpoint);
	tcase_add_test(tc, test_run_login_metrics);
	tcase_add_test(tc, test_run_bad_config);
	tcase_add_test(tc, test_run_missing_config);
	tcase_add_test(tc, test_run_handler_not_found);
	tcase_add_test(tc, test_run_handler_not_found_api);
	tcase_add_test(tc, test_run_page_not_found_api);
	tcase_add_test(tc, test_run_handler_bare_not_found);
	tcase_add_test(tc, test_run_handler_status);
	tcase_add_test(tc, test_run_handler_answers_failure);
	tcase_add_test(tc, test_run_handler_fails_after_start);
	tcase_add_test(tc, test_run_post_body);
	tcase_add_test(tc, test_run_post_too_large);
	suite_add_tcase(s, tc);
	return s;
}
