/* ingest-bench: time POST /hosts/NAME/update over HTTPS with a client certificate. */
#include <curl/curl.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "http.h"

#define BENCH_SEED 1
#define BENCH_UPGRADABLE 60
#define BENCH_DPKG_HOOK 3
/* Host indexes: cases 2, 3 and 4 use one each, case 5 the ones after them. */
#define BENCH_HOST_UNCHANGED 0
#define BENCH_HOST_UPGRADABLE 1
#define BENCH_HOST_DPKG_HOOK 2
#define BENCH_HOST_CONCURRENT 3
#define BENCH_NAME_MAX 200
#define BENCH_SOCKET_MAX 4096
/*
 * What reading the Questions counter adds to it between two readings: the second one's
 * SHOW GLOBAL STATUS and the first one's disconnect (COM_QUIT counts as a question too).
 * Measured: two readings in a row differ by 2 on MariaDB 10.11.
 */
#define BENCH_STATUS_QUERY_STATEMENTS 2

struct options {
	struct http_target t;
	const char *socket, *prefix;
	unsigned long runs, hosts, concurrency, seconds;
	unsigned long rate; /* --rate: posts per second per concurrent client; 0: back to back */
	uint64_t seed;
	bool shared; /* --shared: dpkg_hook posts change one shared package's counts */
};

/* The server's statement counter before a case, when --mysql-socket names the server. */
struct counter {
	const char *socket;
	unsigned long long before;
	bool ok;
};

struct bench {
	const struct options *o;
	struct gen_universe *universe;
	struct client client;
	char suffix[64]; /* of this invocation's new host names */
	unsigned long errors;
};

enum kind { KIND_FULL, KIND_UPGRADABLE, KIND_DPKG_HOOK };

/* Cases 1 to 4; host -1 is a new host per run. Run -1 is the untimed warm-up. */
struct series {
	const char *label;
	long host;
	enum kind kind;
	bool alternate; /* variants 1, 0, 1... so each post changes data; else always 0 */
	bool warmup;
};

static const struct series cases[] = {
    {"[1] first full update of a new host", -1, KIND_FULL, false, false},
    {"[2] repeated full update, nothing changed", BENCH_HOST_UNCHANGED, KIND_FULL, false, true},
    {"[3] upgradable with 60 entries", BENCH_HOST_UPGRADABLE, KIND_UPGRADABLE, true, true},
    {"[4] dpkg_hook with 3 packages", BENCH_HOST_DPKG_HOOK, KIND_DPKG_HOOK, true, true},
};

/* One post to make: the host's name and the payload. */
struct job {
	char name[BENCH_NAME_MAX + 64];
	char *body;
};

/* One client of case 5, posting dpkg_hook updates for its own host. */
struct worker {
	const struct options *o;
	pthread_barrier_t *barrier;
	struct job job[2]; /* variants 0 and 1 */
	struct client client;
	struct stats warmup, stats;
};

/* --- statement counting ------------------------------------------------------------------ */

/* s in single quotes for sh, each ' as '\''; -1 if it does not fit. */
static int
shell_quote(const char *s, char *out, size_t size)
{
	size_t len = 0;

	for (out[len++] = '\''; *s != '\0' && len + 5 < size; s++) {
		if (*s == '\'') {
			memcpy(out + len, "'\\''", 4);
			len += 4;
		} else {
			out[len++] = *s;
		}
	}
	if (*s != '\0')
		return -1;
	out[len++] = '\'';
	out[len] = '\0';
	return 0;
}

/* The server's Questions counter, read as an operator would, through the mariadb client. */
static int
questions(const char *socket, unsigned long long *value)
{
	char quoted[BENCH_SOCKET_MAX], cmd[BENCH_SOCKET_MAX + 128], line[256], *tab, *end;
	int n, rc = -1;
	FILE *p;

	if (shell_quote(socket, quoted, sizeof(quoted)) != 0)
		return -1;
	n = snprintf(cmd, sizeof(cmd),
	             "mariadb --no-defaults -S %s -uroot -N -e \"SHOW GLOBAL STATUS LIKE "
	             "'Questions'\"",
	             quoted);
	if (n < 0 || (size_t)n >= sizeof(cmd) || (p = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), p) != NULL && (tab = strchr(line, '\t')) != NULL &&
	    tab[1] >= '0' && tab[1] <= '9') {
		errno = 0;
		*value = strtoull(tab + 1, &end, 10);
		if (errno == 0 && (*end == '\n' || *end == '\0'))
			rc = 0;
	}
	if (pclose(p) != 0)
		rc = -1;
	return rc;
}

