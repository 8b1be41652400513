/* check_tracker.c: the security tracker's JSON (lib/cve/tracker.c), from its fixture and cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/distro.h"
#include "cve/decide.h"
#include "cve/tracker.h"
#include "data_cases.h"
#include "suites.h"

#define ERR_LEN 512

/*
 * The releases tests/data/tracker/README maps (Debian 10 to 14) and sid: the table that
 * does not know duke, as the fixture's oracle has it.
 */
static const char table[] = "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
                            "10,Buster,buster,2017-06-17,2019-07-06,2022-09-10,2024-06-30\n"
                            "11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14,2026-08-31\n"
                            "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30\n"
                            "13,Trixie,trixie,2023-06-10,2025-08-09,2028-08-09,2030-06-30\n"
                            "14,Forky,forky,2025-08-09\n"
                            ",Sid,sid,1993-08-16\n";

static void
load_table(struct dm_distro *d)
{
	char err[ERR_LEN];

	ck_assert_msg(dm_distro_parse(d, table, sizeof(table) - 1, "t.csv", err, sizeof(err)) == 0,
	              "%s", err);
}

static void
read_file(const char *path, struct dm_buf *b)
{
	char err[ERR_LEN];

	dm_buf_init(b, DM_TRACKER_MAX_BYTES);
	ck_assert_msg(dm_buf_read_file(b, path, err, sizeof(err)) == 0, "%s", err);
}

/* tests/data/tracker/tracker.json against the table of d. */
static void
load_fixture(struct dm_tracker *t, const struct dm_distro *d)
{
	char path[1024], err[ERR_LEN];
	struct dm_buf b;

	snprintf(path, sizeof(path), "%s/tracker/tracker.json", tc_data_dir());
	read_file(path, &b);
	ck_assert_msg(dm_tracker_parse(t, b.data, b.len, d, err, sizeof(err)) == 0, "%s", err);
	dm_buf_free(&b);
}

/* The entry of issue, source and codename, which must exist. */
static const struct dm_cve_entry *
entry(const struct dm_tracker *t, const char *issue, const char *source, const char *codename)
{
	const struct dm_cve_issue *is = dm_tracker_issue(t, issue);
	size_t i;

	ck_assert_msg(is != NULL, "no issue %s", issue);
	for (i = 0; i < t->n_entries; i++)
		if (t->entries[i].issue == (size_t)(is - t->issues) &&
		    strcmp(t->entries[i].source, source) == 0 &&
		    strcmp(t->entries[i].codename, codename) == 0)
			return &t->entries[i];
	ck_abort_msg("no entry %s %s %s", issue, source, codename);
	return NULL;
}

/* How many entries have status s, and how many are of codename. */
static size_t
count_status(const struct dm_tracker *t, enum dm_cve_status s)
{
	size_t i, n = 0;

	for (i = 0; i < t->n_entries; i++)
		n += t->entries[i].status == s;
	return n;
}

static size_t
count_codename(const struct dm_tracker *t, const char *codename)
{
	size_t i, n = 0;

	for (i = 0; i < t->n_entries; i++)
		n += strcmp(t->entries[i].codename, codename) == 0;
	return n;
}

START_TEST(test_tracker_fixture_counts)
{
	struct dm_distro d;
	struct dm_tracker t;
	size_t i, temp = 0;

	load_table(&d);
	load_fixture(&t, &d);
	ck_assert_uint_eq(t.n_sources, 10);
	ck_assert_uint_eq(t.n_issues, 22); /* 23 under their sources, CVE-2025-9230 twice */
	ck_assert_uint_eq(t.n_entries, 104);
	ck_assert_uint_eq(t.skipped, 1);
	ck_assert_str_eq(t.skipped_names, "duke");
	ck_assert_uint_eq(count_status(&t, DM_CVE_RESOLVED), 74);
	ck_assert_uint_eq(count_status(&t, DM_CVE_OPEN), 24);
	ck_assert_uint_eq(count_status(&t, DM_CVE_UNDETERMINED), 6);
	ck_assert_uint_eq(count_codename(&t, "bookworm"), 22);
	ck_assert_uint_eq(count_codename(&t, "bullseye"), 15);
	ck_assert_uint_eq(count_codename(&t, "sid"), 22);
	ck_assert_uint_eq(count_codename(&t, "buster"), 1);
	ck_assert_uint_eq(count_codename(&t, "duke"), 0);
	for (i = 0; i < t.n_issues; i++) {
		temp += strncmp(t.issues[i].name, "TEMP-", 5) == 0;
		if (i > 0) /* sorted by name, each once */
			ck_assert_int_lt(strcmp(t.issues[i - 1].name, t.issues[i].name), 0);
	}
	ck_assert_uint_eq(temp, 2);
	ck_assert_str_eq(t.issues[0].name, "CVE-2023-4154");
	ck_assert_str_eq(t.issues[t.n_issues - 1].name, "TEMP-1106528-8A1F3C");
	dm_tracker_free(&t);
	ck_assert_ptr_null(t.issues);
	ck_assert_ptr_null(t.blocks);
	dm_distro_free(&d);
}
END_TEST

