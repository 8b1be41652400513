/* it_login.c: REQUIRE_LOGIN with apache/login-ldap.conf against the instance's private slapd. */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST "t-login.example.org"

/* Every page of the pages vhost, and a static asset: all behind the login. */
static const char *const pages[] = {
    "/",
    "/hosts/",
    "/hosts/" HOST,
    "/images/",
    "/packages/",
    "/packages/t-login-pkg",
    "/source-packages/",
    "/source-packages/t-login-src",
    "/kernels/",
    "/kubernetes/",
    "/search?q=t-login",
    "/static/debmonitor.css",
    "/static/debmonitor.js",
};
#define NPAGES (sizeof(pages) / sizeof(pages[0]))

static char alice[512], mallory[512], alice_wrong[512];

static void
report(void)
{
	char body[1024], path[256];
	struct it_request req = {.method = "POST", .body = body};
	struct it_response r;
	struct it_tls tls = it_cert(HOST);

	snprintf(body, sizeof(body),
	         "{\"api_version\":\"v1\",\"update_type\":\"full\",\"hostname\":\"%s\","
	         "\"os\":\"Debian 12\",\"running_kernel\":{\"release\":\"6.1.0-18-amd64\","
	         "\"version\":\"#1 SMP t-login\"},\"installed\":[{\"name\":\"t-login-pkg\","
	         "\"version\":\"1.0-1\",\"source\":\"t-login-src\"}]}",
	         HOST);
	req.body_len = strlen(body);
	req.tls = &tls;
	snprintf(path, sizeof(path), "/hosts/%s/update", HOST);
	/* The client vhost needs no login: the host's own certificate is enough. */
	it_do(it_https(path), &req, &r);
	it_assert_created(path, &r);
	it_response_free(&r);
}

static void
setup(void)
{
	snprintf(alice, sizeof(alice), "%s:%s", it_env("DM_LOGIN_USER"),
	         it_env("DM_LOGIN_PASSWORD"));
	snprintf(alice_wrong, sizeof(alice_wrong), "%s:%s-wrong", it_env("DM_LOGIN_USER"),
	         it_env("DM_LOGIN_PASSWORD"));
	snprintf(mallory, sizeof(mallory), "%s:%s", it_env("DM_LOGIN_OUTSIDER"),
	         it_env("DM_LOGIN_OUTSIDER_PASSWORD"));
	report();
}

/* The host deletes itself: its own certificate needs no PROXY_HOSTS entry. */
static void
teardown(void)
{
	struct it_tls tls = it_cert(HOST);
	struct it_response r;

	it_do(it_https("/hosts/" HOST), &(struct it_request){.method = "DELETE", .tls = &tls}, &r);
	ck_assert_msg(r.status == 204, "DELETE /hosts/" HOST ": %ld %s", r.status, r.body);
	it_response_free(&r);
}

/* GET every page (HTML, then JSON) with these credentials: each answers status. */
static void
assert_pages(const char *who, const char *userpwd, long status)
{
	static const char *const accepts[] = {NULL, "application/json"};
	struct it_response r;
	size_t i, a;

	for (i = 0; i < NPAGES; i++)
		for (a = 0; a < 2; a++) {
			struct it_request req = {.userpwd = userpwd, .accept = accepts[a]};

			it_do(it_http(pages[i]), &req, &r);
			ck_assert_msg(r.status == status, "%s GET %s (%s): %ld, not %ld: %.200s",
			              who, pages[i], a ? "JSON" : "HTML", r.status, status, r.body);
			it_response_free(&r);
		}
}

START_TEST(no_credentials_get_401)
{
	struct it_response r;
	const char *www;

	assert_pages("no credentials", NULL, 401);
	it_do(it_http("/hosts/"), NULL, &r);
	www = it_header(&r, "WWW-Authenticate");
	ck_assert_msg(www != NULL && strncmp(www, "Basic", 5) == 0, "WWW-Authenticate: %s",
	              www ? www : "(none)");
	ck_assert_ptr_null(strstr(r.body, HOST));
	it_response_free(&r);
}
END_TEST

START_TEST(wrong_password_and_unknown_user_get_401)
{
	assert_pages("wrong password", alice_wrong, 401);
	assert_pages("unknown user", "nobody-t-login:secret", 401);
}
END_TEST

START_TEST(user_outside_group_gets_403)
{
	struct it_request req = {.userpwd = mallory};
	struct it_response r;

	assert_pages("outside the group", mallory, 403);
	it_do(it_http("/hosts/" HOST), &req, &r);
	ck_assert_ptr_null(strstr(r.body, "t-login-pkg"));
	it_response_free(&r);
}
END_TEST

START_TEST(user_in_group_sees_pages_and_json)
{
	struct it_request html = {.userpwd = alice};
	json_t *host;
	struct it_response r;

	assert_pages("in the group", alice, 200);
	it_do(it_http("/hosts/" HOST), &html, &r);
	ck_assert_msg(strstr(r.body, "t-login-pkg") != NULL, "the host page lacks its package");
	/* The page says who is logged in. */
	ck_assert_msg(strstr(r.body, "<span class=\"user\" title=\"Logged in\">alice</span>"),
	              "no user in the header: %.400s", r.body);
	it_response_free(&r);

	it_do(it_http("/hosts/" HOST),
	      &(struct it_request){.userpwd = alice, .accept = "application/json"}, &r);
	ck_assert_int_eq(r.status, 200);
	host = json_loads(r.body, 0, NULL);
	ck_assert_ptr_nonnull(host);
	ck_assert_str_eq(it_str(host, "name"), HOST);
	ck_assert_int_eq(json_array_size(json_object_get(host, "packages")), 1);
	json_decref(host);
	it_response_free(&r);
}
END_TEST