static void
counter_start(struct counter *q, const struct options *o)
{
	q->socket = o->socket;
	q->ok = q->socket != NULL && questions(q->socket, &q->before) == 0;
	if (q->socket != NULL && !q->ok)
		warnx("cannot read the statement counter through %s", q->socket);
}

/* "  1234.5 statements/update", or nothing without a counter. */
static void
counter_stop(const struct counter *q, unsigned long posts, char *out, size_t size)
{
	unsigned long long after;

	out[0] = '\0';
	if (!q->ok || posts == 0)
		return;
	if (questions(q->socket, &after) != 0 ||
	    after < q->before + BENCH_STATUS_QUERY_STATEMENTS) {
		warnx("cannot read the statement counter through %s", q->socket);
		return;
	}
	snprintf(out, size, "  %.1f statements/update",
	         (double)(after - q->before - BENCH_STATUS_QUERY_STATEMENTS) / (double)posts);
}

/* One timed post, counted in s. */
static void
post(struct stats *s, struct client *c, const struct job *j)
{
	double ms = 0;
	int status = client_post(c, j->name, j->body, &ms);

	record(s, c, j->name, status, ms);
}

/* --- payloads ---------------------------------------------------------------------------- */

static void
host_name(const struct options *o, unsigned long index, char *out, size_t size)
{
	snprintf(out, size, "%s-%lu", o->prefix, index);
}

/*
 * --shared: every dpkg_hook post also installs (odd variants) or removes (even ones) a
 * package all hosts share, so that every update changes that package's counters.
 */
static void
add_shared(json_t *p, unsigned variant)
{
	json_t *pkg = json_pack("{s:s, s:s, s:s}", "name", "bench-shared", "version", "1.0",
	                        "source", "bench-shared");
	json_t *list = json_object_get(p, "installed");

	if (variant % 2 == 0) {
		list = json_array();
		json_object_set_new(p, "uninstalled", list);
	}
	json_array_append_new(list, pkg);
}

/* The payload of kind for the named host, serialised once, before any timing. */
static void
job_make(const struct bench *b, struct job *j, enum kind kind, unsigned variant)
{
	struct gen_host *h = gen_host_new(b->universe, j->name, GEN_HOST_PACKAGES);
	json_t *p = NULL;

	if (h == NULL)
		err(EX_SOFTWARE, "host %s", j->name);
	if (kind == KIND_FULL)
		p = gen_payload_full(h);
	else if (kind == KIND_UPGRADABLE)
		p = gen_payload_upgradable(h, BENCH_UPGRADABLE, variant);
	else
		p = gen_payload_dpkg_hook(h, BENCH_DPKG_HOOK, variant);
	if (p != NULL && kind == KIND_DPKG_HOOK && b->o->shared)
		add_shared(p, variant);
	if (p == NULL || (j->body = json_dumps(p, JSON_COMPACT)) == NULL)
		errx(EX_OSERR, "cannot generate a payload for %s", j->name);
	json_decref(p);
	gen_host_free(h);
}

static void
job_for_run(const struct bench *b, const struct series *s, long run, struct job *j)
{
	if (s->host < 0)
		snprintf(j->name, sizeof(j->name), "%s-new-%s-%ld", b->o->prefix, b->suffix, run);
	else
		host_name(b->o, (unsigned long)s->host, j->name, sizeof(j->name));
	job_make(b, j, s->kind, s->alternate ? (unsigned)((run + 1) % 2) : 0);
}

/* --- the cases --------------------------------------------------------------------------- */

static void
print_line(const char *label, struct stats *s, const char *statements)
{
	char summary[256];

	stats_sort(s);
	status_summary(s, summary, sizeof(summary));
	printf("%-44s %4lu posts  median %8.1f ms  min %8.1f  max %8.1f  HTTP %s%s\n", label,
	       s->posts, median(s), s->n ? s->ms[0] : 0, stats_max(s), summary, statements);
	fflush(stdout);
}

/* The untimed post that brings a host to the state the timed runs start from. */
static void
warm_up(struct bench *b, const struct series *s)
{
	struct stats st = {0};
	struct job j;

	job_for_run(b, s, -1, &j);
	post(&st, &b->client, &j);
	b->errors += st.errors;
	free(j.body);
	free(st.ms);
}

