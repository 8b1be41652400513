/* distro.h: Debian's release table (distro-info-data's debian.csv) and hosts' OS names. */
#ifndef DM_DISTRO_H
#define DM_DISTRO_H

#include <stddef.h>
#include <time.h>

/* Where distro-info-data installs Debian's table; the config key DISTRO_INFO_CSV. */
#define DM_DISTRO_CSV_DEFAULT "/usr/share/distro-info/debian.csv"
/* The largest file read: Debian's table is about 1.5 KB, Ubuntu's 6 KB. */
#define DM_DISTRO_MAX_BYTES (256 * 1024)
/* At most this many releases (rows after the header); Debian has 22. */
#define DM_DISTRO_MAX_RELEASES 256
/* At most this many columns; the header names 8. */
#define DM_DISTRO_MAX_COLUMNS 32
/* The longest field, in bytes, once unquoted. */
#define DM_DISTRO_FIELD_MAX 63

/*
 * A day as the number YYYYMMDD (20230610 for 2023-06-10), so that days order as numbers;
 * 0 where the table has no date.
 */
struct dm_release {
	char version[DM_DISTRO_FIELD_MAX + 1];  /* "12", "6.0"; "" for sid and experimental */
	char codename[DM_DISTRO_FIELD_MAX + 1]; /* "Bookworm" */
	char series[DM_DISTRO_FIELD_MAX + 1];   /* "bookworm": the security tracker's key */
	int created;                            /* the day it became testing */
	int release;                            /* released; 0: not (yet) */
	int eol;                                /* end of the security team's support */
	int eol_lts;                            /* end of Debian LTS; 0 where it had none */
	int eol_elts;                           /* end of Freexian's paid Extended LTS */
};

struct dm_distro {
	const char *path;       /* borrowed: what messages name */
	struct dm_release *rel; /* in the table's order */
	size_t n;
};

/*
 * The table is a CSV file whose first line names the columns: version, codename, series,
 * created, release and eol are required, eol-lts and eol-elts optional (0 when absent),
 * any other column is ignored, and a column named twice is an error. A row may have
 * fewer fields than the header (the missing ones are empty, as Debian's file has them)
 * but not more. Fields may be quoted ("a,b", "say ""hi"""), within one line. Every field
 * is printable ASCII of at most DM_DISTRO_FIELD_MAX bytes; codename, series and created
 * must not be empty; series is lowercase letters, digits and '-', and unique, as is a
 * non-empty version; dates are YYYY-MM-DD, real days. Blank lines are skipped; lines may
 * end in CRLF. Ubuntu's table loads too (its version "24.04 LTS" is kept as text).
 */

/*
 * Loads path (DM_DISTRO_CSV_DEFAULT when NULL or ""). Returns 0, or -1 with
 * "PATH:LINE: why" (or "PATH: cannot open: why") in err and nothing held.
 */
int dm_distro_load(struct dm_distro *d, const char *path, char *err, size_t errlen);
/* The same from text (len bytes, which may hold NUL bytes: an error) read from path. */
int dm_distro_parse(struct dm_distro *d, const char *text, size_t len, const char *path, char *err,
                    size_t errlen);
void dm_distro_free(struct dm_distro *d);

/* The release whose series is series (exactly, "bookworm"), or NULL. */
const struct dm_release *dm_distro_series(const struct dm_distro *d, const char *series);
/*
 * The release that is testing on day, as debian-distro-info --testing says: of those with
 * a version, created on or before day and not released on day, the last created; or NULL.
 */
const struct dm_release *dm_distro_testing(const struct dm_distro *d, int day);

enum dm_os_match {
	DM_OS_RELEASE, /* a Debian release of the table: *out is it */
	DM_OS_DEBIAN,  /* Debian, but which release the name does not say, or not one we know */
	DM_OS_OTHER,   /* not Debian (Ubuntu, Raspbian, Devuan, "unknown", "") */
};

/*
 * What a host's OS name (a report's "os") says. The first word must be "Debian", else
 * DM_OS_OTHER; "GNU/Linux" may follow it. The rest, words separated by spaces or tabs
 * (leading and trailing ones ignored; words compared without regard to ASCII case), is
 * one of:
 *   NUMBER               "Debian 12", "Debian 12.5", "Debian 6.0.10": the release whose
 *                        version is NUMBER or a leading part of it, dot by dot (12.5 is a
 *                        point release of 12); the longest such version wins. NUMBER is
 *                        digits separated by single dots. "Debian 6" is no release: the
 *                        table calls squeeze "6.0".
 *   NUMBER (SERIES)      os-release's PRETTY_NAME, "Debian GNU/Linux 12 (bookworm)": as
 *                        NUMBER, and SERIES must be that release's series.
 *   SERIES               "Debian bookworm", "Debian sid": the release of that series.
 *   SERIES/sid           /etc/debian_version on testing and unstable, and PRETTY_NAME
 *                        there ("Debian GNU/Linux trixie/sid"): the release SERIES, the
 *                        one such a system tracks when it is testing.
 *   testing              dm_distro_testing(d, day).
 *   unstable             sid.
 * Anything else, nothing at all included ("Debian": what both clients send where
 * os-release has no VERSION_ID, on testing and unstable), is DM_OS_DEBIAN. day matters
 * only for "testing". *out is set for DM_OS_RELEASE and NULL otherwise.
 */
enum dm_os_match dm_distro_lookup(const struct dm_distro *d, const char *os, int day,
                                  const struct dm_release **out);

enum dm_support {
	DM_SUPPORT_DEVELOPMENT, /* not released on the day: testing, sid, experimental */
	DM_SUPPORT_SECURITY,    /* released, up to eol (or no eol yet): the security team */
	DM_SUPPORT_LTS,         /* after eol, up to eol-lts: Debian LTS */
	DM_SUPPORT_EOL,         /* after eol-lts, or after eol where there was no LTS */
	DM_SUPPORT__MAX
};

/*
 * Where a release stands on day. A release is supported on its eol and eol-lts days
 * themselves (as distro-info counts them) and ends the day after.
 */
enum dm_support dm_distro_support(const struct dm_release *r, int day);
/*
 * Whether r is flagged as end of life on day: dm_distro_support is DM_SUPPORT_EOL. Debian
 * LTS still publishes security updates through Debian's archive, and the security tracker
 * follows the release until LTS ends; Freexian's Extended LTS (eol_elts) is a paid
 * service outside both, so it does not count.
 */
int dm_distro_past_eol(const struct dm_release *r, int day);
/* "development", "security", "lts", "eol". */
const char *dm_support_name(enum dm_support s);
/* The day (YYYYMMDD) of t in UTC, or 0 if it has none. */
int dm_distro_day(time_t t);

#endif
