/*
 * it_pages.c: the dashboard, package, source package, kernel and search pages and their
 * JSON, over data this suite reports for its own hosts and image.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_PROXY "proxy-hosts.example.org"
#define HOST_A "t-pages-a.example.org"
#define HOST_B "t-pages-b.example.org"
#define IMAGE "registry.example.org/t-pages/app:1.0"
#define JSON_TYPE "application/json"
#define HTML_TYPE "text/html; charset=utf-8"

/* Client data that must come out escaped in HTML and intact in JSON. */
#define KERNEL "#1 SMP t-pages <script>\"'&"
#define KERNEL_HTML "#1 SMP t-pages &lt;script&gt;\"'&amp;"
#define EVIL "t-pages-x<script>\"'&"
#define EVIL_URL "t-pages-x%3Cscript%3E%22%27%26"
#define EVIL_HTML "t-pages-x&lt;script&gt;\"'&amp;"
#define EVIL_VERSION "1.0<script>\"'&"
#define EVIL_VERSION_HTML "1.0&lt;script&gt;\"'&amp;"
#define EVIL_SRC "t-pages-src<script>\"'&"
#define EVIL_SRC_URL "t-pages-src%3Cscript%3E%22%27%26"
#define EVIL_SRC_HTML "t-pages-src&lt;script&gt;\"'&amp;"
/* Its "-\xc3\xbc" is two characters in three bytes: under the minimum search length, 3. */
#define UML "t-pages-\xc3\xbc"

/*
 * Host A has a security upgrade of libfoo and a plain one of libbar (both from source foo);
 * host B has libfoo at the upgraded version; the image (another OS) a security upgrade of
 * libfoo. Host A also has EVIL. Every count the tests expect follows from these reports.
 */
#define A_INSTALLED                                                                                \
	"t-pages-libfoo=1.0-1@t-pages-foo t-pages-libbar=2.0-1@t-pages-foo "                       \
	"t-pages-tool=3.0~tpv1 " UML "=1.0"
#define A_UPGRADABLE                                                                               \
	"t-pages-libfoo=1.0-1>1.0-2@t-pages-foo!security t-pages-libbar=2.0-1>2.0-2@t-pages-foo"
#define B_INSTALLED "t-pages-libfoo=1.0-2@t-pages-foo t-pages-tool=3.0~tpv1"
#define IMAGE_INSTALLED "t-pages-libfoo=0.9-1@t-pages-foo t-pages-tool=3.0~tpv1"
#define IMAGE_UPGRADABLE "t-pages-libfoo=0.9-1>0.9-2@t-pages-foo!security"

/* --- reports ----------------------------------------------------------------------------- */

static void
post_ok(const char *path, json_t *payload, const struct it_tls *tls)
{
	char *body = it_dump(payload);
	struct it_request req = {
	    .method = "POST", .body = body, .body_len = strlen(body), .tls = tls};
	struct it_response r;

	it_do(it_https(path), &req, &r);
	it_assert_created(path, &r);
	it_response_free(&r);
	free(body);
}

/* EVIL is added to host A's list as is: its '>' would end a spec's version. */
static void
report_host(const char *host, const char *installed, const char *upgradable)
{
	struct it_tls tls = it_cert(HOST_PROXY);
	char path[512];
	json_t *p =
	    json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o}", "api_version", "v1",
	              "update_type", "full", "hostname", host, "os", "Debian 12", "running_kernel",
	              "release", "6.1.0-18-amd64", "version", KERNEL, "installed",
	              it_spec_list(installed, 0), "upgradable", it_spec_list(upgradable, 1));

	ck_assert_ptr_nonnull(p);
	if (strcmp(host, HOST_A) == 0)
		json_array_append_new(json_object_get(p, "installed"),
		                      json_pack("{s:s, s:s, s:s}", "name", EVIL, "version",
		                                EVIL_VERSION, "source", EVIL_SRC));
	snprintf(path, sizeof(path), "/hosts/%s/update", host);
	post_ok(path, p, &tls);
}

/* This machine's own certificate is a PROXY_IMAGES CN of the test instance. */
static void
report_image(void)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "api_version", "v1", "update_type",
	                      "full", "image_name", IMAGE, "os", "Debian 11", "installed",
	                      it_spec_list(IMAGE_INSTALLED, 0), "upgradable",
	                      it_spec_list(IMAGE_UPGRADABLE, 1));

	ck_assert_ptr_nonnull(p);
	post_ok("/images/" IMAGE "/update", p, NULL);
}

