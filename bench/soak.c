/* soak: the writers of the soak test and the check that every host ends as it last reported. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "gen.h"
#include "http.h"

#define SOAK_UPGRADABLE 60
#define SOAK_DPKG_HOOK 3
/*
 * Variants 1..SOAK_VARIANTS, taken in turn per host and kind: two posts of a kind in a row
 * always differ, so the final rows tell whether a host's last post of each kind was kept.
 */
#define SOAK_VARIANTS 4
/* An answer other than 201 is counted as an error, then the same post is sent again. */
#define SOAK_RETRIES 10
#define SOAK_RETRY_MS 1000.0
#define SOAK_PROGRESS_S 60
#define SOAK_DIFFS_SHOWN 10
/* GET /hosts/NAME of a host with 2,000 packages is about 250 KB; far more is an error. */
#define SOAK_HOST_BODY_MAX (16 * 1024 * 1024)
#define SOAK_NAME_MAX 255
/*
 * Front ends (--url given more than once): writer i posts through front end i % n and, as a
 * load balancer would, sends a post again through the next one when an answer is not a
 * 201; its next post goes through its own again.
 */
#define SOAK_URLS_MAX 4

/* KIND_WAVE is an upgrade wave's post (variant 1: a full report), never in the mix. */
enum kind { KIND_DPKG_HOOK, KIND_UPGRADABLE, KIND_FULL, KIND_WAVE, KIND__MAX };

static const char *const kind_names[KIND__MAX] = {"dpkg_hook", "upgradable", "full", "wave"};
/* The realistic mix, per mille of the posts: 90% dpkg_hook, 9% upgradable, 1% full. */
static const unsigned kind_permille[KIND__MAX] = {900, 90, 10, 0};

enum mode { MODE_BASELINE, MODE_RUN, MODE_WAVE, MODE__MAX };

static const char *const mode_names[MODE__MAX] = {"baseline", "run", "wave"};

struct options {
	struct http_target t, fronts[SOAK_URLS_MAX];
	size_t nfronts;
	const char *hosts_file;
	enum mode mode;
	unsigned long writers, checkers, seconds, round;
	uint64_t seed;
	bool full, check; /* wave: full reports; read every host back after */
};

/* One post: its kind and variant (a full update has variant 0). */
struct op {
	uint8_t kind, variant;
};

/* A host and what it was sent since its last full update, that one first. */
struct host {
	char *name;
	struct op *ops;
	size_t nops, cap;
	unsigned sent[KIND__MAX];
	bool lost; /* a post never got its 201: the host cannot be checked */
};

struct soak {
	const struct options *o;
	struct gen_universe *universe;
	struct host *hosts;
	size_t nhosts;
	atomic_ulong posts, errors;
	atomic_ulong checked, differ, packages;
};

/* One thread: a writer owns the hosts i with i % writers == id, a checker likewise. */
struct worker {
	struct soak *s;
	unsigned long id, of;
	pthread_barrier_t *barrier;
	struct client clients[SOAK_URLS_MAX], *client; /* a client per front end; the one in use */
	struct stats kind[KIND__MAX];
	uint64_t rng;
	unsigned long retried, lost;
};

/* --- hosts and payloads ------------------------------------------------------------------ */

static void
host_push(struct host *h, struct op op)
{
	struct op *grown;

	if (op.kind == KIND_FULL || (op.kind == KIND_WAVE && op.variant == 1))
		h->nops = 0; /* a full update replaces everything before it */
	if (h->nops == h->cap) {
		h->cap = h->cap == 0 ? 16 : h->cap * 2;
		if ((grown = realloc(h->ops, h->cap * sizeof(*grown))) == NULL)
			err(EX_OSERR, "host %s", h->name);
		h->ops = grown;
	}
	h->ops[h->nops++] = op;
}

/* The next post of kind for h: variants 1..SOAK_VARIANTS in turn. */
static struct op
host_next(struct host *h, enum kind kind)
{
	struct op op = {(uint8_t)kind, 0};

	if (kind != KIND_FULL)
		op.variant = (uint8_t)(1 + h->sent[kind] % SOAK_VARIANTS);
	h->sent[kind]++;
	return op;
}

