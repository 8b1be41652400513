/*
 * version-oracle.c: pairs of versions, dpkg's verdict on each from libdpkg (dpkg's own
 * library: the parser and the comparison dpkg --compare-versions runs), and our answers
 * checked against them, the order of the sort keys included; a sample of the pairs goes
 * to the dpkg binary too.
 */
#include <err.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* parseversion and nffreeall: libdpkg's API outside its few stable headers. */
#define LIBDPKG_VOLATILE_API 1
#include <dpkg/dpkg-db.h>
#include <dpkg/error.h>
#include <dpkg/program.h>
#include <dpkg/version.h>

#include "core/buf.h"
#include "core/parse.h"
#include "core/version.h"
#include "version_canon.h"

/* At least this many distinct pairs, whatever the system's package lists hold. */
#define PAIRS_MIN 100000
/* Each version against the next NEIGHBOURS ones, in byte order and in version order. */
#define NEIGHBOURS 2
/* Random pairs over all versions, and as many again among the generated ones. */
#define RANDOM_PAIRS 10000
/* The largest pair or verdict file read. */
#define FILE_MAX (256 * 1024 * 1024)
/* Disagreements shown one by one; the count covers all of them. */
#define SHOW_MAX 50

struct strs {
	char **v;
	size_t n, cap;
};

struct pair {
	uint32_t a, b;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
};

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n, size)) == NULL)
		err(EX_OSERR, "out of memory");
	return p;
}

static void
strs_free(struct strs *s)
{
	while (s->n > 0)
		free(s->v[--s->n]);
	free(s->v);
}

static void
strs_add(struct strs *s, const char *p, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	if ((s->v[s->n] = strndup(p, len)) == NULL)
		err(EX_OSERR, "out of memory");
	s->n++;
}

/*
 * The edge cases, every epoch with every upstream version with every revision, many of
 * them refused by dpkg or by us: blanks, control characters, bytes >= 0x80, bad epochs,
 * empty parts, digit runs beyond 64 bits.
 */
static const char *const gen_epochs[] = {
    "",     "0:",  "1:", "01:", "2:",          "10:",          "+1:", "-0:", "2147483647:",
    "\n1:", "-1:", "a:", ":",   "2147483648:", "99999999999:", " 1:", "1a:",
};
static const char *const gen_upstreams[] = {
    "0",
    "00",
    "1",
    "01",
    "1.0",
    "1.00",
    "1.",
    "1.0.0",
    "1.0~",
    "1.0~0",
    "1.0~~",
    "1.0~rc1",
    "1.0~RC1",
    "1.0a",
    "1.0a0",
    "1.a",
    "1.0+",
    "1.0+dfsg",
    "1.0.1",
    "1.01",
    "1.10",
    "1.9",
    "1.0Z",
    "1.0_1",
    "1~",
    "1.0+b1",
    "2.0~beta+1",
    "1:1.0",
    "a",
    "~",
    "",
    "1.0\xe9",
    "1.0\x80",
    "1.0\n",
    "1 .0",
    "1.0 ",
    "18446744073709551616",
    "18446744073709551615",
    "99999999999999999999999999999999999999",
    "1.000000000000000000000000000000000000001",
};
static const char *const gen_revisions[] = {
    "",       "-0",      "-00",       "-1",         "-01", "-1.0", "-1+b1",
    "-1+b10", "-1~bpo1", "-1ubuntu1", "-1+deb12u1", "-a",  "-~",   "-",
};
/* Whole strings the product above does not make. */
static const char *const gen_extra[] = {
    "",        " ",      "\t", "  1.0\t", "\v+1:1.0", "\r-0:1.0", "\n-1:1.0",
    "1\n:1.0", "\n:1.0", "1:", "-",       "~~",       "1.0-1-1",  "1-2-3",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void
generate(struct strs *s)
{
	struct dm_buf b;
	size_t e, u, r;

	dm_buf_init(&b, 1024);
	for (e = 0; e < COUNT(gen_epochs); e++)
		for (u = 0; u < COUNT(gen_upstreams); u++)
			for (r = 0; r < COUNT(gen_revisions); r++) {
				b.len = 0;
				if (dm_buf_printf(&b, "%s%s%s", gen_epochs[e], gen_upstreams[u],
				                  gen_revisions[r]) == -1)
					err(EX_SOFTWARE, "version too long");
				strs_add(s, b.data, b.len);
			}
	for (e = 0; e < COUNT(gen_extra); e++)
		strs_add(s, gen_extra[e], strlen(gen_extra[e]));
	dm_buf_free(&b);
}

static int
cmp_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Version order, ties (equal versions) in byte order: the same list on every machine. */
static char **by_version_pool;
static int
cmp_version_index(const void *a, const void *b)
{
	const char *x = by_version_pool[*(const uint32_t *)a];
	const char *y = by_version_pool[*(const uint32_t *)b];
	int r = dm_version_cmp(x, y);

	return r != 0 ? r : strcmp(x, y);
}

/* Sorts the strings in byte order and drops duplicates. */
static void
strs_unique(struct strs *s)
{
	size_t i, n = 0;

	qsort(s->v, s->n, sizeof(*s->v), cmp_bytes);
	for (i = 0; i < s->n; i++)
		if (n > 0 && strcmp(s->v[n - 1], s->v[i]) == 0)
			free(s->v[i]);
		else
			s->v[n++] = s->v[i];
	s->n = n;
}

/* splitmix64: a fixed seed, so that the pair list (and the sample) is reproducible. */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Adds the pair {a, b} in an orientation that depends on the pair only. */
static void
pairs_add(struct pairs *p, uint32_t a, uint32_t b)
{
	uint64_t h = ((uint64_t)(a < b ? a : b) << 32 | (a < b ? b : a)) * 0x9e3779b97f4a7c15ULL;

	if (a == b)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 65536;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n].a = (h >> 63) ? (a < b ? a : b) : (a < b ? b : a);
	p->v[p->n].b = p->v[p->n].a == a ? b : a;
	p->n++;
}

