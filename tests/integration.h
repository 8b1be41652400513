/* integration.h: helpers for tests that drive the real Apache, CGIs and MariaDB. */
#ifndef DM_INTEGRATION_H
#define DM_INTEGRATION_H

#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <mysql.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* What every error from a write endpoint is. */
#define IT_TEXT_PLAIN "text/plain; charset=utf-8"

/* Which client certificate a request presents. */
struct it_tls {
	const char *cert; /* NULL: none */
	const char *key;
};

struct it_response {
	CURLcode curl; /* CURLE_OK when an HTTP answer came back */
	long status;
	char *body; /* NUL-terminated */
	size_t len;
	char *headers; /* raw header block, NUL-terminated */
};

struct it_request {
	const char *method; /* NULL: GET */
	const char *accept; /* NULL: none sent */
	const char *body;   /* NULL: no body */
	size_t body_len;
	const struct it_tls *tls; /* NULL: the instance's own client certificate */
	const char *userpwd;      /* "user:password" for HTTP basic authentication; NULL: none */
	const char *header;       /* one more request header ("Name: value"); NULL: none */
};

/* The instance under test, from ./quickstart env (exits with a message if unset). */
const char *it_env(const char *name);
/* "https://127.0.0.1:PORT" + path, or the plain vhost's. Returns a static buffer. */
const char *it_https(const char *path);
const char *it_http(const char *path);
/* Performs one request; the response must be released with it_response_free. */
void it_do(const char *url, const struct it_request *req, struct it_response *res);
void it_response_free(struct it_response *res);
/* The value of a response header (case-insensitive name), or NULL. Static buffer. */
const char *it_header(const struct it_response *res, const char *name);
/* Runs a shell command; fails the test when it does not exit 0. */
void it_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Issues a client certificate with CN=name from the instance CA (cached per name). */
struct it_tls it_cert(const char *name);
/*
 * GET base("/what/name") as JSON (base: it_http or it_https; what: "hosts" or
 * "images"): the parsed object, or NULL on 404; anything else fails the test.
 */
json_t *it_get_subject(const char *(*base)(const char *), const char *what, const char *name);
/*
 * Deletes host or image name ("hosts" or "images") through the API, so that the package
 * counts stay exact; absent is fine.
 */
void it_forget(const char *what, const char *name);
/*
 * it_forget for every host or image (what: "hosts", "images") whose name is LIKE like:
 * through DELETE, which keeps the counters the ingest keeps (package_stats), not SQL.
 */
void it_forget_like(const char *what, const char *like);
/* Replaces the server's config.json with text / puts the original back. */
void it_config_replace(const char *text);
void it_config_restore(void);
/*
 * Replaces one member of the live config (section NULL: at the top level), keeping the
 * rest (MYSQL, the proxies); value is stolen. it_config_restore puts the original back.
 */
void it_config_set(const char *section, const char *key, json_t *value);
/*
 * A full report of spec (see below) for host on "Debian 12" with running kernel kernel,
 * as the PROXY_HOSTS certificate: the HTTP status (0: no answer); the start of a failed
 * answer in why (when not NULL). Safe to call from several threads at once.
 */
long it_post_full(const char *host, const char *kernel, const char *spec, char *why, size_t whylen);
/* The same through the front end whose URL the environment variable base holds. */
long it_post_full_to(const char *base, const char *host, const char *kernel, const char *spec,
                     char *why, size_t whylen);
/*
 * The shell command (in cmd) that runs the client (DM_CLIENT) with configuration file
 * config (NULL: none), against the instance with tls (NULL: the instance's own client
 * certificate), then args.
 */
void it_client_command(char *cmd, size_t len, const struct it_tls *tls, const char *config,
                       const char *args);
/*
 * Runs a command of the instance (the program in environment variable program, e.g.
 * "DM_GC", "DM_CVE") with --config config (NULL: DM_CONFIG) and args, stderr with
 * stdout: its exit code (-1 when it did not exit), its output in *out (free it).
 */
int it_tool(const char *program, const char *config, const char *args, char **out);
/* A write was accepted: 201 with an empty text/plain body. */
void it_assert_created(const char *what, const struct it_response *r);

/* --- JSON answers (it_http.c) --- */
/*
 * GET path on the pages vhost as JSON, which must answer 200 with a JSON object: the
 * object; its Link header (malloc'd, NULL when none) in *link when link is not NULL.
 */
json_t *it_get_json(const char *path, char **link);
/* The string member key of obj; fails the test when it is not a string. */
const char *it_str(const json_t *obj, const char *key);
/* Serializes root (compact) and releases it; malloc'd. */
char *it_dump(json_t *root);
/* "YYYY-MM-DDTHH:MM:SSZ" as seconds since the epoch; fails the test on any other form. */
time_t it_iso_time(const char *s);