/* Every test starts from the three reports (a repeated full report changes nothing). */
static void
seed(void)
{
	report_host(HOST_A, A_INSTALLED, A_UPGRADABLE);
	report_host(HOST_B, B_INSTALLED, "");
	report_image();
}

/* --- answers ----------------------------------------------------------------------------- */

/* The one script of every page; any other <script would be client data let through. */
#define DM_SCRIPT_TAG "<script src=\"/static/debmonitor.js\" defer></script>"

/* GET path as a browser: the page, which never carries a raw <script from client data. */
static char *
get_html(const char *path)
{
	struct it_response r;
	const char *tag;
	char *body;

	it_do(it_http(path), NULL, &r);
	ck_assert_msg(r.status == 200, "GET %s: HTTP %ld: %s", path, r.status, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), HTML_TYPE);
	ck_assert_msg(strstr(r.body, "<!DOCTYPE html>") != NULL, "GET %s: not a page", path);
	tag = strstr(r.body, "<script");
	ck_assert_msg(tag != NULL && strncmp(tag, DM_SCRIPT_TAG, strlen(DM_SCRIPT_TAG)) == 0,
	              "GET %s: the page script is not the first <script", path);
	ck_assert_msg(strstr(tag + 1, "<script") == NULL, "GET %s: unescaped <script", path);
	body = r.body;
	r.body = NULL;
	it_response_free(&r);
	return body;
}

static void
assert_has(const char *page, const char *text, const char *path)
{
	ck_assert_msg(strstr(page, text) != NULL, "GET %s: no \"%s\"", path, text);
}

static long
status_of(const char *path, const char *accept)
{
	struct it_request req = {.accept = accept};
	struct it_response r;
	long status;

	it_do(it_http(path), &req, &r);
	status = r.status;
	it_response_free(&r);
	return status;
}

static json_int_t
integer(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

/* The list member key of obj. */
static const json_t *
list(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_array(v), "\"%s\" is not a list", key);
	return v;
}

/* The element of a list whose member key is value, or NULL. */
static const json_t *
find(const json_t *a, const char *key, const char *value)
{
	const json_t *e;
	size_t i;

	json_array_foreach (a, i, e) {
		if (strcmp(it_str(e, key), value) == 0)
			return e;
	}
	return NULL;
}

static const json_t *
must_find(const json_t *a, const char *key, const char *value)
{
	const json_t *e = find(a, key, value);

	ck_assert_msg(e != NULL, "no element with %s \"%s\"", key, value);
	return e;
}

/* A list of strings, exactly the newline-separated want. */
static void
assert_strings(const json_t *a, const char *want)
{
	json_t *w = json_array();
	char *got, *expected;
	size_t n;

	for (; *want; want += n + (want[n] == '\n')) {
		n = strcspn(want, "\n");
		json_array_append_new(w, json_stringn(want, n));
	}
	got = it_dump(json_incref((json_t *)a));
	expected = it_dump(w);
	ck_assert_str_eq(got, expected);
	free(got);
	free(expected);
}

static void
assert_package_row(const json_t *rows, const char *name, const char *os, json_int_t versions,
                   json_int_t hosts, json_int_t images, json_int_t upgrades, json_int_t security)
{
	const json_t *p = must_find(rows, "name", name);

	ck_assert_int_eq(integer(p, "versions"), versions);
	assert_strings(list(p, "os"), os);
	ck_assert_int_eq(integer(p, "hosts"), hosts);
	ck_assert_int_eq(integer(p, "images"), images);
	ck_assert_int_eq(integer(p, "upgrades"), upgrades);
	ck_assert_int_eq(integer(p, "security_upgrades"), security);
}

/* The id of the suite's kernel, from the kernel list. */
static json_int_t
kernel_id(void)
{
	json_t *j = it_get_json("/kernels/", NULL);
	json_int_t id = integer(must_find(list(j, "kernels"), "name", KERNEL), "id");

	json_decref(j);
	return id;
}

/* --- the dashboard ----------------------------------------------------------------------- */

