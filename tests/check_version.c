/* check_version.c: dpkg's version order and its sort keys (lib/core/version.c), tested. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"
#include "suites.h"
#include "version_canon.h"

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Pairs and dpkg's answer for each, as "dpkg --compare-versions" gave it (dpkg 1.21). */
static const struct {
	const char *a, *b;
	int want;
} cmp_cases[] = {
    /* Epochs: numeric, missing is 0, and they count before anything else. */
    {"1:1.0", "2.0", 1},
    {"0:1.0", "1.0", 0},
    {"0:1.0-1", "1.0-1", 0},
    {"1:0", "9999", 1},
    {"2:1.0", "10:1.0", -1},
    {"01:1.0", "1:1.0", 0},
    {"+1:1.0", "1:1.0", 0},
    {"-0:1.0", "1.0", 0},
    {"2147483647:1", "2147483646:9", 1},
    {"1:1.0-1", "1:1.0-2", -1},
    /* '~' before everything, the end of the version included. */
    {"1.0~rc1", "1.0", -1},
    {"1.0~rc1", "1.0~rc2", -1},
    {"1.0~~", "1.0~", -1},
    {"1.0~~a", "1.0~", -1},
    {"1.0~", "1.0", -1},
    {"1.0~", "1.0~0", 0},
    {"1.0~rc1-1", "1.0-1", -1},
    {"1.0-1~bpo12+1", "1.0-1", -1},
    {"1:9.18.28-1~deb12u2", "1:9.18.28-1", -1},
    /* '+' and '.': non-letters, in ASCII order, after the end of the version. */
    {"1.0+dfsg", "1.0", 1},
    {"1.0+", "1.0.", -1},
    {"1.0.1", "1.0+1", 1},
    {"1.0", "1.0.0", -1},
    {"1.0+b1", "1.0.1", -1},
    /* Letters before non-letters, in ASCII order among themselves. */
    {"1.0a", "1.0+", -1},
    {"1.0z", "1.0.", -1},
    {"1.0A", "1.0a", -1},
    {"1.0Z", "1.0a", -1},
    {"1.0a", "1.0", 1},
    {"1.0a", "1.a", -1},
    {"1.0a", "1.0a0", 0},
    {"1.0~", "1.0a", -1},
    {"1.2.3-1ubuntu1", "1.2.3-1build1", 1},
    /* No revision is "", which is "0". */
    {"1.0", "1.0-0", 0},
    {"1.0", "1.0-00", 0},
    {"1.0", "1.0-1", -1},
    {"1.0", "1.0-~", 1},
    {"1.0-a", "1.0", 1},
    {"1.0-0.1", "1.0", 1},
    /* Digit runs by value: leading zeros and a missing final run do not count. */
    {"1.01", "1.1", 0},
    {"1.001", "1.1", 0},
    {"1.010", "1.10", 0},
    {"1.010", "1.1", 1},
    {"0001", "1", 0},
    {"1.0", "1.00", 0},
    {"1.", "1.0", 0},
    {"1.9", "1.10", -1},
    /* binNMUs: after the version they rebuild, before the next upload. */
    {"1.0-1+b1", "1.0-1", 1},
    {"1.0-1+b2", "1.0-1+b10", -1},
    {"1.0-1+b1", "1.0-1.1", -1},
    {"1.0-1+b1", "1.0-2", -1},
    {"1.0+b1", "1.0", 1},
    {"5.2.15-2+b2", "5.2.15-2+deb12u1", -1},
    {"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1},
    /* Digit runs longer than any integer type. */
    {"18446744073709551616", "18446744073709551615", 1},
    {"1.99999999999999999999999999", "1.100000000000000000000000000", -1},
    {"00000000000000000000000000001", "1", 0},
    {"1.123456789012345678901234567890-1", "1.123456789012345678901234567891-1", -1},
    /* The revision is after the last '-', the epoch before the first ':'. */
    {"1.0-1-1", "1.0-1", 1},
    {"1-2-3", "1-2-3", 0},
    {"1:2:3", "1:2:4", -1},
    {"1:2:3", "2:3", -1},
    /* dpkg ignores surrounding blanks, reads the epoch with strtol, takes "" for none. */
    {" 1.0", "1.0", 0},
    {"1.0\t", "1.0", 0},
    {"", "0", -1},
    {"", "~", -1},
    {"", "", 0},
    {"\n1:1.0", "1:1.0", 0},
    {"1.0\n", "1.0", 1},
    /* Bytes >= 0x80 after letters, before the other non-digits (dpkg on amd64). */
    {"1.0\xe9", "1.0z", 1},
    {"1.0\xe9", "1.0+", -1},
};

START_TEST(test_version_cmp_cases)
{
	size_t i;
	int got;

	for (i = 0; i < sizeof(cmp_cases) / sizeof(cmp_cases[0]); i++) {
		got = dm_version_cmp(cmp_cases[i].a, cmp_cases[i].b);
		ck_assert_msg(got == cmp_cases[i].want, "cmp(\"%s\", \"%s\") = %d, dpkg says %d",
		              cmp_cases[i].a, cmp_cases[i].b, got, cmp_cases[i].want);
		got = dm_version_cmp(cmp_cases[i].b, cmp_cases[i].a);
		ck_assert_msg(got == -cmp_cases[i].want, "cmp(\"%s\", \"%s\") = %d, dpkg says %d",
		              cmp_cases[i].b, cmp_cases[i].a, got, -cmp_cases[i].want);
	}
}
END_TEST

/* A version, and NULL if we accept it or the reason we give if not. */
static const struct {
	const char *v, *why;
} valid_cases[] = {
    {"1.0", NULL},
    {"0", NULL},
    {"1:1.0-1", NULL},
    {"0:1.0", NULL},
    {"01:1.0", NULL},
    {"+1:1.0", NULL},
    {"-0:1.0", NULL},
    {"2147483647:1", NULL},
    {"1.0~rc1+dfsg-1~bpo12+1", NULL},
    {"1:2:3", NULL},
    {"1.0-1-1", NULL},
    {"1.0-a", NULL},
    /* dpkg only warns about these: a host may have them installed. */
    {"a1.0", NULL},
    {"1.0_1", NULL},
    {"1.0-1_2", NULL},
    {"<unknown>", NULL},
    /* dpkg refuses these. */
    {"", "empty"},
    {"-1:1.0", "epoch is negative"},
    {"a:1.0", "epoch is empty"},
    {":1.0", "epoch is empty"},
    {"+:1.0", "epoch is empty"},
    {"1a:1.0", "epoch is not a number"},
    {"1.0-1:2", "epoch is not a number"},
    {"2147483648:1", "epoch is too big"},
    {"99999999999999999999999:1", "epoch is too big"},
    {"1:", "nothing after the epoch"},
    {"1.0-", "revision is empty"},
    {"-", "revision is empty"},
    {"-1", "upstream version is empty"},
    {"1:-1", "upstream version is empty"},
    /* dpkg takes these (trimming blanks, or with a warning); we do not. */
    {" 1.0", "contains a blank"},
    {"1.0 ", "contains a blank"},
    {"1.0\t", "contains a blank"},
    {"1 .0", "contains a blank"},
    {"1.0\n", "contains a control character"},
    {"\n1:1.0", "contains a control character"},
    {"1.0\x7f", "contains a control character"},
    {"1.0\xe9", "contains a byte outside ASCII"},
};

START_TEST(test_version_valid_cases)
{
	const char *why;
	size_t i;
	bool ok;

	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		why = "unset";
		ok = dm_version_valid(valid_cases[i].v, &why);
		ck_assert_msg(ok == (valid_cases[i].why == NULL), "\"%s\": valid %d (%s)",
		              valid_cases[i].v, ok, why ? why : "no reason");
		if (valid_cases[i].why == NULL)
			ck_assert_ptr_null(why);
		else
			ck_assert_str_eq(why, valid_cases[i].why);
		ck_assert(dm_version_valid(valid_cases[i].v, NULL) == ok);
	}
}
END_TEST

