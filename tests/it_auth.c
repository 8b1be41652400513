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
	suite_add_tcase(s, tc);
	return s;
}
