/* config.c: loads and type-checks the server configuration; unknown keys are ignored. */
#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/distro.h"
#include "core/parse.h"

/* What went wrong with one key: names the file, the line where the key is, and why. */
struct cfg_load {
	struct dm_config *cfg;
	const char *text; /* the file's contents, to find a key's line */
	char *err;
	size_t errlen;
};

/* The line of the first place where "key" stands as an object key (followed by ':'). */
static int
key_line(const char *text, const char *key)
{
	char quoted[64];
	const char *p = text, *q, *at = NULL;
	int line = 1;

	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	while (at == NULL && (p = strstr(p, quoted)) != NULL) {
		q = p + strlen(quoted);
		q += strspn(q, " \t\r\n");
		if (*q == ':')
			at = p;
		p++;
	}
	if (at == NULL)
		return 0;
	for (p = text; p < at; p++)
		if (*p == '\n')
			line++;
	return line;
}

static int
bad_key(struct cfg_load *ld, const char *key, const char *want)
{
	int line = key_line(ld->text, key);

	if (line > 0)
		snprintf(ld->err, ld->errlen, "%s:%d: %s must be %s", ld->cfg->path, line, key,
		         want);
	else
		snprintf(ld->err, ld->errlen, "%s: %s must be %s", ld->cfg->path, key, want);
	return -1;
}

static int
get_string(struct cfg_load *ld, json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad_key(ld, key, "a string");
	*out = json_string_value(v);
	return 0;
}

static int
get_int(struct cfg_load *ld, json_t *obj, const char *key, long long min, long long max,
        long long *out)
{
	json_t *v = json_object_get(obj, key);
	char want[96];

	if (v == NULL || json_is_null(v))
		return 0;
	snprintf(want, sizeof(want), "an integer from %lld to %lld", min, max);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return bad_key(ld, key, want);
	*out = json_integer_value(v);
	return 0;
}

static int
get_bool(struct cfg_load *ld, json_t *obj, const char *key, int *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad_key(ld, key, "true or false");
	*out = json_is_true(v);
	return 0;
}

/* A file the CGIs open whatever their working directory: an absolute path. */
static int
get_path(struct cfg_load *ld, const char *key, const char **out)
{
	const char *path = NULL;

	if (get_string(ld, ld->cfg->root, key, &path) == -1)
		return -1;
	if (path == NULL)
		return 0;
	if (path[0] != '/')
		return bad_key(ld, key, "an absolute path");
	*out = path;
	return 0;
}

/*
 * A URL libcurl fetches, of a scheme debmonitor-cve allows, with something after the
 * scheme and no space or byte outside printable ASCII (a URL escapes them).
 */
static int
get_url(struct cfg_load *ld, const char *key, const char **out)
{
	static const char *const schemes[] = {"https://", "http://", "file://"};
	const char *url = NULL, *p;
	size_t i, n;

	if (get_string(ld, ld->cfg->root, key, &url) == -1)
		return -1;
	if (url == NULL)
		return 0;
	for (p = url; *p > 0x20 && *p < 0x7f; p++)
		;
	for (i = 0; *p == '\0' && i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i]);
		if (strncmp(url, schemes[i], n) == 0 && url[n] != '\0')
			return *out = url, 0;
	}
	return bad_key(ld, key, "a URL starting with https://, http:// or file://");
}

static int
get_list(struct cfg_load *ld, const char *key, json_t **out)
{
	json_t *v = json_object_get(ld->cfg->root, key), *item;
	size_t i;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return bad_key(ld, key, "a list of names");
	json_array_foreach (v, i, item) {
		if (!json_is_string(item))
			return bad_key(ld, key, "a list of names");
	}
	*out = v;
	return 0;
}

static int
get_links(struct cfg_load *ld, const char *key, json_t **out)
{
	json_t *v = json_object_get(ld->cfg->root, key), *item;
	const char *title;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return bad_key(ld, key, "an object of title: URL template");
	json_object_foreach (v, title, item) {
		if (!json_is_string(item))
			return bad_key(ld, key, "an object of title: URL template");
	}
	*out = v;
	return 0;
}

