/* db.h: the MariaDB connection every CGI and tool shares. */
#ifndef DM_DB_H
#define DM_DB_H

#include <mysql.h>
#include <stddef.h>

#include "core/config.h"

/* The schema version sql/schema.sql creates; the server refuses any other. */
#define DM_SCHEMA_VERSION 7
#define DM_DB_CONNECT_TIMEOUT 5
#define DM_DB_IO_TIMEOUT 60
/* Seconds an update waits for another one's row locks before it is retried. */
#define DM_DB_LOCK_WAIT "20"
/*
 * A transaction that meets a deadlock or a lock wait timeout (on Galera, a certification
 * conflict) is run again: at least DM_DB_TXN_ATTEMPTS times in all, and more while less
 * than DM_DB_TXN_SECONDS have passed since it first began (well within the client's
 * timeout of 8 s), with a random pause that grows with the attempt's length.
 */
#define DM_DB_TXN_ATTEMPTS 8
#define DM_DB_TXN_SECONDS 5
/* What a transaction body returns to be run again from the start. */
#define DM_TXN_RETRY 1
/*
 * What a transaction body returns to be rolled back and not run again: it needs something
 * done outside the transaction first. dm_db_txn returns it as it is.
 */
#define DM_TXN_ABORT 2

/*
 * Connects as the configuration says (DB_HOST/DB_PORT over TCP, else DB_SOCKET or the
 * library's default socket), in utf8mb4 with UTC times. Returns the connection, or NULL
 * with the reason in err.
 */
MYSQL *dm_db_open(const struct dm_config *cfg, char *err, size_t errlen);
/* Seconds to wait for a replica's connection before the next one, or the primary, is tried. */
#define DM_DB_REPLICA_TIMEOUT 1
/*
 * Connects to the first read replica of the configuration (MYSQL_READ) that answers,
 * replicates and is at most MYSQL_READ_MAX_LAG seconds behind its primary, that many in
 * *lag: the connection, or NULL when none is (the primary serves).
 */
MYSQL *dm_db_open_replica(const struct dm_config *cfg, long long *lag);
void dm_db_close(MYSQL *db);
/*
 * Runs fn(db, arg) inside one transaction and commits it. fn returns 0 (commit), -1 (a
 * database error: roll back; a deadlock or lock wait timeout runs it again),
 * DM_TXN_RETRY (roll back and run again) or DM_TXN_ABORT (roll back and stop). Returns 0,
 * DM_TXN_ABORT, or an HTTP status: 503 when the server is unreachable, 500 otherwise, with
 * the reason in err.
 */
int dm_db_txn(MYSQL *db, int (*fn)(MYSQL *, void *), void *arg, char *err, size_t errlen);
/*
 * Whether the last statement failed on a conflict with another transaction (a deadlock, a
 * lock wait timeout, a row it refers to deleted meanwhile): running it again may succeed.
 * On Galera a write set that lost certification to another node's says "deadlock" too.
 */
int dm_db_transient(MYSQL *db);
/*
 * Starts a read-only transaction that sees the data as of now for all its statements
 * (REPEATABLE READ for it alone: a page of several queries never mixes an import or an
 * update that commits meanwhile with what it read before): 0, or -1 (mysql_errno says).
 */
int dm_db_snapshot(MYSQL *db);
/*
 * On a Galera node: 0, with its place in the cluster's current view in *node (0 to
 * *nodes - 1) and the number of nodes in *nodes. -1 anywhere else (one MariaDB, a
 * replica's primary) or when the server does not say.
 */
int dm_db_galera_node(MYSQL *db, unsigned *node, unsigned *nodes);
/*
 * The package_stats slot (0 to DM_STATS_SLOTS - 1) an update adds its counts to, from any
 * number pick (a process id): any slot on one server; on node of a cluster of nodes, only
 * slots no other node of up to DM_STATS_SLOTS picks, so that updates on two nodes never
 * write the same row and never fail each other's certification on a count.
 */
int dm_db_stats_slot(unsigned node, unsigned nodes, unsigned long pick);
/*
 * The HTTP status a failed statement on db deserves: 503 if the server went away, could not
 * replicate, or the statement lost or timed out on a lock (worth sending again); else 500.
 */
int dm_db_status(MYSQL *db);

/* 0 when the database holds the schema this build expects, else -1 with the reason. */
int dm_db_check_schema(MYSQL *db, char *err, size_t errlen);

#endif