/* A binary version and the source version it was built from. */
static const struct {
	const char *binary, *source;
} source_cases[] = {
    {"1.0-1+b1", "1.0-1"},
    {"1.0-1+b12", "1.0-1"},
    {"5.2.15-2+b2", "5.2.15-2"},
    {"1:2.0-3+b4", "1:2.0-3"},
    {"1.0+b1", "1.0"},
    {"1.0-1+b1+b2", "1.0-1+b1"},
    {"1.0-1", "1.0-1"},
    {"1.0-1+b", "1.0-1+b"},
    {"1.0-1+bx1", "1.0-1+bx1"},
    {"1.0-1+b1~bpo1", "1.0-1+b1~bpo1"},
    {"1.0-1+deb12u1", "1.0-1+deb12u1"},
    {"1.0-1b1", "1.0-1b1"},
    {"1.0-1+B1", "1.0-1+B1"},
    {"+b1", "+b1"},
    {"1:+b1", "1:+b1"},
    {"1.0-+b1", "1.0-+b1"},
    {"", ""},
};

START_TEST(test_version_source_len)
{
	const char *b;
	size_t i, n;

	for (i = 0; i < sizeof(source_cases) / sizeof(source_cases[0]); i++) {
		b = source_cases[i].binary;
		n = dm_version_source_len(b);
		ck_assert_msg(n == strlen(source_cases[i].source) &&
		                  strncmp(b, source_cases[i].source, n) == 0,
		              "source of \"%s\": \"%.*s\", want \"%s\"", b, (int)n, b,
		              source_cases[i].source);
	}
}
END_TEST

