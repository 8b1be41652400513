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
};

#define ORPHAN_SELECT(T, REFS)                                                                     \
	{                                                                                          \
		"SELECT COALESCE(MAX(id), 0) FROM " T,                                             \
		    "SELECT t.id FROM " T " t WHERE t.id > # AND t.id <= # AND " REFS              \
		    " ORDER BY t.id LIMIT #"                                                       \
	}

/*
 * A dry run only reads: what would go is kept by kind in a temporary table of its session,
 * and a row would go when nothing refers to it but rows already found going (NONE_KEPT_IN
 * instead of NONE_IN). The kinds as gc_dry.kind stores them (enum dm_gc_kind):
 */
#define DRY_HOSTS "0"
#define DRY_IMAGES "1"
#define DRY_PACKAGE_VERSIONS "2"
#define DRY_SOURCE_VERSIONS "4"
_Static_assert(DM_GC_HOSTS == 0 && DM_GC_IMAGES == 1 && DM_GC_PACKAGE_VERSIONS == 2 &&
                   DM_GC_SOURCE_VERSIONS == 4,
               "the DRY_ kinds are enum dm_gc_kind's values");

/* No row of T refers to t by COL (REF: the referring row's id of kind K, for the dry run). */
#define NONE_IN(T, COL, K, REF) "NOT EXISTS (SELECT 1 FROM " T " e WHERE e." COL " = t.id)"
#define NONE_KEPT_IN(T, COL, K, REF)                                                               \
	"NOT EXISTS (SELECT 1 FROM " T " e WHERE e." COL " = t.id AND NOT EXISTS"                  \
	" (SELECT 1 FROM gc_dry d WHERE d.kind = " K " AND d.id = e." REF "))"

/* What refers to a package version: installs and upgrades, of hosts and of images. */
#define HOST_INSTALLS(NONE) NONE("host_package", "package_version_id", DRY_HOSTS, "host_id")
#define HOST_UPGRADES(NONE) NONE("host_package", "upgradable_version_id", DRY_HOSTS, "host_id")
#define IMAGE_INSTALLS(NONE) NONE("image_package", "package_version_id", DRY_IMAGES, "image_id")
#define IMAGE_UPGRADES(NONE) NONE("image_package", "upgradable_version_id", DRY_IMAGES, "image_id")
#define VERSION_REFS(NONE)                                                                         \
	HOST_INSTALLS(NONE)                                                                        \
	" AND " HOST_UPGRADES(NONE) " AND " IMAGE_INSTALLS(NONE) " AND " IMAGE_UPGRADES(NONE)

#define ORPHANS(NONE)                                                                              \
	{                                                                                          \
		[DM_GC_PACKAGE_VERSIONS] = ORPHAN_SELECT("package_version", VERSION_REFS(NONE)),   \
		[DM_GC_PACKAGES] = ORPHAN_SELECT(                                                  \
		    "package", NONE("package_version", "package_id", DRY_PACKAGE_VERSIONS, "id")), \
		[DM_GC_SOURCE_VERSIONS] = ORPHAN_SELECT(                                           \
		    "source_package_version", NONE("package_version", "source_package_version_id", \
		                                   DRY_PACKAGE_VERSIONS, "id")),                   \
		[DM_GC_SOURCES] = ORPHAN_SELECT(                                                   \
		    "source_package", NONE("source_package_version", "source_package_id",          \
		                           DRY_SOURCE_VERSIONS, "id")),                            \
		[DM_GC_KERNELS] =                                                                  \
		    ORPHAN_SELECT("kernel_version", NONE("host", "kernel_id", DRY_HOSTS, "id")),   \
	}

static const struct orphan_sql orphans[DM_GC__MAX] = ORPHANS(NONE_IN);
static const struct orphan_sql would_go[DM_GC__MAX] = ORPHANS(NONE_KEPT_IN);

/*
 * When most hosts and images would go, proving version by version that only they use it
 * reads nearly every install row (a minute at 10,000 hosts). Then the versions the others
 * keep are gathered first, from their rows alone, and a version would go when it is not
 * among them.
 */
static const char kept_create[] = "CREATE TEMPORARY TABLE gc_kept"
                                  " (id INT UNSIGNED NOT NULL PRIMARY KEY)";
static const char kept_drop[] = "DROP TEMPORARY TABLE IF EXISTS gc_kept";
#define KEPT_FILL(ENTITY, PKGS, FK, DRY, COL)                                                      \
	"INSERT IGNORE INTO gc_kept (id) SELECT e." COL " FROM " ENTITY " o STRAIGHT_JOIN " PKGS   \
	" e ON e." FK " = o.id WHERE e." COL " IS NOT NULL AND NOT EXISTS"                         \
	" (SELECT 1 FROM gc_dry d WHERE d.kind = " DRY " AND d.id = o.id)"
