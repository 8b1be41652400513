/* buf.c: growable buffers with a hard size limit (request bodies, SQL, messages). */
#include "core/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
dm_buf_init(struct dm_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	/* One byte always stays for the NUL, so len + n + 1 cannot wrap. */
	b->max = max < SIZE_MAX - 1 ? max : SIZE_MAX - 2;
}

void
dm_buf_free(struct dm_buf *b)
{
	free(b->data);
	dm_buf_init(b, b->max);
}

/* Makes room for n more bytes plus the terminating NUL. */
static int
buf_reserve(struct dm_buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (n > b->max || b->len > b->max - n) {
		errno = EFBIG;
		return -1;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int
dm_buf_add(struct dm_buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
dm_buf_adds(struct dm_buf *b, const char *s)
{
	return dm_buf_add(b, s, strlen(s));
}

char *
dm_buf_space(struct dm_buf *b, size_t n)
{
	return buf_reserve(b, n) == -1 ? NULL : b->data + b->len;
}

void
dm_buf_used(struct dm_buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

int
dm_buf_printf(struct dm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int
dm_buf_read_file(struct dm_buf *b, const char *path, char *err, size_t errlen)
{
	char chunk[8192];
	FILE *f;
	size_t n;
	int rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = dm_buf_add(b, chunk, n);
	if (rc == -1 || ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		         rc == -1 ? "file too large" : strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}
