/*
 * it_images.c: image ingest, the image and Kubernetes pages, image removal and Kubernetes
 * reports, through the real Apache and MariaDB.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

/*
 * The test instance's PROXY_IMAGES are this machine's FQDN (the certificate it_do presents
 * when a request names none, as a build host would) and IMAGE_PROXY; HOST_PROXY is its
 * PROXY_HOSTS, which grants nothing on images.
 */
#define IMAGE_PROXY "proxy-images.example.org"
#define HOST_PROXY "proxy-hosts.example.org"
#define INTRUDER "t-img-intruder.example.org"
#define REGISTRY "registry.example.org/"
#define JSON_TYPE "application/json"

/* --- image payloads ---------------------------------------------------------------------- */

/* One image update; NULL members take the defaults: a full update of a Debian 12 image. */
struct iupd {
	const char *type;
	const char *os;
	const char *installed; /* specs (integration.h); NULL: the key is left out */
	const char *uninstalled;
	const char *upgradable;
};

/* The host payload of debmonitor-api(7) with "image_name" for "hostname", and no kernel. */
static json_t *
payload_json(const char *image, const struct iupd *u)
{
	json_t *root = json_pack("{s:s, s:s, s:s, s:s}", "api_version", "v1", "update_type",
	                         u->type ? u->type : "full", "image_name", image, "os",
	                         u->os ? u->os : "Debian 12");

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
payload(const char *image, const struct iupd *u)
{
	return it_dump(payload_json(image, u));
}

/* --- requests ---------------------------------------------------------------------------- */

/* name goes into the URL as given (raw or percent-encoded); tls NULL: this machine's cert. */
static void
post_as(const char *name, const char *body, const struct it_tls *tls, struct it_response *r)
{
	struct it_request req = {
	    .method = "POST", .body = body, .body_len = strlen(body), .tls = tls};
	char path[2048];

	snprintf(path, sizeof(path), "/images/%s/update", name);
	it_do(it_https(path), &req, r);
}

/* Posts the update as this machine, a PROXY_IMAGES CN; it must be accepted. */
static void
update_ok(const char *image, const struct iupd *u)
{
	struct it_response r;
	char *body = payload(image, u);

	post_as(image, body, NULL, &r);
	it_assert_created(image, &r);
	it_response_free(&r);
	free(body);
}

static void
delete_as(const char *name, const struct it_tls *tls, struct it_response *r)
{
	struct it_request req = {.method = "DELETE", .tls = tls};
	char path[2048];

	snprintf(path, sizeof(path), "/images/%s", name);
	it_do(it_https(path), &req, r);
}

static json_t *
get_image(const char *image)
{
	json_t *j = it_get_subject(it_http, "images", image);

	ck_assert_msg(j != NULL, "GET /images/%s: 404", image);
	return j;
}

/* GET /images/NAME lists exactly the packages of spec, with their versions and upgrades. */
static void
assert_packages(const char *image, const char *spec)
{
	json_t *j = get_image(image);

	it_assert_packages(j, image, spec);
	json_decref(j);
}

/* GET path (a listing) as JSON: its list under key. The answer must be released. */
static json_t *
get_list(const char *path, const char *key, json_t **list)
{
	struct it_request req = {.accept = JSON_TYPE};
	struct it_response r;
	json_error_t e;
	json_t *j;

	it_do(it_http(path), &req, &r);
	ck_assert_msg(r.status == 200, "GET %s: HTTP %ld: %s", path, r.status, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), JSON_TYPE);
	j = json_loadb(r.body, r.len, 0, &e);
	ck_assert_msg(json_is_object(j), "GET %s: not a JSON object (%s)", path, e.text);
	*list = json_object_get(j, key);
	ck_assert_msg(json_is_array(*list), "GET %s: \"%s\" is not a list", path, key);
	it_response_free(&r);
	return j;
}

/* A member that must be a JSON integer. */
static json_int_t
integer(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

/* --- the database ------------------------------------------------------------------------ */

/* Removes an image (and by cascade its rows). */
static void
fresh(const char *image)
{
	it_forget("images", image);
}

static void
fresh_cluster(const char *cluster)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "DELETE FROM kubernetes_image WHERE cluster = '%s'", cluster);
	it_db_exec(sql);
}

static long long
image_count(const char *image)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM image WHERE name = '%s'", image);
	return it_db_count(sql);
}

/* The image's id, malloc'd; it must exist. */
static char *
image_id(const char *image)
{
	char sql[1024], *id;

	snprintf(sql, sizeof(sql), "SELECT id FROM image WHERE name = '%s'", image);
	ck_assert_msg((id = it_db_value(sql)) != NULL, "image %s is not in the database", image);
	return id;
}

/* Rows of table whose image_id is id. */
static long long
rows_of(const char *table, const char *id)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE image_id = %s", table, id);
	return it_db_count(sql);
}

/*
 * A cluster's rows as the database holds them: "namespace image containers" each, sorted,
 * separated by ";"; "" when there are none. malloc'd.
 */
static char *
cluster_rows(const char *cluster)
{
	char sql[1024], *v;

	snprintf(sql, sizeof(sql),
	         "SELECT GROUP_CONCAT(CONCAT(k.namespace, ' ', i.name, ' ', k.containers) ORDER BY "
	         "k.namespace, i.name SEPARATOR ';') FROM kubernetes_image k JOIN image i ON i.id "
	         "= k.image_id WHERE k.cluster = '%s'",
	         cluster);
	v = it_db_value(sql);
	if (v == NULL)
		ck_assert_ptr_nonnull(v = strdup(""));
	return v;
}

static void
assert_cluster(const char *cluster, const char *want)
{
	char *got = cluster_rows(cluster);

	ck_assert_msg(strcmp(got, want) == 0, "cluster %s holds \"%s\", want \"%s\"", cluster, got,
	              want);
	free(got);
}

/*
 * What the database must always hold for an image: the counts on its row match its rows;
 * every installed and upgradable version is of the right package and of the image's OS.
 */
static void
assert_consistent(const char *image)
{
	static const struct {
		const char *from;
		const char *bad;
	} checks[] = {
	    {"image i",
	     "i.packages <> (SELECT COUNT(*) FROM image_package ip WHERE ip.image_id = i.id) OR "
	     "i.upgrades <> (SELECT COUNT(*) FROM image_package ip WHERE ip.image_id = i.id AND "
	     "ip.upgradable_version_id IS NOT NULL) OR i.security_upgrades <> (SELECT COUNT(*) "
	     "FROM image_package ip WHERE ip.image_id = i.id AND ip.upgradable_version_id IS NOT "
	     "NULL AND ip.upgrade_type = 1)"},
	    {"image i JOIN image_package ip ON ip.image_id = i.id JOIN package_version pv ON pv.id "
	     "IN (ip.package_version_id, ip.upgradable_version_id)",
	     "pv.os_id <> i.os_id OR pv.package_id <> ip.package_id"},
	};
	char sql[2048];
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE i.name = '%s' AND (%s)",
		         checks[i].from, image, checks[i].bad);
		ck_assert_msg(it_db_count(sql) == 0, "%s: inconsistent rows: %s", image, sql);
	}
}

/* --- Kubernetes reports ------------------------------------------------------------------ */

