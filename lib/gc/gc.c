/* gc.c: what debmonitor-gc removes, in batches small enough never to stall ingest. */
#include "gc/gc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "db/db.h"
#include "db/sql.h"
#include "ingest/forget.h"

/* Stale hosts (or images) per query and per transaction; orphan rows per delete. */
#define GC_BATCH 100
#define GC_PER_TXN 50
#define GC_ORPHANS 1000
/* Ids of a table one orphan select looks at, however few of them are orphans. */
#define GC_WINDOW 10000

/* What removing stale hosts or images takes; statements that end in an id list "(...)". */
struct stale_sql {
	const char *select; /* the next stale ids after an id */
	const char *lock;   /* the ones of a list still stale, locked */
};

static const struct stale_sql stale_sql[2] = {
    [DM_GC_HOSTS] =
        {
            .select = "SELECT id FROM host WHERE modified < UTC_TIMESTAMP() - INTERVAL # SECOND"
                      " AND id > # ORDER BY id LIMIT #",
            /* Checked again under the row lock: an update that just arrived keeps its host. */
            .lock = "SELECT id FROM host WHERE modified < UTC_TIMESTAMP() - INTERVAL # SECOND"
                    " AND id IN (",
        },
    /* An image a Kubernetes cluster runs is kept, however old. */
    [DM_GC_IMAGES] =
        {
            .select = "SELECT i.id FROM image i WHERE"
                      " i.modified < UTC_TIMESTAMP() - INTERVAL # SECOND AND i.id > #"
                      " AND NOT EXISTS (SELECT 1 FROM kubernetes_image k WHERE k.image_id = i.id)"
                      " ORDER BY i.id LIMIT #",
            .lock = "SELECT i.id FROM image i WHERE"
                    " i.modified < UTC_TIMESTAMP() - INTERVAL # SECOND"
                    " AND NOT EXISTS (SELECT 1 FROM kubernetes_image k WHERE k.image_id = i.id)"
                    " AND i.id IN (",
        },
};

/*
 * Orphans, in the order that frees the next kind: the next ids after a cursor that nothing
 * refers to, then those deleted in one statement. Every reference is a foreign key, so
 * DELETE IGNORE skips a row an update started to use since the select, and an update that
 * wins the other way retries (ingest treats a vanished parent as a conflict).
 */
struct orphan_sql {
	const char *max;    /* the highest id: where the pass ends */
	const char *select; /* ids in (#, #] nothing refers to, in order, at most # */
	const char *del;    /* ends in "id IN (" */
};

#define ORPHAN_SELECT(T, REFS)                                                                     \
	"SELECT COALESCE(MAX(id), 0) FROM " T,                                                     \
	    "SELECT t.id FROM " T " t WHERE t.id > # AND t.id <= # AND " REFS                      \
	    " ORDER BY t.id LIMIT #"
#define NONE_IN(T, COL) "NOT EXISTS (SELECT 1 FROM " T " e WHERE e." COL " = t.id)"
#define AND_NONE_IN(T, COL) " AND " NONE_IN(T, COL)
/* What refers to a package version: installs and upgrades, of hosts and of images. */
#define PACKAGE_VERSION_REFS                                                                       \
	NONE_IN("host_package", "package_version_id")                                              \
	AND_NONE_IN("host_package", "upgradable_version_id")                                       \
	AND_NONE_IN("image_package", "package_version_id")                                         \
	AND_NONE_IN("image_package", "upgradable_version_id")

static const struct orphan_sql orphans[DM_GC__MAX] = {
    [DM_GC_PACKAGE_VERSIONS] = {ORPHAN_SELECT("package_version", PACKAGE_VERSION_REFS),
                                "DELETE IGNORE FROM package_version WHERE id IN ("},
    [DM_GC_PACKAGES] = {ORPHAN_SELECT("package", NONE_IN("package_version", "package_id")),
                        "DELETE IGNORE FROM package WHERE id IN ("},
    [DM_GC_SOURCE_VERSIONS] = {ORPHAN_SELECT(
                                   "source_package_version",
                                   NONE_IN("package_version", "source_package_version_id")),
                               "DELETE IGNORE FROM source_package_version WHERE id IN ("},
    [DM_GC_SOURCES] = {ORPHAN_SELECT("source_package",
                                     NONE_IN("source_package_version", "source_package_id")),
                       "DELETE IGNORE FROM source_package WHERE id IN ("},
    [DM_GC_KERNELS] = {ORPHAN_SELECT("kernel_version", NONE_IN("host", "kernel_id")),
                       "DELETE IGNORE FROM kernel_version WHERE id IN ("},
};

