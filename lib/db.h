/* db.h: the MariaDB connection every CGI and tool shares. */
#ifndef DM_DB_H
#define DM_DB_H

#include <mysql.h>
#include <stddef.h>

#include "config.h"

/* The schema version sql/schema.sql creates; the server refuses any other. */
#define DM_SCHEMA_VERSION 1
#define DM_DB_CONNECT_TIMEOUT 5
#define DM_DB_IO_TIMEOUT 60

/*
 * Connects as the configuration says (DB_HOST/DB_PORT over TCP, else DB_SOCKET or the
 * library's default socket), in utf8mb4 with UTC times. Returns the connection, or NULL
 * with the reason in err.
 */
MYSQL *dm_db_open(const struct dm_config *cfg, char *err, size_t errlen);
void dm_db_close(MYSQL *db);
/* 0 when the database holds the schema this build expects, else -1 with the reason. */
int dm_db_check_schema(MYSQL *db, char *err, size_t errlen);

#endif
