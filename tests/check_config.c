/* check_config.c: loading and type-checking the server configuration, and the data cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/distro.h"
#include "data_cases.h"
#include "suites.h"

#define PATH_LEN 64
#define ERR_LEN 512

/*
 * Writes text to a new file under /tmp, loads it and removes it again: the loader's result.
 * path keeps the name, which cfg->path and the message refer to.
 */
static int
load_text(const char *text, struct dm_config *cfg, char path[PATH_LEN], char err[ERR_LEN])
{
	size_t len = strlen(text);
	int fd, rc;

	snprintf(path, PATH_LEN, "/tmp/dm-check-config-XXXXXX");
	fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp failed");
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
	err[0] = '\0';
	rc = dm_config_load(cfg, path, err, ERR_LEN);
	unlink(path);
	return rc;
}

/* Loads text, which must be refused with a message containing the path and each of want. */
static void
assert_refused(const char *text, const char *const want[])
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];
	size_t i;

	ck_assert_msg(load_text(text, &cfg, path, err) == -1, "accepted:\n%s", text);
	ck_assert_ptr_null(cfg.root);
	ck_assert_msg(strncmp(err, path, strlen(path)) == 0,
	              "message \"%s\" does not start with %s", err, path);
	for (i = 0; want[i] != NULL; i++)
		ck_assert_msg(strstr(err, want[i]) != NULL, "message \"%s\" lacks \"%s\"", err,
		              want[i]);
}

START_TEST(test_config_defaults)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_int_eq(load_text("{}", &cfg, path, err), 0);
	ck_assert_str_eq(cfg.path, path);
	ck_assert_str_eq(cfg.db_name, "debmonitor");
	ck_assert_str_eq(cfg.db_user, "debmonitor");
	ck_assert_ptr_null(cfg.db_password);
	ck_assert_ptr_null(cfg.db_host);
	ck_assert_ptr_null(cfg.db_socket);
	ck_assert_uint_eq(cfg.db_port, 3306);
	ck_assert_ptr_null(cfg.proxy_hosts);
	ck_assert_ptr_null(cfg.proxy_images);
	ck_assert_ptr_null(cfg.host_links);
	ck_assert_ptr_null(cfg.image_links);
	ck_assert_int_eq(cfg.search_min_length, 3);
	ck_assert_int_eq(cfg.max_body_bytes, 16LL * 1024 * 1024);
	ck_assert_int_eq(cfg.verify_clients, 1);
	ck_assert_int_eq(cfg.require_login, 0);
	ck_assert_str_eq(cfg.distro_csv, DM_DISTRO_CSV_DEFAULT);
	ck_assert_str_eq(cfg.distro_csv, "/usr/share/distro-info/debian.csv");
	ck_assert_str_eq(cfg.cve_url, "https://security-tracker.debian.org/tracker/data/json");
	ck_assert_int_eq(cfg.cve_timeout, 300);
	ck_assert_ptr_nonnull(cfg.root);
	dm_config_free(&cfg);
	ck_assert_ptr_null(cfg.root);
}
END_TEST

static const char all_keys[] =
    "{\n"
    "  \"MYSQL\": {\n"
    "    \"DB_NAME\": \"dm\",\n"
    "    \"DB_USER\": \"user1\",\n"
    "    \"DB_PASSWORD\": \"secret\",\n"
    "    \"DB_HOST\": \"db.example.org\",\n"
    "    \"DB_PORT\": 3310,\n"
    "    \"DB_SOCKET\": \"/run/dm.sock\"\n"
    "  },\n"
    "  \"PROXY_HOSTS\": [\"proxy1.example.org\", \"proxy2.example.org\"],\n"
    "  \"PROXY_IMAGES\": [\"registry.example.org/proxy\"],\n"
    "  \"HOST_EXTERNAL_LINKS\": {\"Puppet\": \"https://puppet.example.org/{fqdn}\"},\n"
    "  \"IMAGE_EXTERNAL_LINKS\": {\"Registry\": \"https://r.example.org/{image_path}\"},\n"
    "  \"SEARCH_MIN_LENGTH\": 5,\n"
    "  \"MAX_BODY_BYTES\": 1048576,\n"
    "  \"VERIFY_CLIENTS\": false,\n"
    "  \"REQUIRE_LOGIN\": true,\n"
    "  \"DISTRO_INFO_CSV\": \"/srv/distro-info/debian.csv\",\n"
    "  \"CVE_TRACKER_URL\": \"http://mirror.example.org/tracker.json\",\n"
    "  \"CVE_TRACKER_TIMEOUT\": 60\n"
    "}\n";