static void
kube_post(const char *body, size_t len, const struct it_tls *tls, struct it_response *r)
{
	struct it_request req = {.method = "POST", .body = body, .body_len = len, .tls = tls};

	it_do(it_https("/kubernetes/update"), &req, r);
}

/*
 * The JSON answer of a report that was taken: status, "missing" the images named (in any
 * order, NULL-terminated), "errors" empty, "success" whether status is 201.
 */
static void
assert_kube_answer(const struct it_response *r, long status, const char *const *missing)
{
	const json_t *list, *v;
	json_error_t e;
	json_t *j;
	size_t n = 0, k;
	int found;

	ck_assert_msg(r->status == status, "HTTP %ld, want %ld: %s", r->status, status, r->body);
	ck_assert_str_eq(it_header(r, "Content-Type"), JSON_TYPE);
	j = json_loadb(r->body, r->len, 0, &e);
	ck_assert_msg(json_is_object(j), "not a JSON object (%s): %s", e.text, r->body);
	list = json_object_get(j, "missing");
	ck_assert_msg(json_is_array(list), "\"missing\" is not a list: %s", r->body);
	for (; missing[n] != NULL; n++) {
		found = 0;
		json_array_foreach (list, k, v) {
			found |= json_is_string(v) && strcmp(json_string_value(v), missing[n]) == 0;
		}
		ck_assert_msg(found, "\"missing\" does not name %s: %s", missing[n], r->body);
	}
	ck_assert_msg(json_array_size(list) == n, "\"missing\" names %zu images, want %zu: %s",
	              json_array_size(list), n, r->body);
	v = json_object_get(j, "errors");
	ck_assert_msg(json_is_array(v) && json_array_size(v) == 0, "\"errors\": %s", r->body);
	v = json_object_get(j, "success");
	ck_assert_msg(json_is_boolean(v) && json_is_true(v) == (status == 201), "\"success\": %s",
	              r->body);
	json_decref(j);
}

/* Posts report (released) as this machine; the answer must be status, naming missing. */
static void
kube_update(json_t *report, long status, const char *const *missing)
{
	struct it_response r;
	char *body = it_dump(report);

	kube_post(body, strlen(body), NULL, &r);
	assert_kube_answer(&r, status, missing);
	it_response_free(&r);
	free(body);
}

static const char *const none[] = {NULL};

/* --- who may update ---------------------------------------------------------------------- */

/* Both PROXY_IMAGES CNs may write an image named by a full reference. */
START_TEST(test_update_image_proxies)
{
	const char *image = REGISTRY "t-img-proxies/app:1.2-3";
	struct it_tls proxy = it_cert(IMAGE_PROXY);
	struct it_response r;
	char *body;

	fresh(image);
	update_ok(image, &(struct iupd){.installed = "t-ipx-a=1.0-1"});
	assert_packages(image, "t-ipx-a=1.0-1");
	body = payload(image, &(struct iupd){.installed = "t-ipx-a=1.0-1 t-ipx-b=2.0@t-ipx-src"});
	post_as(image, body, &proxy, &r);
	it_assert_created(IMAGE_PROXY, &r);
	it_response_free(&r);
	free(body);
	assert_packages(image, "t-ipx-a=1.0-1 t-ipx-b=2.0@t-ipx-src");
	assert_consistent(image);
}
END_TEST

/*
 * Any other CN gets 403 naming it, and nothing changes: a stranger, the host proxy, and a
 * certificate whose CN is the image's own name (images have no "own" certificate).
 */
START_TEST(test_update_refused_cns)
{
	const char *image = "t-img-self.example.org:1";
	const char *cns[] = {INTRUDER, HOST_PROXY, image};
	struct it_tls tls;
	struct it_response r;
	char *before, *body;
	size_t i;

	fresh(image);
	update_ok(image, &(struct iupd){.installed = "t-iref-a=1"});
	body = payload(image, &(struct iupd){.installed = "t-iref-a=666"});
	for (i = 0; i < sizeof(cns) / sizeof(cns[0]); i++) {
		tls = it_cert(cns[i]);
		before = it_db_snapshot();
		post_as(image, body, &tls, &r);
		it_assert_rejected(cns[i], before, &r, 403);
		ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
		ck_assert_msg(strstr(r.body, cns[i]) != NULL, "403 does not name the CN %s: %s",
		              cns[i], r.body);
		it_response_free(&r);
		free(before);
	}
	free(body);
	assert_packages(image, "t-iref-a=1");
}
END_TEST

/* The pages vhost has no write route: never 201, nothing written. */
START_TEST(test_update_plain_vhost)
{
	const char *image = REGISTRY "t-img-plain/app:1";
	struct it_request req = {.method = "POST"};
	struct it_response r;
	char *before, *body;

	fresh(image);
	body = payload(image, &(struct iupd){.installed = "t-iplain-a=1"});
	req.body = body;
	req.body_len = strlen(body);
	before = it_db_snapshot();
	it_do(it_http("/images/" REGISTRY "t-img-plain/app:1/update"), &req, &r);
	ck_assert_msg(r.status == 404 || r.status == 405, "HTTP %ld: %s", r.status, r.body);
	it_assert_rejected("POST on the pages vhost", before, &r, r.status);
	it_response_free(&r);
	free(before);
	free(body);
	ck_assert_int_eq(image_count(image), 0);
}
END_TEST

START_TEST(test_update_wrong_method)
{
	struct it_response r;
	const char *allow;

	it_do(it_https("/images/" REGISTRY "t-img-method/app:1/update"), NULL, &r);
	ck_assert_msg(r.status == 405, "GET on update: HTTP %ld: %s", r.status, r.body);
	ck_assert_ptr_nonnull(allow = it_header(&r, "Allow"));
	ck_assert_msg(strstr(allow, "POST") != NULL, "Allow: %s", allow);
	it_response_free(&r);
}
END_TEST

/* --- names ------------------------------------------------------------------------------- */

/* "/" and ":" may come percent-encoded; the name is decoded before it is compared and stored. */
START_TEST(test_name_percent_encoded)
{
	const char *image = REGISTRY "t-img-pct/app:1.2-3";
	const char *encoded = "registry.example.org%2Ft-img-pct%2Fapp%3A1.2-3";
	struct it_response r;
	json_t *a, *b;
	char *body;

	fresh(image);
	body = payload(image, &(struct iupd){.installed = "t-ipct-a=1"});
	post_as(encoded, body, NULL, &r);
	it_assert_created("percent-encoded URL", &r);
	it_response_free(&r);
	free(body);
	ck_assert_int_eq(image_count(image), 1);
	a = get_image(image);
	b = it_get_subject(it_http, "images", encoded);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(it_str(a, "name"), image);
	ck_assert_msg(json_equal(a, b), "raw and percent-encoded names answer differently");
	json_decref(a);
	json_decref(b);
	assert_packages(image, "t-ipct-a=1");
}
END_TEST