/* Each number against the database, counted the slow way from the big tables. */
START_TEST(test_dashboard_json)
{
	static const struct {
		const char *key, *sql;
	} want[] = {
	    {"hosts", "SELECT COUNT(*) FROM host"},
	    {"images", "SELECT COUNT(*) FROM image"},
	    {"kernels", "SELECT COUNT(*) FROM kernel_version"},
	    {"packages", "SELECT COUNT(*) FROM package"},
	    {"source_packages", "SELECT COUNT(*) FROM source_package"},
	    {"package_versions", "SELECT COUNT(*) FROM package_version"},
	    {"hosts_with_upgrades", "SELECT COUNT(DISTINCT host_id) FROM host_package"
	                            " WHERE upgradable_version_id IS NOT NULL"},
	    {"hosts_with_security_upgrades",
	     "SELECT COUNT(DISTINCT host_id) FROM host_package"
	     " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1"},
	    {"images_with_upgrades", "SELECT COUNT(DISTINCT image_id) FROM image_package"
	                             " WHERE upgradable_version_id IS NOT NULL"},
	    {"images_with_security_upgrades",
	     "SELECT COUNT(DISTINCT image_id) FROM image_package"
	     " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1"},
	    {"pending_upgrades",
	     "SELECT (SELECT COUNT(*) FROM host_package WHERE upgradable_version_id IS NOT NULL)"
	     " + (SELECT COUNT(*) FROM image_package WHERE upgradable_version_id IS NOT NULL)"},
	    {"pending_security_upgrades",
	     "SELECT (SELECT COUNT(*) FROM host_package WHERE upgradable_version_id IS NOT NULL"
	     " AND upgrade_type = 1) + (SELECT COUNT(*) FROM image_package"
	     " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1)"},
	    {"stale_hosts",
	     "SELECT COUNT(*) FROM host WHERE modified < UTC_TIMESTAMP() - INTERVAL 1 DAY"},
	};
	json_t *j = it_get_json("/", NULL);
	char *newest, *oldest;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(integer(j, want[i].key) == it_db_count(want[i].sql),
		              "\"%s\": %lld, the database says %lld", want[i].key,
		              (long long)integer(j, want[i].key), it_db_count(want[i].sql));
	ck_assert_int_ge(integer(j, "hosts"), 2);
	ck_assert_int_ge(integer(j, "pending_security_upgrades"), 2);
	newest = it_db_value("SELECT DATE_FORMAT(MAX(modified), '%Y-%m-%dT%H:%i:%sZ') FROM host");
	oldest = it_db_value("SELECT DATE_FORMAT(MIN(modified), '%Y-%m-%dT%H:%i:%sZ') FROM host");
	ck_assert_str_eq(it_str(j, "newest_host_update"), newest);
	ck_assert_str_eq(it_str(j, "oldest_host_update"), oldest);
	ck_assert(it_iso_time(newest) >= it_iso_time(oldest));
	/* The security members (tested with data in integration: cve). */
	ck_assert(json_is_integer(json_object_get(j, "cves_affecting")));
	ck_assert(json_is_integer(json_object_get(j, "hosts_end_of_life")));
	ck_assert(json_is_integer(json_object_get(j, "hosts_with_high_fixes")));
	ck_assert(json_is_array(json_object_get(j, "hosts_with_high_fixes_list")));
	ck_assert(json_object_get(j, "cve_imported") != NULL);
	ck_assert(json_is_array(json_object_get(j, "hosts_by_os")));
	ck_assert_uint_eq(json_object_size(j), 21);
	free(newest);
	free(oldest);
	json_decref(j);
}
END_TEST

START_TEST(test_dashboard_html)
{
	static const char *const links[] = {"/hosts/", "/images/", "/kernels/", "/packages/",
	                                    "/source-packages/"};
	char *page = get_html("/"), want[128], *count;
	size_t i;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(want, sizeof(want), "href=\"%s\"", links[i]);
		assert_has(page, want, "/");
	}
	count = it_db_value("SELECT COUNT(*) FROM host");
	snprintf(want, sizeof(want), "id=\"hosts\"><span class=\"value\">%s</span>", count);
	assert_has(page, want, "/");
	assert_has(page, "Pending security upgrades", "/");
	free(count);
	free(page);
}
END_TEST

/* --- packages ---------------------------------------------------------------------------- */

START_TEST(test_packages_json)
{
	json_t *j = it_get_json("/packages/", NULL);
	const json_t *rows = list(j, "packages");

	assert_package_row(rows, "t-pages-libfoo", "Debian 11\nDebian 12", 4, 2, 1, 2, 2);
	assert_package_row(rows, "t-pages-libbar", "Debian 12", 2, 1, 0, 1, 0);
	assert_package_row(rows, "t-pages-tool", "Debian 11\nDebian 12", 2, 2, 1, 0, 0);
	assert_package_row(rows, EVIL, "Debian 12", 1, 1, 0, 0, 0);
	assert_package_row(rows, UML, "Debian 12", 1, 1, 0, 0, 0);
	json_decref(j);
}
END_TEST