static void
run_series(struct bench *b, const struct series *s)
{
	struct stats st = {0};
	struct counter q;
	char statements[64];
	struct job j;
	long run;

	if (s->warmup)
		warm_up(b, s);
	counter_start(&q, b->o);
	for (run = 0; run < (long)b->o->runs; run++) {
		job_for_run(b, s, run, &j);
		post(&st, &b->client, &j);
		free(j.body);
	}
	counter_stop(&q, st.posts, statements, sizeof(statements));
	print_line(s->label, &st, statements);
	b->errors += st.errors;
	free(st.ms);
}

/* Whether the host is there already: 200 yes, 404 no, anything else an error. */
static int
host_known(struct bench *b, const char *name)
{
	double ms;
	int status = client_get_host(&b->client, name, &ms);

	if (status == 200 || status == 404)
		return status == 200;
	b->errors++;
	if (status < 0)
		warnx("GET %s: %s", name, b->client.error);
	else
		warnx("GET %s: HTTP %d", name, status);
	return -1;
}

static void
preload(struct bench *b)
{
	struct stats st = {0};
	unsigned long i, present = 0;
	char label[128];
	double start = now_ms();
	struct job j;
	int known;

	for (i = 0; i < b->o->hosts; i++) {
		host_name(b->o, i, j.name, sizeof(j.name));
		if ((known = host_known(b, j.name)) != 0) {
			present += known > 0;
			continue;
		}
		job_make(b, &j, KIND_FULL, 0);
		post(&st, &b->client, &j);
		free(j.body);
	}
	snprintf(label, sizeof(label), "[0] preload %s-0..%lu: %lu present, %.1f s", b->o->prefix,
	         b->o->hosts - 1, present, (now_ms() - start) / 1e3);
	print_line(label, &st, "");
	b->errors += st.errors;
	free(st.ms);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	double start, deadline, wait;
	unsigned long i;

	/* The warm-up opens the connection and brings the host to variant 0. */
	post(&w->warmup, &w->client, &w->job[0]);
	pthread_barrier_wait(w->barrier); /* all warm: the counter is read */
	pthread_barrier_wait(w->barrier); /* go */
	start = now_ms();
	deadline = start + (double)w->o->seconds * 1e3;
	for (i = 1; now_ms() < deadline; i++) {
		/* Paced: post i is due i / rate seconds after the start; a late one goes at once.
		 */
		if (w->o->rate > 0 &&
		    (wait = start + (double)i * 1e3 / (double)w->o->rate - now_ms()) > 0)
			nap_ms(wait);
		post(&w->stats, &w->client, &w->job[i % 2]);
	}
	return NULL;
}

static void
workers_prepare(struct bench *b, struct worker *w, pthread_barrier_t *barrier)
{
	unsigned long t;
	unsigned v;

	for (t = 0; t < b->o->concurrency; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].o = b->o;
		w[t].barrier = barrier;
		for (v = 0; v < 2; v++) {
			host_name(b->o, BENCH_HOST_CONCURRENT + t, w[t].job[v].name,
			          sizeof(w[t].job[v].name));
			job_make(b, &w[t].job[v], KIND_DPKG_HOOK, v);
		}
		client_open(&w[t].client, &b->o->t, HTTP_BODY_MAX);
	}
}

/* Merges what the workers saw into all and frees them. */
static void
workers_finish(struct bench *b, struct worker *w, struct stats *all)
{
	unsigned long t;

	for (t = 0; t < b->o->concurrency; t++) {
		stats_merge(all, &w[t].stats);
		b->errors += w[t].warmup.errors + w[t].stats.errors;
		client_close(&w[t].client);
		free(w[t].job[0].body);
		free(w[t].job[1].body);
		free(w[t].stats.ms);
		free(w[t].warmup.ms);
	}
	free(w);
}

static void
print_concurrent(const struct bench *b, struct stats *s, double wall_ms, const char *statements)
{
	char pace[64] = "";

	stats_sort(s);
	if (b->o->rate > 0)
		snprintf(pace, sizeof(pace), ", each %lu a second", b->o->rate);
	printf("[5] %lu clients posting dpkg_hook concurrently (%s%s): %lu updates in %.1f s = "
	       "%.1f updates/s; latency median %.1f ms, p95 %.1f, max %.1f; non-201 answers %lu, "
	       "transport errors %lu%s\n",
	       b->o->concurrency,
	       b->o->t.keepalive ? "keep-alive" : "new TLS connection per request", pace, s->posts,
	       wall_ms / 1e3, wall_ms > 0 ? (double)s->posts * 1e3 / wall_ms : 0, median(s),
	       percentile(s, 95), stats_max(s), s->errors - s->transport, s->transport, statements);
	fflush(stdout);
}