/*
 * Keys byte for byte: stored keys outlive the program, so the encoding must not change
 * unnoticed. The epoch in 4 bytes; '~' 0x00; a run end 0x01 plus the digit count; digits
 * two to a byte; 'A' 0x0c, 'a' 0x26; bytes >= 0x80 from 0x40; '+' 0xea, '.' 0xed.
 */
static const struct {
	const char *v;
	size_t len;
	const char *key;
} key_cases[] = {
    {"", 0, ""},
    {" \t", 0, ""},
    {"0", 8, "\x00\x00\x00\x00\x01\x01\x01\x01"},
    {"1.0", 11, "\x00\x00\x00\x00\x02\x0a\xed\x01\x01\x01\x01"},
    {"1.0~rc1", 16, "\x00\x00\x00\x00\x02\x0a\xed\x01\x00\x37\x28\x02\x0a\x01\x01\x01"},
    {"1.0a", 13, "\x00\x00\x00\x00\x02\x0a\xed\x01\x26\x01\x01\x01\x01"},
    {"1.0A-0", 13, "\x00\x00\x00\x00\x02\x0a\xed\x01\x0c\x01\x01\x01\x01"},
    {"1.0\xe9", 13, "\x00\x00\x00\x00\x02\x0a\xed\x01\xa9\x01\x01\x01\x01"},
    {"1:2.36-9+deb12u4", 22,
     "\x00\x00\x00\x01\x02\x14\xed\x03\x24\x01\x02\x5a\xea\x29\x2a\x27\x03\x0c\x3a\x02\x28\x01"},
    {"2147483647:012345678901", 15, "\x7f\xff\xff\xff\x0b\x01\x0c\x22\x38\x4e\x5a\x0a\x01\x01\x01"},
};