/*
 * --- package lists from short specs (it_http.c) ---
 * A spec is a space-separated list of "name=version[>upgrade][@source][!type]": installed
 * and uninstalled entries use name=version[@source], upgradable entries
 * name=from>to[@source][!type] (no "!": no "type" key; "!" alone: type ""). The source
 * defaults to the name. Expected states use the same form, "!" naming the upgrade type.
 */
#define IT_TOK_LEN 512
struct it_tok {
	char name[IT_TOK_LEN];
	char version[IT_TOK_LEN];
	char upgrade[IT_TOK_LEN];
	char source[IT_TOK_LEN];
	char type[IT_TOK_LEN];
	int has_upgrade, has_type;
};
/* Reads the next entry of spec into t; the rest of the spec, or NULL at its end. */
const char *it_next_tok(const char *spec, struct it_tok *t);
/* The payload list of a spec: installed/uninstalled entries, or upgradable ones. */
json_t *it_spec_list(const char *spec, int upgradable);
/* The "packages" of a host or image answer by name (a new object of borrowed entries). */
json_t *it_packages_by_name(const json_t *subject);
/* The "packages" of a host or image answer are exactly those of spec, upgrades included. */
void it_assert_packages(const json_t *subject, const char *what, const char *spec);

/* --- requests at the same time (it_http.c) --- */
#define IT_JOBS_MAX 16
struct it_job {
	char url[1024];
	char *body; /* NULL: none */
	const char *method;
	struct it_tls tls;
	pthread_barrier_t *start;
	long status; /* the HTTP status, or minus the curl error */
	char answer[256];
};
/* Runs the jobs at once (at most IT_JOBS_MAX); each must answer one of the two statuses. */
void it_run_jobs(struct it_job *jobs, size_t n, long ok1, long ok2);

/*
 * The instance's database, read directly as root over DM_MYSQL_SOCKET (it_db.c). Every
 * function fails the test on a database error.
 */
/* A connection of the test's own, as root (close it with mysql_close). */
MYSQL *it_db_open(void);
/* Runs one statement that returns no rows. */
void it_db_exec(const char *sql);
/* The first column of the first row, malloc'd; NULL when there is no row or it is NULL. */
char *it_db_value(const char *sql);
/* The first column of the first row as a number. */
long long it_db_count(const char *sql);
/*
 * All data tables (os, kernel_version, package, source_package, source_package_version,
 * package_version, host, host_package, image, image_package, kubernetes_image), every
 * column, in primary key order, as text: equal snapshots mean nothing changed. malloc'd.
 */
char *it_db_snapshot(void);
/* Fails the test, naming the first differing line, unless the snapshots are equal. */
void it_db_assert_unchanged(const char *before, const char *after, const char *what);
/*
 * A request that must change nothing: it answered status, and the database is as in the
 * snapshot taken before it.
 */
void it_assert_rejected(const char *what, const char *before, const struct it_response *r,
                        long status);

/*
 * Stops the instance's MariaDB with sig (SIGTERM: a clean shutdown; SIGKILL: a crash) and
 * waits until it is gone, keeping its command line; it_db_start runs that again and waits
 * until it answers.
 */
void it_db_stop(int sig);
void it_db_start(void);
/* The process id a pid file (mysqld.pid, httpd.pid) holds; a missing or bad one fails. */
pid_t it_pid_file(const char *path);
/* The instance's MariaDB (DM_STATE/mysqld.pid). */
pid_t it_db_pid(void);

Suite *make_it_auth_suite(void);
Suite *make_it_errors_suite(void);
Suite *make_it_hosts_suite(void);
Suite *make_it_images_suite(void);
Suite *make_it_pages_suite(void);
Suite *make_it_vulns_suite(void);
Suite *make_it_lists_suite(void);
Suite *make_it_lists_more_suite(void);
Suite *make_it_lists_packages_suite(void);
Suite *make_it_client_suite(void);
Suite *make_it_migrate_suite(void);
Suite *make_it_client_apt_suite(void);
Suite *make_it_gc_suite(void);
Suite *make_it_cve_suite(void);
Suite *make_it_metrics_suite(void);
Suite *make_it_faults_suite(void);
Suite *make_it_replica_suite(void);
Suite *make_it_galera_suite(void);
/* Run instead of the others when the instance has DM_LOGIN=ldap (./quickstart test does). */
Suite *make_it_login_suite(void);

#endif