START_TEST(test_config_all_keys)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_msg(load_text(all_keys, &cfg, path, err) == 0, "refused: %s", err);
	ck_assert_str_eq(cfg.db_name, "dm");
	ck_assert_str_eq(cfg.db_user, "user1");
	ck_assert_str_eq(cfg.db_password, "secret");
	ck_assert_str_eq(cfg.db_host, "db.example.org");
	ck_assert_uint_eq(cfg.db_port, 3310);
	ck_assert_str_eq(cfg.db_socket, "/run/dm.sock");
	ck_assert_uint_eq(json_array_size(cfg.proxy_hosts), 2);
	ck_assert_str_eq(json_string_value(json_array_get(cfg.proxy_hosts, 1)),
	                 "proxy2.example.org");
	ck_assert_uint_eq(json_array_size(cfg.proxy_images), 1);
	ck_assert_str_eq(json_string_value(json_object_get(cfg.host_links, "Puppet")),
	                 "https://puppet.example.org/{fqdn}");
	ck_assert_str_eq(json_string_value(json_object_get(cfg.image_links, "Registry")),
	                 "https://r.example.org/{image_path}");
	ck_assert_int_eq(cfg.search_min_length, 5);
	ck_assert_int_eq(cfg.max_body_bytes, 1048576);
	ck_assert_int_eq(cfg.verify_clients, 0);
	ck_assert_int_eq(cfg.require_login, 1);
	ck_assert_str_eq(cfg.distro_csv, "/srv/distro-info/debian.csv");
	ck_assert_str_eq(cfg.cve_url, "http://mirror.example.org/tracker.json");
	ck_assert_int_eq(cfg.cve_timeout, 60);
	dm_config_free(&cfg);
	ck_assert_ptr_null(cfg.root);
	ck_assert_ptr_null(cfg.proxy_hosts);
	ck_assert_ptr_null(cfg.host_links);
}
END_TEST

START_TEST(test_config_nulls_keep_defaults)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_msg(load_text("{\"MYSQL\": {\"DB_NAME\": null, \"DB_PORT\": null},"
	                        " \"SEARCH_MIN_LENGTH\": null, \"VERIFY_CLIENTS\": null,"
	                        " \"PROXY_HOSTS\": null, \"HOST_EXTERNAL_LINKS\": null,"
	                        " \"DISTRO_INFO_CSV\": null}",
	                        &cfg, path, err) == 0,
	              "refused: %s", err);
	ck_assert_str_eq(cfg.db_name, "debmonitor");
	ck_assert_uint_eq(cfg.db_port, 3306);
	ck_assert_int_eq(cfg.search_min_length, 3);
	ck_assert_int_eq(cfg.verify_clients, 1);
	ck_assert_ptr_null(cfg.proxy_hosts);
	ck_assert_ptr_null(cfg.host_links);
	ck_assert_str_eq(cfg.distro_csv, DM_DISTRO_CSV_DEFAULT);
	dm_config_free(&cfg);
}
END_TEST

/* DISTRO_INFO_CSV: a file the CGIs open from wherever Apache starts them. */
START_TEST(test_config_distro_csv_refused)
{
	static const char *const want[] = {":3:", "DISTRO_INFO_CSV must be an absolute path", NULL};
	static const char *const string[] = {":3:", "DISTRO_INFO_CSV must be a string", NULL};

	assert_refused("{\n  \"VERIFY_CLIENTS\": true,\n  \"DISTRO_INFO_CSV\": \"debian.csv\"\n}\n",
	               want);
	assert_refused("{\n  \"VERIFY_CLIENTS\": true,\n  \"DISTRO_INFO_CSV\": \"\"\n}\n", want);
	assert_refused("{\n  \"VERIFY_CLIENTS\": true,\n  \"DISTRO_INFO_CSV\": \"./a.csv\"\n}\n",
	               want);
	assert_refused("{\n  \"VERIFY_CLIENTS\": true,\n  \"DISTRO_INFO_CSV\": 1\n}\n", string);
	assert_refused("{\n  \"VERIFY_CLIENTS\": true,\n  \"DISTRO_INFO_CSV\": [\"/a.csv\"]\n}\n",
	               string);
}
END_TEST

