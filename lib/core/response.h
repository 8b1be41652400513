/* response.h: the one place that writes a CGI status line and headers, and plain-text errors. */
#ifndef DM_RESPONSE_H
#define DM_RESPONSE_H

#include <stdio.h>

struct dm_response {
	FILE *out;
	int started; /* headers written: the status can no longer change */
	int status;
};

void dm_response_init(struct dm_response *res, FILE *out);
const char *dm_status_reason(int status);
/*
 * Writes "Status:", "Content-Type:" and the extra headers, given as name, value pairs
 * ending with NULL, then the blank line. Returns 0, or -1 when headers were already
 * written or a header would carry a line break.
 */
int dm_respond(struct dm_response *res, int status, const char *content_type, ...)
    __attribute__((sentinel));
/* A complete text/plain answer: the status and one line of explanation. */
void dm_error(struct dm_response *res, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
