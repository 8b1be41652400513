/* it_hosts.c: host ingest, host detail and host removal through the real Apache and MariaDB. */
#include "integration.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/version.h"
#include "ingest/payload.h"

/* The CN the test instance lists in PROXY_HOSTS. */
#define PROXY "proxy-hosts.example.org"
#define KERNEL "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"
#define THREADS 8

/* --- payloads from short specs (it_spec_list) ----------------------------------------- */

/* One update; NULL members take the defaults: a full update of a Debian 12 host. */
struct upd {
	const char *type;
	const char *os;
	const char *kernel;
	const char *installed; /* specs; NULL: the key is left out */
	const char *uninstalled;
	const char *upgradable;
};

static json_t *
payload_json(const char *host, const struct upd *u)
{
	json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "api_version", "v1",
	                         "update_type", u->type ? u->type : "full", "hostname", host, "os",
	                         u->os ? u->os : "Debian 12", "running_kernel", "release",
	                         "6.1.0-18-amd64", "version", u->kernel ? u->kernel : KERNEL);

	ck_assert_ptr_nonnull(root);
	if (u->installed != NULL)
		json_object_set_new(root, "installed", it_spec_list(u->installed, 0));
	if (u->uninstalled != NULL)
		json_object_set_new(root, "uninstalled", it_spec_list(u->uninstalled, 0));
	if (u->upgradable != NULL)
		json_object_set_new(root, "upgradable", it_spec_list(u->upgradable, 1));
	return root;
}

static char *
payload(const char *host, const struct upd *u)
{
	return it_dump(payload_json(host, u));
}

/* --- requests -------------------------------------------------------------------------- */

static struct it_tls
proxy(void)
{
	return it_cert(PROXY);
}

static void
post_as(const char *name, const char *body, size_t len, const struct it_tls *tls,
        struct it_response *r)
{
	struct it_request req = {.method = "POST", .body = body, .body_len = len, .tls = tls};
	char path[1024];

	snprintf(path, sizeof(path), "/hosts/%s/update", name);
	it_do(it_https(path), &req, r);
}

/* Posts the update as the proxy; it must be accepted. */
static void
update_ok(const char *host, const struct upd *u)
{
	struct it_tls tls = proxy();
	struct it_response r;
	char *body = payload(host, u);

	post_as(host, body, strlen(body), &tls, &r);
	it_assert_created(host, &r);
	it_response_free(&r);
	free(body);
}

static void
delete_as(const char *name, const struct it_tls *tls, struct it_response *r)
{
	struct it_request req = {.method = "DELETE", .tls = tls};
	char path[1024];

	snprintf(path, sizeof(path), "/hosts/%s", name);
	it_do(it_https(path), &req, r);
}

static json_t *
get_host(const char *host)
{
	json_t *j = it_get_subject(it_http, "hosts", host);

	ck_assert_msg(j != NULL, "GET /hosts/%s: 404", host);
	return j;
}

/* GET /hosts/NAME lists exactly the packages of spec, with their versions and upgrades. */
static void
assert_packages(const char *host, const char *spec)
{
	json_t *h = get_host(host);

	it_assert_packages(h, host, spec);
	json_decref(h);
}

/* Removes a host, so a test starts from nothing. */
static void
fresh(const char *host)
{
	it_forget("hosts", host);
}

static long long
host_count(const char *host)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM host WHERE name = '%s'", host);
	return it_db_count(sql);
}

/*
 * What the database must always hold for a host: the counts on its row match its rows;
 * every installed and upgradable version is of the right package and of the host's OS,
 * as is its kernel; every version's source version is of the same OS.
 */
static void
assert_consistent(const char *host)
{
	static const struct {
		const char *from;
		const char *bad;
	} checks[] = {
	    {"host h",
	     "h.packages <> (SELECT COUNT(*) FROM host_package hp WHERE hp.host_id = h.id) OR "
	     "h.upgrades <> (SELECT COUNT(*) FROM host_package hp WHERE hp.host_id = h.id AND "
	     "hp.upgradable_version_id IS NOT NULL) OR h.security_upgrades <> (SELECT COUNT(*) "
	     "FROM host_package hp WHERE hp.host_id = h.id AND hp.upgradable_version_id IS NOT "
	     "NULL AND hp.upgrade_type = 1)"},
	    {"host h JOIN host_package hp ON hp.host_id = h.id JOIN package_version pv ON pv.id = "
	     "hp.package_version_id",
	     "pv.os_id <> h.os_id OR pv.package_id <> hp.package_id"},
	    {"host h JOIN host_package hp ON hp.host_id = h.id JOIN package_version pv ON pv.id = "
	     "hp.upgradable_version_id",
	     "pv.os_id <> h.os_id OR pv.package_id <> hp.package_id"},
	    {"host h JOIN host_package hp ON hp.host_id = h.id JOIN package_version pv ON pv.id IN "
	     "(hp.package_version_id, hp.upgradable_version_id) JOIN source_package_version spv ON "
	     "spv.id = pv.source_package_version_id",
	     "spv.os_id <> pv.os_id"},
	    {"host h JOIN kernel_version k ON k.id = h.kernel_id", "k.os_id <> h.os_id"},
	};
	char sql[2048];
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE h.name = '%s' AND (%s)",
		         checks[i].from, host, checks[i].bad);
		ck_assert_msg(it_db_count(sql) == 0, "%s: inconsistent rows: %s", host, sql);
	}
}

static void
restore(void)
{
	it_config_restore();
}

/* --- who may update -------------------------------------------------------------------- */

START_TEST(test_update_own_cn)
{
	const char *host = "t-own-cn.example.org";
	struct it_tls own = it_cert(host);
	struct it_response r;
	char *body;

	fresh(host);
	body = payload(host, &(struct upd){.installed = "t-own-a=1.0-1 t-own-b=2.0-1@t-own-src"});
	post_as(host, body, strlen(body), &own, &r);
	it_assert_created("own CN", &r);
	it_response_free(&r);
	free(body);
	assert_packages(host, "t-own-a=1.0-1 t-own-b=2.0-1@t-own-src");
	assert_consistent(host);
}
END_TEST

START_TEST(test_update_proxy_cn)
{
	const char *host = "t-proxy-cn.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-proxy-a=1"});
	assert_packages(host, "t-proxy-a=1");
}
END_TEST

/* Another host's certificate may not write: 403 naming the CN, and nothing changes. */
START_TEST(test_update_other_cn)
{
	const char *host = "t-victim.example.org";
	struct it_tls intruder = it_cert("t-intruder.example.org");
	struct it_response r;
	char *before, *body;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-victim-a=1"});
	body = payload(host, &(struct upd){.installed = "t-victim-a=666"});
	before = it_db_snapshot();
	post_as(host, body, strlen(body), &intruder, &r);
	it_assert_rejected("another CN", before, &r, 403);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strstr(r.body, "t-intruder.example.org") != NULL,
	              "403 does not name the CN: %s", r.body);
	it_response_free(&r);
	free(before);
	free(body);
	assert_packages(host, "t-victim-a=1");
}
END_TEST

/* The instance's own certificate is a PROXY_IMAGES CN: that grants nothing on hosts. */
START_TEST(test_update_image_proxy_is_not_host_proxy)
{
	const char *host = "t-not-proxy.example.org";
	struct it_response r;
	char *before, *body;

	fresh(host);
	body = payload(host, &(struct upd){.installed = "t-np-a=1"});
	before = it_db_snapshot();
	post_as(host, body, strlen(body), NULL, &r);
	it_assert_rejected("PROXY_IMAGES CN", before, &r, 403);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	it_response_free(&r);
	free(before);
	free(body);
	ck_assert_int_eq(host_count(host), 0);
}
END_TEST

START_TEST(test_update_no_certificate)
{
	const char *host = "t-no-cert.example.org";
	struct it_tls none = {NULL, NULL};
	struct it_response r;
	char *body;

	fresh(host);
	body = payload(host, &(struct upd){.installed = "t-nc-a=1"});
	post_as(host, body, strlen(body), &none, &r);
	ck_assert_msg(r.curl != CURLE_OK, "expected a TLS failure, got HTTP %ld: %s", r.status,
	              r.body);
	ck_assert_int_eq(r.status, 0);
	it_response_free(&r);
	free(body);
	ck_assert_int_eq(host_count(host), 0);
}
END_TEST

/* The pages vhost has no write route: never 201, nothing written. */
START_TEST(test_update_plain_vhost)
{
	const char *host = "t-plain.example.org";
	struct it_request req = {.method = "POST"};
	struct it_response r;
	char *before, *body;

	fresh(host);
	body = payload(host, &(struct upd){.installed = "t-plain-a=1"});
	req.body = body;
	req.body_len = strlen(body);
	before = it_db_snapshot();
	it_do(it_http("/hosts/t-plain.example.org/update"), &req, &r);
	ck_assert_msg(r.status == 404 || r.status == 405, "HTTP %ld: %s", r.status, r.body);
	it_assert_rejected("plain vhost", before, &r, r.status);
	it_response_free(&r);
	free(before);
	free(body);
	ck_assert_int_eq(host_count(host), 0);
}
END_TEST

START_TEST(test_update_wrong_method)
{
	struct it_tls tls = proxy();
	struct it_request req = {.tls = &tls};
	struct it_response r;
	const char *allow;

	it_do(it_https("/hosts/t-method.example.org/update"), &req, &r);
	ck_assert_msg(r.status == 405, "GET on update: HTTP %ld: %s", r.status, r.body);
	ck_assert_ptr_nonnull(allow = it_header(&r, "Allow"));
	ck_assert_msg(strstr(allow, "POST") != NULL, "Allow: %s", allow);
	it_response_free(&r);
}
END_TEST

/* A name in the URL is at most 255 bytes: a longer one is bad input, nothing is written. */
START_TEST(test_update_name_too_long)
{
	struct it_tls tls = proxy();
	struct it_response r;
	char name[300], *before, *body;

	memset(name, 'n', 256);
	memcpy(name + 256 - 12, ".example.org", 12);
	name[256] = '\0';
	body = payload(name, &(struct upd){.installed = "t-long-a=1"});
	before = it_db_snapshot();
	post_as(name, body, strlen(body), &tls, &r);
	it_assert_rejected("256-byte name", before, &r, 400);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	it_response_free(&r);
	free(before);
	free(body);
}
END_TEST

/* Names in URLs are percent-decoded before they are compared and stored. */
START_TEST(test_update_percent_decoded)
{
	const char *host = "t-pct-decoded.example.org";
	struct it_tls tls = proxy();
	struct it_response r;
	char *body;

	fresh(host);
	body = payload(host, &(struct upd){.installed = "t-pct-a=1"});
	post_as("t-pct%2Ddecoded%2Eexample.org", body, strlen(body), &tls, &r);
	it_assert_created("percent-encoded URL", &r);
	it_response_free(&r);
	free(body);
	assert_packages(host, "t-pct-a=1");
}
END_TEST

/* --- GET /hosts/NAME ------------------------------------------------------------------- */

/* Every listed package has the fields of debmonitor-api(7), an upgrade two strings or nulls. */
static void
assert_package_shape(const json_t *p)
{
	const json_t *uv = json_object_get(p, "upgradable_version");
	const json_t *ut = json_object_get(p, "upgrade_type");

	ck_assert_msg(json_is_object(p), "a package is not an object");
	it_str(p, "name");
	it_str(p, "version");
	it_str(p, "source");
	ck_assert_msg((json_is_null(uv) && json_is_null(ut)) ||
	                  (json_is_string(uv) && json_is_string(ut)),
	              "%s: upgradable_version and upgrade_type must be both null or both strings",
	              it_str(p, "name"));
	if (json_is_string(ut))
		ck_assert_msg(strcmp(json_string_value(ut), "security") == 0 ||
		                  strcmp(json_string_value(ut), "") == 0,
		              "%s: upgrade_type \"%s\"", it_str(p, "name"), json_string_value(ut));
}

