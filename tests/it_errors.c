/* it_errors.c: 404, 405, 500 and 503 as a client sees them through Apache. */
#include "integration.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/parse.h"

static void
restore(void)
{
	it_config_restore();
}

START_TEST(test_not_found_page_is_html)
{
	struct it_response r;

	it_do(it_http("/no/such/<b>page</b>"), NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(r.body, "/no/such/&lt;b&gt;page&lt;/b&gt;"));
	ck_assert_ptr_null(strstr(r.body, "<b>page"));
	it_response_free(&r);
}
END_TEST

START_TEST(test_not_found_json)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;

	it_do(it_http("/no-such-page"), &req, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
	ck_assert_str_eq(r.body, "{\"error\": \"not found\", \"path\": \"/no-such-page\"}\n");
	it_response_free(&r);
}
END_TEST

/* Clients and scripts never get HTML, whichever vhost they reach. */
START_TEST(test_not_found_api_is_plain_text)
{
	static const char *const urls[] = {"/hosts/a.example.org/update", "/kubernetes/update",
	                                   "/images/reg.example.org/app:1/update"};
	struct it_response r;
	size_t i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		it_do(it_http(urls[i]), NULL, &r);
		ck_assert_int_eq(r.status, 404);
		ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
		it_response_free(&r);
	}
}
END_TEST

/* Apache turns an ErrorDocument request into a GET; the answer still follows the client's. */
START_TEST(test_not_found_post_is_plain_text)
{
	struct it_request req = {.method = "POST", .body = "{}", .body_len = 2};
	struct it_response r;

	it_do(it_https("/no-such-endpoint"), &req, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	ck_assert_str_eq(r.body, "not found: /no-such-endpoint\n");
	it_response_free(&r);
}
END_TEST

START_TEST(test_not_found_client_vhost)
{
	struct it_response r;

	it_do(it_https("/nothing-here"), NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_ptr_nonnull(strstr(r.body, "/nothing-here"));
	it_response_free(&r);
}
END_TEST

START_TEST(test_security_headers)
{
	struct it_response r;

	it_do(it_http("/auth-check"), NULL, &r);
	ck_assert_str_eq(it_header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_str_eq(it_header(&r, "X-Frame-Options"), "DENY");
	ck_assert_ptr_nonnull(it_header(&r, "Content-Security-Policy"));
	it_response_free(&r);
	it_do(it_https("/auth-check"), NULL, &r);
	ck_assert_ptr_nonnull(it_header(&r, "Strict-Transport-Security"));
	it_response_free(&r);
}
END_TEST

START_TEST(test_static_stylesheet)
{
	struct it_response r;

	it_do(it_http("/static/debmonitor.css"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/css");
	ck_assert_str_eq(it_header(&r, "Cache-Control"), "public, max-age=604800");
	it_response_free(&r);
}
END_TEST

START_TEST(test_static_script)
{
	struct it_response r;

	it_do(it_http("/static/debmonitor.js"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/javascript");
	ck_assert_str_eq(it_header(&r, "Cache-Control"), "public, max-age=604800");
	ck_assert_ptr_nonnull(strstr(r.body, "use strict"));
	it_response_free(&r);
}
END_TEST

START_TEST(test_list_without_slash_redirects)
{
	struct it_response r;

	it_do(it_http("/hosts"), NULL, &r);
	ck_assert_int_eq(r.status, 301);
	ck_assert_ptr_nonnull(strstr(it_header(&r, "Location"), "/hosts/"));
	it_response_free(&r);
}
END_TEST

START_TEST(test_malformed_config_names_line)
{
	struct it_response r;

	it_config_replace("{\n  \"MYSQL\": {\n    \"DB_NAME\": \"debmonitor\",,\n  }\n}\n");
	it_do(it_https("/auth-check"), NULL, &r);
	it_config_restore();
	ck_assert_int_eq(r.status, 500);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	ck_assert_msg(strstr(r.body, "config.json:3:") != NULL, "body: %s", r.body);
	it_response_free(&r);
}
END_TEST

START_TEST(test_config_wrong_type_names_key)
{
	struct it_response r;

	it_config_replace("{\n  \"SEARCH_MIN_LENGTH\": \"three\"\n}\n");
	it_do(it_https("/auth-check"), NULL, &r);
	it_config_restore();
	ck_assert_int_eq(r.status, 500);
	ck_assert_msg(strstr(r.body, "config.json:2: SEARCH_MIN_LENGTH must be") != NULL,
	              "body: %s", r.body);
	it_response_free(&r);
}
END_TEST

START_TEST(test_database_unreachable_config)
{
	struct it_response r;

	it_config_replace("{\"MYSQL\": {\"DB_SOCKET\": \"/nonexistent/mysqld.sock\"}}\n");
	it_do(it_https("/auth-check"), NULL, &r);
	it_config_restore();
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	ck_assert_msg(strstr(r.body, "database unavailable") != NULL, "body: %s", r.body);
	it_response_free(&r);
}
END_TEST

static long long
db_pid(void)
{
	char path[4096], line[32];
	long long pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/mysqld.pid", it_env("DM_STATE"));
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	if (fgets(line, sizeof(line), f) != NULL)
		line[strcspn(line, "\n")] = '\0';
	fclose(f);
	ck_assert_int_eq(dm_parse_ll(line, 1, 1 << 30, &pid), 0);
	return pid;
}

static void
db_continue(void)
{
	kill((pid_t)db_pid(), SIGCONT);
}

/* A server that accepts but never answers: the CGI gives up after its timeout with a 503. */
START_TEST(test_database_hung)
{
	struct it_response r;
	time_t start = time(NULL);

	ck_assert_int_eq(kill((pid_t)db_pid(), SIGSTOP), 0);
	it_do(it_https("/auth-check"), NULL, &r);
	db_continue();
	ck_assert_int_eq(r.status, 503);
	ck_assert_msg(time(NULL) - start < 30, "took %lld s", (long long)(time(NULL) - start));
	it_response_free(&r);
	it_do(it_https("/auth-check"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	it_response_free(&r);
}
END_TEST

Suite *
make_it_errors_suite(void)
{
	Suite *s = suite_create("integration: error answers");
	TCase *tc = tcase_create("errors"), *db = tcase_create("database");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, restore, NULL);
	tcase_add_unchecked_fixture(tc, NULL, restore);
	tcase_add_test(tc, test_not_found_page_is_html);
	tcase_add_test(tc, test_not_found_json);
	tcase_add_test(tc, test_not_found_api_is_plain_text);
	tcase_add_test(tc, test_not_found_post_is_plain_text);
	tcase_add_test(tc, test_not_found_client_vhost);
	tcase_add_test(tc, test_security_headers);
	tcase_add_test(tc, test_static_stylesheet);
	tcase_add_test(tc, test_static_script);
	tcase_add_test(tc, test_list_without_slash_redirects);
	tcase_add_test(tc, test_malformed_config_names_line);
	tcase_add_test(tc, test_config_wrong_type_names_key);
	tcase_add_test(tc, test_database_unreachable_config);
	suite_add_tcase(s, tc);
	tcase_set_timeout(db, 60);
	tcase_add_unchecked_fixture(db, NULL, db_continue);
	tcase_add_test(db, test_database_hung);
	suite_add_tcase(s, db);
	return s;
}
