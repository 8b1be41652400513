/* gc.h: garbage collection of stale hosts and images and of rows nothing references. */
#ifndef DM_GC_H
#define DM_GC_H

#include <mysql.h>
#include <stddef.h>

/* The lock (lib/db/lock.h) that keeps two runs apart, on one server or across a cluster. */
#define DM_GC_LOCK "debmonitor-gc"

enum dm_gc_kind {
	DM_GC_HOSTS,
	DM_GC_IMAGES,
	DM_GC_PACKAGE_VERSIONS,
	DM_GC_PACKAGES,
	DM_GC_SOURCE_VERSIONS,
	DM_GC_SOURCES,
	DM_GC_KERNELS,
	DM_GC__MAX
};

struct dm_gc {
	long long hosts_age;  /* seconds; 0: never */
	long long images_age; /* seconds; 0: never */
	int dry_run;
	unsigned long long removed[DM_GC__MAX];
};

/* What each kind is called in the report ("package versions"). */
const char *dm_gc_kind_name(enum dm_gc_kind k);
/* "15d", "36h", "90m", "600s", "0": seconds in *out, 0 or -1 when malformed. */
int dm_gc_parse_age(const char *s, long long *out);
/*
 * Removes hosts and images not updated for their age, images only when no Kubernetes
 * cluster runs them, then every row nothing references, in bounded batches, each its own
 * short transaction so that ingest never waits long. A dry run counts what would go with
 * reads only. 0, or -1 with the reason in err.
 */
int dm_gc_run(MYSQL *db, struct dm_gc *gc, char *err, size_t errlen);

#endif