START_TEST(test_get_json_shape)
{
	const char *host = "t-shape.example.org";
	const json_t *p;
	json_t *h;
	time_t created, modified, now = time(NULL);
	size_t i;

	fresh(host);
	update_ok(host,
	          &(struct upd){.installed = "t-shape-a=1.0 t-shape-b=2.0@t-shape-src "
	                                     "t-shape-c=3.0",
	                        .upgradable = "t-shape-a=1.0>1.1!security t-shape-c=3.0>3.1!"});
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "name"), host);
	ck_assert_str_eq(it_str(h, "os"), "Debian 12");
	ck_assert_str_eq(it_str(h, "kernel"), KERNEL);
	created = it_iso_time(it_str(h, "created"));
	modified = it_iso_time(it_str(h, "modified"));
	ck_assert_msg(created <= modified, "created %s after modified %s", it_str(h, "created"),
	              it_str(h, "modified"));
	/* UTC: within a few minutes of now, whatever the machine's time zone. */
	ck_assert_msg(llabs((long long)(modified - now)) < 300, "modified %s is not now (UTC)",
	              it_str(h, "modified"));
	ck_assert_uint_eq(json_array_size(json_object_get(h, "packages")), 3);
	json_array_foreach (json_object_get(h, "packages"), i, p) {
		assert_package_shape(p);
	}
	json_decref(h);
	assert_packages(host, "t-shape-a=1.0>1.1!security t-shape-b=2.0@t-shape-src "
	                      "t-shape-c=3.0>3.1!");
}
END_TEST

/* The same data on both vhosts. */
START_TEST(test_get_both_vhosts)
{
	const char *host = "t-vhosts.example.org";
	json_t *a, *b;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-vh-a=1", .upgradable = "t-vh-a=1>2"});
	a = it_get_subject(it_http, "hosts", host);
	b = it_get_subject(it_https, "hosts", host);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(json_equal(a, b), "the vhosts answer differently");
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(test_get_unknown)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;

	fresh("t-unknown.example.org");
	it_do(it_http("/hosts/t-unknown.example.org"), &req, &r);
	ck_assert_int_eq(r.status, 404);
	it_response_free(&r);
	it_do(it_http("/hosts/t-unknown.example.org"), NULL, &r);
	ck_assert_int_eq(r.status, 404);
	it_response_free(&r);
}
END_TEST

/* What a client sent is text on the page, never markup; JSON keeps it as it was. */
START_TEST(test_get_escapes_client_data)
{
	const char *host = "t-escape.example.org";
	struct it_tls tls = proxy();
	struct it_response r;
	json_t *j, *idx;
	char *body;

	fresh(host);
	j = payload_json(host, &(struct upd){0});
	json_object_set_new(j, "installed",
	                    json_pack("[{s:s, s:s, s:s}]", "name", "<script>t-x</script>",
	                              "version", "1&2\"'<t-v>", "source", "t-esc<t-s>src"));
	body = it_dump(j);
	post_as(host, body, strlen(body), &tls, &r);
	it_assert_created("markup in names", &r);
	it_response_free(&r);
	free(body);
	it_do(it_http("/hosts/t-escape.example.org"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_msg(strstr(r.body, "&lt;script&gt;t-x&lt;/script&gt;") != NULL,
	              "escaped name not on the page");
	ck_assert_msg(strstr(r.body, "<script>t-x") == NULL, "unescaped name on the page");
	ck_assert_msg(strstr(r.body, "<t-v>") == NULL && strstr(r.body, "<t-s>") == NULL,
	              "unescaped version or source on the page");
	it_response_free(&r);
	j = get_host(host);
	idx = it_packages_by_name(j);
	ck_assert_ptr_nonnull(json_object_get(idx, "<script>t-x</script>"));
	ck_assert_str_eq(it_str(json_object_get(idx, "<script>t-x</script>"), "version"),
	                 "1&2\"'<t-v>");
	json_decref(idx);
	json_decref(j);
}
END_TEST

/* The page of host as a browser gets it: malloc'd. */
static char *
get_page(const char *path)
{
	struct it_response r;
	char *body;

	it_do(it_http(path), NULL, &r);
	ck_assert_msg(r.status == 200, "GET %s: HTTP %ld", path, r.status);
	body = r.body;
	r.body = NULL;
	it_response_free(&r);
	return body;
}

/* HOST_EXTERNAL_LINKS: {fqdn} and {hostname} URL-escaped, the href escaped again. */
START_TEST(test_get_external_links)
{
	const char *host = "t-links.example.org";
	const json_t *links;
	char *page;
	json_t *h;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-links-a=1"});
	it_config_set(NULL, "HOST_EXTERNAL_LINKS",
	              json_pack("{s:s, s:s}", "Grafana",
	                        "https://g.example.org/d?h={hostname}&f={fqdn}", "Netbox <x>",
	                        "https://n.example.org/{fqdn}/{other}"));
	h = get_host(host);
	links = json_object_get(h, "external_links");
	ck_assert_uint_eq(json_object_size(links), 2);
	ck_assert_str_eq(it_str(links, "Grafana"),
	                 "https://g.example.org/d?h=t-links&f=t-links.example.org");
	ck_assert_str_eq(it_str(links, "Netbox <x>"),
	                 "https://n.example.org/t-links.example.org/{other}");
	json_decref(h);
	page = get_page("/hosts/t-links.example.org");
	ck_assert_msg(strstr(page, "<a href=\"https://g.example.org/d?h=t-links&amp;"
	                           "f=t-links.example.org\"") != NULL,
	              "no Grafana link: %s", page);
	ck_assert_msg(strstr(page, ">Netbox &lt;x&gt;</a>") != NULL, "no Netbox link: %s", page);
	free(page);
}
END_TEST

/* The "stale" member of host in the JSON of /hosts/. */
static int
listed_stale(const char *host)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;
	const json_t *h;
	json_t *j;
	size_t i;
	int stale = -1;

	it_do(it_http("/hosts/"), &req, &r);
	ck_assert_ptr_nonnull(j = json_loadb(r.body, r.len, 0, NULL));
	json_array_foreach (json_object_get(j, "hosts"), i, h) {
		if (strcmp(it_str(h, "name"), host) == 0)
			stale = json_is_true(json_object_get(h, "stale"));
	}
	ck_assert_msg(stale != -1, "%s is not in /hosts/", host);
	json_decref(j);
	it_response_free(&r);
	return stale;
}

/* A host whose last report is more than a day old is marked stale, on both pages. */
START_TEST(test_get_stale)
{
	const char *host = "t-stale.example.org";
	const char *row = "<tr class=\"stale\"><td><a href=\"/hosts/t-stale.example.org\">";
	char *page;
	json_t *h;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-stale-a=1"});
	h = get_host(host);
	ck_assert(json_is_false(json_object_get(h, "stale")));
	json_decref(h);
	page = get_page("/hosts/");
	ck_assert_msg(strstr(page, row) == NULL, "a fresh host is marked stale");
	free(page);
	ck_assert_int_eq(listed_stale(host), 0);
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 25 HOUR"
	           " WHERE name = 't-stale.example.org'");
	h = get_host(host);
	ck_assert(json_is_true(json_object_get(h, "stale")));
	json_decref(h);
	page = get_page("/hosts/");
	ck_assert_msg(strstr(page, row) != NULL, "the stale host is not marked: %s", page);
	free(page);
	ck_assert_int_eq(listed_stale(host), 1);
	page = get_page("/hosts/t-stale.example.org");
	ck_assert_msg(strstr(page, ">stale</span>") != NULL, "no stale badge: %s", page);
	free(page);
}
END_TEST

/* --- what each update type does ------------------------------------------------------- */

START_TEST(test_full_replaces_set)
{
	const char *host = "t-full.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-fr-a=1 t-fr-b=1 t-fr-c=1",
	                              .upgradable = "t-fr-b=1>2"});
	assert_packages(host, "t-fr-a=1 t-fr-b=1>2! t-fr-c=1");
	assert_consistent(host);
	update_ok(host, &(struct upd){.installed = "t-fr-a=2 t-fr-c=1 t-fr-d=1@t-fr-dsrc",
	                              .upgradable = "t-fr-c=1>3!security"});
	assert_packages(host, "t-fr-a=2 t-fr-c=1>3!security t-fr-d=1@t-fr-dsrc");
	assert_consistent(host);
	/* An absent list is an empty one: the host has no packages left. */
	update_ok(host, &(struct upd){0});
	assert_packages(host, "");
	assert_consistent(host);
	update_ok(host,
	          &(struct upd){.installed = "t-fr-a=3", .uninstalled = "", .upgradable = ""});
	assert_packages(host, "t-fr-a=3");
	assert_consistent(host);
}
END_TEST

START_TEST(test_full_clears_upgrades_not_resent)
{
	const char *host = "t-full-upg.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-fc-a=1 t-fc-b=1",
	                              .upgradable = "t-fc-a=1>2!security t-fc-b=1>3"});
	assert_packages(host, "t-fc-a=1>2!security t-fc-b=1>3!");
	update_ok(host,
	          &(struct upd){.installed = "t-fc-a=1 t-fc-b=1", .upgradable = "t-fc-b=1>3"});
	assert_packages(host, "t-fc-a=1 t-fc-b=1>3!");
	assert_consistent(host);
	update_ok(host, &(struct upd){.installed = "t-fc-a=1 t-fc-b=1"});
	assert_packages(host, "t-fc-a=1 t-fc-b=1");
	assert_consistent(host);
}
END_TEST

START_TEST(test_upgradable_changes_only_upgrades)
{
	const char *host = "t-upgradable.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-up-a=1 t-up-b=1 t-up-c=1@t-up-csrc"});
	update_ok(host, &(struct upd){.type = "upgradable",
	                              .upgradable = "t-up-a=1>2!security t-up-b=1>1.5!"});
	assert_packages(host, "t-up-a=1>2!security t-up-b=1>1.5! t-up-c=1@t-up-csrc");
	assert_consistent(host);
}
END_TEST

/* A package the host never reported is added at version_from, with its upgrade. */
START_TEST(test_upgradable_adds_unknown_package)
{
	const char *host = "t-upgradable-new.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-un-a=1"});
	update_ok(host, &(struct upd){.type = "upgradable",
	                              .upgradable = "t-un-new=0.9>1.0@t-un-newsrc!security"});
	assert_packages(host, "t-un-a=1 t-un-new=0.9>1.0@t-un-newsrc!security");
	assert_consistent(host);
	/* A host's first report may be an upgradable one. */
	fresh(host);
	update_ok(host, &(struct upd){.type = "upgradable", .upgradable = "t-un-b=2>3"});
	assert_packages(host, "t-un-b=2>3!");
	assert_consistent(host);
}
END_TEST

