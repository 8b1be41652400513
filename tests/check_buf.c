/* check_buf.c: the growable buffer grows, stays NUL-terminated and never passes its maximum. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "suites.h"

START_TEST(test_buf_init_empty)
{
	struct dm_buf b;

	dm_buf_init(&b, 100);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_uint_eq(b.max, 100);
}
END_TEST

START_TEST(test_buf_growth)
{
	struct dm_buf b;
	char expect[5000];
	size_t i;

	dm_buf_init(&b, sizeof(expect));
	/* Many small appends cross several reallocations; the content must survive each. */
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(dm_buf_add(&b, "abcde", 5), 0);
		memcpy(expect + i * 5, "abcde", 5);
	}
	ck_assert_uint_eq(b.len, 5000);
	ck_assert_uint_ge(b.cap, b.len + 1);
	ck_assert_mem_eq(b.data, expect, 5000);
	ck_assert_int_eq(b.data[5000], '\0');
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_adds)
{
	struct dm_buf b;

	dm_buf_init(&b, 64);
	ck_assert_int_eq(dm_buf_adds(&b, "hello"), 0);
	ck_assert_int_eq(dm_buf_adds(&b, ", "), 0);
	ck_assert_int_eq(dm_buf_adds(&b, "world"), 0);
	ck_assert_str_eq(b.data, "hello, world");
	ck_assert_uint_eq(b.len, 12);
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_max_exact)
{
	struct dm_buf b;

	dm_buf_init(&b, 10);
	ck_assert_int_eq(dm_buf_add(&b, "0123456789", 10), 0);
	ck_assert_uint_eq(b.len, 10);
	ck_assert_str_eq(b.data, "0123456789");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_max_refused)
{
	struct dm_buf b;

	dm_buf_init(&b, 10);
	ck_assert_int_eq(dm_buf_add(&b, "01234567", 8), 0);
	errno = 0;
	ck_assert_int_eq(dm_buf_add(&b, "abc", 3), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "01234567");
	/* What still fits is accepted after a refusal. */
	ck_assert_int_eq(dm_buf_add(&b, "ab", 2), 0);
	ck_assert_str_eq(b.data, "01234567ab");
	errno = 0;
	ck_assert_int_eq(dm_buf_adds(&b, "x"), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_str_eq(b.data, "01234567ab");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_max_huge_length)
{
	struct dm_buf b;

	/* A length near SIZE_MAX must be refused by the limit, not wrap around it. */
	dm_buf_init(&b, 1024);
	ck_assert_int_eq(dm_buf_adds(&b, "abc"), 0);
	errno = 0;
	ck_assert_int_eq(dm_buf_add(&b, "x", SIZE_MAX - 1), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_str_eq(b.data, "abc");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_max_zero)
{
	struct dm_buf b;

	dm_buf_init(&b, 0);
	errno = 0;
	ck_assert_int_eq(dm_buf_add(&b, "a", 1), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_buf_printf)
{
	struct dm_buf b;

	dm_buf_init(&b, 64);
	ck_assert_int_eq(dm_buf_adds(&b, "n="), 0);
	ck_assert_int_eq(dm_buf_printf(&b, "%d, s=%s, c=%c", 42, "x y", 'z'), 0);
	ck_assert_str_eq(b.data, "n=42, s=x y, c=z");
	ck_assert_uint_eq(b.len, strlen("n=42, s=x y, c=z"));
	ck_assert_int_eq(dm_buf_printf(&b, "%s", ""), 0);
	ck_assert_str_eq(b.data, "n=42, s=x y, c=z");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_printf_grows)
{
	struct dm_buf b;
	size_t i;

	dm_buf_init(&b, 100000);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(dm_buf_printf(&b, "%04zu,", i), 0);
	ck_assert_uint_eq(b.len, 5000);
	ck_assert_mem_eq(b.data, "0000,0001,0002,", 15);
	ck_assert_str_eq(b.data + 4995, "0999,");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_printf_max)
{
	struct dm_buf b;

	dm_buf_init(&b, 8);
	ck_assert_int_eq(dm_buf_printf(&b, "%s", "abcd"), 0);
	errno = 0;
	ck_assert_int_eq(dm_buf_printf(&b, "%d", 12345), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_str_eq(b.data, "abcd");
	ck_assert_int_eq(dm_buf_printf(&b, "%d", 1234), 0);
	ck_assert_str_eq(b.data, "abcd1234");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_nul_terminated)
{
	static const char bytes[] = {'a', 'b', 'c'};
	struct dm_buf b;

	dm_buf_init(&b, 64);
	/* Adding nothing still gives a valid empty string. */
	ck_assert_int_eq(dm_buf_add(&b, "", 0), 0);
	ck_assert_ptr_nonnull(b.data);
	ck_assert_str_eq(b.data, "");
	ck_assert_int_eq(dm_buf_add(&b, bytes, sizeof(bytes)), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(b.data[3], '\0');
	ck_assert_int_eq(dm_buf_add(&b, bytes, 1), 0);
	ck_assert_str_eq(b.data, "abca");
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_embedded_nul)
{
	struct dm_buf b;

	dm_buf_init(&b, 64);
	ck_assert_int_eq(dm_buf_add(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(b.data, "a\0b\0", 4);
	dm_buf_free(&b);
}
END_TEST

START_TEST(test_buf_free_reinit)
{
	struct dm_buf b;

	dm_buf_init(&b, 16);
	ck_assert_int_eq(dm_buf_adds(&b, "some text"), 0);
	dm_buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	ck_assert_uint_eq(b.max, 16);
	/* Freed twice is harmless; the buffer is reusable with the same maximum. */
	dm_buf_free(&b);
	ck_assert_int_eq(dm_buf_adds(&b, "0123456789abcdef"), 0);
	ck_assert_str_eq(b.data, "0123456789abcdef");
	errno = 0;
	ck_assert_int_eq(dm_buf_adds(&b, "!"), -1);
	ck_assert_int_eq(errno, EFBIG);
	dm_buf_free(&b);
}
END_TEST

Suite *
make_buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("buf");

	tcase_add_test(tc, test_buf_init_empty);
	tcase_add_test(tc, test_buf_growth);
	tcase_add_test(tc, test_buf_adds);
	tcase_add_test(tc, test_buf_max_exact);
	tcase_add_test(tc, test_buf_max_refused);
	tcase_add_test(tc, test_buf_max_huge_length);
	tcase_add_test(tc, test_buf_max_zero);
	tcase_add_test(tc, test_buf_printf);
	tcase_add_test(tc, test_buf_printf_grows);
	tcase_add_test(tc, test_buf_printf_max);
	tcase_add_test(tc, test_buf_nul_terminated);
	tcase_add_test(tc, test_buf_embedded_nul);
	tcase_add_test(tc, test_buf_free_reinit);
	suite_add_tcase(s, tc);
	return s;
}
