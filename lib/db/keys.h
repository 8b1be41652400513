/* keys.h: the version keys the database compares versions by, filled where missing. */
#ifndef DM_KEYS_H
#define DM_KEYS_H

#include <mysql.h>
#include <stddef.h>

/*
 * Computes what rows made without it lack: source_package_version.version_key, and
 * kernel_version.version (the Debian version its name carries, "" when none) with its
 * version_key. Rows written by this code have them already; rows of a database migrated
 * from schema 1, or written by an older build, get them here. Each chunk of rows is
 * committed on its own, so the work survives an interruption and holds no lock for long.
 * Returns the number of rows filled, or -1 with a message in err.
 */
long long dm_keys_fill(MYSQL *db, char *err, size_t errlen);

#endif