/* A reference of len bytes with "/" and ":"; encoded: its "/" and ":" percent-encoded. */
static void
long_name(char *out, size_t size, size_t len, int encoded)
{
	const char *slash = encoded ? "%2F" : "/", *colon = encoded ? "%3A" : ":";
	size_t head = strlen(REGISTRY "t-img-len/"), fill = len - head - 2;
	struct dm_buf b;

	dm_buf_init(&b, 4096);
	ck_assert_int_eq(dm_buf_printf(&b, "registry.example.org%st-img-len%s", slash, slash), 0);
	while (fill-- > 0)
		ck_assert_int_eq(dm_buf_adds(&b, "n"), 0);
	ck_assert_int_eq(dm_buf_printf(&b, "%s1", colon), 0);
	ck_assert_uint_lt(b.len, size);
	snprintf(out, size, "%s", b.data);
	dm_buf_free(&b);
}

/* At most 255 bytes once decoded: 255 is taken (raw or encoded), 256 is bad input. */
START_TEST(test_name_lengths)
{
	char name[300], url[1024], *before, *body;
	struct it_response r;
	json_t *j;
	int encoded;

	long_name(name, sizeof(name), 255, 0);
	ck_assert_uint_eq(strlen(name), 255);
	for (encoded = 0; encoded < 2; encoded++) {
		fresh(name);
		long_name(url, sizeof(url), 255, encoded);
		body = payload(name, &(struct iupd){.installed = "t-ilen-a=1"});
		post_as(url, body, NULL, &r);
		it_assert_created(encoded ? "255 bytes, percent-encoded" : "255 bytes", &r);
		it_response_free(&r);
		free(body);
		j = get_image(name);
		ck_assert_str_eq(it_str(j, "name"), name);
		json_decref(j);
	}
	long_name(name, sizeof(name), 256, 0);
	ck_assert_uint_eq(strlen(name), 256);
	body = payload(name, &(struct iupd){.installed = "t-ilen-a=1"});
	for (encoded = 0; encoded < 2; encoded++) {
		long_name(url, sizeof(url), 256, encoded);
		before = it_db_snapshot();
		post_as(url, body, NULL, &r);
		it_assert_rejected(encoded ? "256 bytes, percent-encoded" : "256 bytes", before, &r,
		                   400);
		ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
		it_response_free(&r);
		free(before);
	}
	free(body);
}
END_TEST

/* --- bad input: 400 with the reason, and nothing changes ---------------------------------- */

#define BAD_IMAGE REGISTRY "t-img-bad/app:1"
#define BAD_HEAD                                                                                   \
	"{\"api_version\": \"v1\", \"update_type\": \"full\", \"image_name\": \"" BAD_IMAGE "\", " \
	"\"os\": \"Debian 12\""

static const struct {
	const char *body;
	const char *want;
} bad_inputs[] = {
    {"", "empty body"},
    {"{\"api_version\": \"v1\", \"update_type\": ", "not JSON: "},
    /* A host payload, as a client that forgot --image-name would send. */
    {"{\"api_version\": \"v1\", \"update_type\": \"full\", \"hostname\": \"" BAD_IMAGE "\", "
     "\"os\": \"Debian 12\", \"running_kernel\": {\"version\": \"1\"}}",
     "image_name: missing"},
    {"{\"update_type\": \"full\", \"image_name\": \"" REGISTRY "t-img-bad/app:2\", \"os\": "
     "\"Debian 12\"}",
     "image_name: does not match the URL"},
    {"{\"update_type\": \"partial\", \"image_name\": \"" BAD_IMAGE "\", \"os\": \"Debian 12\"}",
     "update_type: must be one of full, upgradable, dpkg_hook"},
    {"{\"update_type\": \"full\", \"image_name\": \"" BAD_IMAGE "\", \"os\": \"Alpine 3\"}",
     "os: must look like \"Debian 12\" or \"Ubuntu 24.04\""},
    {BAD_HEAD ", \"installed\": [{\"name\": \"a\", \"version\": \"1\", \"source\": \"a\"}, "
              "{\"name\": \"b\", \"source\": \"b\"}]}",
     "installed[1].version: missing"},
};

START_TEST(test_bad_input)
{
	const char *body = bad_inputs[_i].body, *want = bad_inputs[_i].want;
	struct it_response r;
	char *before;

	update_ok(BAD_IMAGE,
	          &(struct iupd){.installed = "t-ibad-a=1", .upgradable = "t-ibad-a=1>2"});
	before = it_db_snapshot();
	post_as(BAD_IMAGE, body, NULL, &r);
	it_assert_rejected(want, before, &r, 400);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strncmp(r.body, want, strlen(want)) == 0, "answer \"%s\", want \"%s...\"",
	              r.body, want);
	it_response_free(&r);
	free(before);
}
END_TEST

/* --- what each update type does ----------------------------------------------------------- */

static long long
image_column(const char *image, const char *column)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT %s FROM image WHERE name = '%s'", column, image);
	return it_db_count(sql);
}

START_TEST(test_update_types)
{
	const char *image = REGISTRY "t-img-types/app:1";
	json_t *j;

	fresh(image);
	update_ok(image, &(struct iupd){.installed = "t-ity-a=1 t-ity-b=1 t-ity-c=1@t-ity-src",
	                                .upgradable = "t-ity-a=1>2!security t-ity-b=1>3"});
	assert_packages(image, "t-ity-a=1>2!security t-ity-b=1>3! t-ity-c=1@t-ity-src");
	ck_assert_int_eq(image_column(image, "packages"), 3);
	ck_assert_int_eq(image_column(image, "upgrades"), 2);
	ck_assert_int_eq(image_column(image, "security_upgrades"), 1);
	assert_consistent(image);
	/*
	 * upgradable: only the upgrades listed change (others stay, as upstream's); an
	 * unknown package comes at version_from; uninstalled entries go, as in every type.
	 */
	update_ok(image, &(struct iupd){.type = "upgradable",
	                                .installed = "t-ity-x=1",
	                                .uninstalled = "t-ity-x=1",
	                                .upgradable = "t-ity-c=1>1.1 t-ity-d=4>5@t-ity-src"});
	assert_packages(image, "t-ity-a=1>2!security t-ity-b=1>3! t-ity-c=1>1.1@t-ity-src! "
	                       "t-ity-d=4>5@t-ity-src!");
	assert_consistent(image);
	update_ok(image, &(struct iupd){.type = "upgradable", .uninstalled = "t-ity-d=4"});
	assert_packages(image, "t-ity-a=1>2!security t-ity-b=1>3! t-ity-c=1>1.1@t-ity-src!");
	assert_consistent(image);
	update_ok(image,
	          &(struct iupd){.type = "upgradable", .upgradable = "t-ity-d=4>5@t-ity-src"});
	/* dpkg_hook: installed added or changed (upgrade cleared), uninstalled removed. */
	update_ok(image, &(struct iupd){.type = "dpkg_hook",
	                                .installed = "t-ity-c=2@t-ity-src t-ity-e=1",
	                                .uninstalled = "t-ity-b=1"});
	assert_packages(image, "t-ity-a=1>2!security t-ity-c=2@t-ity-src t-ity-d=4>5@t-ity-src! "
	                       "t-ity-e=1");
	ck_assert_int_eq(image_column(image, "packages"), 4);
	ck_assert_int_eq(image_column(image, "upgrades"), 2);
	assert_consistent(image);
	/* full: the whole set again, on another OS. */
	update_ok(image, &(struct iupd){.os = "Ubuntu 24.04",
	                                .installed = "t-ity-a=1 t-ity-f=1",
	                                .upgradable = "t-ity-f=1>2!security"});
	assert_packages(image, "t-ity-a=1 t-ity-f=1>2!security");
	j = get_image(image);
	ck_assert_str_eq(it_str(j, "os"), "Ubuntu 24.04");
	json_decref(j);
	ck_assert_int_eq(image_column(image, "packages"), 2);
	ck_assert_int_eq(image_column(image, "security_upgrades"), 1);
	assert_consistent(image);
}
END_TEST