static const char *const names[DM_GC__MAX] = {
    [DM_GC_HOSTS] = "hosts",
    [DM_GC_IMAGES] = "images",
    [DM_GC_PACKAGE_VERSIONS] = "package versions",
    [DM_GC_PACKAGES] = "packages",
    [DM_GC_SOURCE_VERSIONS] = "source package versions",
    [DM_GC_SOURCES] = "source packages",
    [DM_GC_KERNELS] = "kernels",
};

const char *
dm_gc_kind_name(enum dm_gc_kind k)
{
	return k < DM_GC__MAX ? names[k] : "?";
}

int
dm_gc_parse_age(const char *s, long long *out)
{
	static const struct {
		char unit;
		long long seconds;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	char num[32];
	size_t n = strlen(s), i;
	long long v;

	if (strcmp(s, "0") == 0)
		return *out = 0, 0;
	if (n < 2 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s[n - 1] == units[i].unit && dm_parse_ll(num, 0, 100LL * 365 * 86400, &v) == 0)
			return *out = v * units[i].seconds, 0;
	return -1;
}

struct gc_run {
	MYSQL *db;
	struct dm_gc *gc;
	struct dm_sql q;
	int kind;                           /* DM_GC_HOSTS or DM_GC_IMAGES */
	unsigned long long ids[GC_ORPHANS]; /* GC_PER_TXN stale ones, or orphans */
	size_t n;
	int removed;
};

/*
 * Up to GC_PER_TXN hosts or images: locked and checked again, their counts taken back,
 * then deleted, in one transaction.
 */
static int
remove_some(MYSQL *db, void *arg)
{
	struct gc_run *r = arg;
	int host = r->kind == DM_GC_HOSTS;
	unsigned long long still[GC_PER_TXN];
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t n = 0;

	(void)db;
	r->removed = 0;
	dm_sql_start(&r->q, stale_sql[r->kind].lock,
	             (unsigned long long)(host ? r->gc->hosts_age : r->gc->images_age));
	dm_sql_ids(&r->q, r->ids, r->n);
	dm_sql_raw(&r->q, " FOR UPDATE");
	if ((res = dm_sql_query(&r->q)) == NULL)
		return -1;
	while (n < GC_PER_TXN && (row = mysql_fetch_row(res)) != NULL)
		still[n++] = strtoull(row[0], NULL, 10);
	mysql_free_result(res);
	if (dm_forget(&r->q, host ? DM_KIND_HOST : DM_KIND_IMAGE, still, n) == -1)
		return -1;
	r->removed = (int)n;
	return 0;
}

/* Stale hosts or images, GC_BATCH ids a query, GC_PER_TXN a transaction. */
static int
remove_stale(struct gc_run *r, int kind, char *err, size_t errlen)
{
	long long age = kind == DM_GC_HOSTS ? r->gc->hosts_age : r->gc->images_age;
	unsigned long long last = 0, ids[GC_BATCH];
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t n, i;

	r->kind = kind;
	for (n = GC_BATCH; age > 0 && n == GC_BATCH;) {
		dm_sql_start(&r->q, stale_sql[kind].select, (unsigned long long)age, last,
		             (unsigned long long)GC_BATCH);
		if ((res = dm_sql_query(&r->q)) == NULL)
			return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
		for (n = 0; (row = mysql_fetch_row(res)) != NULL; n++)
			ids[n] = last = strtoull(row[0], NULL, 10);
		mysql_free_result(res);
		for (i = 0; i < n; i += r->n) {
			r->n = n - i < GC_PER_TXN ? n - i : GC_PER_TXN;
			memcpy(r->ids, ids + i, r->n * sizeof(*ids));
			/* A dry run is already inside the one transaction it takes back. */
			if (r->gc->dry_run ? remove_some(r->db, r) != 0
			                   : dm_db_txn(r->db, remove_some, r, err, errlen) != 0)
				return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
			r->gc->removed[kind] += (unsigned long long)r->removed;
		}
	}
	return 0;
}

/* Deletes the orphans in r->ids; how many went in r->removed. */
static int
orphan_batch(MYSQL *db, void *arg)
{
	struct gc_run *r = arg;

	dm_sql_start(&r->q, orphans[r->kind].del);
	dm_sql_ids(&r->q, r->ids, r->n);
	if (dm_sql_exec(&r->q) == -1)
		return -1;
	r->removed = (int)mysql_affected_rows(db);
	return 0;
}

/* The highest id of the kind's table: where its pass ends. */
static int
orphan_max(struct gc_run *r, enum dm_gc_kind k, unsigned long long *max)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_start(&r->q, orphans[k].max);
	if ((res = dm_sql_query(&r->q)) == NULL)
		return -1;
	row = mysql_fetch_row(res);
	*max = row != NULL && row[0] != NULL ? strtoull(row[0], NULL, 10) : 0;
	mysql_free_result(res);
	return 0;
}

