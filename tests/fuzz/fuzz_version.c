/* fuzz_version.c: dpkg's version order on any bytes: one total order, kept by the sort keys. */
#include "core/version.h"
#include "fuzz.h"

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/*
 * v's sort key in malloc'd memory, its length in *len: no longer than DM_VERSION_KEY_LEN
 * allows, and as long written as measured.
 */
static unsigned char *
key_new(const char *v, size_t *len)
{
	unsigned char *k;

	*len = dm_version_key(v, NULL, 0);
	if (*len > DM_VERSION_KEY_LEN(strlen(v)) || (k = malloc(*len > 0 ? *len : 1)) == NULL)
		abort();
	if (dm_version_key(v, k, *len) != *len)
		abort();
	return k;
}

/* Two sort keys compared as MariaDB compares VARBINARY values. */
static int
key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	return r != 0 ? sign(r) : (alen > blen) - (alen < blen);
}

/* A valid binary version's source version is valid too, and earlier. */
static void
check_source(const char *v)
{
	size_t len = dm_version_source_len(v);
	char *src;

	if (len > strlen(v))
		abort();
	if (len == strlen(v) || !dm_version_valid(v, NULL))
		return;
	if ((src = strndup(v, len)) == NULL)
		abort();
	if (!dm_version_valid(src, NULL) || dm_version_cmp(src, v) >= 0)
		abort();
	free(src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Up to three versions, separated by NUL bytes. */
	char *text = fuzz_text(data, size), *v[3] = {text};
	unsigned char *key[3];
	size_t n = 1, i, j, k, key_len[3];
	const char *why;
	int ij, jk, ik;

	for (i = 0; i < size && n < 3; i++)
		if (text[i] == '\0')
			v[n++] = text + i + 1;
	for (i = 0; i < n; i++)
		key[i] = key_new(v[i], &key_len[i]);
	for (i = 0; i < n; i++) {
		if (dm_version_cmp(v[i], v[i]) != 0 ||
		    dm_version_valid(v[i], &why) != (why == NULL))
			abort();
		check_source(v[i]);
		for (j = 0; j < n; j++)
			for (k = 0; k < n; k++) {
				ij = sign(dm_version_cmp(v[i], v[j]));
				jk = sign(dm_version_cmp(v[j], v[k]));
				ik = sign(dm_version_cmp(v[i], v[k]));
				if (ij != -sign(dm_version_cmp(v[j], v[i])) ||
				    key_cmp(key[i], key_len[i], key[j], key_len[j]) != ij)
					abort();
				if (ij <= 0 && jk <= 0 && ik != (ij + jk < 0 ? -1 : 0))
					abort();
			}
	}
	for (i = 0; i < n; i++)
		free(key[i]);
	free(text);
	return 0;
}