START_TEST(test_dpkg_hook)
{
	const char *host = "t-dpkg.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-dh-a=1 t-dh-b=1 t-dh-c=1 t-dh-e=1 t-dh-f=1",
	                              .upgradable = "t-dh-a=1>3!security t-dh-b=1>2 t-dh-e=1>2 "
	                                            "t-dh-f=1>2!security"});
	/*
	 * a: a new version, not the one offered: the upgrade goes. b: same version, keeps its
	 * upgrade. c: removed. d: new. e: not mentioned, untouched. f: upgraded as offered.
	 */
	update_ok(host, &(struct upd){.type = "dpkg_hook",
	                              .installed = "t-dh-a=2 t-dh-b=1 t-dh-d=1@t-dh-dsrc t-dh-f=2",
	                              .uninstalled = "t-dh-c=1"});
	assert_packages(host, "t-dh-a=2 t-dh-b=1>2! t-dh-d=1@t-dh-dsrc t-dh-e=1>2! t-dh-f=2");
	assert_consistent(host);
	/* Only removals; one of a package the host does not have is harmless. */
	update_ok(host, &(struct upd){.type = "dpkg_hook", .uninstalled = "t-dh-b=1 t-dh-zz=1"});
	assert_packages(host, "t-dh-a=2 t-dh-d=1@t-dh-dsrc t-dh-e=1>2! t-dh-f=2");
	assert_consistent(host);
}
END_TEST

/* As upstream: the "uninstalled" entries go in every update type, after "installed". */
START_TEST(test_uninstalled_every_type)
{
	const char *host = "t-uninstalled.example.org";
	const struct upd full = {.installed = "t-ui-a=1 t-ui-c=1 t-ui-d=1 t-ui-e=1",
	                         .uninstalled = "t-ui-d=1"};

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-ui-a=1 t-ui-b=1 t-ui-c=1 t-ui-d=1",
	                              .upgradable = "t-ui-c=1>2!security"});
	update_ok(host, &(struct upd){.type = "upgradable",
	                              .uninstalled = "t-ui-b=1",
	                              .upgradable = "t-ui-a=1>2"});
	assert_packages(host, "t-ui-a=1>2! t-ui-c=1>2!security t-ui-d=1");
	assert_consistent(host);
	/* A full report listing a package in both lists: uninstalled wins, as upstream's. */
	update_ok(host, &full);
	assert_packages(host, "t-ui-a=1 t-ui-c=1 t-ui-e=1");
	assert_consistent(host);
	/* The same report again (only the times change), then without its uninstalled list. */
	update_ok(host, &full);
	assert_packages(host, "t-ui-a=1 t-ui-c=1 t-ui-e=1");
	update_ok(host, &(struct upd){.installed = full.installed});
	assert_packages(host, "t-ui-a=1 t-ui-c=1 t-ui-d=1 t-ui-e=1");
	assert_consistent(host);
}
END_TEST

START_TEST(test_version_to_installed_clears_upgrade)
{
	const char *host = "t-same-version.example.org";

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-sv-a=2 t-sv-b=1",
	                              .upgradable = "t-sv-a=1>2 t-sv-b=1>2!security"});
	assert_packages(host, "t-sv-a=2 t-sv-b=1>2!security");
	update_ok(host, &(struct upd){.type = "upgradable", .upgradable = "t-sv-b=1>1!security"});
	assert_packages(host, "t-sv-a=2 t-sv-b=1");
	assert_consistent(host);
}
END_TEST

START_TEST(test_security_type)
{
	const char *host = "t-security.example.org";
	char sql[256];

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-st-a=1 t-st-b=1 t-st-c=1",
	                              .upgradable = "t-st-a=1>2!security t-st-b=1>2! t-st-c=1>2"});
	assert_packages(host, "t-st-a=1>2!security t-st-b=1>2! t-st-c=1>2!");
	snprintf(sql, sizeof(sql), "SELECT security_upgrades FROM host WHERE name = '%s'", host);
	ck_assert_int_eq(it_db_count(sql), 1);
	/* The type follows the latest report, both ways. */
	update_ok(host, &(struct upd){.type = "upgradable",
	                              .upgradable = "t-st-a=1>2 t-st-b=1>2!security t-st-c=1>2!"});
	assert_packages(host, "t-st-a=1>2! t-st-b=1>2!security t-st-c=1>2!");
	ck_assert_int_eq(it_db_count(sql), 1);
	assert_consistent(host);
}
END_TEST

/* Every update, of any type, refreshes kernel, OS and last-update time; created stays. */
START_TEST(test_kernel_os_modified_refreshed)
{
	const char *host = "t-refresh.example.org";
	json_t *h;
	char created[32], modified[32];

	fresh(host);
	update_ok(host, &(struct upd){.kernel = "#1 t-refresh old", .installed = "t-rf-a=1"});
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "kernel"), "#1 t-refresh old");
	snprintf(created, sizeof(created), "%s", it_str(h, "created"));
	snprintf(modified, sizeof(modified), "%s", it_str(h, "modified"));
	json_decref(h);
	sleep(1); /* DATETIME counts seconds */
	update_ok(host, &(struct upd){.type = "upgradable", .kernel = "#2 t-refresh new"});
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "kernel"), "#2 t-refresh new");
	ck_assert_str_eq(it_str(h, "created"), created);
	ck_assert_msg(strcmp(it_str(h, "modified"), modified) > 0, "modified %s not after %s",
	              it_str(h, "modified"), modified);
	snprintf(modified, sizeof(modified), "%s", it_str(h, "modified"));
	json_decref(h);
	sleep(1);
	update_ok(host, &(struct upd){.type = "dpkg_hook",
	                              .os = "Ubuntu 24.04",
	                              .kernel = "#3 t-refresh newer"});
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "kernel"), "#3 t-refresh newer");
	ck_assert_str_eq(it_str(h, "os"), "Ubuntu 24.04");
	ck_assert_msg(strcmp(it_str(h, "modified"), modified) > 0, "modified %s not after %s",
	              it_str(h, "modified"), modified);
	json_decref(h);
	assert_packages(host, "t-rf-a=1");
	assert_consistent(host);
}
END_TEST

/* The OS id of every version a host's rows point at, other than want: how many. */
static long long
versions_not_in(const char *host, const char *os)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM host h JOIN host_package hp ON hp.host_id = h.id JOIN "
	         "package_version pv ON pv.id IN (hp.package_version_id, "
	         "hp.upgradable_version_id) JOIN os o ON o.id = pv.os_id WHERE h.name = '%s' AND "
	         "o.name <> '%s'",
	         host, os);
	return it_db_count(sql);
}

/* An OS change moves all the host's package versions, and its kernel, to the new OS. */
START_TEST(test_os_change_moves_versions)
{
	const char *host = "t-os-change.example.org";
	const char *pkgs = "t-osc-a=1.0>1.1!security t-osc-b=2.0@t-osc-src";
	json_t *h;
	char sql[512];

	fresh(host);
	update_ok(host, &(struct upd){.os = "Debian 11",
	                              .installed = "t-osc-a=1.0 t-osc-b=2.0@t-osc-src",
	                              .upgradable = "t-osc-a=1.0>1.1!security"});
	ck_assert_int_eq(versions_not_in(host, "Debian 11"), 0);
	/* An upgradable report re-sends no installed list: the packages still move. */
	update_ok(host, &(struct upd){.type = "upgradable",
	                              .os = "Debian 12",
	                              .upgradable = "t-osc-a=1.0>1.1!security"});
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "os"), "Debian 12");
	json_decref(h);
	assert_packages(host, pkgs);
	ck_assert_int_eq(versions_not_in(host, "Debian 12"), 0);
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM host h JOIN os o ON o.id = h.os_id WHERE h.name = '%s' AND "
	         "o.name = 'Debian 12'",
	         host);
	ck_assert_int_eq(it_db_count(sql), 1);
	assert_consistent(host);
	/* A dpkg hook run that touches nothing moves them too. */
	update_ok(host, &(struct upd){.type = "dpkg_hook", .os = "Debian 13"});
	assert_packages(host, pkgs);
	ck_assert_int_eq(versions_not_in(host, "Debian 13"), 0);
	assert_consistent(host);
}
END_TEST

START_TEST(test_unknown_os_created)
{
	static const char *const oses[] = {"Ubuntu 99.10", "Debian 4242", "Debian"};
	char host[64], sql[256];
	json_t *h;
	size_t i;
	int round;

	for (i = 0; i < sizeof(oses) / sizeof(oses[0]); i++) {
		for (round = 0; round < 2; round++) {
			snprintf(host, sizeof(host), "t-new-os-%zu-%d.example.org", i, round);
			fresh(host);
			update_ok(host, &(struct upd){.os = oses[i], .installed = "t-nos-a=1"});
			h = get_host(host);
			ck_assert_str_eq(it_str(h, "os"), oses[i]);
			json_decref(h);
			assert_consistent(host);
		}
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM os WHERE name = '%s'", oses[i]);
		ck_assert_int_eq(it_db_count(sql), 1);
	}
}
END_TEST

/*
 * The same full report again after other updates changed the host: it is applied again,
 * not skipped as already seen. And the same report with only the kernel changed still
 * refreshes the kernel and the time.
 */
START_TEST(test_full_repeated)
{
	const char *host = "t-repeat.example.org";
	const struct upd full = {
	    .kernel = "#1 t-repeat", .installed = "t-rp-a=1 t-rp-b=1", .upgradable = "t-rp-a=1>2"};
	struct upd again = full;
	const char *state = "t-rp-a=1>2! t-rp-b=1";
	json_t *h;
	char modified[32];

	fresh(host);
	update_ok(host, &full);
	h = get_host(host);
	snprintf(modified, sizeof(modified), "%s", it_str(h, "modified"));
	json_decref(h);
	sleep(1);
	again.kernel = "#2 t-repeat";
	update_ok(host, &again);
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "kernel"), "#2 t-repeat");
	ck_assert_msg(strcmp(it_str(h, "modified"), modified) > 0, "modified %s not after %s",
	              it_str(h, "modified"), modified);
	json_decref(h);
	assert_packages(host, state);
	update_ok(
	    host,
	    &(struct upd){.type = "dpkg_hook", .installed = "t-rp-c=1", .uninstalled = "t-rp-b=1"});
	assert_packages(host, "t-rp-a=1>2! t-rp-c=1");
	update_ok(host, &full);
	assert_packages(host, state);
	update_ok(host, &(struct upd){.type = "upgradable", .upgradable = "t-rp-a=1>3!security"});
	assert_packages(host, "t-rp-a=1>3!security t-rp-b=1");
	update_ok(host, &full);
	assert_packages(host, state);
	/* The same packages on another OS: moved, not skipped. */
	again.os = "Debian 11";
	update_ok(host, &again);
	h = get_host(host);
	ck_assert_str_eq(it_str(h, "os"), "Debian 11");
	json_decref(h);
	assert_packages(host, state);
	ck_assert_int_eq(versions_not_in(host, "Debian 11"), 0);
	assert_consistent(host);
	/* Removed and reported again: back as a new host. */
	fresh(host);
	update_ok(host, &full);
	assert_packages(host, state);
	assert_consistent(host);
}
END_TEST