START_TEST(test_packages_html)
{
	/* The HTML list is pages of 200 rows: the fleet's own packages, by q=. */
	char *page = get_html("/packages/?q=t-pages-");

	assert_has(page, "<a href=\"/packages/t-pages-libfoo\">t-pages-libfoo</a>", "/packages/");
	assert_has(page, "<a href=\"/packages/" EVIL_URL "\">" EVIL_HTML "</a>", "/packages/");
	assert_has(page, "<td>Debian 11, Debian 12</td>", "/packages/");
	free(page);
}
END_TEST

static void
assert_install(const json_t *e, const char *kind, const char *name, const char *os,
               const char *version, const char *upgrade, const char *type)
{
	const json_t *uv = json_object_get(e, "upgradable_version");
	const json_t *ut = json_object_get(e, "upgrade_type");

	ck_assert_str_eq(it_str(e, "kind"), kind);
	ck_assert_str_eq(it_str(e, "name"), name);
	ck_assert_str_eq(it_str(e, "os"), os);
	ck_assert_str_eq(it_str(e, "version"), version);
	if (upgrade == NULL) {
		ck_assert_msg(json_is_null(uv) && json_is_null(ut), "%s: an upgrade", name);
		return;
	}
	ck_assert_str_eq(it_str(e, "upgradable_version"), upgrade);
	ck_assert_str_eq(it_str(e, "upgrade_type"), type);
}

/* Upgrades first, security ones before plain ones; then by OS, version, kind and name. */
START_TEST(test_package_json)
{
	json_t *j = it_get_json("/packages/t-pages-libfoo", NULL);
	const json_t *in = list(j, "installs");

	ck_assert_str_eq(it_str(j, "name"), "t-pages-libfoo");
	assert_strings(list(j, "sources"), "t-pages-foo");
	ck_assert_uint_eq(json_array_size(in), 3);
	assert_install(json_array_get(in, 0), "image", IMAGE, "Debian 11", "0.9-1", "0.9-2",
	               "security");
	assert_install(json_array_get(in, 1), "host", HOST_A, "Debian 12", "1.0-1", "1.0-2",
	               "security");
	assert_install(json_array_get(in, 2), "host", HOST_B, "Debian 12", "1.0-2", NULL, NULL);
	json_decref(j);
	j = it_get_json("/packages/t-pages-libbar", NULL);
	in = list(j, "installs");
	ck_assert_uint_eq(json_array_size(in), 1);
	assert_install(json_array_get(in, 0), "host", HOST_A, "Debian 12", "2.0-1", "2.0-2", "");
	json_decref(j);
}
END_TEST

START_TEST(test_package_html)
{
	const char *path = "/packages/t-pages-libfoo";
	char *page = get_html(path);

	assert_has(page, "<h1>t-pages-libfoo</h1>", path);
	assert_has(page, "<a href=\"/source-packages/t-pages-foo\">t-pages-foo</a>", path);
	assert_has(page, "<a href=\"/hosts/" HOST_A "\">" HOST_A "</a>", path);
	assert_has(page, "<a href=\"/hosts/" HOST_B "\">" HOST_B "</a>", path);
	assert_has(page, "<a href=\"/images/" IMAGE "\">" IMAGE "</a>", path);
	assert_has(page, "<td>1.0-1</td><td>1.0-2</td><td>security</td>", path);
	free(page);
}
END_TEST

START_TEST(test_package_escaped)
{
	json_t *j = it_get_json("/packages/" EVIL_URL, NULL);
	char *page;

	ck_assert_str_eq(it_str(j, "name"), EVIL);
	assert_strings(list(j, "sources"), EVIL_SRC);
	assert_install(json_array_get(list(j, "installs"), 0), "host", HOST_A, "Debian 12",
	               EVIL_VERSION, NULL, NULL);
	json_decref(j);
	page = get_html("/packages/" EVIL_URL);
	assert_has(page, "<h1>" EVIL_HTML "</h1>", EVIL);
	assert_has(page, "<td>" EVIL_VERSION_HTML "</td>", EVIL);
	assert_has(page, "<a href=\"/source-packages/" EVIL_SRC_URL "\">" EVIL_SRC_HTML "</a>",
	           EVIL);
	free(page);
}
END_TEST

/* --- source packages --------------------------------------------------------------------- */

