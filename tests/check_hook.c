/* check_hook.c: the Dpkg::Pre-Install-Pkgs parser (v2, v3, garbage) and dpkg's status file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../client/apt.h"
#include "../client/pkgs.h"
#include "suites.h"

#define CONFIG_DUMP                                                                                \
	"APT::Architecture=amd64\nDPkg::Tools::Options::/usr/bin/debmonitor::Version=3\n"

START_TEST(test_hook_v3)
{
	struct pkgs p = {0};
	char err[256];
	const char *in = "VERSION 3\n" CONFIG_DUMP "\n"
	                 "newpkg - - none < 1.0-1 all none /var/cache/apt/archives/newpkg.deb\n"
	                 "libc6 2.36-9 amd64 same < 2.36-9+deb12u4 amd64 same /x/libc6.deb\n"
	                 "libc6 2.36-9 i386 same < 2.36-9+deb12u4 i386 same /x/libc6_i386.deb\n"
	                 "old 2.0 amd64 none > - - none **REMOVE**\n"
	                 "down 2.0 all none > 1.0 all none /x/down.deb\n"
	                 "same 1.0 all none = 1.0 all none /x/same.deb\n"
	                 "newpkg - - none < 1.0-1 all none **CONFIGURE**\n";

	ck_assert_int_eq(dpkg_parse_hook(&p, in, "amd64", err, sizeof(err)), 0);
	ck_assert_uint_eq(p.n_installed, 4);
	ck_assert_str_eq(p.installed[0].name, "newpkg");
	ck_assert_str_eq(p.installed[0].version, "1.0-1");
	ck_assert_str_eq(p.installed[1].name, "libc6");
	ck_assert_str_eq(p.installed[2].name, "libc6:i386");
	ck_assert_str_eq(p.installed[3].name, "down");
	ck_assert_str_eq(p.installed[3].version, "1.0");
	ck_assert_uint_eq(p.n_uninstalled, 1);
	ck_assert_str_eq(p.uninstalled[0].name, "old");
	ck_assert_str_eq(p.uninstalled[0].version, "2.0");
	pkgs_free(&p);
}
END_TEST

START_TEST(test_hook_v2)
{
	struct pkgs p = {0};
	char err[256];
	const char *in = "VERSION 2\n" CONFIG_DUMP "\n"
	                 "bash 5.1 < 5.2 /var/cache/apt/archives/bash_5.2_amd64.deb\n"
	                 "telnet 0.17 > - **REMOVE**\n";

	ck_assert_int_eq(dpkg_parse_hook(&p, in, "amd64", err, sizeof(err)), 0);
	ck_assert_uint_eq(p.n_installed, 1);
	ck_assert_str_eq(p.installed[0].version, "5.2");
	ck_assert_uint_eq(p.n_uninstalled, 1);
	ck_assert_str_eq(p.uninstalled[0].name, "telnet");
	pkgs_free(&p);
}
END_TEST

/* Garbage is an error, never a report. */
START_TEST(test_hook_malformed)
{
	static const struct {
		const char *in, *err;
	} cases[] = {
	    {"", "empty input"},
	    {"hello\n\nx\n", "line 1: expected VERSION 2 or VERSION 3"},
	    {"VERSION 1\n\n", "line 1: expected VERSION 2 or VERSION 3"},
	    {"VERSION 3\nAPT::X=1\n", "no blank line"},
	    {"VERSION 3\n\nbash 5.1 < 5.2 /x.deb\n", "line 3: expected 9 fields"},
	    {"VERSION 2\n\nbash 5.1 ? 5.2 /x.deb\n", "line 3: direction must be"},
	    {"VERSION 2\n\nbash 5.1 > - /x.deb\n", "line 3: a removal must say **REMOVE**"},
	};
	struct pkgs p = {0};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(dpkg_parse_hook(&p, cases[i].in, "amd64", err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, cases[i].err) != NULL, "case %zu: %s", i, err);
		pkgs_free(&p);
	}
}
END_TEST