/* Orders pairs by their smaller index, then their larger: either orientation, one place. */
static int
cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	uint32_t a1 = a->a < a->b ? a->a : a->b, b1 = b->a < b->b ? b->a : b->b;
	uint32_t a2 = a->a < a->b ? a->b : a->a, b2 = b->a < b->b ? b->b : b->a;

	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	return (a2 > b2) - (a2 < b2);
}

static void
pairs_unique(struct pairs *p)
{
	size_t i, n = 0;

	qsort(p->v, p->n, sizeof(*p->v), cmp_pair);
	for (i = 0; i < p->n; i++)
		if (n == 0 || cmp_pair(&p->v[n - 1], &p->v[i]) != 0)
			p->v[n++] = p->v[i];
	p->n = n;
}

/* Each version with its next NEIGHBOURS in the order given by index. */
static void
add_neighbours(struct pairs *p, const uint32_t *order, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 1; k <= NEIGHBOURS && i + k < n; k++)
			pairs_add(p, order[i], order[i + k]);
}

/* count random pairs of versions whose indexes are in from[0..n). */
static void
add_random(struct pairs *p, const uint32_t *from, size_t n, size_t count, uint64_t *rnd)
{
	while (n > 1 && count-- > 0)
		pairs_add(p, from[next_random(rnd) % n], from[next_random(rnd) % n]);
}

/* The system's versions, one a line on stdin. */
static void
read_lines(struct strs *s)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) > 0)
		strs_add(s, line, (size_t)len - (line[len - 1] == '\n'));
	free(line);
}

/* The index of s in all (sorted), which holds it. */
static uint32_t
index_of(const struct strs *all, const char *s)
{
	char **at = bsearch(&s, all->v, all->n, sizeof(*all->v), cmp_bytes);

	if (at == NULL)
		errx(EX_SOFTWARE, "%s: not among the versions", s);
	return (uint32_t)(at - all->v);
}

/*
 * Each of gen_extra against each upstream version of gen_upstreams alone: the empty and
 * blank strings, which the orders put side by side, meet every kind of version.
 */
static void
add_extras(struct pairs *p, const struct strs *all)
{
	size_t e, u;

	for (e = 0; e < COUNT(gen_extra); e++)
		for (u = 0; u < COUNT(gen_upstreams); u++)
			pairs_add(p, index_of(all, gen_extra[e]), index_of(all, gen_upstreams[u]));
}