START_TEST(test_source_packages)
{
	json_t *j = it_get_json("/source-packages/", NULL);
	const json_t *rows = list(j, "source_packages"), *s;
	char *page;

	s = must_find(rows, "name", "t-pages-foo");
	ck_assert_int_eq(integer(s, "versions"), 6);
	assert_strings(list(s, "os"), "Debian 11\nDebian 12");
	ck_assert_int_eq(integer(s, "binaries"), 2);
	s = must_find(rows, "name", "t-pages-tool");
	ck_assert_int_eq(integer(s, "versions"), 2);
	ck_assert_int_eq(integer(s, "binaries"), 1);
	s = must_find(rows, "name", EVIL_SRC);
	ck_assert_int_eq(integer(s, "versions"), 1);
	assert_strings(list(s, "os"), "Debian 12");
	json_decref(j);
	page = get_html("/source-packages/?q=t-pages-");
	assert_has(page, "<a href=\"/source-packages/t-pages-foo\">t-pages-foo</a>", "list");
	assert_has(page, "<a href=\"/source-packages/" EVIL_SRC_URL "\">" EVIL_SRC_HTML "</a>",
	           "list");
	free(page);
}
END_TEST

static void
assert_source_version(const json_t *v, const char *os, const char *version, const char *bins)
{
	ck_assert_str_eq(it_str(v, "os"), os);
	ck_assert_str_eq(it_str(v, "version"), version);
	assert_strings(list(v, "binaries"), bins);
}

START_TEST(test_source_package)
{
	json_t *j = it_get_json("/source-packages/t-pages-foo", NULL);
	const json_t *v = list(j, "versions");
	char *page;

	ck_assert_str_eq(it_str(j, "name"), "t-pages-foo");
	ck_assert_uint_eq(json_array_size(v), 6);
	assert_source_version(json_array_get(v, 0), "Debian 11", "0.9-1", "t-pages-libfoo");
	assert_source_version(json_array_get(v, 1), "Debian 11", "0.9-2", "t-pages-libfoo");
	assert_source_version(json_array_get(v, 2), "Debian 12", "1.0-1", "t-pages-libfoo");
	assert_source_version(json_array_get(v, 4), "Debian 12", "2.0-1", "t-pages-libbar");
	json_decref(j);
	page = get_html("/source-packages/t-pages-foo");
	assert_has(page, "<h1>t-pages-foo</h1>", "t-pages-foo");
	assert_has(page, "<a href=\"/packages/t-pages-libbar\">t-pages-libbar</a>", "t-pages-foo");
	free(page);
}
END_TEST

START_TEST(test_source_package_escaped)
{
	json_t *j = it_get_json("/source-packages/" EVIL_SRC_URL, NULL);
	const json_t *v = list(j, "versions");
	char *page;

	ck_assert_str_eq(it_str(j, "name"), EVIL_SRC);
	ck_assert_uint_eq(json_array_size(v), 1);
	assert_source_version(json_array_get(v, 0), "Debian 12", EVIL_VERSION, EVIL);
	json_decref(j);
	page = get_html("/source-packages/" EVIL_SRC_URL);
	assert_has(page, "<h1>" EVIL_SRC_HTML "</h1>", EVIL_SRC);
	assert_has(page, "<td>" EVIL_VERSION_HTML "</td>", EVIL_SRC);
	assert_has(page, "<a href=\"/packages/" EVIL_URL "\">" EVIL_HTML "</a>", EVIL_SRC);
	free(page);
}
END_TEST

/* --- kernels ----------------------------------------------------------------------------- */

START_TEST(test_kernels)
{
	json_t *j = it_get_json("/kernels/", NULL);
	const json_t *k = must_find(list(j, "kernels"), "name", KERNEL);
	char *page, want[256];

	ck_assert_str_eq(it_str(k, "os"), "Debian 12");
	ck_assert_int_eq(integer(k, "hosts"), 2);
	page = get_html("/kernels/");
	snprintf(want, sizeof(want), "<a href=\"/kernels/%lld\">" KERNEL_HTML "</a>",
	         (long long)integer(k, "id"));
	assert_has(page, want, "/kernels/");
	free(page);
	json_decref(j);
}
END_TEST

START_TEST(test_kernel)
{
	char path[64], *page;
	json_int_t id = kernel_id();
	json_t *j;

	snprintf(path, sizeof(path), "/kernels/%lld", (long long)id);
	j = it_get_json(path, NULL);
	ck_assert_int_eq(integer(j, "id"), id);
	ck_assert_str_eq(it_str(j, "name"), KERNEL);
	ck_assert_str_eq(it_str(j, "os"), "Debian 12");
	assert_strings(list(j, "hosts"), HOST_A "\n" HOST_B);
	json_decref(j);
	page = get_html(path);
	assert_has(page, "<h1>" KERNEL_HTML "</h1>", path);
	assert_has(page, "<a href=\"/hosts/" HOST_A "\">" HOST_A "</a>", path);
	assert_has(page, "<a href=\"/hosts/" HOST_B "\">" HOST_B "</a>", path);
	free(page);
}
END_TEST

