/* check_page.c: the shared HTML frame is a complete document with the title escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "web/page.h"

/* The page as user (logged in with that logout link; "" for none) sees it. */
static char *
page_as(const char *user, const char *logout, int status, const char *title, const char *body)
{
	struct dm_ctx ctx;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(out);
	memset(&ctx, 0, sizeof(ctx));
	ctx.req.remote_user = user;
	ctx.req.logout_url = logout;
	dm_response_init(&ctx.res, out);
	dm_page_begin(&ctx, status, title);
	fputs(body, out);
	dm_page_end(&ctx);
	ck_assert_int_eq(ctx.res.started, 1);
	ck_assert_int_eq(ctx.res.status, status);
	ck_assert_int_eq(fclose(out), 0);
	return text;
}

/* The whole answer for a page titled title with body between the frame's two halves. */
static char *
page(int status, const char *title, const char *body)
{
	return page_as("", "", status, title, body);
}

static void
assert_has(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "page lacks \"%s\":\n%s", want, text);
}

START_TEST(test_page_headers)
{
	static const char want[] = "Status: 200 OK\r\n"
	                           "Content-Type: text/html; charset=utf-8\r\n"
	                           "\r\n"
	                           "<!DOCTYPE html>\n";
	char *out = page(200, "Hosts", "");

	ck_assert_msg(strncmp(out, want, sizeof(want) - 1) == 0, "unexpected start:\n%s", out);
	free(out);
}
END_TEST

START_TEST(test_page_status)
{
	char *out = page(404, "Page not found", "");

	ck_assert_msg(strncmp(out, "Status: 404 Not Found\r\n", 23) == 0, "unexpected start:\n%s",
	              out);
	assert_has(out, "<title>Page not found - DebMonitor</title>");
	free(out);
}
END_TEST

START_TEST(test_page_document)
{
	char *out = page(200, "Hosts", "<p>BODY</p>\n");
	const char *html = strstr(out, "\r\n\r\n");
	size_t len;

	ck_assert_ptr_nonnull(html);
	html += 4;
	len = strlen(html);
	ck_assert_msg(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n", 40) == 0,
	              "unexpected document start:\n%s", html);
	assert_has(html, "<meta charset=\"utf-8\">");
	assert_has(html, "<title>Hosts - DebMonitor</title>");
	assert_has(html, "<link rel=\"stylesheet\" href=\"/static/debmonitor.css\">");
	assert_has(html, "<script src=\"/static/debmonitor.js\" defer></script>\n</head>");
	assert_has(html, "<body>\n");
	assert_has(html, "<a href=\"/hosts/\">Hosts</a>");
	assert_has(html, "<form action=\"/search\" method=\"get\" role=\"search\">");
	assert_has(html, "<main>\n<h1>Hosts</h1>\n<p>BODY</p>\n</main>\n");
	assert_has(html, "</main>\n<footer>");
	ck_assert_uint_ge(len, 16);
	ck_assert_str_eq(html + len - 16, "</body>\n</html>\n");
	free(out);
}
END_TEST

START_TEST(test_page_user)
{
	char *out = page(200, "Hosts", "");

	ck_assert_ptr_null(strstr(out, "class=\"user\""));
	free(out);
	out = page_as("<b>o'hara & \"co\"", "", 200, "Hosts", "");
	assert_has(out, "<span class=\"user\" title=\"Logged in\">&lt;b&gt;o'hara &amp; "
	                "\"co\"</span></nav>");
	ck_assert_ptr_null(strstr(out, "Log out"));
	free(out);
	out = page_as("alice", "/oidc/callback?logout=%2F&x=\"y\"", 200, "Hosts", "");
	assert_has(out,
	           "<a class=\"logout\" href=\"/oidc/callback?logout=%2F&amp;x=&quot;y&quot;\">"
	           "Log out</a></nav>");
	free(out);
}
END_TEST

START_TEST(test_page_title_escaped)
{
	char *out = page(200, "<script>a && b</script> \"q\"", "");

	assert_has(out, "<title>&lt;script&gt;a &amp;&amp; b&lt;/script&gt; \"q\" - "
	                "DebMonitor</title>");
	assert_has(out, "<h1>&lt;script&gt;a &amp;&amp; b&lt;/script&gt; \"q\"</h1>");
	ck_assert_ptr_null(strstr(out, "<script>"));
	ck_assert_ptr_null(strstr(out, "a && b"));
	free(out);
}
END_TEST

START_TEST(test_page_title_lt_amp_gt)
{
	char *out = page(200, "<&>", "");

	assert_has(out, "<title>&lt;&amp;&gt; - DebMonitor</title>");
	assert_has(out, "<h1>&lt;&amp;&gt;</h1>");
	ck_assert_ptr_null(strstr(out, "<&>"));
	free(out);
}
END_TEST

Suite *
make_page_suite(void)
{
	Suite *s = suite_create("page");
	TCase *tc = tcase_create("page");

	tcase_add_test(tc, test_page_headers);
	tcase_add_test(tc, test_page_status);
	tcase_add_test(tc, test_page_document);
	tcase_add_test(tc, test_page_user);
	tcase_add_test(tc, test_page_title_escaped);
	tcase_add_test(tc, test_page_title_lt_amp_gt);
	suite_add_tcase(s, tc);
	return s;
}