/* Statuses, urgencies as written (stars kept), fixed versions ("0" too), per entry. */
START_TEST(test_tracker_fixture_entries)
{
	struct dm_distro d;
	struct dm_tracker t;
	const struct dm_cve_entry *e;

	load_table(&d);
	load_fixture(&t, &d);
	e = entry(&t, "CVE-2024-26800", "linux", "bookworm");
	ck_assert_int_eq(e->status, DM_CVE_RESOLVED);
	ck_assert_str_eq(e->urgency, "high**");
	ck_assert_str_eq(e->fixed_version, "6.1.90-1");
	ck_assert_str_eq(entry(&t, "CVE-2024-26800", "linux", "buster")->fixed_version,
	                 "4.19.316-1");
	ck_assert_str_eq(entry(&t, "CVE-2025-10230", "samba", "trixie")->urgency, "low*");
	ck_assert_str_eq(entry(&t, "CVE-2025-9086", "curl", "forky")->urgency, "medium*");
	ck_assert_str_eq(entry(&t, "CVE-2025-9086", "curl", "bookworm")->fixed_version, "0");
	ck_assert_str_eq(entry(&t, "CVE-2025-12036", "chromium", "bullseye")->urgency,
	                 "end-of-life");
	ck_assert_str_eq(entry(&t, "CVE-2025-40018", "linux", "bookworm")->urgency,
	                 "not yet assigned");
	e = entry(&t, "CVE-2025-40300", "linux", "bookworm");
	ck_assert_int_eq(e->status, DM_CVE_UNDETERMINED);
	ck_assert_ptr_null(e->fixed_version);
	e = entry(&t, "CVE-2025-9230", "edk2", "bookworm"); /* no-dsa ignored: open */
	ck_assert_int_eq(e->status, DM_CVE_OPEN);
	ck_assert_ptr_null(e->fixed_version);
	ck_assert_str_eq(entry(&t, "CVE-2025-9230", "openssl", "bookworm")->fixed_version,
	                 "3.0.17-1~deb12u3");
	ck_assert_str_eq(entry(&t, "CVE-2025-40775", "bind9", "bookworm")->fixed_version,
	                 "1:9.18.41-1~deb12u1");
	ck_assert_str_eq(entry(&t, "CVE-2025-26465", "openssh", "bookworm")->fixed_version,
	                 "9.2p1-2+deb12u5"); /* the epoch is missing in the tracker: kept so */
	ck_assert_str_eq(dm_cve_status_name(entry(&t, "CVE-2025-39866", "linux", "trixie")->status),
	                 "resolved");
	dm_tracker_free(&t);
	dm_distro_free(&d);
}
END_TEST