/* --- errors and methods ------------------------------------------------------------------ */

START_TEST(test_not_found)
{
	static const char *const paths[] = {
	    "/packages/t-pages-no-such",
	    "/source-packages/t-pages-no-such",
	    "/kernels/4294967295",
	    "/kernels/0",
	    "/kernels/-1",
	    "/kernels/abc",
	    "/kernels/12x",
	    "/kernels/99999999999999999999",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_msg(status_of(paths[i], NULL) == 404, "GET %s: not 404", paths[i]);
		ck_assert_msg(status_of(paths[i], JSON_TYPE) == 404, "GET %s (JSON): not 404",
		              paths[i]);
	}
}
END_TEST

/* Fills paths with every page of the suite (the kernel's id found at run time). */
static size_t
pages(char paths[][128])
{
	static const char *const fixed[] = {
	    "/",
	    "/packages/",
	    "/packages/t-pages-libfoo",
	    "/source-packages/",
	    "/source-packages/t-pages-foo",
	    "/kernels/",
	    "/search?q=t-pages",
	};
	size_t i, n = sizeof(fixed) / sizeof(fixed[0]);

	for (i = 0; i < n; i++)
		snprintf(paths[i], 128, "%s", fixed[i]);
	snprintf(paths[n], 128, "/kernels/%lld", (long long)kernel_id());
	return n + 1;
}

START_TEST(test_head)
{
	struct it_request req = {.method = "HEAD"};
	struct it_response r;
	char paths[16][128];
	size_t i, n = pages(paths);

	for (i = 0; i < n; i++) {
		it_do(it_http(paths[i]), &req, &r);
		ck_assert_msg(r.status == 200, "HEAD %s: HTTP %ld", paths[i], r.status);
		ck_assert_uint_eq(r.len, 0);
		ck_assert_str_eq(it_header(&r, "Content-Type"), HTML_TYPE);
		it_response_free(&r);
	}
}
END_TEST

/* The pages are read-only on both vhosts. */
START_TEST(test_post_not_allowed)
{
	struct it_request req = {.method = "POST", .body = "{}", .body_len = 2};
	const char *(*base[])(const char *) = {it_http, it_https};
	struct it_response r;
	char paths[16][128];
	size_t i, b, n = pages(paths);

	for (b = 0; b < 2; b++) {
		for (i = 0; i < n; i++) {
			it_do(base[b](paths[i]), &req, &r);
			ck_assert_msg(r.status == 405, "POST %s: HTTP %ld", paths[i], r.status);
			ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD");
			it_response_free(&r);
		}
	}
}
END_TEST

/* --- search ------------------------------------------------------------------------------ */

