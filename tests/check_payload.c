/* check_payload.c: parsing and validating update payloads, the OS and URL name rules. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ingest/payload.h"
#include "data_cases.h"
#include "suites.h"

#define ERR_LEN 512
#define FILE_MAX (8 * 1024 * 1024)
/* What the data-driven invalid cases use as the URL's name. */
#define URL_HOST "host1.example.org"
#define URL_IMAGE "registry.example.org/team/app:1.2-3"

static const char minimal[] = "{\"api_version\": \"v1\", \"update_type\": \"full\", \"hostname\": "
                              "\"" URL_HOST "\", \"os\": \"Debian 12\", \"running_kernel\": "
                              "{\"release\": \"6.1.0-18-amd64\", \"version\": \"#1 SMP\"}}";

/* Parses a NUL-terminated body for URL_HOST; the result, with err always terminated. */
static int
parse_host(struct dm_payload *p, const char *body, char err[ERR_LEN])
{
	err[0] = '\0';
	return dm_payload_parse(p, body, strlen(body), DM_SUBJECT_HOST, URL_HOST, err, ERR_LEN);
}

/* body must be refused with a message starting with want. */
static void
assert_refused(const char *body, size_t len, enum dm_subject subject, const char *name,
               const char *want)
{
	struct dm_payload p;
	char err[ERR_LEN] = "";

	if (dm_payload_parse(&p, body, len, subject, name, err, sizeof(err)) == 0) {
		dm_payload_free(&p);
		ck_abort_msg("accepted (%zu bytes), want \"%s\"", len, want);
	}
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "message \"%s\", want \"%s...\"", err,
	              want);
}

static void
assert_refused_host(const char *body, const char *want)
{
	assert_refused(body, strlen(body), DM_SUBJECT_HOST, URL_HOST, want);
}

/* Refused with a message starting with one of the two prefixes. */
static void
assert_refused_either(const char *body, size_t len, const char *want1, const char *want2)
{
	struct dm_payload p;
	char err[ERR_LEN] = "";

	if (dm_payload_parse(&p, body, len, DM_SUBJECT_HOST, URL_HOST, err, sizeof(err)) == 0) {
		dm_payload_free(&p);
		ck_abort_msg("accepted (%zu bytes), want \"%s\" or \"%s\"", len, want1, want2);
	}
	ck_assert_msg(strncmp(err, want1, strlen(want1)) == 0 ||
	                  strncmp(err, want2, strlen(want2)) == 0,
	              "message \"%s\", want \"%s...\" or \"%s...\"", err, want1, want2);
}

START_TEST(test_payload_minimal)
{
	struct dm_payload p;
	char err[ERR_LEN];

	ck_assert_msg(parse_host(&p, minimal, err) == 0, "refused: %s", err);
	ck_assert_int_eq(p.type, DM_UPDATE_FULL);
	ck_assert_str_eq(p.name, URL_HOST);
	ck_assert_str_eq(p.os, "Debian 12");
	ck_assert_str_eq(p.kernel, "#1 SMP");
	ck_assert_uint_eq(p.n_installed, 0);
	ck_assert_uint_eq(p.n_uninstalled, 0);
	ck_assert_uint_eq(p.n_upgradable, 0);
	dm_payload_free(&p);
}
END_TEST

