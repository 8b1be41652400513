/* it_gc.c: debmonitor-gc on the real database: each kind of orphan, ages, dry run, races. */
#include "integration.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "core/buf.h"
#include "db/lock.h"
#include "gc/gc.h"

/* Runs debmonitor-gc with args; its exit code, output (stdout and stderr) in *out. */
static int
gc(const char *args, char **out)
{
	return it_tool("DM_GC", NULL, args, out);
}

static void
gc_ok(const char *args)
{
	char *out;
	int rc = gc(args, &out);

	ck_assert_msg(rc == 0, "debmonitor-gc %s: %d %s", args, rc, out);
	free(out);
}

static long
post(const char *host, const char *kernel, const char *spec)
{
	return it_post_full(host, kernel, spec, NULL, 0);
}

/* The count the query prefix gives for a quoted name (names here are plain ASCII). */
static long long
count(const char *prefix, const char *name)
{
	struct dm_buf sql;
	long long n;

	dm_buf_init(&sql, 4096);
	ck_assert_int_eq(dm_buf_printf(&sql, "%s'%s'", prefix, name), 0);
	n = it_db_count(sql.data);
	dm_buf_free(&sql);
	return n;
}

/* The per-package counts the pages show still add up to the rows they count. */
static void
assert_stats_exact(void)
{
	ck_assert_int_eq(
	    it_db_count("SELECT COUNT(*) FROM package p"
	                " LEFT JOIN (SELECT package_id, SUM(hosts) h FROM package_stats"
	                " GROUP BY package_id) s ON s.package_id = p.id"
	                " LEFT JOIN (SELECT package_id, COUNT(*) h FROM host_package"
	                " GROUP BY package_id) t ON t.package_id = p.id"
	                " WHERE COALESCE(s.h, 0) <> COALESCE(t.h, 0)"),
	    0);
}

START_TEST(test_gc_usage)
{
	char *out;

	ck_assert_int_eq(gc("--hosts-older-than 5x", &out), 64);
	ck_assert_ptr_nonnull(strstr(out, "'5x'"));
	free(out);
	ck_assert_int_eq(gc("--images-older-than -1d", &out), 64);
	free(out);
	ck_assert_int_eq(gc("--config /nonexistent/config.json", &out), 78);
	ck_assert_ptr_nonnull(strstr(out, "/nonexistent/config.json"));
	free(out);
	it_config_replace("{\"MYSQL\": {\"DB_SOCKET\": \"/nonexistent/mysqld.sock\"}}\n");
	ck_assert_int_eq(gc("", &out), 69);
	it_config_restore();
	ck_assert_ptr_nonnull(strstr(out, "database unavailable"));
	free(out);
}
END_TEST

/*
 * One run at a time: while another connection holds the gc lock, a run removes nothing and
 * says so (exit 75); a dry run, which writes nothing, needs no lock; released, a run goes.
 */
START_TEST(test_gc_one_at_a_time)
{
	MYSQL *holder = it_db_open();
	char err[256], *out;
	int rc;

	ck_assert_int_eq(post("gc-lock.example.org", "gc-kernel-a", "gc-lock=1.0"), 201);
	/* Older than anything the other suites leave: only this host is stale for the runs. */
	it_db_exec("UPDATE host SET modified = modified - INTERVAL 3650 DAY"
	           " WHERE name = 'gc-lock.example.org'");
	ck_assert_int_eq(dm_lock_take(holder, DM_GC_LOCK, 0, err, sizeof(err)), 0);
	rc = gc("--hosts-older-than 3649d --images-older-than 0", &out);
	ck_assert_msg(rc == 75 && strstr(out, "another debmonitor-gc is running") != NULL,
	              "gc with the lock held: %d %s", rc, out);
	free(out);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM host WHERE name = ", "gc-lock.example.org"),
	                 1);
	gc_ok("--dry-run --hosts-older-than 3649d --images-older-than 0");
	ck_assert_int_eq(dm_lock_release(holder, DM_GC_LOCK, err, sizeof(err)), 0);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM job_lock"), 0);
	gc_ok("--hosts-older-than 3649d --images-older-than 0");
	ck_assert_int_eq(count("SELECT COUNT(*) FROM host WHERE name = ", "gc-lock.example.org"),
	                 0);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM job_lock"), 0);
	mysql_close(holder);
}
END_TEST

