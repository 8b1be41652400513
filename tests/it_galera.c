/*
 * it_galera.c: DebMonitor on a three-node Galera cluster behind two front ends
 * (DM_TOPOLOGY=galera): updates through either, the same rows on every node, conflicts
 * between nodes never seen by a client, gc and the import one node at a time, and a node
 * killed or a front end stopped while updates arrive.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/lock.h"
#include "gc/gc.h"
#include "integration.h"

#define NODES 3
#define WAVE 12
/* How long a restarted node may take to catch up on this machine, in tenths of a second. */
#define CATCH_UP 600

static const char *const frontends[2] = {"DM_HTTPS_URL", "DM_HTTPS_URL2"};

/* The second front end's pages vhost + path (as it_http for the first). Static buffer. */
static const char *
http2(const char *path)
{
	static char url[4096];

	snprintf(url, sizeof(url), "%s%s", it_env("DM_HTTP_URL2"), path);
	return url;
}

/*
 * Node i's socket (0-based), from DM_NODE_SOCKETS, into sock. Threads connect at once: a
 * buffer they shared was seen half rewritten (a path beginning with NUL, an abstract
 * socket nobody listens on) by a connect in progress.
 */
static const char *
node_socket(int i, char *sock, size_t len)
{
	const char *s = it_env("DM_NODE_SOCKETS"), *e;

	while (i-- > 0 && (s = strchr(s, ' ')) != NULL)
		s++;
	ck_assert_ptr_nonnull(s);
	e = strchr(s, ' ');
	snprintf(sock, len, "%.*s", (int)(e ? (size_t)(e - s) : strlen(s)), s);
	return sock;
}

/* A root connection to node i, or NULL when it does not answer (why in err, if given). */
static MYSQL *
node_connect(int i, char *err, size_t errlen)
{
	MYSQL *db = mysql_init(NULL);
	unsigned int timeout = 5;
	char sock[1024];

	ck_assert_ptr_nonnull(db);
	mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (mysql_real_connect(db, NULL, "root", NULL, it_env("DM_DB_NAME"), 0,
	                       node_socket(i, sock, sizeof(sock)), 0) == NULL) {
		if (err != NULL)
			snprintf(err, errlen, "node %d: %s", i + 1, mysql_error(db));
		mysql_close(db);
		return NULL;
	}
	return db;
}

static MYSQL *
node_open(int i)
{
	return node_connect(i, NULL, 0);
}

/* What node i says of itself: a status variable's value, or "" when it does not answer. */
static void
node_status(int i, const char *name, char *out, size_t len)
{
	MYSQL *db = node_open(i);
	MYSQL_RES *res;
	MYSQL_ROW row;
	char sql[256];

	out[0] = '\0';
	if (db == NULL)
		return;
	snprintf(sql, sizeof(sql), "SHOW STATUS LIKE '%s'", name);
	if (mysql_query(db, sql) == 0 && (res = mysql_store_result(db)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[1] != NULL)
			snprintf(out, len, "%s", row[1]);
		mysql_free_result(res);
	}
	mysql_close(db);
}

static int
node_synced(int i)
{
	char state[64];

	node_status(i, "wsrep_local_state_comment", state, sizeof(state));
	return strcmp(state, "Synced") == 0;
}

/* Node i's data tables (it_db_snapshot), read with wsrep_sync_wait: it has every write. */
static char *
node_snapshot(int i)
{
	char *saved = strdup(it_env("DM_MYSQL_SOCKET")), *snap, sock[1024];

	ck_assert_ptr_nonnull(saved);
	setenv("DM_MYSQL_SOCKET", node_socket(i, sock, sizeof(sock)), 1);
	snap = it_db_snapshot();
	setenv("DM_MYSQL_SOCKET", saved, 1);
	free(saved);
	return snap;
}

/* Every node holds the same rows as node 0. */
static void
assert_nodes_agree(const char *what)
{
	char *first = node_snapshot(0), *other, label[256];
	int i;

	for (i = 1; i < NODES; i++) {
		other = node_snapshot(i);
		snprintf(label, sizeof(label), "%s: node %d against node 1", what, i + 1);
		it_db_assert_unchanged(first, other, label);
		free(other);
	}
	free(first);
}

