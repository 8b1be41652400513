/* version_canon.c: one spelling per class of equal versions, to test dm_version_cmp by. */
#include "version_canon.h"

#include <string.h>

#include "core/buf.h"

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
