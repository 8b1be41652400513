/* check_request.c: the request context read from a CGI environment, and request bodies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/request.h"
#include "suites.h"

/* Every variable dm_request_read looks at; each test starts with none of them set. */
static const char *const cgi_vars[] = {
    "REQUEST_METHOD",       "PATH_INFO",          "REDIRECT_URL",
    "REQUEST_URI",          "QUERY_STRING",       "CONTENT_LENGTH",
    "SSL_CLIENT_VERIFY",    "SSL_CLIENT_S_DN_CN", "HTTPS",
    "DEBMONITOR_READ_ONLY", "HTTP_ACCEPT",        "REMOTE_USER",
};

static void
clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof(cgi_vars) / sizeof(cgi_vars[0]); i++)
		unsetenv(cgi_vars[i]);
}

static struct dm_request
read_with(const char *name, const char *value)
{
	struct dm_request r;

	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
	dm_request_read(&r);
	return r;
}

START_TEST(test_request_empty_env)
{
	struct dm_request r;

	dm_request_read(&r);
	ck_assert_int_eq(r.method, DM_OTHER);
	ck_assert_str_eq(r.method_name, "");
	ck_assert_str_eq(r.path_info, "");
	ck_assert_str_eq(r.uri, "");
	ck_assert_str_eq(r.query, "");
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_str_eq(r.client_verify, "");
	ck_assert_str_eq(r.client_cn, "");
	ck_assert_int_eq(r.client_verified, 0);
	ck_assert_int_eq(r.https, 0);
	ck_assert_int_eq(r.read_only, 0);
	ck_assert_int_eq(r.wants_json, 0);
	ck_assert_str_eq(r.remote_user, "");
}
END_TEST

static const struct {
	const char *name;
	enum dm_method want;
} methods[] = {
    {"GET", DM_GET},   {"HEAD", DM_HEAD},     {"POST", DM_POST},   {"DELETE", DM_DELETE},
    {"PUT", DM_OTHER}, {"OPTIONS", DM_OTHER}, {"get", DM_OTHER},   {"GETX", DM_OTHER},
    {"GE", DM_OTHER},  {"", DM_OTHER},        {"OTHER", DM_OTHER},
};

START_TEST(test_request_method)
{
	struct dm_request r = read_with("REQUEST_METHOD", methods[_i].name);

	ck_assert_msg(r.method == methods[_i].want, "REQUEST_METHOD=\"%s\" parsed as %d, want %d",
	              methods[_i].name, (int)r.method, (int)methods[_i].want);
	ck_assert_str_eq(r.method_name, methods[_i].name);
}
END_TEST

START_TEST(test_request_method_name)
{
	ck_assert_str_eq(dm_method_name(DM_GET), "GET");
	ck_assert_str_eq(dm_method_name(DM_HEAD), "HEAD");
	ck_assert_str_eq(dm_method_name(DM_POST), "POST");
	ck_assert_str_eq(dm_method_name(DM_DELETE), "DELETE");
	ck_assert_str_eq(dm_method_name(DM_OTHER), "OTHER");
	ck_assert_str_eq(dm_method_name(DM_METHOD__MAX), "OTHER");
}
END_TEST

START_TEST(test_request_paths)
{
	struct dm_request r;

	setenv("PATH_INFO", "/host1.example.org", 1);
	setenv("REQUEST_URI", "/hosts/host1.example.org/update?x=1", 1);
	setenv("QUERY_STRING", "x=1", 1);
	setenv("REMOTE_USER", "alice", 1);
	dm_request_read(&r);
	ck_assert_str_eq(r.path_info, "/host1.example.org");
	ck_assert_str_eq(r.uri, "/hosts/host1.example.org/update?x=1");
	ck_assert_str_eq(r.query, "x=1");
	ck_assert_str_eq(r.remote_user, "alice");
}
END_TEST

