/* check_version.c: dpkg's version order (lib/core/version.c), by cases and by properties. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"
#include "suites.h"
#include "version_canon.h"

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

static int
sign(int x)
{
	return (x > 0) - (x < 0);
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

Suite *
make_version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("version"), *props = tcase_create("properties");

	tcase_add_test(tc, test_version_cmp_cases);
	tcase_add_test(tc, test_version_valid_cases);
	tcase_add_test(tc, test_version_source_len);
	suite_add_tcase(s, tc);
	/* Millions of comparisons: about 2 s each under the sanitizers, on a busy machine more. */
	tcase_set_timeout(props, 30);
	tcase_add_test(props, test_version_properties_pairs);
	tcase_add_test(props, test_version_properties_order);
	tcase_add_test(props, test_version_properties_triples);
	tcase_add_test(props, test_version_source_len_properties);
	suite_add_tcase(s, props);
	return s;
}