/* A version nothing uses any more goes, with its source version; the one in use stays. */
START_TEST(test_gc_orphan_versions)
{
	ck_assert_int_eq(post("gc-a.example.org", "gc-kernel-a", "gc-only-a=1.0@gc-src-a"), 201);
	ck_assert_int_eq(post("gc-a.example.org", "gc-kernel-a", "gc-only-a=2.0@gc-src-a"), 201);
	gc_ok("--hosts-older-than 0 --images-older-than 0");
	ck_assert_int_eq(count("SELECT COUNT(*) FROM package_version pv JOIN package p"
	                       " ON p.id = pv.package_id WHERE p.name = ",
	                       "gc-only-a"),
	                 1);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM source_package_version v JOIN source_package"
	                       " s ON s.id = v.source_package_id WHERE s.name = ",
	                       "gc-src-a"),
	                 1);
	assert_stats_exact();
}
END_TEST

/*
 * More orphans than one select and one delete of debmonitor-gc take, over more ids than
 * one of its windows, around a version still in use: every orphan goes, that one stays.
 */
START_TEST(test_gc_orphans_many_windows)
{
	char *out;

	gc_ok(""); /* the orphans other tests left: the count below is this test's */
	ck_assert_int_eq(
	    post("gc-window.example.org", "gc-kernel-w", "gc-window-pkg=0.1@gc-window-src"), 201);
	it_db_exec("INSERT INTO package_version (package_id, os_id, version,"
	           " source_package_version_id, source_package_id) SELECT pv.package_id, pv.os_id,"
	           " CONCAT('w-', LPAD(s.seq, 5, '0')), pv.source_package_version_id,"
	           " pv.source_package_id"
	           " FROM package_version pv JOIN package p ON p.id = pv.package_id"
	           " JOIN seq_1_to_25000 s WHERE p.name = 'gc-window-pkg' ORDER BY s.seq");
	ck_assert_int_eq(
	    post("gc-window.example.org", "gc-kernel-w", "gc-window-pkg=w-12345@gc-window-src"),
	    201);
	ck_assert_int_eq(gc("", &out), 0);
	ck_assert_msg(strstr(out, "package versions: removed 25000\n") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package_version pv JOIN package p"
	                             " ON p.id = pv.package_id WHERE p.name = 'gc-window-pkg'"
	                             " AND pv.version = 'w-12345'"),
	                 1);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM package_version pv JOIN package p"
	                       " ON p.id = pv.package_id WHERE p.name = ",
	                       "gc-window-pkg"),
	                 1);
	assert_stats_exact();
	it_forget("hosts", "gc-window.example.org");
	gc_ok(""); /* and what only that host used: the next tests count what they make */
}
END_TEST

/* A host not updated for 15 days goes (dry run first: nothing changes), then what only it used. */
START_TEST(test_gc_stale_host)
{
	char *out, *before, *after;

	ck_assert_int_eq(post("gc-old.example.org", "gc-kernel-old", "gc-old-pkg=1.0@gc-old-src"),
	                 201);
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 20 DAY"
	           " WHERE name = 'gc-old.example.org'");
	before = it_db_snapshot();
	ck_assert_int_eq(gc("--dry-run", &out), 0);
	after = it_db_snapshot();
	it_db_assert_unchanged(before, after, "debmonitor-gc --dry-run");
	ck_assert_msg(strstr(out, "hosts: would remove 1\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "kernels: would remove 1\n") != NULL, "%s", out);
	free(out);
	free(before);
	free(after);
	gc_ok("");
	ck_assert_int_eq(count("SELECT COUNT(*) FROM host WHERE name = ", "gc-old.example.org"), 0);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM package WHERE name = ", "gc-old-pkg"), 0);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM source_package WHERE name = ", "gc-old-src"),
	                 0);
	ck_assert_int_eq(
	    count("SELECT COUNT(*) FROM kernel_version WHERE name = ", "gc-kernel-old"), 0);
	assert_stats_exact();
}
END_TEST

/* What each line of debmonitor-gc's report says; "would remove" read as "removed". */
static void
report_lines(const char *out, char *buf, size_t len)
{
	const char *p;
	size_t n = 0;

	for (p = out; *p && n + 1 < len; p++) {
		if (strncmp(p, "would remove", 12) == 0) {
			n += (size_t)snprintf(buf + n, len - n, "removed");
			p += 11;
			continue;
		}
		buf[n++] = *p;
	}
	buf[n] = '\0';
}

/*
 * A dry run only reads: it says exactly what the run then removes, of every kind, and
 * does not wait on an update's locks (a transaction holding the stale host's row and a
 * package's counters), so it never holds up the ingest behind it either.
 */
