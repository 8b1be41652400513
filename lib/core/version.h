/* version.h: Debian version strings, ordered exactly as dpkg orders them (Policy 5.6.12). */
#ifndef DM_VERSION_H
#define DM_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/name.h"

/*
 * Compares two versions as "dpkg --compare-versions" does: -1, 0 or 1. The epoch counts
 * first (none is 0), then the upstream version, then the revision (none is "", which
 * equals "0"). Within those, non-digit runs compare byte by byte with '~' before
 * everything, the end of the run included, and letters before other bytes; digit runs
 * compare by value, however long. So 0:1.0 == 1.0 == 1.00 == 1.0-0, 1.0~rc1 < 1.0 < 1.0a
 * < 1.0+b1, and 1.0a == 1.0a0. Like dpkg, leading and trailing spaces and tabs are
 * ignored, and "" is no version, before every version ("~" included). dpkg's command
 * also takes "<unknown>" for no version; here it is an ordinary string.
 *
 * Every pair of strings gets an answer, and the answers form one total order (up to
 * equality) over all strings. Where dpkg refuses a version (dm_version_valid says why),
 * it is compared by a fallback parse: only versions that pass dm_version_valid are meant
 * to be compared. Bytes >= 0x80 order as dpkg does where char is signed (amd64, i386):
 * after the letters, before the other non-digits.
 */
int dm_version_cmp(const char *a, const char *b);

/*
 * Whether v is a version we accept, with the reason in *why (a static string such as
 * "epoch is negative") when it is not; why may be NULL. We refuse what dpkg refuses: an
 * empty version, an epoch that is not a number in [0, INT_MAX] (a sign is allowed, as
 * strtol allows it), nothing after the epoch's colon, an empty upstream version, an empty
 * revision after a final '-'. We also refuse any byte outside printable ASCII (space, tab
 * and control characters, whose meaning dpkg's parser varies on, and bytes >= 0x80, which
 * dpkg orders differently on signed and unsigned char machines). We accept what dpkg only
 * warns about (an upstream version not starting with a digit, other printable characters
 * than Policy allows): dpkg keeps such versions of installed packages, so a host may
 * report them.
 */
bool dm_version_valid(const char *v, const char **why);

/*
 * The longest key of a string of n bytes, and of a version as stored (at most DM_NAME_MAX
 * bytes, the VARCHAR(255) of the version columns): 390 bytes, so VARBINARY(390).
 */
#define DM_VERSION_KEY_LEN(n) (3 * (n) / 2 + 8)
#define DM_VERSION_KEY_MAX DM_VERSION_KEY_LEN(DM_NAME_MAX)

/*
 * Writes the sort key of v into out, at most outlen bytes, and returns its length: more
 * than outlen if out was too small and the key was cut short (out may be NULL when outlen
 * is 0), at most DM_VERSION_KEY_LEN(strlen(v)). Keys compare as the database compares
 * binary strings, byte by byte with a key that is the start of a longer one first, and
 * in that order they compare exactly as dm_version_cmp compares their versions, equal
 * keys included: the database can then order, compare and index versions as dpkg does.
 * This holds for every string, refused ones by dm_version_cmp's fallback parse; "no
 * version" ("" or blanks) has the empty key, before all others.
 *
 * A key holds any byte, NUL included. Its column must be VARBINARY (or a BLOB): not
 * BINARY, which pads with NUL bytes, nor a text type even with a _bin collation, which
 * ignores trailing spaces and checks or converts bytes for its character set. Send a key
 * as a hex literal (X'...'), not as a string. The encoding (version.c) is part of the
 * schema: changing it means recomputing every stored key.
 */
size_t dm_version_key(const char *v, unsigned char *out, size_t outlen);

/*
 * The length of the source version within the binary version v: v without a trailing
 * binNMU suffix "+bN" (N one or more digits, as in 1.0-1+b2 or a native 1.0+b2), else
 * strlen(v). The source version is the first that many bytes of v, to use with "%.*s" or
 * dm_buf_add. A suffix whose removal would leave an invalid version ("+b1", "1:+b1",
 * "1.0-+b1") is kept.
 */
size_t dm_version_source_len(const char *v);

/*
 * The Debian version of the kernel package a running kernel came from, as its uname -v
 * (what the client sends as running_kernel.version) names it: "#1 SMP PREEMPT_DYNAMIC
 * Debian 6.1.76-1 (2024-02-01)" gives "6.1.76-1". Copies it into out (outlen bytes) and
 * returns its length, or 0 (out "" if outlen allows) when v names no valid version that
 * fits (Ubuntu's "#110-Ubuntu SMP ...", a custom build).
 */
size_t dm_version_from_uname(const char *v, char *out, size_t outlen);

#endif