static const char *const groups[] = {
    "hosts",
    "images",
    "packages",
    "source_packages",
    "kernels",
    "package_versions",
    "source_package_versions",
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* GET /search?q=... as JSON: every group is a list, and query is the decoded text. */
static json_t *
search(const char *q_encoded, const char *q)
{
	char path[1024];
	json_t *j;
	size_t i;

	snprintf(path, sizeof(path), "/search?q=%s", q_encoded);
	j = it_get_json(path, NULL);
	ck_assert_str_eq(it_str(j, "query"), q);
	for (i = 0; i < NGROUPS; i++)
		list(j, groups[i]);
	return j;
}

static void
assert_empty(const json_t *j)
{
	size_t i;

	for (i = 0; i < NGROUPS; i++)
		ck_assert_msg(json_array_size(list(j, groups[i])) == 0, "\"%s\" is not empty",
		              groups[i]);
}

START_TEST(test_search_groups)
{
	json_t *j = search("t-pages", "t-pages");
	const json_t *k;

	must_find(list(j, "hosts"), "name", HOST_A);
	must_find(list(j, "hosts"), "name", HOST_B);
	must_find(list(j, "images"), "name", IMAGE);
	must_find(list(j, "packages"), "name", "t-pages-libfoo");
	must_find(list(j, "packages"), "name", EVIL);
	must_find(list(j, "source_packages"), "name", "t-pages-foo");
	must_find(list(j, "source_packages"), "name", EVIL_SRC);
	k = must_find(list(j, "kernels"), "name", KERNEL);
	ck_assert_int_eq(integer(k, "id"), kernel_id());
	ck_assert_str_eq(it_str(k, "os"), "Debian 12");
	ck_assert_ptr_null(find(list(j, "hosts"), "name", "t-pages-libfoo"));
	json_decref(j);
}
END_TEST

START_TEST(test_search_versions)
{
	json_t *j = search("~tpv1", "~tpv1");
	const json_t *v;
	size_t i;

	for (i = 0; i < 2; i++) {
		v = list(j, i == 0 ? "package_versions" : "source_package_versions");
		ck_assert_uint_eq(json_array_size(v), 2);
		ck_assert_str_eq(it_str(json_array_get(v, 0), "name"), "t-pages-tool");
		ck_assert_str_eq(it_str(json_array_get(v, 0), "version"), "3.0~tpv1");
		ck_assert_str_eq(it_str(json_array_get(v, 0), "os"), "Debian 11");
		ck_assert_str_eq(it_str(json_array_get(v, 1), "os"), "Debian 12");
	}
	ck_assert_uint_eq(json_array_size(list(j, "packages")), 0);
	json_decref(j);
}
END_TEST

/* Case does not matter; %, _ and \ are plain characters, not LIKE wildcards. */
START_TEST(test_search_matching)
{
	json_t *j = search("T-PAGES-LIB", "T-PAGES-LIB");

	must_find(list(j, "packages"), "name", "t-pages-libfoo");
	must_find(list(j, "packages"), "name", "t-pages-libbar");
	ck_assert_uint_eq(json_array_size(list(j, "packages")), 2);
	json_decref(j);
	j = search("t%25pages-lib", "t%pages-lib");
	assert_empty(j);
	json_decref(j);
	j = search("t_pages-lib", "t_pages-lib");
	assert_empty(j);
	json_decref(j);
	j = search("t-pages-x%3Cscript%3E%22%27%26", EVIL);
	must_find(list(j, "packages"), "name", EVIL);
	json_decref(j);
}
END_TEST

/* The minimum counts characters, not bytes; under it nothing is searched. */
START_TEST(test_search_min_length)
{
	json_t *j = search("t-", "t-");
	char *page;

	assert_empty(j);
	json_decref(j);
	j = search("-%C3%BC", "-\xc3\xbc");
	assert_empty(j);
	json_decref(j);
	j = search("s-%C3%BC", "s-\xc3\xbc");
	must_find(list(j, "packages"), "name", UML);
	json_decref(j);
	j = search("", "");
	assert_empty(j);
	json_decref(j);
	page = get_html("/search?q=t-");
	assert_has(page, "at least 3 characters", "/search?q=t-");
	ck_assert_ptr_null(strstr(page, "<h2"));
	free(page);
}
END_TEST

START_TEST(test_search_bad_query)
{
	static const char *const paths[] = {
	    "/search?x=abc",     "/search?q=abc&q=abd", "/search?q=abc&x=1", "/search?q=%zzabc",
	    "/search?q=abc%00d", "/search?q=%FF%FEabc", "/search?q",         "/search?q=abc&",
	};
	struct it_response r;
	char path[1024];
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		it_do(it_http(paths[i]), NULL, &r);
		ck_assert_msg(r.status == 400, "GET %s: HTTP %ld", paths[i], r.status);
		/* A page's bad query gets a page saying why (JSON asked, a JSON object). */
		ck_assert_str_eq(it_header(&r, "Content-Type"), "text/html; charset=utf-8");
		it_response_free(&r);
	}
	snprintf(path, sizeof(path), "/search?q=%0256d", 0);
	ck_assert_int_eq(status_of(path, NULL), 400);
	snprintf(path, sizeof(path), "/search?q=%0255d", 0);
	ck_assert_int_eq(status_of(path, NULL), 200);
}
END_TEST

