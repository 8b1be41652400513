/* response.h: the one place that writes a CGI status line and headers, and plain-text errors. */
#ifndef DM_RESPONSE_H
#define DM_RESPONSE_H

#include <stdio.h>

#include "core/buf.h"

struct dm_response {
	FILE *out;
	int started; /* headers written: the status can change only while none of it was sent */
	int status;
	/* Held answers (dm_response_hold): out keeps the answer back from the client. */
	FILE *client;
	struct dm_buf held;
	size_t sent; /* bytes that reached the client: the answer can no longer be taken back */
	/* One more header every answer carries (where its data came from), when set. */
	const char *also_name;
	char also_value[32];
	/* The line of the last error answered (dm_error), for the error log; "" when none. */
	char reason[256];
};

/* Every byte written to out goes to it as it comes. */
void dm_response_init(struct dm_response *res, FILE *out);
/*
 * From now on out keeps the answer in memory, up to max bytes, and passes it on to the
 * client (the stream dm_response_init was given) when dm_response_end is called; an
 * answer that grows past max is passed on from there, as it comes. 0, or -1 when out
 * stays the client.
 */
int dm_response_hold(struct dm_response *res, size_t max);
/*
 * Takes back the answer begun: 0 when none of it reached the client (it is dropped and
 * another status may be answered), else -1 (the client has part of it).
 */
int dm_response_retract(struct dm_response *res);
/* Passes the held answer on to the client and flushes it: 0, or -1 on a write error. */
int dm_response_end(struct dm_response *res);
const char *dm_status_reason(int status);
/*
 * Writes "Status:", "Content-Type:" and the extra headers, given as name, value pairs
 * ending with NULL, then the blank line. Returns 0, or -1 when headers were already
 * written or a header would carry a line break.
 */
int dm_respond(struct dm_response *res, int status, const char *content_type, ...)
    __attribute__((sentinel));
/* A complete text/plain answer: the status and one line of explanation (kept in reason). */
void dm_error(struct dm_response *res, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
