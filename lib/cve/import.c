/* import.c: what the tracker says against what the database holds, and the difference written. */
#include "cve/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cve/decide.h"
#include "db/db.h"
#include "db/sql.h"

enum stmt {
	S_STATE,
	S_ISSUES,
	S_RELEASES,
	S_ISSUE_IDS,
	S_DELETE_RELEASES,
	S_DELETE_ISSUES,
	S_UPSERT_ISSUES,
	S_UPSERT_ISSUES_TAIL,
	S_UPSERT_RELEASES,
	S_UPSERT_RELEASES_TAIL,
	S_STATE_WRITE,
	S_STATE_CHECKED,
	S__MAX
};

/*
 * Changed rows are written by id with INSERT ... ON DUPLICATE KEY UPDATE, in the same
 * statements as the new ones (id NULL): one round trip per chunk whatever the mix.
 */
static const char *const stmts[S__MAX] = {
    [S_STATE] = "SELECT source, etag, last_modified, digest, " DM_SQL_ISO(
        "imported") " FROM cve_state WHERE id = 1",
    [S_ISSUES] = "SELECT id, name, description, scope, debianbug FROM cve_issue",
    [S_RELEASES] = "SELECT id, issue_id, source_name, codename, status, urgency, fixed_version,"
                   " issue_name FROM cve_release",
    [S_ISSUE_IDS] = "SELECT id, name FROM cve_issue",
    [S_DELETE_RELEASES] = "DELETE FROM cve_release WHERE id IN (",
    [S_DELETE_ISSUES] = "DELETE FROM cve_issue WHERE id IN (",
    [S_UPSERT_ISSUES] = "INSERT INTO cve_issue (id, name, description, scope, debianbug) VALUES ",
    [S_UPSERT_ISSUES_TAIL] = " ON DUPLICATE KEY UPDATE description = VALUES(description),"
                             " scope = VALUES(scope), debianbug = VALUES(debianbug)",
    [S_UPSERT_RELEASES] = "INSERT INTO cve_release (id, issue_id, issue_name, source_name,"
                          " codename, status, urgency, fixed_version, fixed_key) VALUES ",
    [S_UPSERT_RELEASES_TAIL] = " ON DUPLICATE KEY UPDATE status = VALUES(status),"
                               " urgency = VALUES(urgency), fixed_version = VALUES(fixed_version),"
                               " fixed_key = VALUES(fixed_key), issue_name = VALUES(issue_name)",
    [S_STATE_WRITE] =
        "INSERT INTO cve_state (id, source, etag, last_modified, digest, imported, checked,"
        " issues, added, resolved, removed) VALUES (1, ?, ?, ?, ?, UTC_TIMESTAMP(),"
        " UTC_TIMESTAMP(), #, #, #, #) ON DUPLICATE KEY UPDATE source = VALUES(source),"
        " etag = VALUES(etag), last_modified = VALUES(last_modified), digest = VALUES(digest),"
        " imported = VALUES(imported), checked = VALUES(checked), issues = VALUES(issues),"
        " added = VALUES(added), resolved = VALUES(resolved), removed = VALUES(removed)",
    [S_STATE_CHECKED] = "UPDATE cve_state SET checked = UTC_TIMESTAMP(), source = ?, etag = ?,"
                        " last_modified = ? WHERE id = 1",
};

/* The rows of the upserts: a new row's id is NULL; debianbug and fixed_key follow. */
static const char new_issue[] = "(NULL, ?, ?, ?, ";
static const char old_issue[] = "(#, ?, ?, ?, ";
static const char new_release[] = "(NULL, #, ?, ?, ?, #, ?, ?, ";
static const char old_release[] = "(#, #, ?, ?, ?, #, ?, ?, ";
static const char number_end[] = "#)";

/* How a row of the file stands against the database. */
enum how { HOW_NEW, HOW_SAME, HOW_CHANGED };

struct ids {
	unsigned long long *v;
	size_t n, cap;
};

/* A row id of cve_issue and the index of its issue in the tracker. */
struct issue_row {
	unsigned long long id;
	size_t issue;
};