START_TEST(test_search_html)
{
	const char *path = "/search?q=t-pages";
	char *page = get_html(path), want[256];
	size_t i;

	for (i = 0; i < NGROUPS; i++) {
		snprintf(want, sizeof(want), "<h2 id=\"%s\">", groups[i]);
		assert_has(page, want, path);
	}
	assert_has(page, "<a href=\"/hosts/" HOST_A "\">" HOST_A "</a>", path);
	assert_has(page, "<a href=\"/images/" IMAGE "\">" IMAGE "</a>", path);
	assert_has(page, "<a href=\"/packages/" EVIL_URL "\">" EVIL_HTML "</a>", path);
	assert_has(page, "<a href=\"/source-packages/" EVIL_SRC_URL "\">" EVIL_SRC_HTML "</a>",
	           path);
	snprintf(want, sizeof(want), "<a href=\"/kernels/%lld\">" KERNEL_HTML "</a>",
	         (long long)kernel_id());
	assert_has(page, want, path);
	free(page);
	page = get_html("/search?q=" EVIL_URL);
	assert_has(page, "<strong>" EVIL_HTML "</strong>", "search for " EVIL);
	free(page);
	page = get_html("/search?q=1.0%3Cscript");
	assert_has(page, "<td>" EVIL_VERSION_HTML "</td>", "search for " EVIL_VERSION);
	assert_has(page, "<a href=\"/source-packages/" EVIL_SRC_URL "\">",
	           "search for " EVIL_VERSION);
	free(page);
}
END_TEST

/*
 * A search that matches more than the page shows: the first 100 of each group, and a link
 * to the group's list filtered by the same text; the JSON answer has them all.
 */
START_TEST(test_search_many)
{
	const char *path = "/search?q=t-srch-";
	char spec[120 * 24] = "", *page, *end;
	const char *at;
	json_t *j;
	size_t i, n;

	for (i = 0; i < 120; i++)
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%st-srch-%03zu=1.0-1",
		         i ? " " : "", i);
	report_host("t-pages-many.example.org", spec, "");
	page = get_html(path);
	assert_has(page, "<h2 id=\"packages\">Packages <span class=\"muted\">(120)</span>", path);
	at = strstr(page, "<h2 id=\"packages\">");
	end = strstr(at, "<h2 id=\"source_packages\">");
	ck_assert_ptr_nonnull(end);
	for (n = 0; (at = strstr(at, "<a href=\"/packages/t-srch-")) != NULL && at < end; at++)
		n++;
	ck_assert_uint_eq(n, 100);
	/* 100 rows make a long table, laid out when it comes near the window. */
	ck_assert_msg(
	    strstr(strstr(page, "<h2 id=\"packages\">"), "<div class=\"long\">\n<table>") < end,
	    "the packages' table is not in a long box");
	assert_has(page, "The first 100 of 120: <a href=\"/packages/?q=t-srch-\">all of them</a>.",
	           path);
	assert_has(page,
	           "The first 100 of 120: <a href=\"/source-packages/?q=t-srch-\">all of "
	           "them</a>.",
	           path);
	free(page);
	j = search("t-srch-", "t-srch-");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "packages")), 120);
	json_decref(j);
	j = it_get_json("/packages/?q=t-srch-", NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "packages")), 120);
	json_decref(j);
	/* The other tests count the hosts of the kernel. */
	it_forget("hosts", "t-pages-many.example.org");
}
END_TEST

Suite *
make_it_pages_suite(void)
{
	Suite *s = suite_create("integration: pages");
	TCase *dash = tcase_create("dashboard");
	TCase *pkgs = tcase_create("packages");
	TCase *kern = tcase_create("kernels");
	TCase *http = tcase_create("errors and methods");
	TCase *find_ = tcase_create("search");
	TCase *all[] = {dash, pkgs, kern, http, find_};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		tcase_set_timeout(all[i], 60);
		tcase_add_checked_fixture(all[i], seed, NULL);
		suite_add_tcase(s, all[i]);
	}
	tcase_add_test(dash, test_dashboard_json);
	tcase_add_test(dash, test_dashboard_html);
	tcase_add_test(pkgs, test_packages_json);
	tcase_add_test(pkgs, test_packages_html);
	tcase_add_test(pkgs, test_package_json);
	tcase_add_test(pkgs, test_package_html);
	tcase_add_test(pkgs, test_package_escaped);
	tcase_add_test(pkgs, test_source_packages);
	tcase_add_test(pkgs, test_source_package);
	tcase_add_test(pkgs, test_source_package_escaped);
	tcase_add_test(kern, test_kernels);
	tcase_add_test(kern, test_kernel);
	tcase_add_test(http, test_not_found);
	tcase_add_test(http, test_head);
	tcase_add_test(http, test_post_not_allowed);
	tcase_add_test(find_, test_search_groups);
	tcase_add_test(find_, test_search_versions);
	tcase_add_test(find_, test_search_matching);
	tcase_add_test(find_, test_search_min_length);
	tcase_add_test(find_, test_search_bad_query);
	tcase_add_test(find_, test_search_html);
	tcase_add_test(find_, test_search_many);
	return s;
}