START_TEST(login_keeps_read_only_and_head)
{
	struct it_response r;

	it_do(it_http("/hosts/"), &(struct it_request){.userpwd = alice, .method = "HEAD"}, &r);
	ck_assert_int_eq(r.status, 200);
	it_response_free(&r);
	it_do(it_http("/hosts/" HOST), &(struct it_request){.userpwd = alice, .method = "DELETE"},
	      &r);
	ck_assert_int_eq(r.status, 405);
	it_response_free(&r);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM host WHERE name = '" HOST "'"), 1);
}
END_TEST

/* A header a client sets is not a login: only Apache's REMOTE_USER counts. */
START_TEST(forged_user_headers_are_not_a_login)
{
	static const char *const forged[] = {"Remote-User: alice", "X-Remote-User: alice",
	                                     "Authorization: Bearer alice"};
	struct it_tls tls = it_cert(HOST);
	struct it_response r;
	size_t i;

	for (i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		it_do(it_http("/hosts/"), &(struct it_request){.header = forged[i]}, &r);
		ck_assert_msg(r.status == 401, "pages vhost with '%s': %ld", forged[i], r.status);
		it_response_free(&r);
		it_do(it_https("/hosts/"), &(struct it_request){.header = forged[i], .tls = &tls},
		      &r);
		ck_assert_msg(r.status == 403, "client vhost HTML with '%s': %ld", forged[i],
		              r.status);
		it_response_free(&r);
	}
}
END_TEST

/*
 * The client vhost has no login block: there the CGIs themselves refuse pages to a request
 * without REMOTE_USER, and let a verified certificate read the JSON.
 */
START_TEST(cgi_without_remote_user_refuses)
{
	struct it_tls tls = it_cert(HOST);
	struct it_response r;
	size_t i;

	for (i = 0; i < NPAGES; i++) {
		if (strncmp(pages[i], "/static/", 8) == 0)
			continue;
		it_do(it_https(pages[i]), &(struct it_request){.tls = &tls}, &r);
		ck_assert_msg(r.status == 403, "client vhost HTML %s: %ld", pages[i], r.status);
		ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
		ck_assert_msg(strstr(r.body, "login required (REQUIRE_LOGIN)") != NULL, "%s: %s",
		              pages[i], r.body);
		it_response_free(&r);
		it_do(it_https(pages[i]),
		      &(struct it_request){.tls = &tls, .accept = "application/json"}, &r);
		ck_assert_msg(r.status == 200, "client vhost JSON %s: %ld %.200s", pages[i],
		              r.status, r.body);
		it_response_free(&r);
	}
}
END_TEST

START_TEST(client_endpoints_need_no_login)
{
	struct it_response r;

	report();
	it_do(it_https("/auth-check"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "OK\n");
	it_response_free(&r);
	/* And the 404 page shows nothing of the fleet: no login needed for it there. */
	it_do(it_https("/hosts/" HOST "/nothing-here"), NULL, &r);
	ck_assert_int_eq(r.status, 404);
	it_response_free(&r);
}
END_TEST

/*
 * The instance Defines DM_METRICS_FROM 127.0.0.1 (apache/debmonitor.conf): this address,
 * the Prometheus server, reads /metrics without a login, and nothing else without one;
 * /metrics is for those addresses only: from 127.0.0.2 (this machine too) Apache refuses
 * it, login or not.
 */
START_TEST(metrics_open_to_the_scraper_address)
{
	struct it_response r;

	it_do(it_http("/metrics"), NULL, &r);
	ck_assert_msg(r.status == 200, "/metrics from 127.0.0.1: %ld: %.200s", r.status, r.body);
	ck_assert_ptr_nonnull(strstr(r.body, "\ndebmonitor_hosts{os=\"Debian 12\"} "));
	it_response_free(&r);
	it_do(it_http("/"), NULL, &r);
	ck_assert_int_eq(r.status, 401);
	it_response_free(&r);
	it_sh(
	    "test \"$(curl -s -o /dev/null -w '%%{http_code}' --interface 127.0.0.2 '%s')\" = 403",
	    it_http("/metrics"));
	it_sh(
	    "test \"$(curl -s -o /dev/null -w '%%{http_code}' --interface 127.0.0.2 -u '%s' '%s')\""
	    " = 403",
	    alice, it_http("/metrics"));
	it_sh(
	    "test \"$(curl -s -o /dev/null -w '%%{http_code}' --interface 127.0.0.2 -u '%s' '%s')\""
	    " = 200",
	    alice, it_http("/"));
}
END_TEST

Suite *
make_it_login_suite(void)
{
	Suite *s = suite_create("it_login");
	TCase *tc = tcase_create("ldap");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, no_credentials_get_401);
	tcase_add_test(tc, wrong_password_and_unknown_user_get_401);
	tcase_add_test(tc, user_outside_group_gets_403);
	tcase_add_test(tc, user_in_group_sees_pages_and_json);
	tcase_add_test(tc, login_keeps_read_only_and_head);
	tcase_add_test(tc, forged_user_headers_are_not_a_login);
	tcase_add_test(tc, cgi_without_remote_user_refuses);
	tcase_add_test(tc, client_endpoints_need_no_login);
	tcase_add_test(tc, metrics_open_to_the_scraper_address);
	suite_add_tcase(s, tc);
	return s;
}
