/* count.c: per-issue counts of affected hosts and images, from one pass over the fleet. */
#include "cve/count.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cve/exposure.h"
#include "db/sql.h"

/* Rows one INSERT of the counts carries. */
#define CHUNK 1000

/*
 * The releases that affect each source version and each running kernel, from the os
 * map's codenames; one row per (version, release), in version order. rank is the
 * urgency's (DM_SQL_CVE_URGENCY_RANK).
 */
#define AFFECTS_COLS ", r.issue_id, r.status, " DM_SQL_CVE_URGENCY_RANK("r.urgency")
static const char spv_pairs_head[] = "SELECT spv.id" AFFECTS_COLS " FROM ";
static const char spv_pairs_tail[] =
    " oc JOIN source_package_version spv ON spv.os_id = oc.os_id"
    " JOIN source_package sp ON sp.id = spv.source_package_id"
    " JOIN cve_release r ON r.source_name = sp.name AND r.codename = oc.codename"
    " WHERE " DM_SQL_CVE_AFFECTS("r", "spv.version_key") " ORDER BY spv.id";
static const char kernel_pairs_head[] = "SELECT k.id" AFFECTS_COLS " FROM ";
static const char kernel_pairs_tail[] =
    " oc JOIN kernel_version k ON k.os_id = oc.os_id"
    " JOIN cve_release r ON r.source_name = 'linux' AND r.codename = oc.codename"
    " WHERE k.version_key IS NOT NULL AND " DM_SQL_CVE_AFFECTS("r",
                                                               "k.version_key") " ORDER BY k.id";

/* A map from a database id (never 0) to an index, by open addressing. */
struct imap {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap; /* a power of two, at least twice the entries */
	size_t n;
};

