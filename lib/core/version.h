/* version.h: Debian version strings, ordered exactly as dpkg orders them (Policy 5.6.12). */
#ifndef DM_VERSION_H
#define DM_VERSION_H

#include <stdbool.h>
#include <stddef.h>

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
 * The length of the source version within the binary version v: v without a trailing
 * binNMU suffix "+bN" (N one or more digits, as in 1.0-1+b2 or a native 1.0+b2), else
 * strlen(v). The source version is the first that many bytes of v, to use with "%.*s" or
 * dm_buf_add. A suffix whose removal would leave an invalid version ("+b1", "1:+b1",
 * "1.0-+b1") is kept.
 */
size_t dm_version_source_len(const char *v);

#endif