/* CVE_TRACKER_URL: what libcurl is allowed to fetch the security tracker's data from. */
START_TEST(test_config_cve_url)
{
	static const char *const scheme[] = {
	    ":2:", "CVE_TRACKER_URL must be a URL starting with https://, http:// or file://",
	    NULL};
	static const char *const timeout[] = {":2:", "CVE_TRACKER_TIMEOUT must be an integer",
	                                      NULL};
	static const char *const urls[] = {"file:///srv/tracker.json", "https://a.example.org/j"};
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN], text[256];
	size_t i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		snprintf(text, sizeof(text), "{\"CVE_TRACKER_URL\": \"%s\"}", urls[i]);
		ck_assert_msg(load_text(text, &cfg, path, err) == 0, "refused: %s", err);
		ck_assert_str_eq(cfg.cve_url, urls[i]);
		dm_config_free(&cfg);
	}
	assert_refused("{\n  \"CVE_TRACKER_URL\": \"ftp://a.example.org/json\"\n}\n", scheme);
	assert_refused("{\n  \"CVE_TRACKER_URL\": \"https://\"\n}\n", scheme);
	assert_refused("{\n  \"CVE_TRACKER_URL\": \"https://a.example.org/a b\"\n}\n", scheme);
	assert_refused("{\n  \"CVE_TRACKER_URL\": \"/srv/tracker.json\"\n}\n", scheme);
	assert_refused("{\n  \"CVE_TRACKER_TIMEOUT\": 0\n}\n", timeout);
	assert_refused("{\n  \"CVE_TRACKER_TIMEOUT\": \"300\"\n}\n", timeout);
}
END_TEST

START_TEST(test_config_unknown_keys)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_msg(load_text("{\"DEBUG\": true, \"MYSQL\": {\"OPTIONS\": {}}, \"X\": [1]}", &cfg,
	                        path, err) == 0,
	              "refused: %s", err);
	ck_assert_str_eq(cfg.db_name, "debmonitor");
	dm_config_free(&cfg);
}
END_TEST

static const struct {
	const char *text;
	unsigned int port;
} ports[] = {
    {"{\"MYSQL\": {\"DB_PORT\": \"3307\"}}", 3307},   {"{\"MYSQL\": {\"DB_PORT\": 3308}}", 3308},
    {"{\"MYSQL\": {\"DB_PORT\": \"\"}}", 3306},       {"{\"MYSQL\": {\"DB_PORT\": 1}}", 1},
    {"{\"MYSQL\": {\"DB_PORT\": \"65535\"}}", 65535}, {"{\"MYSQL\": {}}", 3306},
};

START_TEST(test_config_db_port)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_msg(load_text(ports[_i].text, &cfg, path, err) == 0, "%s refused: %s",
	              ports[_i].text, err);
	ck_assert_msg(cfg.db_port == ports[_i].port, "%s gave port %u, want %u", ports[_i].text,
	              cfg.db_port, ports[_i].port);
	dm_config_free(&cfg);
}
END_TEST

START_TEST(test_config_db_port_refused)
{
	static const char *const want[] = {":3:", "DB_PORT", NULL};

	assert_refused("{\n  \"MYSQL\": {\n    \"DB_PORT\": \"33x\"\n  }\n}\n", want);
	assert_refused("{\n  \"MYSQL\": {\n    \"DB_PORT\": 0\n  }\n}\n", want);
	assert_refused("{\n  \"MYSQL\": {\n    \"DB_PORT\": \"65536\"\n  }\n}\n", want);
	assert_refused("{\n  \"MYSQL\": {\n    \"DB_PORT\": true\n  }\n}\n", want);
}
END_TEST

