/* http.c: the benchmark drivers' libcurl client with a certificate, latency counts and options. */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "http.h"

#define HTTP_SAMPLES_MAX (1UL << 24)
#define HTTP_URL_MAX 4096

/* --- start-up and options --------------------------------------------------------------- */

void
http_global_init(void)
{
	/* With CURLOPT_NOSIGNAL curl leaves SIGPIPE alone: a closed connection must not kill. */
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		errx(EX_SOFTWARE, "cannot initialise libcurl");
}

bool
http_target_option(struct http_target *t, int ch, const char *arg)
{
	switch (ch) {
	case HTTP_OPT_URL:
		t->url = arg;
		return true;
	case HTTP_OPT_CA:
		t->ca = arg;
		return true;
	case HTTP_OPT_CERT:
		t->cert = arg;
		return true;
	case HTTP_OPT_KEY:
		t->key = arg;
		return true;
	default:
		return false;
	}
}

unsigned long long
parse_number(const char *opt, const char *s, unsigned long long min, unsigned long long max)
{
	unsigned long long v = 0;
	char *end = NULL;

	errno = 0;
	if (s[0] >= '0' && s[0] <= '9')
		v = strtoull(s, &end, 10);
	if (end == NULL || *end != '\0' || errno != 0 || v < min || v > max)
		errx(EX_USAGE, "--%s: not a number from %llu to %llu: '%s'", opt, min, max, s);
	return v;
}

/* --- time and statistics ----------------------------------------------------------------- */

