/* send.c: posts a report over mutual TLS, with bounded time and a few retries. */
#include "send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

struct answer {
	char text[512];
	size_t len;
};

/* Keeps the start of the answer's body for the error message; the rest is dropped. */
static size_t
keep(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t room = sizeof(a->text) - 1 - a->len, take = size * n < room ? size * n : room;

	memcpy(a->text + a->len, p, take);
	a->len += take;
	a->text[a->len] = '\0';
	return size * n;
}

/*
 * https and no other protocol, whatever the URL says. CURLOPT_PROTOCOLS_STR came with
 * libcurl 7.85 and deprecated CURLOPT_PROTOCOLS (a warning, an error under -Werror);
 * Debian 11 has 7.74.
 */
static void
https_only(CURL *c)
{
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
}

static CURL *
prepare(const struct send_opts *o, const char *url, const char *body, struct answer *a,
        struct curl_slist *headers)
{
	CURL *c = curl_easy_init();

	if (c == NULL)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)SEND_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	https_only(c);
	if (o->ca != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca);
	if (o->cert != NULL)
		curl_easy_setopt(c, CURLOPT_SSLCERT, o->cert);
	if (o->key != NULL)
		curl_easy_setopt(c, CURLOPT_SSLKEY, o->key);
	return c;
}

/* One try: 0 on 201; 1 when worth retrying (network, 5xx); -1 when not (4xx). */
static int
try_once(const struct send_opts *o, const char *url, const char *body, char *err, size_t errlen)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	struct answer a = {{0}, 0};
	CURL *c = prepare(o, url, body, &a, h);
	CURLcode rc;
	long status = 0;

	if (c == NULL) {
		curl_slist_free_all(h);
		snprintf(err, errlen, "%s: out of memory", url);
		return -1;
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(rc));
		return 1;
	}
	if (status == 201 || status == 202)
		return 0;
	a.text[strcspn(a.text, "\n")] = '\0';
	snprintf(err, errlen, "%s: HTTP %ld: %s", url, status, a.text);
	return status >= 500 ? 1 : -1;
}

int
send_report(const struct send_opts *o, const char *url, const char *body, char *err, size_t errlen)
{
	unsigned int delay = o->backoff;
	int attempt, rc = 1;

	for (attempt = 0; rc == 1 && attempt <= o->retries; attempt++) {
		if (attempt > 0) {
			if (o->debug)
				fprintf(stderr, "debmonitor: %s; retrying in %u s\n", err, delay);
			sleep(delay);
			delay *= 2;
		}
		rc = try_once(o, url, body, err, errlen);
	}
	return rc == 0 ? 0 : -1;
}
