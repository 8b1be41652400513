/* write.c: an update's rows, package counts and host (or image) row, in a few statements. */
#include <stdio.h>
#include <unistd.h>

#include "db/db.h"
#include "ingest/internal.h"

#define CHUNK DM_INGEST_CHUNK

enum stmt { S_UPSERT, S_UPSERT_TAIL, S_DELETE, S_FINISH, S_TOUCH, S_STATS, S_STATS_TAIL, S__MAX };

/* Both kinds share every statement but the names of their own tables. */
#define STMTS(ENTITY, PKGS, FK, COUNTERS, ADD_COUNTERS)                                            \
	{                                                                                          \
		[S_UPSERT] = "INSERT INTO " PKGS " (" FK ", package_id, package_version_id,"       \
		             " upgradable_version_id, upgrade_type, created, modified) VALUES ",   \
		[S_UPSERT_TAIL] = " ON DUPLICATE KEY UPDATE"                                       \
		                  " package_version_id = VALUES(package_version_id),"              \
		                  " upgradable_version_id = VALUES(upgradable_version_id),"        \
		                  " upgrade_type = VALUES(upgrade_type),"                          \
		                  " modified = VALUES(modified)",                                  \
		[S_DELETE] = "DELETE FROM " PKGS " WHERE " FK " = # AND package_id IN (",          \
		[S_FINISH] = "UPDATE " ENTITY " SET modified = ?, os_id = #, full_digest = ?",     \
		[S_TOUCH] = "UPDATE " ENTITY " SET modified = ?",                                  \
		[S_STATS] = "INSERT INTO package_stats (package_id, slot, " COUNTERS ") VALUES ",  \
		[S_STATS_TAIL] = " ON DUPLICATE KEY UPDATE " ADD_COUNTERS,                         \
	}

static const char *const stmts[DM_KIND__MAX][S__MAX] = {
    [DM_KIND_HOST] = STMTS("host", "host_package", "host_id", "hosts, host_upgrades, host_security",
                           "hosts = hosts + VALUES(hosts),"
                           " host_upgrades = host_upgrades + VALUES(host_upgrades),"
                           " host_security = host_security + VALUES(host_security)"),
    [DM_KIND_IMAGE] =
        STMTS("image", "image_package", "image_id", "images, image_upgrades, image_security",
              "images = images + VALUES(images),"
              " image_upgrades = image_upgrades + VALUES(image_upgrades),"
              " image_security = image_security + VALUES(image_security)"),
};

/* The parts of S_FINISH and S_TOUCH that depend on the update. */
static const char set_kernel[] = ", kernel_id = #";
static const char set_counts[] = ", packages = #, upgrades = #, security_upgrades = #";
static const char move_counts[] = ", packages = packages + # - #, upgrades = upgrades + # - #,"
                                  " security_upgrades = security_upgrades + # - #";
static const char where_id[] = " WHERE id = #";

static void
upsert_tuple(struct dm_ingest *ig, const struct dm_slot *s)
{
	struct dm_sql *q = &ig->q;

	dm_sql_raw(q, "(");
	dm_sql_uint(q, ig->id);
	dm_sql_raw(q, ", ");
	dm_sql_uint(q, s->package_id);
	dm_sql_raw(q, ", ");
	dm_sql_uint(q, s->pv_id);
	dm_sql_raw(q, ", ");
	if (s->up_version != NULL)
		dm_sql_uint(q, s->upv_id);
	else
		dm_sql_raw(q, "NULL");
	dm_sql_raw(q, ", ");
	dm_sql_uint(q, s->up_version && s->security ? DM_UPGRADE_SECURITY : DM_UPGRADE_PLAIN);
	dm_sql_raw(q, ", ");
	dm_sql_str(q, ig->now);
	dm_sql_raw(q, ", ");
	dm_sql_str(q, ig->now);
	dm_sql_raw(q, ")");
}

/* Runs the statement for one chunk of rows: an upsert of their values or a delete of them. */
static int
write_chunk(struct dm_ingest *ig, enum dm_change which, struct dm_slot *const *v, size_t n)
{
	const char *const *st = stmts[ig->kind];
	size_t i;

	if (which == DM_CHANGE_UPSERT)
		dm_sql_start(&ig->q, st[S_UPSERT]);
	else
		dm_sql_start(&ig->q, st[S_DELETE], ig->id);
	for (i = 0; i < n; i++) {
		if (i > 0)
			dm_sql_raw(&ig->q, ", ");
		if (which == DM_CHANGE_UPSERT)
			upsert_tuple(ig, v[i]);
		else
			dm_sql_uint(&ig->q, v[i]->cur->package_id);
	}
	dm_sql_raw(&ig->q, which == DM_CHANGE_UPSERT ? st[S_UPSERT_TAIL] : ")");
	return dm_sql_exec(&ig->q);
}