/* Two hosts with the same versions share the rows; nothing is stored twice. */
START_TEST(test_shared_rows)
{
	static const char *const counts[] = {
	    "SELECT COUNT(*) FROM package WHERE name LIKE 't-sh-%'",
	    "SELECT COUNT(*) FROM package_version pv JOIN package p ON p.id = pv.package_id "
	    "WHERE p.name LIKE 't-sh-%'",
	    "SELECT COUNT(*) FROM source_package WHERE name LIKE 't-sh-%'",
	    "SELECT COUNT(*) FROM source_package_version v JOIN source_package s ON s.id = "
	    "v.source_package_id WHERE s.name LIKE 't-sh-%'",
	};
	static const long long want[] = {2, 2, 1, 1};
	const char *spec = "t-sh-libssl=3.0@t-sh-openssl t-sh-openssl=3.0@t-sh-openssl";
	size_t i;

	fresh("t-shared-1.example.org");
	fresh("t-shared-2.example.org");
	update_ok("t-shared-1.example.org", &(struct upd){.installed = spec});
	update_ok("t-shared-2.example.org", &(struct upd){.installed = spec});
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		ck_assert_msg(it_db_count(counts[i]) == want[i], "%s: %lld, want %lld", counts[i],
		              it_db_count(counts[i]), want[i]);
	assert_packages("t-shared-1.example.org", spec);
	assert_packages("t-shared-2.example.org", spec);
}
END_TEST

/* Names are compared byte for byte: case and trailing spaces make different packages. */
START_TEST(test_names_byte_exact)
{
	const char *host = "t-exact.example.org";
	struct it_tls tls = proxy();
	struct it_response r;
	json_t *j, *idx;
	char *body;

	fresh(host);
	j = payload_json(host, &(struct upd){0});
	json_object_set_new(j, "installed",
	                    json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]", "name",
	                              "t-exact", "version", "1", "source", "t-exact", "name",
	                              "t-exact ", "version", "1 ", "source", "t-exact ", "name",
	                              "T-EXACT", "version", "1", "source", "T-EXACT"));
	body = it_dump(j);
	post_as(host, body, strlen(body), &tls, &r);
	it_assert_created("names differing in case and trailing space", &r);
	it_response_free(&r);
	free(body);
	j = get_host(host);
	idx = it_packages_by_name(j);
	ck_assert_uint_eq(json_object_size(idx), 3);
	ck_assert_str_eq(it_str(json_object_get(idx, "t-exact "), "version"), "1 ");
	ck_assert_str_eq(it_str(json_object_get(idx, "t-exact"), "version"), "1");
	ck_assert_ptr_nonnull(json_object_get(idx, "T-EXACT"));
	json_decref(idx);
	json_decref(j);
	assert_consistent(host);
}
END_TEST

/* --- source versions and version keys ------------------------------------------------ */

/* libldb2 is built by samba, whose version it does not carry. */
#define LDB "2:2.6.2+samba4.17.12+dfsg-0+deb12u1"
#define SAMBA "2:4.17.12+dfsg-0+deb12u1"
/* The test OSes of the kernel rows, which no other test uses. */
#define KERNEL_OS "Debian 1717"
#define KERNEL_UBUNTU_OS "Ubuntu 17.17"
#define KERNEL_UBUNTU "#110-Ubuntu SMP PREEMPT_DYNAMIC Fri Jan 26 13:28:29 UTC 2024"

/* The hosts of these tests: they alone have packages named t-srcv-*. */
static const char *const srcv_hosts[] = {
    "t-srcv-given.example.org",         "t-srcv-binnmu.example.org",
    "t-srcv-kept-a.example.org",        "t-srcv-kept-b.example.org",
    "t-srcv-move.example.org",          "t-srcv-kernel-debian.example.org",
    "t-srcv-kernel-ubuntu.example.org", "t-srcv-relink-a.example.org",
    "t-srcv-relink-b.example.org",      "t-srcv-relink-c.example.org",
    "t-srcv-relink-hook.example.org",
};

/*
 * Removes the hosts of these tests, then their packages, sources and versions, and the
 * kernels of the test OSes: each test creates them again, by the rules under test, since
 * an existing row keeps what it was created with.
 */
static void
fresh_srcv(void)
{
	size_t i;

	for (i = 0; i < sizeof(srcv_hosts) / sizeof(srcv_hosts[0]); i++)
		fresh(srcv_hosts[i]);
	it_db_exec("DELETE pv FROM package_version pv JOIN package p ON p.id = pv.package_id"
	           " WHERE p.name LIKE 't-srcv-%'");
	it_db_exec("DELETE spv FROM source_package_version spv JOIN source_package sp"
	           " ON sp.id = spv.source_package_id WHERE sp.name LIKE 't-srcv-%'");
	it_db_exec("DELETE FROM package WHERE name LIKE 't-srcv-%'");
	it_db_exec("DELETE FROM source_package WHERE name LIKE 't-srcv-%'");
	it_db_exec("DELETE k FROM kernel_version k JOIN os o ON o.id = k.os_id WHERE o.name IN"
	           " ('" KERNEL_OS "', '" KERNEL_UBUNTU_OS "')");
}

/* A version's sort key as the database shows it: HEX(version_key). */
static void
key_hex(const char *version, char *out, size_t len)
{
	unsigned char key[DM_VERSION_KEY_MAX];
	size_t i, n = dm_version_key(version, key, sizeof(key));

	for (i = 0; i < n && 2 * i + 2 < len; i++)
		snprintf(out + 2 * i, 3, "%02X", key[i]);
	out[2 * i] = '\0';
}

/* The source, source version and key a package version on os links to. */
static void
assert_source_on(const char *os, const char *package, const char *version, const char *source,
                 const char *source_version)
{
	char sql[2048], want[2048], hex[2 * DM_VERSION_KEY_MAX + 1], *got;

	snprintf(sql, sizeof(sql),
	         "SELECT CONCAT(sp.name, ' ', spv.version, ' ', COALESCE(HEX(spv.version_key),"
	         " 'NULL')) FROM package_version pv JOIN package p ON p.id = pv.package_id"
	         " JOIN os o ON o.id = pv.os_id JOIN source_package_version spv"
	         " ON spv.id = pv.source_package_version_id JOIN source_package sp"
	         " ON sp.id = spv.source_package_id"
	         " WHERE p.name = '%s' AND pv.version = '%s' AND o.name = '%s'",
	         package, version, os);
	key_hex(source_version, hex, sizeof(hex));
	snprintf(want, sizeof(want), "%s %s %s", source, source_version, hex);
	got = it_db_value(sql);
	ck_assert_msg(got != NULL && strcmp(got, want) == 0,
	              "%s %s on %s: source \"%s\", want \"%s\"", package, version, os,
	              got ? got : "(no version row)", want);
	free(got);
}

static void
assert_source(const char *package, const char *version, const char *source,
              const char *source_version)
{
	assert_source_on("Debian 12", package, version, source, source_version);
}

/* GET /source-packages/NAME lists one version, built into the binaries (one a line). */
static void
assert_one_source_version(const char *source, const char *version, const char *binaries)
{
	json_t *j = it_get_subject(it_http, "source-packages", source), *want = json_array();
	const json_t *v;
	char *got, *expected;
	size_t n;

	ck_assert_msg(j != NULL, "GET /source-packages/%s: 404", source);
	v = json_object_get(j, "versions");
	ck_assert_uint_eq(json_array_size(v), 1);
	ck_assert_str_eq(it_str(json_array_get(v, 0), "version"), version);
	for (; *binaries; binaries += n + (binaries[n] == '\n')) {
		n = strcspn(binaries, "\n");
		json_array_append_new(want, json_stringn(binaries, n));
	}
	got = it_dump(json_incref(json_object_get(json_array_get(v, 0), "binaries")));
	expected = it_dump(want);
	ck_assert_str_eq(got, expected);
	free(got);
	free(expected);
	json_decref(j);
}

/* Posts the update with a source_version on the installed entry named name. */
static void
update_with_source_version(const char *host, const struct upd *u, const char *name,
                           const char *source_version)
{
	struct it_tls tls = proxy();
	struct it_response r;
	json_t *root = payload_json(host, u), *e;
	char *body;
	size_t i;

	json_array_foreach (json_object_get(root, "installed"), i, e) {
		if (strcmp(it_str(e, "name"), name) == 0)
			json_object_set_new(e, "source_version", json_string(source_version));
	}
	body = it_dump(root);
	post_as(host, body, strlen(body), &tls, &r);
	it_assert_created(host, &r);
	it_response_free(&r);
	free(body);
}

/* A given source version is the one recorded: libldb2 and samba's own binary share it. */
START_TEST(test_source_version_given)
{
	const char *host = "t-srcv-given.example.org";
	const char *pkgs =
	    "t-srcv-libldb2=" LDB "@t-srcv-samba t-srcv-samba-libs=" SAMBA "@t-srcv-samba";

	fresh_srcv();
	update_with_source_version(host, &(struct upd){.installed = pkgs}, "t-srcv-libldb2", SAMBA);
	assert_source("t-srcv-libldb2", LDB, "t-srcv-samba", SAMBA);
	assert_source("t-srcv-samba-libs", SAMBA, "t-srcv-samba", SAMBA);
	assert_one_source_version("t-srcv-samba", SAMBA, "t-srcv-libldb2\nt-srcv-samba-libs");
	assert_packages(host, pkgs);
	assert_consistent(host);
}
END_TEST

/*
 * Without source_version, as upstream's client sends: the binary version without its
 * binNMU suffix, for installed and upgradable versions alike. The pages show the binary
 * versions as sent.
 */
START_TEST(test_source_version_binnmu)
{
	const char *host = "t-srcv-binnmu.example.org";
	const char *installed = "t-srcv-x=1.0-1+b1@t-srcv-xsrc t-srcv-z=1.0-1@t-srcv-xsrc"
	                        " t-srcv-n=3.1+b12@t-srcv-nsrc t-srcv-y=2.0-1@t-srcv-ysrc";
	const char *upgradable = "t-srcv-y=2.0-1>2.0-1+b3@t-srcv-ysrc!";

	fresh_srcv();
	update_ok(host, &(struct upd){.installed = installed, .upgradable = upgradable});
	assert_source("t-srcv-x", "1.0-1+b1", "t-srcv-xsrc", "1.0-1");
	assert_source("t-srcv-z", "1.0-1", "t-srcv-xsrc", "1.0-1");
	assert_source("t-srcv-n", "3.1+b12", "t-srcv-nsrc", "3.1");
	assert_source("t-srcv-y", "2.0-1", "t-srcv-ysrc", "2.0-1");
	assert_source("t-srcv-y", "2.0-1+b3", "t-srcv-ysrc", "2.0-1");
	assert_one_source_version("t-srcv-xsrc", "1.0-1", "t-srcv-x\nt-srcv-z");
	assert_one_source_version("t-srcv-ysrc", "2.0-1", "t-srcv-y");
	assert_packages(host, "t-srcv-x=1.0-1+b1@t-srcv-xsrc t-srcv-z=1.0-1@t-srcv-xsrc"
	                      " t-srcv-n=3.1+b12@t-srcv-nsrc t-srcv-y=2.0-1>2.0-1+b3@t-srcv-ysrc!");
	assert_consistent(host);
}
END_TEST

/*
 * Another source's source_version is not taken for a version that exists: a binary does
 * not move between sources, so the payload's source name must be the recorded one.
 */
START_TEST(test_source_version_other_source_kept)
{
	const char *a = "t-srcv-kept-a.example.org", *b = "t-srcv-kept-b.example.org";
	const char *pkgs = "t-srcv-k=1.0-1+b1@t-srcv-ksrc";

	fresh(a);
	fresh_srcv();
	update_ok(a, &(struct upd){.installed = pkgs});
	update_with_source_version(b, &(struct upd){.installed = "t-srcv-k=1.0-1+b1@t-srcv-other"},
	                           "t-srcv-k", "0.9-7");
	assert_source("t-srcv-k", "1.0-1+b1", "t-srcv-ksrc", "1.0-1");
	assert_consistent(b);
}
END_TEST