static void
quickstart(const char *args)
{
	it_sh("DM_STATE_DIR='%s' '%s/quickstart' %s", it_env("DM_STATE"), it_env("DM_TEST_SOURCE"),
	      args);
}

/* The wave's host k and the spec of its report in round r. */
static void
wave_host(int k, char *name, size_t len)
{
	snprintf(name, len, "gal-%02d.example.org", k);
}

static void
wave_spec(int r, char *spec, size_t len)
{
	snprintf(spec, len, "gal-libc=2.36-%d gal-openssl=3.0.%d-1@gal-ssl gal-k%d=1.0", r, r, r);
}

static void
setup(void)
{
	it_forget_like("hosts", "gal-%");
}

/* Three nodes in one cluster; what one front end writes, the other shows at once. */
START_TEST(test_cluster)
{
	char size[32], why[512];
	json_t *h;
	int i;

	for (i = 0; i < NODES; i++) {
		ck_assert_msg(node_synced(i), "node %d is not synced", i + 1);
		node_status(i, "wsrep_cluster_size", size, sizeof(size));
		ck_assert_msg(strcmp(size, "3") == 0, "node %d sees a cluster of %s", i + 1, size);
	}
	ck_assert_int_eq(it_post_full_to("DM_HTTPS_URL", "gal-a.example.org", "6.1.0-gal",
	                                 "gal-libc=2.36-1", why, sizeof(why)),
	                 201);
	/* The second front end reads node 2: wsrep_sync_wait makes it see node 1's commit. */
	h = it_get_subject(http2, "hosts", "gal-a.example.org");
	ck_assert_msg(h != NULL, "the second front end does not show what the first wrote");
	it_assert_packages(h, "gal-a through front end 2", "gal-libc=2.36-1");
	json_decref(h);
	ck_assert_int_eq(it_post_full_to("DM_HTTPS_URL2", "gal-a.example.org", "6.1.0-gal",
	                                 "gal-libc=2.36-2", why, sizeof(why)),
	                 201);
	h = it_get_subject(it_http, "hosts", "gal-a.example.org");
	ck_assert_ptr_nonnull(h);
	it_assert_packages(h, "gal-a through front end 1", "gal-libc=2.36-2");
	json_decref(h);
	assert_nodes_agree("after two updates");
}
END_TEST

/*
 * A wave: hosts upgrading the same packages at once, half through each front end, so that
 * both nodes create the same new versions and add to the same counters. Galera's
 * certification conflicts are retried in the server: every answer is 201.
 */
START_TEST(test_wave)
{
	struct it_job jobs[WAVE];
	char spec[256], name[64], body[4096];
	json_t *p, *h;
	int r, k;
	char *s;

	for (r = 1; r <= 3; r++) {
		wave_spec(r, spec, sizeof(spec));
		for (k = 0; k < WAVE; k++) {
			wave_host(k, name, sizeof(name));
			memset(&jobs[k], 0, sizeof(jobs[k]));
			p = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "api_version",
			              "v1", "update_type", "full", "hostname", name, "os",
			              "Debian 12", "running_kernel", "release", "6.1", "version",
			              "6.1.0-gal", "installed", it_spec_list(spec, 0));
			s = it_dump(p);
			snprintf(body, sizeof(body), "%s", s);
			free(s);
			jobs[k].body = strdup(body);
			jobs[k].method = "POST";
			jobs[k].tls = it_cert("proxy-hosts.example.org");
			snprintf(jobs[k].url, sizeof(jobs[k].url), "%s/hosts/%s/update",
			         it_env(frontends[k % 2]), name);
		}
		it_run_jobs(jobs, WAVE, 201, 201);
		for (k = 0; k < WAVE; k++)
			free(jobs[k].body);
	}
	for (k = 0; k < WAVE; k++) {
		wave_host(k, name, sizeof(name));
		h = it_get_subject(it_http, "hosts", name);
		ck_assert_ptr_nonnull(h);
		it_assert_packages(h, name, spec);
		json_decref(h);
	}
	ck_assert_int_eq(it_db_count("SELECT SUM(hosts) FROM package_stats s JOIN package p"
	                             " ON p.id = s.package_id WHERE p.name = 'gal-libc'"),
	                 WAVE);
	assert_nodes_agree("after the wave");
}
END_TEST