START_TEST(test_version_key_cases)
{
	unsigned char key[DM_VERSION_KEY_MAX];
	size_t i, len;

	for (i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		len = dm_version_key(key_cases[i].v, key, sizeof(key));
		ck_assert_msg(len == key_cases[i].len && memcmp(key, key_cases[i].key, len) == 0,
		              "key of \"%s\": %zu bytes, not as expected", key_cases[i].v, len);
	}
}
END_TEST

/* dpkg's answers on the pairs of cmp_cases, from the keys. */
START_TEST(test_version_key_cmp_cases)
{
	size_t i;

	for (i = 0; i < sizeof(cmp_cases) / sizeof(cmp_cases[0]); i++) {
		ck_assert_msg(version_key_order(cmp_cases[i].a, cmp_cases[i].b) ==
		                  cmp_cases[i].want,
		              "keys of \"%s\" and \"%s\": dpkg says %d", cmp_cases[i].a,
		              cmp_cases[i].b, cmp_cases[i].want);
		ck_assert_int_eq(version_key_order(cmp_cases[i].b, cmp_cases[i].a),
		                 -cmp_cases[i].want);
	}
}
END_TEST

/*
 * Out of room, the key is cut short and its whole length returned, nothing written past
 * the room; with none, it is only measured.
 */
START_TEST(test_version_key_room)
{
	const char *v = "1:2.36-9+deb12u4";
	unsigned char full[DM_VERSION_KEY_MAX], cut[32];
	size_t len = dm_version_key(v, full, sizeof(full)), room;

	ck_assert_uint_eq(dm_version_key(v, NULL, 0), len);
	for (room = 0; room <= len; room++) {
		memset(cut, 0xa5, sizeof(cut));
		ck_assert_uint_eq(dm_version_key(v, cut, room), len);
		ck_assert_mem_eq(cut, full, room);
		ck_assert_uint_eq(cut[room], 0xa5);
	}
}
END_TEST

/*
 * The keys of v[0] to v[n - 1], each no longer than DM_VERSION_KEY_LEN allows, order
 * every pair as dm_version_cmp does (equal keys exactly for equal versions).
 */
static void
key_order_all(const char *const *v, size_t n)
{
	unsigned char **key = calloc(n, sizeof(*key));
	size_t *len = calloc(n, sizeof(*len)), i, j;
	int want, got;

	ck_assert(key != NULL && len != NULL);
	for (i = 0; i < n; i++) {
		key[i] = malloc(DM_VERSION_KEY_LEN(strlen(v[i])));
		ck_assert_ptr_nonnull(key[i]);
		len[i] = dm_version_key(v[i], key[i], DM_VERSION_KEY_LEN(strlen(v[i])));
		ck_assert_uint_le(len[i], DM_VERSION_KEY_LEN(strlen(v[i])));
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			want = sign(dm_version_cmp(v[i], v[j]));
			got = version_key_cmp(key[i], len[i], key[j], len[j]);
			if (got != want)
				ck_abort_msg(
				    "\"%.40s\" (%zu bytes) vs \"%.40s\" (%zu bytes): keys say %d, "
				    "dm_version_cmp %d",
				    v[i], strlen(v[i]), v[j], strlen(v[j]), got, want);
		}
	for (i = 0; i < n; i++)
		free(key[i]);
	free(len);
	free(key);
}

/*
 * The longest key of a stored version: one more pair every two bytes, the most there can
 * be, makes DM_VERSION_KEY_MAX exactly, the size of a column of keys.
 */
START_TEST(test_version_key_max)
{
	char v[DM_NAME_MAX + 1];
	unsigned char key[DM_VERSION_KEY_MAX + 1];
	size_t i;

	ck_assert_uint_eq(DM_VERSION_KEY_MAX, 390);
	for (i = 0; i < DM_NAME_MAX; i++)
		v[i] = i % 2 == 0 ? '1' : 'a';
	v[DM_NAME_MAX] = '\0';
	ck_assert(dm_version_valid(v, NULL));
	ck_assert_uint_eq(dm_version_key(v, key, sizeof(key)), DM_VERSION_KEY_MAX);
	v[DM_NAME_MAX / 2] = '-';
	ck_assert(dm_version_valid(v, NULL));
	ck_assert_uint_le(dm_version_key(v, key, sizeof(key)), DM_VERSION_KEY_MAX);
}
END_TEST