START_TEST(test_payload_values)
{
	static const char body[] =
	    "{\"update_type\": \"dpkg_hook\", \"hostname\": \"" URL_HOST "\", \"os\": \"Ubuntu "
	    "24.04\", \"running_kernel\": {\"version\": \"#42-Ubuntu SMP\"},"
	    " \"installed\": [{\"name\": \"openssl\", \"version\": \"3.0.13-0ubuntu3\","
	    " \"source\": \"openssl\"}, {\"name\": \"libssl3t64\", \"version\": "
	    "\"3.0.13-0ubuntu3\","
	    " \"source\": \"openssl\"}],"
	    " \"uninstalled\": [{\"name\": \"telnet\", \"version\": \"0.17+2.5-3\","
	    " \"source\": \"inetutils\"}],"
	    " \"upgradable\": [{\"name\": \"openssl\", \"version_from\": \"3.0.13-0ubuntu3\","
	    " \"version_to\": \"3.0.13-0ubuntu3.1\", \"source\": \"openssl\", \"type\": "
	    "\"security\"}, {\"name\": \"curl\", \"version_from\": \"8.5.0-2ubuntu10\","
	    " \"version_to\": \"8.5.0-2ubuntu10.1\", \"source\": \"curl\", \"type\": \"\"},"
	    " {\"name\": \"vim\", \"version_from\": \"1\", \"version_to\": \"2\", \"source\": "
	    "\"vim\"}]}";
	struct dm_payload p;
	char err[ERR_LEN];

	ck_assert_msg(parse_host(&p, body, err) == 0, "refused: %s", err);
	ck_assert_int_eq(p.type, DM_UPDATE_DPKG_HOOK);
	ck_assert_str_eq(p.os, "Ubuntu 24.04");
	ck_assert_str_eq(p.kernel, "#42-Ubuntu SMP");
	ck_assert_uint_eq(p.n_installed, 2);
	ck_assert_str_eq(p.installed[0].name, "openssl");
	ck_assert_str_eq(p.installed[0].version, "3.0.13-0ubuntu3");
	ck_assert_str_eq(p.installed[0].source, "openssl");
	ck_assert_str_eq(p.installed[1].name, "libssl3t64");
	ck_assert_uint_eq(p.n_uninstalled, 1);
	ck_assert_str_eq(p.uninstalled[0].name, "telnet");
	ck_assert_str_eq(p.uninstalled[0].version, "0.17+2.5-3");
	ck_assert_str_eq(p.uninstalled[0].source, "inetutils");
	ck_assert_uint_eq(p.n_upgradable, 3);
	ck_assert_str_eq(p.upgradable[0].name, "openssl");
	ck_assert_str_eq(p.upgradable[0].version_from, "3.0.13-0ubuntu3");
	ck_assert_str_eq(p.upgradable[0].version_to, "3.0.13-0ubuntu3.1");
	ck_assert_str_eq(p.upgradable[0].source, "openssl");
	ck_assert_int_ne(p.upgradable[0].security, 0);
	ck_assert_int_eq(p.upgradable[1].security, 0);
	ck_assert_int_eq(p.upgradable[2].security, 0);
	dm_payload_free(&p);
}
END_TEST

/* The strings live as long as the payload, not as long as the body they came from. */
START_TEST(test_payload_strings_owned)
{
	static const char body_text[] =
	    "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "\", \"os\": \"Debian 12\","
	    " \"running_kernel\": {\"version\": \"#1 SMP\"}, \"installed\": [{\"name\": \"bash\","
	    " \"version\": \"5.2.15-2+b2\", \"source\": \"bash\"}]}";
	struct dm_payload p;
	char err[ERR_LEN];
	char *body = strdup(body_text);

	ck_assert_ptr_nonnull(body);
	ck_assert_msg(parse_host(&p, body, err) == 0, "refused: %s", err);
	memset(body, 'x', strlen(body));
	free(body);
	ck_assert_str_eq(p.os, "Debian 12");
	ck_assert_str_eq(p.name, URL_HOST);
	ck_assert_str_eq(p.kernel, "#1 SMP");
	ck_assert_str_eq(p.installed[0].name, "bash");
	ck_assert_str_eq(p.installed[0].version, "5.2.15-2+b2");
	dm_payload_free(&p);
}
END_TEST

/* The body is a length, not a C string: nothing may be read past len (ASan watches). */
START_TEST(test_payload_not_terminated)
{
	size_t len = strlen(minimal);
	char *body = malloc(len);
	struct dm_payload p;
	char err[ERR_LEN] = "";

	ck_assert_ptr_nonnull(body);
	memcpy(body, minimal, len);
	ck_assert_msg(
	    dm_payload_parse(&p, body, len, DM_SUBJECT_HOST, URL_HOST, err, sizeof(err)) == 0,
	    "refused: %s", err);
	dm_payload_free(&p);
	/* A prefix of the same bytes is cut-off JSON. */
	assert_refused(body, len - 1, DM_SUBJECT_HOST, URL_HOST, "not JSON: ");
	free(body);
}
END_TEST

