/* tracker.h: the Debian Security Tracker's JSON, validated into compact structs. */
#ifndef DM_TRACKER_H
#define DM_TRACKER_H

#include <stddef.h>

#include "core/distro.h"
#include "db/model.h"

/* The largest file read or downloaded: the real one is about 50 MB. */
#define DM_TRACKER_MAX_BYTES (256 * 1024 * 1024)
/* The columns' sizes (sql/migrations/002-vulnerabilities.sql). */
#define DM_CVE_NAME_MAX 64                /* cve_issue.name */
#define DM_CVE_DESCRIPTION_MAX 65535      /* cve_issue.description, a TEXT */
#define DM_CVE_SCOPE_MAX 32               /* cve_issue.scope */
#define DM_CVE_URGENCY_MAX 32             /* cve_release.urgency */
#define DM_CVE_CODENAME_MAX 63            /* a release's series, as distro.h reads them */
#define DM_CVE_DEBIANBUG_MAX 4294967295LL /* cve_issue.debianbug, an INT UNSIGNED */
#define DM_CVE_SOURCE_MAX 2048            /* cve_state.source: the URL or file imported */
#define DM_CVE_ETAG_MAX 255               /* cve_state.etag */
#define DM_CVE_LAST_MODIFIED_MAX 64       /* cve_state.last_modified */
#define DM_CVE_DIGEST_LEN 64              /* cve_state.digest: SHA-256, hex */
/* What the summary's list of skipped releases holds at most. */
#define DM_CVE_SKIPPED_NAMES 256

/* cve_release.status: enum dm_cve_status, db/model.h. */

/* One issue, however many sources list it. */
struct dm_cve_issue {
	const char *name;        /* "CVE-2025-9230", "TEMP-0000000-3F5A1C" */
	const char *description; /* "" when the tracker has none (TEMP ids) */
	const char *scope;       /* "local", "remote"; NULL when none */
	long long debianbug;     /* -1 when none */
};

/* What the tracker says of one issue for one source package in one release. */
struct dm_cve_entry {
	size_t issue;              /* index in the tracker's issues */
	const char *source;        /* the source package's name */
	const char *codename;      /* "bookworm", "sid": a series of the release table */
	const char *urgency;       /* as written, stars included: "low**" */
	const char *fixed_version; /* resolved only ("0": never vulnerable); else NULL */
	enum dm_cve_status status;
};

struct dm_tracker_block;

/*
 * A whole file. Issues are sorted by name (strcmp), each once; entries by issue, then
 * source, then codename (strcmp). Every string lives in the tracker's own blocks: the
 * parsed JSON is freed before dm_tracker_parse returns.
 */
struct dm_tracker {
	struct dm_cve_issue *issues;
	size_t n_issues;
	struct dm_cve_entry *entries;
	size_t n_entries;
	size_t n_sources;
	/* Entries of releases the table does not know, left out, and their codenames. */
	size_t skipped;
	char skipped_names[DM_CVE_SKIPPED_NAMES]; /* "duke" or "duke, excalibur"; "" if none */
	struct dm_tracker_block *blocks;
};

/*
 * Parses len bytes of the tracker's JSON (tests/data/tracker/README has the shape) and
 * keeps the entries of the releases d knows (sid included; the others are counted in
 * skipped). Returns 0, or -1 with the reason in err and nothing held: "not JSON: ..." for
 * text that does not parse (a key twice in an object included), else where the problem
 * is, SOURCE/ISSUE/releases/CODENAME/MEMBER as far as it applies, a colon and what is
 * wrong ("openssl/CVE-2025-9230/releases/bookworm/status: missing").
 *
 * What is refused besides what does not parse: anything but an object at the top, for a
 * source, an issue, "releases", a release or "repositories"; a source name that is empty,
 * longer than 255 bytes or holds '/' or a control character; an id other than
 * CVE-YYYY-N (four digits or more) or TEMP-NNNNNNN-XXXXXX (upper-case hex), or longer
 * than DM_CVE_NAME_MAX; a codename that is not lowercase letters, digits and '-'; a
 * description that is not a string or longer than DM_CVE_DESCRIPTION_MAX bytes; a scope
 * that is not a string of at most DM_CVE_SCOPE_MAX bytes; a debianbug that is not an
 * integer in [0, 2^32 - 1]; a release without status or urgency; a status other than
 * resolved, open and undetermined; an urgency that is not printable ASCII of at most
 * DM_CVE_URGENCY_MAX bytes; a fixed_version that is not a string, is empty, longer than
 * 255 bytes, or neither "0" nor a version dm_version_valid accepts; a resolved release
 * without fixed_version; a repositories value, nodsa or nodsa_reason that is not a
 * string, a next_point_update that is not true or false. Other members are ignored. A
 * fixed_version of a release that is not resolved is checked and not kept.
 *
 * An issue listed under several sources takes its description, scope and debianbug from
 * the first of them in the file.
 */
int dm_tracker_parse(struct dm_tracker *t, const char *text, size_t len, const struct dm_distro *d,
                     char *err, size_t errlen);
void dm_tracker_free(struct dm_tracker *t);
/* The issue named name, or NULL. */
const struct dm_cve_issue *dm_tracker_issue(const struct dm_tracker *t, const char *name);
/* "resolved", "open", "undetermined". */
const char *dm_cve_status_name(enum dm_cve_status s);

#endif
