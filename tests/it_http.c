/*
 * it_http.c: libcurl requests against the running instance, certificates and config swaps;
 * update payloads from short specs, and checks of what the JSON answers hold.
 */
#include "integration.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

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
	if (req->header != NULL)
		hdrs = curl_slist_append(hdrs, req->header);
	if (req->userpwd != NULL)
		curl_easy_setopt(c, CURLOPT_USERPWD, req->userpwd);
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

/*
 * The paths of each name asked for, written once and never again: threads that post at
 * once each ask, and a path rewritten under a reader (snprintf clears the first byte
 * before it writes) reads as empty.
 */
#define CERT_NAMES 64

struct it_tls
it_cert(const char *name)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char names[CERT_NAMES][256], paths[CERT_NAMES][2][1024];
	static int used;
	const char *state = it_env("DM_STATE");
	struct stat st;
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < used && strcmp(names[i], name) != 0; i++)
		;
	if (i == used) {
		ck_assert_msg(used < CERT_NAMES && strlen(name) < sizeof(names[0]),
		              "it_cert: more than %d names, or \"%s\" too long", CERT_NAMES, name);
		snprintf(names[i], sizeof(names[i]), "%s", name);
		snprintf(paths[i][0], sizeof(paths[i][0]), "%s/certs/%s.crt", state, name);
		snprintf(paths[i][1], sizeof(paths[i][1]), "%s/certs/%s.key", state, name);
		used++;
	}
	if (stat(paths[i][0], &st) != 0)
		it_sh("DM_STATE_DIR='%s' '%s/quickstart' cert '%s' >/dev/null", state,
		      it_env("DM_TEST_SOURCE"), name);
	pthread_mutex_unlock(&lock);
	return (struct it_tls){paths[i][0], paths[i][1]};
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

void
it_config_set(const char *section, const char *key, json_t *value)
{
	json_error_t e;
	json_t *cfg, *obj;
	char *text;

	it_config_restore();
	cfg = json_load_file(it_env("DM_CONFIG"), 0, &e);
	ck_assert_msg(cfg != NULL, "%s: %s", it_env("DM_CONFIG"), e.text);
	obj = section ? json_object_get(cfg, section) : cfg;
	ck_assert_msg(json_is_object(obj), "config has no %s section", section);
	json_object_set_new(obj, key, value);
	ck_assert_ptr_nonnull(text = json_dumps(cfg, JSON_INDENT(4)));
	it_config_replace(text);
	free(text);
	json_decref(cfg);
}

/* --- JSON answers ------------------------------------------------------------------------ */

const char *
it_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	ck_assert_msg(json_is_string(v), "\"%s\" is not a string", key);
	return json_string_value(v);
}

char *
it_dump(json_t *root)
{
	char *text = json_dumps(root, JSON_COMPACT);

	ck_assert_ptr_nonnull(text);
	json_decref(root);
	return text;
}

time_t
it_iso_time(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	ck_assert_msg(strlen(s) == 20, "time \"%s\" is not YYYY-MM-DDTHH:MM:SSZ", s);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	ck_assert_msg(end != NULL && *end == '\0', "time \"%s\" is not YYYY-MM-DDTHH:MM:SSZ", s);
	return timegm(&tm);
}

void
it_assert_created(const char *what, const struct it_response *r)
{
	const char *type = it_header(r, "Content-Type");

	ck_assert_msg(r->status == 201, "%s: HTTP %ld (curl %d): %s", what, r->status, r->curl,
	              r->body);
	ck_assert_msg(r->len == 0, "%s: 201 with a body: %s", what, r->body);
	ck_assert_msg(type != NULL && strncmp(type, "text/plain", 10) == 0, "%s: Content-Type %s",
	              what, type ? type : "(none)");
}

/* --- payloads and package lists from short specs ----------------------------------------- */

static void
take(char *dst, const char *src)
{
	ck_assert_uint_lt(strlen(src), IT_TOK_LEN);
	snprintf(dst, IT_TOK_LEN, "%s", src);
}

/* Cuts buf at the first c, copying what follows into dst; whether c was there. */
static int
cut(char *buf, int c, char *dst)
{
	char *p = strchr(buf, c);

	if (p == NULL)
		return 0;
	*p++ = '\0';
	take(dst, p);
	return 1;
}

const char *
it_next_tok(const char *spec, struct it_tok *t)
{
	char buf[4 * IT_TOK_LEN];
	size_t n;

	spec += strspn(spec, " ");
	if ((n = strcspn(spec, " ")) == 0)
		return NULL;
	ck_assert_uint_lt(n, sizeof(buf));
	memcpy(buf, spec, n);
	buf[n] = '\0';
	memset(t, 0, sizeof(*t));
	t->has_type = cut(buf, '!', t->type);
	if (!cut(buf, '@', t->source))
		t->source[0] = '\0';
	t->has_upgrade = cut(buf, '>', t->upgrade);
	ck_assert_msg(cut(buf, '=', t->version), "spec entry \"%s\" lacks '='", buf);
	take(t->name, buf);
	if (t->source[0] == '\0')
		take(t->source, t->name);
	return spec + n;
}