START_TEST(test_gc_dry_run_reads_only)
{
	char dry[1024], real[1024], *out;
	MYSQL *holder;
	time_t t0;
	int rc;

	gc_ok(""); /* what other tests left: the counts below are this test's */
	ck_assert_int_eq(post("gc-dry-old1.example.org", "gc-dry-k1",
	                      "gc-dry-own1=1@gc-dry-src gc-dry-shared=1"),
	                 201);
	ck_assert_int_eq(post("gc-dry-old2.example.org", "gc-dry-k1",
	                      "gc-dry-own2=1@gc-dry-src gc-dry-shared=2"),
	                 201);
	ck_assert_int_eq(post("gc-dry-new.example.org", "gc-dry-k2", "gc-dry-shared=1"), 201);
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 20 DAY"
	           " WHERE name LIKE 'gc-dry-old%'");
	holder = it_db_open();
	ck_assert_int_eq(mysql_query(holder, "START TRANSACTION"), 0);
	ck_assert_msg(mysql_query(holder, "UPDATE host SET modified = modified"
	                                  " WHERE name = 'gc-dry-old1.example.org'") == 0 &&
	                  mysql_query(holder, "UPDATE package_stats s JOIN package p"
	                                      " ON p.id = s.package_id SET s.hosts = s.hosts"
	                                      " WHERE p.name = 'gc-dry-shared'") == 0,
	              "%s", mysql_error(holder));
	t0 = time(NULL);
	rc = gc("--dry-run", &out);
	ck_assert_msg(rc == 0 && time(NULL) - t0 <= 5, "dry run: exit %d after %lld s: %s", rc,
	              (long long)(time(NULL) - t0), out);
	mysql_rollback(holder);
	mysql_close(holder);
	ck_assert_msg(strstr(out, "hosts: would remove 2\n") != NULL &&
	                  strstr(out, "package versions: would remove 3\n") != NULL &&
	                  strstr(out, "packages: would remove 2\n") != NULL &&
	                  strstr(out, "source package versions: would remove 2\n") != NULL &&
	                  strstr(out, "source packages: would remove 1\n") != NULL &&
	                  strstr(out, "kernels: would remove 1\n") != NULL,
	              "%s", out);
	report_lines(out, dry, sizeof(dry));
	free(out);
	ck_assert_int_eq(gc("", &out), 0);
	report_lines(out, real, sizeof(real));
	free(out);
	ck_assert_str_eq(dry, real);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM host WHERE name = ", "gc-dry-new.example.org"),
	                 1);
	assert_stats_exact();
	it_forget("hosts", "gc-dry-new.example.org");
}
END_TEST

/*
 * A dry run when most hosts would go (it then gathers what the others keep, rather than
 * proving version by version that only stale hosts use it) counts what the real run
 * removes. The test makes its own stale hosts more than all the others.
 */
START_TEST(test_gc_dry_run_mostly_stale)
{
	char host[64], spec[256], dry[1024], real[1024], want[64], *out;
	long long n, i;

	gc_ok("");
	n = it_db_count("SELECT (SELECT COUNT(*) FROM host) + (SELECT COUNT(*) FROM image)") + 10;
	for (i = 0; i < n; i++) {
		snprintf(host, sizeof(host), "gc-most-%04lld.example.org", i);
		snprintf(spec, sizeof(spec),
		         "gc-most-shared=1.%lld@gc-most-src gc-most-own-%04lld=1.0@gc-most-src",
		         i % 4, i);
		ck_assert_int_eq(post(host, i % 2 ? "gc-most-k1" : "gc-most-k2", spec), 201);
	}
	for (i = 0; i < 3; i++) {
		snprintf(host, sizeof(host), "gc-most-keep-%lld.example.org", i);
		snprintf(spec, sizeof(spec), "gc-most-shared=1.%lld@gc-most-src gc-most-kept=1", i);
		ck_assert_int_eq(post(host, "gc-most-k1", spec), 201);
	}
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 20 DAY"
	           " WHERE name LIKE 'gc-most-0%'");
	ck_assert_int_eq(gc("--dry-run", &out), 0);
	snprintf(want, sizeof(want), "hosts: would remove %lld\n", n);
	ck_assert_msg(strstr(out, want) != NULL &&
	                  strstr(out, "package versions: would remove 0\n") == NULL,
	              "want \"%s\" and package versions in %s", want, out);
	report_lines(out, dry, sizeof(dry));
	free(out);
	ck_assert_int_eq(gc("", &out), 0);
	report_lines(out, real, sizeof(real));
	free(out);
	ck_assert_str_eq(dry, real);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM package p JOIN package_version v"
	                             " ON v.package_id = p.id WHERE p.name = 'gc-most-shared'"),
	                 3);
	assert_stats_exact();
	for (i = 0; i < 3; i++) {
		snprintf(host, sizeof(host), "gc-most-keep-%lld.example.org", i);
		it_forget("hosts", host);
	}
}
END_TEST

