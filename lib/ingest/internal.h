/* internal.h: what the parts of the ingest share; nothing outside lib/ingest/ includes it. */
#ifndef DM_INGEST_INTERNAL_H
#define DM_INGEST_INTERNAL_H

#include <mysql.h>
#include <stdlib.h>

#include "db/idmap.h"
#include "db/model.h"
#include "db/sql.h"
#include "ingest/payload.h"
#include "ingest/plan.h"

/*
 * Most rows one multi-row statement carries (values, names in a list): keeps every statement
 * far below max_allowed_packet.
 */
#define DM_INGEST_CHUNK 1000

struct dm_need;

/* One update being applied: ingest.c runs it, resolve.c finds its ids, write.c writes it. */
struct dm_ingest {
	MYSQL *db;
	enum dm_kind kind;
	const struct dm_payload *p;
	struct dm_sql q;
	char now[24]; /* UTC, as DATETIME text */
	unsigned long long os_id, kernel_id, id, old_os_id;
	char digest[33];     /* of a full payload; "" for other updates */
	char old_digest[33]; /* the one stored with the host or image */
	int is_new;          /* the host or image did not exist */
	int whole;           /* every current row was read, not only those the payload names */
	struct dm_plan plan;
	/* Kept until the attempt ends: the plan's and the maps' strings are in their rows. */
	struct dm_results res;
	struct dm_idmap pkgs, pvs, srcs, spvs; /* names and (name, version) pairs to ids */
	/*
	 * The versions an attempt found missing (resolve.c): created between attempts, each
	 * statement committed at once, unless create_inside says to create them in the
	 * transaction.
	 */
	struct dm_need *missing;
	size_t n_missing;
	/*
	 * The existing versions an attempt found linked to another source version than the
	 * payload's explicit source_version: linked again like missing ones are created.
	 */
	struct dm_need *relinks;
	size_t n_relinks;
	int create_inside;
	int stats_slot; /* the package_stats slot it adds to; -1 until write.c picks it */
};

/* A numeric column, 0 when NULL. */
static inline unsigned long long
dm_ingest_num(const char *s)
{
	return s ? strtoull(s, NULL, 10) : 0;
}

/*
 * Gives every row to upsert its package and version ids. Names and versions that do not
 * exist yet, and versions to link to the payload's source version, are created (linked)
 * with create_inside, else kept in missing (relinks) for dm_ingest_create. 0, -1 on a
 * database error, DM_TXN_RETRY when a row vanished, DM_TXN_ABORT when some are missing.
 */
int dm_ingest_resolve(struct dm_ingest *ig);
/*
 * Outside any transaction: creates the names and versions dm_ingest_resolve found missing
 * and links the versions it found to link again, each statement committed on its own, so
 * that no update holds them while it goes on. 0, -1 on a database error.
 */
int dm_ingest_create(struct dm_ingest *ig);
/* Writes the plan's rows, the package counts and the host's or image's own row. */
int dm_ingest_write(struct dm_ingest *ig);
/* A full report identical to the last one: only the times and the kernel change. */
int dm_ingest_touch(struct dm_ingest *ig);

#endif
