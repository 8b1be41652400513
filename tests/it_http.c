/* it_http.c: libcurl requests against the running instance, certificates and config swaps. */
#include "integration.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define IT_MAX_RESPONSE (64 * 1024 * 1024)

const char *
it_env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || v[0] == '\0') {
		fprintf(stderr,
		        "%s is not set: run the integration tests through ./quickstart test\n",
		        name);
		exit(2);
	}
	return v;
}

static const char *
join(const char *base, const char *path)
{
	static char url[4096];

	snprintf(url, sizeof(url), "%s%s", it_env(base), path);
	return url;
}

const char *
it_https(const char *path)
{
	return join("DM_HTTPS_URL", path);
}

const char *
it_http(const char *path)
{
	return join("DM_HTTP_URL", path);
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	return dm_buf_add(arg, p, size * n) == 0 ? size * n : 0;
}

static void
set_tls(CURL *c, const struct it_tls *tls)
{
	struct it_tls own = {it_env("DM_CERT"), it_env("DM_KEY")};

	if (tls == NULL)
		tls = &own;
	curl_easy_setopt(c, CURLOPT_CAINFO, it_env("DM_CA"));
	if (tls->cert != NULL) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, tls->cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, tls->key);
	}
}

void
it_do(const char *url, const struct it_request *req, struct it_response *res)
{
	static const struct it_request plain = {0};
	struct dm_buf body, head;
	struct curl_slist *hdrs = NULL;
	char accept[256];
	CURL *c = curl_easy_init();

	ck_assert_ptr_nonnull(c);
	req = req ? req : &plain;
	dm_buf_init(&body, IT_MAX_RESPONSE);
	dm_buf_init(&head, IT_MAX_RESPONSE);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &head);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (strncmp(url, "https:", 6) == 0)
		set_tls(c, req->tls);
	if (req->method != NULL && strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (req->method != NULL)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	}
	if (req->accept != NULL) {
		snprintf(accept, sizeof(accept), "Accept: %s", req->accept);
		hdrs = curl_slist_append(hdrs, accept);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	res->curl = curl_easy_perform(c);
	res->status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	res->body = body.data ? body.data : strdup("");
	res->len = body.len;
	res->headers = head.data ? head.data : strdup("");
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
}

void
it_response_free(struct it_response *res)
{
	free(res->body);
	free(res->headers);
	res->body = res->headers = NULL;
}

const char *
it_header(const struct it_response *res, const char *name)
{
	static char value[1024];
	size_t n = strlen(name), len;
	const char *p = res->headers;

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		p += n + 1;
		p += strspn(p, " ");
		len = strcspn(p, "\r\n");
		len = len < sizeof(value) ? len : sizeof(value) - 1;
		memcpy(value, p, len);
		value[len] = '\0';
		return value;
	}
	return NULL;
}

void
it_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "command failed (%d): %s", rc, cmd);
}

struct it_tls
it_cert(const char *name)
{
	static char paths[8][2][1024];
	static int next;
	const char *state = it_env("DM_STATE");
	char(*p)[1024] = paths[next++ % 8];
	struct stat st;

	snprintf(p[0], sizeof(p[0]), "%s/certs/%s.crt", state, name);
	snprintf(p[1], sizeof(p[1]), "%s/certs/%s.key", state, name);
	if (stat(p[0], &st) != 0)
		it_sh("DM_STATE_DIR='%s' '%s/quickstart' cert '%s' >/dev/null", state,
		      it_env("DM_TEST_SOURCE"), name);
	return (struct it_tls){p[0], p[1]};
}

static void
copy_file(const char *from, const char *to)
{
	char chunk[4096];
	FILE *in, *out;
	size_t n;

	/* Rewriting in place keeps the target's owner and mode (readable by www-data). */
	ck_assert_msg((in = fopen(from, "r")) != NULL, "cannot read %s", from);
	ck_assert_msg((out = fopen(to, "w")) != NULL, "cannot write %s", to);
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		ck_assert_uint_eq(fwrite(chunk, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

/*
 * The original is kept on disk next to the config, so a test that dies half-way is
 * repaired by the next restore, which every suite's fixtures call.
 */
static const char *
backup_path(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s.orig", it_env("DM_CONFIG"));
	return path;
}

void
it_config_replace(const char *text)
{
	struct stat st;
	FILE *f;

	if (stat(backup_path(), &st) != 0)
		copy_file(it_env("DM_CONFIG"), backup_path());
	ck_assert_ptr_nonnull(f = fopen(it_env("DM_CONFIG"), "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

void
it_config_restore(void)
{
	struct stat st;

	if (stat(backup_path(), &st) != 0)
		return;
	copy_file(backup_path(), it_env("DM_CONFIG"));
	unlink(backup_path());
}