START_TEST(test_payload_empty_body)
{
	static const char nothing[1] = "";

	assert_refused(nothing, 0, DM_SUBJECT_HOST, URL_HOST, "empty body");
	assert_refused(minimal, 0, DM_SUBJECT_HOST, URL_HOST, "empty body");
}
END_TEST

static const char *const bad_utf8[] = {
    "\xff",             /* never valid */
    "caf\xe9",          /* Latin-1 */
    "\xc3\x28",         /* a lead byte without its continuation */
    "\xc0\xaf",         /* overlong "/" */
    "\xed\xa0\x80",     /* a UTF-16 surrogate */
    "\xf4\x90\x80\x80", /* past U+10FFFF */
    "\x80",             /* a lone continuation byte */
};

START_TEST(test_payload_invalid_utf8)
{
	char body[1024];

	snprintf(body, sizeof(body),
	         "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST
	         "\", \"os\": \"Debian 12\","
	         " \"running_kernel\": {\"version\": \"1\"}, \"installed\": [{\"name\": \"a\","
	         " \"version\": \"1.0-%s\", \"source\": \"a\"}]}",
	         bad_utf8[_i]);
	assert_refused_host(body, "not valid UTF-8");
}
END_TEST

/*
 * A multi-byte sequence cut off by the end of the body, past the object or inside a
 * string: whichever fault is reported first, nothing is read past len (ASan watches).
 */
START_TEST(test_payload_invalid_utf8_at_end)
{
	char *body;
	size_t len = strlen(minimal);

	ck_assert_ptr_nonnull(body = malloc(len + 2));
	memcpy(body, minimal, len);
	memcpy(body + len, "\xe2\x82", 2);
	assert_refused_either(body, len + 2, "not valid UTF-8", "not JSON: ");
	memcpy(body, "{\"x\": \"\xe2\x82", 9);
	assert_refused_either(body, 9, "not valid UTF-8", "not JSON: ");
	free(body);
}
END_TEST

/*
 * A NUL inside the body: what follows it must not be ignored, as a C-string parser would.
 * Whether it is reported as bad JSON or bad text, it is refused.
 */
START_TEST(test_payload_embedded_nul)
{
	char body[1024];
	size_t len = strlen(minimal);

	memcpy(body, minimal, len);
	memcpy(body + len, "\0{\"x\": 1}", 9);
	assert_refused_either(body, len + 9, "not JSON: ", "not valid UTF-8");
	/* A NUL inside a string value. */
	len =
	    (size_t)snprintf(body, sizeof(body),
	                     "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "X\", \"os\":"
	                     " \"Debian 12\", \"running_kernel\": {\"version\": \"1\"}}");
	body[strstr(body, URL_HOST "X") - body + strlen(URL_HOST)] = '\0';
	assert_refused_either(body, len, "not JSON: ", "not valid UTF-8");
}
END_TEST

/* An escaped NUL is JSON but a control character: refused either way. */
START_TEST(test_payload_escaped_nul)
{
	static const char body[] =
	    "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "\", \"os\": \"Debian 12\","
	    " \"running_kernel\": {\"version\": \"1\"}, \"installed\": [{\"name\": \"a\\u0000b\","
	    " \"version\": \"1\", \"source\": \"a\"}]}";

	assert_refused_either(body, strlen(body),
	                      "not JSON: ", "installed[0].name: contains a control character");
}
END_TEST

/*
 * A key given twice makes the payload ambiguous: refused (as bad JSON or naming the key),
 * never one of the two silently taken.
 */
START_TEST(test_payload_duplicate_key)
{
	static const char *const bodies[] = {
	    "{\"update_type\": \"full\", \"update_type\": \"dpkg_hook\", \"hostname\": \"" URL_HOST
	    "\", \"os\": \"Debian 12\", \"running_kernel\": {\"version\": \"1\"}}",
	    "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "\", \"os\": \"Debian 12\","
	    " \"running_kernel\": {\"version\": \"1\"}, \"installed\": [{\"name\": \"a\","
	    " \"version\": \"1\", \"version\": \"2\", \"source\": \"a\"}]}",
	};
	struct dm_payload p;
	char err[ERR_LEN] = "";
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		if (parse_host(&p, bodies[i], err) == 0) {
			dm_payload_free(&p);
			ck_abort_msg("accepted a duplicate key: %s", bodies[i]);
		}
		ck_assert_msg(err[0] != '\0', "no reason given");
	}
}
END_TEST