START_TEST(test_request_redirect_url)
{
	struct dm_request r;

	/* Behind ErrorDocument, REQUEST_URI is the error page's; the client's path is REDIRECT_URL.
	 */
	setenv("REQUEST_URI", "/cgi-bin/not-found", 1);
	setenv("REDIRECT_URL", "/no/such/page", 1);
	dm_request_read(&r);
	ck_assert_str_eq(r.uri, "/no/such/page");
	unsetenv("REDIRECT_URL");
	dm_request_read(&r);
	ck_assert_str_eq(r.uri, "/cgi-bin/not-found");
}
END_TEST

static const struct {
	const char *value;
	long long want;
} lengths[] = {
    {NULL, -1},
    {"", -1},
    {"0", 0},
    {"42", 42},
    {"16777216", 16777216},
    {"-1", -1},
    {"abc", -1},
    {"12abc", -1},
    {" 5", -1},
    {"+5", -1},
    {"5 ", -1},
    {"99999999999999999999", -1},
};

START_TEST(test_request_content_length)
{
	struct dm_request r = read_with("CONTENT_LENGTH", lengths[_i].value);

	ck_assert_msg(
	    r.content_length == lengths[_i].want, "CONTENT_LENGTH=\"%s\" parsed as %lld, want %lld",
	    lengths[_i].value ? lengths[_i].value : "(unset)", r.content_length, lengths[_i].want);
}
END_TEST

static const struct {
	const char *value;
	int verified;
} verifies[] = {
    {"SUCCESS", 1},  {NULL, 0},      {"", 0},         {"NONE", 0},       {"GENEROUS", 0},
    {"FAILED:x", 0}, {"success", 0}, {"SUCCESS ", 0}, {"SUCCESSFUL", 0},
};

START_TEST(test_request_client_verify)
{
	struct dm_request r = read_with("SSL_CLIENT_VERIFY", verifies[_i].value);

	ck_assert_msg(r.client_verified == verifies[_i].verified,
	              "SSL_CLIENT_VERIFY=\"%s\": verified %d, want %d",
	              verifies[_i].value ? verifies[_i].value : "(unset)", r.client_verified,
	              verifies[_i].verified);
	ck_assert_str_eq(r.client_verify, verifies[_i].value ? verifies[_i].value : "");
}
END_TEST

START_TEST(test_request_client_cn)
{
	struct dm_request r;

	setenv("SSL_CLIENT_VERIFY", "SUCCESS", 1);
	setenv("SSL_CLIENT_S_DN_CN", "host1.example.org", 1);
	dm_request_read(&r);
	ck_assert_int_eq(r.client_verified, 1);
	ck_assert_str_eq(r.client_cn, "host1.example.org");
}
END_TEST

START_TEST(test_request_https)
{
	ck_assert_int_eq(read_with("HTTPS", "on").https, 1);
	ck_assert_int_eq(read_with("HTTPS", "ON").https, 1);
	ck_assert_int_eq(read_with("HTTPS", "off").https, 0);
	ck_assert_int_eq(read_with("HTTPS", "").https, 0);
	ck_assert_int_eq(read_with("HTTPS", "1").https, 0);
	ck_assert_int_eq(read_with("HTTPS", NULL).https, 0);
}
END_TEST

START_TEST(test_request_read_only)
{
	ck_assert_int_eq(read_with("DEBMONITOR_READ_ONLY", "1").read_only, 1);
	ck_assert_int_eq(read_with("DEBMONITOR_READ_ONLY", "0").read_only, 0);
	ck_assert_int_eq(read_with("DEBMONITOR_READ_ONLY", "").read_only, 0);
	ck_assert_int_eq(read_with("DEBMONITOR_READ_ONLY", "yes").read_only, 0);
	ck_assert_int_eq(read_with("DEBMONITOR_READ_ONLY", "11").read_only, 0);
	ck_assert_int_eq(read_with("DEBMONITOR_READ_ONLY", NULL).read_only, 0);
}
END_TEST

