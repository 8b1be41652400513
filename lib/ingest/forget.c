/* forget.c: what DELETE /hosts/NAME and debmonitor-gc do to remove a host or an image. */
#include "ingest/forget.h"

/* A list's installs taken back from package_stats, in the slot kept for removals. */
#define STATS(KIND, PKGS, FK)                                                                      \
	"INSERT INTO package_stats (package_id, slot, " KIND "s, " KIND "_upgrades, " KIND         \
	"_security) SELECT package_id, " DM_SQL_STATS_REMOVAL_SLOT ", -COUNT(*),"                  \
	" -SUM(upgradable_version_id IS NOT NULL),"                                                \
	" -SUM(upgradable_version_id IS NOT NULL AND upgrade_type = " DM_SQL_UPGRADE_SECURITY ")"  \
	" FROM " PKGS " WHERE " FK " IN ("
#define STATS_TAIL(KIND)                                                                           \
	" GROUP BY package_id ON DUPLICATE KEY UPDATE " KIND "s = " KIND "s + VALUES(" KIND        \
	"s), " KIND "_upgrades = " KIND "_upgrades + VALUES(" KIND "_upgrades), " KIND             \
	"_security = " KIND "_security + VALUES(" KIND "_security)"

/* Statements that end in an id list "(...)". */
static const struct {
	const char *stats;      /* a list's installs taken back from package_stats */
	const char *stats_tail; /* what follows that list: the GROUP BY and the upsert */
	const char *del;
} stmts[DM_KIND__MAX] = {
    [DM_KIND_HOST] =
        {
            .stats = STATS("host", "host_package", "host_id"),
            .stats_tail = STATS_TAIL("host"),
            .del = "DELETE FROM host WHERE id IN (",
        },
    [DM_KIND_IMAGE] =
        {
            .stats = STATS("image", "image_package", "image_id"),
            .stats_tail = STATS_TAIL("image"),
            .del = "DELETE FROM image WHERE id IN (",
        },
};

int
dm_forget(struct dm_sql *q, enum dm_kind kind, const unsigned long long *ids, size_t n)
{
	if (n == 0)
		return 0;
	dm_sql_start(q, stmts[kind].stats);
	dm_sql_ids(q, ids, n);
	dm_sql_raw(q, stmts[kind].stats_tail);
	if (dm_sql_exec(q) == -1)
		return -1;
	dm_sql_start(q, stmts[kind].del);
	dm_sql_ids(q, ids, n);
	return dm_sql_exec(q);
}
