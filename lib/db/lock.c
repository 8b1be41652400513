/* lock.c: named locks across a cluster: job_lock's row, under the node's own GET_LOCK. */
#include "db/lock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/sql.h"

/* Who claims: this node (the server's name and port) and, on it, the connection. */
#define NODE "CONCAT(@@hostname, ':', @@port)"
#define HOLDER "CONCAT(@@hostname, ':', @@port, ':', CONNECTION_ID())"

enum stmt { S_LOCAL, S_CLAIM, S_MINE, S_DROP, S_UNLOCAL, S_DROP_ALL, S_UNLOCAL_ALL, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_LOCAL] = "SELECT GET_LOCK(?, #)",
    /*
     * The row is taken over when it expired (a holder on another node that died), or when
     * it is this node's: its holder there is gone, or this connection would not hold the
     * node's GET_LOCK. The first assignment decides; the others follow it.
     */
    [S_CLAIM] = "INSERT INTO job_lock (name, node, holder, expires) VALUES (?, " NODE ", " HOLDER
                ", UTC_TIMESTAMP() + INTERVAL # SECOND) ON DUPLICATE KEY UPDATE"
                " holder = IF(expires < UTC_TIMESTAMP() OR node = VALUES(node),"
                " VALUES(holder), holder),"
                " node = IF(holder = VALUES(holder), VALUES(node), node),"
                " expires = IF(holder = VALUES(holder), VALUES(expires), expires)",
    [S_MINE] = "SELECT holder = " HOLDER " FROM job_lock WHERE name = ?",
    [S_DROP] = "DELETE FROM job_lock WHERE name = ? AND holder = " HOLDER,
    [S_UNLOCAL] = "DO RELEASE_LOCK(?)",
    [S_DROP_ALL] = "DELETE FROM job_lock WHERE holder = " HOLDER,
    [S_UNLOCAL_ALL] = "DO RELEASE_ALL_LOCKS()",
};

/*
 * How many times a claim that met another node's at certification is tried again, after
 * a pause that grows: the winner's row must reach this node first.
 */
#define CLAIM_ATTEMPTS 10

static int
failed(MYSQL *db, const char *what, const char *name, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s the lock %s: %s", what, name,
	         mysql_errno(db) ? mysql_error(db) : "out of memory or statement too large");
	return -1;
}

/* The first column of the statement's one row: "1", "0", or NULL when none; -1 on error. */
static int
one(struct dm_sql *q, int *value)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	row = mysql_fetch_row(res);
	*value = row != NULL && row[0] != NULL && strcmp(row[0], "1") == 0;
	mysql_free_result(res);
	return 0;
}

/* Claims the row: 0 taken, 1 another node's, -1 on error. */
static int
claim(struct dm_sql *q, const char *name)
{
	struct timespec pause = {0, 0};
	int attempt, mine;

	for (attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
		dm_sql_start(q, stmts[S_CLAIM], name, DM_LOCK_TTL);
		if (dm_sql_exec(q) == 0)
			break;
		if (!dm_db_transient(q->db) || attempt == CLAIM_ATTEMPTS)
			return -1;
		pause.tv_nsec = attempt * 10 * 1000000L;
		nanosleep(&pause, NULL);
	}
	dm_sql_start(q, stmts[S_MINE], name);
	if (one(q, &mine) == -1)
		return -1;
	return mine ? 0 : 1;
}

int
dm_lock_take(MYSQL *db, const char *name, unsigned wait, char *err, size_t errlen)
{
	struct timespec pause = {0, 200 * 1000000L};
	time_t until = time(NULL) + wait;
	struct dm_sql q;
	int rc, local;

	dm_sql_init(&q, db);
	dm_sql_start(&q, stmts[S_LOCAL], name, wait);
	if (one(&q, &local) == -1) {
		dm_sql_free(&q);
		return failed(db, "taking", name, err, errlen);
	}
	rc = 1;
	while (local && (rc = claim(&q, name)) == 1 && time(NULL) < until)
		nanosleep(&pause, NULL);
	if (rc == -1)
		failed(db, "taking", name, err, errlen);
	if (rc != 0 && local) {
		dm_sql_start(&q, stmts[S_UNLOCAL], name);
		dm_sql_exec(&q);
	}
	dm_sql_free(&q);
	return rc;
}

int
dm_lock_release(MYSQL *db, const char *name, char *err, size_t errlen)
{
	struct dm_sql q;
	int rc = 0;

	dm_sql_init(&q, db);
	dm_sql_start(&q, stmts[S_DROP], name);
	if (dm_sql_exec(&q) == -1)
		rc = failed(db, "releasing", name, err, errlen);
	dm_sql_start(&q, stmts[S_UNLOCAL], name);
	if (dm_sql_exec(&q) == -1 && rc == 0)
		rc = failed(db, "releasing", name, err, errlen);
	dm_sql_free(&q);
	return rc;
}

int
dm_lock_release_all(MYSQL *db, char *err, size_t errlen)
{
	if (mysql_query(db, stmts[S_DROP_ALL]) == 0 && mysql_query(db, stmts[S_UNLOCAL_ALL]) == 0)
		return 0;
	snprintf(err, errlen, "releasing the connection's locks: %s", mysql_error(db));
	return -1;
}
