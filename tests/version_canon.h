/* version_canon.h: one spelling per class of equal versions, and sort keys, to test by. */
#ifndef DM_TEST_VERSION_CANON_H
#define DM_TEST_VERSION_CANON_H

#include <stddef.h>

/*
 * Writes into out (size outlen) the canonical form of v, which must pass dm_version_valid:
 * "EPOCH UPSTREAM REVISION", the epoch as a plain number, each digit run of the others
 * without its leading zeros ("0" for zero), "0" after a final non-digit run, and a part
 * that is zero as a whole ("0", "00", none) empty. Two versions are equal for dpkg exactly
 * when their forms are equal: 0:1.0, 1.00, 1.0-0, 1.0-00, 1. and +0:01.0 are all "0 1.0 ".
 * Returns 0, or -1 if out is too small.
 */
int version_canon(const char *v, char *out, size_t outlen);

/*
 * Compares two sort keys (dm_version_key) as MariaDB compares VARBINARY values: byte by
 * byte, and a key that is the start of the other first. -1, 0 or 1.
 */
int version_key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen);

/*
 * The order of the sort keys of a and b (version_key_cmp), or 2 if a key is longer than
 * DM_VERSION_KEY_LEN allows or dm_version_key wrote past the length it gave.
 */
int version_key_order(const char *a, const char *b);

#endif