/*
 * Upstream's Django settings take DB_PORT as a string as often as a number; both are
 * accepted, an empty string meaning the default.
 */
static int
get_port(struct cfg_load *ld, json_t *mysql, unsigned int *out)
{
	json_t *v = json_object_get(mysql, "DB_PORT");
	long long port = *out;

	if (json_is_string(v) && json_string_length(v) > 0) {
		if (strlen(json_string_value(v)) != json_string_length(v) ||
		    dm_parse_ll(json_string_value(v), 1, 65535, &port) == -1)
			return bad_key(ld, "DB_PORT", "a port number");
	} else if (!json_is_string(v) && get_int(ld, mysql, "DB_PORT", 1, 65535, &port) == -1) {
		return -1;
	}
	*out = (unsigned int)port;
	return 0;
}

static int
load_mysql(struct cfg_load *ld)
{
	struct dm_config *cfg = ld->cfg;
	json_t *mysql = json_object_get(cfg->root, "MYSQL");

	if (mysql == NULL || json_is_null(mysql))
		return 0;
	if (!json_is_object(mysql))
		return bad_key(ld, "MYSQL", "an object");
	if (get_string(ld, mysql, "DB_NAME", &cfg->db_name) == -1 ||
	    get_string(ld, mysql, "DB_USER", &cfg->db_user) == -1 ||
	    get_string(ld, mysql, "DB_PASSWORD", &cfg->db_password) == -1 ||
	    get_string(ld, mysql, "DB_HOST", &cfg->db_host) == -1 ||
	    get_string(ld, mysql, "DB_SOCKET", &cfg->db_socket) == -1)
		return -1;
	/* Django's convention: an empty host means the local socket. */
	if (cfg->db_host != NULL && cfg->db_host[0] == '\0')
		cfg->db_host = NULL;
	return get_port(ld, mysql, &cfg->db_port);
}

/* One replica of MYSQL_READ, its missing keys MYSQL's. */
static int
load_replica(struct cfg_load *ld, json_t *obj, struct dm_db_params *r)
{
	struct dm_config *cfg = ld->cfg;

	*r = (struct dm_db_params){cfg->db_name, cfg->db_user,   cfg->db_password,
	                           NULL,         cfg->db_socket, cfg->db_port};
	if (!json_is_object(obj))
		return bad_key(ld, "MYSQL_READ", "an object like MYSQL, or a list of them");
	if (get_string(ld, obj, "DB_NAME", &r->name) == -1 ||
	    get_string(ld, obj, "DB_USER", &r->user) == -1 ||
	    get_string(ld, obj, "DB_PASSWORD", &r->password) == -1 ||
	    get_string(ld, obj, "DB_HOST", &r->host) == -1 ||
	    get_string(ld, obj, "DB_SOCKET", &r->socket) == -1 || get_port(ld, obj, &r->port) == -1)
		return -1;
	if (r->host != NULL && r->host[0] == '\0')
		r->host = NULL;
	if (r->host == NULL && json_object_get(obj, "DB_SOCKET") == NULL)
		return bad_key(ld, "MYSQL_READ", "a replica with its own DB_HOST or DB_SOCKET");
	return 0;
}

static int
load_replicas(struct cfg_load *ld)
{
	struct dm_config *cfg = ld->cfg;
	json_t *v = json_object_get(cfg->root, "MYSQL_READ"), *one;
	size_t i;

	if (get_int(ld, cfg->root, "MYSQL_READ_MAX_LAG", 0, 86400, &cfg->replica_max_lag) == -1)
		return -1;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return load_replica(ld, v, &cfg->replicas[cfg->n_replicas++]);
	if (json_array_size(v) > DM_REPLICAS_MAX)
		return bad_key(ld, "MYSQL_READ", "a list of at most 8 replicas");
	json_array_foreach (v, i, one)
		if (load_replica(ld, one, &cfg->replicas[cfg->n_replicas++]) == -1)
			return -1;
	return 0;
}

