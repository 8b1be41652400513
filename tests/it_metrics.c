/*
 * it_metrics.c: GET /metrics through Apache: valid for promtool, every number what the
 * database holds, no series per host, GET only.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROM_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define HOST_A "t-metrics-a.example.org"
#define HOST_B "t-metrics-b.example.org"
#define HOST_C "t-metrics-c.example.org"
#define IMAGE "registry.example.org/t-metrics/app:1.0"
#define FIXTURE "/tests/data/tracker/tracker.json"
#define RELEASES "/tests/data/tracker/debian.csv"

/* The labels /metrics may use: none of them can name a host. */
static const char *const label_names[] = {"os", "kind", "type", "urgency", "fix"};

/* --- reports ----------------------------------------------------------------------------- */

/* A full report of a host (kind "hosts") or an image ("images"), upgrades from specs. */
static void
report(const char *kind, const char *name, const char *os, const char *installed,
       const char *upgradable)
{
	int host = strcmp(kind, "hosts") == 0;
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	json_t *p =
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "api_version", "v1", "update_type", "full",
	              host ? "hostname" : "image_name", name, "os", os, "installed",
	              it_spec_list(installed, 0), "upgradable", it_spec_list(upgradable, 1));
	struct it_request req = {.method = "POST"};
	struct it_response r;
	char path[512], *body;

	ck_assert_ptr_nonnull(p);
	if (host)
		json_object_set_new(p, "running_kernel",
		                    json_pack("{s:s, s:s}", "release", "6.1.0-18-amd64", "version",
		                              "#1 SMP t-metrics"));
	body = it_dump(p);
	req.body = body;
	req.body_len = strlen(body);
	/* Images: this machine's own certificate is a PROXY_IMAGES CN of the instance. */
	req.tls = host ? &proxy : NULL;
	snprintf(path, sizeof(path), "/%s/%s/update", kind, name);
	it_do(it_https(path), &req, &r);
	it_assert_created(path, &r);
	it_response_free(&r);
	free(body);
}

/*
 * Three OSes, upgrades of both types on hosts and on the image, one host stale, and a
 * bind9 that the tracker fixture's CVE-2025-40775 affects (high, fixed in bookworm).
 */
static void
setup(void)
{
	char path[4096];

	report("hosts", HOST_A, "Debian 12",
	       "t-metrics-lib=1.0-1 t-metrics-tool=2.0-1 bind9=1:9.18.33-1~deb12u2",
	       "t-metrics-lib=1.0-1>1.0-2!security t-metrics-tool=2.0-1>2.0-2");
	report("hosts", HOST_B, "Debian 11", "t-metrics-lib=0.9-1", "");
	report("hosts", HOST_C, "Ubuntu 24.04", "t-metrics-tool=2.0-1",
	       "t-metrics-tool=2.0-1>2.0-3!");
	report("images", IMAGE, "Debian 12", "t-metrics-lib=1.0-1",
	       "t-metrics-lib=1.0-1>1.0-2!security");
	/* Its reports stopped two days ago. */
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 2 DAY"
	           " WHERE name = '" HOST_B "'");
	/* Last: a setup that fails before leaves the configuration alone. */
	snprintf(path, sizeof(path), "%s" RELEASES, it_env("DM_TEST_SOURCE"));
	it_config_set(NULL, "DISTRO_INFO_CSV", json_string(path));
}

static void
teardown(void)
{
	it_forget("hosts", HOST_A);
	it_forget("hosts", HOST_B);
	it_forget("hosts", HOST_C);
	it_forget("images", IMAGE);
	it_config_restore();
}

/* --- the answer -------------------------------------------------------------------------- */

