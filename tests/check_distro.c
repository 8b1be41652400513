/* check_distro.c: Debian's release table (lib/core/distro.c), OS names and end of life. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/distro.h"
#include "data_cases.h"
#include "suites.h"

#define ERR_LEN 512
#define PATH_LEN 2048
/* The day the tables below are seen from, unless a case says otherwise. */
#define TODAY 20260301
/* Where distro-info-data puts Debian's table on this machine, if it is installed. */
#define SYSTEM_CSV "/usr/share/distro-info/debian.csv"

/* tests/data/distro/debian.csv: Debian's table cut down to the releases the cases need. */
static void
load_fixture(struct dm_distro *d, char path[PATH_LEN])
{
	char err[ERR_LEN];

	snprintf(path, PATH_LEN, "%s/distro/debian.csv", tc_data_dir());
	ck_assert_msg(dm_distro_load(d, path, err, sizeof(err)) == 0, "%s", err);
}

static void
parse_ok(struct dm_distro *d, const char *text)
{
	char err[ERR_LEN];

	ck_assert_msg(dm_distro_parse(d, text, strlen(text), "t.csv", err, sizeof(err)) == 0,
	              "refused: %s\n%s", err, text);
}

/* text must be refused with a message starting "t.csv:" and containing want. */
static void
parse_refused(const char *text, size_t len, const char *want)
{
	struct dm_distro d;
	char err[ERR_LEN];

	ck_assert_msg(dm_distro_parse(&d, text, len, "t.csv", err, sizeof(err)) == -1,
	              "accepted: %s", text);
	ck_assert_ptr_null(d.rel);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_msg(strncmp(err, "t.csv:", 6) == 0, "message \"%s\" does not name the file", err);
	ck_assert_msg(strstr(err, want) != NULL, "message \"%s\" lacks \"%s\"", err, want);
}

static const struct dm_release *
series(const struct dm_distro *d, const char *name)
{
	const struct dm_release *r = dm_distro_series(d, name);

	ck_assert_msg(r != NULL, "no release %s", name);
	return r;
}

START_TEST(test_distro_fixture)
{
	struct dm_distro d;
	char path[PATH_LEN];
	const struct dm_release *r;

	load_fixture(&d, path);
	ck_assert_str_eq(d.path, path);
	ck_assert_uint_eq(d.n, 11);
	ck_assert_str_eq(d.rel[0].series, "potato");
	ck_assert_str_eq(d.rel[10].series, "experimental");
	r = series(&d, "bookworm");
	ck_assert_str_eq(r->version, "12");
	ck_assert_str_eq(r->codename, "Bookworm");
	ck_assert_int_eq(r->created, 20210814);
	ck_assert_int_eq(r->release, 20230610);
	ck_assert_int_eq(r->eol, 20260711);
	ck_assert_int_eq(r->eol_lts, 20280630);
	ck_assert_int_eq(r->eol_elts, 20330630);
	r = series(&d, "potato"); /* before LTS: the row stops after eol */
	ck_assert_str_eq(r->version, "2.2");
	ck_assert_int_eq(r->eol, 20030630);
	ck_assert_int_eq(r->eol_lts, 0);
	ck_assert_int_eq(r->eol_elts, 0);
	r = series(&d, "forky"); /* testing: created, nothing else yet */
	ck_assert_int_eq(r->created, 20250809);
	ck_assert_int_eq(r->release, 0);
	ck_assert_int_eq(r->eol, 0);
	r = series(&d, "sid");
	ck_assert_str_eq(r->version, "");
	ck_assert_str_eq(r->codename, "Sid");
	ck_assert_int_eq(r->release, 0);
	ck_assert_ptr_null(dm_distro_series(&d, "Bookworm")); /* series are exact */
	ck_assert_ptr_null(dm_distro_series(&d, "12"));
	ck_assert_ptr_null(dm_distro_series(&d, ""));
	dm_distro_free(&d);
	ck_assert_ptr_null(d.rel);
	ck_assert_uint_eq(d.n, 0);
}
END_TEST