/* --- GET /images/NAME, /images/, /kubernetes/ -------------------------------------------- */

/* The "kubernetes" list of an image answer: "cluster namespace containers" each, sorted. */
static void
assert_deployments(const json_t *image, const char *want)
{
	const json_t *list = json_object_get(image, "kubernetes"), *k;
	struct dm_buf b;
	size_t i;

	ck_assert_msg(json_is_array(list), "\"kubernetes\" is not a list");
	dm_buf_init(&b, 1024 * 1024);
	ck_assert_int_eq(dm_buf_add(&b, "", 0), 0);
	json_array_foreach (list, i, k) {
		ck_assert_msg(json_is_object(k), "a deployment is not an object");
		ck_assert_int_eq(dm_buf_printf(&b, "%s%s %s %lld", i ? ";" : "",
		                               it_str(k, "cluster"), it_str(k, "namespace"),
		                               (long long)integer(k, "containers")),
		                 0);
	}
	ck_assert_msg(strcmp(b.data, want) == 0, "kubernetes: \"%s\", want \"%s\"", b.data, want);
	dm_buf_free(&b);
}

START_TEST(test_detail_json)
{
	const char *image = REGISTRY "t-img-detail/app:1.2-3";
	time_t created, modified, now = time(NULL);
	const json_t *p;
	json_t *j, *other;
	size_t i;

	fresh(image);
	fresh_cluster("t-idet-c1");
	fresh_cluster("t-idet-c2");
	update_ok(image, &(struct iupd){.installed = "t-idet-a=1 t-idet-b=2@t-idet-src t-idet-c=3",
	                                .upgradable = "t-idet-a=1>1.1!security t-idet-c=3>3.1!"});
	kube_update(json_pack("{s:s, s:{s:{s:i, s:i}}}", "cluster", "t-idet-c1", "images", image,
	                      "t-idet-ns2", 2, "t-idet-ns1", 1),
	            201, none);
	kube_update(json_pack("{s:s, s:{s:{s:i}}}", "cluster", "t-idet-c2", "images", image,
	                      "t-idet-ns1", 5),
	            201, none);
	j = get_image(image);
	ck_assert_str_eq(it_str(j, "name"), image);
	ck_assert_str_eq(it_str(j, "os"), "Debian 12");
	ck_assert_ptr_null(json_object_get(j, "kernel"));
	created = it_iso_time(it_str(j, "created"));
	modified = it_iso_time(it_str(j, "modified"));
	ck_assert_msg(created <= modified, "created %s after modified %s", it_str(j, "created"),
	              it_str(j, "modified"));
	ck_assert_msg(llabs((long long)(modified - now)) < 300, "modified %s is not now (UTC)",
	              it_str(j, "modified"));
	assert_deployments(j,
	                   "t-idet-c1 t-idet-ns1 1;t-idet-c1 t-idet-ns2 2;t-idet-c2 t-idet-ns1 5");
	json_array_foreach (json_object_get(j, "packages"), i, p) {
		ck_assert_msg(json_is_object(p), "a package is not an object");
		ck_assert_ptr_nonnull(json_object_get(p, "upgradable_version"));
		ck_assert_ptr_nonnull(json_object_get(p, "upgrade_type"));
	}
	it_assert_packages(j, image,
	                   "t-idet-a=1>1.1!security t-idet-b=2@t-idet-src t-idet-c=3>3.1!");
	/* The same on the client vhost. */
	other = it_get_subject(it_https, "images", image);
	ck_assert_ptr_nonnull(other);
	ck_assert_msg(json_equal(j, other), "the vhosts answer differently");
	json_decref(other);
	json_decref(j);
}
END_TEST

START_TEST(test_detail_unknown)
{
	const char *image = REGISTRY "t-img-unknown/app:1";
	struct it_request req = {.accept = JSON_TYPE};
	struct it_response r;

	fresh(image);
	it_do(it_http("/images/" REGISTRY "t-img-unknown/app:1"), &req, &r);
	ck_assert_msg(r.status == 404, "JSON: HTTP %ld: %s", r.status, r.body);
	it_response_free(&r);
	it_do(it_http("/images/" REGISTRY "t-img-unknown/app:1"), NULL, &r);
	ck_assert_msg(r.status == 404, "HTML: HTTP %ld", r.status);
	it_response_free(&r);
}
END_TEST

