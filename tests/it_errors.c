/* it_errors.c: 404, 405, 500 and 503 as a client sees them through Apache. */
#include "integration.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void
db_continue(void)
{
	kill(it_db_pid(), SIGCONT);
}

/* A server that accepts but never answers: the CGI gives up after its timeout with a 503. */
START_TEST(test_database_hung)
{
	struct it_response r;
	time_t start = time(NULL);

	ck_assert_int_eq(kill(it_db_pid(), SIGSTOP), 0);
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

/* --- data Jansson refuses ---------------------------------------------------------------- */

#define UTF8_HOST "t-errors-utf8.example.org"
#define UTF8_IMAGE "registry.example.org/t-errors/utf8:1"
#define UTF8_KERNEL "t-errors-utf8-kernel"
#define UTF8_PACKAGE "t-errors-utf8-pkg"
#define UTF8_SOURCE "t-errors-utf8-src"
/*
 * "t-errors-" and U+D800 encoded as UTF-8 (ED A0 80): MariaDB's utf8mb4 stores this
 * surrogate, Jansson refuses it as not UTF-8, and so does the payload validator: only a
 * row written some other way (an older server, a hand edit) can hold it.
 */
#define SURROGATE_HEX "X'742D6572726F72732DEDA080'"

/* Puts back every name the test spoiled and removes its host and image. */
static void
utf8_cleanup(void)
{
	it_db_exec("UPDATE kernel_version SET name = '" UTF8_KERNEL
	           "' WHERE name = " SURROGATE_HEX);
	it_db_exec("UPDATE source_package SET name = '" UTF8_SOURCE
	           "' WHERE name = " SURROGATE_HEX);
	it_db_exec("UPDATE host SET os_id = (SELECT id FROM os WHERE name = 'Debian 12')"
	           " WHERE name = '" UTF8_HOST "'");
	it_db_exec("UPDATE image SET os_id = (SELECT id FROM os WHERE name = 'Debian 12')"
	           " WHERE name = '" UTF8_IMAGE "'");
	it_forget("hosts", UTF8_HOST);
	it_forget("images", UTF8_IMAGE);
	it_db_exec("DELETE FROM os WHERE name = " SURROGATE_HEX);
}

/* A host and an image on "Debian 12" with UTF8_PACKAGE, built from UTF8_SOURCE. */
static void
utf8_report(void)
{
	json_t *p =
	    json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}]}", "api_version", "v1",
	              "update_type", "full", "image_name", UTF8_IMAGE, "os", "Debian 12",
	              "installed", "name", UTF8_PACKAGE, "version", "1.0", "source", UTF8_SOURCE);
	char *body = it_dump(p), why[512];
	struct it_request req = {.method = "POST", .body = body, .body_len = strlen(body)};
	struct it_response r;

	ck_assert_msg(it_post_full(UTF8_HOST, UTF8_KERNEL, UTF8_PACKAGE "=1.0@" UTF8_SOURCE, why,
	                           sizeof(why)) == 201,
	              "%s", why);
	/* This machine's certificate is a PROXY_IMAGES CN of the test instance. */
	it_do(it_https("/images/" UTF8_IMAGE "/update"), &req, &r);
	it_assert_created(UTF8_IMAGE, &r);
	it_response_free(&r);
	free(body);
}

/* The JSON of path is a 500 that says why, not a 200 with an empty or partial body. */
static void
assert_json_refused(const char *path)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;

	it_do(it_http(path), &req, &r);
	ck_assert_msg(r.status == 500, "GET %s as JSON: HTTP %ld, %zu bytes: %.200s", path,
	              r.status, r.len, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	ck_assert_msg(strstr(r.body, "as JSON: ") != NULL, "GET %s: %s", path, r.body);
	it_response_free(&r);
	/* The page itself shows what it can. */
	it_do(it_http(path), NULL, &r);
	ck_assert_msg(r.status == 200, "GET %s as HTML: HTTP %ld", path, r.status);
	it_response_free(&r);
}

/*
 * A name in the database that Jansson will not write (json_pack fails): the JSON answer
 * is a 500 with the reason in plain text, decided before any header goes out.
 */
START_TEST(test_json_refused_data)
{
	char path[64];

	utf8_cleanup();
	utf8_report();
	it_db_exec("INSERT INTO os (name) VALUES (" SURROGATE_HEX ")");
	it_db_exec("UPDATE host SET os_id = (SELECT id FROM os WHERE name = " SURROGATE_HEX ")"
	           " WHERE name = '" UTF8_HOST "'");
	it_db_exec("UPDATE image SET os_id = (SELECT id FROM os WHERE name = " SURROGATE_HEX ")"
	           " WHERE name = '" UTF8_IMAGE "'");
	assert_json_refused("/hosts/" UTF8_HOST);
	assert_json_refused("/images/" UTF8_IMAGE);
	snprintf(path, sizeof(path), "/kernels/%lld",
	         it_db_count("SELECT kernel_id FROM host WHERE name = '" UTF8_HOST "'"));
	it_db_exec("UPDATE kernel_version SET name = " SURROGATE_HEX " WHERE name = '" UTF8_KERNEL
	           "'");
	assert_json_refused(path);
	it_db_exec("UPDATE source_package SET name = " SURROGATE_HEX " WHERE name = '" UTF8_SOURCE
	           "'");
	assert_json_refused("/packages/" UTF8_PACKAGE);
	utf8_cleanup();
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
	tcase_add_unchecked_fixture(tc, NULL, utf8_cleanup);
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
	tcase_add_test(tc, test_json_refused_data);
	suite_add_tcase(s, tc);
	tcase_set_timeout(db, 60);
	tcase_add_unchecked_fixture(db, NULL, db_continue);
	tcase_add_test(db, test_database_hung);
	suite_add_tcase(s, db);
	return s;
}