static void
concurrent(struct bench *b)
{
	unsigned long t, n = b->o->concurrency;
	struct worker *w = calloc(n, sizeof(*w));
	pthread_t *tid = calloc(n, sizeof(*tid));
	pthread_barrier_t barrier;
	struct stats all = {0};
	struct counter q;
	char statements[64];
	double start;

	if (w == NULL || tid == NULL || pthread_barrier_init(&barrier, NULL, (unsigned)n + 1) != 0)
		err(EX_OSERR, "%lu clients", n);
	workers_prepare(b, w, &barrier);
	for (t = 0; t < n; t++)
		if ((errno = pthread_create(&tid[t], NULL, worker_main, &w[t])) != 0)
			err(EX_OSERR, "client thread");
	pthread_barrier_wait(&barrier);
	counter_start(&q, b->o);
	pthread_barrier_wait(&barrier);
	start = now_ms();
	for (t = 0; t < n; t++)
		pthread_join(tid[t], NULL);
	workers_finish(b, w, &all);
	counter_stop(&q, all.posts, statements, sizeof(statements));
	print_concurrent(b, &all, now_ms() - start, statements);
	pthread_barrier_destroy(&barrier);
	free(tid);
	free(all.ms);
}

/* --- options ----------------------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: ingest-bench --url https://HOST:PORT --ca FILE --cert FILE --key FILE\n"
	        "                    [--runs N] [--hosts N] [--concurrency N] [--seconds S] "
	        "[--rate R]\n"
	        "                    [--prefix NAME] [--seed N] [--no-keepalive] [--shared]\n"
	        "                    [--mysql-socket PATH]\n"
	        "\n"
	        "Time POST /hosts/NAME/update with generated payloads (see bench/README).\n"
	        "The certificate's CN must be in the server's PROXY_HOSTS.\n"
	        "\n"
	        "  --url URL            the client vhost, e.g. https://127.0.0.1:8443\n"
	        "  --ca, --cert, --key  the CA to verify the server, the client certificate, key\n"
	        "  --runs N             timed posts per sequential case (default 15)\n"
	        "  --hosts N            hosts PREFIX-0..N-1 to preload (default 50)\n"
	        "  --concurrency N      clients of the concurrent case (default 8)\n"
	        "  --seconds S          duration of the concurrent case (default 10)\n"
	        "  --rate R             each concurrent client posts R times a second (default 0:\n"
	        "                       back to back, as fast as the server answers)\n"
	        "  --prefix NAME        host name prefix (default bench)\n"
	        "  --seed N             seed of the generated packages (default 1)\n"
	        "  --no-keepalive       a new TLS connection, full handshake, for every request\n"
	        "  --shared             dpkg_hook posts also install/remove one package all hosts\n"
	        "                       share, so every update changes the same package counters\n"
	        "  --mysql-socket PATH  count the server's statements per update through PATH\n"
	        "  -h, --help           this text\n");
}

/* Letters, digits, dots and dashes: a name every part of the server takes as a host name. */
static void
check_prefix(const char *p)
{
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");

	if (n == 0 || p[n] != '\0' || n > BENCH_NAME_MAX)
		errx(EX_USAGE, "--prefix: letters, digits, '.' and '-', at most %d: '%s'",
		     BENCH_NAME_MAX, p);
}

static void
check_options(const struct options *o)
{
	if (o->t.url == NULL || o->t.ca == NULL || o->t.cert == NULL || o->t.key == NULL) {
		usage(stderr);
		errx(EX_USAGE, "--url, --ca, --cert and --key are required");
	}
	check_prefix(o->prefix);
	if (o->hosts < BENCH_HOST_CONCURRENT + o->concurrency)
		errx(EX_USAGE,
		     "--hosts must be at least %lu: cases 2 to 4 use one host each and "
		     "each concurrent client one more",
		     BENCH_HOST_CONCURRENT + o->concurrency);
}

enum {
	OPT_RUNS = HTTP_OPT__NEXT,
	OPT_HOSTS,
	OPT_CONCURRENCY,
	OPT_SECONDS,
	OPT_RATE,
	OPT_PREFIX,
	OPT_SEED,
	OPT_NO_KEEPALIVE,
	OPT_SHARED,
	OPT_SOCKET
};