static const struct {
	const char *accept;
	int json, csv;
} accepts[] = {
    {"application/json", 1, 0},
    {"text/csv", 0, 1},
    {"text/csv, application/json;q=0.9", 0, 1},
    {"application/json, text/csv", 1, 0},
    {"text/csv;q=0.5, text/html", 0, 0},
    {"text/html;q=0.1, text/csv", 0, 1},
    {"text/*", 0, 0},
    {"TEXT/CSV;q=0.8, */*;q=0.1", 0, 1},
    {"text/csvx", 0, 0},
    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 0, 0},
    {"application/json;q=0.5, text/html", 0, 0},
    {"text/html;q=0.1, application/json", 1, 0},
    {"", 0, 0},
    {"*/*", 0, 0},
    {"application/*", 1, 0},
    {"APPLICATION/JSON", 1, 0},
    {"application/json, */*;q=0.1", 1, 0},
    {"application/json;q=0.5, */*", 0, 0},
    {"application/json;q=0.8, text/*;q=0.5", 1, 0},
    {"application/json ; q=0.9 , text/html ; q=0.8", 1, 0},
    {"application/json;charset=utf-8;q=0.9, text/html;q=0.5", 1, 0},
    {"application/json;q=0", 0, 0},
    {"application/jsonx", 0, 0},
    {"text/plain", 0, 0},
    {"text/html", 0, 0},
    {",,, application/json ,", 1, 0},
};

START_TEST(test_request_accept)
{
	ck_assert_msg(dm_accept_wants_json(accepts[_i].accept) == accepts[_i].json,
	              "Accept: \"%s\" should %sprefer JSON", accepts[_i].accept,
	              accepts[_i].json ? "" : "not ");
	ck_assert_msg(dm_accept_wants_csv(accepts[_i].accept) == accepts[_i].csv,
	              "Accept: \"%s\" should %sprefer CSV", accepts[_i].accept,
	              accepts[_i].csv ? "" : "not ");
}
END_TEST

START_TEST(test_request_accept_env)
{
	ck_assert_int_eq(read_with("HTTP_ACCEPT", "application/json").wants_json, 1);
	ck_assert_int_eq(read_with("HTTP_ACCEPT", "text/html, */*;q=0.8").wants_json, 0);
	ck_assert_int_eq(read_with("HTTP_ACCEPT", NULL).wants_json, 0);
}
END_TEST

/* Reads body (len bytes) as the request's stdin, with the declared content_length. */
static int
read_body(const char *body, size_t len, long long content_length, size_t max, struct dm_buf *b,
          long *consumed)
{
	struct dm_request r;
	FILE *in;
	int rc;

	memset(&r, 0, sizeof(r));
	r.content_length = content_length;
	in = fmemopen((void *)body, len, "r");
	ck_assert_ptr_nonnull(in);
	dm_buf_init(b, max);
	rc = dm_request_body(&r, in, max, b);
	if (consumed != NULL)
		*consumed = ftell(in);
	fclose(in);
	return rc;
}

START_TEST(test_body_exact)
{
	struct dm_buf b;

	ck_assert_int_eq(read_body("{\"a\": 1}", 8, 8, 1024, &b, NULL), 0);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "{\"a\": 1}");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_body_exactly_max)
{
	struct dm_buf b;

	ck_assert_int_eq(read_body("0123456789", 10, 10, 10, &b, NULL), 0);
	ck_assert_str_eq(b.data, "0123456789");
	dm_buf_free(&b);
	ck_assert_int_eq(read_body("0123456789", 10, -1, 10, &b, NULL), 0);
	ck_assert_str_eq(b.data, "0123456789");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_body_over_max)
{
	struct dm_buf b;

	/* No length announced: the cap is found while reading. */
	ck_assert_int_eq(read_body("0123456789A", 11, -1, 10, &b, NULL), 413);
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_body_length_over_max)
{
	struct dm_buf b;
	long consumed = -1;

	/* An announced length over the cap is refused before a byte is read. */
	ck_assert_int_eq(read_body("0123456789A", 11, 11, 10, &b, &consumed), 413);
	ck_assert_int_eq(consumed, 0);
	dm_buf_free(&b);
	ck_assert_int_eq(read_body("x", 1, 1000000000, 10, &b, &consumed), 413);
	ck_assert_int_eq(consumed, 0);
	dm_buf_free(&b);
}
END_TEST