json_t *
it_spec_list(const char *spec, int upgradable)
{
	json_t *list = json_array(), *e;
	struct it_tok t;

	while ((spec = it_next_tok(spec, &t)) != NULL) {
		if (!upgradable) {
			e = json_pack("{s:s, s:s, s:s}", "name", t.name, "version", t.version,
			              "source", t.source);
		} else {
			ck_assert_msg(t.has_upgrade, "upgradable entry %s lacks '>'", t.name);
			e = json_pack("{s:s, s:s, s:s, s:s}", "name", t.name, "version_from",
			              t.version, "version_to", t.upgrade, "source", t.source);
			if (t.has_type)
				json_object_set_new(e, "type", json_string(t.type));
		}
		ck_assert_ptr_nonnull(e);
		json_array_append_new(list, e);
	}
	return list;
}

json_t *
it_packages_by_name(const json_t *subject)
{
	const json_t *list = json_object_get(subject, "packages"), *p;
	json_t *idx = json_object();
	size_t i;

	ck_assert_msg(json_is_array(list), "\"packages\" is not a list");
	json_array_foreach (list, i, p) {
		ck_assert_msg(json_object_get(idx, it_str(p, "name")) == NULL,
		              "package %s listed twice", it_str(p, "name"));
		json_object_set(idx, it_str(p, "name"), (json_t *)p);
	}
	return idx;
}

/* The upgrade fields of one listed package: both null, or both strings. */
static void
assert_upgrade(const json_t *p, const struct it_tok *t, const char *what)
{
	const json_t *uv = json_object_get(p, "upgradable_version");
	const json_t *ut = json_object_get(p, "upgrade_type");

	if (!t->has_upgrade) {
		ck_assert_msg(json_is_null(uv) && json_is_null(ut),
		              "%s: %s should have no upgrade, has %s (%s)", what, t->name,
		              json_is_string(uv) ? json_string_value(uv) : "?",
		              json_is_string(ut) ? json_string_value(ut) : "?");
		return;
	}
	ck_assert_msg(json_is_string(uv) && strcmp(json_string_value(uv), t->upgrade) == 0,
	              "%s: %s upgradable_version %s, want %s", what, t->name,
	              json_is_string(uv) ? json_string_value(uv) : "null", t->upgrade);
	ck_assert_msg(json_is_string(ut) && strcmp(json_string_value(ut), t->type) == 0,
	              "%s: %s upgrade_type \"%s\", want \"%s\"", what, t->name,
	              json_is_string(ut) ? json_string_value(ut) : "null", t->type);
}

void
it_assert_packages(const json_t *subject, const char *what, const char *spec)
{
	json_t *idx = it_packages_by_name(subject);
	const json_t *p;
	struct it_tok t;
	size_t want = 0;

	while ((spec = it_next_tok(spec, &t)) != NULL) {
		p = json_object_get(idx, t.name);
		ck_assert_msg(p != NULL, "%s: package %s is not listed", what, t.name);
		ck_assert_msg(strcmp(it_str(p, "version"), t.version) == 0,
		              "%s: %s version %s, want %s", what, t.name, it_str(p, "version"),
		              t.version);
		ck_assert_msg(strcmp(it_str(p, "source"), t.source) == 0,
		              "%s: %s source %s, want %s", what, t.name, it_str(p, "source"),
		              t.source);
		assert_upgrade(p, &t, what);
		want++;
	}
	ck_assert_msg(json_object_size(idx) == want, "%s lists %zu packages, want %zu", what,
	              json_object_size(idx), want);
	json_decref(idx);
}

/* --- requests at the same time --------------------------------------------------------- */

static void *
run_job(void *arg)
{
	struct it_job *j = arg;
	struct it_request req = {.method = j->method, .tls = &j->tls};
	struct it_response r;

	if (j->body != NULL) {
		req.body = j->body;
		req.body_len = strlen(j->body);
	}
	pthread_barrier_wait(j->start);
	it_do(j->url, &req, &r);
	j->status = r.curl == CURLE_OK ? r.status : -(long)r.curl;
	snprintf(j->answer, sizeof(j->answer), "%s", r.body);
	it_response_free(&r);
	return NULL;
}

void
it_run_jobs(struct it_job *jobs, size_t n, long ok1, long ok2)
{
	pthread_t t[IT_JOBS_MAX];
	pthread_barrier_t start;
	size_t i;

	ck_assert_uint_le(n, IT_JOBS_MAX);
	ck_assert_int_eq(pthread_barrier_init(&start, NULL, (unsigned)n), 0);
	for (i = 0; i < n; i++) {
		jobs[i].start = &start;
		ck_assert_int_eq(pthread_create(&t[i], NULL, run_job, &jobs[i]), 0);
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < n; i++)
		ck_assert_msg(jobs[i].status == ok1 || jobs[i].status == ok2,
		              "job %zu (%s %s): HTTP %ld: %s", i, jobs[i].method, jobs[i].url,
		              jobs[i].status, jobs[i].answer);
}

