/* check_parse.c: the bounded integer parser takes plain decimal numbers in range, nothing else. */
#include <limits.h>
#include <stddef.h>

#include "core/parse.h"
#include "suites.h"

struct parse_case {
	const char *s;
	long long min, max;
	long long want;
};

static const struct parse_case accepted[] = {
    {"0", 0, 10, 0},
    {"7", 0, 10, 7},
    {"10", 0, 10, 10},
    {"007", 0, 10, 7},
    {"-5", -10, 10, -5},
    {"-10", -10, 10, -10},
    {"-0", 0, 10, 0},
    {"3306", 1, 65535, 3306},
    {"9223372036854775807", LLONG_MIN, LLONG_MAX, LLONG_MAX},
    {"-9223372036854775808", LLONG_MIN, LLONG_MAX, LLONG_MIN},
};

static const struct parse_case rejected[] = {
    {"", LLONG_MIN, LLONG_MAX, 0},
    {" 1", LLONG_MIN, LLONG_MAX, 0},
    {"1 ", LLONG_MIN, LLONG_MAX, 0},
    {"\t1", LLONG_MIN, LLONG_MAX, 0},
    {"+1", LLONG_MIN, LLONG_MAX, 0},
    {"-", LLONG_MIN, LLONG_MAX, 0},
    {"--1", LLONG_MIN, LLONG_MAX, 0},
    {"- 1", LLONG_MIN, LLONG_MAX, 0},
    {"1x", LLONG_MIN, LLONG_MAX, 0},
    {"x1", LLONG_MIN, LLONG_MAX, 0},
    {"1.5", LLONG_MIN, LLONG_MAX, 0},
    {"0x10", LLONG_MIN, LLONG_MAX, 0},
    {"1e3", LLONG_MIN, LLONG_MAX, 0},
    {"9223372036854775808", LLONG_MIN, LLONG_MAX, 0},
    {"-9223372036854775809", LLONG_MIN, LLONG_MAX, 0},
    {"99999999999999999999999", LLONG_MIN, LLONG_MAX, 0},
    {"11", 0, 10, 0},
    {"-1", 0, 10, 0},
    {"-11", -10, 10, 0},
    {"0", 1, 65535, 0},
    {"65536", 1, 65535, 0},
};

START_TEST(test_parse_accepts)
{
	const struct parse_case *c = &accepted[_i];
	long long v = 12345;

	ck_assert_msg(dm_parse_ll(c->s, c->min, c->max, &v) == 0, "\"%s\" in [%lld, %lld] refused",
	              c->s, c->min, c->max);
	ck_assert_msg(v == c->want, "\"%s\" parsed as %lld, want %lld", c->s, v, c->want);
}
END_TEST

START_TEST(test_parse_rejects)
{
	const struct parse_case *c = &rejected[_i];
	long long v = 12345;

	ck_assert_msg(dm_parse_ll(c->s, c->min, c->max, &v) == -1,
	              "\"%s\" in [%lld, %lld] accepted", c->s, c->min, c->max);
	/* A refused value leaves the output alone. */
	ck_assert_msg(v == 12345, "\"%s\" refused but the output changed to %lld", c->s, v);
}
END_TEST

START_TEST(test_parse_null)
{
	long long v = 12345;

	ck_assert_int_eq(dm_parse_ll(NULL, LLONG_MIN, LLONG_MAX, &v), -1);
	ck_assert_int_eq(v, 12345);
}
END_TEST

Suite *
make_parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse_ll");

	tcase_add_loop_test(tc, test_parse_accepts, 0,
	                    (int)(sizeof(accepted) / sizeof(accepted[0])));
	tcase_add_loop_test(tc, test_parse_rejects, 0,
	                    (int)(sizeof(rejected) / sizeof(rejected[0])));
	tcase_add_test(tc, test_parse_null);
	suite_add_tcase(s, tc);
	return s;
}
