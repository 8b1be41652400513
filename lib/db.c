/* db.c: opening the database connection and checking its schema. */
#include "db.h"

#include <stdio.h>
#include <string.h>

#include "parse.h"

MYSQL *
dm_db_open(const struct dm_config *cfg, char *err, size_t errlen)
{
	unsigned int timeout = DM_DB_CONNECT_TIMEOUT, io_timeout = DM_DB_IO_TIMEOUT;
	MYSQL *db;

	if ((db = mysql_init(NULL)) == NULL) {
		snprintf(err, errlen, "database: out of memory");
		return NULL;
	}
	mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* A hung server must not hold a CGI (and an Apache worker) for ever. */
	mysql_options(db, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_options(db, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Every DATETIME the server writes or reads is UTC. */
	mysql_options(db, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (mysql_real_connect(db, cfg->db_host, cfg->db_user, cfg->db_password, cfg->db_name,
	                       cfg->db_host ? cfg->db_port : 0,
	                       cfg->db_host ? NULL : cfg->db_socket, 0) == NULL) {
		snprintf(err, errlen, "database unavailable: %s", mysql_error(db));
		mysql_close(db);
		return NULL;
	}
	return db;
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
		snprintf(err, errlen, "database schema missing: %s (apply sql/schema.sql)",
		         mysql_error(db));
		return -1;
	}
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		dm_parse_ll(row[0], 0, 1000000, &version);
	mysql_free_result(res);
	if (version != DM_SCHEMA_VERSION) {
		snprintf(err, errlen, "database schema is version %lld, this server needs %d",
		         version, DM_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}