static int
load_keys(struct cfg_load *ld)
{
	struct dm_config *cfg = ld->cfg;

	if (!json_is_object(cfg->root)) {
		snprintf(ld->err, ld->errlen, "%s:1: the configuration must be a JSON object",
		         cfg->path);
		return -1;
	}
	if (load_mysql(ld) == -1 || load_replicas(ld) == -1 ||
	    get_list(ld, "PROXY_HOSTS", &cfg->proxy_hosts) == -1 ||
	    get_list(ld, "PROXY_IMAGES", &cfg->proxy_images) == -1 ||
	    get_links(ld, "HOST_EXTERNAL_LINKS", &cfg->host_links) == -1 ||
	    get_links(ld, "IMAGE_EXTERNAL_LINKS", &cfg->image_links) == -1 ||
	    get_int(ld, cfg->root, "SEARCH_MIN_LENGTH", 1, 255, &cfg->search_min_length) == -1 ||
	    get_int(ld, cfg->root, "MAX_BODY_BYTES", 1024, 1LL << 32, &cfg->max_body_bytes) == -1 ||
	    get_bool(ld, cfg->root, "VERIFY_CLIENTS", &cfg->verify_clients) == -1 ||
	    get_bool(ld, cfg->root, "REQUIRE_LOGIN", &cfg->require_login) == -1 ||
	    get_path(ld, "DISTRO_INFO_CSV", &cfg->distro_csv) == -1 ||
	    get_url(ld, "CVE_TRACKER_URL", &cfg->cve_url) == -1 ||
	    get_int(ld, cfg->root, "CVE_TRACKER_TIMEOUT", 1, 86400, &cfg->cve_timeout) == -1)
		return -1;
	return 0;
}

static void
config_defaults(struct dm_config *cfg, const char *path)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = path;
	cfg->db_name = "debmonitor";
	cfg->db_user = "debmonitor";
	cfg->db_port = 3306;
	cfg->search_min_length = DM_SEARCH_MIN_DEFAULT;
	cfg->max_body_bytes = DM_MAX_BODY_DEFAULT;
	cfg->verify_clients = 1;
	cfg->distro_csv = DM_DISTRO_CSV_DEFAULT;
	cfg->cve_url = DM_CVE_URL_DEFAULT;
	cfg->cve_timeout = DM_CVE_TIMEOUT_DEFAULT;
	cfg->replica_max_lag = DM_REPLICA_MAX_LAG_DEFAULT;
}

int
dm_config_parse(struct dm_config *cfg, const char *text, size_t len, const char *path, char *err,
                size_t errlen)
{
	struct cfg_load ld = {cfg, text, err, errlen};
	json_error_t jerr;

	config_defaults(cfg, path);
	cfg->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (cfg->root == NULL) {
		snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	if (load_keys(&ld) == -1) {
		dm_config_free(cfg);
		return -1;
	}
	return 0;
}

int
dm_config_load(struct dm_config *cfg, const char *path, char *err, size_t errlen)
{
	struct dm_buf text;
	int rc = -1;

	if (path == NULL || path[0] == '\0')
		path = DM_CONFIG_DEFAULT;
	config_defaults(cfg, path);
	dm_buf_init(&text, DM_CONFIG_MAX_BYTES);
	if (dm_buf_read_file(&text, path, err, errlen) == 0)
		rc = dm_config_parse(cfg, text.data ? text.data : "", text.len, path, err, errlen);
	dm_buf_free(&text);
	return rc;
}

void
dm_config_free(struct dm_config *cfg)
{
	json_decref(cfg->root);
	cfg->root = NULL;
	cfg->proxy_hosts = cfg->proxy_images = NULL;
	cfg->host_links = cfg->image_links = NULL;
}

int
dm_config_listed(const json_t *list, const char *name)
{
	json_t *item;
	size_t i;

	json_array_foreach (list, i, item) {
		if (strcmp(json_string_value(item), name) == 0)
			return 1;
	}
	return 0;
}
