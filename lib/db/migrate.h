/* migrate.h: the database schema created, or brought to this build's version step by step. */
#ifndef DM_MIGRATE_H
#define DM_MIGRATE_H

#include <mysql.h>
#include <stddef.h>

/*
 * What dm_migrate did. sql_dir holds schema.sql (a new database at this build's version)
 * and migrations/NNN-NAME.sql, the step from version NNN - 1 to NNN, for each NNN up to
 * DM_SCHEMA_VERSION.
 */
struct dm_migrate {
	const char *sql_dir;
	int check;      /* only find where the schema stands */
	long long from; /* the version found; 0: no schema yet */
	long long to;   /* the version reached (or, checking, to reach) */
};

enum dm_migrate_result {
	DM_MIGRATE_DONE,    /* at DM_SCHEMA_VERSION now (or already) */
	DM_MIGRATE_PENDING, /* checking: steps to take */
	DM_MIGRATE_NEWER,   /* the database is newer than this build: nothing done */
	DM_MIGRATE_MISSING, /* a file of sql_dir is missing: nothing done */
	DM_MIGRATE_FAILED   /* a statement failed: the steps before it stay taken */
};

/*
 * Creates the schema in an empty database, or applies the missing steps in order, each in
 * a transaction where MariaDB allows (DDL commits on its own: steps are written to be run
 * again, with IF [NOT] EXISTS) and recorded in schema_version as it completes. One run at
 * a time (a named lock). The reason for anything but DM_MIGRATE_DONE is in err.
 */
enum dm_migrate_result dm_migrate(MYSQL *db, struct dm_migrate *m, char *err, size_t errlen);

#endif
