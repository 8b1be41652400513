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

/* A host is stale when its reports stopped: no update for more than a day. */
#define DM_SQL_STALE(modified) "(" modified " < UTC_TIMESTAMP() - INTERVAL 1 DAY)"

/*
 * package_stats spreads each package's counts over slots summed on read: the ingest adds
 * its deltas to one of slots 0 to DM_STATS_SLOTS - 1, picked per update, so that
 * concurrent updates rarely wait on one row (on a Galera cluster, from the slots of the
 * node it writes to: dm_db_stats_slot); removals (DELETE, debmonitor-gc) take their
 * share back in DM_STATS_REMOVAL_SLOT, never waiting on an update.
 */
#define DM_STATS_SLOTS 8
#define DM_STATS_REMOVAL_SLOT 8
#define DM_SQL_STATS_REMOVAL_SLOT "8"

/*
 * cve_release.status: what the security tracker says of an issue for one source package in
 * one release. A resolved release with fixed_version "0" never had the vulnerable code (its
 * fixed_key is NULL); with another fixed_version it affects the versions below it.
 */
enum dm_cve_status { DM_CVE_RESOLVED, DM_CVE_OPEN, DM_CVE_UNDETERMINED, DM_CVE_STATUS__MAX };

/*
 * The SQL condition "release r affects the source version whose key is key": open and
 * undetermined affect every version (undetermined is never taken as safe), resolved the
 * versions whose key is below the fixed version's. key is a version_key column.
 */
#define DM_SQL_CVE_AFFECTS(r, key) "(" r ".status <> 0 OR " r ".fixed_key > " key ")"

#endif