/*
 * Each node adds to package counts in slots of its own: updates through two nodes at once
 * never write the same package_stats row, so they never fail each other's certification
 * on a count, however many packages they share.
 */
START_TEST(test_stats_slots_per_node)
{
	char name[64], spec[128], sql[1024], why[512];
	int k, node, run = (int)getpid();

	for (k = 0; k < IT_JOBS_MAX; k++) {
		/* Packages new to this run: through node 1 gals-a..., through node 2 gals-b.... */
		node = k % 2;
		snprintf(name, sizeof(name), "gal-s%02d.example.org", k);
		snprintf(spec, sizeof(spec), "gals-%c%d=1.0 gals-%c%d-2=1.0", "ab"[node], run,
		         "ab"[node], run);
		ck_assert_msg(it_post_full_to(frontends[node], name, "6.1.0-gal", spec, why,
		                              sizeof(why)) == 201,
		              "%s: %s", name, why);
	}
	snprintf(sql, sizeof(sql),
	         "SELECT SUM(hosts) FROM package_stats s JOIN package p ON p.id = s.package_id"
	         " WHERE p.name = 'gals-a%d'",
	         run);
	ck_assert_int_eq(it_db_count(sql), IT_JOBS_MAX / 2);
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM package_stats a JOIN package pa ON pa.id = a.package_id"
	         " JOIN package_stats b ON b.slot = a.slot JOIN package pb ON pb.id = b.package_id"
	         " WHERE pa.name LIKE 'gals-a%d%%' AND pb.name LIKE 'gals-b%d%%'",
	         run, run);
	ck_assert_msg(it_db_count(sql) == 0, "updates through two nodes added to the same slots");
}
END_TEST

/* The heavy wave: writers (a host each), the packages each reports, and its reports. */
#define HEAVY_WRITERS 16
#define HEAVY_PACKAGES 1500
#define HEAVY_ROUNDS 6
/* Each report drops the first HEAVY_SHIFT packages of the last and adds as many. */
#define HEAVY_SHIFT 500

/*
 * The installed packages of a full report in round r, as it_spec_list reads them:
 * HEAVY_PACKAGES packages, from galh-(r * HEAVY_SHIFT) on, every one at a version new in
 * round r.
 */
static void
heavy_spec(int r, char *spec, size_t len)
{
	size_t at = 0;
	int i;

	spec[0] = '\0';
	for (i = r * HEAVY_SHIFT; i < r * HEAVY_SHIFT + HEAVY_PACKAGES && at < len; i++)
		at += (size_t)snprintf(spec + at, len - at, "%sgalh-%04d=1.%d-%d", at ? " " : "", i,
		                       i, r);
}

struct heavy_writer {
	int k;
	pthread_barrier_t *start;
	long status[HEAVY_ROUNDS]; /* the HTTP status, 0 when none came */
	char answer[256];          /* the first answer not 201 */
};

/* One writer: its host's reports, one after another, through front end k % 2. */
static void *
heavy_write(void *arg)
{
	struct heavy_writer *w = arg;
	char name[64], spec[HEAVY_PACKAGES * 24], why[256];
	int r;

	snprintf(name, sizeof(name), "gal-h%02d.example.org", w->k);
	pthread_barrier_wait(w->start);
	for (r = 0; r < HEAVY_ROUNDS; r++) {
		heavy_spec(r + 1, spec, sizeof(spec));
		w->status[r] =
		    it_post_full_to(frontends[w->k % 2], name, "6.1.0-gal", spec, why, sizeof(why));
		if (w->status[r] != 201 && w->answer[0] == '\0')
			snprintf(w->answer, sizeof(w->answer), "%s", why);
	}
	return NULL;
}

/*
 * The heavy wave: writers replacing all their host's rows with versions new to the
 * cluster, one report after another, through both front ends at once, as a fleet's
 * reports after an upgrade do. Each transaction is long and adds to the same package
 * counts as every other, on both nodes: none of it may reach a client as a conflict.
 */