/* A failure says what failed: the database's own message, not an empty one. */
START_TEST(test_gc_error_said)
{
	char *out;
	int rc;

	ck_assert_int_eq(post("gc-err.example.org", "gc-err-k", "gc-err-pkg=1"), 201);
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 20 DAY"
	           " WHERE name = 'gc-err.example.org'");
	it_db_exec("RENAME TABLE package_stats TO package_stats_away");
	rc = gc("", &out);
	it_db_exec("RENAME TABLE package_stats_away TO package_stats");
	ck_assert_msg(rc == 70 && strstr(out, "package_stats") != NULL, "exit %d: %s", rc, out);
	free(out);
	gc_ok("");
	ck_assert_int_eq(count("SELECT COUNT(*) FROM host WHERE name = ", "gc-err.example.org"), 0);
	assert_stats_exact();
}
END_TEST

/*
 * More stale hosts than one query and one transaction of debmonitor-gc take, with hosts
 * updated recently between them: the stale ones go, the others keep everything.
 */
START_TEST(test_gc_many_stale_hosts)
{
	char host[64], spec[256], want[64], *out;
	long long stale;
	int i;

	for (i = 0; i < 120; i++) {
		snprintf(host, sizeof(host), "gc-many-%03d.example.org", i);
		snprintf(spec, sizeof(spec), "gc-many-shared=1.%d gc-many-own-%03d=1.0", i % 3, i);
		ck_assert_int_eq(post(host, "gc-many-kernel", spec), 201);
	}
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 20 DAY"
	           " WHERE name LIKE 'gc-many-%' AND name NOT LIKE 'gc-many-%5.example.org'");
	stale = it_db_count("SELECT COUNT(*) FROM host"
	                    " WHERE modified < UTC_TIMESTAMP() - INTERVAL 15 DAY");
	ck_assert_int_ge(stale, 108);
	ck_assert_int_eq(gc("", &out), 0);
	snprintf(want, sizeof(want), "hosts: removed %lld\n", stale);
	ck_assert_msg(strstr(out, want) != NULL, "want \"%s\" in %s", want, out);
	free(out);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM host WHERE name LIKE 'gc-many-%'"), 12);
	ck_assert_int_eq(
	    it_db_count("SELECT COUNT(*) FROM package WHERE name LIKE 'gc-many-own-%'"), 12);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM host_package e JOIN host h"
	                             " ON h.id = e.host_id WHERE h.name LIKE 'gc-many-%'"),
	                 24);
	assert_stats_exact();
	for (i = 5; i < 120; i += 10) {
		snprintf(host, sizeof(host), "gc-many-%03d.example.org", i);
		it_forget("hosts", host);
	}
	assert_stats_exact();
}
END_TEST

static long
post_image(const char *image, const char *spec)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:o}", "update_type", "full", "image_name", image,
	                      "os", "Debian 12", "installed", it_spec_list(spec, 0));
	char *body = it_dump(p), path[512];
	struct it_request req = {.method = "POST", .body = body};
	struct it_response r;
	long status;

	req.body_len = strlen(body);
	snprintf(path, sizeof(path), "/images/%s/update", image);
	it_do(it_https(path), &req, &r);
	status = r.status;
	it_response_free(&r);
	free(body);
	return status;
}

/* Old images go, unless a Kubernetes cluster runs them. */
START_TEST(test_gc_images_kubernetes)
{
	const char *kube =
	    "{\"cluster\": \"gc-cluster\", \"images\": {\"reg.example.org/gc/run:1\":"
	    " {\"ns\": 2}}}";
	struct it_request req = {.method = "POST", .body = kube, .body_len = strlen(kube)};
	struct it_response r;

	ck_assert_int_eq(post_image("reg.example.org/gc/run:1", "gc-img-run=1"), 201);
	ck_assert_int_eq(post_image("reg.example.org/gc/old:1", "gc-img-old=1"), 201);
	it_do(it_https("/kubernetes/update"), &req, &r);
	ck_assert_int_eq(r.status, 201);
	it_response_free(&r);
	it_db_exec("UPDATE image SET modified = UTC_TIMESTAMP() - INTERVAL 100 DAY"
	           " WHERE name LIKE 'reg.example.org/gc/%'");
	gc_ok("--hosts-older-than 0");
	ck_assert_int_eq(
	    count("SELECT COUNT(*) FROM image WHERE name = ", "reg.example.org/gc/run:1"), 1);
	ck_assert_int_eq(
	    count("SELECT COUNT(*) FROM image WHERE name = ", "reg.example.org/gc/old:1"), 0);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM package WHERE name = ", "gc-img-old"), 0);
	ck_assert_int_eq(count("SELECT COUNT(*) FROM package WHERE name = ", "gc-img-run"), 1);
}
END_TEST