/*
 * Every byte c but NUL, after "1" and before nothing, a digit, '~', a letter or '.': the
 * keys order each class of non-digit (and what splits a version: blanks, ':', '-') as
 * dm_version_cmp does.
 */
START_TEST(test_version_key_bytes)
{
	static const char tails[] = {'\0', '1', '~', 'a', '.'};
	static char v[255 * sizeof(tails)][4];
	static const char *p[255 * sizeof(tails)];
	size_t n = 0;
	int c, t;

	for (c = 1; c < 256; c++)
		for (t = 0; t < (int)sizeof(tails); t++, n++) {
			v[n][0] = '1', v[n][1] = (char)c, v[n][2] = tails[t], v[n][3] = '\0';
			p[n] = v[n];
		}
	key_order_all(p, n);
}
END_TEST

/*
 * Digit runs about the lengths where the count leaves the run end (10) and where it takes
 * one more byte (265, 520), and past what a stored version holds; non-digit runs as long
 * in their place, whose bytes meet those run ends.
 */
START_TEST(test_version_key_long_runs)
{
	static const size_t lens[] = {0, 1, 2, 9, 10, 11, 12, 264, 265, 266, 519, 520, 521, 700};
	static const char fill[] = {'9', '0', '5', 'A', 'Z', 'a', '~', '.'};
	enum { N = sizeof(lens) / sizeof(lens[0]) * sizeof(fill) * 2 };
	static char v[N][720];
	static const char *p[N];
	size_t n = 0, l, f, z, i;

	for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
		for (f = 0; f < sizeof(fill); f++)
			for (z = 0; z < 2; z++, n++) {
				/* "1." or "1.0", then the run: all fill, but "1000..." for '0'. */
				i = (size_t)snprintf(v[n], sizeof(v[n]), "1.%s", z ? "0" : "");
				memset(v[n] + i, fill[f], lens[l]);
				if (lens[l] > 0 && f == 1)
					v[n][i] = '1';
				snprintf(v[n] + i + lens[l], sizeof(v[n]) - i - lens[l], "-1");
				p[n] = v[n];
			}
	key_order_all(p, n);
}
END_TEST

/*
 * The versions the properties are checked on: every epoch with every upstream version with
 * every revision, chosen to fall into many classes of equal versions.
 */
static const char *const gen_epochs[] = {"", "0:", "1:", "01:"};
static const char *const gen_upstreams[] = {
    "0",      "00",     "1",      "01",          "1.0",        "1.00",    "1.",
    "1.0.0",  "1.0~",   "1.0~0",  "1.0~~",       "1.0~rc1",    "1.0~RC1", "1.0a",
    "1.0a0",  "1.a",    "1.0+",   "1.0+dfsg",    "1.0.1",      "1.01",    "1.1",
    "1.10",   "1.9",    "10",     "1.0-1",       "1:1.0",      "a",       "1.0Z",
    "1.0_1",  "1~",     "1.0+b1", "1.0+really1", "2.0~beta+1", "1.000a",  "18446744073709551616",
    "1.0~a0", "1.0~a~", "1.0~0a",
};
static const char *const gen_revisions[] = {"",     "-0",        "-00",  "-1",      "-01",
                                            "-1.0", "-1+b1",     "-1+b", "-1~bpo1", "-1.1",
                                            "-a",   "-1ubuntu1", "-~"};