/* The next orphans after *last, at most GC_WINDOW ids on; *last moves past what was seen. */
static int
orphan_select(struct gc_run *r, enum dm_gc_kind k, unsigned long long *last, unsigned long long max)
{
	unsigned long long end = max - *last > GC_WINDOW ? *last + GC_WINDOW : max;
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_start(&r->q, orphans[k].select, *last, end, (unsigned long long)GC_ORPHANS);
	if ((res = dm_sql_query(&r->q)) == NULL)
		return -1;
	for (r->n = 0; (row = mysql_fetch_row(res)) != NULL; r->n++)
		r->ids[r->n] = strtoull(row[0], NULL, 10);
	mysql_free_result(res);
	*last = r->n == GC_ORPHANS ? r->ids[r->n - 1] : end;
	return 0;
}

/*
 * One pass over the kind's table in id order, a window of GC_WINDOW ids a statement so
 * that none runs long however few orphans there are, each window's orphans deleted in a
 * transaction that is retried when it deadlocks with an update. What the pass has gone
 * by (a row orphaned since) or not reached (a row added since) is the next run's.
 */
static int
remove_orphans(struct gc_run *r, enum dm_gc_kind k, char *err, size_t errlen)
{
	unsigned long long last = 0, max;

	r->kind = (int)k;
	if (orphan_max(r, k, &max) != 0)
		return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
	while (last < max) {
		if (orphan_select(r, k, &last, max) != 0)
			return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
		r->removed = 0;
		if (r->n > 0 && r->gc->dry_run && orphan_batch(r->db, r) != 0)
			return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
		if (r->n > 0 && !r->gc->dry_run &&
		    dm_db_txn(r->db, orphan_batch, r, err, errlen) != 0)
			return -1;
		r->gc->removed[k] += (unsigned long long)r->removed;
	}
	return 0;
}

int
dm_gc_run(MYSQL *db, struct dm_gc *gc, char *err, size_t errlen)
{
	struct gc_run r = {.db = db, .gc = gc};
	int k, rc = -1;

	memset(gc->removed, 0, sizeof(gc->removed));
	dm_sql_init(&r.q, db);
	/* A dry run does everything in one transaction and takes it all back. */
	if (gc->dry_run && mysql_query(db, "START TRANSACTION") != 0) {
		snprintf(err, errlen, "%s", mysql_error(db));
		goto out;
	}
	/* Without a dry run's open transaction each statement commits on its own. */
	if (!gc->dry_run && mysql_autocommit(db, 1) != 0)
		goto out;
	/*
	 * Each NOT EXISTS of the orphan selects must stay a lookup per row. MariaDB's
	 * exists_to_in turns them into IN subqueries it may materialise: every upgradable
	 * version id of host_package (600,000 at 10,000 hosts) read again for each batch,
	 * 30 s a batch while updates arrive.
	 */
	if (mysql_query(db, "SET SESSION optimizer_switch = 'exists_to_in=off'") != 0) {
		snprintf(err, errlen, "%s", mysql_error(db));
		goto out;
	}
	if (remove_stale(&r, DM_GC_HOSTS, err, errlen) == -1 ||
	    remove_stale(&r, DM_GC_IMAGES, err, errlen) == -1)
		goto out;
	for (k = DM_GC_PACKAGE_VERSIONS; k < DM_GC__MAX; k++)
		if (remove_orphans(&r, (enum dm_gc_kind)k, err, errlen) == -1)
			goto out;
	rc = 0;
out:
	if (gc->dry_run)
		mysql_rollback(db);
	dm_sql_free(&r.q);
	return rc;
}
