/* send.h: sending one report to one server. */
#ifndef DM_SEND_H
#define DM_SEND_H

#include <stddef.h>

/* Seconds: to connect, and for a whole try. With the default retries and backoff a hook
 * gives up within 30 s even against a server that accepts and never answers. */
#define SEND_CONNECT_TIMEOUT 3
#define SEND_TIMEOUT 8
#define SEND_RETRIES 2
#define SEND_BACKOFF 1

struct send_opts {
	const char *cert;
	const char *key;
	const char *ca; /* NULL: the system's CA store */
	int retries;
	unsigned int backoff; /* seconds before the first retry, doubled after each */
	int debug;
};

/*
 * POSTs body to url (https only) until the server answers 201 (or 202), retrying
 * network errors and 5xx answers. 0, or -1 with "URL: HTTP 403: reason" or the
 * transport error in err.
 */
int send_report(const struct send_opts *o, const char *url, const char *body, char *err,
                size_t errlen);

#endif
