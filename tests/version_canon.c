/* version_canon.c: one spelling per class of equal versions, and sort keys, to test by. */
#include "version_canon.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/version.h"

/*
 * Appends the canonical form of one part (upstream version or revision): non-digit runs
 * as they are, digit runs by value, a final non-digit run followed by "0".
 */
static int
part_canon(struct dm_buf *b, const char *s, const char *end)
{
	size_t n;

	if (strspn(s, "0") >= (size_t)(end - s))
		return 0;
	while (s < end) {
		n = strcspn(s, "0123456789");
		n = n < (size_t)(end - s) ? n : (size_t)(end - s);
		if (dm_buf_add(b, s, n) == -1)
			return -1;
		s += n;
		while (s < end && *s == '0')
			s++;
		n = strspn(s, "0123456789");
		n = n < (size_t)(end - s) ? n : (size_t)(end - s);
		if (dm_buf_add(b, n > 0 ? s : "0", n > 0 ? n : 1) == -1)
			return -1;
		s += n;
	}
	return 0;
}

int
version_canon(const char *v, char *out, size_t outlen)
{
	const char *colon = strchr(v, ':'), *end = v + strlen(v), *hyphen;
	unsigned long epoch = 0;
	struct dm_buf b;
	int rc = -1;

	if (colon != NULL) {
		for (; v < colon; v++)
			if (*v >= '0' && *v <= '9')
				epoch = epoch * 10 + (unsigned long)(*v - '0');
		v++;
	}
	/* After the epoch, whose sign may be a '-'. */
	hyphen = strrchr(v, '-');
	dm_buf_init(&b, outlen - 1);
	if (dm_buf_printf(&b, "%lu ", epoch) == -1 ||
	    part_canon(&b, v, hyphen != NULL ? hyphen : end) == -1 || dm_buf_adds(&b, " ") == -1 ||
	    part_canon(&b, hyphen != NULL ? hyphen + 1 : end, end) == -1)
		goto out;
	memcpy(out, b.data, b.len + 1);
	rc = 0;
out:
	dm_buf_free(&b);
	return rc;
}

int
version_key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r == 0)
		return (alen > blen) - (alen < blen);
	return r < 0 ? -1 : 1;
}

/* Bytes past the key, which dm_version_key must leave alone. */
#define KEY_SLACK 16
#define KEY_FILL 0xa5

/*
 * v's key into a buffer with room to spare, filled beforehand: its length, or -1 if the
 * key is too long or a byte past it was written.
 */
static long
key_of(const char *v, unsigned char *out, size_t cap)
{
	size_t len, max = DM_VERSION_KEY_LEN(strlen(v)), i;

	memset(out, KEY_FILL, cap);
	len = dm_version_key(v, out, cap);
	if (len > max || cap < max + KEY_SLACK)
		return -1;
	for (i = len; i < cap; i++)
		if (out[i] != KEY_FILL)
			return -1;
	return (long)len;
}

int
version_key_order(const char *a, const char *b)
{
	size_t ca = DM_VERSION_KEY_LEN(strlen(a)) + KEY_SLACK;
	size_t cb = DM_VERSION_KEY_LEN(strlen(b)) + KEY_SLACK;
	unsigned char *ka = malloc(ca), *kb = malloc(cb);
	long la, lb;
	int r = 2;

	if (ka == NULL || kb == NULL)
		abort();
	la = key_of(a, ka, ca), lb = key_of(b, kb, cb);
	if (la >= 0 && lb >= 0)
		r = version_key_cmp(ka, (size_t)la, kb, (size_t)lb);
	free(kb);
	free(ka);
	return r;
}
