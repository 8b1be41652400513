/* import.h: the tracker's data into cve_issue and cve_release, as one diff in one transaction. */
#ifndef DM_IMPORT_H
#define DM_IMPORT_H

#include <mysql.h>
#include <stddef.h>

#include "cve/exposure.h"
#include "cve/tracker.h"

/* The lock (lib/db/lock.h) that keeps two imports from running at once. */
#define DM_CVE_LOCK "debmonitor-cve"
/* What debmonitor-cve --count takes: a count alone never stops an import. */
#define DM_CVE_COUNT_LOCK "debmonitor-cve-count"
/*
 * What writing verdicts takes (decide.h): an import waits for it (at most
 * DM_CVE_DECIDE_WAIT seconds) and keeps it to the end; a count's decision skips when an
 * import holds it.
 */
#define DM_CVE_DECIDE_LOCK "debmonitor-cve-decide"
#define DM_CVE_DECIDE_WAIT 60
/* At most this many rows, and about this many bytes, per statement. */
#define DM_CVE_CHUNK 1000
#define DM_CVE_CHUNK_BYTES (1024 * 1024)

/* The one row of cve_state (id 1): where the data came from and when. */
struct dm_cve_state {
	int present; /* 0: no import yet, the rest is "" */
	char source[DM_CVE_SOURCE_MAX + 1];
	char etag[DM_CVE_ETAG_MAX + 1];
	char last_modified[DM_CVE_LAST_MODIFIED_MAX + 1];
	char digest[DM_CVE_DIGEST_LEN + 1];
	char imported[32]; /* ISO 8601 UTC: "2026-11-24T10:00:00Z" */
};

/* One import: what the file is (kept in cve_state) and, afterwards, what it changed. */
struct dm_cve_import {
	const char *source;        /* the URL, or the file's absolute path */
	const char *etag;          /* the download's validators; NULL: none */
	const char *last_modified; /* (same) */
	const char *digest;        /* SHA-256 of the file's bytes, hex */
	int dry_run;               /* compare only: write nothing */
	/* The OSes whose source versions the import decides again (cve_verdict), or NULL. */
	const struct dm_cve_oses *oses;
	/* Issues new in the file, gone from it, resolved by it, otherwise changed (disjoint). */
	unsigned long long added, removed, resolved, changed;
};

/* Reads cve_state: 0 (s->present 0 when there is no row yet), or -1 with the reason. */
int dm_cve_state_read(MYSQL *db, struct dm_cve_state *s, char *err, size_t errlen);

/*
 * Makes cve_issue and cve_release say what t says, in one transaction, so that a reader
 * sees the old data or the new and never a mix: the current rows are read and compared
 * with t, then only the differences are written (issues inserted, updated, deleted with
 * their releases; releases inserted, updated, deleted), with cve_state. fixed_key is
 * dm_version_key(fixed_version) for a resolved release whose fixed_version is not "0",
 * else NULL. An issue counts as resolved when before the import one of its releases was
 * open or undetermined and now every one of its releases (one at least) is resolved; as
 * changed when it is in both, not resolved, and its description, scope, debianbug or any
 * of its releases changed. With im->oses, cve_verdict is written again from the new data
 * in the same transaction (dm_cve_decide). With im->dry_run the same is computed and
 * nothing is written.
 * Returns 0, or dm_db_txn's status (503: the server is unreachable; 500) with the reason
 * in err; on failure nothing changed.
 */
int dm_cve_import(MYSQL *db, const struct dm_tracker *t, struct dm_cve_import *im, char *err,
                  size_t errlen);
/*
 * The file was the one imported last: cve_state's checked time, source and validators
 * are set, nothing else. 0, or -1 with the reason in err.
 */
int dm_cve_checked(MYSQL *db, const struct dm_cve_import *im, char *err, size_t errlen);

#endif
