/* check_ini.c: the client's INI reader: [DEFAULT] keys, comments, errors with lines. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../client/ini.h"
#include "suites.h"

START_TEST(test_ini_default_section)
{
	struct ini ini = {0};
	char err[256];

	ck_assert_int_eq(
	    ini_parse(&ini,
	              "# comment\n; also\n[DEFAULT]\nserver = debmonitor.example.org\n"
	              "Port: 8443\n  cert =   /etc/ssl/a b.pem  \n[other]\nserver = nope\n",
	              "t.conf", err, sizeof(err)),
	    0);
	ck_assert_str_eq(ini_get(&ini, "server"), "debmonitor.example.org");
	ck_assert_str_eq(ini_get(&ini, "port"), "8443");
	ck_assert_str_eq(ini_get(&ini, "cert"), "/etc/ssl/a b.pem");
	ck_assert_ptr_null(ini_get(&ini, "key"));
	ini_free(&ini);
}
END_TEST

START_TEST(test_ini_last_wins)
{
	struct ini ini = {0};
	char err[256];

	ck_assert_int_eq(ini_parse(&ini, "[DEFAULT]\nport = 1\nport = 2\n", "t", err, sizeof(err)),
	                 0);
	ck_assert_str_eq(ini_get(&ini, "port"), "2");
	ini_free(&ini);
}
END_TEST

START_TEST(test_ini_errors_name_line)
{
	struct ini ini = {0};
	char err[256];

	ck_assert_int_eq(ini_parse(&ini, "[DEFAULT]\nserver\n", "x.conf", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "x.conf:2: expected key = value");
	ini_free(&ini);
	ck_assert_int_eq(ini_parse(&ini, "[DEFAULT\n", "x.conf", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "x.conf:1: section header without ']'");
	ini_free(&ini);
	ck_assert_int_eq(ini_parse(&ini, "[DEFAULT]\n = v\n", "x.conf", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "x.conf:2: empty key");
	ini_free(&ini);
}
END_TEST

START_TEST(test_ini_missing_file)
{
	struct ini ini;
	char err[256];

	ck_assert_int_eq(ini_read(&ini, "/nonexistent/debmonitor.conf", err, sizeof(err)), 1);
	ck_assert_uint_eq(ini.n, 0);
}
END_TEST

Suite *
make_ini_suite(void)
{
	Suite *s = suite_create("ini");
	TCase *tc = tcase_create("ini");

	tcase_add_test(tc, test_ini_default_section);
	tcase_add_test(tc, test_ini_last_wins);
	tcase_add_test(tc, test_ini_errors_name_line);
	tcase_add_test(tc, test_ini_missing_file);
	suite_add_tcase(s, tc);
	return s;
}