/* A version of libldb2 no other run has (rows persist on a shared instance). */
static void
ldb_of_run(char *out, size_t len, const char *tag)
{
	snprintf(out, len, "%s+t%s%ld", LDB, tag, (long)time(NULL));
}

/*
 * The binaries of source's version on Debian 12 that GET /source-packages/SOURCE lists,
 * one a line, malloc'd; NULL when it lists no such version.
 */
static char *
source_binaries(const char *source, const char *version)
{
	json_t *j = it_get_subject(it_http, "source-packages", source), *want = NULL;
	const json_t *v;
	char *got = NULL;
	size_t i;

	ck_assert_msg(j != NULL, "GET /source-packages/%s: 404", source);
	json_array_foreach (json_object_get(j, "versions"), i, v) {
		if (strcmp(it_str(v, "os"), "Debian 12") == 0 &&
		    strcmp(it_str(v, "version"), version) == 0)
			want = json_object_get(v, "binaries");
	}
	if (want != NULL) {
		struct dm_buf b;
		const json_t *name;

		dm_buf_init(&b, 65536);
		json_array_foreach (want, i, name) {
			ck_assert_int_eq(
			    dm_buf_printf(&b, "%s%s", i ? "\n" : "", json_string_value(name)), 0);
		}
		got = strdup(b.data ? b.data : "");
		dm_buf_free(&b);
	}
	json_decref(j);
	return got;
}

/* libldb2's version on host links to samba's source version (SQL and the source's page). */
static void
assert_ldb_links(const char *host, const char *version, const char *source_version)
{
	char sql[2048], *got, *bins;

	snprintf(sql, sizeof(sql),
	         "SELECT CONCAT(sp.name, ' ', spv.version) FROM host h JOIN host_package hp"
	         " ON hp.host_id = h.id JOIN package_version pv ON pv.id = hp.package_version_id"
	         " JOIN package p ON p.id = pv.package_id JOIN source_package_version spv"
	         " ON spv.id = pv.source_package_version_id JOIN source_package sp"
	         " ON sp.id = spv.source_package_id WHERE h.name = '%s' AND p.name = 'libldb2'",
	         host);
	got = it_db_value(sql);
	snprintf(sql, sizeof(sql), "samba %s", source_version);
	ck_assert_msg(got != NULL && strcmp(got, sql) == 0, "%s: libldb2 %s built from \"%s\"",
	              host, version, got ? got : "(no row)");
	free(got);
	/* Every package version names its source version's source (the source_binary key). */
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package_version pv"
	                             " JOIN source_package_version spv"
	                             " ON spv.id = pv.source_package_version_id"
	                             " WHERE pv.source_package_id <> spv.source_package_id"),
	                 0);
	assert_source("libldb2", version, "samba", source_version);
	bins = source_binaries("samba", source_version);
	ck_assert_msg(bins != NULL && strstr(bins, "libldb2") != NULL,
	              "samba %s does not list libldb2: %s", source_version, bins ? bins : "(none)");
	free(bins);
	if (strcmp(version, source_version) != 0) {
		/* The version the fallback made is left with no binary (debmonitor-gc's). */
		bins = source_binaries("samba", version);
		ck_assert_msg(bins == NULL || strcmp(bins, "") == 0, "samba %s still lists \"%s\"",
		              version, bins);
		free(bins);
	}
}

/*
 * A version first reported without source_version (upstream's client) links to the binary
 * version; a later report with source_version from dpkg corrects the link, for every host
 * with that version, and a later report without it does not undo it.
 */
START_TEST(test_source_version_relinks)
{
	const char *a = "t-srcv-relink-a.example.org", *b = "t-srcv-relink-b.example.org";
	const char *c = "t-srcv-relink-c.example.org";
	char v[256], spec[512];

	fresh_srcv();
	ldb_of_run(v, sizeof(v), "r");
	snprintf(spec, sizeof(spec), "libldb2=%s@samba", v);
	update_ok(a, &(struct upd){.installed = spec});
	assert_ldb_links(a, v, v);
	update_with_source_version(b, &(struct upd){.installed = spec}, "libldb2", SAMBA);
	assert_ldb_links(b, v, SAMBA);
	assert_ldb_links(a, v, SAMBA);
	update_ok(c, &(struct upd){.installed = spec});
	assert_ldb_links(c, v, SAMBA);
	assert_packages(a, spec);
	assert_packages(b, spec);
	assert_consistent(a);
	assert_consistent(b);
}
END_TEST

/*
 * The usual case: an upgradable entry names the new version before any host installs it,
 * then the dpkg hook reports it installed, with source_version.
 */
START_TEST(test_source_version_relinks_dpkg_hook)
{
	const char *host = "t-srcv-relink-hook.example.org";
	char from[256], to[256], spec[1024];

	fresh_srcv();
	ldb_of_run(from, sizeof(from), "h");
	ldb_of_run(to, sizeof(to), "i");
	snprintf(spec, sizeof(spec), "libldb2=%s>%s@samba!security", from, to);
	update_ok(host, &(struct upd){.installed = "", .upgradable = spec});
	assert_source("libldb2", to, "samba", to);
	snprintf(spec, sizeof(spec), "libldb2=%s@samba", to);
	update_with_source_version(host, &(struct upd){.type = "dpkg_hook", .installed = spec},
	                           "libldb2", SAMBA);
	assert_ldb_links(host, to, SAMBA);
	assert_packages(host, spec);
	assert_consistent(host);
}
END_TEST

/* A host moving to another OS takes its versions' source versions along. */
START_TEST(test_source_version_moves_with_os)
{
	const char *host = "t-srcv-move.example.org";
	const char *pkgs = "t-srcv-mldb=" LDB "@t-srcv-msamba";

	fresh_srcv();
	update_with_source_version(host, &(struct upd){.os = "Debian 11", .installed = pkgs},
	                           "t-srcv-mldb", SAMBA);
	assert_source_on("Debian 11", "t-srcv-mldb", LDB, "t-srcv-msamba", SAMBA);
	update_ok(host, &(struct upd){.type = "upgradable", .os = "Debian 12"});
	assert_source_on("Debian 12", "t-srcv-mldb", LDB, "t-srcv-msamba", SAMBA);
	assert_packages(host, pkgs);
	assert_consistent(host);
}
END_TEST

/* The version a kernel row records and its key, "[VERSION] HEXKEY" ("[] NULL": none). */
static void
assert_kernel(const char *os, const char *kernel, const char *version)
{
	char sql[1024], want[1024], hex[2 * DM_VERSION_KEY_MAX + 1], *got;

	snprintf(sql, sizeof(sql),
	         "SELECT CONCAT('[', k.version, '] ', COALESCE(HEX(k.version_key), 'NULL'))"
	         " FROM kernel_version k JOIN os o ON o.id = k.os_id"
	         " WHERE o.name = '%s' AND k.name = '%s'",
	         os, kernel);
	key_hex(version, hex, sizeof(hex));
	snprintf(want, sizeof(want), "[%s] %s", version, version[0] ? hex : "NULL");
	got = it_db_value(sql);
	ck_assert_msg(got != NULL && strcmp(got, want) == 0, "kernel \"%s\": \"%s\", want \"%s\"",
	              kernel, got ? got : "(NULL)", want);
	free(got);
}

/* A new kernel row has the Debian version its name carries, with its key; or "" and NULL. */
START_TEST(test_kernel_version_key)
{
	const char *debian = "t-srcv-kernel-debian.example.org";
	const char *ubuntu = "t-srcv-kernel-ubuntu.example.org";

	fresh_srcv();
	update_ok(debian, &(struct upd){.os = KERNEL_OS, .installed = "t-srcv-kp=1"});
	update_ok(ubuntu, &(struct upd){.os = KERNEL_UBUNTU_OS,
	                                .kernel = KERNEL_UBUNTU,
	                                .installed = "t-srcv-kp=1"});
	assert_kernel(KERNEL_OS, KERNEL, "6.1.76-1");
	assert_kernel(KERNEL_UBUNTU_OS, KERNEL_UBUNTU, "");
	assert_consistent(debian);
	assert_consistent(ubuntu);
}
END_TEST

/* --- bad input: 400 with the reason, and nothing changes ------------------------------- */

#define BAD_HOST "t-bad.example.org"
#define BAD_HEAD                                                                                   \
	"{\"api_version\": \"v1\", \"update_type\": \"full\", \"hostname\": \"" BAD_HOST "\", "    \
	"\"os\": \"Debian 12\", \"running_kernel\": {\"version\": \"1\"}"

static const struct {
	const char *body;
	const char *want;
} bad_inputs[] = {
    {"", "empty body"},
    {"{\"api_version\": \"v1\", \"update_type\": ", "not JSON: "},
    {"[" BAD_HEAD "}]", "payload: must be a JSON object"},
    {"{\"api_version\": \"v2\", \"update_type\": \"full\"}",
     "api_version: unsupported, expected \"v1\""},
    {"{\"update_type\": \"partial\", \"hostname\": \"" BAD_HOST "\"}",
     "update_type: must be one of full, upgradable, dpkg_hook"},
    {"{\"update_type\": \"full\", \"os\": \"Debian 12\"}", "hostname: missing"},
    {"{\"update_type\": \"full\", \"hostname\": \"t-other.example.org\", \"os\": \"Debian "
     "12\"}",
     "hostname: does not match the URL"},
    {"{\"update_type\": \"full\", \"hostname\": \"" BAD_HOST "\", \"os\": \"Debian12\"}",
     "os: must look like \"Debian 12\" or \"Ubuntu 24.04\""},
    {"{\"update_type\": \"full\", \"hostname\": \"" BAD_HOST "\"}", "os: missing"},
    {"{\"update_type\": \"full\", \"hostname\": \"" BAD_HOST "\", \"os\": \"Debian 12\"}",
     "running_kernel: missing"},
    {BAD_HEAD ", \"installed\": {\"a\": \"1\"}}", "installed: must be a list"},
    {BAD_HEAD ", \"installed\": [{\"name\": \"a\", \"version\": \"1\", \"source\": \"a\"}, "
              "\"b\"]}",
     "installed[1]: must be an object"},
    {BAD_HEAD ", \"upgradable\": [{\"name\": \"a\", \"version_from\": \"1\", \"source\": "
              "\"a\"}]}",
     "upgradable[0].version_to: missing"},
    {BAD_HEAD ", \"installed\": [{\"name\": \"a\", \"version\": \"1\", \"source\": \"a\"}], "
              "\"uninstalled\": [{\"name\": \"b\", \"version\": \"\", \"source\": \"b\"}]}",
     "uninstalled[0].version: empty"},
    {BAD_HEAD ", \"installed\": [{\"name\": \"a\\u0007\", \"version\": \"1\", \"source\": "
              "\"a\"}]}",
     "installed[0].name: contains a control character"},
    {BAD_HEAD ", \"installed\": [{\"name\": \"a\", \"version\": \"1\", \"source\": \"a\"}, "
              "{\"name\": \"a\", \"version\": \"2\", \"source\": \"a\"}]}",
     "installed[1].name: duplicate of installed[0]"},
    {BAD_HEAD ", \"installed\": [{\"name\": \"a\", \"version\": \"1-\xff\", \"source\": "
              "\"a\"}]}",
     "not valid UTF-8"},
    {BAD_HEAD ", \"upgradable\": [{\"name\": \"a\", \"version_from\": \"1\", \"version_to\": "
              "\"2\", \"source\": \"a\", \"type\": 1}]}",
     "upgradable[0].type: must be a string"},
};

