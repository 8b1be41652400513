/* fetch.h: downloading the security tracker's file with libcurl, conditionally. */
#ifndef DM_FETCH_H
#define DM_FETCH_H

#include <stddef.h>

#include "core/buf.h"
#include "cve/tracker.h"

/* A stalled download (below this many bytes a second for that long) is given up. */
#define DM_FETCH_LOW_SPEED 1024
#define DM_FETCH_LOW_SPEED_TIME 60
#define DM_FETCH_CONNECT_TIMEOUT 30
#define DM_FETCH_MAX_REDIRECTS 5

struct dm_fetch {
	const char *url;           /* https://, http:// or file:// */
	const char *etag;          /* the last download's validators: NULL or "" for none */
	const char *last_modified; /* (same) */
	long timeout;              /* seconds the whole download may take */
	/* What the answer said. */
	long status;      /* the HTTP status; 0 for file:// */
	int not_modified; /* 304: nothing was downloaded, the last file still holds */
	int transient;    /* the failure may pass: a time limit, an HTTP 5xx */
	char etag_out[DM_CVE_ETAG_MAX + 1];                   /* "" when none (or too long) */
	char last_modified_out[DM_CVE_LAST_MODIFIED_MAX + 1]; /* (same) */
};

/*
 * Downloads f->url into body (a buffer of at most DM_TRACKER_MAX_BYTES, empty), through
 * a temporary file of TMPDIR (else /tmp) removed at once, so that a large body is
 * written as it comes; with If-None-Match and If-Modified-Since when the validators are
 * given. TLS is verified against the system's CA bundle; redirects are followed (at
 * most DM_FETCH_MAX_REDIRECTS, never from https to another scheme); an HTTP status of
 * 400 or more is a failure. Returns 0 (body filled, or f->not_modified set), or -1 with
 * "URL: why" in err.
 */
int dm_fetch(struct dm_fetch *f, struct dm_buf *body, char *err, size_t errlen);

#endif
