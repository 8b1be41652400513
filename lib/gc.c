/* gc.c: what debmonitor-gc removes, in batches small enough never to stall ingest. */
#include "gc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "parse.h"
#include "sql.h"

/* Hosts (or images) per query, orphan rows per delete. */
#define GC_BATCH 100
#define GC_ORPHANS 1000

enum stmt {
	S_STALE_HOSTS,
	S_LOCK_HOST,
	S_HOST_STATS,
	S_DELETE_HOST,
	S_STALE_IMAGES,
	S_LOCK_IMAGE,
	S_IMAGE_STATS,
	S_DELETE_IMAGE,
	S__MAX
};

static const char *const stmts[S__MAX] = {
    [S_STALE_HOSTS] = "SELECT id FROM host WHERE modified < UTC_TIMESTAMP() - INTERVAL # SECOND"
                      " AND id > # ORDER BY id LIMIT #",
    /* Checked again under the row lock: an update that just arrived keeps its host. */
    [S_LOCK_HOST] = "SELECT id FROM host WHERE id = #"
                    " AND modified < UTC_TIMESTAMP() - INTERVAL # SECOND FOR UPDATE",
    /* The host's installs leave the package counts with it. */
    [S_HOST_STATS] = "INSERT INTO package_stats (package_id, slot, hosts, host_upgrades,"
                     " host_security) SELECT package_id, 0, -COUNT(*),"
                     " -SUM(upgradable_version_id IS NOT NULL),"
                     " -SUM(upgradable_version_id IS NOT NULL AND upgrade_type = 1)"
                     " FROM host_package WHERE host_id = # GROUP BY package_id"
                     " ON DUPLICATE KEY UPDATE hosts = hosts + VALUES(hosts),"
                     " host_upgrades = host_upgrades + VALUES(host_upgrades),"
                     " host_security = host_security + VALUES(host_security)",
    [S_DELETE_HOST] = "DELETE FROM host WHERE id = #",
    /* An image a Kubernetes cluster runs is kept, however old. */
    [S_STALE_IMAGES] = "SELECT i.id FROM image i WHERE"
                       " i.modified < UTC_TIMESTAMP() - INTERVAL # SECOND AND i.id > #"
                       " AND NOT EXISTS (SELECT 1 FROM kubernetes_image k WHERE k.image_id = i.id)"
                       " ORDER BY i.id LIMIT #",
    [S_LOCK_IMAGE] = "SELECT i.id FROM image i WHERE i.id = #"
                     " AND i.modified < UTC_TIMESTAMP() - INTERVAL # SECOND"
                     " AND NOT EXISTS (SELECT 1 FROM kubernetes_image k WHERE k.image_id = i.id)"
                     " FOR UPDATE",
    [S_IMAGE_STATS] = "INSERT INTO package_stats (package_id, slot, images, image_upgrades,"
                      " image_security) SELECT package_id, 0, -COUNT(*),"
                      " -SUM(upgradable_version_id IS NOT NULL),"
                      " -SUM(upgradable_version_id IS NOT NULL AND upgrade_type = 1)"
                      " FROM image_package WHERE image_id = # GROUP BY package_id"
                      " ON DUPLICATE KEY UPDATE images = images + VALUES(images),"
                      " image_upgrades = image_upgrades + VALUES(image_upgrades),"
                      " image_security = image_security + VALUES(image_security)",
    [S_DELETE_IMAGE] = "DELETE FROM image WHERE id = #",
};

/*
 * Orphans, in the order that frees the next kind: one batch per statement. DELETE IGNORE
 * skips a row an update started to use since the select (its foreign key now refers to
 * it), so such a row survives; an update that wins the other way retries (ingest treats
 * a vanished parent as a conflict).
 */
