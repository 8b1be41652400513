/* request.c: builds the request context from the CGI environment and reads the body. */
#include "core/request.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/parse.h"

static const char *const method_names[DM_METHOD__MAX] = {
    [DM_GET] = "GET",       [DM_HEAD] = "HEAD",   [DM_POST] = "POST",
    [DM_DELETE] = "DELETE", [DM_OTHER] = "OTHER",
};

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v ? v : "";
}

enum dm_method
dm_method_parse(const char *name)
{
	int m;

	for (m = 0; m < DM_OTHER; m++)
		if (strcmp(name, method_names[m]) == 0)
			return (enum dm_method)m;
	return DM_OTHER;
}

const char *
dm_method_name(enum dm_method m)
{
	return m < DM_METHOD__MAX ? method_names[m] : "OTHER";
}

/* The q-value of one media range parameter list, 1 when absent, 0 when malformed. */
static double
accept_q(const char *params, size_t n)
{
	const char *p = params, *end = params + n;
	char num[8];
	size_t len;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && *p == ' ')
			p++;
		if (end - p < 2 || strncasecmp(p, "q=", 2) != 0)
			continue;
		p += 2;
		len = strcspn(p, ";,");
		if (len == 0 || len >= sizeof(num) || p + len > end)
			return 0;
		memcpy(num, p, len);
		num[len] = '\0';
		return strtod(num, NULL);
	}
	return 1;
}

/* How much accept rates JSON, HTML and CSV (0: not at all), each its best q. */
struct rates {
	double json, html, csv;
};

static void
rate(const char *accept, struct rates *r)
{
	const char *p = accept;
	size_t n, type;
	double q;

	memset(r, 0, sizeof(*r));
	while (*p) {
		p += strspn(p, " ,");
		n = strcspn(p, ",");
		type = strcspn(p, ";,");
		while (type > 0 && p[type - 1] == ' ')
			type--;
		q = accept_q(p, n);
		if ((type == 16 && strncasecmp(p, "application/json", 16) == 0) ||
		    (type == 13 && strncasecmp(p, "application/*", 13) == 0))
			r->json = q > r->json ? q : r->json;
		else if (type == 8 && strncasecmp(p, "text/csv", 8) == 0)
			r->csv = q > r->csv ? q : r->csv;
		else if ((type == 9 && strncasecmp(p, "text/html", 9) == 0) ||
		         (type == 6 && strncasecmp(p, "text/*", 6) == 0) ||
		         (type == 3 && strncmp(p, "*/*", 3) == 0))
			r->html = q > r->html ? q : r->html;
		p += n;
	}
}

/*
 * A client gets JSON when it rates application/json (or any application type) higher
 * than HTML; a browser, which sends text/html first and a wildcard at q=0.8, gets pages.
 */
int
dm_accept_wants_json(const char *accept)
{
	struct rates r;

	rate(accept, &r);
	return r.json > r.html && r.json >= r.csv;
}

/* CSV only when named, and rated above HTML and JSON: lists answer it, other pages not. */
int
dm_accept_wants_csv(const char *accept)
{
	struct rates r;

	rate(accept, &r);
	return r.csv > r.html && r.csv > r.json;
}

void
dm_request_read(struct dm_request *r)
{
	const char *uri;
	long long len;

	/*
	 * Behind an ErrorDocument the original request is in the REDIRECT_ variables; Apache
	 * turns the redirected request into a GET but keeps the method the client sent.
	 */
	uri = getenv("REDIRECT_URL");
	r->uri = uri ? uri : env("REQUEST_URI");
	r->method_name = uri && getenv("REDIRECT_REQUEST_METHOD") ? env("REDIRECT_REQUEST_METHOD")
	                                                          : env("REQUEST_METHOD");
	r->method = dm_method_parse(r->method_name);
	r->path_info = env("PATH_INFO");
	r->query = env("QUERY_STRING");
	r->content_length = -1;
	if (dm_parse_ll(env("CONTENT_LENGTH"), 0, LLONG_MAX, &len) == 0)
		r->content_length = len;
	r->client_verify = env("SSL_CLIENT_VERIFY");
	r->client_cn = env("SSL_CLIENT_S_DN_CN");
	r->client_verified = strcmp(r->client_verify, "SUCCESS") == 0;
	r->https = strcasecmp(env("HTTPS"), "on") == 0;
	r->read_only = strcmp(env("DEBMONITOR_READ_ONLY"), "1") == 0;
	r->wants_json = dm_accept_wants_json(env("HTTP_ACCEPT"));
	r->wants_csv = dm_accept_wants_csv(env("HTTP_ACCEPT"));
	r->remote_user = env("REMOTE_USER");
	r->logout_url = env("DEBMONITOR_LOGOUT_URL");
	/* Set by Apache's configuration (SetEnv), never from a request header (HTTP_*). */
	r->metrics_open = strcmp(env("DEBMONITOR_METRICS_OPEN"), "1") == 0;
	r->redirect_status = env("REDIRECT_STATUS");
}

int
dm_request_body(const struct dm_request *r, FILE *in, size_t max, struct dm_buf *b)
{
	char chunk[65536];
	size_t n;

	dm_buf_init(b, max);
	if (r->content_length > 0 && (unsigned long long)r->content_length > max)
		return 413;
	/* Chunked bodies have no length: read to EOF, with the same cap. */
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (dm_buf_add(b, chunk, n) == -1)
			return errno == EFBIG ? 413 : 500;
	if (ferror(in))
		return 500;
	if (r->content_length >= 0 && b->len < (unsigned long long)r->content_length)
		return 400;
	return 0;
}
