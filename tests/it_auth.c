/* it_auth.c: client certificates through the real mod_ssl, and GET /auth-check. */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A CA the server does not trust, and a certificate signed by nobody: made once per run. */
static char rogue_dir[] = "/tmp/dm-it-rogue-XXXXXX";

static void
rogue_setup(void)
{
	if (mkdtemp(rogue_dir) == NULL)
		abort();
	it_sh("(cd %s && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout ca.key -out "
	      "ca.crt"
	      " -subj '/CN=Rogue CA' && openssl req -newkey rsa:2048 -nodes -keyout rogue.key"
	      " -out rogue.csr -subj \"/CN=$(hostname -f 2>/dev/null || hostname)\" && openssl x509"
	      " -req -days 30 -in rogue.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out rogue.crt"
	      " && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout self.key"
	      " -out self.crt -subj '/CN=self-signed.example.org') >/dev/null 2>&1",
	      rogue_dir);
}

static void
rogue_teardown(void)
{
	it_sh("rm -rf %s", rogue_dir);
}

static struct it_tls
rogue(const char *name)
{
	static char cert[2][256], key[2][256];
	int i = strcmp(name, "self") == 0;

	snprintf(cert[i], sizeof(cert[i]), "%s/%s.crt", rogue_dir, name);
	snprintf(key[i], sizeof(key[i]), "%s/%s.key", rogue_dir, name);
	return (struct it_tls){cert[i], key[i]};
}

START_TEST(test_auth_check_ok)
{
	struct it_response r;

	it_do(it_https("/auth-check"), NULL, &r);
	ck_assert_int_eq(r.curl, CURLE_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "OK\n");
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	it_response_free(&r);
}
END_TEST

START_TEST(test_auth_check_any_verified_cn)
{
	struct it_tls other = it_cert("other.example.org");
	struct it_request req = {.tls = &other};
	struct it_response r;

	it_do(it_https("/auth-check"), &req, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "OK\n");
	it_response_free(&r);
}
END_TEST

START_TEST(test_auth_check_head)
{
	struct it_request req = {.method = "HEAD"};
	struct it_response r;

	it_do(it_https("/auth-check"), &req, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.len, 0);
	it_response_free(&r);
}
END_TEST

/* Under SSLVerifyClient require the handshake itself fails: no HTTP answer at all. */
static void
assert_handshake_refused(const struct it_tls *tls)
{
	struct it_request req = {.tls = tls};
	struct it_response r;

	it_do(it_https("/auth-check"), &req, &r);
	ck_assert_msg(r.curl != CURLE_OK, "expected a TLS failure, got HTTP %ld: %s", r.status,
	              r.body);
	ck_assert_int_eq(r.status, 0);
	it_response_free(&r);
}

START_TEST(test_no_certificate)
{
	struct it_tls none = {NULL, NULL};

	assert_handshake_refused(&none);
}
END_TEST

START_TEST(test_certificate_from_other_ca)
{
	struct it_tls t = rogue("rogue");

	assert_handshake_refused(&t);
}
END_TEST

START_TEST(test_self_signed_certificate)
{
	struct it_tls t = rogue("self");

	assert_handshake_refused(&t);
}
END_TEST

START_TEST(test_plain_vhost_is_forbidden)
{
	struct it_response r;

	it_do(it_http("/auth-check"), NULL, &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "client certificate"));
	it_response_free(&r);
}
END_TEST

/* Identity comes from mod_ssl's variables only, never from what a client sends. */
START_TEST(test_headers_cannot_fake_identity)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	long status = 0;

	h = curl_slist_append(h, "SSL-Client-Verify: SUCCESS");
	h = curl_slist_append(h, "SSL_CLIENT_VERIFY: SUCCESS");
	h = curl_slist_append(h, "X-Client-Cert-Verify: SUCCESS");
	h = curl_slist_append(h, "HTTPS: on");
	curl_easy_setopt(c, CURLOPT_URL, it_http("/auth-check"));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ck_assert_int_eq(status, 403);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}
END_TEST