static json_t *
payload(const struct soak *s, const struct gen_host *g, struct op op)
{
	if (op.kind == KIND_WAVE)
		return gen_payload_wave(g, op.variant == 1, s->o->round);
	if (op.kind == KIND_FULL)
		return gen_payload_full(g);
	if (op.kind == KIND_UPGRADABLE)
		return gen_payload_upgradable(g, SOAK_UPGRADABLE, op.variant);
	return gen_payload_dpkg_hook(g, SOAK_DPKG_HOOK, op.variant);
}

static char *
payload_text(const struct soak *s, const struct host *h, struct op op)
{
	struct gen_host *g = gen_host_new(s->universe, h->name, GEN_HOST_PACKAGES);
	json_t *p = g != NULL ? payload(s, g, op) : NULL;
	char *text = p != NULL ? json_dumps(p, JSON_COMPACT) : NULL;

	if (text == NULL)
		errx(EX_SOFTWARE, "cannot generate a %s payload for %s", kind_names[op.kind],
		     h->name);
	json_decref(p);
	gen_host_free(g);
	return text;
}

static void
hosts_read(struct soak *s, const char *path)
{
	char line[SOAK_NAME_MAX + 2];
	size_t len, cap = 0;
	struct host *grown;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		err(EX_NOINPUT, "%s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		len = strcspn(line, "\n");
		if (line[len] != '\n' && !feof(f))
			errx(EX_DATAERR, "%s: a host name over %d bytes", path, SOAK_NAME_MAX);
		line[len] = '\0';
		if (len == 0)
			continue;
		if (s->nhosts == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			if ((grown = realloc(s->hosts, cap * sizeof(*grown))) == NULL)
				err(EX_OSERR, "hosts");
			s->hosts = grown;
		}
		memset(&s->hosts[s->nhosts], 0, sizeof(*s->hosts));
		if ((s->hosts[s->nhosts++].name = strdup(line)) == NULL)
			err(EX_OSERR, "hosts");
	}
	if (ferror(f))
		err(EX_IOERR, "%s", path);
	fclose(f);
	if (s->nhosts == 0)
		errx(EX_DATAERR, "%s: no host names", path);
}

/* --- writers ----------------------------------------------------------------------------- */

static enum kind
pick_kind(struct worker *w)
{
	unsigned r = (unsigned)(gen_splitmix64(&w->rng) % 1000), sum = 0;
	int k;

	for (k = 0; k < KIND_FULL; k++)
		if (r < (sum += kind_permille[k]))
			break;
	return (enum kind)k;
}

/* Posts op for h until it is accepted (at most SOAK_RETRIES more times); counts every answer. */
static void
send_op(struct worker *w, struct host *h, struct op op)
{
	char *body = payload_text(w->s, h, op);
	struct stats *st = &w->kind[op.kind];
	unsigned try;
	int status = -1;
	double ms;

	for (try = 0; try <= SOAK_RETRIES && status != 201; try++) {
		if (try > 0) {
			w->retried++;
			nap_ms(SOAK_RETRY_MS);
		}
		status = client_post(w->client, h->name, body, &ms);
		record(st, w->client, h->name, status, ms);
		atomic_fetch_add(&w->s->posts, 1);
		if (status != 201) {
			atomic_fetch_add(&w->s->errors, 1);
			w->client =
			    &w->clients[(size_t)(w->client - w->clients + 1) % w->s->o->nfronts];
		}
	}
	free(body);
	w->client = &w->clients[w->id % w->s->o->nfronts];
	if (status == 201) {
		host_push(h, op);
	} else {
		h->lost = true;
		w->lost++;
	}
}

/* Baseline: a full update of every host of this writer, so that its rows are known. */
static void *
baseline_main(void *arg)
{
	struct worker *w = arg;
	size_t i;

	for (i = w->id; i < w->s->nhosts; i += w->of)
		send_op(w, &w->s->hosts[i], host_next(&w->s->hosts[i], KIND_FULL));
	return NULL;
}

/* An upgrade wave: every host of this writer posts the same round's upgrade, back to back. */
static void *
wave_main(void *arg)
{
	struct worker *w = arg;
	struct op op = {KIND_WAVE, w->s->o->full ? 1 : 0};
	size_t i;

	for (i = w->id; i < w->s->nhosts; i += w->of)
		send_op(w, &w->s->hosts[i], op);
	return NULL;
}

