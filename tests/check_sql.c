/* check_sql.c: the SQL builder writes each accepted argument type, and refuses mismatches. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/sql.h"
#include "suites.h"

/*
 * A client handle that never connects: mysql_real_escape_string needs only its character
 * set, and a statement that reached the client would fail with an error number, which
 * tells a statement the builder refused (error 0) from one that ran.
 */
static MYSQL *db;
static struct dm_sql q;

static void
setup(void)
{
	db = mysql_init(NULL);
	ck_assert_ptr_nonnull(db);
	dm_sql_init(&q, db);
}

static void
teardown(void)
{
	dm_sql_free(&q);
	mysql_close(db);
}

/* The statement as built, which must not have failed. */
static const char *
built(void)
{
	ck_assert_msg(!q.failed, "the builder failed");
	return q.b.data;
}

/* stderr goes to a temporary file between capture_start and refused. */
static FILE *captured;
static int saved_stderr = -1;

static void
capture_start(void)
{
	fflush(stderr);
	ck_assert_ptr_nonnull(captured = tmpfile());
	ck_assert_int_ne(saved_stderr = dup(STDERR_FILENO), -1);
	ck_assert_int_ne(dup2(fileno(captured), STDERR_FILENO), -1);
}

/* The last statement was refused, never runs, and stderr said why and for which template. */
static void
refused(const char *tmpl, const char *why)
{
	char said[512];
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(captured);
	n = fread(said, 1, sizeof(said) - 1, captured);
	said[n] = '\0';
	fclose(captured);
	ck_assert_msg(q.failed, "the builder accepted \"%s\" as: %s", tmpl, q.b.data);
	ck_assert_int_eq(dm_sql_exec(&q), -1);
	ck_assert_uint_eq(mysql_errno(db), 0);
	ck_assert_msg(strstr(said, tmpl) != NULL, "stderr \"%s\" does not name \"%s\"", said, tmpl);
	ck_assert_msg(strstr(said, why) != NULL, "stderr \"%s\" does not say \"%s\"", said, why);
}

START_TEST(test_sql_integer_types)
{
	enum { SEVEN = 7 } e = SEVEN;
	unsigned long long big = ULLONG_MAX;
	unsigned char uc = 200;
	size_t size = 123456789;
	unsigned u = UINT_MAX;
	long l = LONG_MAX;
	short s = 3;

	dm_sql_start(&q, "VALUES (#, #, #, #, #)", 42, u, l, size, big);
	ck_assert_str_eq(built(), "VALUES (42, 4294967295, 9223372036854775807, 123456789, "
	                          "18446744073709551615)");
	/* Narrower types are promoted: they are integers as much as int is. */
	dm_sql_start(&q, "#, #, #, #, #", s, uc, e, (_Bool)1, 0LL);
	ck_assert_str_eq(built(), "3, 200, 7, 1, 0");
}
END_TEST

START_TEST(test_sql_string_types)
{
	char buf[] = "it's";
	char *p = buf;
	const char *cp = "back\\slash \"quoted\"\nline";

	dm_sql_start(&q, "VALUES (?, ?, ?, ?, ?)", p, cp, buf, "plain", NULL);
	ck_assert_str_eq(built(), "VALUES ('it\\'s', 'back\\\\slash \\\"quoted\\\"\\nline', "
	                          "'it\\'s', 'plain', NULL)");
}
END_TEST

/* A template with no placeholder takes no argument; dm_sql_add appends, start starts anew. */
START_TEST(test_sql_add)
{
	dm_sql_start(&q, "SELECT 1");
	ck_assert_str_eq(built(), "SELECT 1");
	dm_sql_start(&q, "SELECT id FROM host WHERE os_id = #", 3u);
	dm_sql_add(&q, " AND name IN (?", "a");
	ck_assert_str_eq(built(), "SELECT id FROM host WHERE os_id = 3 AND name IN ('a'");
	capture_start();
	dm_sql_add(&q, ", ?)");
	refused(", ?)", "more placeholders than arguments");
	dm_sql_add(&q, " LIMIT #", 1);
	ck_assert_msg(q.failed, "a failed statement recovered by an append");
	dm_sql_start(&q, "SELECT #", 2);
	ck_assert_str_eq(built(), "SELECT 2");
}
END_TEST

/* A negative value is no id and no count: refused, not written as a huge number. */
START_TEST(test_sql_negative)
{
	long long ll = LLONG_MIN;
	int i = -1;

	capture_start();
	dm_sql_start(&q, "DELETE FROM host WHERE id = #", i);
	refused("DELETE FROM host WHERE id = #", "negative");
	capture_start();
	dm_sql_start(&q, "SELECT # + #", 1, ll);
	refused("SELECT # + #", "negative");
	capture_start();
	dm_sql_start(&q, "SELECT 1");
	dm_sql_add(&q, " LIMIT #", INT_MIN);
	refused(" LIMIT #", "negative");
}
END_TEST

START_TEST(test_sql_too_few)
{
	capture_start();
	dm_sql_start(&q, "UPDATE host SET modified = ?, os_id = # WHERE id = #", "now", 2);
	refused("UPDATE host SET modified = ?, os_id = # WHERE id = #",
	        "more placeholders than arguments");
	capture_start();
	dm_sql_start(&q, "SELECT ?");
	refused("SELECT ?", "more placeholders than arguments");
}
END_TEST

START_TEST(test_sql_too_many)
{
	capture_start();
	dm_sql_start(&q, "SELECT id FROM os WHERE name = ?", "bookworm", "extra");
	refused("SELECT id FROM os WHERE name = ?", "more arguments than placeholders");
	capture_start();
	dm_sql_start(&q, "SELECT 1", 1);
	refused("SELECT 1", "more arguments than placeholders");
}
END_TEST

START_TEST(test_sql_string_for_number)
{
	capture_start();
	dm_sql_start(&q, "SELECT * FROM host WHERE id = #", "12");
	refused("SELECT * FROM host WHERE id = #", "a string for '#'");
	capture_start();
	dm_sql_start(&q, "SELECT # IS NULL", NULL);
	refused("SELECT # IS NULL", "a string for '#'");
}
END_TEST

START_TEST(test_sql_number_for_string)
{
	size_t n = 5;

	capture_start();
	dm_sql_start(&q, "SELECT id FROM host WHERE name = ?", n);
	refused("SELECT id FROM host WHERE name = ?", "a number for '?'");
	/* 0 is an integer here, not a null pointer: SQL NULL is spelt NULL. */
	capture_start();
	dm_sql_start(&q, "SELECT ?", 0);
	refused("SELECT ?", "a number for '?'");
}
END_TEST

Suite *
make_sql_suite(void)
{
	Suite *s = suite_create("sql");
	TCase *tc = tcase_create("sql");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sql_integer_types);
	tcase_add_test(tc, test_sql_string_types);
	tcase_add_test(tc, test_sql_add);
	tcase_add_test(tc, test_sql_negative);
	tcase_add_test(tc, test_sql_too_few);
	tcase_add_test(tc, test_sql_too_many);
	tcase_add_test(tc, test_sql_string_for_number);
	tcase_add_test(tc, test_sql_number_for_string);
	suite_add_tcase(s, tc);
	return s;
}