static size_t
slot(const struct imap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (m->cap - 1);

	while (m->keys[i] != 0 && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
imap_put(struct imap *m, uint64_t key, uint32_t val)
{
	struct imap bigger;
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		bigger.cap = m->cap ? 2 * m->cap : 1024;
		bigger.n = 0;
		bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
		bigger.vals = calloc(bigger.cap, sizeof(*bigger.vals));
		if (bigger.keys == NULL || bigger.vals == NULL) {
			free(bigger.keys);
			free(bigger.vals);
			return -1;
		}
		for (i = 0; i < m->cap; i++)
			if (m->keys[i] != 0)
				imap_put(&bigger, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = bigger;
	}
	i = slot(m, key);
	m->n += m->keys[i] == 0;
	m->keys[i] = key;
	m->vals[i] = val;
	return 0;
}

/* The index of key, or UINT32_MAX. */
static uint32_t
imap_get(const struct imap *m, uint64_t key)
{
	size_t i;

	if (m->cap == 0)
		return UINT32_MAX;
	i = slot(m, key);
	return m->keys[i] == key ? m->vals[i] : UINT32_MAX;
}

static void
imap_free(struct imap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/*
 * One affecting release of a version: its issue (a dense index), status and urgency; end
 * marks the last pair of its version.
 */
struct pair {
	uint32_t issue;
	uint8_t status, rank, end;
};

/* The pairs of the versions (or kernels) of one query, each version's together. */
struct pairs {
	struct pair *v;
	size_t n, cap;
	struct imap first; /* version id -> index of its first pair */
};

/* What a host was counted for, per issue (fixed_seen). */
#define SEEN_FIXABLE 1
#define SEEN_HIGH 2

/* A host's own sums: its issues, those with a fix, those of high urgency with a fix. */
struct host_sum {
	uint64_t id;
	uint32_t issues, fixable, high;
};

/* Per issue, the counts, and who was counted last (subjects are counted once each). */
struct counts {
	struct imap issue_ids; /* cve_issue.id -> dense index */
	uint64_t *ids;         /* dense index -> cve_issue.id */
	uint64_t *last;        /* the subject last counted, per issue */
	uint8_t *fixed_seen;   /* SEEN_: how last was counted already */
	uint32_t *n[2], *fixable[2];
	uint8_t *states, *rank;
	size_t n_issues, cap;
	uint64_t subject;       /* the subject being read */
	size_t subjects[2];     /* with at least one issue */
	uint64_t last_subject;  /* the last subject counted in subjects */
	struct host_sum *hosts; /* per host with an issue, in host order */
	size_t n_hosts, cap_hosts;
	int high_rank; /* the urgency rank of "high" */
};

struct count {
	MYSQL *db;
	struct dm_cve_oses oses;
	struct pairs spv, kernel;
	struct imap pv; /* package_version.id -> its source version's first pair */
	struct counts c;
	struct dm_cve_counted *out;
	char started[24]; /* when the count began (UTC): what it is as of */
	char *err;
	size_t errlen;
};

static int
fail(struct count *k, const char *what)
{
	snprintf(k->err, k->errlen, "%s: %s", what,
	         mysql_errno(k->db) ? mysql_error(k->db) : "out of memory");
	return -1;
}

/* The dense index of issue id, added when new: the index, or UINT32_MAX (no memory). */
static uint32_t
issue_index(struct counts *c, uint64_t id)
{
	uint32_t i = imap_get(&c->issue_ids, id);
	size_t cap;

	if (i != UINT32_MAX)
		return i;
	if (c->n_issues == c->cap) {
		cap = c->cap ? 2 * c->cap : 1024;
		if ((c->ids = realloc(c->ids, cap * sizeof(*c->ids))) == NULL)
			return UINT32_MAX;
		c->cap = cap;
	}
	c->ids[c->n_issues] = id;
	if (imap_put(&c->issue_ids, id, (uint32_t)c->n_issues) == -1)
		return UINT32_MAX;
	return (uint32_t)c->n_issues++;
}

static int
counts_alloc(struct counts *c)
{
	size_t n = c->n_issues + 1;

	c->last = calloc(n, sizeof(*c->last));
	c->fixed_seen = calloc(n, 1);
	c->n[0] = calloc(n, sizeof(uint32_t));
	c->n[1] = calloc(n, sizeof(uint32_t));
	c->fixable[0] = calloc(n, sizeof(uint32_t));
	c->fixable[1] = calloc(n, sizeof(uint32_t));
	c->states = calloc(n, 1);
	c->rank = calloc(n, 1);
	c->high_rank = dm_cve_urgency_rank("high");
	return c->last && c->fixed_seen && c->n[0] && c->n[1] && c->fixable[0] && c->fixable[1] &&
	               c->states && c->rank
	           ? 0
	           : -1;
}

static void
counts_free(struct counts *c)
{
	imap_free(&c->issue_ids);
	free(c->ids);
	free(c->last);
	free(c->fixed_seen);
	free(c->n[0]);
	free(c->n[1]);
	free(c->fixable[0]);
	free(c->fixable[1]);
	free(c->states);
	free(c->rank);
	free(c->hosts);
}

/* Reads the pairs of one query (head, the os map, tail): 0 or -1. */
static int
load_pairs(struct count *k, struct pairs *p, const char *head, const char *tail)
{
	uint64_t id, prev = 0;
	struct dm_sql q;
	MYSQL_RES *res;
	MYSQL_ROW row;
	uint32_t issue;
	int rc = 0;

	dm_sql_init(&q, k->db);
	dm_sql_start(&q, head);
	dm_cve_oses_sql(&q, &k->oses);
	dm_sql_raw(&q, tail);
	if ((res = dm_sql_stream(&q)) == NULL) {
		dm_sql_free(&q);
		return fail(k, "reading the affected versions");
	}
	while (rc == 0 && (row = mysql_fetch_row(res)) != NULL) {
		id = strtoull(row[0], NULL, 10);
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 4096;
			if ((p->v = realloc(p->v, p->cap * sizeof(*p->v))) == NULL) {
				rc = -1;
				break;
			}
		}
		if ((issue = issue_index(&k->c, strtoull(row[1], NULL, 10))) == UINT32_MAX ||
		    (id != prev && imap_put(&p->first, id, (uint32_t)p->n) == -1)) {
			rc = -1;
			break;
		}
		if (id != prev && p->n > 0)
			p->v[p->n - 1].end = 1;
		prev = id;
		p->v[p->n++] = (struct pair){issue, (uint8_t)strtoul(row[2], NULL, 10),
		                             (uint8_t)strtoul(row[3], NULL, 10), 0};
	}
	if (p->n > 0)
		p->v[p->n - 1].end = 1;
	if (rc == 0 && dm_sql_stream_end(k->db) == -1)
		rc = -1;
	mysql_free_result(res);
	dm_sql_free(&q);
	k->out->pairs += p->n;
	return rc == 0 ? 0 : fail(k, "reading the affected versions");
}

/* The first pair of each package version whose source version has any. */
static int
load_versions(struct count *k)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	uint32_t first;
	int rc = 0;

	if (mysql_query(k->db, "SELECT id, source_package_version_id FROM package_version") != 0 ||
	    (res = mysql_use_result(k->db)) == NULL)
		return fail(k, "reading the package versions");
	while (rc == 0 && (row = mysql_fetch_row(res)) != NULL)
		if ((first = imap_get(&k->spv.first, strtoull(row[1], NULL, 10))) != UINT32_MAX)
			rc = imap_put(&k->pv, strtoull(row[0], NULL, 10), first);
	if (rc == 0 && dm_sql_stream_end(k->db) == -1)
		rc = -1;
	mysql_free_result(res);
	return rc == 0 ? 0 : fail(k, "reading the package versions");
}

/* A new host with an issue, at the end of the per-host counts: 0, or -1 (no memory). */
static int
host_add(struct counts *c, uint64_t id)
{
	struct host_sum *v;
	size_t cap;

	if (c->n_hosts == c->cap_hosts) {
		cap = c->cap_hosts ? 2 * c->cap_hosts : 1024;
		if ((v = realloc(c->hosts, cap * sizeof(*v))) == NULL)
			return -1;
		c->hosts = v;
		c->cap_hosts = cap;
	}
	c->hosts[c->n_hosts++] = (struct host_sum){id, 0, 0, 0};
	return 0;
}

/*
 * Counts the pairs of one version, from first, for the subject being read, and for a host
 * its own sums: 0, or -1 when out of memory.
 */
static int
touch(struct counts *c, int kind, const struct pairs *p, uint32_t first)
{
	struct host_sum *h = NULL;
	const struct pair *e;
	uint32_t i;

	if (first == UINT32_MAX)
		return 0;
	if (c->last_subject != c->subject) {
		c->last_subject = c->subject;
		c->subjects[kind]++;
		if (kind == 0 && host_add(c, c->subject) == -1)
			return -1;
	}
	if (kind == 0)
		h = &c->hosts[c->n_hosts - 1];
	for (e = p->v + first;; e++) {
		i = e->issue;
		if (c->last[i] != c->subject) {
			c->last[i] = c->subject;
			c->fixed_seen[i] = 0;
			c->n[kind][i]++;
			if (h != NULL)
				h->issues++;
		}
		if (e->status == DM_CVE_RESOLVED && !(c->fixed_seen[i] & SEEN_FIXABLE)) {
			c->fixed_seen[i] |= SEEN_FIXABLE;
			c->fixable[kind][i]++;
			if (h != NULL)
				h->fixable++;
		}
		if (h != NULL && e->status == DM_CVE_RESOLVED && e->rank == c->high_rank &&
		    !(c->fixed_seen[i] & SEEN_HIGH)) {
			c->fixed_seen[i] |= SEEN_HIGH;
			h->high++;
		}
		c->states[i] |= (uint8_t)(1u << e->status);
		if (e->rank > c->rank[i])
			c->rank[i] = e->rank;
		if (e->end)
			break;
	}
	return 0;
}

/* A host's running kernel (from the host list) or an image's nothing. */
struct subject {
	uint64_t id, kernel;
};

/* The subjects of one kind with their kernels, in id order. */
static struct subject *
load_subjects(struct count *k, int kind, size_t *n)
{
	struct subject *v = NULL;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i = 0;

	if (mysql_query(k->db, kind == 0 ? "SELECT id, kernel_id FROM host ORDER BY id"
	                                 : "SELECT id, 0 FROM image ORDER BY id") != 0 ||
	    (res = mysql_store_result(k->db)) == NULL) {
		fail(k, "reading the hosts and images");
		return NULL;
	}
	if ((v = calloc(mysql_num_rows(res) + 1, sizeof(*v))) != NULL)
		while ((row = mysql_fetch_row(res)) != NULL)
			v[i++] = (struct subject){strtoull(row[0], NULL, 10),
			                          strtoull(row[1], NULL, 10)};
	mysql_free_result(res);
	*n = i;
	if (v == NULL)
		fail(k, "reading the hosts and images");
	return v;
}

/* The kernel's pairs of the subjects up to id (those with no package rows too): 0 or -1. */
static int
kernels_upto(struct count *k, int kind, const struct subject *s, size_t n, size_t *at, uint64_t id)
{
	for (; *at < n && s[*at].id <= id; (*at)++) {
		if (kind != 0)
			continue;
		k->c.subject = s[*at].id;
		if (touch(&k->c, kind, &k->kernel, imap_get(&k->kernel.first, s[*at].kernel)) == -1)
			return -1;
	}
	return 0;
}

/* One pass over the package rows of kind (0 hosts, 1 images), in subject order. */
static int
pass(struct count *k, int kind)
{
	static const char *const rows[] = {
	    "SELECT host_id, package_version_id FROM host_package ORDER BY host_id",
	    "SELECT image_id, package_version_id FROM image_package ORDER BY image_id",
	};
	struct subject *s;
	size_t n, at = 0;
	MYSQL_RES *res;
	MYSQL_ROW row;
	uint64_t id;
	int rc = 0;

	if ((s = load_subjects(k, kind, &n)) == NULL)
		return -1;
	memset(k->c.last, 0, (k->c.n_issues + 1) * sizeof(*k->c.last));
	k->c.last_subject = 0;
	if (mysql_query(k->db, rows[kind]) != 0 || (res = mysql_use_result(k->db)) == NULL) {
		free(s);
		return fail(k, "reading the installed packages");
	}
	while (rc == 0 && (row = mysql_fetch_row(res)) != NULL) {
		id = strtoull(row[0], NULL, 10);
		if (kernels_upto(k, kind, s, n, &at, id) == -1)
			rc = fail(k, "counting");
		k->c.subject = id;
		if (rc == 0 &&
		    touch(&k->c, kind, &k->spv, imap_get(&k->pv, strtoull(row[1], NULL, 10))) == -1)
			rc = fail(k, "counting");
		k->out->rows++;
	}
	if (rc == 0 && dm_sql_stream_end(k->db) == -1)
		rc = fail(k, "reading the installed packages");
	mysql_free_result(res);
	if (rc == 0 && kernels_upto(k, kind, s, n, &at, UINT64_MAX) == -1)
		rc = fail(k, "counting");
	free(s);
	return rc;
}

/* The urgency word of a rank, stars gone. */
static const char *
urgency_name(unsigned rank)
{
	static const char *const names[] = {"",    "unimportant", "end-of-life", "not yet assigned",
	                                    "low", "medium",      "high"};

	return rank < sizeof(names) / sizeof(names[0]) ? names[rank] : "";
}

/* cve_count per urgency, for /metrics. */
static const char urgency_sql[] =
    "INSERT INTO cve_urgency (urgency, issues, fixable)"
    " SELECT urgency, COUNT(*), SUM(hosts_fixable + images_fixable > 0) FROM cve_count"
    " GROUP BY urgency";

/* Replaces cve_count (and cve_urgency, cve_host) with the counts, in one transaction. */
static int
store(struct count *k)
{
	struct counts *c = &k->c;
	struct dm_sql q;
	size_t i, rows = 0;
	int rc = 0;

	dm_sql_init(&q, k->db);
	if (mysql_query(k->db, "START TRANSACTION") != 0 ||
	    mysql_query(k->db, "DELETE FROM cve_count") != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < c->n_issues; i++) {
		if (c->n[0][i] == 0 && c->n[1][i] == 0)
			continue;
		if (rows++ % CHUNK == 0)
			dm_sql_start(
			    &q, "INSERT INTO cve_count (issue_id, hosts, images, hosts_fixable,"
			        " images_fixable, states, urgency) VALUES ");
		else
			dm_sql_raw(&q, ", ");
		dm_sql_add(&q, "(#, #, #, #, #, #, ?)", c->ids[i], c->n[0][i], c->n[1][i],
		           c->fixable[0][i], c->fixable[1][i], c->states[i],
		           urgency_name(c->rank[i]));
		if (rows % CHUNK == 0)
			rc = dm_sql_exec(&q);
	}
	if (rc == 0 && rows % CHUNK != 0)
		rc = dm_sql_exec(&q);
	if (rc == 0 && (mysql_query(k->db, "DELETE FROM cve_urgency") != 0 ||
	                mysql_query(k->db, urgency_sql) != 0))
		rc = -1;
	if (rc == 0 && mysql_query(k->db, "DELETE FROM cve_host") != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < c->n_hosts; i++) {
		if (i % CHUNK == 0)
			dm_sql_start(
			    &q,
			    "INSERT IGNORE INTO cve_host (host_id, issues, fixable, high_fixable)"
			    " VALUES ");
		else
			dm_sql_raw(&q, ", ");
		dm_sql_add(&q, "(#, #, #, #)", c->hosts[i].id, c->hosts[i].issues,
		           c->hosts[i].fixable, c->hosts[i].high);
		if ((i + 1) % CHUNK == 0 || i + 1 == c->n_hosts)
			rc = dm_sql_exec(&q);
	}
	if (rc == 0) {
		dm_sql_start(&q, "UPDATE cve_state SET counted = ? WHERE id = 1", k->started);
		rc = dm_sql_exec(&q);
	}
	if (rc == 0 && mysql_commit(k->db) != 0)
		rc = -1;
	if (rc != 0) {
		fail(k, "writing the counts");
		mysql_rollback(k->db);
	}
	dm_sql_free(&q);
	k->out->issues = rows;
	return rc;
}

/* The database's time (UTC), as DATETIME text, into buf: 0, or -1. */
static int
now(MYSQL *db, char *buf, size_t len)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int rc = -1;

	if (mysql_query(db, "SELECT UTC_TIMESTAMP()") != 0 ||
	    (res = mysql_store_result(db)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		rc = snprintf(buf, len, "%s", row[0]) < (int)len ? 0 : -1;
	mysql_free_result(res);
	return rc;
}

/*
 * A host or image whose report came in the second the count began, or later, may have
 * changed after the count read it: >=. A removal changes no modified time; it waits for
 * the next count that is due for another reason, or for the hourly import's.
 */
static const char due_sql[] = "SELECT c.counted IS NULL"
                              " OR EXISTS (SELECT 1 FROM host WHERE modified >= c.counted)"
                              " OR EXISTS (SELECT 1 FROM image WHERE modified >= c.counted)"
                              " FROM (SELECT MAX(counted) AS counted FROM cve_state) c";

int
dm_cve_count_due(MYSQL *db, char *err, size_t errlen)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int due = -1;

	if (mysql_query(db, due_sql) == 0 && (res = mysql_store_result(db)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
			due = strcmp(row[0], "0") != 0;
		mysql_free_result(res);
	}
	if (due == -1)
		snprintf(err, errlen, "reading the time of the last count: %s",
		         mysql_errno(db) ? mysql_error(db) : "no answer");
	return due;
}

int
dm_cve_count(MYSQL *db, const struct dm_config *cfg, struct dm_cve_counted *out, char *err,
             size_t errlen)
{
	struct count k = {.db = db, .out = out, .err = err, .errlen = errlen};
	int rc;

	memset(out, 0, sizeof(*out));
	if (now(db, k.started, sizeof(k.started)) == -1)
		return fail(&k, "reading the time");
	if (dm_cve_oses_load(&k.oses, db, cfg, err, errlen) == -1)
		return -1;
	rc = load_pairs(&k, &k.spv, spv_pairs_head, spv_pairs_tail) == -1 ||
	             load_pairs(&k, &k.kernel, kernel_pairs_head, kernel_pairs_tail) == -1 ||
	             load_versions(&k) == -1
	         ? -1
	         : 0;
	if (rc == 0 && counts_alloc(&k.c) == -1)
		rc = fail(&k, "counting");
	if (rc == 0)
		rc = pass(&k, 0) == -1 || pass(&k, 1) == -1 ? -1 : 0;
	if (rc == 0)
		rc = store(&k);
	out->hosts = k.c.subjects[0];
	out->images = k.c.subjects[1];
	counts_free(&k.c);
	imap_free(&k.pv);
	imap_free(&k.spv.first);
	imap_free(&k.kernel.first);
	free(k.spv.v);
	free(k.kernel.v);
	dm_cve_oses_free(&k.oses);
	return rc;
}