/* GET /metrics on the pages vhost: 200 in the exposition format; the body, malloc'd. */
static char *
get_metrics(void)
{
	struct it_response r;
	char *body;

	it_do(it_http("/metrics"), NULL, &r);
	ck_assert_msg(r.status == 200, "GET /metrics: HTTP %ld: %s", r.status, r.body);
	ck_assert_str_eq(it_header(&r, "Content-Type"), PROM_TYPE);
	body = strdup(r.body);
	ck_assert_ptr_nonnull(body);
	it_response_free(&r);
	return body;
}

/* The samples of an answer: series ("name{labels}") to value, as a new JSON object. */
static json_t *
samples(char *body)
{
	json_t *map = json_object();
	char *line, *save = NULL, *sp;

	for (line = strtok_r(body, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		sp = strrchr(line, ' ');
		ck_assert_msg(sp != NULL, "a sample without a value: %s", line);
		*sp = '\0';
		ck_assert_msg(json_object_get(map, line) == NULL, "series twice: %s", line);
		json_object_set_new(map, line, json_string(sp + 1));
	}
	return map;
}

/* The value of one series, which must be there. */
static long long
value(json_t *map, const char *series)
{
	json_t *v = json_object_get(map, series);

	ck_assert_msg(v != NULL, "no series %s", series);
	return strtoll(json_string_value(v), NULL, 10);
}

static void
assert_value(json_t *map, const char *series, const char *sql)
{
	long long want = it_db_count(sql);

	ck_assert_msg(value(map, series) == want, "%s: %lld, the database says %lld", series,
	              value(map, series), want);
}

/* An estimate (InnoDB's row count) within 5% of what the database counts. */
static void
assert_near(json_t *map, const char *series, const char *sql)
{
	long long want = it_db_count(sql), got = value(map, series);

	ck_assert_msg(got * 20 >= want * 19 && got * 20 <= want * 21,
	              "%s: %lld, the database says %lld (more than 5%% apart)", series, got, want);
}

/* The sum of every series of the metric name (its samples, whatever their labels). */
static long long
sum(json_t *map, const char *name)
{
	const char *key;
	json_t *v;
	long long total = 0;
	size_t n = strlen(name);

	json_object_foreach (map, key, v) {
		if (strncmp(key, name, n) == 0 && key[n] == '{')
			total += strtoll(json_string_value(v), NULL, 10);
	}
	return total;
}

/* --- tests ------------------------------------------------------------------------------- */

/* Debian's promtool (package prometheus) finds nothing to say: format and conventions. */
START_TEST(test_promtool)
{
	char path[] = "/tmp/it-metrics-XXXXXX", *body = get_metrics();
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, body, strlen(body)), (ssize_t)strlen(body));
	close(fd);
	it_sh("promtool check metrics < '%s'", path);
	unlink(path);
	free(body);
}
END_TEST

/* Hosts and images by OS: every OS of the database, each as GROUP BY counts it. */
START_TEST(test_by_os)
{
	char *body = get_metrics(), series[512], sql[1024];
	json_t *map = samples(body);
	MYSQL *db = it_db_open();
	MYSQL_RES *res;
	MYSQL_ROW r;

	ck_assert_int_eq(mysql_query(db, "SELECT name FROM os"), 0);
	ck_assert_ptr_nonnull(res = mysql_store_result(db));
	ck_assert_uint_ge(mysql_num_rows(res), 3);
	while ((r = mysql_fetch_row(res)) != NULL) {
		snprintf(series, sizeof(series), "debmonitor_hosts{os=\"%s\"}", r[0]);
		snprintf(
		    sql, sizeof(sql),
		    "SELECT COUNT(*) FROM host h JOIN os o ON o.id = h.os_id WHERE o.name = '%s'",
		    r[0]);
		assert_value(map, series, sql);
		snprintf(series, sizeof(series), "debmonitor_images{os=\"%s\"}", r[0]);
		snprintf(
		    sql, sizeof(sql),
		    "SELECT COUNT(*) FROM image i JOIN os o ON o.id = i.os_id WHERE o.name = '%s'",
		    r[0]);
		assert_value(map, series, sql);
	}
	mysql_free_result(res);
	mysql_close(db);
	ck_assert_int_eq(sum(map, "debmonitor_hosts"), it_db_count("SELECT COUNT(*) FROM host"));
	ck_assert_int_eq(sum(map, "debmonitor_images"), it_db_count("SELECT COUNT(*) FROM image"));
	ck_assert_int_ge(value(map, "debmonitor_hosts{os=\"Ubuntu 24.04\"}"), 1);
	json_decref(map);
	free(body);
}
END_TEST

