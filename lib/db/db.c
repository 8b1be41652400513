/* db.c: opening the database connection and checking its schema. */
#include "db/db.h"

#include <errmsg.h>
#include <limits.h>
#include <mysqld_error.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/parse.h"
#include "db/model.h"

/*
 * mysql_init starts OpenSSL whatever the connection, and OpenSSL's own start reads
 * openssl.cnf, loads every error string and names every cipher and digest: most of a
 * CGI's work (callgrind, a dpkg_hook update: 3.75 M instructions, 1.04 M without them),
 * for a connection that never uses TLS (the config has no TLS settings for the database).
 * Started here first without them, OpenSSL skips them for the rest of the process: each
 * part of its start runs once, for whoever asks first.
 */
static void
tls_start_light(void)
{
	OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_SSL_STRINGS |
	                     OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
	                     OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
	                 NULL);
}

/* Connects to p, giving up after timeout seconds: the connection, or NULL with err. */
static MYSQL *
open_params(const struct dm_db_params *p, unsigned int timeout, char *err, size_t errlen)
{
	unsigned int io_timeout = DM_DB_IO_TIMEOUT;
	MYSQL *db;

	tls_start_light();
	if ((db = mysql_init(NULL)) == NULL) {
		snprintf(err, errlen, "database: out of memory");
		return NULL;
	}
	mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* A hung server must not hold a CGI (and an Apache worker) for ever. */
	mysql_options(db, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_options(db, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/*
	 * Every DATETIME is UTC. READ COMMITTED lets an update see the rows a concurrent one
	 * just committed (a shared package version, say) and takes no gap locks.
	 */
	mysql_options(db, MYSQL_INIT_COMMAND,
	              "SET time_zone = '+00:00', tx_isolation = 'READ-COMMITTED', "
	              "innodb_lock_wait_timeout = " DM_DB_LOCK_WAIT);
	if (mysql_real_connect(db, p->host, p->user, p->password, p->name, p->host ? p->port : 0,
	                       p->host ? NULL : p->socket, 0) == NULL) {
		snprintf(err, errlen, "database unavailable: %s", mysql_error(db));
		mysql_close(db);
		return NULL;
	}
	return db;
}

MYSQL *
dm_db_open(const struct dm_config *cfg, char *err, size_t errlen)
{
	const struct dm_db_params p = {cfg->db_name, cfg->db_user,   cfg->db_password,
	                               cfg->db_host, cfg->db_socket, cfg->db_port};

	return open_params(&p, DM_DB_CONNECT_TIMEOUT, err, errlen);
}

/*
 * How far db, a replica, is behind its primary in seconds, from SHOW REPLICA STATUS
 * (the SLAVE MONITOR privilege): -1 when it is no replica, either thread is stopped,
 * or the statement fails.
 */
static long long
replica_lag(MYSQL *db)
{
	const char *io = NULL, *sql = NULL, *behind = NULL;
	MYSQL_RES *res;
	MYSQL_FIELD *f;
	MYSQL_ROW r;
	long long lag = -1;
	unsigned int i;

	if (mysql_query(db, "SHOW REPLICA STATUS") != 0 || (res = mysql_store_result(db)) == NULL)
		return -1;
	if ((r = mysql_fetch_row(res)) != NULL && mysql_num_rows(res) == 1) {
		f = mysql_fetch_fields(res);
		for (i = 0; i < mysql_num_fields(res); i++) {
			if (strcmp(f[i].name, "Slave_IO_Running") == 0)
				io = r[i];
			else if (strcmp(f[i].name, "Slave_SQL_Running") == 0)
				sql = r[i];
			else if (strcmp(f[i].name, "Seconds_Behind_Master") == 0)
				behind = r[i];
		}
		if (io != NULL && sql != NULL && behind != NULL && strcmp(io, "Yes") == 0 &&
		    strcmp(sql, "Yes") == 0)
			lag = strtoll(behind, NULL, 10);
	}
	mysql_free_result(res);
	return lag;
}

MYSQL *
dm_db_open_replica(const struct dm_config *cfg, long long *lag)
{
	char err[512];
	MYSQL *db;
	size_t i;

	for (i = 0; i < cfg->n_replicas; i++) {
		if ((db = open_params(&cfg->replicas[i], DM_DB_REPLICA_TIMEOUT, err,
		                      sizeof(err))) == NULL)
			continue;
		*lag = replica_lag(db);
		if (*lag >= 0 && *lag <= cfg->replica_max_lag)
			return db;
		mysql_close(db);
	}
	return NULL;
}

void
dm_db_close(MYSQL *db)
{
	if (db != NULL)
		mysql_close(db);
}

int
dm_db_check_schema(MYSQL *db, char *err, size_t errlen)
{
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	long long version = -1;

	if (mysql_query(db, "SELECT version FROM schema_version") != 0 ||
	    (res = mysql_store_result(db)) == NULL) {
		snprintf(err, errlen, "database schema missing: %s (run debmonitor-migrate)",
		         mysql_error(db));
		return -1;
	}
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		dm_parse_ll(row[0], 0, 1000000, &version);
	mysql_free_result(res);
	if (version != DM_SCHEMA_VERSION) {
		snprintf(err, errlen,
		         "database schema is version %lld, this server needs %d"
		         " (run debmonitor-migrate)",
		         version, DM_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* mysys's "Error writing file" (EE_WRITE of mysys_err.h, which the client headers lack). */
#define DM_EE_WRITE 3

int
dm_db_status(MYSQL *db)
{
	switch (mysql_errno(db)) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case ER_SERVER_SHUTDOWN:
	/* Killed by an operator or by a shutdown: the next connection may well work. */
	case ER_CONNECTION_KILLED:
	/* A Galera node out of the cluster's primary component, or still joining it. */
	case ER_UNKNOWN_COM_ERROR:
	/* A commit the node could not replicate (it left the primary component): none of it
	 * was written. */
	case ER_ERROR_DURING_COMMIT:
	/*
	 * A statement outside a transaction that lost a lock to another, or waited too long for
	 * one: on a Galera node, also a read that was waiting for the cluster's writes
	 * (wsrep_sync_wait) when the node lost the majority. Nothing was written.
	 */
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_DEADLOCK:
	/*
	 * A full disk: an InnoDB table that cannot grow, or a sort or temporary table that
	 * cannot spill to tmpdir (the server's own "Error writing file", errno 28). The
	 * statement failed whole; the client sends again once there is room.
	 */
	case ER_RECORD_FILE_FULL:
	case DM_EE_WRITE:
		return 503;
	default:
		return 500;
	}
}

int
dm_db_transient(MYSQL *db)
{
	unsigned int e = mysql_errno(db);

	/*
	 * A row this transaction refers to was deleted under it (an image or a package
	 * version removed meanwhile): running it again sees the deletion.
	 */
	return e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT || e == ER_NO_REFERENCED_ROW_2;
}

/* Milliseconds of the monotonic clock. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Backs off longer each time, and longer after a long attempt (a quarter of it, up to
 * 250 ms), at a random moment in twice that, so that competitors do not meet again.
 */
static void
backoff(int attempt, long long took)
{
	long long base = took / 4 > attempt * 3 ? took / 4 : attempt * 3, ms;
	struct timespec ts;

	if (base > 250)
		base = 250;
	ms = base + rand() % (base + 1);
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* Every attempt met a conflict: the last one's error, if any, says which. */
static int
busy(const char *last, char *err, size_t errlen)
{
	snprintf(err, errlen, "database busy: the update kept conflicting with others%s%s%s",
	         last[0] ? " (" : "", last, last[0] ? ")" : "");
	return 503;
}

int
dm_db_galera_node(MYSQL *db, unsigned *node, unsigned *nodes)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long index = -1, size = 0;
	int on;

	/* SHOW STATUS costs a few times a plain query: asked of a cluster's nodes only. */
	if (mysql_query(db, "SELECT @@wsrep_on") != 0 || (res = mysql_store_result(db)) == NULL)
		return -1;
	row = mysql_fetch_row(res);
	on = row != NULL && row[0] != NULL && strcmp(row[0], "1") == 0;
	mysql_free_result(res);
	if (!on)
		return -1;
	/* Outside the cluster's view the variables say index -1 (as unsigned) and size 0. */
	if (mysql_query(db, "SHOW GLOBAL STATUS WHERE Variable_name IN"
	                    " ('wsrep_local_index', 'wsrep_cluster_size')") != 0 ||
	    (res = mysql_store_result(db)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL && row[1] != NULL) {
		if (strcmp(row[0], "wsrep_local_index") == 0)
			dm_parse_ll(row[1], 0, INT_MAX, &index);
		else
			dm_parse_ll(row[1], 0, INT_MAX, &size);
	}
	mysql_free_result(res);
	if (size < 1 || index < 0 || index >= size)
		return -1;
	*node = (unsigned)index;
	*nodes = (unsigned)size;
	return 0;
}

int
dm_db_stats_slot(unsigned node, unsigned nodes, unsigned long pick)
{
	/* Slot s belongs to node s % n: each of the first n nodes has its own slots. */
	unsigned n = nodes < 1 ? 1 : nodes < DM_STATS_SLOTS ? nodes : DM_STATS_SLOTS;
	unsigned first = node % n, owned = (DM_STATS_SLOTS - first + n - 1) / n;

	return (int)(first + n * (unsigned)(pick % owned));
}

int
dm_db_snapshot(MYSQL *db)
{
	if (mysql_query(db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ") != 0 ||
	    mysql_query(db, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY") != 0)
		return -1;
	return 0;
}

int
dm_db_txn(MYSQL *db, int (*fn)(MYSQL *, void *), void *arg, char *err, size_t errlen)
{
	char last[256] = "";
	long long first = now_ms(), began;
	int attempt, rc = 0;

	srand((unsigned int)getpid());
	for (attempt = 1;; attempt++) {
		began = now_ms();
		if (mysql_query(db, "START TRANSACTION") != 0)
			break;
		rc = fn(db, arg);
		if (rc == 0 && mysql_commit(db) == 0)
			return 0;
		if (rc == DM_TXN_ABORT) {
			mysql_rollback(db);
			return DM_TXN_ABORT;
		}
		if (rc != DM_TXN_RETRY && !dm_db_transient(db))
			break;
		/* The rollback clears the error: what to say if this was the last attempt. */
		snprintf(last, sizeof(last), "%s", mysql_errno(db) ? mysql_error(db) : "");
		mysql_rollback(db);
		if (attempt >= DM_DB_TXN_ATTEMPTS && now_ms() - first >= DM_DB_TXN_SECONDS * 1000LL)
			return busy(last, err, errlen);
		backoff(attempt, now_ms() - began);
	}
	if (mysql_errno(db) != 0) {
		snprintf(err, errlen, "database error: %s", mysql_error(db));
		rc = dm_db_status(db);
	} else {
		snprintf(err, errlen, "internal error: out of memory or statement too large");
		rc = 500;
	}
	mysql_rollback(db);
	return rc;
}