/* Writes the rows marked which, CHUNK rows per statement. */
static int
write_rows(struct dm_ingest *ig, enum dm_change which)
{
	struct dm_slot **v;
	size_t i, n = 0;
	int rc = 0;

	if ((v = calloc(ig->plan.n_slots + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < ig->plan.n_slots; i++)
		if (ig->plan.slots[i].change == which)
			v[n++] = &ig->plan.slots[i];
	for (i = 0; rc == 0 && i < n; i += CHUNK)
		rc = write_chunk(ig, which, v + i, n - i < CHUNK ? n - i : CHUNK);
	free(v);
	return rc;
}

static void
stats_tuple(struct dm_ingest *ig, const struct dm_delta *d, int slot)
{
	char t[96];

	snprintf(t, sizeof(t), "(%llu, %d, %d, %d, %d)", d->package_id, slot, d->installed,
	         d->upgrades, d->security);
	dm_sql_raw(&ig->q, t);
}

/* The slot of this update's counts: one of the node's own on a Galera cluster. */
static int
stats_slot(struct dm_ingest *ig)
{
	unsigned node = 0, nodes = 1;

	if (ig->stats_slot < 0) {
		dm_db_galera_node(ig->db, &node, &nodes);
		ig->stats_slot = dm_db_stats_slot(node, nodes, (unsigned long)getpid());
	}
	return ig->stats_slot;
}

/*
 * Adds this update's changes to the package counts, in package order (so concurrent
 * updates never wait on each other in a cycle), into one slot picked per update.
 */
static int
write_stats(struct dm_ingest *ig)
{
	const char *const *st = stmts[ig->kind];
	struct dm_delta *v = calloc(ig->plan.n_slots + 1, sizeof(*v));
	size_t i, n;
	int rc = 0, slot = 0;

	if (v == NULL)
		return -1;
	/* An update that changes no count asks the server for no slot. */
	if ((n = dm_plan_deltas(&ig->plan, v)) > 0)
		slot = stats_slot(ig);
	for (i = 0; rc == 0 && i < n; i++) {
		if (i % CHUNK == 0)
			dm_sql_start(&ig->q, st[S_STATS]);
		else
			dm_sql_raw(&ig->q, ", ");
		stats_tuple(ig, &v[i], slot);
		if ((i + 1) % CHUNK == 0 || i + 1 == n) {
			dm_sql_raw(&ig->q, st[S_STATS_TAIL]);
			rc = dm_sql_exec(&ig->q);
		}
	}
	free(v);
	return rc;
}

/*
 * Refreshes OS, kernel and modified time and the counts the lists show: absolute when
 * every row was read, else moved by what this update changed. The digest of a full
 * report is kept; any other update forgets it.
 */
static int
finish(struct dm_ingest *ig)
{
	struct dm_counts b, a;

	dm_plan_counts(&ig->plan, &b, &a);
	dm_sql_start(&ig->q, stmts[ig->kind][S_FINISH], ig->now, ig->os_id,
	             ig->digest[0] ? ig->digest : NULL);
	if (ig->kind == DM_KIND_HOST)
		dm_sql_add(&ig->q, set_kernel, ig->kernel_id);
	if (ig->whole)
		dm_sql_add(&ig->q, set_counts, a.packages, a.upgrades, a.security);
	else
		dm_sql_add(&ig->q, move_counts, a.packages, b.packages, a.upgrades, b.upgrades,
		           a.security, b.security);
	dm_sql_add(&ig->q, where_id, ig->id);
	return dm_sql_exec(&ig->q);
}

int
dm_ingest_write(struct dm_ingest *ig)
{
	int rc;

	if ((rc = write_rows(ig, DM_CHANGE_UPSERT)) != 0 ||
	    (rc = write_rows(ig, DM_CHANGE_DELETE)) != 0 || (rc = write_stats(ig)) != 0)
		return rc;
	return finish(ig);
}

int
dm_ingest_touch(struct dm_ingest *ig)
{
	dm_sql_start(&ig->q, stmts[ig->kind][S_TOUCH], ig->now);
	if (ig->kind == DM_KIND_HOST)
		dm_sql_add(&ig->q, set_kernel, ig->kernel_id);
	dm_sql_add(&ig->q, where_id, ig->id);
	return dm_sql_exec(&ig->q);
}