/* Escapes that decode to no valid UTF-8: lone or reversed surrogates. */
START_TEST(test_payload_bad_unicode_escape)
{
	static const char *const escapes[] = {"\\ud800", "\\udc00", "\\ude00\\ud83d", "\\ud83dx"};
	char body[1024];
	size_t i;

	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		snprintf(body, sizeof(body),
		         "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "\", \"os\":"
		         " \"Debian 12\", \"running_kernel\": {\"version\": \"1\"}, \"installed\":"
		         " [{\"name\": \"a%s\", \"version\": \"1\", \"source\": \"a\"}]}",
		         escapes[i]);
		assert_refused_either(body, strlen(body), "not JSON: ", "not valid UTF-8");
	}
}
END_TEST

/* A scalar at the top: not JSON to a parser that wants a container, else not an object. */
START_TEST(test_payload_top_level_scalar)
{
	static const char *const bodies[] = {"3", "\"{}\"", "null", "true"};
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		assert_refused_either(bodies[i], strlen(bodies[i]),
		                      "not JSON: ", "payload: must be a JSON object");
	assert_refused_host("[]", "payload: must be a JSON object");
}
END_TEST

/* An empty update_type or os is refused naming the field, as empty or as not allowed. */
START_TEST(test_payload_empty_header_fields)
{
	static const char type[] = "{\"update_type\": \"\", \"hostname\": \"" URL_HOST "\"}";
	static const char os[] =
	    "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "\", \"os\": \"\"}";

	assert_refused_either(type, strlen(type), "update_type: empty",
	                      "update_type: must be one of full, upgradable, dpkg_hook");
	assert_refused_either(os, strlen(os), "os: empty",
	                      "os: must look like \"Debian 12\" or \"Ubuntu 24.04\"");
}
END_TEST

START_TEST(test_payload_image)
{
	static const char body[] = "{\"api_version\": \"v1\", \"update_type\": \"full\","
	                           " \"image_name\": \"" URL_IMAGE "\", \"os\": \"Debian 12\","
	                           " \"installed\": [{\"name\": \"bash\", \"version\": \"5.2\","
	                           " \"source\": \"bash\"}]}";
	struct dm_payload p;
	char err[ERR_LEN] = "";

	ck_assert_msg(dm_payload_parse(&p, body, strlen(body), DM_SUBJECT_IMAGE, URL_IMAGE, err,
	                               sizeof(err)) == 0,
	              "refused: %s", err);
	ck_assert_str_eq(p.name, URL_IMAGE);
	ck_assert_ptr_null(p.kernel);
	ck_assert_uint_eq(p.n_installed, 1);
	ck_assert_str_eq(p.installed[0].name, "bash");
	dm_payload_free(&p);
	/* The same body for a host: it has no hostname. */
	assert_refused(body, strlen(body), DM_SUBJECT_HOST, URL_IMAGE, "hostname: missing");
}
END_TEST

START_TEST(test_payload_image_name_missing)
{
	assert_refused(minimal, strlen(minimal), DM_SUBJECT_IMAGE, URL_HOST, "image_name: missing");
}
END_TEST

START_TEST(test_payload_image_name_other)
{
	static const char body[] = "{\"update_type\": \"full\", \"image_name\": \"" URL_IMAGE "\","
	                           " \"os\": \"Debian 12\"}";

	assert_refused(body, strlen(body), DM_SUBJECT_IMAGE, URL_IMAGE "x",
	               "image_name: does not match the URL");
	assert_refused(body, strlen(body), DM_SUBJECT_IMAGE, "registry.example.org/team/app",
	               "image_name: does not match the URL");
}
END_TEST

