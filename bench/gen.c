/* gen.c: the payload generator: a seeded universe of Debian packages, hosts drawn from it. */
#include "gen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_NAME_MAX 96
#define GEN_VERSION_MAX 64
/* Room for a base version plus what the upgrade and dpkg_hook variants append to it. */
#define GEN_DERIVED_MAX (GEN_VERSION_MAX + 32)
/* Slots of the name set used while building: a power of two, well above the universe. */
#define GEN_SET_SLOTS 16384
/*
 * Per mille of sources that build several binaries (2 to 6). With the :i386 twins and the
 * lone binaries whose sources happen to have the same name, about a third of all binaries
 * share their source with others (measured: 33% to 34% over several seeds).
 */
#define GEN_GROUP_PERMILLE 60
/* Per mille of lib* binaries that also come as their foreign-architecture :i386 twin. */
#define GEN_I386_PERMILLE 120

#define GEN_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct gen_pkg {
	char name[GEN_NAME_MAX];
	char source[GEN_NAME_MAX];
	char version[GEN_VERSION_MAX];
};

struct gen_universe {
	uint64_t seed;
	size_t count;
	struct gen_pkg pkgs[GEN_UNIVERSE_SIZE]; /* sorted by name once built */
};

struct gen_host {
	const struct gen_universe *u;
	char name[GEN_HOSTNAME_MAX + 1];
	size_t count;
	size_t upgradable;
	uint32_t *pkgs; /* universe indices, ascending: the packages come in name order */
	/*
	 * A per-host permutation of 0..count-1: the packages of the lowest ranks are the
	 * upgradable ones, those of the highest ranks the ones dpkg_hook payloads install.
	 */
	uint32_t *rank;
};

/* The names taken so far while building the universe: open addressing, index + 1 per slot. */
struct gen_set {
	uint32_t slot[GEN_SET_SLOTS];
};

struct gen_rng {
	uint64_t s;
};

/*
 * What one payload lists: the packages of ranks from installed_from as installed (at the
 * base version, or rebuilt at a version of installed_variant), those of ranks below
 * upgradable_below as upgradable (to a version of upgrade_variant).
 */
struct gen_select {
	const char *type;
	size_t installed_from;
	bool rebuilt;
	unsigned installed_variant;
	size_t upgradable_below;
	unsigned upgrade_variant;
	bool wave; /* the packages of the wave's sources installed at its version */
	unsigned long wave_round;
};

static const char *const gen_syllables[] = {
    "gnu",     "tls",     "xml",      "ssl",      "curl",    "zip",      "bz",     "lz",
    "gtk",     "qt",      "pango",    "cairo",    "glib",    "dbus",     "sys",    "krb",
    "sasl",    "ldap",    "pam",      "audit",    "cap",     "acl",      "attr",   "selinux",
    "mount",   "blk",     "uuid",     "fdisk",    "smart",   "ncurses",  "read",   "line",
    "edit",    "expat",   "yaml",     "json",     "http",    "ssh",      "gpg",    "assuan",
    "ksba",    "crypt",   "idn",      "uni",      "string",  "psl",      "brotli", "zstd",
    "magic",   "archive", "pcre",     "ffi",      "tasn",    "nettle",   "gmp",    "mpfr",
    "isl",     "elf",     "dw",       "unwind",   "sqlite",  "lmdb",     "event",  "uv",
    "png",     "jpeg",    "tiff",     "webp",     "gif",     "freetype", "font",   "config",
    "harf",    "buzz",    "pixman",   "drm",      "gbm",     "wayland",  "xcb",    "xext",
    "render",  "fixes",   "atk",      "spi",      "gdk",     "pixbuf",   "rsvg",   "poppler",
    "cups",    "avahi",   "pulse",    "alsa",     "snd",     "vorbis",   "ogg",    "flac",
    "opus",    "mpg",     "lame",     "jack",     "sox",     "icu",      "boost",  "tbb",
    "proto",   "buf",     "grpc",     "snappy",   "level",   "db",       "rocks",  "thrift",
    "avro",    "arrow",   "numpy",    "scipy",    "pandas",  "requests", "url",    "lib",
    "certifi", "chardet", "six",      "dateutil", "tz",      "jinja",    "markup", "click",
    "flask",   "django",  "werkzeug", "alchemy",  "psycopg", "redis",    "celery", "kombu",
    "amqp",    "vine",    "billiard", "net",      "snmp",    "perl",     "apr",    "util",
    "gcc",     "std",     "atomic",   "quad",     "math",    "ssh2",     "ntp",    "sec",
};

