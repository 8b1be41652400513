/* run.c: one run of debmonitor-cve, from the lock to the import, each failure classified. */
#include "cve/run.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/distro.h"
#include "cve/decide.h"
#include "cve/exposure.h"
#include "cve/fetch.h"
#include "db/keys.h"
#include "db/lock.h"

void
dm_cve_digest(const void *p, size_t len, char out[DM_CVE_DIGEST_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_Digest(p, len, md, &n, EVP_sha256(), NULL) != 1 || n * 2 > DM_CVE_DIGEST_LEN)
		n = 0; /* no digest: it matches none, so the file is imported */
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The lock, unless a dry run (which only reads, in one transaction: it needs none). */
static enum dm_cve_result
lock(MYSQL *db, const struct dm_cve_run *r, char *err, size_t errlen)
{
	int rc;

	if (r->dry_run)
		return DM_CVE_OK;
	if ((rc = dm_lock_take(db, DM_CVE_LOCK, 0, err, errlen)) == 1)
		snprintf(err, errlen,
		         "another debmonitor-cve is importing (it holds the database lock '%s')",
		         DM_CVE_LOCK);
	return rc == 0 ? DM_CVE_OK : DM_CVE_TEMPFAIL;
}

/* --file: its absolute path (what cve_state records) and its bytes. */
static enum dm_cve_result
read_local(struct dm_cve_run *r, struct dm_buf *body, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (realpath(r->file, path) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %s", r->file, strerror(errno));
		return DM_CVE_NOINPUT;
	}
	if (strlen(path) >= sizeof(r->source)) {
		snprintf(err, errlen, "%s: path longer than %zu bytes", r->file,
		         sizeof(r->source) - 1);
		return DM_CVE_NOINPUT;
	}
	snprintf(r->source, sizeof(r->source), "%s", path);
	r->im.source = r->source;
	return dm_buf_read_file(body, path, err, errlen) == 0 ? DM_CVE_OK : DM_CVE_NOINPUT;
}

/*
 * The download, conditional on the last one's validators when it was of the same URL; a
 * 304 keeps them. f holds the validators r->im then points to.
 */
static enum dm_cve_result
download(struct dm_cve_run *r, const struct dm_config *cfg, struct dm_fetch *f, struct dm_buf *body,
         char *err, size_t errlen)
{
	int same = r->before.present && !r->force && strcmp(r->before.source, r->im.source) == 0;

	f->url = r->im.source;
	f->etag = same ? r->before.etag : NULL;
	f->last_modified = same ? r->before.last_modified : NULL;
	f->timeout = cfg->cve_timeout;
	if (dm_fetch(f, body, err, errlen) == -1)
		return f->transient ? DM_CVE_TEMPFAIL : DM_CVE_UNAVAILABLE;
	if (f->not_modified) {
		r->unchanged = 1;
		snprintf(f->etag_out, sizeof(f->etag_out), "%s", r->before.etag);
		snprintf(f->last_modified_out, sizeof(f->last_modified_out), "%s",
		         r->before.last_modified);
	}
	r->im.etag = f->etag_out[0] ? f->etag_out : NULL;
	r->im.last_modified = f->last_modified_out[0] ? f->last_modified_out : NULL;
	return DM_CVE_OK;
}

/* The file parsed, then imported: what the database says when it fails. */
static enum dm_cve_result
import(MYSQL *db, const struct dm_config *cfg, const struct dm_distro *d, struct dm_cve_run *r,
       struct dm_buf *body, char *err, size_t errlen)
{
	struct dm_cve_oses oses = {0};
	struct dm_tracker t;
	int rc;

	rc = dm_tracker_parse(&t, body->data ? body->data : "", body->len, d, err, errlen);
	dm_buf_free(body); /* the parsed copy is all the import needs */
	if (rc == -1)
		return DM_CVE_DATAERR;
	r->issues = t.n_issues;
	r->sources = t.n_sources;
	r->skipped = t.skipped;
	snprintf(r->skipped_names, sizeof(r->skipped_names), "%s", t.skipped_names);
	rc = 0;
	if (!r->dry_run && dm_keys_fill(db, err, errlen) == -1)
		rc = 500;
	if (rc == 0 && !r->dry_run && dm_cve_oses_load(&oses, db, cfg, err, errlen) == -1)
		rc = 500;
	/* A count's decision, if one is writing, ends first (decide.h). */
	if (rc == 0 && !r->dry_run &&
	    dm_lock_take(db, DM_CVE_DECIDE_LOCK, DM_CVE_DECIDE_WAIT, err, errlen) != 0) {
		if (!mysql_errno(db))
			snprintf(err, errlen, "the lock %s: still taken after %d s",
			         DM_CVE_DECIDE_LOCK, DM_CVE_DECIDE_WAIT);
		rc = 500;
	}
	r->im.oses = r->dry_run ? NULL : &oses;
	if (rc == 0)
		rc = dm_cve_import(db, &t, &r->im, err, errlen);
	r->im.oses = NULL; /* it pointed here */
	dm_cve_oses_free(&oses);
	dm_tracker_free(&t);
	if (rc == 0)
		return DM_CVE_OK;
	return rc == 503 || mysql_ping(db) != 0 ? DM_CVE_UNAVAILABLE : DM_CVE_TEMPFAIL;
}

/* The bytes of the file, from --file or the URL; r->unchanged on a 304. */
static enum dm_cve_result
get_file(MYSQL *db, const struct dm_config *cfg, struct dm_cve_run *r, struct dm_fetch *f,
         struct dm_buf *body, char *err, size_t errlen)
{
	enum dm_cve_result res;

	if ((res = lock(db, r, err, errlen)) != DM_CVE_OK)
		return res;
	if (dm_cve_state_read(db, &r->before, err, errlen) == -1)
		return mysql_ping(db) != 0 ? DM_CVE_UNAVAILABLE : DM_CVE_TEMPFAIL;
	if (r->file != NULL)
		return read_local(r, body, err, errlen);
	if (strlen(r->url ? r->url : cfg->cve_url) >= sizeof(r->source)) {
		snprintf(err, errlen, "CVE_TRACKER_URL: longer than %zu bytes",
		         sizeof(r->source) - 1);
		return DM_CVE_CONFIG;
	}
	snprintf(r->source, sizeof(r->source), "%s", r->url ? r->url : cfg->cve_url);
	r->im.source = r->source;
	return download(r, cfg, f, body, err, errlen);
}

enum dm_cve_result
dm_cve_run(MYSQL *db, const struct dm_config *cfg, struct dm_cve_run *r, char *err, size_t errlen)
{
	char digest[DM_CVE_DIGEST_LEN + 1] = "";
	struct dm_fetch f = {0};
	struct dm_distro d;
	struct dm_buf body;
	enum dm_cve_result res;

	r->im.dry_run = r->dry_run;
	if (dm_distro_load(&d, cfg->distro_csv, err, errlen) == -1)
		return DM_CVE_CONFIG;
	dm_buf_init(&body, DM_TRACKER_MAX_BYTES);
	res = get_file(db, cfg, r, &f, &body, err, errlen);
	if (res == DM_CVE_OK && !r->unchanged) {
		dm_cve_digest(body.data ? body.data : "", body.len, digest);
		r->im.digest = digest;
		r->unchanged =
		    !r->force && r->before.present && strcmp(digest, r->before.digest) == 0;
	}
	if (res == DM_CVE_OK && !r->unchanged)
		res = import(db, cfg, &d, r, &body, err, errlen);
	else if (res == DM_CVE_OK && !r->dry_run && dm_cve_checked(db, &r->im, err, errlen) == -1)
		res = mysql_ping(db) != 0 ? DM_CVE_UNAVAILABLE : DM_CVE_TEMPFAIL;
	r->im.digest = NULL; /* it pointed here */
	r->im.etag = r->im.last_modified = NULL;
	dm_buf_free(&body);
	dm_distro_free(&d);
	return res;
}

int
dm_cve_decide_new(MYSQL *db, const struct dm_config *cfg, unsigned long long *n, char *err,
                  size_t errlen)
{
	struct dm_cve_oses o;
	char why[256];
	int rc;

	*n = 0;
	if ((rc = dm_lock_take(db, DM_CVE_DECIDE_LOCK, 0, err, errlen)) != 0)
		return rc;
	if ((rc = dm_cve_oses_load(&o, db, cfg, err, errlen)) == 0) {
		rc = dm_cve_decide(db, &o, DM_CVE_DECIDE_NEW, n, err, errlen);
		dm_cve_oses_free(&o);
	}
	if (dm_lock_release(db, DM_CVE_DECIDE_LOCK, why, sizeof(why)) == -1 && rc == 0) {
		snprintf(err, errlen, "%s", why);
		rc = -1;
	}
	return rc;
}
