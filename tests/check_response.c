/* check_response.c: status lines, headers and plain-text errors, written once and safely. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/response.h"
#include "suites.h"

/* A response writing into memory; close() hands back what was written. */
struct capture {
	struct dm_response res;
	FILE *f;
	char *text;
	size_t len;
};

static void
capture_open(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	ck_assert_ptr_nonnull(c->f);
	dm_response_init(&c->res, c->f);
}

static const char *
capture_close(struct capture *c)
{
	ck_assert_int_eq(fclose(c->f), 0);
	c->f = NULL;
	return c->text;
}

START_TEST(test_response_init)
{
	struct capture c;

	capture_open(&c);
	ck_assert_ptr_eq(c.res.out, c.f);
	ck_assert_int_eq(c.res.started, 0);
	ck_assert_int_eq(c.res.status, 0);
	ck_assert_str_eq(capture_close(&c), "");
	free(c.text);
}
END_TEST

START_TEST(test_respond_headers)
{
	struct capture c;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 201, "application/json", "Location", "/hosts/h1",
	                            "Cache-Control", "no-store", NULL),
	                 0);
	ck_assert_int_eq(c.res.started, 1);
	ck_assert_int_eq(c.res.status, 201);
	ck_assert_str_eq(capture_close(&c), "Status: 201 Created\r\n"
	                                    "Content-Type: application/json\r\n"
	                                    "Location: /hosts/h1\r\n"
	                                    "Cache-Control: no-store\r\n"
	                                    "\r\n");
	free(c.text);
}
END_TEST

START_TEST(test_respond_no_content_type)
{
	struct capture c;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 204, NULL, NULL), 0);
	ck_assert_str_eq(capture_close(&c), "Status: 204 No Content\r\n\r\n");
	free(c.text);
}
END_TEST

START_TEST(test_respond_twice)
{
	struct capture c;
	size_t before;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/plain", NULL), 0);
	fflush(c.f);
	before = c.len;
	ck_assert_int_eq(dm_respond(&c.res, 500, "text/html", "X-Late", "1", NULL), -1);
	ck_assert_int_eq(c.res.status, 200);
	fflush(c.f);
	ck_assert_uint_eq(c.len, before);
	ck_assert_str_eq(capture_close(&c), "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
	free(c.text);
}
END_TEST

START_TEST(test_respond_header_injection)
{
	struct capture c;
	const char *out;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/plain", "X-Name", "a\nSet-Cookie: x=1",
	                            "X-Other", "b\r", "X-Bad\r\nName", "c", NULL),
	                 -1);
	out = capture_close(&c);
	ck_assert_ptr_null(strstr(out, "X-Name"));
	ck_assert_ptr_null(strstr(out, "Set-Cookie"));
	ck_assert_ptr_null(strstr(out, "X-Other"));
	ck_assert_ptr_null(strstr(out, "X-Bad"));
	ck_assert_str_eq(out, "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n");
	free(c.text);
}
END_TEST

START_TEST(test_respond_null_value)
{
	struct capture c;
	const char *out;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/plain", "X-Empty", NULL, NULL), -1);
	out = capture_close(&c);
	ck_assert_ptr_null(strstr(out, "X-Empty"));
	free(c.text);
}
END_TEST

START_TEST(test_error_plain_text)
{
	struct capture c;

	capture_open(&c);
	dm_error(&c.res, 404, "not found: %s (%d)", "/x", 7);
	ck_assert_int_eq(c.res.started, 1);
	ck_assert_int_eq(c.res.status, 404);
	ck_assert_str_eq(capture_close(&c), "Status: 404 Not Found\r\n"
	                                    "Content-Type: text/plain; charset=utf-8\r\n"
	                                    "Cache-Control: no-store\r\n"
	                                    "\r\n"
	                                    "not found: /x (7)\n");
	free(c.text);
}
END_TEST

/* Runs dm_error on a response whose headers are out; returns what reached stderr. */
static char *
error_after_start(struct capture *c)
{
	FILE *log = tmpfile();
	char *text = calloc(1, 512);
	int saved;

	ck_assert_ptr_nonnull(log);
	ck_assert_ptr_nonnull(text);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(log), STDERR_FILENO), 0);
	dm_error(&c->res, 500, "late failure %d", 42);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(log);
	ck_assert_uint_gt(fread(text, 1, 511, log), 0);
	fclose(log);
	return text;
}

START_TEST(test_error_after_start)
{
	struct capture c;
	char *logged;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/html", NULL), 0);
	fputs("<p>partial", c.f);
	logged = error_after_start(&c);
	ck_assert_int_eq(c.res.status, 200);
	/* The answer is beyond repair: out is untouched, the reason goes to the error log. */
	ck_assert_str_eq(capture_close(&c),
	                 "Status: 200 OK\r\nContent-Type: text/html\r\n\r\n<p>partial");
	ck_assert_str_eq(logged, "debmonitor: late failure 42\n");
	free(logged);
	free(c.text);
}
END_TEST