/* OS names as hosts report them, and what each says on day (TODAY where 0). */
static const struct {
	const char *os;
	int day;
	enum dm_os_match want;
	const char *series; /* for DM_OS_RELEASE */
} lookups[] = {
    /* Both clients: ID and VERSION_ID of os-release. */
    {"Debian 12", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian 11", 0, DM_OS_RELEASE, "bullseye"},
    {"Debian 13", 0, DM_OS_RELEASE, "trixie"},
    {"Debian 10", 0, DM_OS_RELEASE, "buster"},
    {"Debian 7", 0, DM_OS_RELEASE, "wheezy"},
    {"Debian 14", 0, DM_OS_RELEASE, "forky"},
    {"Debian 15", 0, DM_OS_RELEASE, "duke"},
    /* Point releases (lsb_release on old systems, /etc/debian_version). */
    {"Debian 12.5", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian 12.10", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian 7.11", 0, DM_OS_RELEASE, "wheezy"},
    {"Debian 6.0", 0, DM_OS_RELEASE, "squeeze"},
    {"Debian 6.0.10", 0, DM_OS_RELEASE, "squeeze"},
    {"Debian 2.2", 0, DM_OS_RELEASE, "potato"},
    {"Debian 2.2.7", 0, DM_OS_RELEASE, "potato"},
    /* Numbers that name no release: whole components only, no guessing. */
    {"Debian 6", 0, DM_OS_DEBIAN, NULL},
    {"Debian 2", 0, DM_OS_DEBIAN, NULL},
    {"Debian 1", 0, DM_OS_DEBIAN, NULL},
    {"Debian 99", 0, DM_OS_DEBIAN, NULL},
    {"Debian 120", 0, DM_OS_DEBIAN, NULL},
    {"Debian 1.2", 0, DM_OS_DEBIAN, NULL},
    {"Debian 012", 0, DM_OS_DEBIAN, NULL},
    {"Debian 6.01", 0, DM_OS_DEBIAN, NULL},
    {"Debian 12.", 0, DM_OS_DEBIAN, NULL},
    {"Debian .12", 0, DM_OS_DEBIAN, NULL},
    {"Debian 12..5", 0, DM_OS_DEBIAN, NULL},
    {"Debian 12x", 0, DM_OS_DEBIAN, NULL},
    {"Debian 12-1", 0, DM_OS_DEBIAN, NULL},
    {"Debian 12 12", 0, DM_OS_DEBIAN, NULL},
    {"Debian 3.1r8", 0, DM_OS_DEBIAN, NULL},
    /* os-release's PRETTY_NAME: the number decides, the series must agree. */
    {"Debian GNU/Linux 12 (bookworm)", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian GNU/Linux 13 (trixie)", 0, DM_OS_RELEASE, "trixie"},
    {"Debian GNU/Linux 11 (bullseye)", 0, DM_OS_RELEASE, "bullseye"},
    {"Debian GNU/Linux 12 (Bookworm)", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian 12 (bookworm)", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian 12(bookworm)", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian GNU/Linux 12", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian GNU/Linux 12 (bullseye)", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 99 (bookworm)", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 (nonesuch)", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 (bookworm", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 bookworm)", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 bookworm", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 ()", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 ( bookworm )", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux 12 (bookworm) x", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux GNU/Linux 12", 0, DM_OS_DEBIAN, NULL},
    /* A series by name, any ASCII case. */
    {"Debian bookworm", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian Bookworm", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian BOOKWORM", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian sid", 0, DM_OS_RELEASE, "sid"},
    {"Debian experimental", 0, DM_OS_RELEASE, "experimental"},
    {"Debian nonesuch", 0, DM_OS_DEBIAN, NULL},
    {"Debian stable", 0, DM_OS_DEBIAN, NULL},
    /* Testing and unstable as /etc/debian_version and PRETTY_NAME say them. */
    {"Debian trixie/sid", 0, DM_OS_RELEASE, "trixie"},
    {"Debian GNU/Linux trixie/sid", 0, DM_OS_RELEASE, "trixie"},
    {"Debian forky/sid", 0, DM_OS_RELEASE, "forky"},
    {"Debian Forky/SID", 0, DM_OS_RELEASE, "forky"},
    {"Debian sid/sid", 0, DM_OS_RELEASE, "sid"},
    {"Debian /sid", 0, DM_OS_DEBIAN, NULL},
    {"Debian nonesuch/sid", 0, DM_OS_DEBIAN, NULL},
    {"Debian trixie/experimental", 0, DM_OS_DEBIAN, NULL},
    {"Debian trixie/", 0, DM_OS_DEBIAN, NULL},
    {"Debian testing/sid", 0, DM_OS_DEBIAN, NULL},
    {"Debian testing", 0, DM_OS_RELEASE, "forky"},
    {"Debian Testing", 0, DM_OS_RELEASE, "forky"},
    {"Debian testing", 20250808, DM_OS_RELEASE, "trixie"},
    {"Debian testing", 20250809, DM_OS_RELEASE, "forky"},
    {"Debian testing", 19990101, DM_OS_DEBIAN, NULL},
    {"Debian unstable", 0, DM_OS_RELEASE, "sid"},
    /* Debian, release unknown: both clients where os-release has no VERSION_ID. */
    {"Debian", 0, DM_OS_DEBIAN, NULL},
    {"Debian GNU/Linux", 0, DM_OS_DEBIAN, NULL},
    {"  Debian \t", 0, DM_OS_DEBIAN, NULL},
    /* Spaces, tabs and case around the words. */
    {"debian 12", 0, DM_OS_RELEASE, "bookworm"},
    {"DEBIAN 12", 0, DM_OS_RELEASE, "bookworm"},
    {"  Debian\t12  ", 0, DM_OS_RELEASE, "bookworm"},
    {"Debian   GNU/Linux   12   (bookworm)  ", 0, DM_OS_RELEASE, "bookworm"},
    {"debian gnu/linux 12", 0, DM_OS_RELEASE, "bookworm"},
    /* Not Debian. */
    {"Ubuntu 24.04", 0, DM_OS_OTHER, NULL},
    {"Ubuntu", 0, DM_OS_OTHER, NULL},
    {"unknown", 0, DM_OS_OTHER, NULL},
    {"Unknown", 0, DM_OS_OTHER, NULL},
    {"", 0, DM_OS_OTHER, NULL},
    {"   ", 0, DM_OS_OTHER, NULL},
    {"Raspbian 12", 0, DM_OS_OTHER, NULL},
    {"Devuan 5", 0, DM_OS_OTHER, NULL},
    {"Debian12", 0, DM_OS_OTHER, NULL},
    {"Debian-12", 0, DM_OS_OTHER, NULL},
    {"Debianish 12", 0, DM_OS_OTHER, NULL},
    {"GNU/Linux Debian 12", 0, DM_OS_OTHER, NULL},
};

START_TEST(test_distro_lookup)
{
	static const struct dm_release stale; /* what *out held before: always overwritten */
	struct dm_distro d;
	char path[PATH_LEN];
	const struct dm_release *r = &stale;
	enum dm_os_match got;
	int day = lookups[_i].day ? lookups[_i].day : TODAY;

	load_fixture(&d, path);
	got = dm_distro_lookup(&d, lookups[_i].os, day, &r);
	ck_assert_msg(got == lookups[_i].want, "\"%s\" on %d: match %d, want %d", lookups[_i].os,
	              day, (int)got, (int)lookups[_i].want);
	if (lookups[_i].series == NULL)
		ck_assert_msg(r == NULL, "\"%s\": a release for no match", lookups[_i].os);
	else
		ck_assert_msg(r != NULL && strcmp(r->series, lookups[_i].series) == 0,
		              "\"%s\" on %d: %s, want %s", lookups[_i].os, day,
		              r ? r->series : "none", lookups[_i].series);
	dm_distro_free(&d);
}
END_TEST

/* Where a release stands on a day: the boundaries of each phase. */
static const struct {
	const char *series;
	int day;
	enum dm_support want;
} supports[] = {
    {"bookworm", 20230609, DM_SUPPORT_DEVELOPMENT},
    {"bookworm", 20230610, DM_SUPPORT_SECURITY},
    {"bookworm", 20260711, DM_SUPPORT_SECURITY},
    {"bookworm", 20260712, DM_SUPPORT_LTS},
    {"bookworm", 20280630, DM_SUPPORT_LTS},
    {"bookworm", 20280701, DM_SUPPORT_EOL},
    /* Freexian's ELTS does not keep a release alive. */
    {"bookworm", 20330630, DM_SUPPORT_EOL},
    {"bullseye", TODAY, DM_SUPPORT_LTS},
    {"buster", TODAY, DM_SUPPORT_EOL},
    {"wheezy", 20180531, DM_SUPPORT_LTS},
    {"wheezy", 20180601, DM_SUPPORT_EOL},
    {"squeeze", 20140531, DM_SUPPORT_SECURITY},
    {"squeeze", 20140601, DM_SUPPORT_LTS},
    {"squeeze", 20160229, DM_SUPPORT_LTS},
    {"squeeze", 20160301, DM_SUPPORT_EOL},
    /* Before LTS existed: the end of the security team's support is the end. */
    {"potato", 20030630, DM_SUPPORT_SECURITY},
    {"potato", 20030701, DM_SUPPORT_EOL},
    {"trixie", 20250808, DM_SUPPORT_DEVELOPMENT},
    {"trixie", 20250809, DM_SUPPORT_SECURITY},
    {"trixie", TODAY, DM_SUPPORT_SECURITY},
    {"forky", TODAY, DM_SUPPORT_DEVELOPMENT},
    {"forky", 99991231, DM_SUPPORT_DEVELOPMENT},
    {"duke", TODAY, DM_SUPPORT_DEVELOPMENT},
    {"sid", TODAY, DM_SUPPORT_DEVELOPMENT},
    {"experimental", TODAY, DM_SUPPORT_DEVELOPMENT},
};

START_TEST(test_distro_support)
{
	struct dm_distro d;
	char path[PATH_LEN];
	const struct dm_release *r;
	enum dm_support got;

	load_fixture(&d, path);
	r = series(&d, supports[_i].series);
	got = dm_distro_support(r, supports[_i].day);
	ck_assert_msg(got == supports[_i].want, "%s on %d: %s, want %s", supports[_i].series,
	              supports[_i].day, dm_support_name(got), dm_support_name(supports[_i].want));
	ck_assert_int_eq(dm_distro_past_eol(r, supports[_i].day),
	                 supports[_i].want == DM_SUPPORT_EOL);
	dm_distro_free(&d);
}
END_TEST

/* Which release is testing on a day, as debian-distro-info --testing --date says. */
static const struct {
	int day;
	const char *series; /* NULL: none */
} testings[] = {
    {19990101, NULL},       {19990309, "potato"}, {20000815, NULL},
    {20230609, "bookworm"}, {20230610, "trixie"}, {20250808, "trixie"},
    {20250809, "forky"},    {TODAY, "forky"},     {20270801, "duke"},
};

START_TEST(test_distro_testing)
{
	struct dm_distro d;
	char path[PATH_LEN];
	const struct dm_release *r;

	load_fixture(&d, path);
	r = dm_distro_testing(&d, testings[_i].day);
	if (testings[_i].series == NULL)
		ck_assert_msg(r == NULL, "%d: %s, want none", testings[_i].day, r ? r->series : "");
	else
		ck_assert_msg(r != NULL && strcmp(r->series, testings[_i].series) == 0,
		              "%d: %s, want %s", testings[_i].day, r ? r->series : "none",
		              testings[_i].series);
	dm_distro_free(&d);
}
END_TEST

START_TEST(test_distro_no_eol_yet)
{
	struct dm_distro d;

	/* Released, its end not decided: supported whatever the day. */
	parse_ok(&d, "version,codename,series,created,release,eol\n"
	             "13,Trixie,trixie,2023-06-10,2025-08-09\n");
	ck_assert_int_eq(dm_distro_support(&d.rel[0], 99991231), DM_SUPPORT_SECURITY);
	ck_assert_int_eq(dm_distro_past_eol(&d.rel[0], 99991231), 0);
	ck_assert_int_eq(d.rel[0].eol_lts, 0);
	ck_assert_int_eq(d.rel[0].eol_elts, 0);
	dm_distro_free(&d);
}
END_TEST

START_TEST(test_distro_support_names)
{
	ck_assert_str_eq(dm_support_name(DM_SUPPORT_DEVELOPMENT), "development");
	ck_assert_str_eq(dm_support_name(DM_SUPPORT_SECURITY), "security");
	ck_assert_str_eq(dm_support_name(DM_SUPPORT_LTS), "lts");
	ck_assert_str_eq(dm_support_name(DM_SUPPORT_EOL), "eol");
	ck_assert_str_eq(dm_support_name(DM_SUPPORT__MAX), "?");
}
END_TEST

START_TEST(test_distro_day)
{
	ck_assert_int_eq(dm_distro_day(0), 19700101);
	ck_assert_int_eq(dm_distro_day(1686355199), 20230609); /* 2023-06-09 23:59:59 UTC */
	ck_assert_int_eq(dm_distro_day(1686355200), 20230610);
	ck_assert_int_eq(dm_distro_day(951782400), 20000229);
	ck_assert_int_eq(dm_distro_day(4102444800), 21000101);
}
END_TEST

START_TEST(test_distro_quoted)
{
	struct dm_distro d;

	parse_ok(&d, "\"version\",codename,series,created,release,eol\n"
	             "\"12\",\"Book, \"\"worm\"\"\",\"bookworm\",2021-08-14,\"\",\n"
	             "\"\",\"\"\"\",sid,1993-08-16\n");
	ck_assert_uint_eq(d.n, 2);
	ck_assert_str_eq(d.rel[0].version, "12");
	ck_assert_str_eq(d.rel[0].codename, "Book, \"worm\"");
	ck_assert_int_eq(d.rel[0].release, 0);
	ck_assert_str_eq(d.rel[1].version, "");
	ck_assert_str_eq(d.rel[1].codename, "\"");
	dm_distro_free(&d);
}
END_TEST

START_TEST(test_distro_columns_by_header)
{
	struct dm_distro d;

	parse_ok(&d, "eol-elts,x,series,eol,codename,created,release,version,eol-lts\n"
	             "2033-06-30,y,bookworm,2026-07-11,Bookworm,2021-08-14,2023-06-10,12,"
	             "2028-06-30\n"
	             ",,sid,,Sid,1993-08-16\n");
	ck_assert_uint_eq(d.n, 2);
	ck_assert_str_eq(d.rel[0].version, "12");
	ck_assert_str_eq(d.rel[0].series, "bookworm");
	ck_assert_int_eq(d.rel[0].eol, 20260711);
	ck_assert_int_eq(d.rel[0].eol_lts, 20280630);
	ck_assert_int_eq(d.rel[0].eol_elts, 20330630);
	/* The row stops before version: empty, as are eol-lts and the rest. */
	ck_assert_str_eq(d.rel[1].version, "");
	ck_assert_int_eq(d.rel[1].created, 19930816);
	ck_assert_int_eq(d.rel[1].eol_lts, 0);
	dm_distro_free(&d);
}
END_TEST

START_TEST(test_distro_crlf_and_blank_lines)
{
	struct dm_distro d;

	parse_ok(&d, "\r\n\nversion,codename,series,created,release,eol\r\n\r\n"
	             "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11\r\n\n"
	             "13,Trixie,trixie,2023-06-10");
	ck_assert_uint_eq(d.n, 2);
	ck_assert_int_eq(d.rel[0].eol, 20260711);
	ck_assert_str_eq(d.rel[1].series, "trixie");
	dm_distro_free(&d);
}
END_TEST

/* The table may hold DM_DISTRO_MAX_RELEASES releases, and not one more. */
static char *
many_releases(int n)
{
	struct dm_buf b;
	int i;

	dm_buf_init(&b, DM_DISTRO_MAX_BYTES);
	ck_assert_int_eq(dm_buf_adds(&b, "version,codename,series,created,release,eol\n"), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(dm_buf_printf(&b, "%d,R%d,r%d,2000-01-01\n", i, i, i), 0);
	return b.data;
}

START_TEST(test_distro_max_releases)
{
	struct dm_distro d;
	char *text = many_releases(DM_DISTRO_MAX_RELEASES), want[64];

	parse_ok(&d, text);
	ck_assert_uint_eq(d.n, DM_DISTRO_MAX_RELEASES);
	dm_distro_free(&d);
	free(text);
	text = many_releases(DM_DISTRO_MAX_RELEASES + 1);
	snprintf(want, sizeof(want), ":%d: more than %d releases", DM_DISTRO_MAX_RELEASES + 2,
	         DM_DISTRO_MAX_RELEASES);
	parse_refused(text, strlen(text), want);
	free(text);
}
END_TEST

START_TEST(test_distro_field_max)
{
	struct dm_distro d;
	char text[512], want[64];

	snprintf(text, sizeof(text),
	         "version,codename,series,created,release,eol\n12,%.*s,b,2021-08-14\n",
	         DM_DISTRO_FIELD_MAX,
	         "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
	parse_ok(&d, text);
	ck_assert_uint_eq(strlen(d.rel[0].codename), DM_DISTRO_FIELD_MAX);
	dm_distro_free(&d);
	snprintf(text, sizeof(text),
	         "version,codename,series,created,release,eol\n12,\"%.*s\",b,2021-08-14\n",
	         DM_DISTRO_FIELD_MAX + 1,
	         "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
	snprintf(want, sizeof(want), ":2: field 2: longer than %d bytes", DM_DISTRO_FIELD_MAX);
	parse_refused(text, strlen(text), want);
}
END_TEST

START_TEST(test_distro_nul_byte)
{
	static const char text[] =
	    "version,codename,series,created,release,eol\n12,B\0k,b,2021-08-14\n";

	parse_refused(text, sizeof(text) - 1, ":2: a NUL byte");
}
END_TEST

START_TEST(test_distro_too_large)
{
	char *text = calloc(1, DM_DISTRO_MAX_BYTES + 2), path[] = "/tmp/dm-check-distro-XXXXXX";
	char err[ERR_LEN];
	struct dm_distro d;
	int fd;

	ck_assert_ptr_nonnull(text);
	memset(text, '\n', DM_DISTRO_MAX_BYTES + 1);
	parse_refused(text, DM_DISTRO_MAX_BYTES + 1, "larger than");
	fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp failed");
	ck_assert_int_eq(write(fd, text, DM_DISTRO_MAX_BYTES + 1), DM_DISTRO_MAX_BYTES + 1);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(dm_distro_load(&d, path, err, sizeof(err)), -1);
	unlink(path);
	ck_assert_ptr_null(d.rel);
	ck_assert_msg(strstr(err, path) != NULL && strstr(err, "too large") != NULL, "%s", err);
	free(text);
}
END_TEST

START_TEST(test_distro_missing_file)
{
	static const char path[] = "/nonexistent/dm-check/debian.csv";
	struct dm_distro d;
	char err[ERR_LEN];

	ck_assert_int_eq(dm_distro_load(&d, path, err, sizeof(err)), -1);
	ck_assert_ptr_null(d.rel);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "\"%s\" does not name the file", err);
	ck_assert_msg(strstr(err, "cannot open") != NULL, "\"%s\" lacks \"cannot open\"", err);
}
END_TEST

START_TEST(test_distro_default_path)
{
	struct dm_distro d;
	char err[ERR_LEN];

	/* The file may or may not be installed here; either way it is the one tried. */
	dm_distro_load(&d, NULL, err, sizeof(err));
	ck_assert_str_eq(d.path, DM_DISTRO_CSV_DEFAULT);
	dm_distro_free(&d);
	dm_distro_load(&d, "", err, sizeof(err));
	ck_assert_str_eq(d.path, DM_DISTRO_CSV_DEFAULT);
	dm_distro_free(&d);
}
END_TEST

START_TEST(test_distro_error_truncated)
{
	static const char text[] =
	    "version,codename,series,created,release,eol\n12,B,b,2021-13-01\n";
	struct dm_distro d;
	char err[32];

	memset(err, 'X', sizeof(err));
	ck_assert_int_eq(dm_distro_parse(&d, text, strlen(text), "t.csv", err, 16), -1);
	ck_assert_uint_eq(strlen(err), 15);
	ck_assert_int_eq(err[16], 'X');
	memset(err, 'X', sizeof(err));
	ck_assert_int_eq(dm_distro_parse(&d, text, strlen(text), "a-long-file-name.csv", err, 8),
	                 -1);
	ck_assert_str_eq(err, "a-long-");
}
END_TEST

/*
 * The table installed on this machine (distro-info-data), when there is one: the releases
 * hosts run today are there, under their names.
 */
START_TEST(test_distro_system_table)
{
	static const struct {
		const char *os, *series, *version;
	} known[] = {
	    {"Debian 11", "bullseye", "11"}, {"Debian 12", "bookworm", "12"},
	    {"Debian 13", "trixie", "13"},   {"Debian GNU/Linux 12 (bookworm)", "bookworm", "12"},
	    {"Debian unstable", "sid", ""},
	};
	const struct dm_release *r;
	struct dm_distro d;
	char err[ERR_LEN];
	size_t i;

	if (access(SYSTEM_CSV, R_OK) != 0) {
		fprintf(stderr, "check_distro: %s absent (distro-info-data): not checked\n",
		        SYSTEM_CSV);
		return;
	}
	ck_assert_msg(dm_distro_load(&d, SYSTEM_CSV, err, sizeof(err)) == 0, "%s", err);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		ck_assert_msg(dm_distro_lookup(&d, known[i].os, TODAY, &r) == DM_OS_RELEASE,
		              "%s: not found in %s", known[i].os, SYSTEM_CSV);
		ck_assert_str_eq(r->series, known[i].series);
		ck_assert_str_eq(r->version, known[i].version);
	}
	r = series(&d, "bookworm");
	ck_assert_int_eq(r->release, 20230610);
	ck_assert_int_eq(dm_distro_past_eol(r, 20240101), 0);
	ck_assert_int_eq(dm_distro_lookup(&d, "Ubuntu 24.04", TODAY, &r), DM_OS_OTHER);
	dm_distro_free(&d);
}
END_TEST

/* Reads a small file into buf as a string; -1 when it cannot be read. */
static int
read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* Every line of the .error file must occur in the message, which names the file. */
static void
check_invalid(const char *csv, const char *expect_path, struct dm_buf *failures)
{
	struct dm_distro d;
	char err[ERR_LEN], expect[1024], *line, *next;

	if (read_small(expect_path, expect, sizeof(expect)) == -1) {
		dm_buf_printf(failures, "%s: cannot read %s\n", csv, expect_path);
		return;
	}
	if (dm_distro_load(&d, csv, err, sizeof(err)) == 0) {
		dm_buf_printf(failures, "%s: accepted\n", csv);
		dm_distro_free(&d);
		return;
	}
	if (d.rel != NULL)
		dm_buf_printf(failures, "%s: refused but holds releases\n", csv);
	if (strncmp(err, csv, strlen(csv)) != 0)
		dm_buf_printf(failures, "%s: message does not name the file: %s\n", csv, err);
	for (line = expect; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (*line && strstr(err, line) == NULL)
			dm_buf_printf(failures, "%s: message lacks \"%s\": %s\n", csv, line, err);
	}
}

static void
check_valid(const char *csv, const char *side, struct dm_buf *failures)
{
	struct dm_distro d;
	char err[ERR_LEN];

	(void)side; /* a valid case says nothing more */
	if (dm_distro_load(&d, csv, err, sizeof(err)) == -1)
		dm_buf_printf(failures, "%s: refused: %s\n", csv, err);
	else if (d.n == 0)
		dm_buf_printf(failures, "%s: no releases\n", csv);
	dm_distro_free(&d);
}

static void
assert_cases(const char *kind)
{
	tc_assert_cases("distro", kind, ".csv", "error",
	                strcmp(kind, "valid") == 0 ? check_valid : check_invalid);
}

START_TEST(test_distro_data_valid)
{
	assert_cases("valid");
}
END_TEST

START_TEST(test_distro_data_invalid)
{
	assert_cases("invalid");
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
make_distro_suite(void)
{
	Suite *s = suite_create("distro");
	TCase *tc = tcase_create("table");
	TCase *os = tcase_create("os names");
	TCase *eol = tcase_create("end of life");
	TCase *data = tcase_create("data");

	tcase_add_test(tc, test_distro_fixture);
	tcase_add_test(tc, test_distro_quoted);
	tcase_add_test(tc, test_distro_columns_by_header);
	tcase_add_test(tc, test_distro_crlf_and_blank_lines);
	tcase_add_test(tc, test_distro_max_releases);
	tcase_add_test(tc, test_distro_field_max);
	tcase_add_test(tc, test_distro_nul_byte);
	tcase_add_test(tc, test_distro_too_large);
	tcase_add_test(tc, test_distro_missing_file);
	tcase_add_test(tc, test_distro_default_path);
	tcase_add_test(tc, test_distro_error_truncated);
	tcase_add_test(tc, test_distro_system_table);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(os, test_distro_lookup, 0, N_OF(lookups));
	tcase_add_loop_test(os, test_distro_testing, 0, N_OF(testings));
	suite_add_tcase(s, os);
	tcase_add_loop_test(eol, test_distro_support, 0, N_OF(supports));
	tcase_add_test(eol, test_distro_no_eol_yet);
	tcase_add_test(eol, test_distro_support_names);
	tcase_add_test(eol, test_distro_day);
	suite_add_tcase(s, eol);
	tcase_add_test(data, test_distro_data_valid);
	tcase_add_test(data, test_distro_data_invalid);
	suite_add_tcase(s, data);
	return s;
}