static void *
writer_main(void *arg)
{
	struct worker *w = arg;
	size_t own = (w->s->nhosts - w->id + w->of - 1) / w->of, i;
	double deadline;
	enum kind kind;
	struct host *h;

	pthread_barrier_wait(w->barrier);
	deadline = now_ms() + (double)w->s->o->seconds * 1e3;
	while (own > 0 && now_ms() < deadline) {
		i = w->id + w->of * (size_t)(gen_splitmix64(&w->rng) % own);
		h = &w->s->hosts[i];
		kind = pick_kind(w);
		send_op(w, h, host_next(h, kind));
	}
	return NULL;
}

/* --- the check --------------------------------------------------------------------------- */

/* A package as the model and the page have it: [version, source, upgradable_version, type]. */
static json_t *
row(const char *version, const char *source, const char *upgrade, const char *type)
{
	return json_pack("[s, s, s?, s?]", version, source, upgrade, type);
}

static const char *
row_str(const json_t *r, size_t i)
{
	return json_string_value(json_array_get(r, i));
}

/* The upgradable entries of p applied to model, as the SPEC says (section 3). */
static void
apply_upgradable(json_t *model, const json_t *list)
{
	const char *name, *from, *to, *source, *type;
	json_t *e, *cur;
	size_t i;

	json_array_foreach (list, i, e) {
		name = json_string_value(json_object_get(e, "name"));
		from = json_string_value(json_object_get(e, "version_from"));
		to = json_string_value(json_object_get(e, "version_to"));
		source = json_string_value(json_object_get(e, "source"));
		type = json_string_value(json_object_get(e, "type"));
		if ((cur = json_object_get(model, name)) == NULL) {
			json_object_set_new(model, name, row(from, source, NULL, NULL));
			cur = json_object_get(model, name);
		}
		if (strcmp(to, row_str(cur, 0)) == 0)
			json_object_set_new(model, name,
			                    row(row_str(cur, 0), row_str(cur, 1), NULL, NULL));
		else
			json_object_set_new(
			    model, name,
			    row(row_str(cur, 0), row_str(cur, 1), to, type != NULL ? type : ""));
	}
}

static void
apply(json_t *model, const json_t *p)
{
	const char *name, *version;
	json_t *e, *cur;
	size_t i;

	if (strcmp(json_string_value(json_object_get(p, "update_type")), "full") == 0)
		json_object_clear(model);
	json_array_foreach (json_object_get(p, "installed"), i, e) {
		name = json_string_value(json_object_get(e, "name"));
		version = json_string_value(json_object_get(e, "version"));
		cur = json_object_get(model, name);
		/* A changed version clears the upgrade; the same version keeps it. */
		if (cur == NULL || strcmp(version, row_str(cur, 0)) != 0)
			json_object_set_new(model, name,
			                    row(version,
			                        json_string_value(json_object_get(e, "source")),
			                        NULL, NULL));
	}
	json_array_foreach (json_object_get(p, "uninstalled"), i, e)
		json_object_del(model, json_string_value(json_object_get(e, "name")));
	apply_upgradable(model, json_object_get(p, "upgradable"));
}

/* What the host's rows must be: its posts since its last full update, replayed. */
static json_t *
expected(const struct soak *s, const struct host *h)
{
	struct gen_host *g = gen_host_new(s->universe, h->name, GEN_HOST_PACKAGES);
	json_t *model = json_object(), *p;
	size_t i;

	if (g == NULL || model == NULL)
		err(EX_OSERR, "host %s", h->name);
	for (i = 0; i < h->nops; i++) {
		if ((p = payload(s, g, h->ops[i])) == NULL)
			errx(EX_SOFTWARE, "cannot generate a payload for %s", h->name);
		apply(model, p);
		json_decref(p);
	}
	gen_host_free(g);
	return model;
}