/*
 * The totals, each against what the install tables themselves say (the test may count
 * them: a few dozen rows), so that the ingest's counters are checked too.
 */
START_TEST(test_totals)
{
	char *body = get_metrics();
	json_t *map = samples(body);

	assert_value(map, "debmonitor_hosts_stale",
	             "SELECT COUNT(*) FROM host WHERE modified < UTC_TIMESTAMP() - INTERVAL 1 DAY");
	ck_assert_int_ge(value(map, "debmonitor_hosts_stale"), 1);
	assert_value(map, "debmonitor_hosts_with_upgrades",
	             "SELECT COUNT(DISTINCT host_id) FROM host_package"
	             " WHERE upgradable_version_id IS NOT NULL");
	assert_value(map, "debmonitor_hosts_with_security_upgrades",
	             "SELECT COUNT(DISTINCT host_id) FROM host_package"
	             " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1");
	assert_value(map, "debmonitor_images_with_upgrades",
	             "SELECT COUNT(DISTINCT image_id) FROM image_package"
	             " WHERE upgradable_version_id IS NOT NULL");
	assert_value(map, "debmonitor_images_with_security_upgrades",
	             "SELECT COUNT(DISTINCT image_id) FROM image_package"
	             " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1");
	assert_value(map, "debmonitor_pending_upgrades{kind=\"host\",type=\"plain\"}",
	             "SELECT COUNT(*) FROM host_package"
	             " WHERE upgradable_version_id IS NOT NULL AND upgrade_type <> 1");
	assert_value(map, "debmonitor_pending_upgrades{kind=\"host\",type=\"security\"}",
	             "SELECT COUNT(*) FROM host_package"
	             " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1");
	assert_value(map, "debmonitor_pending_upgrades{kind=\"image\",type=\"plain\"}",
	             "SELECT COUNT(*) FROM image_package"
	             " WHERE upgradable_version_id IS NOT NULL AND upgrade_type <> 1");
	assert_value(map, "debmonitor_pending_upgrades{kind=\"image\",type=\"security\"}",
	             "SELECT COUNT(*) FROM image_package"
	             " WHERE upgradable_version_id IS NOT NULL AND upgrade_type = 1");
	ck_assert_int_ge(value(map, "debmonitor_pending_upgrades{kind=\"host\",type=\"plain\"}"),
	                 2);
	/* Seconds since the epoch whatever the test connection's time zone. */
	assert_value(map, "debmonitor_oldest_host_report_timestamp_seconds",
	             "SELECT TIMESTAMPDIFF(SECOND, '1970-01-01', MIN(modified)) FROM host");
	assert_value(map, "debmonitor_newest_host_report_timestamp_seconds",
	             "SELECT TIMESTAMPDIFF(SECOND, '1970-01-01', MAX(modified)) FROM host");
	ck_assert_int_ge(value(map, "debmonitor_newest_host_report_timestamp_seconds") -
	                     value(map, "debmonitor_oldest_host_report_timestamp_seconds"),
	                 2 * 86400 - 60);
	assert_value(map, "debmonitor_packages", "SELECT COUNT(*) FROM package");
	assert_value(map, "debmonitor_source_packages", "SELECT COUNT(*) FROM source_package");
	assert_value(map, "debmonitor_kernels", "SELECT COUNT(*) FROM kernel_version");
	json_decref(map);
	free(body);
}
END_TEST

