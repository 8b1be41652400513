/* forget.h: removing hosts or images with their share of the package counts. */
#ifndef DM_FORGET_H
#define DM_FORGET_H

#include <stddef.h>

#include "db/model.h"
#include "db/sql.h"

/*
 * Removes the n hosts or images ids inside the caller's transaction, taking their installs
 * back from the package counts first (their rows go by the foreign keys' cascade); shared
 * rows stay for debmonitor-gc. 0, or -1 on a database error.
 */
int dm_forget(struct dm_sql *q, enum dm_kind kind, const unsigned long long *ids, size_t n);

#endif