static const char *const gen_soversions[] = {"0",  "1",     "2",     "3",  "4",  "5",  "6",  "8",
                                             "10", "1.0-0", "2.0-0", "-3", "-4", "c2", "v5", "0d"};

static const char *const gen_suffixes[] = {"-common", "-data",  "-doc",    "-utils",
                                           "-bin",    "-tools", "-client", "-dbg"};

static const char *const gen_upstream_tags[] = {
    "", "", "", "", "", "", "", "", "+dfsg", ".dfsg", "+ds", "~rc1", "+git20230115"};

static const char *const gen_revision_tags[] = {"", "",         "",         "",         "",
                                                "", "+deb12u1", "+deb12u2", "+deb12u4", "~deb12u1"};

/* --- the PRNG: splitmix64 to seed, xorshift64* to draw ---------------------------------- */

uint64_t
gen_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
gen_rng_seed(struct gen_rng *r, uint64_t seed)
{
	r->s = gen_splitmix64(&seed);
	/* Zero is the one state xorshift never leaves. */
	if (r->s == 0)
		r->s = 0x9e3779b97f4a7c15ULL;
}

static uint64_t
gen_rng_next(struct gen_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n): the top 32 bits scaled, whose bias (under 2^-20 here) does not matter. */
static uint32_t
gen_below(struct gen_rng *r, uint32_t n)
{
	return (uint32_t)(((gen_rng_next(r) >> 32) * n) >> 32);
}

static bool
gen_chance(struct gen_rng *r, uint32_t permille)
{
	return gen_below(r, 1000) < permille;
}

static const char *
gen_pick(struct gen_rng *r, const char *const *list, size_t n)
{
	return list[gen_below(r, (uint32_t)n)];
}

static uint64_t
gen_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* snprintf that fails (-1, errno ENAMETOOLONG) rather than truncate. */
static int __attribute__((format(printf, 3, 4)))
gen_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* --- names and versions ------------------------------------------------------------------ */

enum gen_kind {
	GEN_PLAIN,
	GEN_LIB,
	GEN_DEV,
	GEN_SUFFIXED,
	GEN_PYTHON,
	GEN_PERL,
	GEN_GOLANG,
	GEN_NODE,
	GEN_RUBY,
	GEN_FONTS,
	GEN_RCRAN,
	GEN_GIR,
	GEN_KIND__MAX
};

/* How often each kind names a lone binary, per mille (sums to 1000). */
static const uint32_t gen_kind_weight[GEN_KIND__MAX] = {
    [GEN_PLAIN] = 230,  [GEN_LIB] = 300,  [GEN_DEV] = 60,    [GEN_SUFFIXED] = 80,
    [GEN_PYTHON] = 150, [GEN_PERL] = 50,  [GEN_GOLANG] = 40, [GEN_NODE] = 40,
    [GEN_RUBY] = 20,    [GEN_FONTS] = 10, [GEN_RCRAN] = 10,  [GEN_GIR] = 10,
};

static enum gen_kind
gen_lone_kind(struct gen_rng *r)
{
	uint32_t x = gen_below(r, 1000);
	int k;

	for (k = 0; k < GEN_KIND__MAX - 1; k++) {
		if (x < gen_kind_weight[k])
			break;
		x -= gen_kind_weight[k];
	}
	return (enum gen_kind)k;
}

/* The binaries one source builds: the source's own name, its libraries, -dev, -common... */
static enum gen_kind
gen_group_kind(struct gen_rng *r)
{
	static const enum gen_kind kinds[] = {GEN_PLAIN,    GEN_LIB,      GEN_LIB,    GEN_DEV,
	                                      GEN_SUFFIXED, GEN_SUFFIXED, GEN_PYTHON, GEN_GIR};

	return kinds[gen_below(r, GEN_LEN(kinds))];
}