static const char *const kept_fill[] = {
    KEPT_FILL("host", "host_package", "host_id", DRY_HOSTS, "package_version_id"),
    KEPT_FILL("host", "host_package", "host_id", DRY_HOSTS, "upgradable_version_id"),
    KEPT_FILL("image", "image_package", "image_id", DRY_IMAGES, "package_version_id"),
    KEPT_FILL("image", "image_package", "image_id", DRY_IMAGES, "upgradable_version_id"),
};
static const char kept_entities[] =
    "SELECT (SELECT COUNT(*) FROM host) + (SELECT COUNT(*) FROM image)";
static const struct orphan_sql not_kept =
    ORPHAN_SELECT("package_version", "NOT EXISTS (SELECT 1 FROM gc_kept k WHERE k.id = t.id)");

/* Each statement ends in "id IN (". */
static const char *const orphan_delete[DM_GC__MAX] = {
    [DM_GC_PACKAGE_VERSIONS] = "DELETE IGNORE FROM package_version WHERE id IN (",
    [DM_GC_PACKAGES] = "DELETE IGNORE FROM package WHERE id IN (",
    [DM_GC_SOURCE_VERSIONS] = "DELETE IGNORE FROM source_package_version WHERE id IN (",
    [DM_GC_SOURCES] = "DELETE IGNORE FROM source_package WHERE id IN (",
    [DM_GC_KERNELS] = "DELETE IGNORE FROM kernel_version WHERE id IN (",
};

/* The dry run's table, and what it records: the ids found going, by kind. */
static const char dry_create[] = "CREATE TEMPORARY TABLE gc_dry (kind TINYINT UNSIGNED NOT NULL,"
                                 " id INT UNSIGNED NOT NULL, PRIMARY KEY (kind, id))";
static const char dry_drop[] = "DROP TEMPORARY TABLE IF EXISTS gc_dry";
static const char dry_record[] = "INSERT IGNORE INTO gc_dry (kind, id) VALUES ";

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
	int kept; /* a dry run found most hosts and images going, and filled gc_kept */
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
	dm_sql_start(&r->q, stale_sql[r->kind].lock, host ? r->gc->hosts_age : r->gc->images_age);
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

/* A dry run's finding: the n ids of r->ids would go (kind k); how many in r->removed. */
static int
record(struct gc_run *r, int k)
{
	size_t i;

	r->removed = (int)r->n;
	if (r->n == 0)
		return 0;
	dm_sql_start(&r->q, dry_record);
	for (i = 0; i < r->n; i++)
		dm_sql_add(&r->q, i ? ", (#, #)" : "(#, #)", k, r->ids[i]);
	return dm_sql_exec(&r->q) == -1 ? -1 : 0;
}

/* The database's message for a statement that failed outside a transaction. */
static int
failed(struct gc_run *r, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s",
	         mysql_errno(r->db) ? mysql_error(r->db) : "out of memory or statement too large");
	return -1;
}

/*
 * Stale hosts or images, GC_BATCH ids a query, GC_PER_TXN a transaction (a dry run
 * records them instead).
 */
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
		dm_sql_start(&r->q, stale_sql[kind].select, age, last, GC_BATCH);
		if ((res = dm_sql_query(&r->q)) == NULL)
			return failed(r, err, errlen);
		for (n = 0; (row = mysql_fetch_row(res)) != NULL; n++)
			ids[n] = last = strtoull(row[0], NULL, 10);
		mysql_free_result(res);
		for (i = 0; i < n; i += r->n) {
			r->n = n - i < GC_PER_TXN ? n - i : GC_PER_TXN;
			memcpy(r->ids, ids + i, r->n * sizeof(*ids));
			if (r->gc->dry_run ? record(r, kind) != 0
			                   : dm_db_txn(r->db, remove_some, r, err, errlen) != 0)
				return r->gc->dry_run ? failed(r, err, errlen) : -1;
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

	dm_sql_start(&r->q, orphan_delete[r->kind]);
	dm_sql_ids(&r->q, r->ids, r->n);
	if (dm_sql_exec(&r->q) == -1)
		return -1;
	r->removed = (int)mysql_affected_rows(db);
	return 0;
}

/* The highest id of the kind's table: where its pass ends. */
static int
orphan_max(struct gc_run *r, const struct orphan_sql *o, unsigned long long *max)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_start(&r->q, o->max);
	if ((res = dm_sql_query(&r->q)) == NULL)
		return -1;
	row = mysql_fetch_row(res);
	*max = row != NULL && row[0] != NULL ? strtoull(row[0], NULL, 10) : 0;
	mysql_free_result(res);
	return 0;
}