/* Issue members: absent ones, an issue of two sources, tiff's empty releases, escapes. */
START_TEST(test_tracker_fixture_issues)
{
	struct dm_distro d;
	struct dm_tracker t;
	const struct dm_cve_issue *is;
	size_t i;

	load_table(&d);
	load_fixture(&t, &d);
	is = dm_tracker_issue(&t, "TEMP-0000000-3F5A1C");
	ck_assert_ptr_nonnull(is);
	ck_assert_str_eq(is->description, "");
	ck_assert_ptr_null(is->scope);
	ck_assert_int_eq(is->debianbug, -1);
	is = dm_tracker_issue(&t, "TEMP-1106528-8A1F3C");
	ck_assert_int_eq(is->debianbug, 1106528);
	ck_assert_ptr_null(is->scope);
	is = dm_tracker_issue(&t, "CVE-2025-9230");
	ck_assert_int_eq(is->debianbug, 1116452);
	ck_assert_str_eq(is->scope, "remote");
	is = dm_tracker_issue(&t, "CVE-2025-9086"); /* \u2019, a surrogate pair, \" and \\ */
	ck_assert_ptr_null(is->scope);
	ck_assert_int_eq(is->debianbug, -1);
	ck_assert_msg(strncmp(is->description, "curl\xe2\x80\x99s cookie", 15) == 0, "%s",
	              is->description);
	ck_assert_ptr_nonnull(strstr(is->description, "such as \"/a\\\\b\" reads"));
	ck_assert_ptr_nonnull(strstr(is->description, "buffer \xf0\x9f\x8d\xaa."));
	is = dm_tracker_issue(&t, "CVE-2025-8176");
	ck_assert_ptr_nonnull(is);
	ck_assert_str_eq(is->scope, "local");
	for (i = 0; i < t.n_entries; i++)
		ck_assert_uint_ne(t.entries[i].issue, (size_t)(is - t.issues));
	ck_assert_ptr_null(dm_tracker_issue(&t, "CVE-2025-0000"));
	dm_tracker_free(&t);
	dm_distro_free(&d);
}
END_TEST

/* With a table that knows duke (tests/data/distro/debian.csv), its entry is kept. */
START_TEST(test_tracker_fixture_known_duke)
{
	struct dm_distro d;
	struct dm_tracker t;
	char path[1024], err[ERR_LEN];

	snprintf(path, sizeof(path), "%s/distro/debian.csv", tc_data_dir());
	ck_assert_msg(dm_distro_load(&d, path, err, sizeof(err)) == 0, "%s", err);
	load_fixture(&t, &d);
	ck_assert_uint_eq(t.n_entries, 105);
	ck_assert_uint_eq(t.skipped, 0);
	ck_assert_str_eq(t.skipped_names, "");
	ck_assert_str_eq(entry(&t, "CVE-2025-68001", "linux", "duke")->fixed_version, "6.18.1-1");
	dm_tracker_free(&t);
	dm_distro_free(&d);
}
END_TEST

/* --- decisions the fixtures leave to the importer --------------------------------------- */

/* One issue of openssl whose releases object is releases (JSON text). */
static int
parse_releases(struct dm_tracker *t, const char *issue_members, char *err)
{
	struct dm_distro d;
	char text[4096];
	int rc;

	load_table(&d);
	snprintf(text, sizeof(text), "{\"openssl\": {\"CVE-2025-9230\": {%s}}}", issue_members);
	rc = dm_tracker_parse(t, text, strlen(text), &d, err, ERR_LEN);
	dm_distro_free(&d);
	return rc;
}

static void
refused(const char *issue_members, const char *want)
{
	struct dm_tracker t;
	char err[ERR_LEN] = "";

	ck_assert_msg(parse_releases(&t, issue_members, err) == -1, "accepted: %s", issue_members);
	ck_assert_ptr_null(t.issues);
	ck_assert_ptr_null(t.blocks);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "message \"%s\", want \"%s...\"", err,
	              want);
}

static void
accepted(const char *issue_members, struct dm_tracker *t)
{
	char err[ERR_LEN] = "";

	ck_assert_msg(parse_releases(t, issue_members, err) == 0, "refused: %s: %s", err,
	              issue_members);
}

#define REL "openssl/CVE-2025-9230/releases/bookworm/"