START_TEST(test_status_file)
{
	struct pkgs p = {0};
	const char *status =
	    "Package: bash\nStatus: install ok installed\nArchitecture: amd64\n"
	    "Version: 5.2.15-2+b2\n\n"
	    "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
	    "Source: openssl (3.0.11-1)\nVersion: 3.0.11-1~deb12u2\n\n"
	    "Package: libc6\nStatus: install ok installed\nArchitecture: i386\n"
	    "Source: glibc\nVersion: 2.36-9\n\n"
	    "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\n"
	    "Version: 1\n\n"
	    "Package: tzdata\nStatus: hold ok installed\nArchitecture: all\nVersion: 2024a\n";

	ck_assert_int_eq(dpkg_parse_status(&p, status, "amd64"), 0);
	ck_assert_uint_eq(p.n_installed, 4);
	ck_assert_str_eq(p.installed[0].source, "bash");
	ck_assert_str_eq(p.installed[1].source, "openssl");
	ck_assert_str_eq(p.installed[2].name, "libc6:i386");
	ck_assert_str_eq(p.installed[3].name, "tzdata");
	pkgs_free(&p);
}
END_TEST

/* The entries of a list, in order: the name, source and source version of each. */
static void
assert_sources(const struct pkg *v, size_t n, const char *const want[][3], size_t n_want)
{
	size_t i;

	ck_assert_uint_eq(n, n_want);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(v[i].name, want[i][0]);
		ck_assert_pstr_eq(v[i].source, want[i][1]);
		ck_assert_pstr_eq(v[i].source_version, want[i][2]);
	}
}

/*
 * The Source field's version, when it has one: a binNMU's, a binary versioned apart from
 * its source (libldb2, built by samba), none when the field names the source alone or
 * when there is no field, and none where the server would refuse it.
 */
START_TEST(test_status_source_versions)
{
	static const char *const want[][3] = {
	    {"x", "x", "1.0-1"},        {"libldb2", "samba", "2:4.17.12+dfsg-0+deb12u1"},
	    {"libc6", "glibc", NULL},   {"adduser", "adduser", NULL},
	    {"bad-epoch", "odd", NULL}, {"unclosed", "odd", NULL},
	    {"trailing", "odd", NULL},
	};
	struct pkgs p = {0};
	const char *status = "Package: x\nStatus: install ok installed\nArchitecture: amd64\n"
	                     "Source: x (1.0-1)\nVersion: 1.0-1+b1\n\n"
	                     "Package: libldb2\nStatus: install ok installed\nArchitecture: amd64\n"
	                     "Multi-Arch: same\nSource: samba (2:4.17.12+dfsg-0+deb12u1)\n"
	                     "Version: 2:2.6.2+samba4.17.12+dfsg-0+deb12u1\n\n"
	                     "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
	                     "Source: glibc\nVersion: 2.36-9+deb12u4\n\n"
	                     "Package: adduser\nStatus: install ok installed\nArchitecture: all\n"
	                     "Version: 3.134\n\n"
	                     "Package: bad-epoch\nStatus: install ok installed\nArchitecture: all\n"
	                     "Source: odd (x:1.0)\nVersion: 1.0\n\n"
	                     "Package: unclosed\nStatus: install ok installed\nArchitecture: all\n"
	                     "Source: odd (1.0\nVersion: 1.0\n\n"
	                     "Package: trailing\nStatus: install ok installed\nArchitecture: all\n"
	                     "Source: odd (1.0) x\nVersion: 1.0\n";

	ck_assert_int_eq(dpkg_parse_status(&p, status, "amd64"), 0);
	assert_sources(p.installed, p.n_installed, want, sizeof(want) / sizeof(want[0]));
	pkgs_free(&p);
}
END_TEST

/* The Source field taken apart: the name always, the version only when the server takes it. */
START_TEST(test_split_source)
{
	static const char *const cases[][3] = {
	    {"samba (2:4.17.12+dfsg-0+deb12u1)", "samba", "2:4.17.12+dfsg-0+deb12u1"},
	    {"glibc", "glibc", NULL},
	    {"x  (1.0)", "x", "1.0"},
	    {"x (1.0 )", "x", NULL},
	    {"x ()", "x", NULL},
	    {"x (1.0-)", "x", NULL},
	    {"x 1.0", "x", NULL},
	};
	char field[512];
	const char *version;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(field, sizeof(field), "%s", cases[i][0]);
		pkgs_split_source(field, &version);
		ck_assert_str_eq(field, cases[i][1]);
		ck_assert_pstr_eq(version, cases[i][2]);
	}
	/* 255 bytes is a field the server takes, 256 is not. */
	snprintf(field, sizeof(field), "x (1.%0253d)", 0);
	pkgs_split_source(field, &version);
	ck_assert_uint_eq(strlen(version), 255);
	snprintf(field, sizeof(field), "x (1.%0254d)", 0);
	pkgs_split_source(field, &version);
	ck_assert_ptr_null(version);
}
END_TEST

