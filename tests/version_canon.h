/* version_canon.h: one spelling per class of equal versions, to test dm_version_cmp by. */
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

#endif