START_TEST(test_tracker_refused_shapes)
{
	refused("\"releases\": {\"bookworm\": {\"status\": \"resolved\", \"urgency\": \"low\"}}",
	        REL "fixed_version: missing (the status is resolved)");
	refused("\"releases\": []", "openssl/CVE-2025-9230/releases: must be an object");
	refused("\"description\": \"x\"", "openssl/CVE-2025-9230/releases: missing");
	refused("\"releases\": {\"bookworm\": {\"status\": \"open\"}}", REL "urgency: missing");
	refused("\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"l\\u00f6w\"}}",
	        REL "urgency: must be printable ASCII");
	refused("\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\":"
	        " \"123456789012345678901234567890123\"}}",
	        REL "urgency: longer than 32 bytes");
	refused("\"releases\": {\"bookworm\": {\"status\": \"resolved\", \"urgency\": \"low\","
	        " \"fixed_version\": \"1.0-\"}}",
	        REL "fixed_version: not a Debian version");
	refused("\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\","
	        " \"repositories\": {\"bookworm\": 1}}}",
	        REL "repositories/bookworm: must be a string");
	refused("\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\","
	        " \"next_point_update\": \"yes\"}}",
	        REL "next_point_update: must be true or false");
	refused("\"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\","
	        " \"nodsa\": 1}}",
	        REL "nodsa: must be a string");
	refused("\"releases\": {\"Bookworm\": {}}",
	        "openssl/CVE-2025-9230/releases: \"Bookworm\" is not a codename");
	refused("\"releases\": {\"bookworm\": []}",
	        "openssl/CVE-2025-9230/releases/bookworm: must be an object");
}
END_TEST

START_TEST(test_tracker_refused_members)
{
	refused("\"debianbug\": -1, \"releases\": {}", "openssl/CVE-2025-9230/debianbug: must be");
	refused("\"debianbug\": 1.5, \"releases\": {}", "openssl/CVE-2025-9230/debianbug: must be");
	refused("\"debianbug\": 1e3, \"releases\": {}", "openssl/CVE-2025-9230/debianbug: must be");
	refused("\"debianbug\": 4294967296, \"releases\": {}",
	        "openssl/CVE-2025-9230/debianbug: must be");
	refused("\"debianbug\": 99999999999999999999999, \"releases\": {}",
	        "openssl/CVE-2025-9230/debianbug: must be");
	refused("\"scope\": \"123456789012345678901234567890123\", \"releases\": {}",
	        "openssl/CVE-2025-9230/scope: longer than 32 bytes");
	refused("\"description\": null, \"releases\": {}",
	        "openssl/CVE-2025-9230/description: must be a string");
}
END_TEST

/* The ids the tracker writes, and nothing else; source names as the database takes them. */
START_TEST(test_tracker_ids)
{
	static const struct {
		const char *text, *want; /* want NULL: accepted */
	} cases[] = {
	    {"{\"a\": {\"CVE-2025-1234\": {\"releases\": {}}}}", NULL},
	    {"{\"a\": {\"CVE-2025-1234567\": {\"releases\": {}}}}", NULL},
	    {"{\"a\": {\"TEMP-0000000-0A1B2C\": {\"releases\": {}}}}", NULL},
	    {"{\"a\": {\"CVE-2025-123\": {\"releases\": {}}}}", "a: \"CVE-2025-123\" is not"},
	    {"{\"a\": {\"CVE-25-1234\": {\"releases\": {}}}}", "a: \"CVE-25-1234\" is not"},
	    {"{\"a\": {\"cve-2025-1234\": {\"releases\": {}}}}", "a: \"cve-2025-1234\" is not"},
	    {"{\"a\": {\"TEMP-0000000-0a1b2c\": {\"releases\": {}}}}",
	     "a: \"TEMP-0000000-0a1b2c\""},
	    {"{\"a\": {\"DSA-5000-1\": {\"releases\": {}}}}", "a: \"DSA-5000-1\" is not"},
	    {"{\"a\": {\"CVE-2025-1234 \": {\"releases\": {}}}}", "a: \"CVE-2025-1234 \" is not"},
	    {"{\"a\": {\"CVE-2025-1\\n234\": {\"releases\": {}}}}", "a: \"CVE-2025-1?234\" is not"},
	    {"{\"a/b\": {}}", "tracker: source \"a/b\": contains '/'"},
	    {"{\"\": {}}", "tracker: source \"\": empty"},
	    {"{\"a\": []}", "a: must be an object"},
	    {"{}", NULL},
	    {"", "not JSON: "},
	    {"{\"a\": {}} x", "not JSON: end of input expected"},
	};
	struct dm_distro d;
	struct dm_tracker t;
	char err[ERR_LEN];
	size_t i;
	int rc;

	load_table(&d);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		rc = dm_tracker_parse(&t, cases[i].text, strlen(cases[i].text), &d, err,
		                      sizeof(err));
		if (cases[i].want == NULL) {
			ck_assert_msg(rc == 0, "%s refused: %s", cases[i].text, err);
			dm_tracker_free(&t);
		} else {
			ck_assert_msg(rc == -1, "%s accepted", cases[i].text);
			ck_assert_msg(strncmp(err, cases[i].want, strlen(cases[i].want)) == 0,
			              "%s: message \"%s\", want \"%s...\"", cases[i].text, err,
			              cases[i].want);
		}
	}
	dm_distro_free(&d);
}
END_TEST