/* The neighbours in both orders, random pairs, and more random ones up to PAIRS_MIN. */
static void
make_pairs(struct pairs *p, const struct strs *all, const struct strs *gen)
{
	uint32_t *order = xreallocarray(NULL, all->n, sizeof(*order));
	uint32_t *gen_index = xreallocarray(NULL, all->n, sizeof(*gen_index));
	uint64_t rnd = 20240601;
	size_t i, n_gen = 0;

	for (i = 0; i < all->n; i++) {
		order[i] = (uint32_t)i;
		if (bsearch(&all->v[i], gen->v, gen->n, sizeof(*gen->v), cmp_bytes) != NULL)
			gen_index[n_gen++] = (uint32_t)i;
	}
	add_extras(p, all);
	add_neighbours(p, order, all->n);
	by_version_pool = all->v;
	qsort(order, all->n, sizeof(*order), cmp_version_index);
	add_neighbours(p, order, all->n);
	add_random(p, gen_index, n_gen, RANDOM_PAIRS, &rnd);
	add_random(p, order, all->n, RANDOM_PAIRS, &rnd);
	for (pairs_unique(p); p->n < PAIRS_MIN; pairs_unique(p))
		add_random(p, order, all->n, PAIRS_MIN - p->n, &rnd);
	free(gen_index);
	free(order);
}

