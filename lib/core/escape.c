/* escape.c: HTML, URL, JSON and Prometheus label escaping writers, and URL decoding. */
#include "core/escape.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"

static void
html_escape(FILE *f, const char *s, const char *special)
{
	size_t n;

	while (*s) {
		n = strcspn(s, special);
		fwrite(s, 1, n, f);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		}
		s++;
	}
}

void
dm_html_txt(FILE *f, const char *s)
{
	html_escape(f, s, "&<>");
}

void
dm_html_attr(FILE *f, const char *s)
{
	html_escape(f, s, "&<>\"'");
}

static int
url_unreserved(unsigned char c, const char *keep)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || (c && strchr(keep, c));
}

/* The length of the run at s that url_escape writes as it is. */
static size_t
url_run(const char *s, const char *keep)
{
	size_t n = 0;

	while (s[n] && url_unreserved((unsigned char)s[n], keep))
		n++;
	return n;
}

/* Runs of unreserved bytes in one write each: a page of 10,000 links writes many. */
static void
url_escape(FILE *f, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t n;

	while (*s) {
		n = url_run(s, keep);
		fwrite(s, 1, n, f);
		s += n;
		if ((c = (unsigned char)*s) == '\0')
			return;
		fputc('%', f);
		fputc(hex[c >> 4], f);
		fputc(hex[c & 15], f);
		s++;
	}
}

void
dm_url_arg(FILE *f, const char *s)
{
	url_escape(f, s, "");
}

void
dm_url_path(FILE *f, const char *s)
{
	url_escape(f, s, "/:");
}

void
dm_csv_field(FILE *f, const char *s)
{
	int formula, quote;

	if (s == NULL)
		return;
	formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putc('"', f);
	if (formula)
		putc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	if (quote)
		putc('"', f);
}

static int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	int n;

	for (; p < end; p += n)
		if ((n = *p < 0x80 ? 1 : dm_utf8_len(p, end)) == 0)
			return 0;
	return 1;
}

/*
 * Escapes as Jansson's dump does by default (quote, backslash, control characters; the
 * rest of UTF-8 as it is), without its allocations: a page of 10,000 rows writes 60,000
 * strings, and a json_t per string cost a third of the page's time.
 */
int
dm_json_str(FILE *f, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	size_t n;

	if (!utf8_valid(s))
		return -1;
	putc('"', f);
	while (*s) {
		/* A run of what JSON writes as it is: not the quote, backslash or a control. */
		for (n = 0; (unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\'; n++)
			continue;
		fwrite(s, 1, n, f);
		s += n;
		if ((c = (unsigned char)*s) == '\0')
			break;
		putc('\\', f);
		if (c == '"' || c == '\\')
			putc(c, f);
		else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
			putc("btnfr"[c == '\b'   ? 0
			             : c == '\t' ? 1
			             : c == '\n' ? 2
			             : c == '\f' ? 3
			                         : 4],
			     f);
		else
			fprintf(f, "u00%c%c", hex[c >> 4], hex[c & 15]);
		s++;
	}
	putc('"', f);
	return 0;
}

void
dm_json_key(FILE *f, int first, const char *key)
{
	fputs(first ? "\"" : ",\"", f);
	fputs(key, f);
	fputs("\":", f);
}

void
dm_json_member(FILE *f, int first, const char *key, const char *value)
{
	dm_json_key(f, first, key);
	if (value == NULL || dm_json_str(f, value) == -1)
		fputs("null", f);
}

void
dm_prom_label(FILE *f, const char *s)
{
	size_t n;

	while (*s) {
		n = strcspn(s, "\\\"\n");
		fwrite(s, 1, n, f);
		s += n;
		if (*s == '\0')
			return;
		/* The format knows these three escapes only; a line feed would end the sample. */
		fputs(*s == '\n' ? "\\n" : *s == '"' ? "\\\"" : "\\\\", f);
		s++;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
dm_url_decode(char *s, int plus_is_space)
{
	char *out = s;
	int hi, lo;

	for (; *s; s++) {
		if (*s == '%') {
			if ((hi = hexval(s[1])) < 0 || (lo = hexval(s[2])) < 0 || (hi | lo) == 0)
				return -1;
			*out++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*out++ = plus_is_space && *s == '+' ? ' ' : *s;
		}
	}
	*out = '\0';
	return 0;
}