/*
 * The version counts are InnoDB's row estimates: after ANALYZE TABLE, within 5% of the
 * count (1.2% apart in a test instance of 23,639 versions).
 */
START_TEST(test_version_estimates)
{
	char *body;
	json_t *map;

	/*
	 * With InnoDB's default of 20 pages sampled, the estimate of a table whose pages
	 * debmonitor-gc thinned out was 10% off and more (bench/README, "Metrics"); both
	 * tables sample more.
	 */
	ck_assert_int_eq(
	    it_db_count("SELECT COUNT(*) FROM information_schema.TABLES"
	                " WHERE TABLE_SCHEMA = DATABASE()"
	                " AND TABLE_NAME IN ('package_version', 'source_package_version')"
	                " AND CREATE_OPTIONS LIKE '%stats_sample_pages=200%'"),
	    2);
	it_db_exec("ANALYZE TABLE package_version, source_package_version");
	map = samples(body = get_metrics());
	assert_near(map, "debmonitor_package_versions", "SELECT COUNT(*) FROM package_version");
	assert_near(map, "debmonitor_source_package_versions",
	            "SELECT COUNT(*) FROM source_package_version");
	json_decref(map);
	free(body);
}
END_TEST

/* Runs debmonitor-cve on the tracker fixture (again: --force), counting the fleet. */
static void
import_fixture(void)
{
	it_sh("'%s' --config '%s' --force --file '%s" FIXTURE "' >/dev/null", it_env("DM_CVE"),
	      it_env("DM_CONFIG"), it_env("DM_TEST_SOURCE"));
}

/* After an import: the issues by urgency and fix as cve_count has them, and its times. */
START_TEST(test_vulnerabilities)
{
	static const char *const urgencies[] = {"high",        "medium",           "low",
	                                        "unimportant", "not yet assigned", "end-of-life"};
	char *body, series[256], sql[512];
	json_t *map;
	size_t i;

	import_fixture();
	map = samples(body = get_metrics());
	for (i = 0; i < sizeof(urgencies) / sizeof(urgencies[0]); i++) {
		snprintf(series, sizeof(series),
		         "debmonitor_vulnerabilities{urgency=\"%s\",fix=\"available\"}",
		         urgencies[i]);
		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM cve_count WHERE urgency = '%s'"
		         " AND hosts_fixable + images_fixable > 0",
		         urgencies[i]);
		assert_value(map, series, sql);
		snprintf(series, sizeof(series),
		         "debmonitor_vulnerabilities{urgency=\"%s\",fix=\"not_available\"}",
		         urgencies[i]);
		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM cve_count WHERE urgency = '%s'"
		         " AND hosts_fixable + images_fixable = 0",
		         urgencies[i]);
		assert_value(map, series, sql);
	}
	ck_assert_int_eq(sum(map, "debmonitor_vulnerabilities"),
	                 it_db_count("SELECT COUNT(*) FROM cve_count"));
	/* bind9 on host A. */
	ck_assert_int_ge(
	    value(map, "debmonitor_vulnerabilities{urgency=\"high\",fix=\"available\"}"), 1);
	assert_value(map, "debmonitor_vulnerabilities_imported_timestamp_seconds",
	             "SELECT TIMESTAMPDIFF(SECOND, '1970-01-01', imported) FROM cve_state");
	assert_value(map, "debmonitor_vulnerabilities_counted_timestamp_seconds",
	             "SELECT TIMESTAMPDIFF(SECOND, '1970-01-01', counted) FROM cve_state");
	json_decref(map);
	free(body);
}
END_TEST

/* Skips a quoted label value from its opening quote: what follows its closing one. */
static const char *
skip_value(const char *p)
{
	ck_assert_int_eq(*p, '"');
	for (p++; *p != '"'; p++) {
		ck_assert_msg(*p != '\0', "unterminated label value");
		if (*p == '\\')
			p++;
	}
	return p + 1;
}

