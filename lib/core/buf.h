/* buf.h: a growable byte buffer that never grows past its declared maximum. */
#ifndef DM_BUF_H
#define DM_BUF_H

#include <stddef.h>

struct dm_buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max; /* the most bytes it may ever hold */
};

void dm_buf_init(struct dm_buf *b, size_t max);
void dm_buf_free(struct dm_buf *b);
/* Each returns 0, or -1 with errno ENOMEM or EFBIG (the maximum would be passed). */
int dm_buf_add(struct dm_buf *b, const void *p, size_t n);
int dm_buf_adds(struct dm_buf *b, const char *s);
/*
 * Room for n more bytes at the end (b->data + b->len), or NULL. Whoever writes there
 * then calls dm_buf_used with how many bytes it wrote (at most n).
 */
char *dm_buf_space(struct dm_buf *b, size_t n);
void dm_buf_used(struct dm_buf *b, size_t n);
/* Appends the file at path: 0, or -1 with "PATH: cannot open: why" (or read) in err. */
int dm_buf_read_file(struct dm_buf *b, const char *path, char *err, size_t errlen);
int dm_buf_printf(struct dm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
