/* integration.h: helpers for tests that drive the real Apache, CGIs and MariaDB. */
#ifndef DM_INTEGRATION_H
#define DM_INTEGRATION_H

#include <check.h>
#include <curl/curl.h>
#include <stddef.h>

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
/* Replaces the server's config.json with text / puts the original back. */
void it_config_replace(const char *text);
void it_config_restore(void);

/*
 * The instance's database, read directly as root over DM_MYSQL_SOCKET (it_db.c). Every
 * function fails the test on a database error.
 */
/* Runs one statement that returns no rows. */
void it_db_exec(const char *sql);
/* The first column of the first row, malloc'd; NULL when there is no row or it is NULL. */
char *it_db_value(const char *sql);
/* The first column of the first row as a number. */
long long it_db_count(const char *sql);
/*
 * All data tables (os, kernel_version, package, source_package, source_package_version,
 * package_version, host, host_package), every column, in primary key order, as text:
 * equal snapshots mean nothing changed. malloc'd.
 */
char *it_db_snapshot(void);
/* Fails the test, naming the first differing line, unless the snapshots are equal. */
void it_db_assert_unchanged(const char *before, const char *after, const char *what);

Suite *make_it_auth_suite(void);
Suite *make_it_errors_suite(void);
Suite *make_it_hosts_suite(void);

#endif