/* The buffer is usable (freeable) whatever the outcome, even a 413 before any read. */
START_TEST(test_body_refused_leaves_buffer_initialised)
{
	struct dm_request r;
	struct dm_buf b;
	FILE *in = fmemopen((void *)"x", 1, "r");

	memset(&r, 0, sizeof(r));
	memset(&b, 0xA5, sizeof(b));
	r.content_length = 1000;
	ck_assert_int_eq(dm_request_body(&r, in, 10, &b), 413);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	dm_buf_free(&b);
	fclose(in);
}
END_TEST

START_TEST(test_body_short)
{
	struct dm_buf b;

	ck_assert_int_eq(read_body("hello", 5, 10, 1024, &b, NULL), 400);
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_body_chunked)
{
	/* Larger than one read, so the loop to EOF is exercised. */
	enum { big = 200000 };
	struct dm_buf b;
	char *body = malloc(big);
	size_t i;

	ck_assert_ptr_nonnull(body);
	for (i = 0; i < big; i++)
		body[i] = (char)('a' + i % 26);
	ck_assert_int_eq(read_body(body, big, -1, 1024 * 1024, &b, NULL), 0);
	ck_assert_uint_eq(b.len, big);
	ck_assert_mem_eq(b.data, body, big);
	ck_assert_int_eq(b.data[big], '\0');
	dm_buf_free(&b);
	ck_assert_int_eq(read_body(body, big, -1, big - 1, &b, NULL), 413);
	dm_buf_free(&b);
	free(body);
}
END_TEST

Suite *
make_request_suite(void)
{
	Suite *s = suite_create("request");
	TCase *env = tcase_create("environment");
	TCase *accept = tcase_create("accept");
	TCase *body = tcase_create("body");

	tcase_add_checked_fixture(env, clear_env, clear_env);
	tcase_add_test(env, test_request_empty_env);
	tcase_add_loop_test(env, test_request_method, 0,
	                    (int)(sizeof(methods) / sizeof(methods[0])));
	tcase_add_test(env, test_request_method_name);
	tcase_add_test(env, test_request_paths);
	tcase_add_test(env, test_request_redirect_url);
	tcase_add_loop_test(env, test_request_content_length, 0,
	                    (int)(sizeof(lengths) / sizeof(lengths[0])));
	tcase_add_loop_test(env, test_request_client_verify, 0,
	                    (int)(sizeof(verifies) / sizeof(verifies[0])));
	tcase_add_test(env, test_request_client_cn);
	tcase_add_test(env, test_request_https);
	tcase_add_test(env, test_request_read_only);
	tcase_add_test(env, test_request_accept_env);
	suite_add_tcase(s, env);

	tcase_add_loop_test(accept, test_request_accept, 0,
	                    (int)(sizeof(accepts) / sizeof(accepts[0])));
	suite_add_tcase(s, accept);

	tcase_add_test(body, test_body_exact);
	tcase_add_test(body, test_body_exactly_max);
	tcase_add_test(body, test_body_over_max);
	tcase_add_test(body, test_body_length_over_max);
	tcase_add_test(body, test_body_refused_leaves_buffer_initialised);
	tcase_add_test(body, test_body_short);
	tcase_add_test(body, test_body_chunked);
	suite_add_tcase(s, body);
	return s;
}