static const struct option longopts[] = {HTTP_TARGET_LONGOPTS,
                                         {"runs", required_argument, NULL, OPT_RUNS},
                                         {"hosts", required_argument, NULL, OPT_HOSTS},
                                         {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
                                         {"seconds", required_argument, NULL, OPT_SECONDS},
                                         {"rate", required_argument, NULL, OPT_RATE},
                                         {"prefix", required_argument, NULL, OPT_PREFIX},
                                         {"seed", required_argument, NULL, OPT_SEED},
                                         {"no-keepalive", no_argument, NULL, OPT_NO_KEEPALIVE},
                                         {"shared", no_argument, NULL, OPT_SHARED},
                                         {"mysql-socket", required_argument, NULL, OPT_SOCKET},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};

static void
parse_option(int ch, const char *arg, struct options *o)
{
	if (http_target_option(&o->t, ch, arg))
		return;
	switch (ch) {
	case OPT_RUNS:
		o->runs = parse_number("runs", arg, 1, 1000000);
		break;
	case OPT_HOSTS:
		o->hosts = parse_number("hosts", arg, 1, 1000000);
		break;
	case OPT_CONCURRENCY:
		o->concurrency = parse_number("concurrency", arg, 1, 1024);
		break;
	case OPT_SECONDS:
		o->seconds = parse_number("seconds", arg, 1, 86400);
		break;
	case OPT_RATE:
		o->rate = parse_number("rate", arg, 0, 100000);
		break;
	case OPT_PREFIX:
		o->prefix = arg;
		break;
	case OPT_SEED:
		o->seed = parse_number("seed", arg, 0, UINT64_MAX);
		break;
	case OPT_NO_KEEPALIVE:
		o->t.keepalive = false;
		break;
	case OPT_SHARED:
		o->shared = true;
		break;
	case OPT_SOCKET:
		o->socket = arg;
		break;
	case 'h':
		usage(stdout);
		exit(EX_OK);
	default:
		usage(stderr);
		exit(EX_USAGE);
	}
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
		parse_option(ch, optarg, o);
	if (optind != argc) {
		usage(stderr);
		exit(EX_USAGE);
	}
	check_options(o);
}

/* --- main -------------------------------------------------------------------------------- */

static void
print_setup(const struct bench *b, const struct gen_host *sample)
{
	const struct options *o = b->o;

	printf("ingest-bench: %s, seed %llu, %zu packages per host (%zu upgradable), %lu runs, "
	       "%lu hosts, %lu clients for %lu s, %s, statements %s\n",
	       o->t.url, (unsigned long long)o->seed, gen_host_packages(sample),
	       gen_host_upgradable(sample), o->runs, o->hosts, o->concurrency, o->seconds,
	       o->t.keepalive ? "keep-alive" : "no keep-alive",
	       o->socket != NULL ? "counted" : "not counted (no --mysql-socket)");
	fflush(stdout);
}

static void
bench_open(struct bench *b, const struct options *o)
{
	unsigned long long check;
	struct gen_host *sample;

	memset(b, 0, sizeof(*b));
	b->o = o;
	/* Time and process id: every invocation's new hosts have names no earlier one used. */
	snprintf(b->suffix, sizeof(b->suffix), "%llx%lx", (unsigned long long)time(NULL),
	         (unsigned long)getpid());
	if (o->socket != NULL && questions(o->socket, &check) != 0)
		errx(EX_UNAVAILABLE, "cannot read the statement counter through %s", o->socket);
	if ((b->universe = gen_universe_new(o->seed)) == NULL)
		err(EX_OSERR, "package universe");
	if ((sample = gen_host_new(b->universe, o->prefix, GEN_HOST_PACKAGES)) == NULL)
		err(EX_OSERR, "host %s", o->prefix);
	print_setup(b, sample);
	gen_host_free(sample);
	client_open(&b->client, &o->t, HTTP_BODY_MAX);
}

int
main(int argc, char **argv)
{
	struct options o = {.runs = 15,
	                    .hosts = 50,
	                    .concurrency = 8,
	                    .seconds = 10,
	                    .prefix = "bench",
	                    .seed = BENCH_SEED,
	                    .t.keepalive = true};
	struct bench b;
	size_t i;

	parse_options(argc, argv, &o);
	http_global_init();
	bench_open(&b, &o);
	preload(&b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_series(&b, &cases[i]);
	concurrent(&b);
	client_close(&b.client);
	gen_universe_free(b.universe);
	curl_global_cleanup();
	if (b.errors > 0) {
		printf("FAILED: %lu requests did not get the expected answer\n", b.errors);
		return EXIT_FAILURE;
	}
	return EX_OK;
}
