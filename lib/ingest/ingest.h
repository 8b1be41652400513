/* ingest.h: applying a validated update payload to a host's or an image's package rows. */
#ifndef DM_INGEST_H
#define DM_INGEST_H

#include <mysql.h>
#include <stddef.h>

#include "db/model.h"
#include "ingest/payload.h"

/*
 * Applies p to the host or image it names, in one transaction retried on deadlocks, with
 * a bounded number of set-based statements. Returns 0, or an HTTP status (500, 503) with
 * the reason in err.
 */
int dm_ingest(MYSQL *db, enum dm_kind kind, const struct dm_payload *p, char *err, size_t errlen);

#endif