/* The next orphans after *last, at most GC_WINDOW ids on; *last moves past what was seen. */
static int
orphan_select(struct gc_run *r, const struct orphan_sql *o, unsigned long long *last,
              unsigned long long max)
{
	unsigned long long end = max - *last > GC_WINDOW ? *last + GC_WINDOW : max;
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_start(&r->q, o->select, *last, end, GC_ORPHANS);
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
 * transaction that is retried when it deadlocks with an update (a dry run records them).
 * What the pass has gone by (a row orphaned since) or not reached (a row added since) is
 * the next run's.
 */
static int
remove_orphans(struct gc_run *r, enum dm_gc_kind k, char *err, size_t errlen)
{
	const struct orphan_sql *o = r->gc->dry_run ? &would_go[k] : &orphans[k];
	unsigned long long last = 0, max;

	if (r->kept && k == DM_GC_PACKAGE_VERSIONS)
		o = &not_kept;

	r->kind = (int)k;
	if (orphan_max(r, o, &max) != 0)
		return failed(r, err, errlen);
	while (last < max) {
		if (orphan_select(r, o, &last, max) != 0)
			return failed(r, err, errlen);
		r->removed = 0;
		if (r->n > 0 && r->gc->dry_run && record(r, (int)k) != 0)
			return failed(r, err, errlen);
		if (r->n > 0 && !r->gc->dry_run &&
		    dm_db_txn(r->db, orphan_batch, r, err, errlen) != 0)
			return -1;
		r->gc->removed[k] += (unsigned long long)r->removed;
	}
	return 0;
}

/*
 * Each statement on its own: a dry run writes only its temporary table and holds no lock
 * on the others (plain selects read without locking), so it can neither stall the ingest
 * nor leave anything to roll back when it is interrupted.
 */
static int
start(struct gc_run *r, char *err, size_t errlen)
{
	if (mysql_autocommit(r->db, 1) != 0 ||
	    (r->gc->dry_run &&
	     (mysql_query(r->db, dry_drop) != 0 || mysql_query(r->db, dry_create) != 0)))
		return failed(r, err, errlen);
	/*
	 * Each NOT EXISTS of the orphan selects must stay a lookup per row. MariaDB's
	 * exists_to_in turns them into IN subqueries it may materialise: every upgradable
	 * version id of host_package (600,000 at 10,000 hosts) read again for each batch,
	 * 30 s a batch while updates arrive.
	 */
	if (mysql_query(r->db, "SET SESSION optimizer_switch = 'exists_to_in=off'") != 0)
		return failed(r, err, errlen);
	return 0;
}

/* A dry run that found most hosts and images going gathers what the others keep. */
static int
gather_kept(struct gc_run *r, char *err, size_t errlen)
{
	unsigned long long going = r->gc->removed[DM_GC_HOSTS] + r->gc->removed[DM_GC_IMAGES];
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t i;
	int all;

	if (!r->gc->dry_run || going == 0)
		return 0;
	dm_sql_start(&r->q, kept_entities);
	if ((res = dm_sql_query(&r->q)) == NULL)
		return failed(r, err, errlen);
	row = mysql_fetch_row(res);
	all = row == NULL || row[0] == NULL || 2 * going < strtoull(row[0], NULL, 10);
	mysql_free_result(res);
	if (all)
		return 0;
	if (mysql_query(r->db, kept_drop) != 0 || mysql_query(r->db, kept_create) != 0)
		return failed(r, err, errlen);
	for (i = 0; i < sizeof(kept_fill) / sizeof(kept_fill[0]); i++)
		if (mysql_query(r->db, kept_fill[i]) != 0)
			return failed(r, err, errlen);
	r->kept = 1;
	return 0;
}

int
dm_gc_run(MYSQL *db, struct dm_gc *gc, char *err, size_t errlen)
{
	struct gc_run r = {.db = db, .gc = gc};
	int k, rc = -1;

	memset(gc->removed, 0, sizeof(gc->removed));
	dm_sql_init(&r.q, db);
	if (start(&r, err, errlen) == -1 || remove_stale(&r, DM_GC_HOSTS, err, errlen) == -1 ||
	    remove_stale(&r, DM_GC_IMAGES, err, errlen) == -1 || gather_kept(&r, err, errlen) == -1)
		goto out;
	for (k = DM_GC_PACKAGE_VERSIONS; k < DM_GC__MAX; k++)
		if (remove_orphans(&r, (enum dm_gc_kind)k, err, errlen) == -1)
			goto out;
	rc = 0;
out:
	if (gc->dry_run)
		mysql_query(db, dry_drop);
	if (r.kept)
		mysql_query(db, kept_drop);
	dm_sql_free(&r.q);
	return rc;
}
