/* check_escape.c: the HTML, URL, JSON, CSV and Prometheus label writers, and URL decoding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "suites.h"

/* What one writer produces for s, as a string the caller frees. */
static char *
written(void (*writer)(FILE *, const char *), const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	writer(f, s);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static void
assert_writes(void (*writer)(FILE *, const char *), const char *s, const char *want)
{
	char *got = written(writer, s);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_html_txt)
{
	assert_writes(dm_html_txt, "<script>\"x\" & 'y'</script>",
	              "&lt;script&gt;\"x\" &amp; 'y'&lt;/script&gt;");
	assert_writes(dm_html_txt, "", "");
	assert_writes(dm_html_txt, "plain text", "plain text");
	assert_writes(dm_html_txt, "&&", "&amp;&amp;");
	assert_writes(dm_html_txt, "a<b>c", "a&lt;b&gt;c");
	assert_writes(dm_html_txt, "caf\xc3\xa9", "caf\xc3\xa9");
}
END_TEST

START_TEST(test_html_attr)
{
	assert_writes(dm_html_attr, "<script>\"x\" & 'y'</script>",
	              "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
	assert_writes(dm_html_attr, "", "");
	assert_writes(dm_html_attr, "\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	assert_writes(dm_html_attr, "'", "&#39;");
	assert_writes(dm_html_attr, "a b=c", "a b=c");
}
END_TEST

START_TEST(test_url_arg)
{
	assert_writes(dm_url_arg, "a b", "a%20b");
	assert_writes(dm_url_arg, "a/b", "a%2Fb");
	assert_writes(dm_url_arg, "a+b", "a%2Bb");
	assert_writes(dm_url_arg, "a:b", "a%3Ab");
	assert_writes(dm_url_arg, "caf\xc3\xa9", "caf%C3%A9");
	assert_writes(dm_url_arg, "?&=#%", "%3F%26%3D%23%25");
	assert_writes(dm_url_arg, "<\"'>", "%3C%22%27%3E");
	assert_writes(dm_url_arg, "\x01\x7f\xff", "%01%7F%FF");
	assert_writes(dm_url_arg, "AZaz09-._~", "AZaz09-._~");
	assert_writes(dm_url_arg, "", "");
}
END_TEST

START_TEST(test_url_path)
{
	assert_writes(dm_url_path, "docker-registry.example.org/library/debian:bookworm",
	              "docker-registry.example.org/library/debian:bookworm");
	assert_writes(dm_url_path, "a b/c:d+e", "a%20b/c:d%2Be");
	assert_writes(dm_url_path, "x?y#z", "x%3Fy%23z");
	assert_writes(dm_url_path, "caf\xc3\xa9/", "caf%C3%A9/");
}
END_TEST

/* What dm_json_str writes for s, and its result in *rc. */
static char *
json_written(const char *s, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	*rc = dm_json_str(f, s);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static void
assert_json(const char *s, const char *want)
{
	int rc;
	char *got = json_written(s, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_json_str)
{
	assert_json("", "\"\"");
	assert_json("plain", "\"plain\"");
	assert_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_json("back\\slash", "\"back\\\\slash\"");
	assert_json("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	assert_json("\x01\x1f", "\"\\u0001\\u001F\"");
	assert_json("\b\f\x7f/", "\"\\b\\f\x7f/\"");
	assert_json("\xf0\x9f\x90\xa7 \xe2\x80\xa8", "\"\xf0\x9f\x90\xa7 \xe2\x80\xa8\"");
	assert_json("</script>", "\"</script>\"");
	assert_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}
END_TEST

/* Every ASCII character and a few others come out exactly as Jansson writes them. */
START_TEST(test_json_str_as_jansson)
{
	static const char *const more[] = {"caf\xc3\xa9", "\xe2\x80\xa8\xe2\x80\xa9",
	                                   "\xf4\x8f\xbf\xbf", "a\"b\\c/d"};
	char s[4], *want, *got;
	size_t i;
	int rc;

	for (i = 1; i < 128 + sizeof(more) / sizeof(more[0]); i++) {
		const char *v = i < 128 ? s : more[i - 128];
		json_t *j;

		snprintf(s, sizeof(s), "%c", (int)i);
		ck_assert_ptr_nonnull(j = json_string(v));
		want = json_dumps(j, JSON_ENCODE_ANY);
		json_decref(j);
		got = json_written(v, &rc);
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(strcmp(got, want) == 0, "character %zu: %s, Jansson %s", i, got,
		              want);
		free(want);
		free(got);
	}
}
END_TEST

/* One object member: a NULL value, or one that is not UTF-8, is null. */
START_TEST(test_json_member)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	putc('{', f);
	dm_json_member(f, 1, "name", "a\"b");
	dm_json_member(f, 0, "upgrade", NULL);
	dm_json_member(f, 0, "bad", "caf\xe9");
	putc('}', f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(text, "{\"name\":\"a\\\"b\",\"upgrade\":null,\"bad\":null}");
	free(text);
}
END_TEST

START_TEST(test_json_str_invalid_utf8)
{
	static const char *const bad[] = {"\xff", "caf\xe9", "\xc3", "\xc0\xaf", "\xed\xa0\x80"};
	size_t i;
	int rc;
	char *got;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		got = json_written(bad[i], &rc);
		ck_assert_msg(rc == -1, "invalid UTF-8 case %zu accepted", i);
		ck_assert_msg(got[0] == '\0', "invalid UTF-8 case %zu wrote \"%s\"", i, got);
		free(got);
	}
}
END_TEST

/* Decodes s with dm_url_decode; returns the decoded copy, or NULL when refused. */
static char *
decoded(const char *s, int plus_is_space)
{
	char *copy = strdup(s);

	ck_assert_ptr_nonnull(copy);
	if (dm_url_decode(copy, plus_is_space) == 0)
		return copy;
	free(copy);
	return NULL;
}

static void
assert_decodes(const char *s, int plus_is_space, const char *want)
{
	char *got = decoded(s, plus_is_space);

	ck_assert_msg(got != NULL, "\"%s\" refused", s);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_url_decode)
{
	assert_decodes("", 0, "");
	assert_decodes("plain", 0, "plain");
	assert_decodes("a%20b%2Fc", 0, "a b/c");
	assert_decodes("%41%4a%4A", 0, "AJJ");
	assert_decodes("caf%C3%A9", 0, "caf\xc3\xa9");
	assert_decodes("%25%32%30", 0, "%20");
	assert_decodes("100%25", 0, "100%");
}
END_TEST

START_TEST(test_url_decode_plus)
{
	assert_decodes("a+b", 1, "a b");
	assert_decodes("a+b", 0, "a+b");
	/* An encoded plus is a plus either way. */
	assert_decodes("a%2Bb", 1, "a+b");
	assert_decodes("a%2Bb", 0, "a+b");
	assert_decodes("++", 1, "  ");
}
END_TEST

START_TEST(test_url_decode_malformed)
{
	static const char *const bad[] = {"%",   "%2",    "a%2", "%zz", "%g0", "%0g",
	                                  "%00", "a%00b", "%%",  "%-1", "% 1"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(decoded(bad[i], 0) == NULL, "\"%s\" accepted", bad[i]);
		ck_assert_msg(decoded(bad[i], 1) == NULL, "\"%s\" accepted with plus_is_space",
		              bad[i]);
	}
}
END_TEST

/* NULL as a writer's argument: an empty field. */
static void
csv_null(FILE *f, const char *s)
{
	(void)s;
	dm_csv_field(f, NULL);
}

START_TEST(test_csv_field)
{
	assert_writes(dm_csv_field, "plain", "plain");
	assert_writes(dm_csv_field, "", "");
	assert_writes(csv_null, "", "");
	assert_writes(dm_csv_field, "a,b", "\"a,b\"");
	assert_writes(dm_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
	assert_writes(dm_csv_field, "two\nlines", "\"two\nlines\"");
	assert_writes(dm_csv_field, "cr\rlf", "\"cr\rlf\"");
	assert_writes(dm_csv_field, "2:1.0-1+b1", "2:1.0-1+b1");
	assert_writes(dm_csv_field, "1.0~rc1-2", "1.0~rc1-2");
	/* What a spreadsheet would run: neutralised, whatever follows. */
	assert_writes(dm_csv_field, "=HYPERLINK(\"http://x\")",
	              "\"'=HYPERLINK(\"\"http://x\"\")\"");
	assert_writes(dm_csv_field, "+1", "\"'+1\"");
	assert_writes(dm_csv_field, "-2+3", "\"'-2+3\"");
	assert_writes(dm_csv_field, "@SUM(A1)", "\"'@SUM(A1)\"");
	assert_writes(dm_csv_field, "\tx", "\"'\tx\"");
	assert_writes(dm_csv_field, "\r=1", "\"'\r=1\"");
	assert_writes(dm_csv_field, "a=b", "a=b");
}
END_TEST

/* A label value stays on its line and inside its quotes whatever an OS name holds. */
START_TEST(test_prom_label)
{
	assert_writes(dm_prom_label, "Debian 12", "Debian 12");
	assert_writes(dm_prom_label, "", "");
	assert_writes(dm_prom_label, "a\"b", "a\\\"b");
	assert_writes(dm_prom_label, "a\\b", "a\\\\b");
	assert_writes(dm_prom_label, "a\nb", "a\\nb");
	assert_writes(dm_prom_label, "\\\"\n", "\\\\\\\"\\n");
	assert_writes(dm_prom_label, "} 1\nx{", "} 1\\nx{");
	assert_writes(dm_prom_label, "caf\xc3\xa9\t<&>", "caf\xc3\xa9\t<&>");
}
END_TEST

Suite *
make_escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *html = tcase_create("html");
	TCase *url = tcase_create("url");
	TCase *json = tcase_create("json");
	TCase *decode = tcase_create("decode");
	TCase *prom = tcase_create("prometheus");

	tcase_add_test(html, test_html_txt);
	tcase_add_test(html, test_html_attr);
	suite_add_tcase(s, html);
	tcase_add_test(url, test_url_arg);
	tcase_add_test(url, test_url_path);
	tcase_add_test(url, test_csv_field);
	suite_add_tcase(s, url);
	tcase_add_test(json, test_json_str);
	tcase_add_test(json, test_json_str_as_jansson);
	tcase_add_test(json, test_json_member);
	tcase_add_test(json, test_json_str_invalid_utf8);
	suite_add_tcase(s, json);
	tcase_add_test(decode, test_url_decode);
	tcase_add_test(decode, test_url_decode_plus);
	tcase_add_test(decode, test_url_decode_malformed);
	suite_add_tcase(s, decode);
	tcase_add_test(prom, test_prom_label);
	suite_add_tcase(s, prom);
	return s;
}