/* The rows GET /hosts/NAME shows, as the model has them; NULL if the answer is not that. */
static json_t *
actual(const char *body, size_t len)
{
	json_t *doc = json_loadb(body, len, 0, NULL), *rows = json_object(), *e;
	const char *name, *version, *source;
	size_t i;

	if (doc == NULL || rows == NULL || !json_is_array(json_object_get(doc, "packages")))
		goto fail;
	json_array_foreach (json_object_get(doc, "packages"), i, e) {
		name = json_string_value(json_object_get(e, "name"));
		version = json_string_value(json_object_get(e, "version"));
		source = json_string_value(json_object_get(e, "source"));
		if (name == NULL || version == NULL || source == NULL)
			goto fail;
		json_object_set_new(rows, name,
		                    row(version, source,
		                        json_string_value(json_object_get(e, "upgradable_version")),
		                        json_string_value(json_object_get(e, "upgrade_type"))));
	}
	json_decref(doc);
	return rows;
fail:
	json_decref(doc);
	json_decref(rows);
	return NULL;
}

/* The first difference between the expected rows and the page's, or 0 when there is none. */
static int
compare(const char *host, json_t *want, json_t *got, bool show)
{
	const char *name;
	json_t *w, *g;
	char *ws, *gs;

	json_object_foreach (want, name, w) {
		g = json_object_get(got, name);
		if (g != NULL && json_equal(w, g))
			continue;
		if (show) {
			ws = json_dumps(w, JSON_COMPACT);
			gs = g != NULL ? json_dumps(g, JSON_COMPACT) : NULL;
			warnx("%s: package %s: expected %s, the server has %s", host, name, ws,
			      gs != NULL ? gs : "nothing");
			free(ws);
			free(gs);
		}
		return -1;
	}
	json_object_foreach (got, name, g) {
		if (json_object_get(want, name) != NULL)
			continue;
		if (show)
			warnx("%s: package %s is on the server, the host never sent it", host,
			      name);
		return -1;
	}
	return 0;
}

static void
check_host(struct worker *w, const struct host *h)
{
	json_t *want, *got;
	double ms;
	int status = client_get_host(w->client, h->name, &ms);
	bool show = atomic_load(&w->s->differ) < SOAK_DIFFS_SHOWN;

	if (status != 200 || w->client->body_len == SOAK_HOST_BODY_MAX) {
		atomic_fetch_add(&w->s->differ, 1);
		warnx("GET %s: %s", h->name, status < 0 ? w->client->error : "not a 200 answer");
		return;
	}
	want = expected(w->s, h);
	if ((got = actual(w->client->body, w->client->body_len)) == NULL) {
		atomic_fetch_add(&w->s->differ, 1);
		warnx("GET %s: not the JSON of a host", h->name);
	} else if (compare(h->name, want, got, show) != 0) {
		atomic_fetch_add(&w->s->differ, 1);
	} else {
		atomic_fetch_add(&w->s->packages, json_object_size(want));
	}
	atomic_fetch_add(&w->s->checked, 1);
	json_decref(want);
	json_decref(got);
}

static void *
checker_main(void *arg)
{
	struct worker *w = arg;
	size_t i;

	for (i = w->id; i < w->s->nhosts; i += w->of)
		if (!w->s->hosts[i].lost)
			check_host(w, &w->s->hosts[i]);
	return NULL;
}

/* --- running them ------------------------------------------------------------------------ */

/* Runs n workers of main_fn; with barrier_used they start together and a line a minute shows
 * progress. */
