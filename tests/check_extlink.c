/* check_extlink.c: external links put URL-escaped values into templates, escaped again in HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "suites.h"
#include "web/extlink.h"

static const struct dm_extvar host_vars[] = {
    {"fqdn", "web1.example.org", dm_url_arg},
    {"hostname", "web1", dm_url_arg},
};

static void
assert_url(const char *template, const struct dm_extvar *vars, size_t n, const char *want)
{
	char *url = dm_extlink_url(template, vars, n);

	ck_assert_ptr_nonnull(url);
	ck_assert_str_eq(url, want);
	free(url);
}

START_TEST(test_extlink_placeholders)
{
	assert_url("https://mon/{hostname}?h={fqdn}&x={fqdn}", host_vars, 2,
	           "https://mon/web1?h=web1.example.org&x=web1.example.org");
	assert_url("plain", host_vars, 2, "plain");
	assert_url("", host_vars, 2, "");
}
END_TEST

START_TEST(test_extlink_unknown_kept)
{
	assert_url("{other}/{fqdn/{hostname", host_vars, 2, "{other}/{fqdn/{hostname");
	assert_url("{", host_vars, 2, "{");
	assert_url("{{fqdn}}", host_vars, 2, "{web1.example.org}");
}
END_TEST

START_TEST(test_extlink_values_escaped)
{
	const struct dm_extvar evil[] = {{"fqdn", "a b&c=\"d\"/e", dm_url_arg}};
	const struct dm_extvar image[] = {{"image_path", "reg:5000/team/app x", dm_url_path}};

	assert_url("https://x/?q={fqdn}", evil, 1, "https://x/?q=a%20b%26c%3D%22d%22%2Fe");
	assert_url("https://x/{image_path}", image, 1, "https://x/reg:5000/team/app%20x");
}
END_TEST

START_TEST(test_extlink_html_and_json)
{
	const struct dm_extvar evil[] = {{"fqdn", "h'1", dm_url_arg}};
	json_t *links = json_pack("{s:s, s:s}", "Grafana <&>", "https://g/?a=1&h={fqdn}", "Q\"",
	                          "javascript:'x'");
	json_t *j = dm_extlinks_json(links, evil, 1);
	char *html = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);

	ck_assert_str_eq(json_string_value(json_object_get(j, "Grafana <&>")),
	                 "https://g/?a=1&h=h%271");
	dm_extlinks_html(f, links, evil, 1);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(strstr(html, "<dt>Links</dt>") != NULL, "%s", html);
	ck_assert_msg(strstr(html, "href=\"https://g/?a=1&amp;h=h%271\"") != NULL, "%s", html);
	ck_assert_msg(strstr(html, ">Grafana &lt;&amp;&gt;</a>") != NULL, "%s", html);
	ck_assert_msg(strstr(html, "href=\"javascript:&#39;x&#39;\"") != NULL, "%s", html);
	free(html);
	json_decref(j);
	json_decref(links);
}
END_TEST

START_TEST(test_extlink_none)
{
	char *html = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);
	json_t *j = dm_extlinks_json(NULL, host_vars, 2);

	dm_extlinks_html(f, NULL, host_vars, 2);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(html, "");
	ck_assert_int_eq(json_object_size(j), 0);
	free(html);
	json_decref(j);
}
END_TEST

Suite *
make_extlink_suite(void)
{
	Suite *s = suite_create("extlink");
	TCase *tc = tcase_create("extlink");

	tcase_add_test(tc, test_extlink_placeholders);
	tcase_add_test(tc, test_extlink_unknown_kept);
	tcase_add_test(tc, test_extlink_values_escaped);
	tcase_add_test(tc, test_extlink_html_and_json);
	tcase_add_test(tc, test_extlink_none);
	suite_add_tcase(s, tc);
	return s;
}
