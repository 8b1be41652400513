/* request.h: the CGI request context, read from the environment once at start. */
#ifndef DM_REQUEST_H
#define DM_REQUEST_H

#include <stdio.h>

#include "core/buf.h"

enum dm_method { DM_GET, DM_HEAD, DM_POST, DM_DELETE, DM_OTHER, DM_METHOD__MAX };

#define DM_M(m) (1u << (m))

/* Longest name (host, image, package) accepted in a URL, after percent-decoding. */
#define DM_NAME_MAX 255

struct dm_request {
	enum dm_method method;
	const char *method_name; /* as sent, for messages */
	const char *path_info;   /* what the route captured, decoded by Apache; "" if none */
	const char *uri;   /* the path the client asked for (before any ErrorDocument redirect) */
	const char *query; /* raw query string; "" if none */
	long long content_length;    /* -1 when absent (chunked) */
	const char *client_verify;   /* SSL_CLIENT_VERIFY, "" when absent */
	const char *client_cn;       /* SSL_CLIENT_S_DN_CN, "" when absent */
	int client_verified;         /* client_verify is exactly "SUCCESS" */
	int https;                   /* the request came over TLS */
	int read_only;               /* the vhost serves GET/HEAD only */
	int wants_json;              /* Accept prefers application/json over HTML */
	int wants_csv;               /* Accept names text/csv above HTML and JSON */
	const char *remote_user;     /* user Apache authenticated, "" if none */
	const char *logout_url;      /* DEBMONITOR_LOGOUT_URL of the login block, "" if none */
	int metrics_open;            /* DEBMONITOR_METRICS_OPEN: /metrics needs no login */
	const char *redirect_status; /* the status behind an ErrorDocument, "" if none */
};

void dm_request_read(struct dm_request *r);
enum dm_method dm_method_parse(const char *name);
const char *dm_method_name(enum dm_method m);
int dm_accept_wants_json(const char *accept);
int dm_accept_wants_csv(const char *accept);
/*
 * Reads the request body into b, at most max bytes: 0 on success, 413 when it is larger,
 * 400 when it is shorter than CONTENT_LENGTH said, 500 on a read or memory error.
 */
int dm_request_body(const struct dm_request *r, FILE *in, size_t max, struct dm_buf *b);

#endif