/* The host exists with known data, and the request must leave all of it alone. */
static void
assert_bad_input(const char *body, size_t len, const char *want)
{
	struct it_tls tls = proxy();
	struct it_response r;
	char *before;

	update_ok(BAD_HOST, &(struct upd){.installed = "t-bad-a=1", .upgradable = "t-bad-a=1>2"});
	before = it_db_snapshot();
	post_as(BAD_HOST, body, len, &tls, &r);
	it_assert_rejected(want, before, &r, 400);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strncmp(r.body, want, strlen(want)) == 0, "answer \"%s\", want \"%s...\"",
	              r.body, want);
	it_response_free(&r);
	free(before);
}

START_TEST(test_bad_input)
{
	assert_bad_input(bad_inputs[_i].body, strlen(bad_inputs[_i].body), bad_inputs[_i].want);
}
END_TEST

/* debmonitor-api(7)'s example, word for word: the 18th of 20 entries lacks its version. */
START_TEST(test_bad_input_exact_message)
{
	struct it_tls tls = proxy();
	struct it_response r;
	json_t *j = payload_json(BAD_HOST, &(struct upd){0}), *list = json_array(), *e;
	char *before, *body, *end, name[32];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "t-bad-%02d", i);
		e = json_pack("{s:s, s:s, s:s}", "name", name, "version", "1", "source", "t-bad");
		if (i == 17)
			json_object_del(e, "version");
		json_array_append_new(list, e);
	}
	json_object_set_new(j, "installed", list);
	body = it_dump(j);
	update_ok(BAD_HOST, &(struct upd){.installed = "t-bad-a=1"});
	before = it_db_snapshot();
	post_as(BAD_HOST, body, strlen(body), &tls, &r);
	it_assert_rejected("installed[17]", before, &r, 400);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	for (end = r.body + r.len; end > r.body && (end[-1] == '\n' || end[-1] == '\r'); end--)
		end[-1] = '\0';
	ck_assert_str_eq(r.body, "installed[17].version: missing");
	it_response_free(&r);
	free(before);
	free(body);
}
END_TEST

/* Every field over 255 bytes is refused (the columns hold 255). */
START_TEST(test_bad_input_long_field)
{
	char longv[300], *body;
	json_t *j = payload_json(BAD_HOST, &(struct upd){0});

	memset(longv, 'v', 256);
	longv[256] = '\0';
	json_object_set_new(j, "installed",
	                    json_pack("[{s:s, s:s, s:s}]", "name", "t-bad-long", "version", longv,
	                              "source", "t-bad-long"));
	body = it_dump(j);
	assert_bad_input(body, strlen(body), "installed[0].version: longer than 255 bytes");
	free(body);
}
END_TEST

/* --- real and big payloads, body limits ------------------------------------------------ */

/* The upstream Python client's own output, unchanged, as host "localhost" reports it. */
START_TEST(test_upstream_client_payload)
{
	struct it_tls own = it_cert("localhost");
	struct it_response r;
	json_error_t e;
	json_t *fixture, *h, *idx, *p;
	const json_t *f;
	char path[4096], *body;
	size_t i, upgrades = 0;

	snprintf(path, sizeof(path), "%s/tests/data/payload/valid/upstream-client-full.json",
	         it_env("DM_TEST_SOURCE"));
	fixture = json_load_file(path, 0, &e);
	ck_assert_msg(fixture != NULL, "%s: %s", path, e.text);
	ck_assert_str_eq(it_str(fixture, "hostname"), "localhost");
	fresh("localhost");
	body = json_dumps(fixture, JSON_INDENT(4));
	post_as("localhost", body, strlen(body), &own, &r);
	it_assert_created("upstream client payload", &r);
	it_response_free(&r);
	free(body);
	h = get_host("localhost");
	ck_assert_str_eq(it_str(h, "os"), "Debian 12");
	ck_assert_str_eq(it_str(h, "kernel"), "#1 SMP PREEMPT_DYNAMIC @0");
	idx = it_packages_by_name(h);
	ck_assert_uint_eq(json_object_size(idx), 804);
	json_array_foreach (json_object_get(fixture, "installed"), i, f) {
		ck_assert_msg((p = json_object_get(idx, it_str(f, "name"))) != NULL,
		              "%s not listed", it_str(f, "name"));
		ck_assert_str_eq(it_str(p, "version"), it_str(f, "version"));
		ck_assert_str_eq(it_str(p, "source"), it_str(f, "source"));
	}
	json_array_foreach (json_object_get(fixture, "upgradable"), i, f) {
		p = json_object_get(idx, it_str(f, "name"));
		ck_assert_str_eq(it_str(p, "upgradable_version"), it_str(f, "version_to"));
		ck_assert_str_eq(it_str(p, "upgrade_type"), "");
	}
	json_array_foreach (json_object_get(h, "packages"), i, f) {
		upgrades += json_is_string(json_object_get(f, "upgradable_version"));
	}
	ck_assert_uint_eq(upgrades, 135);
	json_decref(idx);
	json_decref(h);
	json_decref(fixture);
	assert_consistent("localhost");
}
END_TEST

/* A full payload of n installed packages (every tenth upgradable), version "1.<i>.<v>". */
static char *
big_payload(const char *host, size_t n, int v)
{
	json_t *j = payload_json(host, &(struct upd){0}), *inst = json_array(), *upg = json_array();
	char name[64], ver[64], to[64], src[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "t-big-%05zu", i);
		snprintf(ver, sizeof(ver), "1.%zu.%d", i, v);
		snprintf(src, sizeof(src), "t-big-src-%zu", i / 20);
		json_array_append_new(inst, json_pack("{s:s, s:s, s:s}", "name", name, "version",
		                                      ver, "source", src));
		if (i % 10 != 0)
			continue;
		snprintf(to, sizeof(to), "2.%zu", i);
		json_array_append_new(upg,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", name,
		                                "version_from", ver, "version_to", to, "source",
		                                src, "type", i % 20 ? "" : "security"));
	}
	json_object_set_new(j, "installed", inst);
	json_object_set_new(j, "upgradable", upg);
	return it_dump(j);
}

static void
post_big(const char *host, size_t n, int v)
{
	struct it_tls tls = proxy();
	struct it_response r;
	char *body = big_payload(host, n, v);

	post_as(host, body, strlen(body), &tls, &r);
	it_assert_created("20,000 packages", &r);
	it_response_free(&r);
	free(body);
}

START_TEST(test_big_host)
{
	const char *host = "t-big.example.org";
	json_t *h, *idx;
	char sql[256];

	fresh(host);
	post_big(host, 20000, 0);
	h = get_host(host);
	idx = it_packages_by_name(h);
	ck_assert_uint_eq(json_object_size(idx), 20000);
	ck_assert_str_eq(it_str(json_object_get(idx, "t-big-19999"), "version"), "1.19999.0");
	ck_assert_str_eq(it_str(json_object_get(idx, "t-big-19990"), "upgradable_version"),
	                 "2.19990");
	ck_assert_str_eq(it_str(json_object_get(idx, "t-big-19980"), "upgrade_type"), "security");
	json_decref(idx);
	json_decref(h);
	/* The daily run again, every version changed. */
	post_big(host, 20000, 1);
	h = get_host(host);
	idx = it_packages_by_name(h);
	ck_assert_uint_eq(json_object_size(idx), 20000);
	ck_assert_str_eq(it_str(json_object_get(idx, "t-big-12345"), "version"), "1.12345.1");
	json_decref(idx);
	json_decref(h);
	snprintf(sql, sizeof(sql), "SELECT packages FROM host WHERE name = '%s'", host);
	ck_assert_int_eq(it_db_count(sql), 20000);
	snprintf(sql, sizeof(sql), "SELECT upgrades FROM host WHERE name = '%s'", host);
	ck_assert_int_eq(it_db_count(sql), 2000);
	assert_consistent(host);
}
END_TEST

/*
 * A report at the documented limit, DM_LIST_MAX packages none of which exists yet (a new
 * OS's first host): every name, version and source is created, in one update.
 */
START_TEST(test_limit_host)
{
	const char *host = "t-limit.example.org";
	json_t *j = payload_json(host, &(struct upd){.os = "Debian 99"}), *inst = json_array();
	char name[32], src[32], sql[256], *body;
	struct it_tls tls = proxy();
	struct it_response r;
	size_t i;

	fresh(host);
	for (i = 0; i < DM_LIST_MAX; i++) {
		snprintf(name, sizeof(name), "tl-%06zu", i);
		snprintf(src, sizeof(src), "tls-%05zu", i / 20);
		json_array_append_new(inst, json_pack("{s:s, s:s, s:s}", "name", name, "version",
		                                      "1", "source", src));
	}
	json_object_set_new(j, "installed", inst);
	body = it_dump(j);
	post_as(host, body, strlen(body), &tls, &r);
	free(body);
	it_assert_created("a report of DM_LIST_MAX new packages", &r);
	it_response_free(&r);
	snprintf(sql, sizeof(sql), "SELECT packages FROM host WHERE name = '%s'", host);
	ck_assert_int_eq(it_db_count(sql), DM_LIST_MAX);
	/* Its 200,000 packages would weigh on the pages the next suites read. */
	it_forget("hosts", host);
	it_sh("'%s' --config '%s' >/dev/null", it_env("DM_GC"), it_env("DM_CONFIG"));
}
END_TEST

/* Over Apache's LimitRequestBody (16 MiB): refused before any CGI runs. */
START_TEST(test_body_over_apache_limit)
{
	const char *host = "t-huge.example.org";
	struct it_tls tls = proxy();
	struct it_response r;
	size_t len = 16 * 1024 * 1024 + 1;
	char *body = malloc(len), *before;

	ck_assert_ptr_nonnull(body);
	memset(body, ' ', len);
	body[0] = '{';
	body[len - 1] = '}';
	before = it_db_snapshot();
	post_as(host, body, len, &tls, &r);
	it_assert_rejected("17 MiB body", before, &r, 413);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	it_response_free(&r);
	free(before);
	free(body);
}
END_TEST

/* A valid payload padded with trailing blanks to exactly len bytes. */
static char *
padded_payload(const char *host, size_t len)
{
	char *text = payload(host, &(struct upd){.installed = "t-lim-a=1"}), *body;
	size_t n = strlen(text);

	ck_assert_uint_le(n, len);
	ck_assert_ptr_nonnull(body = malloc(len + 1));
	memcpy(body, text, n);
	memset(body + n, ' ', len - n);
	body[len] = '\0';
	free(text);
	return body;
}

/* MAX_BODY_BYTES below Apache's limit: the CGI refuses what is over it, as text. */
START_TEST(test_body_over_config_limit)
{
	const char *host = "t-limit.example.org";
	struct it_tls tls = proxy();
	struct it_response r;
	char *body, *before;

	fresh(host);
	it_config_set(NULL, "MAX_BODY_BYTES", json_integer(65536));
	body = padded_payload(host, 65537);
	before = it_db_snapshot();
	post_as(host, body, 65537, &tls, &r);
	it_assert_rejected("65537 bytes over a 65536 limit", before, &r, 413);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	it_response_free(&r);
	free(before);
	free(body);
	body = padded_payload(host, 1024 * 1024);
	before = it_db_snapshot();
	post_as(host, body, 1024 * 1024, &tls, &r);
	it_assert_rejected("1 MiB over a 65536 limit", before, &r, 413);
	it_response_free(&r);
	free(before);
	free(body);
	/* Exactly the limit is fine. */
	body = padded_payload(host, 65536);
	post_as(host, body, 65536, &tls, &r);
	it_assert_created("65536 bytes at a 65536 limit", &r);
	it_response_free(&r);
	free(body);
	it_config_restore();
	assert_packages(host, "t-lim-a=1");
}
END_TEST