/* Every label of a series is one of label_names. */
static void
assert_labels(const char *series)
{
	const char *p = strchr(series, '{');
	size_t i, n;

	while (p != NULL && *p != '}') {
		p++;
		n = strcspn(p, "=");
		for (i = 0; i < sizeof(label_names) / sizeof(label_names[0]); i++)
			if (strlen(label_names[i]) == n && strncmp(p, label_names[i], n) == 0)
				break;
		ck_assert_msg(i < sizeof(label_names) / sizeof(label_names[0]),
		              "%s: a label not in the list", series);
		p = skip_value(p + n + 1);
	}
}

/* No series per host: only the known labels, no host's name anywhere in the answer. */
START_TEST(test_no_host_series)
{
	char *body = get_metrics(), *copy = strdup(body);
	json_t *map = samples(copy);
	const char *key;
	size_t other = 0;
	json_t *v;
	MYSQL *db = it_db_open();
	MYSQL_RES *res;
	MYSQL_ROW r;

	json_object_foreach (map, key, v) {
		assert_labels(key);
		other += strstr(key, "{os=") == NULL;
	}
	ck_assert_int_eq(mysql_query(db, "SELECT name FROM host UNION SELECT name FROM image"), 0);
	ck_assert_ptr_nonnull(res = mysql_store_result(db));
	ck_assert_uint_ge(mysql_num_rows(res), 4);
	while ((r = mysql_fetch_row(res)) != NULL)
		ck_assert_msg(strstr(body, r[0]) == NULL, "the answer names %s", r[0]);
	mysql_free_result(res);
	mysql_close(db);
	/*
	 * Series by OS grow with the OS names the fleet has (the test instance's suites add
	 * dozens); the others are a fixed few, whatever the number of hosts.
	 */
	ck_assert_uint_lt(other, 60);
	json_decref(map);
	free(copy);
	free(body);
}
END_TEST

/* GET and HEAD only, on both vhosts: anything else is a 405 saying what is allowed. */
START_TEST(test_methods)
{
	struct it_request post = {.method = "POST", .body = "x", .body_len = 1};
	struct it_request head = {.method = "HEAD"};
	struct it_response r;

	it_do(it_http("/metrics"), &post, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD");
	it_response_free(&r);
	it_do(it_https("/metrics"), &post, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD");
	it_response_free(&r);
	it_do(it_http("/metrics"), &head, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(it_header(&r, "Content-Type"), PROM_TYPE);
	it_response_free(&r);
	/* A host's certificate on the client vhost reads it too. */
	it_do(it_https("/metrics"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\ndebmonitor_hosts{os=\"Debian 12\"} "));
	it_response_free(&r);
}
END_TEST

/* No database: 503 in plain text, as every page. */
START_TEST(test_database_unreachable)
{
	struct it_response r;

	it_config_set("MYSQL", "DB_SOCKET", json_string("/nonexistent/mysqld.sock"));
	it_do(it_http("/metrics"), NULL, &r);
	it_config_restore();
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(it_header(&r, "Content-Type"), IT_TEXT_PLAIN);
	ck_assert_msg(strstr(r.body, "database unavailable") != NULL, "body: %s", r.body);
	it_response_free(&r);
}
END_TEST

Suite *
make_it_metrics_suite(void)
{
	Suite *s = suite_create("integration: metrics");
	TCase *tc = tcase_create("metrics");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_promtool);
	tcase_add_test(tc, test_by_os);
	tcase_add_test(tc, test_totals);
	tcase_add_test(tc, test_version_estimates);
	tcase_add_test(tc, test_vulnerabilities);
	tcase_add_test(tc, test_no_host_series);
	tcase_add_test(tc, test_methods);
	tcase_add_test(tc, test_database_unreachable);
	suite_add_tcase(s, tc);
	return s;
}