/* A held answer reaches the client only when it ends, whole. */
START_TEST(test_hold_until_end)
{
	struct capture c;

	capture_open(&c);
	ck_assert_int_eq(dm_response_hold(&c.res, 1024), 0);
	ck_assert_ptr_ne(c.res.out, c.f);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/plain", NULL), 0);
	fputs("all of it\n", c.res.out);
	fflush(c.res.out);
	fflush(c.f);
	ck_assert_uint_eq(c.len, 0);
	ck_assert_int_eq(dm_response_end(&c.res), 0);
	ck_assert_ptr_eq(c.res.out, c.f);
	ck_assert_uint_eq(c.res.sent, strlen("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n"
	                                     "all of it\n"));
	ck_assert_str_eq(capture_close(&c),
	                 "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it\n");
	free(c.text);
}
END_TEST

/* Taken back before any of it went out, the answer is replaced by another. */
START_TEST(test_hold_retract)
{
	struct capture c;

	capture_open(&c);
	ck_assert_int_eq(dm_response_hold(&c.res, 1024), 0);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/html", NULL), 0);
	fputs("<p>the first rows", c.res.out);
	ck_assert_int_eq(dm_response_retract(&c.res), 0);
	ck_assert_int_eq(c.res.started, 0);
	dm_error(&c.res, 503, "database unavailable: %s", "gone");
	ck_assert_int_eq(dm_response_end(&c.res), 0);
	ck_assert_str_eq(capture_close(&c), "Status: 503 Service Unavailable\r\n"
	                                    "Content-Type: text/plain; charset=utf-8\r\n"
	                                    "Cache-Control: no-store\r\n"
	                                    "\r\n"
	                                    "database unavailable: gone\n");
	free(c.text);
}
END_TEST

/* Past its maximum an answer goes out as it comes, and can no longer be taken back. */
START_TEST(test_hold_past_max)
{
	struct capture c;
	char row[64];
	int i;

	capture_open(&c);
	ck_assert_int_eq(dm_response_hold(&c.res, 256), 0);
	ck_assert_int_eq(dm_respond(&c.res, 200, "text/plain", NULL), 0);
	for (i = 0; i < 100; i++) {
		snprintf(row, sizeof(row), "row %d\n", i);
		fputs(row, c.res.out);
	}
	ck_assert_int_eq(dm_response_retract(&c.res), -1);
	ck_assert_int_eq(c.res.started, 1);
	fflush(c.f);
	ck_assert_uint_gt(c.len, 256);
	ck_assert_uint_eq(c.res.sent, c.len);
	fputs("the end\n", c.res.out);
	ck_assert_int_eq(dm_response_end(&c.res), 0);
	capture_close(&c);
	ck_assert_ptr_nonnull(strstr(c.text, "\r\n\r\nrow 0\nrow 1\n"));
	ck_assert_ptr_nonnull(strstr(c.text, "row 99\nthe end\n"));
	free(c.text);
}
END_TEST

START_TEST(test_status_reason)
{
	ck_assert_str_eq(dm_status_reason(200), "OK");
	ck_assert_str_eq(dm_status_reason(201), "Created");
	ck_assert_str_eq(dm_status_reason(400), "Bad Request");
	ck_assert_str_eq(dm_status_reason(403), "Forbidden");
	ck_assert_str_eq(dm_status_reason(404), "Not Found");
	ck_assert_str_eq(dm_status_reason(405), "Method Not Allowed");
	ck_assert_str_eq(dm_status_reason(413), "Content Too Large");
	ck_assert_str_eq(dm_status_reason(500), "Internal Server Error");
	ck_assert_str_eq(dm_status_reason(503), "Service Unavailable");
	ck_assert_str_eq(dm_status_reason(299), "Unknown");
	ck_assert_str_eq(dm_status_reason(0), "Unknown");
	ck_assert_str_eq(dm_status_reason(-1), "Unknown");
}
END_TEST

START_TEST(test_respond_unknown_status)
{
	struct capture c;

	capture_open(&c);
	ck_assert_int_eq(dm_respond(&c.res, 299, "text/plain", NULL), 0);
	ck_assert_str_eq(capture_close(&c),
	                 "Status: 299 Unknown\r\nContent-Type: text/plain\r\n\r\n");
	free(c.text);
}
END_TEST

Suite *
make_response_suite(void)
{
	Suite *s = suite_create("response");
	TCase *tc = tcase_create("response");

	tcase_add_test(tc, test_response_init);
	tcase_add_test(tc, test_respond_headers);
	tcase_add_test(tc, test_respond_no_content_type);
	tcase_add_test(tc, test_respond_twice);
	tcase_add_test(tc, test_respond_header_injection);
	tcase_add_test(tc, test_respond_null_value);
	tcase_add_test(tc, test_error_plain_text);
	tcase_add_test(tc, test_error_after_start);
	tcase_add_test(tc, test_hold_until_end);
	tcase_add_test(tc, test_hold_retract);
	tcase_add_test(tc, test_hold_past_max);
	tcase_add_test(tc, test_status_reason);
	tcase_add_test(tc, test_respond_unknown_status);
	suite_add_tcase(s, tc);
	return s;
}