/* --- DELETE /hosts/NAME ---------------------------------------------------------------- */

static long long
host_rows(const char *host_id)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM host_package WHERE host_id = %s", host_id);
	return it_db_count(sql);
}

/* The host and its rows go; the package rows another host shares stay. */
static void
assert_delete(const char *host, const struct it_tls *tls)
{
	const char *other = "t-del-other.example.org";
	const char *spec = "t-del-a=1@t-del-src t-del-b=1@t-del-src";
	struct it_response r;
	char sql[256], *id;
	long long packages, versions;

	fresh(host);
	update_ok(host, &(struct upd){.installed = spec, .upgradable = "t-del-a=1>2"});
	update_ok(other, &(struct upd){.installed = spec});
	snprintf(sql, sizeof(sql), "SELECT id FROM host WHERE name = '%s'", host);
	ck_assert_ptr_nonnull(id = it_db_value(sql));
	ck_assert_int_eq(host_rows(id), 2);
	packages = it_db_count("SELECT COUNT(*) FROM package");
	versions = it_db_count("SELECT COUNT(*) FROM package_version");
	delete_as(host, tls, &r);
	ck_assert_msg(r.status == 204, "DELETE: HTTP %ld: %s", r.status, r.body);
	ck_assert_uint_eq(r.len, 0);
	it_response_free(&r);
	ck_assert_int_eq(host_count(host), 0);
	ck_assert_int_eq(host_rows(id), 0);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package"), packages);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package_version"), versions);
	ck_assert_ptr_null(it_get_subject(it_http, "hosts", host));
	assert_packages(other, spec);
	free(id);
}

START_TEST(test_delete_own_cn)
{
	const char *host = "t-del-own.example.org";
	struct it_tls own = it_cert(host);

	assert_delete(host, &own);
}
END_TEST

START_TEST(test_delete_proxy)
{
	struct it_tls tls = proxy();

	assert_delete("t-del-proxy.example.org", &tls);
}
END_TEST

START_TEST(test_delete_unknown)
{
	struct it_tls tls = proxy();
	struct it_response r;

	fresh("t-del-unknown.example.org");
	delete_as("t-del-unknown.example.org", &tls, &r);
	ck_assert_msg(r.status == 404, "HTTP %ld: %s", r.status, r.body);
	it_response_free(&r);
}
END_TEST

START_TEST(test_delete_twice)
{
	const char *host = "t-del-twice.example.org";
	struct it_tls tls = proxy();
	struct it_response r;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-del-a=1@t-del-src"});
	delete_as(host, &tls, &r);
	ck_assert_int_eq(r.status, 204);
	it_response_free(&r);
	delete_as(host, &tls, &r);
	ck_assert_int_eq(r.status, 404);
	it_response_free(&r);
	/* A host that reports again after removal is simply new. */
	update_ok(host, &(struct upd){.installed = "t-del-a=1@t-del-src"});
	assert_packages(host, "t-del-a=1@t-del-src");
}
END_TEST

START_TEST(test_delete_other_cn)
{
	const char *host = "t-del-victim.example.org";
	struct it_tls intruder = it_cert("t-intruder.example.org");
	struct it_response r;
	char *before;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-del-a=1@t-del-src"});
	before = it_db_snapshot();
	delete_as(host, &intruder, &r);
	it_assert_rejected("DELETE by another CN", before, &r, 403);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strstr(r.body, "t-intruder.example.org") != NULL, "403: %s", r.body);
	it_response_free(&r);
	/* Nor the instance's own CN, which is an image proxy only. */
	delete_as(host, NULL, &r);
	it_assert_rejected("DELETE by the image proxy", before, &r, 403);
	it_response_free(&r);
	free(before);
}
END_TEST

START_TEST(test_delete_plain_vhost)
{
	const char *host = "t-del-plain.example.org";
	struct it_request req = {.method = "DELETE"};
	struct it_response r;
	char *before;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-del-a=1@t-del-src"});
	before = it_db_snapshot();
	it_do(it_http("/hosts/t-del-plain.example.org"), &req, &r);
	it_assert_rejected("DELETE on the pages vhost", before, &r, 405);
	it_response_free(&r);
	free(before);
}
END_TEST

/* --- concurrency ----------------------------------------------------------------------- */

static void
post_job(struct it_job *j, const char *host, char *body, const struct it_tls *tls)
{
	char path[1024];

	snprintf(path, sizeof(path), "/hosts/%s/update", host);
	snprintf(j->url, sizeof(j->url), "%s", it_https(path));
	j->body = body;
	j->method = "POST";
	j->tls = *tls;
}

/*
 * Payload i of a same-host race in round r: 100 shared names at version "i.r", one name
 * of its own with a security upgrade (in the expected form when expected is set).
 */
static void
race_spec(struct dm_buf *b, int i, int r, int expected)
{
	int k;

	dm_buf_init(b, 1024 * 1024);
	for (k = 0; k < 100; k++)
		ck_assert_int_eq(dm_buf_printf(b, "t-race-%03d=%d.%d ", k, i, r), 0);
	ck_assert_int_eq(dm_buf_printf(b, "t-race-own-%d=1%s", i, expected ? ">2!security" : ""),
	                 0);
}

/* Which of the race's payloads the host holds: the version of its shared names says. */
static int
race_winner(const char *host)
{
	json_t *h = get_host(host), *idx = it_packages_by_name(h);
	const json_t *p = json_object_get(idx, "t-race-000");
	int winner;

	ck_assert_msg(p != NULL, "t-race-000 is not listed");
	winner = it_str(p, "version")[0] - '0';
	ck_assert_msg(winner >= 0 && winner < THREADS, "version %s", it_str(p, "version"));
	json_decref(idx);
	json_decref(h);
	return winner;
}

/* Eight full reports for one host at once: all succeed, and one of them wins whole. */
START_TEST(test_concurrent_same_host)
{
	const char *host = "t-race.example.org";
	struct it_tls tls = proxy();
	struct it_job jobs[THREADS];
	struct dm_buf spec;
	char own[64];
	int i, round;

	fresh(host);
	for (round = 0; round < 2; round++) {
		memset(jobs, 0, sizeof(jobs));
		for (i = 0; i < THREADS; i++) {
			race_spec(&spec, i, round, 0);
			snprintf(own, sizeof(own), "t-race-own-%d=1>2!security", i);
			post_job(
			    &jobs[i], host,
			    payload(host, &(struct upd){.installed = spec.data, .upgradable = own}),
			    &tls);
			dm_buf_free(&spec);
		}
		it_run_jobs(jobs, THREADS, 201, 201);
		for (i = 0; i < THREADS; i++)
			free(jobs[i].body);
		race_spec(&spec, race_winner(host), round, 1);
		assert_packages(host, spec.data);
		dm_buf_free(&spec);
		assert_consistent(host);
	}
}
END_TEST

/*
 * Eight hosts at once bring the same brand-new OS, kernel, source and package versions:
 * all succeed and each row exists once.
 */
START_TEST(test_concurrent_new_versions)
{
	struct it_tls tls = proxy();
	struct it_job jobs[THREADS];
	struct dm_buf spec;
	char host[THREADS][64], prefix[64], os[32], kernel[96], sql[512];
	int i, k, round;

	for (round = 0; round < 3; round++) {
		snprintf(prefix, sizeof(prefix), "t-new-%ld-%d", (long)getpid(), round);
		snprintf(os, sizeof(os), "Ubuntu %d.%02d", 70 + round, (int)(getpid() % 100));
		snprintf(kernel, sizeof(kernel), "#1 %s", prefix);
		dm_buf_init(&spec, 1024 * 1024);
		for (k = 0; k < 50; k++)
			ck_assert_int_eq(dm_buf_printf(&spec, "%s-%02d=1.0-%s@%s-src ", prefix, k,
			                               prefix, prefix),
			                 0);
		memset(jobs, 0, sizeof(jobs));
		for (i = 0; i < THREADS; i++) {
			snprintf(host[i], sizeof(host[i]), "t-new-%d-%d.example.org", round, i);
			fresh(host[i]);
			post_job(&jobs[i], host[i],
			         payload(host[i], &(struct upd){.os = os,
			                                        .kernel = kernel,
			                                        .installed = spec.data}),
			         &tls);
		}
		it_run_jobs(jobs, THREADS, 201, 201);
		for (i = 0; i < THREADS; i++) {
			free(jobs[i].body);
			assert_packages(host[i], spec.data);
			assert_consistent(host[i]);
		}
		dm_buf_free(&spec);
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM package WHERE name LIKE '%s-%%'",
		         prefix);
		ck_assert_int_eq(it_db_count(sql), 50);
		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM package_version pv JOIN package p ON p.id = "
		         "pv.package_id WHERE p.name LIKE '%s-%%'",
		         prefix);
		ck_assert_int_eq(it_db_count(sql), 50);
		snprintf(
		    sql, sizeof(sql),
		    "SELECT COUNT(*) FROM source_package_version v JOIN source_package s ON s.id "
		    "= v.source_package_id WHERE s.name = '%s-src'",
		    prefix);
		ck_assert_int_eq(it_db_count(sql), 1);
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM os WHERE name = '%s'", os);
		ck_assert_int_eq(it_db_count(sql), 1);
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM kernel_version WHERE name = '%s'",
		         kernel);
		ck_assert_int_eq(it_db_count(sql), 1);
	}
}
END_TEST

/* How long the test below holds a package's counters. */
#define HELD_S 8

struct held_post {
	const char *host, *spec;
	long status;
	char why[256];
};

static void *
held_post_main(void *arg)
{
	struct held_post *h = arg;

	h->status = it_post_full(h->host, "t-held-k", h->spec, h->why, sizeof(h->why));
	return NULL;
}

/* Ends the holder's transaction after HELD_S seconds. */
static void *
release_main(void *arg)
{
	sleep(HELD_S);
	mysql_rollback(arg);
	return NULL;
}

/* Waits (at most 10 s) until some transaction waits for a lock. */
static void
await_lock_wait(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (it_db_count("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
		                " WHERE trx_state = 'LOCK WAIT'") > 0)
			return;
		usleep(100000);
	}
	ck_abort_msg("no update waited for the held counters");
}

/*
 * An update that waits (here for a package's counters, which the test holds) keeps no lock
 * on the versions it brought: another host bringing the same new version is not held
 * behind it. Created inside the update's transaction, they kept it waiting until the
 * first one committed.
 */