START_TEST(test_wrong_method)
{
	struct it_request req = {.method = "POST", .body = "{}", .body_len = 2};
	struct it_response r;

	it_do(it_https("/auth-check"), &req, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD");
	ck_assert_ptr_nonnull(strstr(r.body, "POST is not allowed"));
	it_response_free(&r);
}
END_TEST

START_TEST(test_plain_vhost_is_read_only)
{
	struct it_request req = {.method = "DELETE"};
	struct it_response r;

	it_do(it_http("/auth-check"), &req, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD");
	it_response_free(&r);
}
END_TEST

/* --- the authorization matrix -------------------------------------------------------- */

#define MX_HOST "authz-h.example.org"
#define MX_IMAGE "reg.example.org/authz/app:1"
#define MX_HOST_BODY                                                                               \
	"{\"api_version\": \"v1\", \"update_type\": \"full\", \"hostname\": \"" MX_HOST "\","      \
	" \"os\": \"Debian 12\", \"running_kernel\": {\"release\": \"6.1\", \"version\": "         \
	"\"#authz\"},"                                                                             \
	" \"installed\": [{\"name\": \"authz-pkg\", \"version\": \"2.0\", \"source\": "            \
	"\"authz-src\"}]}"
#define MX_IMAGE_BODY                                                                              \
	"{\"api_version\": \"v1\", \"update_type\": \"full\", \"image_name\": \"" MX_IMAGE "\","   \
	" \"os\": \"Debian 12\", \"installed\": [{\"name\": \"authz-pkg\", \"version\": \"2.0\","  \
	" \"source\": \"authz-src\"}]}"
#define MX_KUBE_BODY "{\"cluster\": \"authz\", \"images\": {\"" MX_IMAGE "\": {\"ns\": 1}}}"

/* Every write endpoint, in an order where each acceptance leaves the next one meaningful. */
enum mx_write {
	MX_HOST_UPDATE,
	MX_HOST_DELETE,
	MX_IMAGE_UPDATE,
	MX_IMAGE_DELETE,
	MX_KUBE,
	MX__MAX
};

static const struct {
	const char *method, *path, *body;
} mx_writes[MX__MAX] = {
    [MX_HOST_UPDATE] = {"POST", "/hosts/" MX_HOST "/update", MX_HOST_BODY},
    [MX_HOST_DELETE] = {"DELETE", "/hosts/" MX_HOST, NULL},
    [MX_IMAGE_UPDATE] = {"POST", "/images/" MX_IMAGE "/update", MX_IMAGE_BODY},
    [MX_IMAGE_DELETE] = {"DELETE", "/images/" MX_IMAGE, NULL},
    [MX_KUBE] = {"POST", "/kubernetes/update", MX_KUBE_BODY},
};

/* Who calls: a certificate (a CN of the instance's CA, or a rogue one), the vhost, headers. */
struct mx_who {
	const char *what;
	const char *cn;    /* instance CA certificate; NULL: see rogue */
	const char *rogue; /* "rogue" (another CA) or "self" (self-signed); NULL: no certificate */
	int plain;         /* the plain-HTTP pages vhost */
	const char *forged;
	long want[MX__MAX]; /* 0: no HTTP answer (the TLS handshake is refused) */
};

#define FORGED "SSL-Client-S-DN-CN: proxy-hosts.example.org"

static const struct mx_who mx_who[] = {
    {"own CN", MX_HOST, NULL, 0, NULL, {201, 204, 403, 403, 403}},
    {"other host's CN", "authz-other.example.org", NULL, 0, NULL, {403, 403, 403, 403, 403}},
    {"PROXY_HOSTS CN", "proxy-hosts.example.org", NULL, 0, NULL, {201, 204, 403, 403, 403}},
    {"PROXY_IMAGES CN", "proxy-images.example.org", NULL, 0, NULL, {403, 403, 201, 204, 201}},
    {"certificate of another CA", NULL, "rogue", 0, NULL, {0, 0, 0, 0, 0}},
    {"self-signed certificate", NULL, "self", 0, NULL, {0, 0, 0, 0, 0}},
    {"no certificate", NULL, NULL, 0, NULL, {0, 0, 0, 0, 0}},
    {"plain vhost", NULL, NULL, 1, NULL, {405, 405, 405, 405, 405}},
    {"plain vhost, forged headers", NULL, NULL, 1, FORGED, {405, 405, 405, 405, 405}},
    {"other host's CN, forged headers",
     "authz-other.example.org",
     NULL,
     0,
     FORGED "\r\nX-Client-Cert-Verify: SUCCESS",
     {403, 403, 403, 403, 403}},
};

/* The host and the image exist as their proxies last reported them, whatever came before. */
static void
mx_reset(void)
{
	struct it_tls hosts = it_cert("proxy-hosts.example.org");
	struct it_tls images = it_cert("proxy-images.example.org");
	struct it_response r;

	it_do(it_https(mx_writes[MX_HOST_UPDATE].path),
	      &(struct it_request){.method = "POST",
	                           .body = MX_HOST_BODY,
	                           .body_len = strlen(MX_HOST_BODY),
	                           .tls = &hosts},
	      &r);
	it_assert_created("reset the host", &r);
	it_response_free(&r);
	it_do(it_https(mx_writes[MX_IMAGE_UPDATE].path),
	      &(struct it_request){.method = "POST",
	                           .body = MX_IMAGE_BODY,
	                           .body_len = strlen(MX_IMAGE_BODY),
	                           .tls = &images},
	      &r);
	it_assert_created("reset the image", &r);
	it_response_free(&r);
}

/*
 * Every write endpoint x every kind of caller: exactly the expected status, and where it
 * is refused the database is exactly as before.
 */
START_TEST(test_authorization_matrix)
{
	char what[256], *before;
	struct it_response r;
	struct it_tls tls;
	size_t w, e;

	for (w = 0; w < sizeof(mx_who) / sizeof(mx_who[0]); w++) {
		const struct mx_who *who = &mx_who[w];

		tls = who->cn      ? it_cert(who->cn)
		      : who->rogue ? rogue(who->rogue)
		                   : (struct it_tls){0};
		for (e = 0; e < MX__MAX; e++) {
			struct it_request req = {
			    .method = mx_writes[e].method,
			    .body = mx_writes[e].body,
			    .body_len = mx_writes[e].body ? strlen(mx_writes[e].body) : 0,
			    .tls = &tls,
			    .header = who->forged};

			mx_reset();
			/* After mx_reset: it_cert's paths live in a few rotating buffers. */
			tls = who->cn      ? it_cert(who->cn)
			      : who->rogue ? rogue(who->rogue)
			                   : (struct it_tls){0};
			before = it_db_snapshot();
			it_do(who->plain ? it_http(mx_writes[e].path) : it_https(mx_writes[e].path),
			      &req, &r);
			snprintf(what, sizeof(what), "%s %s as %s", mx_writes[e].method,
			         mx_writes[e].path, who->what);
			if (who->want[e] == 0)
				ck_assert_msg(r.curl != CURLE_OK, "%s: answered %ld", what,
				              r.status);
			if (who->want[e] >= 400 || who->want[e] == 0)
				it_assert_rejected(what, before, &r,
				                   r.curl == CURLE_OK ? who->want[e] : 0);
			else
				ck_assert_msg(r.status == who->want[e],
				              "%s: HTTP %ld, want %ld: %s", what, r.status,
				              who->want[e], r.body);
			free(before);
			it_response_free(&r);
		}
	}
	mx_reset();
	it_forget("images", MX_IMAGE);
	it_forget("hosts", MX_HOST);
}
END_TEST

Suite *
make_it_auth_suite(void)
{
	Suite *s = suite_create("integration: certificates and auth-check");
	TCase *tc = tcase_create("auth");

	tcase_add_unchecked_fixture(tc, rogue_setup, rogue_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_auth_check_ok);
	tcase_add_test(tc, test_auth_check_any_verified_cn);
	tcase_add_test(tc, test_auth_check_head);
	tcase_add_test(tc, test_no_certificate);
	tcase_add_test(tc, test_certificate_from_other_ca);
	tcase_add_test(tc, test_self_signed_certificate);
	tcase_add_test(tc, test_plain_vhost_is_forbidden);
	tcase_add_test(tc, test_headers_cannot_fake_identity);
	tcase_add_test(tc, test_wrong_method);
	tcase_add_test(tc, test_plain_vhost_is_read_only);
	tcase_add_test(tc, test_authorization_matrix);
	suite_add_tcase(s, tc);
	return s;
}