/* --- updates and gc at the same time ---------------------------------------------------- */

#define RACE_HOSTS 4

struct racer {
	char host[64];
	int stop;
	int last;      /* the variant last answered 201 */
	long posts;    /* how many answered */
	long bad;      /* answers other than 201 */
	char why[512]; /* the last of those */
};

/* Variant v of a host's report: its own package and one every racer shares, at version v. */
static void
race_spec(const struct racer *r, int v, char *spec, size_t len)
{
	snprintf(spec, len, "gc-race-shared=%d.0 gc-race-own-%c=%d.0", v, r->host[8], v);
}

static void *
race(void *arg)
{
	struct racer *r = arg;
	char spec[256];
	int v;

	for (v = 1; !__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST); v = 3 - v) {
		race_spec(r, v, spec, sizeof(spec));
		if (it_post_full(r->host, "gc-race-kernel", spec, r->why, sizeof(r->why)) == 201)
			r->last = v;
		else
			r->bad++;
		r->posts++;
	}
	return NULL;
}

/*
 * Versions become orphans and are used again while gc runs: no update fails, and every
 * host ends with exactly what it last sent.
 */
START_TEST(test_gc_races_updates)
{
	struct racer racers[RACE_HOSTS];
	pthread_t t[RACE_HOSTS];
	char spec[256];
	time_t end = time(NULL) + 6;
	int i, runs = 0;

	for (i = 0; i < RACE_HOSTS; i++) {
		memset(&racers[i], 0, sizeof(racers[i]));
		snprintf(racers[i].host, sizeof(racers[i].host), "gc-race-%c.example.org", 'a' + i);
		ck_assert_int_eq(pthread_create(&t[i], NULL, race, &racers[i]), 0);
	}
	/* At least three collections, however long the first (the earlier suites' orphans) takes.
	 */
	for (runs = 0; runs < 3 || time(NULL) < end; runs++)
		gc_ok("--hosts-older-than 0 --images-older-than 0");
	for (i = 0; i < RACE_HOSTS; i++) {
		__atomic_store_n(&racers[i].stop, 1, __ATOMIC_SEQ_CST);
		pthread_join(t[i], NULL);
	}
	for (i = 0; i < RACE_HOSTS; i++) {
		struct it_request req = {.accept = "application/json"};
		struct it_response r;
		char path[96];
		json_t *host;

		ck_assert_msg(racers[i].bad == 0 && racers[i].posts > 2,
		              "%s: %ld of %ld failed: %s", racers[i].host, racers[i].bad,
		              racers[i].posts, racers[i].why);
		snprintf(path, sizeof(path), "/hosts/%.63s", racers[i].host);
		it_do(it_http(path), &req, &r);
		ck_assert_ptr_nonnull(host = json_loads(r.body, 0, NULL));
		race_spec(&racers[i], racers[i].last, spec, sizeof(spec));
		it_assert_packages(host, racers[i].host, spec);
		json_decref(host);
		it_response_free(&r);
	}
	assert_stats_exact();
}
END_TEST

Suite *
make_it_gc_suite(void)
{
	Suite *s = suite_create("integration: gc");
	TCase *tc = tcase_create("gc");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, it_config_restore, NULL);
	tcase_add_test(tc, test_gc_usage);
	tcase_add_test(tc, test_gc_one_at_a_time);
	tcase_add_test(tc, test_gc_orphan_versions);
	tcase_add_test(tc, test_gc_orphans_many_windows);
	tcase_add_test(tc, test_gc_stale_host);
	tcase_add_test(tc, test_gc_dry_run_reads_only);
	tcase_add_test(tc, test_gc_dry_run_mostly_stale);
	tcase_add_test(tc, test_gc_error_said);
	tcase_add_test(tc, test_gc_many_stale_hosts);
	tcase_add_test(tc, test_gc_images_kubernetes);
	tcase_add_test(tc, test_gc_races_updates);
	suite_add_tcase(s, tc);
	return s;
}
