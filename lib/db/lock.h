/* lock.h: named locks that hold across every node of a Galera cluster, and on one server. */
#ifndef DM_LOCK_H
#define DM_LOCK_H

#include <mysql.h>
#include <stddef.h>

/*
 * How long a lock whose holder died keeps the other nodes out, in seconds. On its own
 * node the next taker gets it at once: the holder's GET_LOCK went with its connection.
 */
#define DM_LOCK_TTL 3600

/*
 * Takes the lock name for the connection, waiting at most wait seconds: 0, 1 when another
 * holds it (a connection on this node or on another node of the cluster), -1 with the
 * reason in err. Under the connection's own GET_LOCK (a lock on this server, released
 * when the connection goes), it claims the row of job_lock named name, which Galera
 * replicates, so that a holder on any node keeps the others out. Two nodes claiming at
 * once conflict at certification; the loser tries again and finds the winner's row. A
 * connection that holds the lock takes it again. Not inside a transaction.
 */
int dm_lock_take(MYSQL *db, const char *name, unsigned wait, char *err, size_t errlen);

/* Gives the lock back, if the connection holds it: 0, or -1 with the reason in err. */
int dm_lock_release(MYSQL *db, const char *name, char *err, size_t errlen);
/* Gives back every lock the connection holds, as a tool does before it ends. */
int dm_lock_release_all(MYSQL *db, char *err, size_t errlen);

#endif