/* Every pair to ask dpkg about, as "A\0B\0" on stdout. */
static int
cmd_pairs(void)
{
	struct strs sys = {0}, gen = {0}, all = {0};
	struct pairs p = {0};
	size_t i;

	read_lines(&sys);
	strs_unique(&sys);
	generate(&gen);
	strs_unique(&gen);
	for (i = 0; i < sys.n; i++)
		strs_add(&all, sys.v[i], strlen(sys.v[i]));
	for (i = 0; i < gen.n; i++)
		strs_add(&all, gen.v[i], strlen(gen.v[i]));
	strs_unique(&all);
	make_pairs(&p, &all, &gen);
	for (i = 0; i < p.n; i++)
		printf("%s%c%s%c", all.v[p.v[i].a], 0, all.v[p.v[i].b], 0);
	fprintf(stderr,
	        "version oracle: %zu versions (%zu from this system, %zu generated), %zu pairs\n",
	        all.n, sys.n, gen.n, p.n);
	free(p.v);
	strs_free(&all);
	strs_free(&gen);
	strs_free(&sys);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

/* Reads a pair file: *v points at its strings, two per pair, inside b. */
static void
read_pairs(const char *path, struct dm_buf *b, const char ***v, size_t *n)
{
	char why[512];
	size_t i, cap = 0;

	dm_buf_init(b, FILE_MAX);
	if (dm_buf_read_file(b, path, why, sizeof(why)) == -1)
		errx(EX_NOINPUT, "%s", why);
	if (b->len > 0 && b->data[b->len - 1] != '\0')
		errx(EX_DATAERR, "%s: does not end with a NUL", path);
	*v = NULL, *n = 0;
	for (i = 0; i < b->len; i += strlen(b->data + i) + 1) {
		if (*n == cap)
			*v = xreallocarray(*v, cap = cap ? 2 * cap : 65536, sizeof(**v));
		(*v)[(*n)++] = b->data + i;
	}
	if (*n % 2 != 0)
		errx(EX_DATAERR, "%s: an odd number of strings", path);
	*n /= 2;
}

static const char *const op_names[] = {"lt", "eq", "gt"};

/* The sign of a comparison as an index of op_names. */
static int
op_of(int cmp)
{
	return cmp < 0 ? 0 : cmp == 0 ? 1 : 2;
}

/* dpkg's verdict on a pair: an index of op_names, or one of these. */
enum { VERDICT_REFUSED = 3, VERDICT_NONE = 4 };

static const char *
verdict_name(int verdict)
{
	return verdict == VERDICT_REFUSED ? "err" : op_names[verdict];
}

/*
 * How libdpkg reads a version, a class for the sample to cover: blank ("" or "<unknown>",
 * dpkg's "no version"), fine, or one of parseversion's warnings or errors, each message a
 * class of its own (kept in messages[]).
 */
enum { CLASS_BLANK, CLASS_OK, CLASS_MESSAGE, CLASS_MAX = 32 };
static char *messages[CLASS_MAX - CLASS_MESSAGE];
static size_t n_messages;

static int
message_class(const char *msg)
{
	size_t i;

	for (i = 0; i < n_messages; i++)
		if (strcmp(messages[i], msg) == 0)
			return CLASS_MESSAGE + (int)i;
	if (n_messages == COUNT(messages))
		errx(EX_SOFTWARE, "libdpkg: more than %zu kinds of bad version", COUNT(messages));
	if ((messages[n_messages] = strdup(msg)) == NULL)
		err(EX_OSERR, "out of memory");
	return CLASS_MESSAGE + (int)n_messages++;
}

/*
 * Reads s into *v as dpkg --compare-versions does (src/main/enquiry.c, cmpversions): ""
 * and "<unknown>" are no version; parseversion's warnings are shown and the version used,
 * its errors end dpkg (exit status 2). Returns -1 on such an error.
 */
static int
libdpkg_read(const char *s, struct dpkg_version *v, int *class)
{
	struct dpkg_error e = DPKG_ERROR_INIT;
	bool refused;

	if (*s == '\0' || strcmp(s, "<unknown>") == 0) {
		dpkg_version_blank(v);
		*class = CLASS_BLANK;
		return 0;
	}
	if (parseversion(v, s, &e) == 0) {
		*class = CLASS_OK;
		return 0;
	}
	*class = message_class(e.str != NULL ? e.str : "");
	refused = e.type != DPKG_MSG_WARN;
	dpkg_error_destroy(&e);
	return refused ? -1 : 0;
}

/* libdpkg's verdict on the pair a, b, as cmpversions makes it; the class of each version. */
static int
libdpkg_verdict(const char *a, const char *b, int *class_a, int *class_b)
{
	struct dpkg_version va, vb;
	bool ok_a = libdpkg_read(a, &va, class_a) == 0, ok_b = libdpkg_read(b, &vb, class_b) == 0;
	int verdict;

	if (!ok_a || !ok_b)
		verdict = VERDICT_REFUSED;
	else if (!dpkg_version_is_informative(&va))
		verdict = dpkg_version_is_informative(&vb) ? 0 : 1;
	else if (!dpkg_version_is_informative(&vb))
		verdict = 2;
	else
		verdict = op_of(dpkg_version_compare(&va, &vb));
	/* parseversion's strings come from dpkg's pool, one pair's worth at a time. */
	nffreeall();
	return verdict;
}

/*
 * The sample dpkg --compare-versions itself judges: every SAMPLE_STEP-th pair, and any
 * pair with a feature fewer than SAMPLE_MIN sampled pairs had before it. The features:
 * each entry of the generator's lists (gen_epochs, gen_upstreams, gen_revisions,
 * gen_extra) some version of the pair is made of, and the pair's kind of answer (libdpkg's
 * verdict with the class of each version). At least PAIRS_MIN / SAMPLE_STEP pairs.
 */
#define SAMPLE_STEP 50
#define SAMPLE_MIN 3
#define GEN_FEATURES                                                                               \
	(COUNT(gen_epochs) + COUNT(gen_upstreams) + COUNT(gen_revisions) + COUNT(gen_extra))
#define FEATURES (GEN_FEATURES + (VERDICT_REFUSED + 1) * CLASS_MAX * CLASS_MAX)

/* Marks in f the generator entries v is made of, in every way it can be made of them. */
static void
gen_features(const char *v, bool *f)
{
	const size_t ne = COUNT(gen_epochs), nu = COUNT(gen_upstreams);
	const size_t nr = COUNT(gen_revisions);
	size_t len = strlen(v), le, lr, lu, e, u, r;

	for (e = 0; e < ne; e++) {
		le = strlen(gen_epochs[e]);
		if (le > len || memcmp(v, gen_epochs[e], le) != 0)
			continue;
		for (r = 0; r < nr; r++) {
			lr = strlen(gen_revisions[r]);
			if (le + lr > len || memcmp(v + len - lr, gen_revisions[r], lr) != 0)
				continue;
			lu = len - le - lr;
			for (u = 0; u < nu; u++)
				if (strlen(gen_upstreams[u]) == lu &&
				    memcmp(v + le, gen_upstreams[u], lu) == 0)
					f[e] = f[ne + u] = f[ne + nu + r] = true;
		}
	}
	for (e = 0; e < COUNT(gen_extra); e++)
		if (strcmp(v, gen_extra[e]) == 0)
			f[ne + nu + nr + e] = true;
}

/*
 * libdpkg's verdict on each of the n pairs of v into verdict[], and the sample into
 * sampled[]. Returns the sample's size; *extra is how many of it are there for a feature.
 */
static size_t
judge_all(const char **v, size_t n, unsigned char *verdict, bool *sampled, size_t *extra)
{
	static unsigned char seen[FEATURES];
	bool f[GEN_FEATURES];
	size_t i, k, gen_short = GEN_FEATURES, outcome, size = 0;
	int ca, cb;

	memset(seen, 0, sizeof(seen));
	*extra = 0;
	for (i = 0; i < n; i++) {
		verdict[i] = (unsigned char)libdpkg_verdict(v[2 * i], v[2 * i + 1], &ca, &cb);
		outcome = GEN_FEATURES + ((size_t)verdict[i] * CLASS_MAX + (size_t)ca) * CLASS_MAX +
		          (size_t)cb;
		memset(f, 0, sizeof(f));
		if (gen_short > 0) {
			gen_features(v[2 * i], f);
			gen_features(v[2 * i + 1], f);
		}
		sampled[i] = i % SAMPLE_STEP == 0 || seen[outcome] < SAMPLE_MIN;
		for (k = 0; k < GEN_FEATURES && !sampled[i]; k++)
			sampled[i] = f[k] && seen[k] < SAMPLE_MIN;
		if (!sampled[i])
			continue;
		size++;
		*extra += i % SAMPLE_STEP != 0;
		seen[outcome] += seen[outcome] < SAMPLE_MIN;
		for (k = 0; k < GEN_FEATURES; k++)
			if (f[k] && seen[k] < SAMPLE_MIN && ++seen[k] == SAMPLE_MIN)
				gen_short--;
	}
	return size;
}

/*
 * The sample for dpkg --compare-versions, as "INDEX\0OP\0A\0B\0" records: OP is libdpkg's
 * verdict, so that a pair where the two agree costs one dpkg run.
 */
static int
cmd_sample(const char *pairs)
{
	const char **v;
	unsigned char *verdict;
	bool *sampled;
	struct dm_buf b;
	size_t i, n, extra;

	read_pairs(pairs, &b, &v, &n);
	verdict = xreallocarray(NULL, n + 1, 1);
	sampled = xreallocarray(NULL, n + 1, sizeof(*sampled));
	judge_all(v, n, verdict, sampled, &extra);
	for (i = 0; i < n; i++)
		if (sampled[i])
			printf("%zu%c%s%c%s%c%s%c", i, 0,
			       op_names[verdict[i] == VERDICT_REFUSED ? 1 : verdict[i]], 0,
			       v[2 * i], 0, v[2 * i + 1], 0);
	free(sampled);
	free(verdict);
	free(v);
	dm_buf_free(&b);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

/*
 * Reads the verdicts of dpkg --compare-versions, lines of "INDEX VERDICT RUNS" (VERDICT
 * one of op_names or "err", RUNS how many dpkg runs it took), one per sampled pair.
 */
static void
read_verdicts(const char *path, size_t n, const bool *sampled, unsigned char *verdict)
{
	char line[128], idx[24], word[8], count[24];
	long long i, c;
	size_t k;
	int op;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		err(EX_NOINPUT, "%s", path);
	memset(verdict, VERDICT_NONE, n);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%23s %7s %23s", idx, word, count) != 3 ||
		    dm_parse_ll(idx, 0, (long long)n - 1, &i) == -1 ||
		    dm_parse_ll(count, 1, 2, &c) == -1 || !sampled[i] || verdict[i] != VERDICT_NONE)
			errx(EX_DATAERR, "%s: bad, repeated or unasked line: %s", path, line);
		for (op = 0; op < 3 && strcmp(word, op_names[op]) != 0; op++)
			;
		if (op == 3 && strcmp(word, "err") != 0)
			errx(EX_DATAERR, "%s: bad verdict: %s", path, line);
		verdict[i] = (unsigned char)op;
	}
	if (ferror(f) || fclose(f) != 0)
		err(EX_IOERR, "%s", path);
	for (k = 0; k < n; k++)
		if (sampled[k] && verdict[k] == VERDICT_NONE)
			errx(EX_DATAERR, "%s: sampled pair %zu has no verdict", path, k);
}