START_TEST(test_new_versions_not_held)
{
	struct held_post a = {.host = "t-held-a.example.org"};
	const char *c = "t-held-c.example.org";
	char why[256] = "", sql[256], *id, spec_a[192], spec_c[128];
	pthread_t ta, tr;
	MYSQL *holder;
	time_t t0, took;
	long status;

	fresh(a.host);
	fresh(c);
	fresh("t-held-b.example.org");
	/* A name and source no run made before: both updates need them created. */
	snprintf(spec_c, sizeof(spec_c), "t-held-new-%ld-%ld=1@t-held-src-%ld-%ld", (long)getpid(),
	         (long)time(NULL), (long)getpid(), (long)time(NULL));
	snprintf(spec_a, sizeof(spec_a), "t-held-pkg=1 %s", spec_c);
	a.spec = spec_a;
	ck_assert_int_eq(it_post_full("t-held-b.example.org", "t-held-k", "t-held-pkg=1", NULL, 0),
	                 201);
	/* Every slot of the counters exists, so that A's update waits whichever it picks. */
	it_db_exec("INSERT INTO package_stats (package_id, slot) SELECT p.id, s.n FROM package p"
	           " JOIN (SELECT 0 n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"
	           " UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7"
	           " UNION ALL SELECT 8) s WHERE p.name = 't-held-pkg'"
	           " ON DUPLICATE KEY UPDATE hosts = hosts");
	/* The counters alone: a join would lock package names, and the gaps new ones go in. */
	id = it_db_value("SELECT id FROM package WHERE name = 't-held-pkg'");
	snprintf(sql, sizeof(sql), "UPDATE package_stats SET hosts = hosts WHERE package_id = %s",
	         id);
	free(id);
	holder = it_db_open();
	ck_assert_msg(
	    mysql_query(holder, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") == 0 &&
	        mysql_query(holder, "START TRANSACTION") == 0 && mysql_query(holder, sql) == 0,
	    "%s", mysql_error(holder));
	ck_assert_int_eq(pthread_create(&ta, NULL, held_post_main, &a), 0);
	await_lock_wait();
	ck_assert_int_eq(pthread_create(&tr, NULL, release_main, holder), 0);
	t0 = time(NULL);
	status = it_post_full(c, "t-held-k", spec_c, why, sizeof(why));
	took = time(NULL) - t0;
	pthread_join(tr, NULL);
	pthread_join(ta, NULL);
	mysql_close(holder);
	ck_assert_msg(status == 201 && took <= 3, "%s: %ld after %lld s: %s", c, status,
	              (long long)took, why);
	ck_assert_msg(a.status == 201, "%s: %ld: %s", a.host, a.status, a.why);
	assert_packages(a.host, spec_a);
	assert_packages(c, spec_c);
	assert_consistent(a.host);
	assert_consistent(c);
	fresh(a.host);
	fresh(c);
	fresh("t-held-b.example.org");
}
END_TEST

/* Every kind of request on one host at once: none fails, and the counts stay exact. */
START_TEST(test_concurrent_mixed)
{
	const char *host = "t-mixed.example.org";
	struct it_tls tls = proxy();
	struct it_job jobs[THREADS * 2];
	size_t i;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-mx-a=1 t-mx-b=1 t-mx-c=1"});
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < THREADS * 2; i++) {
		switch (i % 4) {
		case 0:
			post_job(
			    &jobs[i], host,
			    payload(host, &(struct upd){.installed = "t-mx-a=2 t-mx-b=1 t-mx-d=1",
			                                .upgradable = "t-mx-b=1>2!security"}),
			    &tls);
			break;
		case 1:
			post_job(
			    &jobs[i], host,
			    payload(host, &(struct upd){.type = "upgradable",
			                                .upgradable = "t-mx-a=2>3 t-mx-e=1>2"}),
			    &tls);
			break;
		case 2:
			post_job(&jobs[i], host,
			         payload(host, &(struct upd){.type = "dpkg_hook",
			                                     .installed = "t-mx-c=2 t-mx-f=1",
			                                     .uninstalled = "t-mx-d=1"}),
			         &tls);
			break;
		default:
			snprintf(jobs[i].url, sizeof(jobs[i].url), "%s",
			         it_http("/hosts/t-mixed.example.org"));
			jobs[i].method = "GET";
			break;
		}
	}
	it_run_jobs(jobs, THREADS * 2, 201, 200);
	for (i = 0; i < THREADS * 2; i++)
		free(jobs[i].body);
	assert_consistent(host);
}
END_TEST

/* --- the database away ----------------------------------------------------------------- */

/* The next id the table's AUTO_INCREMENT would give. */
static long long
next_id(const char *table)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	         "SELECT AUTO_INCREMENT FROM information_schema.TABLES"
	         " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s'",
	         table);
	return it_db_count(sql);
}

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/* Posts n updates of what (dpkg_hook payloads) over one kept-alive connection, all 201. */
static void
post_many(const char *path, const char *body, int n)
{
	struct it_tls tls = it_cert(PROXY);
	CURL *c = curl_easy_init();
	long status = 0;
	int i;

	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, it_https(path));
	curl_easy_setopt(c, CURLOPT_CAINFO, it_env("DM_CA"));
	curl_easy_setopt(c, CURLOPT_SSLCERT, tls.cert);
	curl_easy_setopt(c, CURLOPT_SSLKEY, tls.key);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		ck_assert_msg(status == 201, "update %d of %s: HTTP %ld", i, path, status);
	}
	curl_easy_cleanup(c);
}

/* Updates test_updates_take_no_ids sends. */
#define UPDATES 50

/*
 * An update of a known host takes no new id: 1,000 of them moved the host table's
 * AUTO_INCREMENT by 1,000, which at a fleet's rate runs an INT UNSIGNED out within a year.
 * Nor does a report of known packages, versions, kernel and OS. UPDATES of them show it as
 * surely as more would: one id each would move a counter by UPDATES, not 1.
 */
START_TEST(test_updates_take_no_ids)
{
	static const char *const tables[] = {"host",
	                                     "os",
	                                     "kernel_version",
	                                     "package",
	                                     "source_package",
	                                     "package_version",
	                                     "source_package_version"};
	const char *host = "t-ids.example.org";
	long long before[sizeof(tables) / sizeof(tables[0])];
	char *hook, path[128];
	size_t i;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-ids-a=1 t-ids-b=1"});
	hook = payload(host, &(struct upd){.type = "dpkg_hook", .installed = "t-ids-a=1"});
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		before[i] = next_id(tables[i]);
	snprintf(path, sizeof(path), "/hosts/%s/update", host);
	post_many(path, hook, UPDATES);
	free(hook);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		ck_assert_msg(next_id(tables[i]) - before[i] <= 1,
		              "%s: AUTO_INCREMENT %lld -> %lld", tables[i], before[i],
		              next_id(tables[i]));
	assert_packages(host, "t-ids-a=1 t-ids-b=1");
}
END_TEST

START_TEST(test_database_unreachable)
{
	const char *host = "t-no-db.example.org";
	struct it_tls tls = proxy();
	struct it_request get = {.accept = "application/json"};
	struct it_response r;
	char *before, *body;

	fresh(host);
	update_ok(host, &(struct upd){.installed = "t-nodb-a=1"});
	body = payload(host, &(struct upd){.installed = "t-nodb-a=2"});
	it_config_set("MYSQL", "DB_SOCKET", json_string("/nonexistent/mysqld.sock"));
	before = it_db_snapshot();
	post_as(host, body, strlen(body), &tls, &r);
	it_assert_rejected("update without a database", before, &r, 503);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	it_response_free(&r);
	delete_as(host, &tls, &r);
	it_assert_rejected("DELETE without a database", before, &r, 503);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	it_response_free(&r);
	it_do(it_http("/hosts/t-no-db.example.org"), &get, &r);
	ck_assert_int_eq(r.status, 503);
	it_response_free(&r);
	it_config_restore();
	free(before);
	free(body);
	assert_packages(host, "t-nodb-a=1");
}
END_TEST

Suite *
make_it_hosts_suite(void)
{
	Suite *s = suite_create("integration: hosts");
	TCase *auth = tcase_create("who may update");
	TCase *get = tcase_create("host detail");
	TCase *ingest = tcase_create("update types");
	TCase *bad = tcase_create("bad input");
	TCase *big = tcase_create("payload sizes");
	TCase *del = tcase_create("delete");
	TCase *conc = tcase_create("concurrency");
	TCase *db = tcase_create("database");
	TCase *limit = tcase_create("payload at the limit");
	TCase *keys = tcase_create("source versions and keys");
	TCase *all[] = {auth, get, ingest, keys, bad, big, limit, del, conc, db};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		tcase_set_timeout(all[i], 120);
		tcase_add_checked_fixture(all[i], restore, NULL);
		tcase_add_unchecked_fixture(all[i], NULL, restore);
	}
	/* 200,000 new packages, then debmonitor-gc removing them: slow under the sanitizers. */
	tcase_set_timeout(limit, 600);
	tcase_add_test(limit, test_limit_host);
	tcase_add_test(limit, test_updates_take_no_ids);
	tcase_add_test(auth, test_update_own_cn);
	tcase_add_test(auth, test_update_proxy_cn);
	tcase_add_test(auth, test_update_other_cn);
	tcase_add_test(auth, test_update_image_proxy_is_not_host_proxy);
	tcase_add_test(auth, test_update_no_certificate);
	tcase_add_test(auth, test_update_plain_vhost);
	tcase_add_test(auth, test_update_wrong_method);
	tcase_add_test(auth, test_update_name_too_long);
	tcase_add_test(auth, test_update_percent_decoded);
	tcase_add_test(get, test_get_json_shape);
	tcase_add_test(get, test_get_both_vhosts);
	tcase_add_test(get, test_get_unknown);
	tcase_add_test(get, test_get_escapes_client_data);
	tcase_add_test(get, test_get_external_links);
	tcase_add_test(get, test_get_stale);
	tcase_add_test(ingest, test_full_replaces_set);
	tcase_add_test(ingest, test_full_clears_upgrades_not_resent);
	tcase_add_test(ingest, test_upgradable_changes_only_upgrades);
	tcase_add_test(ingest, test_upgradable_adds_unknown_package);
	tcase_add_test(ingest, test_dpkg_hook);
	tcase_add_test(ingest, test_uninstalled_every_type);
	tcase_add_test(ingest, test_version_to_installed_clears_upgrade);
	tcase_add_test(ingest, test_security_type);
	tcase_add_test(ingest, test_kernel_os_modified_refreshed);
	tcase_add_test(ingest, test_os_change_moves_versions);
	tcase_add_test(ingest, test_unknown_os_created);
	tcase_add_test(ingest, test_full_repeated);
	tcase_add_test(ingest, test_shared_rows);
	tcase_add_test(ingest, test_names_byte_exact);
	tcase_add_test(keys, test_source_version_given);
	tcase_add_test(keys, test_source_version_binnmu);
	tcase_add_test(keys, test_source_version_other_source_kept);
	tcase_add_test(keys, test_source_version_relinks);
	tcase_add_test(keys, test_source_version_relinks_dpkg_hook);
	tcase_add_test(keys, test_source_version_moves_with_os);
	tcase_add_test(keys, test_kernel_version_key);
	tcase_add_loop_test(bad, test_bad_input, 0,
	                    (int)(sizeof(bad_inputs) / sizeof(bad_inputs[0])));
	tcase_add_test(bad, test_bad_input_exact_message);
	tcase_add_test(bad, test_bad_input_long_field);
	tcase_add_test(big, test_upstream_client_payload);
	tcase_add_test(big, test_big_host);
	tcase_add_test(big, test_body_over_apache_limit);
	tcase_add_test(big, test_body_over_config_limit);
	tcase_add_test(del, test_delete_own_cn);
	tcase_add_test(del, test_delete_proxy);
	tcase_add_test(del, test_delete_unknown);
	tcase_add_test(del, test_delete_twice);
	tcase_add_test(del, test_delete_other_cn);
	tcase_add_test(del, test_delete_plain_vhost);
	tcase_add_test(conc, test_concurrent_same_host);
	tcase_add_test(conc, test_concurrent_new_versions);
	tcase_add_test(conc, test_new_versions_not_held);
	tcase_add_test(conc, test_concurrent_mixed);
	tcase_add_test(db, test_database_unreachable);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		suite_add_tcase(s, all[i]);
	return s;
}
