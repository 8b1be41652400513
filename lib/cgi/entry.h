/* entry.h: the shared main of every CGI: method, identity and database, then the handler. */
#ifndef DM_ENTRY_H
#define DM_ENTRY_H

#include <mysql.h>
#include <stdio.h>

#include "core/config.h"
#include "core/request.h"
#include "core/response.h"

/* Who may call an endpoint; checked before its handler runs. */
enum dm_identity {
	/* Any visitor of the vhost; with REQUIRE_LOGIN, a user Apache authenticated (or a
	   verified client certificate asking for JSON). */
	DM_ID_ANYONE,
	/* A client certificate Apache verified (unless VERIFY_CLIENTS is false). */
	DM_ID_CLIENT,
	/* Reading as DM_ID_ANYONE; writing (POST, DELETE) needs DM_ID_CLIENT. */
	DM_ID_CLIENT_WRITES,
	/* Anyone, even with REQUIRE_LOGIN: answers that show no fleet data (the 404 page). */
	DM_ID_PUBLIC,
	/*
	 * Fleet totals for monitoring (/metrics): as DM_ID_ANYONE, and with REQUIRE_LOGIN also
	 * a verified client certificate, or an address the site's configuration lets scrape
	 * without a login (DEBMONITOR_METRICS_OPEN): a Prometheus server logs in nowhere.
	 */
	DM_ID_METRICS,
	DM_ID__MAX
};

struct dm_ctx {
	struct dm_request req;
	struct dm_response res;
	struct dm_config cfg;
	FILE *in;              /* the request body */
	MYSQL *db;             /* open when the endpoint needs_db */
	int cut_short;         /* the answer failed after part of it reached the client */
	int logged;            /* the failure has its line in Apache's error log already */
	int reads;             /* a GET or HEAD of an endpoint that may read a replica */
	long long replica_lag; /* db is a read replica this many seconds behind; -1: the primary */
};

struct dm_endpoint {
	const char *name;
	unsigned int methods; /* DM_M(DM_GET) | ...; HEAD comes with GET */
	enum dm_identity identity;
	int needs_db;
	int primary; /* its GET reads the primary even when read replicas are configured */
	/*
	 * Writes the whole answer; returns 0, or an HTTP status for main to answer with, also
	 * after beginning an answer that then failed (main takes it back if it can).
	 */
	int (*handler)(struct dm_ctx *ctx);
};

/* Reads the request body up to MAX_BODY_BYTES: 0, or -1 after answering 400, 413 or 500. */
int dm_body(struct dm_ctx *ctx, struct dm_buf *body);
/* Opens the database if not yet open: 0, or -1 after answering 503. */
int dm_ctx_db(struct dm_ctx *ctx);
/*
 * The name the route captured into PATH_INFO ("/NAME"): 0 with *name set, or -1 after
 * answering 400 (empty, too long, control characters, '/' unless allow_slash).
 */
int dm_path_name(struct dm_ctx *ctx, int allow_slash, const char **name);

/* Runs one request from the CGI environment, stdin and stdout; the process exit code. */
int dm_main(const struct dm_endpoint *ep);
/* The same, with explicit streams: what the tests call. */
int dm_run(const struct dm_endpoint *ep, FILE *in, FILE *out);
/* The methods an endpoint accepts on this request's vhost, as a bit set. */
unsigned int dm_allowed_methods(const struct dm_endpoint *ep, const struct dm_request *req);
/* Formats a method set as an Allow header value ("GET, HEAD"). */
void dm_allow_header(unsigned int methods, char *buf, size_t len);

#endif