START_TEST(test_heavy_wave)
{
	struct heavy_writer w[HEAVY_WRITERS];
	pthread_t th[HEAVY_WRITERS];
	pthread_barrier_t start;
	char sql[256];
	int k, r, bad = 0;

	ck_assert_int_eq(pthread_barrier_init(&start, NULL, HEAVY_WRITERS), 0);
	for (k = 0; k < HEAVY_WRITERS; k++) {
		memset(&w[k], 0, sizeof(w[k]));
		w[k].k = k;
		w[k].start = &start;
		ck_assert_int_eq(pthread_create(&th[k], NULL, heavy_write, &w[k]), 0);
	}
	for (k = 0; k < HEAVY_WRITERS; k++)
		pthread_join(th[k], NULL);
	pthread_barrier_destroy(&start);
	for (k = 0; k < HEAVY_WRITERS; k++)
		for (r = 0; r < HEAVY_ROUNDS; r++)
			if (w[k].status[r] != 201) {
				fprintf(stderr, "writer %d, report %d: %s\n", k, r + 1,
				        w[k].answer);
				bad++;
			}
	ck_assert_msg(bad == 0, "%d of %d reports not accepted", bad, HEAVY_WRITERS * HEAVY_ROUNDS);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM host_package hp JOIN host h"
	                             " ON h.id = hp.host_id WHERE h.name LIKE 'gal-h%'"),
	                 HEAVY_WRITERS * HEAVY_PACKAGES);
	/* The counts: the last report's first package on every host, the first's on none. */
	snprintf(sql, sizeof(sql),
	         "SELECT SUM(hosts) FROM package_stats s JOIN package p ON p.id = s.package_id"
	         " WHERE p.name = 'galh-%04d'",
	         HEAVY_ROUNDS * HEAVY_SHIFT);
	ck_assert_int_eq(it_db_count(sql), HEAVY_WRITERS);
	ck_assert_int_eq(
	    it_db_count("SELECT COALESCE(SUM(hosts), 0) FROM package_stats s JOIN"
	                " package p ON p.id = s.package_id WHERE p.name = 'galh-0500'"),
	    0);
	assert_nodes_agree("after the heavy wave");
}
END_TEST

struct taker {
	int node;
	pthread_barrier_t *start;
	int rc;
	char err[256];
};

static void *
take(void *arg)
{
	struct taker *t = arg;
	MYSQL *db = node_connect(t->node, t->err, sizeof(t->err));

	pthread_barrier_wait(t->start);
	t->rc = db ? dm_lock_take(db, "it-galera", 0, t->err, sizeof(t->err)) : -2;
	/* Held until every taker has tried. */
	pthread_barrier_wait(t->start);
	if (db != NULL) {
		if (t->rc == 0)
			dm_lock_release(db, "it-galera", t->err, sizeof(t->err));
		mysql_close(db);
	}
	return NULL;
}

/* The lock holds across nodes: of takers on the three nodes at once, exactly one wins. */
START_TEST(test_lock_race)
{
	struct taker t[NODES * 2];
	pthread_t th[NODES * 2];
	pthread_barrier_t start;
	int round, i, won;

	for (round = 0; round < 10; round++) {
		ck_assert_int_eq(pthread_barrier_init(&start, NULL, NODES * 2), 0);
		for (i = 0; i < NODES * 2; i++) {
			t[i] = (struct taker){.node = i % NODES, .start = &start};
			ck_assert_int_eq(pthread_create(&th[i], NULL, take, &t[i]), 0);
		}
		for (i = 0; i < NODES * 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&start);
		for (i = won = 0; i < NODES * 2; i++) {
			ck_assert_msg(t[i].rc == 0 || t[i].rc == 1, "round %d, taker %d: %d: %s",
			              round, i, t[i].rc, t[i].err);
			won += t[i].rc == 0;
		}
		ck_assert_msg(won == 1, "round %d: %d takers got the lock", round, won);
	}
}
END_TEST

/*
 * debmonitor-gc and debmonitor-cve on node 1 stay out while another node holds their
 * lock; a holder on another node that died keeps it until it expires, one on the same
 * node not at all.
 */