void
it_forget(const char *what, const char *name)
{
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	struct it_request req = {.method = "DELETE"};
	struct it_response r;
	char url[2048];

	/* Hosts through their proxy; images with the instance's own certificate (PROXY_IMAGES). */
	if (strcmp(what, "hosts") == 0)
		req.tls = &proxy;
	snprintf(url, sizeof(url), "%s/%s/%s", it_env("DM_HTTPS_URL"), what, name);
	it_do(url, &req, &r);
	ck_assert_msg(r.status == 204 || r.status == 404, "DELETE %s: %ld %s", url, r.status,
	              r.body);
	it_response_free(&r);
}

void
it_forget_like(const char *what, const char *like)
{
	char sql[512], *names, *name, *save = NULL;

	snprintf(
	    sql, sizeof(sql),
	    "SELECT COALESCE(GROUP_CONCAT(name SEPARATOR '\\n'), '') FROM %s WHERE name LIKE '%s'",
	    strcmp(what, "hosts") == 0 ? "host" : "image", like);
	names = it_db_value(sql);
	for (name = names ? strtok_r(names, "\n", &save) : NULL; name != NULL;
	     name = strtok_r(NULL, "\n", &save))
		it_forget(what, name);
	free(names);
}

json_t *
it_get_subject(const char *(*base)(const char *), const char *what, const char *name)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;
	json_error_t e;
	json_t *j;
	char path[2048];

	snprintf(path, sizeof(path), "/%s/%s", what, name);
	it_do(base(path), &req, &r);
	if (r.status == 404) {
		it_response_free(&r);
		return NULL;
	}
	ck_assert_msg(r.status == 200, "GET %s: HTTP %ld: %s", path, r.status, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
	j = json_loadb(r.body, r.len, 0, &e);
	ck_assert_msg(json_is_object(j), "GET %s: not a JSON object (%s): %.200s", path, e.text,
	              r.body);
	it_response_free(&r);
	return j;
}

/*
 * A full report of spec (see integration.h) for host, with the proxy certificate; the
 * start of a failed answer in why (when not NULL).
 */
json_t *
it_get_json(const char *path, char **link)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;
	json_error_t e;
	json_t *j;

	it_do(it_http(path), &req, &r);
	ck_assert_msg(r.status == 200, "GET %s: HTTP %ld: %s", path, r.status, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
	j = json_loadb(r.body, r.len, 0, &e);
	ck_assert_msg(json_is_object(j), "GET %s: not a JSON object (%s): %.200s", path, e.text,
	              r.body);
	if (link != NULL)
		*link = it_header(&r, "Link") ? strdup(it_header(&r, "Link")) : NULL;
	it_response_free(&r);
	return j;
}

int
it_tool(const char *program, const char *config, const char *args, char **out)
{
	char cmd[16384], chunk[1024];
	struct dm_buf b;
	FILE *f;
	size_t n;
	int st;

	ck_assert_int_lt(snprintf(cmd, sizeof(cmd), "'%s' --config '%s' %s 2>&1", it_env(program),
	                          config ? config : it_env("DM_CONFIG"), args),
	                 (int)sizeof(cmd));
	dm_buf_init(&b, 1024 * 1024);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_int_eq(dm_buf_add(&b, chunk, n), 0);
	st = pclose(f);
	*out = b.data ? b.data : strdup("");
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

long
it_post_full(const char *host, const char *kernel, const char *spec, char *why, size_t whylen)
{
	return it_post_full_to("DM_HTTPS_URL", host, kernel, spec, why, whylen);
}

long
it_post_full_to(const char *base, const char *host, const char *kernel, const char *spec, char *why,
                size_t whylen)
{
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	json_t *p =
	    json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "api_version", "v1", "update_type",
	              "full", "hostname", host, "os", "Debian 12", "running_kernel", "release",
	              "6.1", "version", kernel, "installed", it_spec_list(spec, 0));
	char *body = it_dump(p), path[512];
	struct it_request req = {.method = "POST", .body = body, .tls = &proxy};
	struct it_response r;
	long status;

	req.body_len = strlen(body);
	/* Built here, not with it_https(): its static buffer is shared by the racing threads. */
	snprintf(path, sizeof(path), "%s/hosts/%s/update", it_env(base), host);
	it_do(path, &req, &r);
	status = r.status;
	if (status != 201 && why != NULL)
		snprintf(why, whylen, "HTTP %ld (curl %d): %s", status, (int)r.curl, r.body);
	it_response_free(&r);
	free(body);
	return status;
}