/* Without Accept: application/json the page is HTML, and what the client sent is text. */
START_TEST(test_detail_html_escaped)
{
	const char *image = REGISTRY "t-img-esc/<b>t-x</b>:1";
	const char *url = "/images/registry.example.org%2Ft-img-esc%2F%3Cb%3Et-x%3C%2Fb%3E:1";
	struct it_response r;
	json_t *j;
	char *body;

	fresh(image);
	fresh_cluster("t-iesc-cluster");
	j = payload_json(image, &(struct iupd){0});
	json_object_set_new(j, "installed",
	                    json_pack("[{s:s, s:s, s:s}]", "name", "<script>t-ie</script>",
	                              "version", "1&2\"'<t-iv>", "source", "t-ie<t-is>src"));
	body = it_dump(j);
	post_as("registry.example.org%2Ft-img-esc%2F%3Cb%3Et-x%3C%2Fb%3E:1", body, NULL, &r);
	it_assert_created("markup in names", &r);
	it_response_free(&r);
	free(body);
	kube_update(json_pack("{s:s, s:{s:{s:i}}}", "cluster", "t-iesc-cluster", "images", image,
	                      "<i>t-ie-ns</i>", 1),
	            201, none);
	it_do(it_http(url), NULL, &r);
	ck_assert_msg(r.status == 200, "HTTP %ld: %s", r.status, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_msg(strstr(r.body, "&lt;b&gt;t-x&lt;/b&gt;") != NULL,
	              "escaped image name not on the page");
	ck_assert_msg(strstr(r.body, "<b>t-x") == NULL, "unescaped image name on the page");
	ck_assert_msg(strstr(r.body, "&lt;script&gt;t-ie&lt;/script&gt;") != NULL,
	              "escaped package name not on the page");
	ck_assert_msg(strstr(r.body, "<script>t-ie") == NULL, "unescaped package name on the page");
	ck_assert_msg(strstr(r.body, "<t-iv>") == NULL && strstr(r.body, "<t-is>") == NULL,
	              "unescaped version or source on the page");
	ck_assert_msg(strstr(r.body, "&lt;i&gt;t-ie-ns&lt;/i&gt;") != NULL,
	              "escaped namespace not on the page");
	ck_assert_msg(strstr(r.body, "<i>t-ie-ns") == NULL, "unescaped namespace on the page");
	it_response_free(&r);
	j = get_image(image);
	ck_assert_str_eq(it_str(j, "name"), image);
	json_decref(j);
}
END_TEST

/* IMAGE_EXTERNAL_LINKS: {image_path} is the name without its tag (a registry port stays). */
START_TEST(test_detail_external_links)
{
	const char *image = "registry.example.org:5000/t-img-links/app+x:1.2";
	const char *url = "/images/registry.example.org:5000/t-img-links/app+x:1.2";
	struct it_response r;
	json_t *j;

	fresh(image);
	update_ok(image, &(struct iupd){.installed = "t-ilinks-a=1"});
	it_config_set(NULL, "IMAGE_EXTERNAL_LINKS",
	              json_pack("{s:s}", "Registry", "https://r.example.org/?i={image_path}&x=1"));
	j = get_image(image);
	ck_assert_str_eq(
	    it_str(json_object_get(j, "external_links"), "Registry"),
	    "https://r.example.org/?i=registry.example.org:5000/t-img-links/app%2Bx&x=1");
	json_decref(j);
	it_do(it_http(url), NULL, &r);
	ck_assert_msg(r.status == 200, "HTTP %ld", r.status);
	ck_assert_msg(strstr(r.body, "<a href=\"https://r.example.org/?i=registry.example.org:5000/"
	                             "t-img-links/app%2Bx&amp;x=1\"") != NULL,
	              "no registry link: %s", r.body);
	it_response_free(&r);
}
END_TEST

/* The entry of list whose key is value, or NULL. */
static const json_t *
entry(const json_t *list, const char *key, const char *value)
{
	const json_t *e;
	size_t i;

	json_array_foreach (list, i, e) {
		if (strcmp(it_str(e, key), value) == 0)
			return e;
	}
	return NULL;
}

START_TEST(test_images_list)
{
	const char *a = REGISTRY "t-img-list/a:1", *b = REGISTRY "t-img-list/b:2";
	const json_t *e;
	json_t *j, *list;

	fresh(a);
	fresh(b);
	update_ok(a, &(struct iupd){.installed = "t-ils-a=1 t-ils-b=1 t-ils-c=1",
	                            .upgradable = "t-ils-a=1>2!security t-ils-b=1>2"});
	update_ok(b, &(struct iupd){.os = "Debian 11", .installed = "t-ils-a=1"});
	j = get_list("/images/", "images", &list);
	ck_assert_msg((e = entry(list, "name", a)) != NULL, "%s is not listed", a);
	ck_assert_str_eq(it_str(e, "os"), "Debian 12");
	it_iso_time(it_str(e, "modified"));
	ck_assert_int_eq(integer(e, "packages"), 3);
	ck_assert_int_eq(integer(e, "upgrades"), 2);
	ck_assert_int_eq(integer(e, "security_upgrades"), 1);
	ck_assert_msg((e = entry(list, "name", b)) != NULL, "%s is not listed", b);
	ck_assert_str_eq(it_str(e, "os"), "Debian 11");
	ck_assert_int_eq(integer(e, "packages"), 1);
	ck_assert_int_eq(integer(e, "upgrades"), 0);
	ck_assert_int_eq(integer(e, "security_upgrades"), 0);
	json_decref(j);
}
END_TEST

START_TEST(test_kubernetes_list)
{
	const char *a = REGISTRY "t-img-klist/a:1", *b = REGISTRY "t-img-klist/b:1";
	const char *cluster = "t-iklist-cluster";
	struct dm_buf got;
	const json_t *e;
	json_t *j, *list;
	size_t i;

	fresh(a);
	fresh(b);
	fresh_cluster(cluster);
	update_ok(a, &(struct iupd){.installed = "t-ikl-a=1"});
	update_ok(b, &(struct iupd){.os = "Ubuntu 22.04", .installed = "t-ikl-a=1"});
	kube_update(json_pack("{s:s, s:{s:{s:i, s:i}, s:{s:i}}}", "cluster", cluster, "images", a,
	                      "t-ikl-ns1", 3, "t-ikl-ns2", 1, b, "t-ikl-ns1", 2),
	            201, none);
	j = get_list("/kubernetes/", "images", &list);
	dm_buf_init(&got, 1024 * 1024);
	ck_assert_int_eq(dm_buf_add(&got, "", 0), 0);
	json_array_foreach (list, i, e) {
		if (strcmp(it_str(e, "cluster"), cluster) != 0)
			continue;
		ck_assert_int_eq(dm_buf_printf(&got, "%s %s %s %lld;", it_str(e, "namespace"),
		                               it_str(e, "image"), it_str(e, "os"),
		                               (long long)integer(e, "containers")),
		                 0);
	}
	ck_assert_str_eq(got.data, "t-ikl-ns1 " REGISTRY "t-img-klist/a:1 Debian 12 3;"
	                           "t-ikl-ns1 " REGISTRY "t-img-klist/b:1 Ubuntu 22.04 2;"
	                           "t-ikl-ns2 " REGISTRY "t-img-klist/a:1 Debian 12 1;");
	dm_buf_free(&got);
	json_decref(j);
}
END_TEST

/* --- DELETE /images/NAME ----------------------------------------------------------------- */

/* The image, its package rows and its Kubernetes rows go; what another image shares stays. */
static void
assert_delete(const char *image, const struct it_tls *tls)
{
	const char *other = REGISTRY "t-img-del-other/app:1";
	const char *cluster = "t-idel-cluster";
	const char *spec = "t-idel-a=1@t-idel-src t-idel-b=1@t-idel-src";
	struct it_response r;
	long long packages, versions;
	char *id, want[1024];

	fresh(image);
	fresh(other);
	fresh_cluster(cluster);
	update_ok(image, &(struct iupd){.installed = spec, .upgradable = "t-idel-a=1>2"});
	update_ok(other, &(struct iupd){.installed = spec});
	kube_update(json_pack("{s:s, s:{s:{s:i, s:i}, s:{s:i}}}", "cluster", cluster, "images",
	                      image, "t-idel-ns1", 1, "t-idel-ns2", 2, other, "t-idel-ns1", 3),
	            201, none);
	id = image_id(image);
	ck_assert_int_eq(rows_of("image_package", id), 2);
	ck_assert_int_eq(rows_of("kubernetes_image", id), 2);
	packages = it_db_count("SELECT COUNT(*) FROM package");
	versions = it_db_count("SELECT COUNT(*) FROM package_version");
	delete_as(image, tls, &r);
	ck_assert_msg(r.status == 204, "DELETE: HTTP %ld: %s", r.status, r.body);
	ck_assert_uint_eq(r.len, 0);
	it_response_free(&r);
	ck_assert_int_eq(image_count(image), 0);
	ck_assert_int_eq(rows_of("image_package", id), 0);
	ck_assert_int_eq(rows_of("kubernetes_image", id), 0);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package"), packages);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package_version"), versions);
	ck_assert_ptr_null(it_get_subject(it_http, "images", image));
	assert_packages(other, spec);
	snprintf(want, sizeof(want), "t-idel-ns1 %s 3", other);
	assert_cluster(cluster, want);
	free(id);
}

START_TEST(test_delete_builder)
{
	assert_delete(REGISTRY "t-img-del/app:1", NULL);
}
END_TEST