static struct worker *
workers_run(struct soak *s, unsigned long n, void *(*main_fn)(void *), size_t body_max,
            bool barrier_used)
{
	struct worker *w = calloc(n, sizeof(*w));
	pthread_t *tid = calloc(n, sizeof(*tid));
	pthread_barrier_t barrier;
	unsigned long t, progress = 0;
	size_t f;
	double start;

	if (w == NULL || tid == NULL || pthread_barrier_init(&barrier, NULL, (unsigned)n + 1) != 0)
		err(EX_OSERR, "%lu threads", n);
	for (t = 0; t < n; t++) {
		w[t].s = s;
		w[t].id = t;
		w[t].of = n;
		w[t].barrier = &barrier;
		w[t].rng = s->o->seed * 1000003ULL + t;
		for (f = 0; f < s->o->nfronts; f++)
			client_open(&w[t].clients[f], &s->o->fronts[f], body_max);
		w[t].client = &w[t].clients[t % s->o->nfronts];
		if ((errno = pthread_create(&tid[t], NULL, main_fn, &w[t])) != 0)
			err(EX_OSERR, "thread");
	}
	if (barrier_used) {
		pthread_barrier_wait(&barrier);
		start = now_ms();
		/* A line a minute, so a long run shows it is alive and how it goes. */
		while (now_ms() - start < (double)s->o->seconds * 1e3 - 1e3) {
			nap_ms(1e3);
			if ((unsigned long)((now_ms() - start) / 1e3) / SOAK_PROGRESS_S >
			    progress) {
				progress++;
				printf("soak: %lu s: %lu posts, %lu errors\n",
				       progress * SOAK_PROGRESS_S, atomic_load(&s->posts),
				       atomic_load(&s->errors));
				fflush(stdout);
			}
		}
	}
	for (t = 0; t < n; t++)
		pthread_join(tid[t], NULL);
	pthread_barrier_destroy(&barrier);
	free(tid);
	return w;
}

static void
workers_free(struct worker *w, unsigned long n)
{
	unsigned long t;
	size_t f;
	int k;

	for (t = 0; t < n; t++) {
		for (f = 0; f < w[t].s->o->nfronts; f++)
			client_close(&w[t].clients[f]);
		for (k = 0; k < KIND__MAX; k++)
			stats_free(&w[t].kind[k]);
	}
	free(w);
}

static void
print_kind(const char *label, struct stats *st, double wall_ms)
{
	char summary[256];

	stats_sort(st);
	status_summary(st, summary, sizeof(summary));
	printf("  %-11s %8lu posts %8.1f/s  p50 %7.1f ms  p99 %7.1f  max %8.1f  HTTP %s\n", label,
	       st->posts, wall_ms > 0 ? (double)st->posts * 1e3 / wall_ms : 0, median(st),
	       percentile(st, 99), stats_max(st), summary);
}

/*
 * Prints the writers' figures per kind and in all; the number of answers not 201, but for
 * several front ends, whose faults the run brings about: only answers neither 201 nor 503
 * nor a front end that does not answer, and hosts with a post never accepted.
 */
static unsigned long
report(const struct soak *s, struct worker *w, unsigned long n, double wall_ms)
{
	struct stats all = {0}, kind;
	unsigned long t, retried = 0, lost = 0, errors;
	int k;

	for (k = 0; k < KIND__MAX; k++) {
		memset(&kind, 0, sizeof(kind));
		for (t = 0; t < n; t++)
			stats_merge(&kind, &w[t].kind[k]);
		stats_merge(&all, &kind);
		if (kind.posts > 0)
			print_kind(kind_names[k], &kind, wall_ms);
		stats_free(&kind);
	}
	for (t = 0; t < n; t++) {
		retried += w[t].retried;
		lost += w[t].lost;
	}
	print_kind("all", &all, wall_ms);
	errors = all.errors;
	printf("  %lu writers, %.1f s, %zu hosts: %lu answers not 201 (%lu transport errors), "
	       "%lu posts sent again, %lu hosts with a post never accepted\n",
	       n, wall_ms / 1e3, s->nhosts, errors, all.transport, retried, lost);
	if (s->o->nfronts > 1) {
		errors = errors - all.transport - all.status[503] + lost;
		printf("  %zu front ends: %lu answers 503, %lu answers neither 201 nor 503\n",
		       s->o->nfronts, all.status[503], errors - lost);
	}
	stats_free(&all);
	return errors;
}

static unsigned long
run_baseline(struct soak *s)
{
	double start = now_ms();
	struct worker *w;
	unsigned long errors;

	printf("soak baseline: a full update of each of %zu hosts, %lu writers\n", s->nhosts,
	       s->o->writers);
	fflush(stdout);
	w = workers_run(s, s->o->writers, baseline_main, HTTP_BODY_MAX, false);
	errors = report(s, w, s->o->writers, now_ms() - start);
	workers_free(w, s->o->writers);
	return errors;
}