double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
nap_ms(double ms)
{
	struct timespec ts = {(time_t)(ms / 1e3), (long)(fmod(ms, 1e3) * 1e6)};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

void
stats_sample(struct stats *s, double ms)
{
	double *grown;

	if (s->n == s->cap) {
		if (s->cap >= HTTP_SAMPLES_MAX)
			return; /* counted, not kept: percentiles cover the first 16M */
		s->cap = s->cap == 0 ? 64 : s->cap * 2;
		if ((grown = realloc(s->ms, s->cap * sizeof(*grown))) == NULL)
			err(EX_OSERR, "latency samples");
		s->ms = grown;
	}
	s->ms[s->n++] = ms;
}

void
stats_merge(struct stats *dst, const struct stats *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		stats_sample(dst, src->ms[i]);
	dst->posts += src->posts;
	dst->errors += src->errors;
	dst->transport += src->transport;
	for (i = 0; i < HTTP_STATUS_MAX; i++)
		dst->status[i] += src->status[i];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
stats_sort(struct stats *s)
{
	if (s->n > 0)
		qsort(s->ms, s->n, sizeof(*s->ms), cmp_double);
}

/* The sample at percentile p (nearest rank) of the sorted samples. */
double
percentile(const struct stats *s, unsigned p)
{
	size_t rank = (s->n * p + 99) / 100;

	return s->n == 0 ? 0 : s->ms[rank == 0 ? 0 : rank - 1];
}

double
median(const struct stats *s)
{
	if (s->n == 0)
		return 0;
	return s->n % 2 ? s->ms[s->n / 2] : (s->ms[s->n / 2 - 1] + s->ms[s->n / 2]) / 2;
}

double
stats_max(const struct stats *s)
{
	return s->n == 0 ? 0 : s->ms[s->n - 1];
}

void
status_summary(const struct stats *s, char *out, size_t size)
{
	size_t len = 0;
	int i, n;

	out[0] = '\0';
	for (i = 0; i < HTTP_STATUS_MAX; i++) {
		if (s->status[i] == 0 || len >= size)
			continue;
		n = snprintf(out + len, size - len, "%s%dx%lu", len ? ", " : "", i, s->status[i]);
		len += n > 0 ? (size_t)n : 0;
	}
	if (s->transport > 0 && len < size)
		snprintf(out + len, size - len, "%stransport errors %lu", len ? ", " : "",
		         s->transport);
	else if (len == 0)
		snprintf(out, size, "none");
}

void
stats_free(struct stats *s)
{
	free(s->ms);
	s->ms = NULL;
	s->n = s->cap = 0;
}

/* --- HTTP -------------------------------------------------------------------------------- */

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct client *c = arg;
	size_t room = c->body_max - c->body_len, take = size * n < room ? size * n : room;

	memcpy(c->body + c->body_len, p, take);
	c->body_len += take;
	c->body[c->body_len] = '\0';
	return size * n; /* the rest is read and dropped, not an error */
}

void
client_open(struct client *c, const struct http_target *t, size_t body_max)
{
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->body_max = body_max;
	if ((c->body = malloc(body_max + 1)) == NULL)
		err(EX_OSERR, "answer buffer");
	c->body[0] = '\0';
	if ((c->curl = curl_easy_init()) == NULL ||
	    (c->post_headers = curl_slist_append(NULL, "Content-Type: application/json")) == NULL ||
	    /* Without this curl waits for a 100 Continue before sending a large body. */
	    curl_slist_append(c->post_headers, "Expect:") == NULL ||
	    (c->get_headers = curl_slist_append(NULL, "Accept: application/json")) == NULL)
		errx(EX_SOFTWARE, "cannot set up a libcurl handle");
	curl_easy_setopt(c->curl, CURLOPT_CAINFO, t->ca);
	curl_easy_setopt(c->curl, CURLOPT_SSLCERT, t->cert);
	curl_easy_setopt(c->curl, CURLOPT_SSLKEY, t->key);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, HTTP_TIMEOUT_S);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->error);
	if (!t->keepalive) {
		/* A new connection and a full handshake every time, as separate clients do. */
		curl_easy_setopt(c->curl, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(c->curl, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	}
}

void
client_close(struct client *c)
{
	curl_slist_free_all(c->get_headers);
	curl_slist_free_all(c->post_headers);
	curl_easy_cleanup(c->curl);
	free(c->body);
}

/* https://SERVER/hosts/NAME followed by tail, the name percent-encoded. */
static int
host_url(struct client *c, const char *name, const char *tail)
{
	char *escaped = curl_easy_escape(c->curl, name, 0), url[HTTP_URL_MAX];
	int n;

	if (escaped == NULL)
		return -1;
	n = snprintf(url, sizeof(url), "%s/hosts/%s%s", c->t->url, escaped, tail);
	curl_free(escaped);
	if (n < 0 || (size_t)n >= sizeof(url))
		return -1;
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	return 0;
}

static int
client_perform(struct client *c, double *ms)
{
	long code = 0;
	CURLcode rc;
	double start;

	c->body_len = 0;
	c->body[0] = '\0';
	c->error[0] = '\0';
	start = now_ms();
	rc = curl_easy_perform(c->curl);
	*ms = now_ms() - start;
	if (rc != CURLE_OK) {
		if (c->error[0] == '\0')
			snprintf(c->error, sizeof(c->error), "%s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &code);
	return (int)code;
}

int
client_post(struct client *c, const char *name, const char *body, double *ms)
{
	*ms = 0;
	if (host_url(c, name, "/update") != 0) {
		snprintf(c->error, sizeof(c->error), "cannot make a URL of the host name");
		return -1;
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->post_headers);
	curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	return client_perform(c, ms);
}

int
client_get_host(struct client *c, const char *name, double *ms)
{
	*ms = 0;
	if (host_url(c, name, "") != 0) {
		snprintf(c->error, sizeof(c->error), "cannot make a URL of the host name");
		return -1;
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->get_headers);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	return client_perform(c, ms);
}

void
record(struct stats *s, const struct client *c, const char *name, int status, double ms)
{
	int len = (int)c->body_len;

	s->posts++;
	stats_sample(s, ms);
	if (status >= 0 && status < HTTP_STATUS_MAX)
		s->status[status]++;
	if (status == 201)
		return;
	s->errors++;
	if (status < 0)
		s->transport++;
	/* A dead server fails fast: a few answers tell why, thousands would hide it. */
	if (s->errors > HTTP_ERRORS_SHOWN)
		return;
	while (len > 0 && (c->body[len - 1] == '\n' || c->body[len - 1] == '\r'))
		len--;
	if (status < 0)
		warnx("POST %s: %s", name, c->error);
	else
		warnx("POST %s: HTTP %d: %.*s", name, status, len, c->body);
	if (s->errors == HTTP_ERRORS_SHOWN)
		warnx("(more errors of this client are counted, not shown)");
}