#define N_EPOCHS (sizeof(gen_epochs) / sizeof(gen_epochs[0]))
#define N_UPSTREAMS (sizeof(gen_upstreams) / sizeof(gen_upstreams[0]))
#define N_REVISIONS (sizeof(gen_revisions) / sizeof(gen_revisions[0]))
#define N_GEN (N_EPOCHS * N_UPSTREAMS * N_REVISIONS)
#define GEN_MAX 64

static char gen[N_GEN][GEN_MAX];
static char gen_canon[N_GEN][2 * GEN_MAX];
static const char *sorted[N_GEN];

static void
gen_setup(void)
{
	size_t e, u, r, n = 0;

	for (e = 0; e < N_EPOCHS; e++)
		for (u = 0; u < N_UPSTREAMS; u++)
			for (r = 0; r < N_REVISIONS; r++, n++) {
				snprintf(gen[n], GEN_MAX, "%s%s%s", gen_epochs[e], gen_upstreams[u],
				         gen_revisions[r]);
				ck_assert_msg(dm_version_valid(gen[n], NULL), "%s", gen[n]);
				ck_assert_int_eq(version_canon(gen[n], gen_canon[n], 2 * GEN_MAX),
				                 0);
				sorted[n] = gen[n];
			}
}

/* Reflexive, antisymmetric, and equal exactly when the canonical forms are. */
START_TEST(test_version_properties_pairs)
{
	size_t i, j;
	int ab, ba;

	gen_setup();
	for (i = 0; i < N_GEN; i++) {
		if (dm_version_cmp(gen[i], gen[i]) != 0)
			ck_abort_msg("%s differs from itself", gen[i]);
		for (j = 0; j < N_GEN; j++) {
			ab = dm_version_cmp(gen[i], gen[j]);
			ba = dm_version_cmp(gen[j], gen[i]);
			if (sign(ab) != -sign(ba))
				ck_abort_msg("%s vs %s: %d, reversed %d", gen[i], gen[j], ab, ba);
			if ((ab == 0) != (strcmp(gen_canon[i], gen_canon[j]) == 0))
				ck_abort_msg("%s vs %s: %d, canonical \"%s\" and \"%s\"", gen[i],
				             gen[j], ab, gen_canon[i], gen_canon[j]);
		}
	}
}
END_TEST

/* The keys order every pair as dm_version_cmp does, and are equal exactly when it says so. */
START_TEST(test_version_key_properties)
{
	gen_setup();
	key_order_all(sorted, N_GEN);
}
END_TEST