START_TEST(test_delete_image_proxy)
{
	struct it_tls tls = it_cert(IMAGE_PROXY);

	assert_delete(REGISTRY "t-img-del-proxy/app:1", &tls);
}
END_TEST

/* Percent-encoded, and unknown once gone. */
START_TEST(test_delete_encoded_twice)
{
	const char *image = REGISTRY "t-img-del-twice/app:1";
	const char *encoded = "registry.example.org%2Ft-img-del-twice%2Fapp%3A1";
	struct it_response r;

	fresh(image);
	delete_as(image, NULL, &r);
	ck_assert_msg(r.status == 404, "unknown image: HTTP %ld: %s", r.status, r.body);
	it_response_free(&r);
	update_ok(image, &(struct iupd){.installed = "t-idel-a=1@t-idel-src"});
	delete_as(encoded, NULL, &r);
	ck_assert_msg(r.status == 204, "HTTP %ld: %s", r.status, r.body);
	it_response_free(&r);
	ck_assert_int_eq(image_count(image), 0);
	delete_as(image, NULL, &r);
	ck_assert_msg(r.status == 404, "deleted twice: HTTP %ld: %s", r.status, r.body);
	it_response_free(&r);
}
END_TEST

START_TEST(test_delete_refused)
{
	const char *image = "t-img-del-self.example.org:1";
	const char *cns[] = {INTRUDER, HOST_PROXY, image};
	struct it_request plain = {.method = "DELETE"};
	struct it_tls tls;
	struct it_response r;
	char *before;
	size_t i;

	fresh(image);
	update_ok(image, &(struct iupd){.installed = "t-idel-a=1@t-idel-src"});
	before = it_db_snapshot();
	for (i = 0; i < sizeof(cns) / sizeof(cns[0]); i++) {
		tls = it_cert(cns[i]);
		delete_as(image, &tls, &r);
		it_assert_rejected(cns[i], before, &r, 403);
		ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
		ck_assert_msg(strstr(r.body, cns[i]) != NULL, "403 does not name the CN %s: %s",
		              cns[i], r.body);
		it_response_free(&r);
	}
	it_do(it_http("/images/t-img-del-self.example.org:1"), &plain, &r);
	it_assert_rejected("DELETE on the pages vhost", before, &r, 405);
	it_response_free(&r);
	free(before);
	assert_packages(image, "t-idel-a=1@t-idel-src");
}
END_TEST

/* --- POST /kubernetes/update ------------------------------------------------------------- */

/* A report replaces the cluster's rows, and only that cluster's. */
START_TEST(test_kube_replaces)
{
	const char *a = REGISTRY "t-img-kube/a:1", *b = REGISTRY "t-img-kube/b:1";
	const char *c1 = "t-ikube-c1", *c2 = "t-ikube-c2";

	fresh(a);
	fresh(b);
	fresh_cluster(c1);
	fresh_cluster(c2);
	update_ok(a, &(struct iupd){.installed = "t-ik-a=1"});
	update_ok(b, &(struct iupd){.installed = "t-ik-a=1"});
	kube_update(json_pack("{s:s, s:{s:{s:i, s:i}, s:{s:i}}}", "cluster", c1, "images", a,
	                      "t-ns1", 2, "t-ns2", 3, b, "t-ns1", 1),
	            201, none);
	assert_cluster(c1, "t-ns1 " REGISTRY "t-img-kube/a:1 2;t-ns1 " REGISTRY
	                   "t-img-kube/b:1 1;t-ns2 " REGISTRY "t-img-kube/a:1 3");
	kube_update(json_pack("{s:s, s:{s:{s:i}}}", "cluster", c2, "images", a, "t-ns9", 7), 201,
	            none);
	/* A namespace and an image no longer sent disappear; a count changes; 0 is a count. */
	kube_update(json_pack("{s:s, s:{s:{s:i, s:i}}}", "cluster", c1, "images", a, "t-ns1", 4,
	                      "t-ns3", 0),
	            201, none);
	assert_cluster(c1, "t-ns1 " REGISTRY "t-img-kube/a:1 4;t-ns3 " REGISTRY "t-img-kube/a:1 0");
	assert_cluster(c2, "t-ns9 " REGISTRY "t-img-kube/a:1 7");
	/* The same report again changes nothing. */
	kube_update(json_pack("{s:s, s:{s:{s:i, s:i}}}", "cluster", c1, "images", a, "t-ns1", 4,
	                      "t-ns3", 0),
	            201, none);
	assert_cluster(c1, "t-ns1 " REGISTRY "t-img-kube/a:1 4;t-ns3 " REGISTRY "t-img-kube/a:1 0");
	/* Nothing running any more. */
	kube_update(json_pack("{s:s, s:{}}", "cluster", c1, "images"), 201, none);
	assert_cluster(c1, "");
	assert_cluster(c2, "t-ns9 " REGISTRY "t-img-kube/a:1 7");
}
END_TEST

/* A report of n images registry.example.org/t-kbig/appN:1, each in namespace ns. */
static json_t *
big_cluster(size_t n, const char *ns)
{
	json_t *images = json_object();
	char name[128];
	size_t i;

	for (i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), REGISTRY "t-kbig/app%zu:1", i);
		json_object_set_new(images, name, json_pack("{s:i}", ns, 1));
	}
	return json_pack("{s:s, s:o}", "cluster", "t-kbig", "images", images);
}

/*
 * A cluster at the payload's limit (50,000 images) on a server whose max_allowed_packet
 * is 1 MiB (MariaDB's default before 10.2): every statement stays small, the report and
 * the next one, which drops half of the images, are both taken whole.
 */
START_TEST(test_kube_cluster_at_limit)
{
	const char *ns = "t-kbig-namespace-0001";
	char *old = it_db_value("SELECT @@GLOBAL.max_allowed_packet"), sql[128];
	struct it_response r, r2;
	char *body;

	update_ok(REGISTRY "t-kbig/seed:1", &(struct iupd){.installed = "t-kbig-a=1"});
	it_db_exec("INSERT IGNORE INTO image (name, os_id, created, modified)"
	           " SELECT CONCAT('" REGISTRY "t-kbig/app', seq, ':1'), os_id, modified, modified"
	           " FROM image JOIN seq_1_to_50000"
	           " WHERE name = '" REGISTRY "t-kbig/seed:1'");
	it_db_exec("SET GLOBAL max_allowed_packet = 1048576");
	body = it_dump(big_cluster(50000, ns));
	kube_post(body, strlen(body), NULL, &r);
	free(body);
	body = it_dump(big_cluster(25000, ns));
	kube_post(body, strlen(body), NULL, &r2);
	free(body);
	/* Put back before anything can fail: the other tests need the server as it was. */
	snprintf(sql, sizeof(sql), "SET GLOBAL max_allowed_packet = %s", old);
	it_db_exec(sql);
	free(old);
	assert_kube_answer(&r, 201, none);
	assert_kube_answer(&r2, 201, none);
	it_response_free(&r);
	it_response_free(&r2);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM kubernetes_image"
	                             " WHERE cluster = 't-kbig'"),
	                 25000);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM kubernetes_image k JOIN image i"
	                             " ON i.id = k.image_id WHERE k.cluster = 't-kbig'"
	                             " AND i.name = '" REGISTRY "t-kbig/app25001:1'"),
	                 0);
	it_db_exec("DELETE FROM kubernetes_image WHERE cluster = 't-kbig'");
	it_db_exec("DELETE FROM image WHERE name LIKE '" REGISTRY "t-kbig/app%'");
	it_forget("images", REGISTRY "t-kbig/seed:1");
}
END_TEST