/* What is accepted: limits exactly, a fixed_version of an open release checked and dropped. */
START_TEST(test_tracker_accepted)
{
	struct dm_tracker t;
	struct dm_buf big;
	struct dm_distro d;
	char err[ERR_LEN];
	size_t start;

	accepted("\"debianbug\": 4294967295, \"future\": [1], \"releases\": {\"bookworm\":"
	         " {\"status\": \"open\", \"urgency\": \"low\", \"fixed_version\": \"1.0-1\","
	         " \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"\", \"next_point_update\": true,"
	         " \"repositories\": {}, \"other\": null}, \"sid\": {\"status\": \"resolved\","
	         " \"urgency\": \"unimportant\", \"fixed_version\": \"0\"}}",
	         &t);
	ck_assert_int_eq(t.issues[0].debianbug, 4294967295LL);
	ck_assert_uint_eq(t.n_entries, 2);
	ck_assert_str_eq(t.entries[0].codename, "bookworm");
	ck_assert_ptr_null(t.entries[0].fixed_version);
	ck_assert_str_eq(t.entries[1].fixed_version, "0");
	dm_tracker_free(&t);
	accepted("\"releases\": {\"duke\": {\"status\": \"open\", \"urgency\": \"low\"},"
	         " \"excalibur\": {\"status\": \"open\", \"urgency\": \"low\"},"
	         " \"duke-backports\": {\"status\": \"open\", \"urgency\": \"low\"}}",
	         &t);
	ck_assert_uint_eq(t.n_entries, 0);
	ck_assert_uint_eq(t.skipped, 3);
	ck_assert_str_eq(t.skipped_names, "duke, excalibur, duke-backports");
	dm_tracker_free(&t);
	/* A description of exactly DM_CVE_DESCRIPTION_MAX bytes. */
	dm_buf_init(&big, 1024 * 1024);
	ck_assert_int_eq(dm_buf_adds(&big, "{\"a\": {\"CVE-2025-1234\": {\"description\": \""), 0);
	start = big.len;
	while (big.len < start + DM_CVE_DESCRIPTION_MAX)
		ck_assert_int_eq(dm_buf_adds(&big, "x"), 0);
	ck_assert_int_eq(dm_buf_adds(&big, "\", \"releases\": {}}}}"), 0);
	load_table(&d);
	ck_assert_msg(dm_tracker_parse(&t, big.data, big.len, &d, err, sizeof(err)) == 0, "%s",
	              err);
	ck_assert_uint_eq(strlen(t.issues[0].description), DM_CVE_DESCRIPTION_MAX);
	dm_tracker_free(&t);
	dm_distro_free(&d);
	dm_buf_free(&big);
}
END_TEST

/* The .error file holds the start of the message. */
static void
check_invalid(const char *json, const char *error, struct dm_buf *failures)
{
	struct dm_buf b, want;
	struct dm_tracker t;
	struct dm_distro d;
	char err[ERR_LEN] = "";

	load_table(&d);
	read_file(error, &want);
	read_file(json, &b);
	want.data[strcspn(want.data, "\n")] = '\0';
	if (want.len == 0)
		dm_buf_printf(failures, "%s: empty %s\n", json, error);
	else if (dm_tracker_parse(&t, b.data, b.len, &d, err, sizeof(err)) == 0)
		dm_buf_printf(failures, "%s: accepted, want \"%s\"\n", json, want.data);
	else if (strncmp(err, want.data, strlen(want.data)) != 0)
		dm_buf_printf(failures, "%s: message \"%s\", want \"%s...\"\n", json, err,
		              want.data);
	dm_buf_free(&b);
	dm_buf_free(&want);
	dm_distro_free(&d);
}

START_TEST(test_tracker_data_invalid)
{
	tc_assert_cases("tracker", "invalid", ".json", "error", check_invalid);
}
END_TEST