/* MYSQL_READ: one replica or a list; what a replica leaves out is MYSQL's. */
START_TEST(test_config_replicas)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_msg(load_text("{\"MYSQL\": {\"DB_NAME\": \"dm\", \"DB_USER\": \"u\","
	                        " \"DB_PASSWORD\": \"p\", \"DB_SOCKET\": \"/primary\"},"
	                        " \"MYSQL_READ\": [{\"DB_SOCKET\": \"/r1\"},"
	                        " {\"DB_HOST\": \"10.0.0.2\", \"DB_PORT\": \"3307\","
	                        " \"DB_USER\": \"reader\"}], \"MYSQL_READ_MAX_LAG\": 5}",
	                        &cfg, path, err) == 0,
	              "%s", err);
	ck_assert_uint_eq(cfg.n_replicas, 2);
	ck_assert_int_eq(cfg.replica_max_lag, 5);
	ck_assert_str_eq(cfg.replicas[0].socket, "/r1");
	ck_assert_ptr_null(cfg.replicas[0].host);
	ck_assert_str_eq(cfg.replicas[0].name, "dm");
	ck_assert_str_eq(cfg.replicas[0].user, "u");
	ck_assert_str_eq(cfg.replicas[0].password, "p");
	ck_assert_str_eq(cfg.replicas[1].host, "10.0.0.2");
	ck_assert_uint_eq(cfg.replicas[1].port, 3307);
	ck_assert_str_eq(cfg.replicas[1].user, "reader");
	ck_assert_str_eq(cfg.replicas[1].password, "p");
	dm_config_free(&cfg);

	ck_assert_msg(load_text("{\"MYSQL_READ\": {\"DB_SOCKET\": \"/r\"}}", &cfg, path, err) == 0,
	              "%s", err);
	ck_assert_uint_eq(cfg.n_replicas, 1);
	ck_assert_int_eq(cfg.replica_max_lag, DM_REPLICA_MAX_LAG_DEFAULT);
	dm_config_free(&cfg);
	ck_assert_int_eq(load_text("{}", &cfg, path, err), 0);
	ck_assert_uint_eq(cfg.n_replicas, 0);
	dm_config_free(&cfg);
}
END_TEST

START_TEST(test_config_replicas_refused)
{
	static const char *const want[] = {"MYSQL_READ", NULL};
	static const char *const lag[] = {"MYSQL_READ_MAX_LAG", NULL};

	assert_refused("{\"MYSQL_READ\": \"replica\"}", want);
	assert_refused("{\"MYSQL_READ\": [{\"DB_SOCKET\": \"/r\"}, 3]}", want);
	/* Without a place of its own it would be the primary. */
	assert_refused("{\"MYSQL_READ\": {\"DB_NAME\": \"dm\"}}", want);
	assert_refused("{\"MYSQL_READ\": [{\"DB_SOCKET\": \"/1\"}, {\"DB_SOCKET\": \"/2\"},"
	               " {\"DB_SOCKET\": \"/3\"}, {\"DB_SOCKET\": \"/4\"}, {\"DB_SOCKET\": \"/5\"},"
	               " {\"DB_SOCKET\": \"/6\"}, {\"DB_SOCKET\": \"/7\"}, {\"DB_SOCKET\": \"/8\"},"
	               " {\"DB_SOCKET\": \"/9\"}]}",
	               want);
	assert_refused("{\"MYSQL_READ_MAX_LAG\": -1}", lag);
	assert_refused("{\"MYSQL_READ_MAX_LAG\": \"30\"}", lag);
}
END_TEST

START_TEST(test_config_db_host_empty)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	/* Django's convention: an empty host is the local socket. */
	ck_assert_int_eq(
	    load_text("{\"MYSQL\": {\"DB_HOST\": \"\", \"DB_SOCKET\": \"/s\"}}", &cfg, path, err),
	    0);
	ck_assert_ptr_null(cfg.db_host);
	ck_assert_str_eq(cfg.db_socket, "/s");
	dm_config_free(&cfg);
}
END_TEST