/* Images the server does not know are named in "missing" and skipped: 202. */
START_TEST(test_kube_missing)
{
	const char *a = REGISTRY "t-img-kmiss/a:1";
	const char *u1 = REGISTRY "t-img-kmiss/unknown:1", *u2 = REGISTRY "t-img-kmiss/unknown:2";
	const char *cluster = "t-ikmiss-cluster";
	const char *const missing[] = {u1, u2, NULL};
	const char *const only_u1[] = {u1, NULL};

	fresh(a);
	fresh(u1);
	fresh(u2);
	fresh_cluster(cluster);
	update_ok(a, &(struct iupd){.installed = "t-ikm-a=1"});
	kube_update(json_pack("{s:s, s:{s:{s:i}, s:{s:i, s:i}, s:{s:i}}}", "cluster", cluster,
	                      "images", u1, "t-ns1", 1, a, "t-ns1", 2, "t-ns2", 1, u2, "t-ns2", 4),
	            202, missing);
	assert_cluster(cluster,
	               "t-ns1 " REGISTRY "t-img-kmiss/a:1 2;t-ns2 " REGISTRY "t-img-kmiss/a:1 1");
	ck_assert_int_eq(image_count(u1), 0);
	/* Still a replacement: what the cluster held and is not sent again goes. */
	kube_update(json_pack("{s:s, s:{s:{s:i}}}", "cluster", cluster, "images", u1, "t-ns1", 1),
	            202, only_u1);
	assert_cluster(cluster, "");
}
END_TEST

#define KBAD_CLUSTER "t-ikbad-cluster"
#define KBAD_IMAGE REGISTRY "t-img-kbad/app:1"
#define KBAD_HEAD "{\"cluster\": \"" KBAD_CLUSTER "\", \"images\": "
#define KBAD_NS(v) KBAD_HEAD "{\"" KBAD_IMAGE "\": {\"t-ok\": 1, \"t-bad\": " v "}}}"
#define KBAD_COUNT "images[\"" KBAD_IMAGE "\"][\"t-bad\"]: must be a non-negative integer"

static const struct {
	const char *body;
	const char *want;
} kube_bad_inputs[] = {
    {"", "empty body"},
    {"{\"cluster\": ", "not JSON"},
    {"[\"" KBAD_CLUSTER "\"]", "payload: must be a JSON object"},
    {"{\"images\": {}}", "cluster: missing"},
    {"{\"cluster\": \"\", \"images\": {}}", "cluster: empty"},
    {"{\"cluster\": 3, \"images\": {}}", "cluster: must be a string"},
    {KBAD_HEAD "[\"" KBAD_IMAGE "\"]}", "images: must be an object"},
    {KBAD_HEAD "\"" KBAD_IMAGE "\"}", "images: must be an object"},
    {KBAD_HEAD "{\"" KBAD_IMAGE "\": [\"t-ok\"]}}",
     "images[\"" KBAD_IMAGE "\"]: must be an object"},
    {KBAD_HEAD "{\"" KBAD_IMAGE "\": 3}}", "images[\"" KBAD_IMAGE "\"]: must be an object"},
    {KBAD_NS("-1"), KBAD_COUNT},
    {KBAD_NS("1.5"), KBAD_COUNT},
    {KBAD_NS("\"2\""), KBAD_COUNT},
    {KBAD_NS("true"), KBAD_COUNT},
    {KBAD_NS("null"), KBAD_COUNT},
    {KBAD_NS("{}"), KBAD_COUNT},
};

/* The cluster holds known rows, and a malformed report must leave all of it alone. */
START_TEST(test_kube_bad_input)
{
	const char *body = kube_bad_inputs[_i].body, *want = kube_bad_inputs[_i].want;
	struct it_response r;
	char *before;

	update_ok(KBAD_IMAGE, &(struct iupd){.installed = "t-ikb-a=1"});
	kube_update(json_pack("{s:s, s:{s:{s:i}}}", "cluster", KBAD_CLUSTER, "images", KBAD_IMAGE,
	                      "t-before", 1),
	            201, none);
	before = it_db_snapshot();
	kube_post(body, strlen(body), NULL, &r);
	it_assert_rejected(want, before, &r, 400);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strncmp(r.body, want, strlen(want)) == 0, "answer \"%s\", want \"%s...\"",
	              r.body, want);
	it_response_free(&r);
	free(before);
	assert_cluster(KBAD_CLUSTER, "t-before " KBAD_IMAGE " 1");
}
END_TEST

START_TEST(test_kube_refused_cns)
{
	const char *image = REGISTRY "t-img-kref/app:1", *cluster = "t-ikref-cluster";
	const char *cns[] = {INTRUDER, HOST_PROXY};
	struct it_tls tls;
	struct it_response r;
	char *before, *body;
	size_t i;

	fresh(image);
	fresh_cluster(cluster);
	update_ok(image, &(struct iupd){.installed = "t-ikr-a=1"});
	kube_update(
	    json_pack("{s:s, s:{s:{s:i}}}", "cluster", cluster, "images", image, "t-ns1", 1), 201,
	    none);
	body = it_dump(json_pack("{s:s, s:{}}", "cluster", cluster, "images"));
	before = it_db_snapshot();
	for (i = 0; i < sizeof(cns) / sizeof(cns[0]); i++) {
		tls = it_cert(cns[i]);
		kube_post(body, strlen(body), &tls, &r);
		it_assert_rejected(cns[i], before, &r, 403);
		ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
		ck_assert_msg(strstr(r.body, cns[i]) != NULL, "403 does not name the CN %s: %s",
		              cns[i], r.body);
		it_response_free(&r);
	}
	free(before);
	assert_cluster(cluster, "t-ns1 " REGISTRY "t-img-kref/app:1 1");
	/* The other PROXY_IMAGES CN may. */
	tls = it_cert(IMAGE_PROXY);
	kube_post(body, strlen(body), &tls, &r);
	assert_kube_answer(&r, 201, none);
	it_response_free(&r);
	free(body);
	assert_cluster(cluster, "");
}
END_TEST

START_TEST(test_kube_methods)
{
	struct it_request post = {.method = "POST",
	                          .body = "{\"cluster\": \"t-ikm\", \"images\": {}}"};
	struct it_response r;
	const char *allow;
	char *before;

	it_do(it_https("/kubernetes/update"), NULL, &r);
	ck_assert_msg(r.status == 405, "GET on the client vhost: HTTP %ld: %s", r.status, r.body);
	ck_assert_ptr_nonnull(allow = it_header(&r, "Allow"));
	ck_assert_msg(strstr(allow, "POST") != NULL, "Allow: %s", allow);
	it_response_free(&r);
	it_do(it_http("/kubernetes/update"), NULL, &r);
	ck_assert_msg(r.status == 404, "GET on the pages vhost: HTTP %ld: %s", r.status, r.body);
	it_response_free(&r);
	post.body_len = strlen(post.body);
	before = it_db_snapshot();
	it_do(it_http("/kubernetes/update"), &post, &r);
	ck_assert_msg(r.status == 404 || r.status == 405, "POST on the pages vhost: HTTP %ld",
	              r.status);
	it_assert_rejected("POST on the pages vhost", before, &r, r.status);
	it_response_free(&r);
	free(before);
}
END_TEST

