/* http.h: what the benchmark drivers share: a libcurl client with a certificate, latencies,
 * options. */
#ifndef DM_BENCH_HTTP_H
#define DM_BENCH_HTTP_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

/* Of an answer's body, what is kept unless the client asks for more (client_open). */
#define HTTP_BODY_MAX (64 * 1024)
#define HTTP_STATUS_MAX 600
#define HTTP_ERRORS_SHOWN 5
/* A full update of a new host may take long on a cold database; nothing takes this long. */
#define HTTP_TIMEOUT_S 300L

/* Where and as whom to connect. */
struct http_target {
	const char *url; /* the client vhost, https://HOST:PORT */
	const char *ca, *cert, *key;
	bool keepalive;
};

/* The long options of a target, numbered from 256; a driver numbers its own from HTTP_OPT__NEXT. */
enum { HTTP_OPT_URL = 256, HTTP_OPT_CA, HTTP_OPT_CERT, HTTP_OPT_KEY, HTTP_OPT__NEXT };

#define HTTP_TARGET_LONGOPTS                                                                       \
	{"url", required_argument, NULL, HTTP_OPT_URL},                                            \
	    {"ca", required_argument, NULL, HTTP_OPT_CA},                                          \
	    {"cert", required_argument, NULL, HTTP_OPT_CERT},                                      \
	{                                                                                          \
		"key", required_argument, NULL, HTTP_OPT_KEY                                       \
	}

/* One connection's worth of state; each thread has its own. */
struct client {
	CURL *curl;
	struct curl_slist *post_headers, *get_headers;
	const struct http_target *t;
	char *body; /* the answer, '\0'-terminated, at most body_max bytes of it */
	size_t body_len, body_max;
	char error[CURL_ERROR_SIZE];
};

/* What a series of requests gave: every latency and the count of each answer. */
struct stats {
	double *ms;
	size_t n, cap;
	unsigned long posts, errors, transport;
	unsigned long status[HTTP_STATUS_MAX];
};

/* Ignores SIGPIPE (curl runs with CURLOPT_NOSIGNAL) and starts libcurl, or exits. */
void http_global_init(void);
/* Takes option ch into t: false if it is not one of HTTP_TARGET_LONGOPTS. */
bool http_target_option(struct http_target *t, int ch, const char *arg);
/* The decimal number s from min to max, or exits naming --opt. */
unsigned long long parse_number(const char *opt, const char *s, unsigned long long min,
                                unsigned long long max);

double now_ms(void);
void nap_ms(double ms);

void stats_sample(struct stats *s, double ms);
void stats_merge(struct stats *dst, const struct stats *src);
/* Sorts the samples: percentile, median and the maximum need it. */
void stats_sort(struct stats *s);
double percentile(const struct stats *s, unsigned p);
double median(const struct stats *s);
double stats_max(const struct stats *s);
/* "201x15, 500x1, transport errors 2": every answer the series got. */
void status_summary(const struct stats *s, char *out, size_t size);
void stats_free(struct stats *s);

/* A handle for t (borrowed: it must outlive the client) keeping body_max bytes of answers. */
void client_open(struct client *c, const struct http_target *t, size_t body_max);
void client_close(struct client *c);
/* The status of the answer, or -1 with the reason in c->error; the time it took in *ms. */
int client_post(struct client *c, const char *name, const char *body, double *ms);
/* GET /hosts/NAME with Accept: application/json; the status as client_post's. */
int client_get_host(struct client *c, const char *name, double *ms);
/* Counts one answer to POST /hosts/NAME/update; anything but 201 is an error, shown. */
void record(struct stats *s, const struct client *c, const char *name, int status, double ms);

#endif