START_TEST(test_config_malformed)
{
	static const char *const want[] = {":3:", NULL};

	assert_refused("{\n  \"SEARCH_MIN_LENGTH\": 3\n  \"VERIFY_CLIENTS\": true\n}\n", want);
}
END_TEST

START_TEST(test_config_wrong_type)
{
	static const char *const want[] = {":4:", "SEARCH_MIN_LENGTH", "integer", NULL};

	assert_refused("{\n  \"MYSQL\": {},\n  \"VERIFY_CLIENTS\": true,\n"
	               "  \"SEARCH_MIN_LENGTH\": \"3\"\n}\n",
	               want);
}
END_TEST

START_TEST(test_config_duplicate_key)
{
	static const char *const want[] = {":3:", "duplicate", "VERIFY_CLIENTS", NULL};

	assert_refused("{\n  \"VERIFY_CLIENTS\": true,\n  \"VERIFY_CLIENTS\": false\n}\n", want);
}
END_TEST

START_TEST(test_config_not_object)
{
	static const char *const object[] = {":1:", "must be a JSON object", NULL};
	static const char *const any[] = {":1:", NULL};

	assert_refused("[]", object);
	assert_refused("[{\"SEARCH_MIN_LENGTH\": 3}]", object);
	assert_refused("\"{}\"", any);
	assert_refused("3", any);
	assert_refused("", any);
}
END_TEST