static int
qsort_cmp(const void *a, const void *b)
{
	return dm_version_cmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A total order: sorted, the versions fall into runs of equal ones, and every pair
 * compares as its runs' ranks do. That is transitivity over every triple of the set.
 */
START_TEST(test_version_properties_order)
{
	static size_t rank[N_GEN];
	size_t i, j;

	gen_setup();
	qsort(sorted, N_GEN, sizeof(sorted[0]), qsort_cmp);
	for (i = 1; i < N_GEN; i++)
		rank[i] = rank[i - 1] + (dm_version_cmp(sorted[i - 1], sorted[i]) != 0);
	for (i = 0; i < N_GEN; i++)
		for (j = 0; j < N_GEN; j++)
			if (sign(dm_version_cmp(sorted[i], sorted[j])) !=
			    (rank[i] > rank[j]) - (rank[i] < rank[j]))
				ck_abort_msg("%s vs %s against the order", sorted[i], sorted[j]);
	/* Far fewer classes than versions: the set does test equality. */
	ck_assert_uint_lt(rank[N_GEN - 1] + 1, N_GEN / 2);
}
END_TEST

/* Transitivity checked directly, on triples of a slice of the set. */
START_TEST(test_version_properties_triples)
{
	size_t i, j, k, n = 120, step = N_GEN / 120;
	int ab, bc, ac;

	gen_setup();
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			for (k = 0; k < n; k++) {
				ab = sign(dm_version_cmp(gen[i * step], gen[j * step]));
				bc = sign(dm_version_cmp(gen[j * step], gen[k * step]));
				ac = sign(dm_version_cmp(gen[i * step], gen[k * step]));
				if (ab <= 0 && bc <= 0 && ac != (ab + bc < 0 ? -1 : 0))
					ck_abort_msg("%s, %s, %s: not transitive", gen[i * step],
					             gen[j * step], gen[k * step]);
			}
}
END_TEST

/* A version with a binNMU suffix removed is still valid, and before the binary one. */
START_TEST(test_version_source_len_properties)
{
	char src[GEN_MAX];
	size_t i, n;

	gen_setup();
	for (i = 0; i < N_GEN; i++) {
		n = dm_version_source_len(gen[i]);
		snprintf(src, sizeof(src), "%.*s", (int)n, gen[i]);
		ck_assert_msg(dm_version_valid(src, NULL), "%s from %s", src, gen[i]);
		if (n < strlen(gen[i]))
			ck_assert_int_lt(dm_version_cmp(src, gen[i]), 0);
	}
}
END_TEST

/* The kernel package's version in a running kernel's uname -v, or none. */
START_TEST(test_version_from_uname)
{
	static const struct {
		const char *uname, *want;
	} cases[] = {
	    {"#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", "6.1.76-1"},
	    {"#1 SMP Debian 5.10.209-2 (2024-01-31)", "5.10.209-2"},
	    {"#1 SMP PREEMPT_DYNAMIC Debian 6.12.9-1~bpo12+1 (2025-01-19)", "6.12.9-1~bpo12+1"},
	    {"Debian 6.1.76-1", "6.1.76-1"},
	    {"#1 SMP Debian 4.19.304-1", "4.19.304-1"},
	    {"#110-Ubuntu SMP PREEMPT_DYNAMIC Thu Mar 14 19:31:16 UTC 2024", ""},
	    {"#1 SMP PREEMPT_DYNAMIC Thu Jan  1 00:00:00 UTC 2025", ""},
	    {"#1 SMP NotDebian 6.1.76-1", ""},
	    {"#1 SMP Debian (2024-02-01)", ""},
	    {"#1 SMP Debian 6.1.76- (2024-02-01)", ""},
	    {"", ""},
	};
	char out[64];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out[0] = '\0';
		n = dm_version_from_uname(cases[i].uname, out, sizeof(out));
		ck_assert_msg(n == strlen(cases[i].want) && strncmp(out, cases[i].want, n) == 0,
		              "%s: got %zu '%.*s', want '%s'", cases[i].uname, n, (int)n, out,
		              cases[i].want);
	}
	/* Too long for out: none, never a cut version. */
	ck_assert_uint_eq(dm_version_from_uname("Debian 6.1.76-1", out, 8), 0);
}
END_TEST

Suite *
make_version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("version"), *props = tcase_create("properties");

	tcase_add_test(tc, test_version_cmp_cases);
	tcase_add_test(tc, test_version_valid_cases);
	tcase_add_test(tc, test_version_source_len);
	tcase_add_test(tc, test_version_key_cases);
	tcase_add_test(tc, test_version_key_cmp_cases);
	tcase_add_test(tc, test_version_key_room);
	tcase_add_test(tc, test_version_key_max);
	tcase_add_test(tc, test_version_from_uname);
	suite_add_tcase(s, tc);
	/* Millions of comparisons: about 2 s each under the sanitizers, on a busy machine more. */
	tcase_set_timeout(props, 30);
	tcase_add_test(props, test_version_properties_pairs);
	tcase_add_test(props, test_version_properties_order);
	tcase_add_test(props, test_version_properties_triples);
	tcase_add_test(props, test_version_source_len_properties);
	tcase_add_test(props, test_version_key_properties);
	tcase_add_test(props, test_version_key_bytes);
	tcase_add_test(props, test_version_key_long_runs);
	suite_add_tcase(s, props);
	return s;
}
