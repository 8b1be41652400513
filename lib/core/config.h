/* config.h: the server's JSON configuration file (debmonitor-api(7), "CONFIGURATION"). */
#ifndef DM_CONFIG_H
#define DM_CONFIG_H

#include <jansson.h>
#include <stddef.h>

#define DM_CONFIG_DEFAULT "/etc/debmonitor/config.json"
#define DM_CONFIG_MAX_BYTES (1024 * 1024)
#define DM_MAX_BODY_DEFAULT (16LL * 1024 * 1024)
#define DM_SEARCH_MIN_DEFAULT 3
/* Where debmonitor-cve downloads the security tracker's data, and how long it may take. */
#define DM_CVE_URL_DEFAULT "https://security-tracker.debian.org/tracker/data/json"
#define DM_CVE_TIMEOUT_DEFAULT 300

/* Read replicas (MYSQL_READ) at most, and the lag a replica may have by default. */
#define DM_REPLICAS_MAX 8
#define DM_REPLICA_MAX_LAG_DEFAULT 30

/* Where a database is and who connects: MYSQL's keys. */
struct dm_db_params {
	const char *name, *user, *password;
	const char *host; /* NULL: the socket */
	const char *socket;
	unsigned int port;
};

struct dm_config {
	const char *path;
	/* MYSQL: strings borrowed from root; NULL when not set. */
	const char *db_name;
	const char *db_user;
	const char *db_password;
	const char *db_host;
	const char *db_socket;
	unsigned int db_port;
	/*
	 * MYSQL_READ: read replicas, each with MYSQL's keys (one missing is MYSQL's), in the
	 * order tried; MYSQL_READ_MAX_LAG: seconds a replica may be behind and still serve.
	 */
	struct dm_db_params replicas[DM_REPLICAS_MAX];
	size_t n_replicas;
	long long replica_max_lag;
	json_t *proxy_hosts;  /* array of strings, borrowed */
	json_t *proxy_images; /* array of strings, borrowed */
	json_t *host_links;   /* object: title -> URL template, borrowed */
	json_t *image_links;  /* object: title -> URL template, borrowed */
	long long search_min_length;
	long long max_body_bytes;
	int verify_clients;
	int require_login;
	const char *distro_csv; /* DISTRO_INFO_CSV: Debian's release table, an absolute path */
	const char *cve_url;    /* CVE_TRACKER_URL: https://, http:// or file:// */
	long long cve_timeout;  /* CVE_TRACKER_TIMEOUT: seconds for the whole download */
	json_t *root;           /* owns everything above */
};

/*
 * Loads path (DEBMONITOR_CONFIG, else the default when path is NULL). Returns 0, or -1
 * with a message naming the file and, where it can, the line written to err.
 */
int dm_config_load(struct dm_config *cfg, const char *path, char *err, size_t errlen);
/*
 * The same from text (len bytes, NUL-terminated) read from path, which messages name:
 * 0, or -1 with the message in err and nothing held.
 */
int dm_config_parse(struct dm_config *cfg, const char *text, size_t len, const char *path,
                    char *err, size_t errlen);
void dm_config_free(struct dm_config *cfg);
/* Whether name is one of the strings of a PROXY_ list. */
int dm_config_listed(const json_t *list, const char *name);

#endif