START_TEST(test_config_missing_file)
{
	static const char path[] = "/nonexistent/dm-check/config.json";
	struct dm_config cfg;
	char err[ERR_LEN];

	ck_assert_int_eq(dm_config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_ptr_null(cfg.root);
	ck_assert_msg(strstr(err, path) != NULL, "message \"%s\" lacks the path", err);
	ck_assert_msg(strstr(err, "cannot open") != NULL, "message \"%s\" lacks \"cannot open\"",
	              err);
}
END_TEST

START_TEST(test_config_default_path)
{
	struct dm_config cfg;
	char err[ERR_LEN];

	/* The default file may or may not exist here; either way it is the one tried. */
	dm_config_load(&cfg, NULL, err, sizeof(err));
	ck_assert_str_eq(cfg.path, DM_CONFIG_DEFAULT);
	dm_config_free(&cfg);
	dm_config_load(&cfg, "", err, sizeof(err));
	ck_assert_str_eq(cfg.path, DM_CONFIG_DEFAULT);
	dm_config_free(&cfg);
}
END_TEST

START_TEST(test_config_too_large)
{
	static const char *const want[] = {"too large", NULL};
	char *text = malloc(DM_CONFIG_MAX_BYTES + 2);

	ck_assert_ptr_nonnull(text);
	memset(text, ' ', DM_CONFIG_MAX_BYTES + 1);
	text[0] = '{';
	text[DM_CONFIG_MAX_BYTES] = '}';
	text[DM_CONFIG_MAX_BYTES + 1] = '\0';
	assert_refused(text, want);
	free(text);
}
END_TEST

START_TEST(test_config_proxy_hosts_non_string)
{
	static const char *const want[] = {":3:", "PROXY_HOSTS", NULL};

	assert_refused("{\n  \"SEARCH_MIN_LENGTH\": 3,\n  \"PROXY_HOSTS\": [\"a\", 1]\n}\n", want);
}
END_TEST

START_TEST(test_config_error_truncated)
{
	struct dm_config cfg;
	char err[32];

	memset(err, 'X', sizeof(err));
	ck_assert_int_eq(dm_config_load(&cfg, "/nonexistent/dm-check/config.json", err, 16), -1);
	ck_assert_uint_eq(strlen(err), 15);
	ck_assert_int_eq(err[16], 'X');
}
END_TEST

START_TEST(test_config_listed)
{
	struct dm_config cfg;
	char path[PATH_LEN], err[ERR_LEN];

	ck_assert_msg(load_text(all_keys, &cfg, path, err) == 0, "refused: %s", err);
	ck_assert_int_eq(dm_config_listed(cfg.proxy_hosts, "proxy1.example.org"), 1);
	ck_assert_int_eq(dm_config_listed(cfg.proxy_hosts, "proxy2.example.org"), 1);
	ck_assert_int_eq(dm_config_listed(cfg.proxy_hosts, "proxy3.example.org"), 0);
	ck_assert_int_eq(dm_config_listed(cfg.proxy_hosts, "proxy1"), 0);
	ck_assert_int_eq(dm_config_listed(cfg.proxy_hosts, ""), 0);
	ck_assert_int_eq(dm_config_listed(cfg.proxy_images, "registry.example.org/proxy"), 1);
	/* An unset list holds nothing. */
	ck_assert_int_eq(dm_config_listed(NULL, "proxy1.example.org"), 0);
	dm_config_free(&cfg);
}
END_TEST

/* Reads a small file into buf as a string; -1 when it cannot be read. */
static int
read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* Every line of the .error file must occur in the message, which names the file. */
static void
check_invalid(const char *json, const char *expect_path, struct dm_buf *failures)
{
	struct dm_config cfg;
	char err[ERR_LEN], expect[1024], *line, *next;

	if (read_small(expect_path, expect, sizeof(expect)) == -1) {
		dm_buf_printf(failures, "%s: cannot read %s\n", json, expect_path);
		return;
	}
	if (dm_config_load(&cfg, json, err, sizeof(err)) == 0) {
		dm_buf_printf(failures, "%s: accepted\n", json);
		dm_config_free(&cfg);
		return;
	}
	if (strncmp(err, json, strlen(json)) != 0)
		dm_buf_printf(failures, "%s: message does not name the file: %s\n", json, err);
	for (line = expect; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (*line && strstr(err, line) == NULL)
			dm_buf_printf(failures, "%s: message lacks \"%s\": %s\n", json, line, err);
	}
}

static void
check_valid(const char *json, const char *side, struct dm_buf *failures)
{
	struct dm_config cfg;
	char err[ERR_LEN];

	(void)side; /* a valid case says nothing more */
	if (dm_config_load(&cfg, json, err, sizeof(err)) == -1)
		dm_buf_printf(failures, "%s: refused: %s\n", json, err);
	else
		dm_config_free(&cfg);
}

static void
assert_cases(const char *kind)
{
	tc_assert_cases("config", kind, ".json", "error",
	                strcmp(kind, "valid") == 0 ? check_valid : check_invalid);
}

START_TEST(test_config_data_valid)
{
	assert_cases("valid");
}
END_TEST

START_TEST(test_config_data_invalid)
{
	assert_cases("invalid");
}
END_TEST

Suite *
make_config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("load");
	TCase *data = tcase_create("data");

	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_all_keys);
	tcase_add_test(tc, test_config_nulls_keep_defaults);
	tcase_add_test(tc, test_config_distro_csv_refused);
	tcase_add_test(tc, test_config_cve_url);
	tcase_add_test(tc, test_config_unknown_keys);
	tcase_add_loop_test(tc, test_config_db_port, 0, (int)(sizeof(ports) / sizeof(ports[0])));
	tcase_add_test(tc, test_config_db_port_refused);
	tcase_add_test(tc, test_config_db_host_empty);
	tcase_add_test(tc, test_config_malformed);
	tcase_add_test(tc, test_config_wrong_type);
	tcase_add_test(tc, test_config_duplicate_key);
	tcase_add_test(tc, test_config_not_object);
	tcase_add_test(tc, test_config_missing_file);
	tcase_add_test(tc, test_config_default_path);
	tcase_add_test(tc, test_config_too_large);
	tcase_add_test(tc, test_config_proxy_hosts_non_string);
	tcase_add_test(tc, test_config_error_truncated);
	tcase_add_test(tc, test_config_listed);
	tcase_add_test(tc, test_config_replicas);
	tcase_add_test(tc, test_config_replicas_refused);
	suite_add_tcase(s, tc);
	tcase_add_test(data, test_config_data_valid);
	tcase_add_test(data, test_config_data_invalid);
	suite_add_tcase(s, data);
	return s;
}