/* The comparison of the file with the database, then what it writes. */
struct diff {
	const struct dm_tracker *t;
	struct dm_cve_import *im;
	struct dm_sql q;
	unsigned long long *issue_id; /* per issue: its row, 0 while it has none */
	unsigned char *issue_how;     /* per issue: enum how of its own members */
	unsigned char *was_open;      /* per issue: a release open or undetermined before */
	unsigned char *touched;       /* per issue: a release inserted, updated or deleted */
	unsigned long long *entry_id; /* per entry: its row, 0 when new */
	unsigned char *entry_how;     /* per entry: enum how */
	struct issue_row *rows;       /* issues with a row, by id */
	size_t n_rows;
	struct ids gone_issues, gone_releases;
};

/* A statement of rows built a chunk at a time: head, rows separated by ", ", tail. */
struct batch {
	struct dm_sql *q;
	const char *head, *tail;
	size_t rows;
};

static int
push(struct ids *s, unsigned long long id)
{
	unsigned long long *v;
	size_t cap;

	if (s->n == s->cap) {
		cap = s->cap ? 2 * s->cap : 1024;
		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = id;
	return 0;
}

/* --- statements of many rows --------------------------------------------------------- */

/* Before a row: the head of a new statement, or the separator. */
static void
batch_row(struct batch *b)
{
	if (b->rows == 0)
		dm_sql_start(b->q, b->head);
	else
		dm_sql_raw(b->q, ", ");
}

/* Runs the statement built so far, if any. */
static int
batch_flush(struct batch *b)
{
	if (b->rows == 0)
		return 0;
	b->rows = 0;
	dm_sql_raw(b->q, b->tail);
	return dm_sql_exec(b->q);
}

/* After a row: the statement runs once it holds a chunk's rows or bytes. */
static int
batch_done(struct batch *b)
{
	if (++b->rows < DM_CVE_CHUNK && b->q->b.len < DM_CVE_CHUNK_BYTES)
		return 0;
	return batch_flush(b);
}

/* Deletes the rows of ids, a chunk a statement. */
static int
delete_ids(struct diff *d, enum stmt s, const struct ids *ids)
{
	struct batch b = {&d->q, stmts[s], ")", 0};
	size_t i;

	for (i = 0; i < ids->n; i++) {
		batch_row(&b);
		dm_sql_uint(&d->q, ids->v[i]);
		if (batch_done(&b) == -1)
			return -1;
	}
	return batch_flush(&b);
}

/* --- reading what the database holds ------------------------------------------------- */

static long long
bug_of(const char *s)
{
	return s == NULL ? -1 : strtoll(s, NULL, 10);
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* One row of cve_issue: its issue's row id and whether its members changed, or gone. */
static int
issue_row(struct diff *d, MYSQL_ROW row)
{
	const struct dm_cve_issue *is = dm_tracker_issue(d->t, row[1]);
	unsigned long long id = strtoull(row[0], NULL, 10);
	size_t i;

	if (is == NULL)
		return push(&d->gone_issues, id);
	i = (size_t)(is - d->t->issues);
	d->issue_id[i] = id;
	d->issue_how[i] = strcmp(row[2], is->description) == 0 && same_str(row[3], is->scope) &&
	                          bug_of(row[4]) == is->debianbug
	                      ? HOW_SAME
	                      : HOW_CHANGED;
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct issue_row *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Reads cve_issue, then indexes the issues that have a row by their id. */
static int
read_issues(struct diff *d)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i;
	int rc = 0;

	dm_sql_start(&d->q, stmts[S_ISSUES]);
	if ((res = dm_sql_stream(&d->q)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL)
		if (rc == 0)
			rc = issue_row(d, row);
	if (dm_sql_stream_end(d->q.db) == -1)
		rc = -1;
	mysql_free_result(res);
	for (i = 0; rc == 0 && i < d->t->n_issues; i++)
		if (d->issue_id[i] != 0)
			d->rows[d->n_rows++] = (struct issue_row){d->issue_id[i], i};
	qsort(d->rows, d->n_rows, sizeof(*d->rows), by_id);
	return rc;
}

static int
by_issue_source_codename(const void *a, const void *b)
{
	const struct dm_cve_entry *x = a, *y = b;
	int c;

	if (x->issue != y->issue)
		return x->issue < y->issue ? -1 : 1;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return strcmp(x->codename, y->codename);
}

/* The entry of the file a cve_release row is, or NULL (its issue is issue). */
static const struct dm_cve_entry *
entry_of(const struct diff *d, size_t issue, MYSQL_ROW row)
{
	struct dm_cve_entry key = {.issue = issue, .source = row[2], .codename = row[3]};

	if (d->t->n_entries == 0)
		return NULL;
	return bsearch(&key, d->t->entries, d->t->n_entries, sizeof(key), by_issue_source_codename);
}

/* One row of cve_release: its entry's row id and whether it changed, or gone. */
static int
release_row(struct diff *d, MYSQL_ROW row)
{
	struct issue_row key = {strtoull(row[1], NULL, 10), 0}, *ir;
	unsigned long long id = strtoull(row[0], NULL, 10);
	const struct dm_cve_entry *e;
	size_t k;
	int same;

	ir = d->n_rows ? bsearch(&key, d->rows, d->n_rows, sizeof(key), by_id) : NULL;
	if (ir == NULL) /* its issue goes, and it with it (ON DELETE CASCADE) */
		return 0;
	if (strcmp(row[4], "0") != 0)
		d->was_open[ir->issue] = 1;
	if ((e = entry_of(d, ir->issue, row)) == NULL) {
		d->touched[ir->issue] = 1;
		return push(&d->gone_releases, id);
	}
	k = (size_t)(e - d->t->entries);
	d->entry_id[k] = id;
	same = strtoul(row[4], NULL, 10) == (unsigned long)e->status &&
	       strcmp(row[5], e->urgency) == 0 && same_str(row[6], e->fixed_version);
	/* A row without its issue's name (written before it had one) is written again. */
	d->entry_how[k] =
	    same && same_str(row[7], d->t->issues[ir->issue].name) ? HOW_SAME : HOW_CHANGED;
	if (!same)
		d->touched[ir->issue] = 1;
	return 0;
}

static int
read_releases(struct diff *d)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int rc = 0;

	dm_sql_start(&d->q, stmts[S_RELEASES]);
	if ((res = dm_sql_stream(&d->q)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL)
		if (rc == 0)
			rc = release_row(d, row);
	if (dm_sql_stream_end(d->q.db) == -1)
		rc = -1;
	mysql_free_result(res);
	return rc;
}

/* --- what changed -------------------------------------------------------------------- */

/* Counts each issue once: added, resolved, changed (removed: those without an entry). */
static void
classify(struct diff *d)
{
	const struct dm_tracker *t = d->t;
	size_t i, k = 0, n;
	int all_resolved;

	for (i = 0; i < t->n_entries; i++)
		if (d->entry_id[i] == 0)
			d->touched[t->entries[i].issue] = 1;
	d->im->removed = d->gone_issues.n;
	for (i = 0; i < t->n_issues; i++) {
		for (n = 0, all_resolved = 1; k < t->n_entries && t->entries[k].issue == i;
		     k++, n++)
			all_resolved &= t->entries[k].status == DM_CVE_RESOLVED;
		if (d->issue_id[i] == 0)
			d->im->added++;
		else if (d->was_open[i] && n > 0 && all_resolved)
			d->im->resolved++;
		else if (d->issue_how[i] == HOW_CHANGED || d->touched[i])
			d->im->changed++;
	}
}

/* --- writing the difference ---------------------------------------------------------- */

static void
issue_tuple(struct dm_sql *q, unsigned long long id, const struct dm_cve_issue *is)
{
	if (id == 0)
		dm_sql_add(q, new_issue, is->name, is->description, is->scope);
	else
		dm_sql_add(q, old_issue, id, is->name, is->description, is->scope);
	if (is->debianbug < 0)
		dm_sql_raw(q, "NULL)");
	else
		dm_sql_add(q, number_end, is->debianbug);
}

/* New issues and those whose members changed. */
static int
write_issues(struct diff *d)
{
	struct batch b = {&d->q, stmts[S_UPSERT_ISSUES], stmts[S_UPSERT_ISSUES_TAIL], 0};
	size_t i;

	for (i = 0; i < d->t->n_issues; i++) {
		if (d->issue_id[i] != 0 && d->issue_how[i] != HOW_CHANGED)
			continue;
		batch_row(&b);
		issue_tuple(&d->q, d->issue_id[i], &d->t->issues[i]);
		if (batch_done(&b) == -1)
			return -1;
	}
	return batch_flush(&b);
}

/* The row ids the new issues got. */
static int
read_new_ids(struct diff *d)
{
	const struct dm_cve_issue *is;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i;

	dm_sql_start(&d->q, stmts[S_ISSUE_IDS]);
	if ((res = dm_sql_stream(&d->q)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL) {
		if ((is = dm_tracker_issue(d->t, row[1])) == NULL)
			continue;
		i = (size_t)(is - d->t->issues);
		if (d->issue_id[i] == 0)
			d->issue_id[i] = strtoull(row[0], NULL, 10);
	}
	mysql_free_result(res);
	return dm_sql_stream_end(d->q.db);
}

static void
release_tuple(struct dm_sql *q, unsigned long long id, unsigned long long issue_id,
              const char *issue, const struct dm_cve_entry *e)
{
	unsigned status = (unsigned)e->status;

	if (id == 0)
		dm_sql_add(q, new_release, issue_id, issue, e->source, e->codename, status,
		           e->urgency, e->fixed_version);
	else
		dm_sql_add(q, old_release, id, issue_id, issue, e->source, e->codename, status,
		           e->urgency, e->fixed_version);
	/* "0": the release never had the vulnerable code, no version to compare with. */
	if (e->fixed_version != NULL && strcmp(e->fixed_version, "0") != 0)
		dm_sql_version_key(q, e->fixed_version);
	else
		dm_sql_raw(q, "NULL");
	dm_sql_raw(q, ")");
}

/* New releases and those that changed. */
static int
write_releases(struct diff *d)
{
	struct batch b = {&d->q, stmts[S_UPSERT_RELEASES], stmts[S_UPSERT_RELEASES_TAIL], 0};
	const struct dm_cve_entry *e;
	size_t i;

	for (i = 0; i < d->t->n_entries; i++) {
		if (d->entry_id[i] != 0 && d->entry_how[i] != HOW_CHANGED)
			continue;
		e = &d->t->entries[i];
		if (d->issue_id[e->issue] == 0)
			return -1; /* its issue was inserted and not read back: cannot be */
		batch_row(&b);
		release_tuple(&d->q, d->entry_id[i], d->issue_id[e->issue],
		              d->t->issues[e->issue].name, e);
		if (batch_done(&b) == -1)
			return -1;
	}
	return batch_flush(&b);
}

static int
write_state(struct diff *d)
{
	const struct dm_cve_import *im = d->im;

	dm_sql_start(&d->q, stmts[S_STATE_WRITE], im->source, im->etag, im->last_modified,
	             im->digest, d->t->n_issues, im->added, im->resolved, im->removed);
	return dm_sql_exec(&d->q);
}

/* Releases first (their issues may stay), then issues; new issues before their releases. */
static int
write_diff(struct diff *d)
{
	unsigned long long decided;
	char why[256];

	if (delete_ids(d, S_DELETE_RELEASES, &d->gone_releases) == -1 ||
	    delete_ids(d, S_DELETE_ISSUES, &d->gone_issues) == -1 || write_issues(d) == -1)
		return -1;
	if (d->im->added > 0 && read_new_ids(d) == -1)
		return -1;
	if (write_releases(d) == -1)
		return -1;
	/* A failure is the database's (mysql_errno), or a verdict too long: dm_db_txn says. */
	if (d->im->oses != NULL && dm_cve_decide(d->q.db, d->im->oses, DM_CVE_DECIDE_ALL, &decided,
	                                         why, sizeof(why)) == -1)
		return -1;
	return write_state(d);
}

/* --- the transaction ----------------------------------------------------------------- */

static void
diff_clear(struct diff *d)
{
	free(d->issue_id);
	free(d->issue_how);
	free(d->was_open);
	free(d->touched);
	free(d->entry_id);
	free(d->entry_how);
	free(d->rows);
	free(d->gone_issues.v);
	free(d->gone_releases.v);
	d->issue_id = d->entry_id = NULL;
	d->issue_how = d->was_open = d->touched = d->entry_how = NULL;
	d->rows = NULL;
	d->n_rows = 0;
	memset(&d->gone_issues, 0, sizeof(d->gone_issues));
	memset(&d->gone_releases, 0, sizeof(d->gone_releases));
}

/* A fresh start for an attempt of the transaction: 0, or -1 when out of memory. */
static int
diff_reset(struct diff *d)
{
	size_t ni = d->t->n_issues + 1, ne = d->t->n_entries + 1;
	struct dm_cve_import *im = d->im;

	diff_clear(d);
	im->added = im->removed = im->resolved = im->changed = 0;
	d->issue_id = calloc(ni, sizeof(*d->issue_id));
	d->issue_how = calloc(ni, 1);
	d->was_open = calloc(ni, 1);
	d->touched = calloc(ni, 1);
	d->rows = calloc(ni, sizeof(*d->rows));
	d->entry_id = calloc(ne, sizeof(*d->entry_id));
	d->entry_how = calloc(ne, 1);
	if (!d->issue_id || !d->issue_how || !d->was_open || !d->touched || !d->rows ||
	    !d->entry_id || !d->entry_how)
		return -1;
	return 0;
}

/* The whole import, run again from the start by dm_db_txn after a deadlock. */
static int
import_txn(MYSQL *db, void *arg)
{
	struct diff *d = arg;

	(void)db;
	if (diff_reset(d) == -1 || read_issues(d) == -1 || read_releases(d) == -1)
		return -1;
	classify(d);
	return d->im->dry_run ? 0 : write_diff(d);
}

int
dm_cve_import(MYSQL *db, const struct dm_tracker *t, struct dm_cve_import *im, char *err,
              size_t errlen)
{
	struct diff d = {.t = t, .im = im};
	int rc;

	dm_sql_init(&d.q, db);
	rc = dm_db_txn(db, import_txn, &d, err, errlen);
	diff_clear(&d);
	dm_sql_free(&d.q);
	return rc;
}

/* --- the lock and the state ---------------------------------------------------------- */

static int
failed(MYSQL *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what,
	         mysql_errno(db) ? mysql_error(db) : "out of memory or statement too large");
	return -1;
}

static void
field(char *out, size_t len, const char *v)
{
	snprintf(out, len, "%s", v ? v : "");
}

int
dm_cve_state_read(MYSQL *db, struct dm_cve_state *s, char *err, size_t errlen)
{
	struct dm_sql q;
	MYSQL_RES *res;
	MYSQL_ROW row;

	memset(s, 0, sizeof(*s));
	dm_sql_init(&q, db);
	dm_sql_start(&q, stmts[S_STATE]);
	res = dm_sql_query(&q);
	dm_sql_free(&q);
	if (res == NULL)
		return failed(db, "reading cve_state", err, errlen);
	if ((row = mysql_fetch_row(res)) != NULL) {
		s->present = 1;
		field(s->source, sizeof(s->source), row[0]);
		field(s->etag, sizeof(s->etag), row[1]);
		field(s->last_modified, sizeof(s->last_modified), row[2]);
		field(s->digest, sizeof(s->digest), row[3]);
		field(s->imported, sizeof(s->imported), row[4]);
	}
	mysql_free_result(res);
	return 0;
}

int
dm_cve_checked(MYSQL *db, const struct dm_cve_import *im, char *err, size_t errlen)
{
	struct dm_sql q;
	int rc;

	dm_sql_init(&q, db);
	dm_sql_start(&q, stmts[S_STATE_CHECKED], im->source, im->etag, im->last_modified);
	rc = dm_sql_exec(&q);
	dm_sql_free(&q);
	return rc == -1 ? failed(db, "writing cve_state", err, errlen) : 0;
}