START_TEST(test_jobs_one_node_at_a_time)
{
	char err[256], args[1024], *out;
	MYSQL *other = node_open(1), *same;
	int rc;

	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(dm_lock_take(other, DM_GC_LOCK, 0, err, sizeof(err)), 0);
	rc = it_tool("DM_GC", NULL, "", &out);
	ck_assert_msg(rc == 75 && strstr(out, "another debmonitor-gc is running") != NULL,
	              "gc with the lock held on node 2: exit %d: %s", rc, out);
	free(out);
	ck_assert_int_eq(dm_lock_take(other, "debmonitor-cve", 0, err, sizeof(err)), 0);
	snprintf(args, sizeof(args), "--file '%s/tests/data/tracker/tracker.json'",
	         it_env("DM_TEST_SOURCE"));
	rc = it_tool("DM_CVE", NULL, args, &out);
	ck_assert_msg(rc == 75 && strstr(out, "another debmonitor-cve is importing") != NULL,
	              "the import with the lock held on node 2: exit %d: %s", rc, out);
	free(out);
	/* Node 2's holder dies: node 1 waits for the row to expire. */
	mysql_close(other);
	rc = it_tool("DM_GC", NULL, "", &out);
	ck_assert_msg(rc == 75, "gc while a dead holder's lock is fresh: exit %d: %s", rc, out);
	free(out);
	it_db_exec("UPDATE job_lock SET expires = UTC_TIMESTAMP() - INTERVAL 1 SECOND");
	rc = it_tool("DM_GC", NULL, "", &out);
	ck_assert_msg(rc == 0, "gc after the dead holder's lock expired: exit %d: %s", rc, out);
	free(out);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM job_lock WHERE name = 'debmonitor-gc'"),
	                 0);
	/* A holder on node 1 that died: the next run on node 1 takes its lock at once. */
	ck_assert_ptr_nonnull(same = node_open(0));
	ck_assert_int_eq(dm_lock_take(same, DM_GC_LOCK, 0, err, sizeof(err)), 0);
	mysql_close(same);
	rc = it_tool("DM_GC", NULL, "", &out);
	ck_assert_msg(rc == 0, "gc after a holder on its own node died: exit %d: %s", rc, out);
	free(out);
	it_db_exec("DELETE FROM job_lock");
}
END_TEST

/* Updates through both front ends for as long as *stop is 0: every answer 201 or 503. */
struct writer {
	int fe;
	volatile int *stop;
	int sent, ok, unavailable, other;
	char last_ok[256]; /* the spec of the last accepted report */
	char why[512];
};

static void *
write_loop(void *arg)
{
	struct writer *w = arg;
	char name[64], spec[256], why[512];
	long st;
	int r = 0;

	snprintf(name, sizeof(name), "gal-kill-%d.example.org", w->fe);
	while (!*w->stop || w->sent < 5) {
		r++;
		snprintf(spec, sizeof(spec), "gal-libc=2.36-%d gal-kill-%d=%d.0", r % 7, w->fe, r);
		st = it_post_full_to(frontends[w->fe], name, "6.1.0-gal", spec, why, sizeof(why));
		w->sent++;
		if (st == 201) {
			w->ok++;
			snprintf(w->last_ok, sizeof(w->last_ok), "%s", spec);
		} else if (st == 503) {
			w->unavailable++;
		} else if (w->other++ == 0) {
			snprintf(w->why, sizeof(w->why), "%s", why);
		}
	}
	return NULL;
}

/* Waits until node i is back and synced: 0, or -1 at CATCH_UP. */
static int
wait_synced(int i)
{
	int t;

	for (t = 0; t < CATCH_UP; t++) {
		if (node_synced(i))
			return 0;
		usleep(100000);
	}
	return -1;
}

/*
 * Node 2 (the second front end's) killed with SIGKILL while both front ends take updates,
 * then started again: every answer 201 or 503, each host's rows exactly its last accepted
 * report, and the restarted node catches up by IST and holds the same rows.
 */
