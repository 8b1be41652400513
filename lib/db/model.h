/* model.h: the data model's shared enums and constants, as sql/schema.sql stores them. */
#ifndef DM_MODEL_H
#define DM_MODEL_H

/* What reports packages: a host or a container image. */
enum dm_kind { DM_KIND_HOST, DM_KIND_IMAGE, DM_KIND__MAX };

/*
 * host_package.upgrade_type and image_package.upgrade_type, meaningful only when the row has
 * an upgradable version. DM_SQL_UPGRADE_SECURITY is the same value for SQL text.
 */
#define DM_UPGRADE_PLAIN 0
#define DM_UPGRADE_SECURITY 1
#define DM_SQL_UPGRADE_SECURITY "1"

/*
 * package_stats spreads each package's counts over slots summed on read: the ingest adds
 * its deltas to one of slots 0 to DM_STATS_SLOTS - 1, picked per update, so that
 * concurrent updates rarely wait on one row; removals (DELETE, debmonitor-gc) take their
 * share back in DM_STATS_REMOVAL_SLOT, never waiting on an update.
 */
#define DM_STATS_SLOTS 8
#define DM_STATS_REMOVAL_SLOT 8
#define DM_SQL_STATS_REMOVAL_SLOT "8"

#endif