/*
 * The dpkg hook's installs get their sources from apt-cache show, and the source's
 * version where the record names one; removals only the source.
 */
START_TEST(test_records_source_versions)
{
	static const char *const want[][3] = {
	    {"libldb2", "samba", "2:4.17.12+dfsg-0+deb12u1"},
	    {"bash", "bash", "5.2.15-2"},
	    {"libc6:i386", "glibc", NULL},
	    {"newpkg", "newpkg", NULL},
	};
	static const char *const want_gone[][3] = {{"x", "x", NULL}};
	struct pkgs p = {0};
	char err[256];
	const char *in =
	    "VERSION 3\n" CONFIG_DUMP "\n"
	    "libldb2 - - none < 2:2.6.2+samba4.17.12+dfsg-0+deb12u1 amd64 same /a.deb\n"
	    "bash 5.2.15-2+b7 amd64 none < 5.2.15-2+b8 amd64 none /b.deb\n"
	    "libc6 2.36-9 i386 same < 2.36-9+deb12u4 i386 same /c.deb\n"
	    "newpkg - - none < 1.0 all none /d.deb\n"
	    "x 1.0-1+b1 amd64 none > - - none **REMOVE**\n";
	const char *records = "Package: libldb2\nVersion: 2:2.6.2+samba4.17.12+dfsg-0+deb12u1\n"
	                      "Source: samba (2:4.17.12+dfsg-0+deb12u1)\n\n"
	                      "Package: bash\nVersion: 5.2.15-2+b8\nSource: bash (5.2.15-2)\n\n"
	                      "Package: libc6\nVersion: 2.36-9+deb12u4\nSource: glibc\n\n"
	                      "Package: newpkg\nVersion: 1.0\n\n"
	                      "Package: x\nVersion: 1.0-1+b1\nSource: x (1.0-1)\n";

	ck_assert_int_eq(dpkg_parse_hook(&p, in, "amd64", err, sizeof(err)), 0);
	ck_assert_int_eq(apt_parse_records(&p, records), 0);
	assert_sources(p.installed, p.n_installed, want, sizeof(want) / sizeof(want[0]));
	assert_sources(p.uninstalled, p.n_uninstalled, want_gone, 1);
	pkgs_free(&p);
}
END_TEST

/* APT's simulation: upgrades of installed packages, security by the candidate's suite. */
START_TEST(test_apt_simulation)
{
	struct pkgs p = {0};
	const char *out =
	    "Reading package lists...\n"
	    "Inst libssl3 [3.0.11-1~deb12u2] (3.0.13-1~deb12u1 Debian:12.5/stable, "
	    "Debian-Security:12/stable-security [amd64])\n"
	    "Inst newdep (1.0 Debian:12/stable [all])\n"
	    "Inst bash [5.2] (5.2.1 Debian:12.5/stable [amd64]) []\n"
	    "Inst libc6:i386 [2.36-9] (2.36-9+deb12u4 Ubuntu:24.04/noble-security [i386])\n"
	    "Conf libssl3 (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])\n";

	ck_assert_int_eq(apt_parse_simulation(&p, out), 0);
	ck_assert_uint_eq(p.n_upgradable, 3);
	ck_assert_str_eq(p.upgradable[0].name, "libssl3");
	ck_assert_str_eq(p.upgradable[0].version_from, "3.0.11-1~deb12u2");
	ck_assert_str_eq(p.upgradable[0].version_to, "3.0.13-1~deb12u1");
	ck_assert_int_eq(p.upgradable[0].security, 1);
	ck_assert_str_eq(p.upgradable[1].name, "bash");
	ck_assert_int_eq(p.upgradable[1].security, 0);
	ck_assert_str_eq(p.upgradable[2].name, "libc6:i386");
	ck_assert_int_eq(p.upgradable[2].security, 1);
	pkgs_free(&p);
}
END_TEST

Suite *
make_hook_suite(void)
{
	Suite *s = suite_create("hook");
	TCase *tc = tcase_create("hook");

	tcase_add_test(tc, test_hook_v3);
	tcase_add_test(tc, test_hook_v2);
	tcase_add_test(tc, test_hook_malformed);
	tcase_add_test(tc, test_status_file);
	tcase_add_test(tc, test_status_source_versions);
	tcase_add_test(tc, test_split_source);
	tcase_add_test(tc, test_records_source_versions);
	tcase_add_test(tc, test_apt_simulation);
	suite_add_tcase(s, tc);
	return s;
}