START_TEST(test_node_killed)
{
	volatile int stop = 0;
	struct writer w[2] = {{.fe = 0, .stop = &stop}, {.fe = 1, .stop = &stop}};
	pthread_t th[2];
	char name[64], log[1024];
	json_t *h;
	int i;

	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, write_loop, &w[i]), 0);
	usleep(500000);
	quickstart("node kill 2");
	usleep(1500000);
	quickstart("node start 2");
	usleep(500000);
	stop = 1;
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(w[i].other == 0, "front end %d: %d answers neither 201 nor 503: %s",
		              i + 1, w[i].other, w[i].why);
		ck_assert_msg(w[i].ok > 0, "front end %d: nothing accepted", i + 1);
	}
	ck_assert_msg(w[1].unavailable > 0 || w[1].ok > 0, "no answer from front end 2");
	ck_assert_msg(wait_synced(1) == 0, "node 2 never caught up");
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "gal-kill-%d.example.org", i);
		h = it_get_subject(it_http, "hosts", name);
		ck_assert_ptr_nonnull(h);
		it_assert_packages(h, name, w[i].last_ok);
		json_decref(h);
	}
	assert_nodes_agree("after node 2 was killed and started again");
	/* It came back by IST, not by a full state transfer. */
	snprintf(log, sizeof(log), "%s/galera/node2/mariadb.err", it_env("DM_STATE"));
	it_sh("tail -n 200 '%s' | grep -q 'IST received'", log);
	it_forget("hosts", "gal-kill-0.example.org");
	it_forget("hosts", "gal-kill-1.example.org");
}
END_TEST

/* Sends sig to node i's mariadbd. */
static void
node_signal(int i, int sig)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/galera/node%d/mysqld.pid", it_env("DM_STATE"), i + 1);
	ck_assert_int_eq(kill(it_pid_file(path), sig), 0);
}

/*
 * Nodes 2 and 3 frozen (SIGSTOP) just as an update reaches front end 1: node 1 loses the
 * majority while the update's first read waits for the cluster (wsrep_sync_wait), and the
 * read fails with "Lock wait timeout exceeded". Nothing was written: 503, not 500.
 */
START_TEST(test_majority_lost_during_read)
{
	const char *name = "gal-frozen.example.org";
	char why[512] = "";
	long status;
	int i;

	for (i = 1; i < NODES; i++)
		node_signal(i, SIGSTOP);
	usleep(300000);
	status =
	    it_post_full_to("DM_HTTPS_URL", name, "6.1.0-gal", "gal-libc=2.36-9", why, sizeof(why));
	for (i = 1; i < NODES; i++)
		node_signal(i, SIGCONT);
	for (i = 0; i < NODES; i++)
		ck_assert_msg(wait_synced(i) == 0, "node %d never came back", i + 1);
	ck_assert_msg(status == 503, "HTTP %ld: %s", status, why);
	ck_assert_ptr_null(it_get_subject(it_http, "hosts", name));
	assert_nodes_agree("after nodes 2 and 3 were frozen");
}
END_TEST

/* The second front end stopped while updates arrive: the first keeps working. */
START_TEST(test_frontend_stopped)
{
	char why[512];
	long down, up;
	json_t *h;

	/* Started again before any assertion: the suite's other tests need it. */
	quickstart("frontend stop 2");
	down = it_post_full_to("DM_HTTPS_URL2", "gal-fe.example.org", "6.1.0-gal",
	                       "gal-libc=2.36-1", why, sizeof(why));
	up = it_post_full_to("DM_HTTPS_URL", "gal-fe.example.org", "6.1.0-gal", "gal-libc=2.36-5",
	                     why, sizeof(why));
	quickstart("frontend start 2");
	ck_assert_msg(down == 0, "the stopped front end answered %ld", down);
	ck_assert_msg(up == 201, "the other front end: %s", why);
	h = it_get_subject(http2, "hosts", "gal-fe.example.org");
	ck_assert_ptr_nonnull(h);
	it_assert_packages(h, "gal-fe through front end 2", "gal-libc=2.36-5");
	json_decref(h);
}
END_TEST

Suite *
make_it_galera_suite(void)
{
	Suite *s = suite_create("integration: galera");
	TCase *tc = tcase_create("galera");

	tcase_set_timeout(tc, 180);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_cluster);
	tcase_add_test(tc, test_wave);
	tcase_add_test(tc, test_stats_slots_per_node);
	tcase_add_test(tc, test_heavy_wave);
	tcase_add_test(tc, test_lock_race);
	tcase_add_test(tc, test_jobs_one_node_at_a_time);
	tcase_add_test(tc, test_node_killed);
	tcase_add_test(tc, test_majority_lost_during_read);
	tcase_add_test(tc, test_frontend_stopped);
	suite_add_tcase(s, tc);
	return s;
}