/* Every error message fits the caller's buffer, cut short and terminated. */
START_TEST(test_payload_error_truncated)
{
	static const char body[] = "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST "\","
	                           " \"os\": \"Windows 11 Professional Edition\"}";
	struct dm_payload p;
	char err[32];

	memset(err, 'X', sizeof(err));
	ck_assert_int_eq(
	    dm_payload_parse(&p, body, strlen(body), DM_SUBJECT_HOST, URL_HOST, err, 16), -1);
	ck_assert_uint_eq(strlen(err), 15);
	ck_assert_int_eq(err[16], 'X');
	ck_assert_int_eq(strncmp(err, "os: must look l", 15), 0);
}
END_TEST

/* Builds a full payload of n installed packages (names pkg00000...) into b. */
static void
big_payload(struct dm_buf *b, size_t n, size_t dup_of, size_t dup_at)
{
	size_t i;

	dm_buf_init(b, 64 * 1024 * 1024);
	ck_assert_int_eq(dm_buf_adds(b, "{\"update_type\": \"full\", \"hostname\": \"" URL_HOST
	                                "\", \"os\": \"Debian 12\", \"running_kernel\":"
	                                " {\"version\": \"1\"}, \"installed\": ["),
	                 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(
		    dm_buf_printf(b,
		                  "%s{\"name\": \"pkg%05zu\", \"version\": \"1.%zu-1\","
		                  " \"source\": \"src%zu\"}",
		                  i ? ", " : "", i == dup_at ? dup_of : i, i, i / 10),
		    0);
	ck_assert_int_eq(dm_buf_adds(b, "]}"), 0);
}

/*
 * A big fleet host: 100,000 packages parse in well under the timeout, so duplicate
 * detection is not quadratic; the last one repeating the first is still found.
 */
START_TEST(test_payload_many_packages)
{
	struct dm_payload p;
	struct dm_buf b;
	char err[ERR_LEN] = "";

	big_payload(&b, 100000, 0, (size_t)-1);
	ck_assert_msg(
	    dm_payload_parse(&p, b.data, b.len, DM_SUBJECT_HOST, URL_HOST, err, sizeof(err)) == 0,
	    "refused: %s", err);
	ck_assert_uint_eq(p.n_installed, 100000);
	ck_assert_str_eq(p.installed[99999].name, "pkg99999");
	ck_assert_str_eq(p.installed[99999].source, "src9999");
	dm_payload_free(&p);
	dm_buf_free(&b);
	big_payload(&b, 100000, 0, 99999);
	assert_refused(b.data, b.len, DM_SUBJECT_HOST, URL_HOST,
	               "installed[99999].name: duplicate of installed[0]");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_update_type_names)
{
	ck_assert_str_eq(dm_update_type_name(DM_UPDATE_FULL), "full");
	ck_assert_str_eq(dm_update_type_name(DM_UPDATE_UPGRADABLE), "upgradable");
	ck_assert_str_eq(dm_update_type_name(DM_UPDATE_DPKG_HOOK), "dpkg_hook");
}
END_TEST

/* Debian names a release by an integer, Ubuntu by YY.MM; both may be bare. */
static const struct {
	const char *os;
	int valid;
} oses[] = {
    {"Debian", 1},          {"Debian 12", 1},        {"Debian 9", 1},
    {"Debian 13", 1},       {"Ubuntu", 1},           {"Ubuntu 24.04", 1},
    {"Ubuntu 22.10", 1},    {"Ubuntu 18.04", 1},     {"", 0},
    {"debian 12", 0},       {"DEBIAN 12", 0},        {"Debian12", 0},
    {"Debian 12 ", 0},      {" Debian 12", 0},       {"Debian  12", 0},
    {"Debian ", 0},         {"Debian 12.1", 0},      {"Debian 12.", 0},
    {"Debian bookworm", 0}, {"Debian -1", 0},        {"Debian +12", 0},
    {"Debian 1a", 0},       {"Debian\t12", 0},       {"Debian 12\n", 0},
    {"Ubuntu 24", 0},       {"Ubuntu 24.", 0},       {"Ubuntu .04", 0},
    {"Ubuntu 24.04.1", 0},  {"Ubuntu 24.04 ", 0},    {"Ubuntu noble", 0},
    {"ubuntu 24.04", 0},    {"Ubuntu24.04", 0},      {"Windows", 0},
    {"Windows 10", 0},      {"Devuan 5", 0},         {"DebianX", 0},
    {"Debian 12 LTS", 0},   {"Ubuntu 24.04 LTS", 0},
};

START_TEST(test_os_valid)
{
	ck_assert_msg(!!dm_os_valid(oses[_i].os) == oses[_i].valid, "dm_os_valid(\"%s\") != %d",
	              oses[_i].os, oses[_i].valid);
}
END_TEST

START_TEST(test_name_valid)
{
	char err[ERR_LEN], name[300];

	ck_assert_int_eq(dm_name_valid("host1.example.org", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(dm_name_valid("a", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(dm_name_valid("hôst-ü.example.org", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(dm_name_valid(URL_IMAGE, 1, err, sizeof(err)), 0);
	memset(name, 'a', 255);
	name[255] = '\0';
	ck_assert_int_eq(dm_name_valid(name, 0, err, sizeof(err)), 0);
}
END_TEST

static const struct {
	const char *name;
	int allow_slash;
} bad_names[] = {
    {"", 0},      {"", 1},      {"a\x01", 0}, {"a\tb", 0}, {"a\nb", 1},
    {"a\x1f", 0}, {"a\x7f", 1}, {"a/b", 0},   {"/", 0},    {URL_IMAGE, 0},
};

START_TEST(test_name_refused)
{
	char err[ERR_LEN] = "";

	ck_assert_msg(
	    dm_name_valid(bad_names[_i].name, bad_names[_i].allow_slash, err, sizeof(err)) == -1,
	    "case %d accepted", _i);
	ck_assert_msg(err[0] != '\0', "case %d: no reason given", _i);
}
END_TEST

START_TEST(test_name_too_long)
{
	char err[ERR_LEN] = "", name[300];

	memset(name, 'a', 256);
	name[256] = '\0';
	ck_assert_int_eq(dm_name_valid(name, 0, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "255") != NULL, "reason \"%s\" lacks the limit", err);
	ck_assert_int_eq(dm_name_valid(name, 1, err, sizeof(err)), -1);
	/* Bytes, not characters: 128 two-byte characters are too many. */
	for (int i = 0; i < 128; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[256] = '\0';
	ck_assert_int_eq(dm_name_valid(name, 0, err, sizeof(err)), -1);
}
END_TEST

/* --- the data cases: tests/data/payload/{valid,invalid}/<case>.json ------------------ */

/* Reads a whole file into b; -1 when it cannot be read. */
static int
read_file(const char *path, struct dm_buf *b)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = 0;

	dm_buf_init(b, FILE_MAX);
	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (dm_buf_add(b, chunk, n) == -1)
			rc = -1;
	fclose(f);
	if (b->data == NULL && dm_buf_add(b, "", 0) == -1)
		rc = -1;
	return rc;
}

/* Image cases are named image-*; hosts are everything else. */
static enum dm_subject
case_subject(const char *file)
{
	const char *base = strrchr(file, '/');

	return strncmp(base ? base + 1 : file, "image-", 6) == 0 ? DM_SUBJECT_IMAGE
	                                                         : DM_SUBJECT_HOST;
}

/* The value an .expect key names, formatted as text; -1 for an unknown key. */
static int
pkg_value(const struct dm_pkg *list, size_t n, size_t i, const char *field, char *out, size_t len)
{
	const char *v = NULL;

	if (i >= n)
		return snprintf(out, len, "(index %zu out of %zu)", i, n), 0;
	if (strcmp(field, "name") == 0)
		v = list[i].name;
	else if (strcmp(field, "version") == 0)
		v = list[i].version;
	else if (strcmp(field, "source") == 0)
		v = list[i].source;
	else if (strcmp(field, "source_version") == 0)
		v = list[i].source_version ? list[i].source_version : "(none)";
	if (v == NULL)
		return -1;
	snprintf(out, len, "%s", v);
	return 0;
}

static int
upg_value(const struct dm_payload *p, size_t i, const char *field, char *out, size_t len)
{
	const struct dm_upg *u = &p->upgradable[i];
	const char *v = NULL;

	if (i >= p->n_upgradable)
		return snprintf(out, len, "(index %zu out of %zu)", i, p->n_upgradable), 0;
	if (strcmp(field, "security") == 0)
		return snprintf(out, len, "%d", u->security != 0), 0;
	if (strcmp(field, "name") == 0)
		v = u->name;
	else if (strcmp(field, "version_from") == 0)
		v = u->version_from;
	else if (strcmp(field, "version_to") == 0)
		v = u->version_to;
	else if (strcmp(field, "source") == 0)
		v = u->source;
	if (v == NULL)
		return -1;
	snprintf(out, len, "%s", v);
	return 0;
}

static int
list_value(const struct dm_payload *p, const char *key, char *out, size_t len)
{
	char list[16], field[32];
	size_t i;
	int end = 0;

	if (sscanf(key, "%15[a-z][%zu].%31[a-z_]%n", list, &i, field, &end) != 3 ||
	    key[end] != '\0')
		return -1;
	if (strcmp(list, "installed") == 0)
		return pkg_value(p->installed, p->n_installed, i, field, out, len);
	if (strcmp(list, "uninstalled") == 0)
		return pkg_value(p->uninstalled, p->n_uninstalled, i, field, out, len);
	if (strcmp(list, "upgradable") == 0)
		return upg_value(p, i, field, out, len);
	return -1;
}

static int
actual_value(const struct dm_payload *p, const char *key, char *out, size_t len)
{
	size_t i, security = 0;

	for (i = 0; i < p->n_upgradable; i++)
		security += p->upgradable[i].security != 0;
	if (strcmp(key, "type") == 0)
		snprintf(out, len, "%s", dm_update_type_name(p->type));
	else if (strcmp(key, "name") == 0)
		snprintf(out, len, "%s", p->name);
	else if (strcmp(key, "os") == 0)
		snprintf(out, len, "%s", p->os);
	else if (strcmp(key, "kernel") == 0)
		snprintf(out, len, "%s", p->kernel ? p->kernel : "(null)");
	else if (strcmp(key, "installed") == 0)
		snprintf(out, len, "%zu", p->n_installed);
	else if (strcmp(key, "uninstalled") == 0)
		snprintf(out, len, "%zu", p->n_uninstalled);
	else if (strcmp(key, "upgradable") == 0)
		snprintf(out, len, "%zu", p->n_upgradable);
	else if (strcmp(key, "security") == 0)
		snprintf(out, len, "%zu", security);
	else
		return list_value(p, key, out, len);
	return 0;
}

/* Checks every key=value line of an .expect file against the parsed payload. */
static void
check_expect(const char *json, const char *path, const struct dm_payload *p,
             struct dm_buf *failures)
{
	char line[2048], got[1024], *eq;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return; /* the sidecar is optional */
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			dm_buf_printf(failures, "%s: bad line \"%s\"\n", path, line);
			continue;
		}
		*eq = '\0';
		if (actual_value(p, line, got, sizeof(got)) == -1)
			dm_buf_printf(failures, "%s: unknown key \"%s\"\n", path, line);
		else if (strcmp(got, eq + 1) != 0)
			dm_buf_printf(failures, "%s: %s is \"%s\", want \"%s\"\n", json, line, got,
			              eq + 1);
	}
	fclose(f);
}

/* The URL name of a valid case: what the payload calls itself. */
static const char *
case_name(const struct dm_buf *b, enum dm_subject subject, char *out, size_t len)
{
	json_t *root = json_loadb(b->data, b->len, 0, NULL);
	const char *v;

	v = json_string_value(
	    json_object_get(root, subject == DM_SUBJECT_IMAGE ? "image_name" : "hostname"));
	snprintf(out, len, "%s", v ? v : "(no name in the case)");
	json_decref(root);
	return out;
}

static void
check_valid(const char *json, const char *expect, struct dm_buf *failures)
{
	struct dm_payload p;
	struct dm_buf b;
	enum dm_subject subject = case_subject(json);
	char err[ERR_LEN] = "", name[1024];

	if (read_file(json, &b) == -1) {
		dm_buf_printf(failures, "%s: cannot read\n", json);
	} else if (dm_payload_parse(&p, b.data, b.len, subject,
	                            case_name(&b, subject, name, sizeof(name)), err,
	                            sizeof(err)) == -1) {
		dm_buf_printf(failures, "%s: refused: %s\n", json, err);
	} else {
		check_expect(json, expect, &p, failures);
		dm_payload_free(&p);
	}
	dm_buf_free(&b);
}

/* The .error file holds one line: the start of the message. */
static void
check_invalid(const char *json, const char *error, struct dm_buf *failures)
{
	struct dm_payload p;
	struct dm_buf b, want;
	enum dm_subject subject = case_subject(json);
	char err[ERR_LEN] = "";

	if (read_file(error, &want) == -1 || want.len == 0) {
		dm_buf_printf(failures, "%s: cannot read %s\n", json, error);
		dm_buf_free(&want);
		return;
	}
	want.data[strcspn(want.data, "\n")] = '\0';
	if (read_file(json, &b) == -1) {
		dm_buf_printf(failures, "%s: cannot read\n", json);
	} else if (dm_payload_parse(&p, b.data, b.len, subject,
	                            subject == DM_SUBJECT_IMAGE ? URL_IMAGE : URL_HOST, err,
	                            sizeof(err)) == 0) {
		dm_buf_printf(failures, "%s: accepted, want \"%s\"\n", json, want.data);
		dm_payload_free(&p);
	} else if (strncmp(err, want.data, strlen(want.data)) != 0) {
		dm_buf_printf(failures, "%s: message \"%s\", want \"%s...\"\n", json, err,
		              want.data);
	}
	dm_buf_free(&b);
	dm_buf_free(&want);
}

static void
assert_cases(const char *kind)
{
	int valid = strcmp(kind, "valid") == 0;

	tc_assert_cases("payload", kind, ".json", valid ? "expect" : "error",
	                valid ? check_valid : check_invalid);
}

START_TEST(test_payload_data_valid)
{
	assert_cases("valid");
}
END_TEST

START_TEST(test_payload_data_invalid)
{
	assert_cases("invalid");
}
END_TEST

Suite *
make_payload_suite(void)
{
	Suite *s = suite_create("payload");
	TCase *tc = tcase_create("parse");
	TCase *names = tcase_create("names");
	TCase *data = tcase_create("data");
	TCase *big = tcase_create("big");

	tcase_add_test(tc, test_payload_minimal);
	tcase_add_test(tc, test_payload_values);
	tcase_add_test(tc, test_payload_strings_owned);
	tcase_add_test(tc, test_payload_not_terminated);
	tcase_add_test(tc, test_payload_empty_body);
	tcase_add_loop_test(tc, test_payload_invalid_utf8, 0,
	                    (int)(sizeof(bad_utf8) / sizeof(bad_utf8[0])));
	tcase_add_test(tc, test_payload_invalid_utf8_at_end);
	tcase_add_test(tc, test_payload_embedded_nul);
	tcase_add_test(tc, test_payload_escaped_nul);
	tcase_add_test(tc, test_payload_duplicate_key);
	tcase_add_test(tc, test_payload_bad_unicode_escape);
	tcase_add_test(tc, test_payload_top_level_scalar);
	tcase_add_test(tc, test_payload_empty_header_fields);
	tcase_add_test(tc, test_payload_image);
	tcase_add_test(tc, test_payload_image_name_missing);
	tcase_add_test(tc, test_payload_image_name_other);
	tcase_add_test(tc, test_payload_error_truncated);
	tcase_add_test(tc, test_update_type_names);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(names, test_os_valid, 0, (int)(sizeof(oses) / sizeof(oses[0])));
	tcase_add_test(names, test_name_valid);
	tcase_add_loop_test(names, test_name_refused, 0,
	                    (int)(sizeof(bad_names) / sizeof(bad_names[0])));
	tcase_add_test(names, test_name_too_long);
	suite_add_tcase(s, names);
	tcase_set_timeout(data, 60);
	tcase_add_test(data, test_payload_data_valid);
	tcase_add_test(data, test_payload_data_invalid);
	suite_add_tcase(s, data);
	tcase_set_timeout(big, 30);
	tcase_add_test(big, test_payload_many_packages);
	suite_add_tcase(s, big);
	return s;
}