static unsigned long
run_check(struct soak *s)
{
	double start = now_ms();
	struct worker *w;

	w = workers_run(s, s->o->checkers, checker_main, SOAK_HOST_BODY_MAX, false);
	workers_free(w, s->o->checkers);
	printf("soak check: %lu of %zu hosts read back (GET /hosts/NAME, %lu clients, %.1f s): "
	       "%lu packages as sent, %lu hosts differ\n",
	       atomic_load(&s->checked), s->nhosts, s->o->checkers, (now_ms() - start) / 1e3,
	       atomic_load(&s->packages), atomic_load(&s->differ));
	return atomic_load(&s->differ);
}

static unsigned long
run_wave(struct soak *s)
{
	double start = now_ms();
	struct worker *w;
	unsigned long errors;

	printf("soak wave: round %lu, %s for each of %zu hosts, %lu writers\n", s->o->round,
	       s->o->full ? "a full report" : "a dpkg_hook update", s->nhosts, s->o->writers);
	fflush(stdout);
	w = workers_run(s, s->o->writers, wave_main, HTTP_BODY_MAX, false);
	errors = report(s, w, s->o->writers, now_ms() - start);
	workers_free(w, s->o->writers);
	return errors + (s->o->check ? run_check(s) : 0);
}

/* The soak proper: every host starts as its baseline full update left it. */
static unsigned long
run_soak(struct soak *s)
{
	struct op full = {KIND_FULL, 0};
	struct worker *w;
	unsigned long errors;
	double start;
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		host_push(&s->hosts[i], full);
	printf("soak: %lu writers for %lu s over %zu hosts, mix %u%% dpkg_hook, %u%% upgradable, "
	       "%u%% full\n",
	       s->o->writers, s->o->seconds, s->nhosts, kind_permille[KIND_DPKG_HOOK] / 10,
	       kind_permille[KIND_UPGRADABLE] / 10, kind_permille[KIND_FULL] / 10);
	fflush(stdout);
	start = now_ms();
	w = workers_run(s, s->o->writers, writer_main, HTTP_BODY_MAX, true);
	errors = report(s, w, s->o->writers, now_ms() - start);
	workers_free(w, s->o->writers);
	return errors + run_check(s);
}