/* A verdict as debmonitor-cve packs it (sql/schema.sql, cve_verdict), read back. */
START_TEST(test_verdict_read)
{
	static const char packed[] = "013:CVE-2025-92308:medium**16:3.0.17-1~deb12u3"
	                             "113:CVE-2025-923216:not yet assigned0:"
	                             "219:TEMP-1106528-8A1F3C3:low0:"
	                             "114:CVE-2025-999993:low5:1.2-3";
	size_t len = sizeof(packed) - 1;
	char *buf = malloc(len), *at = buf;
	const char *p = packed;
	struct dm_cve_verdict v;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(dm_cve_verdict_next(&p, &len, &at, &v), 1);
	ck_assert_int_eq(v.status, DM_CVE_RESOLVED);
	ck_assert_str_eq(v.issue, "CVE-2025-9230");
	ck_assert_str_eq(v.urgency, "medium**");
	ck_assert_str_eq(v.fixed, "3.0.17-1~deb12u3");
	ck_assert_int_eq(dm_cve_verdict_next(&p, &len, &at, &v), 1);
	ck_assert_int_eq(v.status, DM_CVE_OPEN);
	ck_assert_str_eq(v.urgency, "not yet assigned");
	ck_assert_ptr_null(v.fixed);
	ck_assert_int_eq(dm_cve_verdict_next(&p, &len, &at, &v), 1);
	ck_assert_int_eq(v.status, DM_CVE_UNDETERMINED);
	ck_assert_str_eq(v.issue, "TEMP-1106528-8A1F3C");
	/* A fixed version is only a resolved issue's. */
	ck_assert_int_eq(dm_cve_verdict_next(&p, &len, &at, &v), 1);
	ck_assert_str_eq(v.issue, "CVE-2025-99999");
	ck_assert_ptr_null(v.fixed);
	ck_assert_int_eq(dm_cve_verdict_next(&p, &len, &at, &v), 0);
	ck_assert_uint_eq(len, 0);
	/* The strings fit in as many bytes as the verdict has. */
	ck_assert_uint_le((size_t)(at - buf), sizeof(packed) - 1);
	free(buf);
}
END_TEST

/* A malformed verdict is refused, never read past its end. */
START_TEST(test_verdict_malformed)
{
	/* Each a status digit, then "LEN:bytes" three times, but for what its comment says. */
	static const char *const bad[] = {
	    "31:a1:b0:",               /* no such status */
	    "x1:a1:b0:",               /* no status */
	    "01a1:b0:",                /* no colon */
	    "0:a1:b0:",                /* no length */
	    "09:a1:b0:",               /* longer than what is left */
	    "01:a1:b",                 /* the fixed version missing */
	    "01:a1:b0",                /* cut in a length */
	    "099999999999999999999:a", /* a length past any size */
	    "0",                       /* a status alone */
	};
	struct dm_cve_verdict v;
	char buf[64], *at;
	const char *p;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = bad[i];
		len = strlen(p);
		at = buf;
		ck_assert_msg(dm_cve_verdict_next(&p, &len, &at, &v) == -1, "'%s' read", bad[i]);
	}
}
END_TEST

Suite *
make_tracker_suite(void)
{
	Suite *s = suite_create("tracker");
	TCase *fixture = tcase_create("fixture");
	TCase *rules = tcase_create("rules");
	TCase *data = tcase_create("data");

	tcase_add_test(fixture, test_tracker_fixture_counts);
	tcase_add_test(fixture, test_tracker_fixture_entries);
	tcase_add_test(fixture, test_tracker_fixture_issues);
	tcase_add_test(fixture, test_tracker_fixture_known_duke);
	tcase_add_test(rules, test_tracker_refused_shapes);
	tcase_add_test(rules, test_tracker_refused_members);
	tcase_add_test(rules, test_tracker_ids);
	tcase_add_test(rules, test_tracker_accepted);
	tcase_add_test(data, test_tracker_data_invalid);
	tcase_add_test(data, test_verdict_read);
	tcase_add_test(data, test_verdict_malformed);
	suite_add_tcase(s, fixture);
	suite_add_tcase(s, rules);
	suite_add_tcase(s, data);
	return s;
}