/* Printable ASCII other than space, and not empty ("" is dpkg's "no version"). */
static bool
plain(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

/* Whether the canonical forms of a and b (both valid) are equal. */
static bool
same_canon(const char *a, const char *b)
{
	size_t na = 2 * strlen(a) + 32, nb = 2 * strlen(b) + 32;
	char *ca = xreallocarray(NULL, na, 1), *cb = xreallocarray(NULL, nb, 1);
	bool same;

	if (version_canon(a, ca, na) == -1 || version_canon(b, cb, nb) == -1)
		errx(EX_SOFTWARE, "no room for the canonical form of %s or %s", a, b);
	same = strcmp(ca, cb) == 0;
	free(cb);
	free(ca);
	return same;
}

/*
 * What is wrong with our answers on the pair a, b given dpkg's verdict, or NULL. The
 * sort keys must order every pair as dm_version_cmp does, even one dpkg refuses.
 */
static const char *
judge(const char *a, const char *b, int verdict)
{
	bool va = dm_version_valid(a, NULL), vb = dm_version_valid(b, NULL);
	int cmp = dm_version_cmp(a, b);

	if (version_key_order(a, b) != (cmp > 0) - (cmp < 0))
		return "the sort keys (dm_version_key) disagree with dm_version_cmp";
	if (verdict == VERDICT_REFUSED)
		return va && vb ? "dpkg refuses the pair, dm_version_valid accepts both" : NULL;
	if (op_of(cmp) != verdict)
		return "dm_version_cmp disagrees";
	if (!(va && vb) && *a != '\0' && *b != '\0' && plain(a) && plain(b))
		return "dpkg takes both, dm_version_valid refuses one";
	if (va && vb && same_canon(a, b) != (verdict == 1))
		return "the canonical forms disagree";
	return NULL;
}

/* s in double quotes, bytes other than printable ASCII as \xHH. */
static void
show(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++)
		if (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			putchar(*s);
		else
			printf("\\x%02x", (unsigned char)*s);
	putchar('"');
}

/*
 * libdpkg's verdict on every pair, and dpkg --compare-versions' on the sample (from
 * cmd_sample, in the file binary): ours must be libdpkg's on every pair, and the binary's
 * must be libdpkg's on every sampled one.
 */
static int
cmd_check(const char *pairs, const char *binary)
{
	const char **v, *problem;
	unsigned char *verdict, *bin;
	bool *sampled;
	size_t i, n, size, extra, refused = 0, bad = 0;
	struct dm_buf b;

	read_pairs(pairs, &b, &v, &n);
	verdict = xreallocarray(NULL, n + 1, 1);
	bin = xreallocarray(NULL, n + 1, 1);
	sampled = xreallocarray(NULL, n + 1, sizeof(*sampled));
	size = judge_all(v, n, verdict, sampled, &extra);
	read_verdicts(binary, n, sampled, bin);
	for (i = 0; i < n; i++) {
		refused += verdict[i] == VERDICT_REFUSED;
		problem = judge(v[2 * i], v[2 * i + 1], verdict[i]);
		if (sampled[i] && bin[i] != verdict[i])
			problem = "libdpkg and dpkg --compare-versions disagree";
		if (problem == NULL || ++bad > SHOW_MAX)
			continue;
		show(v[2 * i]);
		printf(" vs ");
		show(v[2 * i + 1]);
		printf(": libdpkg says %s, ", verdict_name(verdict[i]));
		if (sampled[i])
			printf("dpkg --compare-versions %s, ", verdict_name(bin[i]));
		printf("dm_version_cmp %s: %s\n",
		       op_names[op_of(dm_version_cmp(v[2 * i], v[2 * i + 1]))], problem);
	}
	printf("version oracle: %zu pairs (%zu refused by dpkg) judged by libdpkg, %zu of them "
	       "(one in %d, %zu more for coverage) by dpkg --compare-versions too, "
	       "all by their sort keys, %zu disagreements\n",
	       n, refused, size, SAMPLE_STEP, extra, bad);
	free(sampled);
	free(bin);
	free(verdict);
	free(v);
	dm_buf_free(&b);
	return bad == 0 ? EX_OK : 1;
}

int
main(int argc, char **argv)
{
	int rc = EX_USAGE;

	/* libdpkg's error context: what it runs on a fatal error (out of memory). */
	dpkg_program_init("version-oracle");
	if (argc == 2 && strcmp(argv[1], "pairs") == 0)
		rc = cmd_pairs();
	else if (argc == 3 && strcmp(argv[1], "sample") == 0)
		rc = cmd_sample(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "check") == 0)
		rc = cmd_check(argv[2], argv[3]);
	else
		fprintf(stderr, "usage: version-oracle pairs < VERSIONS > PAIRS\n"
		                "       version-oracle sample PAIRS | (dpkg runs) > VERDICTS\n"
		                "       version-oracle check PAIRS VERDICTS\n");
	dpkg_program_done();
	return rc;
}
