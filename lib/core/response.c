/* response.c: status lines, headers and plain-text error answers for every CGI. */
#include "core/response.h"

#include <stdarg.h>
#include <string.h>
#include <sys/types.h>

struct status_reason {
	int status;
	const char *reason;
};

static const struct status_reason reasons[] = {
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {400, "Bad Request"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {413, "Content Too Large"},
    {500, "Internal Server Error"},
    {503, "Service Unavailable"},
};

void
dm_response_init(struct dm_response *res, FILE *out)
{
	res->out = out;
	res->started = 0;
	res->status = 0;
	res->client = NULL;
	dm_buf_init(&res->held, 0);
	res->sent = 0;
	res->also_name = NULL;
	res->also_value[0] = '\0';
	res->reason[0] = '\0';
}

/* Passes what is held on to the client. */
static int
pass_held(struct dm_response *res)
{
	size_t n = res->held.len;

	if (n > 0 && fwrite(res->held.data, 1, n, res->client) != n)
		return -1;
	res->sent += n;
	res->held.len = 0;
	return 0;
}

/* The held stream's writes: into memory up to the maximum, then through to the client. */
static ssize_t
hold_write(void *cookie, const char *p, size_t n)
{
	struct dm_response *res = cookie;

	if (res->sent == 0 && dm_buf_add(&res->held, p, n) == 0)
		return (ssize_t)n;
	if (pass_held(res) == -1 || fwrite(p, 1, n, res->client) != n)
		return -1;
	res->sent += n;
	return (ssize_t)n;
}

int
dm_response_hold(struct dm_response *res, size_t max)
{
	cookie_io_functions_t io = {.write = hold_write};
	FILE *f;

	if (res->client != NULL || (f = fopencookie(res, "w", io)) == NULL)
		return -1;
	dm_buf_init(&res->held, max);
	res->client = res->out;
	res->out = f;
	return 0;
}

int
dm_response_retract(struct dm_response *res)
{
	/* What stdio still buffers is part of the answer: held, or sent if over the maximum. */
	if (res->client == NULL || fflush(res->out) != 0 || res->sent > 0)
		return -1;
	res->held.len = 0;
	res->started = 0;
	res->status = 0;
	res->reason[0] = '\0';
	return 0;
}

int
dm_response_end(struct dm_response *res)
{
	int rc = 0;

	if (res->client != NULL) {
		rc = fclose(res->out) == 0 && pass_held(res) == 0 ? 0 : -1;
		dm_buf_free(&res->held);
		res->out = res->client;
		res->client = NULL;
	}
	return fflush(res->out) == 0 ? rc : -1;
}

const char *
dm_status_reason(int status)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

static int
header_safe(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

int
dm_respond(struct dm_response *res, int status, const char *content_type, ...)
{
	const char *name, *value;
	va_list ap;
	int rc = 0;

	if (res->started || (content_type != NULL && !header_safe(content_type)))
		return -1;
	res->started = 1;
	res->status = status;
	fprintf(res->out, "Status: %d %s\r\n", status, dm_status_reason(status));
	if (content_type != NULL)
		fprintf(res->out, "Content-Type: %s\r\n", content_type);
	va_start(ap, content_type);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (value == NULL || !header_safe(name) || !header_safe(value)) {
			rc = -1;
			continue;
		}
		fprintf(res->out, "%s: %s\r\n", name, value);
	}
	va_end(ap);
	if (res->also_name != NULL)
		fprintf(res->out, "%s: %s\r\n", res->also_name, res->also_value);
	fputs("\r\n", res->out);
	return rc;
}

void
dm_error(struct dm_response *res, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (res->started) {
		/* Too late to change the answer: the reason goes to Apache's error log. */
		fputs("debmonitor: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		va_list again;

		va_copy(again, ap);
		vsnprintf(res->reason, sizeof(res->reason), fmt, again);
		va_end(again);
		dm_respond(res, status, "text/plain; charset=utf-8", "Cache-Control", "no-store",
		           NULL);
		vfprintf(res->out, fmt, ap);
		fputc('\n', res->out);
	}
	va_end(ap);
}