static void
gen_stem(struct gen_rng *r, char *out, size_t size)
{
	const char *a = gen_pick(r, gen_syllables, GEN_LEN(gen_syllables));
	const char *b = gen_pick(r, gen_syllables, GEN_LEN(gen_syllables));

	/* Few one-syllable stems: lone packages of the same stem would share their source. */
	if (a == b || gen_chance(r, 150))
		snprintf(out, size, "%s", a);
	else
		snprintf(out, size, "%s%s%s", a, gen_chance(r, 300) ? "-" : "", b);
}

/* The name of a binary of kind k; so and suffix are used by the kinds that need them. */
static int
gen_name(enum gen_kind k, const char *stem, const char *so, const char *suffix, char *out,
         size_t size)
{
	/* A soversion after a digit is set apart, as in libgtk-3-0. */
	const char *sep = strchr("0123456789", stem[strlen(stem) - 1]) != NULL ? "-" : "";

	switch (k) {
	case GEN_LIB:
		return gen_fmt(out, size, "lib%s%s%s", stem, so[0] == '-' ? "" : sep, so);
	case GEN_DEV:
		return gen_fmt(out, size, "lib%s-dev", stem);
	case GEN_SUFFIXED:
		return gen_fmt(out, size, "%s%s", stem, suffix);
	case GEN_PYTHON:
		return gen_fmt(out, size, "python3-%s", stem);
	case GEN_PERL:
		return gen_fmt(out, size, "lib%s-perl", stem);
	case GEN_GOLANG:
		return gen_fmt(out, size, "golang-%s-dev", stem);
	case GEN_NODE:
		return gen_fmt(out, size, "node-%s", stem);
	case GEN_RUBY:
		return gen_fmt(out, size, "ruby-%s", stem);
	case GEN_FONTS:
		return gen_fmt(out, size, "fonts-%s", stem);
	case GEN_RCRAN:
		return gen_fmt(out, size, "r-cran-%s", stem);
	case GEN_GIR:
		return gen_fmt(out, size, "gir1.2-%s-1.0", stem);
	default:
		return gen_fmt(out, size, "%s", stem);
	}
}

/* The source package a lone binary of kind k comes from, as Debian names them. */
static int
gen_lone_source(enum gen_kind k, const char *stem, char *out, size_t size)
{
	switch (k) {
	case GEN_PYTHON:
		return gen_fmt(out, size, "python-%s", stem);
	case GEN_PERL:
		return gen_fmt(out, size, "lib%s-perl", stem);
	case GEN_GOLANG:
		return gen_fmt(out, size, "golang-%s", stem);
	case GEN_NODE:
	case GEN_RUBY:
	case GEN_FONTS:
	case GEN_RCRAN:
		/* These binaries carry their source's name. */
		return gen_name(k, stem, "", "", out, size);
	default:
		return gen_fmt(out, size, "%s", stem);
	}
}

/* Debian-like: "2.36-9+deb12u4", "1:1.2.13.dfsg-1", "20230311", "0.9~rc1-2". */
static void
gen_version(struct gen_rng *r, char *out, size_t size)
{
	char epoch[4] = "", upstream[32], revision[16] = "";
	const char *tag = gen_pick(r, gen_upstream_tags, GEN_LEN(gen_upstream_tags));

	if (gen_chance(r, 80))
		snprintf(epoch, sizeof(epoch), "%u:", 1 + gen_below(r, 2));
	if (gen_chance(r, 40))
		snprintf(upstream, sizeof(upstream), "2023%02u%02u", 1 + gen_below(r, 12),
		         1 + gen_below(r, 28));
	else if (gen_chance(r, 600))
		snprintf(upstream, sizeof(upstream), "%u.%u.%u%s", gen_below(r, 10),
		         gen_below(r, 40), gen_below(r, 25), tag);
	else
		snprintf(upstream, sizeof(upstream), "%u.%u%s", gen_below(r, 10), gen_below(r, 40),
		         tag);
	if (!gen_chance(r, 50))
		snprintf(revision, sizeof(revision), "-%u%s", 1 + gen_below(r, 9),
		         gen_pick(r, gen_revision_tags, GEN_LEN(gen_revision_tags)));
	snprintf(out, size, "%s%s%s", epoch, upstream, revision);
}