/* --- options ----------------------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: soak baseline|run|wave --url URL --ca FILE --cert FILE --key FILE\n"
	        "            --hosts FILE [--writers N] [--checkers N] [--seconds S] [--seed N]\n"
	        "            [--round N] [--full] [--check]\n"
	        "\n"
	        "baseline: post a full update for every host of FILE (a name a line).\n"
	        "run: for S seconds, N writers post the mix 90%% dpkg_hook, 9%% upgradable,\n"
	        "1%% full for those hosts, each host from one writer; then read every host\n"
	        "back and compare its rows with what it was sent. The run assumes the\n"
	        "baseline was posted for the same hosts and seed. See bench/README, \"Soak\".\n"
	        "wave: every host posts the upgrade wave of round N, the same new versions of\n"
	        "the same source packages for the whole fleet, as a dpkg_hook update or (--full)\n"
	        "as a full report; --check then reads every host back (with --full only, since\n"
	        "a dpkg_hook's rows depend on what came before). See bench/README, \"Wave\".\n"
	        "\n"
	        "  --url URL            the client vhost, e.g. https://127.0.0.1:8443; again for\n"
	        "                       more front ends (at most 4): writer i posts through the\n"
	        "                       i-th, a post again through the next after an answer\n"
	        "                       that is not 201\n"
	        "  --ca, --cert, --key  the CA, a client certificate in PROXY_HOSTS, its key\n"
	        "  --hosts FILE         the host names\n"
	        "  --writers N          concurrent writers (default 8)\n"
	        "  --checkers N         concurrent readers of the check (default 4)\n"
	        "  --seconds S          duration of the run (default 600)\n"
	        "  --seed N             seed of the generated packages and the mix (default 1)\n"
	        "  --round N            the wave's round: its sources and versions (default 1)\n"
	        "  --full               the wave as full reports\n"
	        "  --check              after the wave, read every host back\n"
	        "  -h, --help           this text\n");
}

enum {
	OPT_HOSTS = HTTP_OPT__NEXT,
	OPT_WRITERS,
	OPT_CHECKERS,
	OPT_SECONDS,
	OPT_SEED,
	OPT_ROUND,
	OPT_FULL,
	OPT_CHECK
};

static const struct option longopts[] = {HTTP_TARGET_LONGOPTS,
                                         {"hosts", required_argument, NULL, OPT_HOSTS},
                                         {"writers", required_argument, NULL, OPT_WRITERS},
                                         {"checkers", required_argument, NULL, OPT_CHECKERS},
                                         {"seconds", required_argument, NULL, OPT_SECONDS},
                                         {"seed", required_argument, NULL, OPT_SEED},
                                         {"round", required_argument, NULL, OPT_ROUND},
                                         {"full", no_argument, NULL, OPT_FULL},
                                         {"check", no_argument, NULL, OPT_CHECK},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};

static void
parse_option(int ch, const char *arg, struct options *o)
{
	if (ch == HTTP_OPT_URL) {
		if (o->nfronts == SOAK_URLS_MAX)
			errx(EX_USAGE, "--url: at most %d front ends", SOAK_URLS_MAX);
		o->fronts[o->nfronts++].url = arg;
	}
	if (http_target_option(&o->t, ch, arg))
		return;
	switch (ch) {
	case OPT_HOSTS:
		o->hosts_file = arg;
		break;
	case OPT_WRITERS:
		o->writers = parse_number("writers", arg, 1, 256);
		break;
	case OPT_CHECKERS:
		o->checkers = parse_number("checkers", arg, 1, 256);
		break;
	case OPT_SECONDS:
		o->seconds = parse_number("seconds", arg, 1, 86400);
		break;
	case OPT_SEED:
		o->seed = parse_number("seed", arg, 0, UINT64_MAX);
		break;
	case OPT_ROUND:
		o->round = parse_number("round", arg, 0, ULONG_MAX);
		break;
	case OPT_FULL:
		o->full = true;
		break;
	case OPT_CHECK:
		o->check = true;
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
	const char *url;
	size_t f;
	int ch, m;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
		parse_option(ch, optarg, o);
	if (optind + 1 != argc) {
		usage(stderr);
		errx(EX_USAGE, "one of baseline, run or wave is required");
	}
	for (m = 0; m < MODE__MAX && strcmp(argv[optind], mode_names[m]) != 0; m++)
		continue;
	if (m == MODE__MAX)
		errx(EX_USAGE, "not baseline, run or wave: '%s'", argv[optind]);
	o->mode = (enum mode)m;
	if (o->t.url == NULL || o->t.ca == NULL || o->t.cert == NULL || o->t.key == NULL ||
	    o->hosts_file == NULL) {
		usage(stderr);
		errx(EX_USAGE, "--url, --ca, --cert, --key and --hosts are required");
	}
	if (o->check && !o->full)
		errx(EX_USAGE, "--check needs --full: a dpkg_hook wave's rows depend on the past");
	for (f = 0; f < o->nfronts; f++) {
		url = o->fronts[f].url;
		o->fronts[f] = o->t;
		o->fronts[f].url = url;
	}
}

/* --- main -------------------------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	struct options o = {.writers = 8,
	                    .checkers = 4,
	                    .seconds = 600,
	                    .round = 1,
	                    .seed = 1,
	                    .t.keepalive = true};
	struct soak s = {.o = &o};
	unsigned long failures;
	size_t i;

	parse_options(argc, argv, &o);
	http_global_init();
	if ((s.universe = gen_universe_new(o.seed)) == NULL)
		err(EX_OSERR, "package universe");
	hosts_read(&s, o.hosts_file);
	if (o.mode == MODE_BASELINE)
		failures = run_baseline(&s);
	else if (o.mode == MODE_WAVE)
		failures = run_wave(&s);
	else
		failures = run_soak(&s);
	for (i = 0; i < s.nhosts; i++) {
		free(s.hosts[i].name);
		free(s.hosts[i].ops);
	}
	free(s.hosts);
	gen_universe_free(s.universe);
	curl_global_cleanup();
	if (failures > 0) {
		printf("FAILED: %lu errors or hosts that differ\n", failures);
		return EXIT_FAILURE;
	}
	return EX_OK;
}
