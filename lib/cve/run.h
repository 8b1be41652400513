/* run.h: one run of debmonitor-cve: the file got, compared with the last one, imported. */
#ifndef DM_RUN_H
#define DM_RUN_H

#include <mysql.h>
#include <stddef.h>

#include "core/config.h"
#include "cve/import.h"
#include "cve/tracker.h"

/* What went wrong, by what the operator does about it (the tool's exit codes). */
enum dm_cve_result {
	DM_CVE_OK,
	DM_CVE_CONFIG,      /* the release table cannot be read */
	DM_CVE_NOINPUT,     /* --file cannot be read */
	DM_CVE_DATAERR,     /* the file is not the tracker's JSON */
	DM_CVE_UNAVAILABLE, /* the download failed; the database is unreachable */
	DM_CVE_TEMPFAIL,    /* may pass: a time limit, an HTTP 5xx, another import, a DB error */
};

struct dm_cve_run {
	/* What to do. */
	const char *file; /* a local file instead of the URL; NULL: url */
	const char *url;  /* NULL: the configuration's CVE_TRACKER_URL */
	int dry_run;      /* compare only: write nothing, take no lock */
	int force;        /* import even when the file is the last one imported */
	/* What was done. */
	int unchanged;                  /* the file was the last one: nothing imported */
	struct dm_cve_state before;     /* cve_state as the run found it */
	struct dm_cve_import im;        /* an import's changes */
	char source[DM_CVE_SOURCE_MAX]; /* the URL, or the file's absolute path */
	size_t issues, sources;         /* in the file */
	size_t skipped;                 /* entries of releases the table does not know */
	char skipped_names[DM_CVE_SKIPPED_NAMES];
};

/*
 * Takes the import lock (unless a dry run), reads cve_state, gets the file (--file, or a
 * download with the last validators when the URL is the same and not forced), and
 * compares its SHA-256 with the last import's: the same file (or HTTP 304), unless
 * forced, only sets cve_state's checked time (r->unchanged); another is parsed against
 * the release table of DISTRO_INFO_CSV, the missing version keys are filled
 * (dm_keys_fill), and it is imported (dm_cve_import). The lock stays taken until the
 * connection is closed. Returns DM_CVE_OK, or what failed with the message in err;
 * nothing is changed then.
 */
enum dm_cve_result dm_cve_run(MYSQL *db, const struct dm_config *cfg, struct dm_cve_run *r,
                              char *err, size_t errlen);

/*
 * The versions reported since the last decision decided (DM_CVE_DECIDE_NEW), with
 * DM_CVE_DECIDE_LOCK taken for the while (a session that holds it already keeps it): 0
 * (the versions decided in *n), 1 when an import holds the lock (it decides every version
 * itself), or -1 with the reason in err.
 */
int dm_cve_decide_new(MYSQL *db, const struct dm_config *cfg, unsigned long long *n, char *err,
                      size_t errlen);

/* The SHA-256 of len bytes at p, in lowercase hex, into out. */
void dm_cve_digest(const void *p, size_t len, char out[DM_CVE_DIGEST_LEN + 1]);

#endif