/* --- the universe ------------------------------------------------------------------------ */

/* The slot of name in the set: the one holding it, or the empty one where it would go. */
static uint32_t *
gen_set_slot(struct gen_set *set, const struct gen_universe *u, const char *name)
{
	size_t i = (size_t)gen_hash(name) & (GEN_SET_SLOTS - 1);

	while (set->slot[i] != 0 && strcmp(u->pkgs[set->slot[i] - 1].name, name) != 0)
		i = (i + 1) & (GEN_SET_SLOTS - 1);
	return &set->slot[i];
}

/* Adds one binary, unless the universe is full or has the name already (false then). */
static bool
gen_add(struct gen_universe *u, struct gen_set *set, const char *name, const char *source,
        const char *version)
{
	uint32_t *slot = gen_set_slot(set, u, name);
	struct gen_pkg *p;

	if (*slot != 0 || u->count == GEN_UNIVERSE_SIZE)
		return false;
	p = &u->pkgs[u->count++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->source, sizeof(p->source), "%s", source);
	snprintf(p->version, sizeof(p->version), "%s", version);
	*slot = (uint32_t)u->count;
	return true;
}

/* One binary of kind k built by source, and sometimes, for a library, its :i386 twin. */
static void
gen_add_binary(struct gen_universe *u, struct gen_set *set, struct gen_rng *r, enum gen_kind k,
               const char *stem, const char *source, const char *version)
{
	char name[GEN_NAME_MAX], twin[GEN_NAME_MAX];
	const char *so = gen_pick(r, gen_soversions, GEN_LEN(gen_soversions));
	const char *suffix = gen_pick(r, gen_suffixes, GEN_LEN(gen_suffixes));

	if (gen_name(k, stem, so, suffix, name, sizeof(name)) != 0 ||
	    !gen_add(u, set, name, source, version))
		return;
	if (k == GEN_LIB && gen_chance(r, GEN_I386_PERMILLE) &&
	    gen_fmt(twin, sizeof(twin), "%s:i386", name) == 0)
		gen_add(u, set, twin, source, version);
}

/* One source package, at one version, and the binaries it builds. */
static void
gen_add_source(struct gen_universe *u, struct gen_set *set, struct gen_rng *r)
{
	char stem[GEN_NAME_MAX / 2], source[GEN_NAME_MAX], version[GEN_VERSION_MAX];
	uint32_t i, n = gen_chance(r, GEN_GROUP_PERMILLE) ? 2 + gen_below(r, 5) : 1;
	enum gen_kind k;

	gen_stem(r, stem, sizeof(stem));
	gen_version(r, version, sizeof(version));
	if (n == 1) {
		k = gen_lone_kind(r);
		if (gen_lone_source(k, stem, source, sizeof(source)) == 0)
			gen_add_binary(u, set, r, k, stem, source, version);
		return;
	}
	for (i = 0; i < n; i++)
		gen_add_binary(u, set, r, gen_group_kind(r), stem, stem, version);
}

static int
gen_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct gen_pkg *)a)->name, ((const struct gen_pkg *)b)->name);
}

struct gen_universe *
gen_universe_new(uint64_t seed)
{
	struct gen_universe *u = calloc(1, sizeof(*u));
	struct gen_set *set = calloc(1, sizeof(*set));
	struct gen_rng r;

	if (u == NULL || set == NULL) {
		free(u);
		free(set);
		errno = ENOMEM;
		return NULL;
	}
	u->seed = seed;
	gen_rng_seed(&r, seed);
	/* The name space is far larger than the universe: this ends after a few duplicates. */
	while (u->count < GEN_UNIVERSE_SIZE)
		gen_add_source(u, set, &r);
	free(set);
	qsort(u->pkgs, u->count, sizeof(u->pkgs[0]), gen_cmp_name);
	return u;
}

void
gen_universe_free(struct gen_universe *u)
{
	free(u);
}

/* --- hosts ------------------------------------------------------------------------------- */