/* --- concurrency ------------------------------------------------------------------------- */

#define RACE_NS 100

/*
 * Report i of a same-cluster race, and the rows it leaves: image i runs in RACE_NS
 * namespaces of its own with i + 1 containers, the other image in a shared one.
 */
static char *
race_report(const char *cluster, const char *const *images, int i, struct dm_buf *rows)
{
	json_t *mine = json_object(), *other = json_object();
	char ns[32];
	int k;

	dm_buf_init(rows, 1024 * 1024);
	for (k = 0; k < RACE_NS; k++) {
		snprintf(ns, sizeof(ns), "t-race-%d-%03d", i, k);
		json_object_set_new(mine, ns, json_integer(i + 1));
		ck_assert_int_eq(dm_buf_printf(rows, "%s %s %d;", ns, images[i], i + 1), 0);
	}
	json_object_set_new(other, "t-race-shared", json_integer(i + 1));
	ck_assert_int_eq(dm_buf_printf(rows, "t-race-shared %s %d", images[1 - i], i + 1), 0);
	return it_dump(json_pack("{s:s, s:{s:o, s:o}}", "cluster", cluster, "images", images[i],
	                         mine, images[1 - i], other));
}

/* Two reports for one cluster at once: both succeed, and one of them is what remains. */
START_TEST(test_kube_concurrent_same_cluster)
{
	const char *const images[] = {REGISTRY "t-img-race/a:1", REGISTRY "t-img-race/b:1"};
	const char *cluster = "t-irace-cluster";
	struct it_job jobs[2];
	struct dm_buf want[2];
	char *got;
	int i, round;

	fresh_cluster(cluster);
	for (i = 0; i < 2; i++) {
		fresh(images[i]);
		update_ok(images[i], &(struct iupd){.installed = "t-irc-a=1"});
	}
	for (round = 0; round < 5; round++) {
		memset(jobs, 0, sizeof(jobs));
		for (i = 0; i < 2; i++) {
			snprintf(jobs[i].url, sizeof(jobs[i].url), "%s",
			         it_https("/kubernetes/update"));
			jobs[i].method = "POST";
			jobs[i].tls = (struct it_tls){it_env("DM_CERT"), it_env("DM_KEY")};
			jobs[i].body = race_report(cluster, images, i, &want[i]);
		}
		it_run_jobs(jobs, 2, 201, 201);
		got = cluster_rows(cluster);
		ck_assert_msg(strcmp(got, want[0].data) == 0 || strcmp(got, want[1].data) == 0,
		              "round %d: the cluster holds neither report whole: %.300s", round,
		              got);
		free(got);
		for (i = 0; i < 2; i++) {
			free(jobs[i].body);
			dm_buf_free(&want[i]);
		}
	}
}
END_TEST

/*
 * An image removed while a report naming it is applied: the report is still taken, the
 * image counted as missing if it went first (202 either way: a second image is never
 * known), never a 500; no row of the removed image is left.
 */
START_TEST(test_kube_races_delete)
{
	const char *image = REGISTRY "t-img-krd/app:1", *cluster = "t-ikrd-cluster";
	struct it_tls own = {it_env("DM_CERT"), it_env("DM_KEY")};
	struct it_job jobs[2];
	char path[1024];
	int round;

	fresh_cluster(cluster);
	snprintf(path, sizeof(path), "/images/%s", image);
	for (round = 0; round < 40; round++) {
		fresh(image);
		update_ok(image, &(struct iupd){.installed = "t-ikrd-a=1"});
		memset(jobs, 0, sizeof(jobs));
		snprintf(jobs[0].url, sizeof(jobs[0].url), "%s", it_https(path));
		jobs[0].method = "DELETE";
		jobs[0].tls = own;
		snprintf(jobs[1].url, sizeof(jobs[1].url), "%s", it_https("/kubernetes/update"));
		jobs[1].method = "POST";
		jobs[1].tls = own;
		jobs[1].body =
		    it_dump(json_pack("{s:s, s:{s:{s:i}, s:{s:i}}}", "cluster", cluster, "images",
		                      image, "t-ns", 1, REGISTRY "t-img-krd/never:1", "t-ns", 1));
		it_run_jobs(jobs, 2, 204, 202);
		free(jobs[1].body);
		ck_assert_int_eq(image_count(image), 0);
		assert_cluster(cluster, "");
	}
}
END_TEST

static void
restore(void)
{
	it_config_restore();
}

Suite *
make_it_images_suite(void)
{
	Suite *s = suite_create("integration: images");
	TCase *auth = tcase_create("who may update an image");
	TCase *names = tcase_create("image names");
	TCase *bad = tcase_create("bad image input");
	TCase *ingest = tcase_create("image update types");
	TCase *pages = tcase_create("image and Kubernetes pages");
	TCase *del = tcase_create("image delete");
	TCase *kube = tcase_create("Kubernetes reports");
	TCase *conc = tcase_create("Kubernetes concurrency");
	TCase *all[] = {auth, names, bad, ingest, pages, del, kube, conc};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		tcase_set_timeout(all[i], 60);
		tcase_add_checked_fixture(all[i], restore, NULL);
		tcase_add_unchecked_fixture(all[i], NULL, restore);
	}
	tcase_add_test(auth, test_update_image_proxies);
	tcase_add_test(auth, test_update_refused_cns);
	tcase_add_test(auth, test_update_plain_vhost);
	tcase_add_test(auth, test_update_wrong_method);
	tcase_add_test(names, test_name_percent_encoded);
	tcase_add_test(names, test_name_lengths);
	tcase_add_loop_test(bad, test_bad_input, 0,
	                    (int)(sizeof(bad_inputs) / sizeof(bad_inputs[0])));
	tcase_add_test(ingest, test_update_types);
	tcase_add_test(pages, test_detail_json);
	tcase_add_test(pages, test_detail_unknown);
	tcase_add_test(pages, test_detail_html_escaped);
	tcase_add_test(pages, test_detail_external_links);
	tcase_add_test(pages, test_images_list);
	tcase_add_test(pages, test_kubernetes_list);
	tcase_add_test(del, test_delete_builder);
	tcase_add_test(del, test_delete_image_proxy);
	tcase_add_test(del, test_delete_encoded_twice);
	tcase_add_test(del, test_delete_refused);
	tcase_add_test(kube, test_kube_replaces);
	tcase_add_test(kube, test_kube_missing);
	tcase_add_test(kube, test_kube_cluster_at_limit);
	tcase_add_loop_test(kube, test_kube_bad_input, 0,
	                    (int)(sizeof(kube_bad_inputs) / sizeof(kube_bad_inputs[0])));
	tcase_add_test(kube, test_kube_refused_cns);
	tcase_add_test(kube, test_kube_methods);
	tcase_add_test(conc, test_kube_concurrent_same_cluster);
	tcase_add_test(conc, test_kube_races_delete);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		suite_add_tcase(s, all[i]);
	return s;
}