static const char *const orphans[DM_GC__MAX] = {
    [DM_GC_PACKAGE_VERSIONS] =
        "DELETE IGNORE FROM package_version WHERE id IN (SELECT id FROM (SELECT pv.id FROM"
        " package_version pv WHERE"
        " NOT EXISTS (SELECT 1 FROM host_package e WHERE e.package_version_id = pv.id)"
        " AND NOT EXISTS (SELECT 1 FROM host_package e WHERE e.upgradable_version_id = pv.id)"
        " AND NOT EXISTS (SELECT 1 FROM image_package e WHERE e.package_version_id = pv.id)"
        " AND NOT EXISTS (SELECT 1 FROM image_package e"
        " WHERE e.upgradable_version_id = pv.id) LIMIT #) t)",
    [DM_GC_PACKAGES] = "DELETE IGNORE FROM package WHERE id IN (SELECT id FROM (SELECT p.id FROM"
                       " package p WHERE NOT EXISTS (SELECT 1 FROM package_version pv"
                       " WHERE pv.package_id = p.id) LIMIT #) t)",
    [DM_GC_SOURCE_VERSIONS] =
        "DELETE IGNORE FROM source_package_version WHERE id IN (SELECT id FROM (SELECT s.id"
        " FROM source_package_version s WHERE NOT EXISTS (SELECT 1 FROM package_version pv"
        " WHERE pv.source_package_version_id = s.id) LIMIT #) t)",
    [DM_GC_SOURCES] = "DELETE IGNORE FROM source_package WHERE id IN (SELECT id FROM (SELECT"
                      " s.id FROM source_package s WHERE NOT EXISTS (SELECT 1 FROM"
                      " source_package_version v WHERE v.source_package_id = s.id) LIMIT #) t)",
    [DM_GC_KERNELS] = "DELETE IGNORE FROM kernel_version WHERE id IN (SELECT id FROM (SELECT"
                      " k.id FROM kernel_version k WHERE NOT EXISTS (SELECT 1 FROM host h"
                      " WHERE h.kernel_id = k.id) LIMIT #) t)",
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

int
dm_gc_forget(struct dm_sql *q, int host, unsigned long long id)
{
	dm_sql_start(q, stmts[host ? S_HOST_STATS : S_IMAGE_STATS], id);
	if (dm_sql_exec(q) == -1)
		return -1;
	dm_sql_start(q, stmts[host ? S_DELETE_HOST : S_DELETE_IMAGE], id);
	return dm_sql_exec(q);
}

struct gc_run {
	MYSQL *db;
	struct dm_gc *gc;
	struct dm_sql q;
	int kind; /* DM_GC_HOSTS or DM_GC_IMAGES */
	unsigned long long id;
	int removed;
};

/* One host or image: locked and checked again, its counts taken back, then deleted. */
static int
remove_one(MYSQL *db, void *arg)
{
	struct gc_run *r = arg;
	int host = r->kind == DM_GC_HOSTS;
	long long age = host ? r->gc->hosts_age : r->gc->images_age;
	MYSQL_RES *res;
	int found;

	(void)db;
	r->removed = 0;
	dm_sql_start(&r->q, stmts[host ? S_LOCK_HOST : S_LOCK_IMAGE], r->id, age);
	if ((res = dm_sql_query(&r->q)) == NULL)
		return -1;
	found = mysql_num_rows(res) > 0;
	mysql_free_result(res);
	if (!found)
		return 0;
	if (dm_gc_forget(&r->q, host, r->id) == -1)
		return -1;
	r->removed = 1;
	return 0;
}

/* Stale hosts or images, GC_BATCH ids a query, each removed in its own transaction. */
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
		dm_sql_start(&r->q, stmts[kind == DM_GC_HOSTS ? S_STALE_HOSTS : S_STALE_IMAGES],
		             (unsigned long long)age, last, (unsigned long long)GC_BATCH);
		if ((res = dm_sql_query(&r->q)) == NULL)
			return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
		for (n = 0; (row = mysql_fetch_row(res)) != NULL; n++)
			ids[n] = last = strtoull(row[0], NULL, 10);
		mysql_free_result(res);
		for (i = 0; i < n; i++) {
			r->id = ids[i];
			/* A dry run is already inside the one transaction it takes back. */
			if (r->gc->dry_run ? remove_one(r->db, r) != 0
			                   : dm_db_txn(r->db, remove_one, r, err, errlen) != 0)
				return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
			r->gc->removed[kind] += (unsigned long long)r->removed;
		}
	}
	return 0;
}

/* One batch of orphans of the kind in r->kind; how many went in r->removed. */
static int
orphan_batch(MYSQL *db, void *arg)
{
	struct gc_run *r = arg;

	dm_sql_start(&r->q, orphans[r->kind], (unsigned long long)GC_ORPHANS);
	if (dm_sql_exec(&r->q) == -1)
		return -1;
	r->removed = (int)mysql_affected_rows(db);
	return 0;
}

/*
 * Batches until one is not full; each batch is retried when it deadlocks with an update.
 * Not "until one removes nothing": updates that keep orphaning versions (a host switching
 * between two versions) would keep gc going as long as they do. What a short batch leaves
 * (a row an update used again, or orphaned since) is the next run's.
 */
static int
remove_orphans(struct gc_run *r, enum dm_gc_kind k, char *err, size_t errlen)
{
	r->kind = (int)k;
	do {
		if (r->gc->dry_run && orphan_batch(r->db, r) != 0)
			return snprintf(err, errlen, "%s", mysql_error(r->db)), -1;
		if (!r->gc->dry_run && dm_db_txn(r->db, orphan_batch, r, err, errlen) != 0)
			return -1;
		r->gc->removed[k] += (unsigned long long)r->removed;
	} while (r->removed == GC_ORPHANS);
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