/* Makes a[0..k-1] a uniformly drawn k-subset of a[0..n-1], in random order (Fisher-Yates). */
static void
gen_shuffle(struct gen_rng *r, uint32_t *a, size_t n, size_t k)
{
	size_t i, j;
	uint32_t t;

	for (i = 0; i < k && i + 1 < n; i++) {
		j = i + gen_below(r, (uint32_t)(n - i));
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static int
gen_cmp_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Draws the host's packages and ranks them; all, scratch space, holds u->count entries. */
static void
gen_host_draw(struct gen_host *h, uint32_t *all)
{
	uint64_t x = h->u->seed;
	struct gen_rng r;
	size_t i;

	/* The name mixed with the seed: hosts of the same name differ between seeds too. */
	gen_rng_seed(&r, gen_splitmix64(&x) ^ gen_hash(h->name));
	for (i = 0; i < h->u->count; i++)
		all[i] = (uint32_t)i;
	gen_shuffle(&r, all, h->u->count, h->count);
	if (h->count > 0)
		memcpy(h->pkgs, all, h->count * sizeof(*all));
	qsort(h->pkgs, h->count, sizeof(*h->pkgs), gen_cmp_index);
	for (i = 0; i < h->count; i++)
		h->rank[i] = (uint32_t)i;
	gen_shuffle(&r, h->rank, h->count, h->count);
}

static bool
gen_valid_hostname(const char *name)
{
	json_t *s = json_string(name); /* NULL unless valid UTF-8 */

	json_decref(s);
	return s != NULL && strlen(name) <= GEN_HOSTNAME_MAX;
}

struct gen_host *
gen_host_new(const struct gen_universe *u, const char *hostname, size_t npackages)
{
	struct gen_host *h;
	uint32_t *all;

	if (!gen_valid_hostname(hostname) || npackages > u->count) {
		errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	all = calloc(u->count, sizeof(*all));
	if (h != NULL) {
		h->pkgs = calloc(npackages + 1, sizeof(*h->pkgs));
		h->rank = calloc(npackages + 1, sizeof(*h->rank));
	}
	if (h == NULL || all == NULL || h->pkgs == NULL || h->rank == NULL) {
		free(all);
		gen_host_free(h);
		errno = ENOMEM;
		return NULL;
	}
	h->u = u;
	snprintf(h->name, sizeof(h->name), "%s", hostname);
	h->count = npackages;
	h->upgradable = (npackages * GEN_UPGRADABLE_PERMILLE + 500) / 1000;
	gen_host_draw(h, all);
	free(all);
	return h;
}

void
gen_host_free(struct gen_host *h)
{
	if (h == NULL)
		return;
	free(h->pkgs);
	free(h->rank);
	free(h);
}

size_t
gen_host_packages(const struct gen_host *h)
{
	return h->count;
}

size_t
gen_host_upgradable(const struct gen_host *h)
{
	return h->upgradable;
}

/* --- payloads ---------------------------------------------------------------------------- */

/* The version an upgrade offers: the next Debian 12 stable update, one further per variant. */
static int
gen_upgrade_version(const char *base, unsigned variant, char *out, size_t size)
{
	const char *tag = strstr(base, "deb12u");
	char *end;
	unsigned long n;

	if (tag != NULL) {
		n = strtoul(tag + 6, &end, 10);
		if (end != tag + 6 && *end == '\0')
			return gen_fmt(out, size, "%.*sdeb12u%lu", (int)(tag - base), base,
			               n + 1 + variant);
	}
	return gen_fmt(out, size, "%s+deb12u%lu", base, 1UL + variant);
}

/* Whether p's source is one of those round's upgrade wave updates. */
static bool
gen_in_wave(const struct gen_pkg *p, unsigned long round)
{
	return gen_hash(p->source) % GEN_WAVE_STRIDE == round % GEN_WAVE_STRIDE;
}

static int
gen_add_installed(json_t *list, const struct gen_pkg *p, const struct gen_select *sel, bool wave)
{
	char v[GEN_DERIVED_MAX];

	/* A binary-only rebuild (+bN) is what makes a version differ for each variant. */
	if (wave) {
		if (gen_fmt(v, sizeof(v), "%s+wave%lu", p->version, sel->wave_round) != 0)
			return -1;
	} else if (!sel->rebuilt)
		snprintf(v, sizeof(v), "%s", p->version);
	else if (gen_fmt(v, sizeof(v), "%s+b%lu", p->version, 1UL + sel->installed_variant) != 0)
		return -1;
	return json_array_append_new(
	    list, json_pack("{s:s, s:s, s:s}", "name", p->name, "version", v, "source", p->source));
}

static int
gen_add_upgrade(json_t *list, const struct gen_pkg *p, uint32_t rank, unsigned variant)
{
	char to[GEN_DERIVED_MAX];

	if (gen_upgrade_version(p->version, variant, to, sizeof(to)) != 0)
		return -1;
	/* Ranks are a random order, so every third one makes a third of them security ones. */
	return json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", p->name,
	                                             "version_from", p->version, "version_to", to,
	                                             "source", p->source, "type",
	                                             rank % 3 == 0 ? "security" : ""));
}

/* The payload around its lists, which it takes (even when it fails). */
static json_t *
gen_envelope(const struct gen_host *h, const char *type, json_t *installed, json_t *upgradable)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "api_version", "v1",
	                      "update_type", type, "hostname", h->name, "os", "Debian 12",
	                      "running_kernel", "release", "6.1.0-18-amd64", "version",
	                      "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
	int rc;

	if (o == NULL) {
		json_decref(installed);
		json_decref(upgradable);
		return NULL;
	}
	/* json_object_set_new takes its value even when it fails: all three run, one check. */
	rc = json_object_set_new(o, "installed", installed);
	rc |= json_object_set_new(o, "upgradable", upgradable);
	rc |= json_object_set_new(o, "uninstalled", json_array());
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
gen_build(const struct gen_host *h, const struct gen_select *sel)
{
	json_t *installed = json_array(), *upgradable = json_array(), *o;
	int rc = installed == NULL || upgradable == NULL ? -1 : 0;
	const struct gen_pkg *p;
	bool wave;
	size_t i;

	for (i = 0; i < h->count && rc == 0; i++) {
		p = &h->u->pkgs[h->pkgs[i]];
		wave = sel->wave && gen_in_wave(p, sel->wave_round);
		if (h->rank[i] >= sel->installed_from || wave)
			rc = gen_add_installed(installed, p, sel, wave);
		/* What a wave installs is the newest there is: no upgrade is offered for it. */
		if (rc == 0 && !wave && h->rank[i] < sel->upgradable_below)
			rc = gen_add_upgrade(upgradable, p, h->rank[i], sel->upgrade_variant);
	}
	if (rc != 0) {
		json_decref(installed);
		json_decref(upgradable);
		errno = ENOMEM;
		return NULL;
	}
	o = gen_envelope(h, sel->type, installed, upgradable);
	if (o == NULL)
		errno = ENOMEM;
	return o;
}

json_t *
gen_payload_full(const struct gen_host *h)
{
	const struct gen_select sel = {
	    .type = "full", .installed_from = 0, .upgradable_below = h->upgradable};

	return gen_build(h, &sel);
}

json_t *
gen_payload_upgradable(const struct gen_host *h, size_t count, unsigned variant)
{
	struct gen_select sel = {.type = "upgradable", .installed_from = h->count};

	if (count > h->count) {
		errno = EINVAL;
		return NULL;
	}
	sel.upgradable_below = count;
	sel.upgrade_variant = variant;
	return gen_build(h, &sel);
}

json_t *
gen_payload_dpkg_hook(const struct gen_host *h, size_t count, unsigned variant)
{
	struct gen_select sel = {.type = "dpkg_hook", .rebuilt = true};

	if (count > h->count) {
		errno = EINVAL;
		return NULL;
	}
	sel.installed_from = h->count - count;
	sel.installed_variant = variant;
	return gen_build(h, &sel);
}

json_t *
gen_payload_wave(const struct gen_host *h, bool full, unsigned long round)
{
	struct gen_select sel = {.type = full ? "full" : "dpkg_hook", .wave = true};

	sel.wave_round = round;
	sel.installed_from = full ? 0 : h->count;
	sel.upgradable_below = full ? h->upgradable : 0;
	return gen_build(h, &sel);
}
