/* check_hostname.c: the client's host name: --hostname over hostname= over the FQDN, checked. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "../client/hostname.h"
#include "../client/ini.h"
#include "suites.h"

#define CONF "/etc/debmonitor.conf"

/* hostname_pick with cli and conf; its result in out, its message in err. */
static char out[HOSTNAME_MAX + 1], err[512];

static int
pick(const char *cli, const char *conf)
{
	memset(out, 0, sizeof(out));
	memset(err, 0, sizeof(err));
	return hostname_pick(out, sizeof(out), cli, conf, CONF, err, sizeof(err));
}

START_TEST(test_hostname_cli_wins)
{
	ck_assert_int_eq(pick("cli.example.org", "conf.example.org"), EX_OK);
	ck_assert_str_eq(out, "cli.example.org");
	ck_assert_int_eq(pick("cli.example.org", NULL), EX_OK);
	ck_assert_str_eq(out, "cli.example.org");
}
END_TEST

/* The value as the configuration file gives it, through the INI reader. */
START_TEST(test_hostname_from_config)
{
	struct ini ini = {0};

	ck_assert_int_eq(
	    ini_parse(&ini, "[DEFAULT]\nHostName =  conf.example.org \n", CONF, err, sizeof(err)),
	    0);
	ck_assert_int_eq(pick(NULL, ini_get(&ini, "hostname")), EX_OK);
	ck_assert_str_eq(out, "conf.example.org");
	ini_free(&ini);
}
END_TEST

/* Neither: this host's name, as hostname -f prints it (the short name when that has no dot). */
START_TEST(test_hostname_default_is_fqdn)
{
	char expect[HOSTNAME_MAX + 2] = "", fqdn[HOSTNAME_MAX + 1];
	FILE *f;

	hostname_fqdn(fqdn, sizeof(fqdn));
	ck_assert_int_eq(pick(NULL, NULL), EX_OK);
	ck_assert_str_eq(out, fqdn);
	ck_assert_uint_gt(strlen(out), 0);
	if ((f = popen("hostname -f 2>/dev/null", "r")) == NULL)
		return;
	if (fgets(expect, sizeof(expect), f) == NULL)
		expect[0] = '\0';
	pclose(f);
	expect[strcspn(expect, "\n")] = '\0';
	if (strchr(expect, '.') == NULL)
		gethostname(expect, sizeof(expect) - 1);
	ck_assert_str_eq(out, expect);
}
END_TEST

START_TEST(test_hostname_limits)
{
	char name[HOSTNAME_MAX + 2];

	memset(name, 'a', sizeof(name) - 1);
	name[HOSTNAME_MAX] = '\0';
	ck_assert_int_eq(pick(name, NULL), EX_OK);
	ck_assert_str_eq(out, name);
	name[HOSTNAME_MAX] = 'a';
	name[HOSTNAME_MAX + 1] = '\0';
	ck_assert_int_eq(pick(name, NULL), EX_USAGE);
	ck_assert_str_eq(err, "--hostname: longer than 255 bytes");
	ck_assert_int_eq(pick("h\xc3\xa9te.example.org", NULL), EX_OK);
	ck_assert_int_eq(pick("h\xf0\x9f\x90\xa7.example.org", NULL), EX_OK);
}
END_TEST

/* The report is JSON: a name that is not UTF-8 could not be sent. */
START_TEST(test_hostname_utf8)
{
	static const char *const bad[] = {"h\xe9te",          "\xc3", "a\xc0\xaf", "\xed\xa0\x80",
	                                  "\xf4\x90\x80\x80", "\xff"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(pick(bad[i], NULL), EX_USAGE);
		ck_assert_msg(strncmp(err, "--hostname: not UTF-8 (byte ", 28) == 0, "%zu: %s", i,
		              err);
	}
}
END_TEST

/* A bad --hostname is a usage error, a bad hostname= a configuration error; each says which. */
START_TEST(test_hostname_invalid)
{
	static const char *const bad[] = {"a b",    "a\tb",  "a\nb", "a\rb",
	                                  "a\001b", "a\x7f", " a",   "a\v"};
	size_t i;

	ck_assert_int_eq(pick("", NULL), EX_USAGE);
	ck_assert_str_eq(err, "--hostname: empty");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(pick(bad[i], NULL), EX_USAGE);
		ck_assert_msg(strncmp(err, "--hostname: contains ", 21) == 0, "%zu: %s", i, err);
		ck_assert_int_eq(pick(NULL, bad[i]), EX_CONFIG);
		ck_assert_msg(strncmp(err, CONF ": hostname: contains ", strlen(CONF) + 21) == 0,
		              "%zu: %s", i, err);
	}
	ck_assert_int_eq(pick(NULL, ""), EX_CONFIG);
	ck_assert_str_eq(err, CONF ": hostname: empty (remove the line to use this host's FQDN)");
	/* The file is wrong whatever the command line says. */
	ck_assert_int_eq(pick("cli.example.org", "a b"), EX_CONFIG);
}
END_TEST

Suite *
make_hostname_suite(void)
{
	Suite *s = suite_create("hostname");
	TCase *tc = tcase_create("hostname");

	tcase_add_test(tc, test_hostname_cli_wins);
	tcase_add_test(tc, test_hostname_from_config);
	tcase_add_test(tc, test_hostname_default_is_fqdn);
	tcase_add_test(tc, test_hostname_limits);
	tcase_add_test(tc, test_hostname_invalid);
	tcase_add_test(tc, test_hostname_utf8);
	suite_add_tcase(s, tc);
	return s;
}
