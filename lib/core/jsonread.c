/* jsonread.c: recursive descent over a private copy, strings decoded where they stand. */
#include "core/jsonread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"

struct reader {
	struct dm_json *j;
	char *p;          /* next byte to read */
	char *end;        /* one past the last byte */
	const char *what; /* what went wrong, when something did */
	int utf8;
	int depth;
};

static int parse_value(struct reader *r);

static int
bad(struct reader *r, const char *what)
{
	if (r->what == NULL)
		r->what = what;
	return -1;
}

static void
skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

static size_t
add_node(struct reader *r, enum dm_jtype type)
{
	struct dm_json *j = r->j;
	struct dm_jnode *v;
	size_t cap;

	if (j->n == j->cap) {
		cap = j->cap ? j->cap * 2 : 256;
		if ((v = realloc(j->v, cap * sizeof(*v))) == NULL)
			return bad(r, "out of memory"), DM_JNONE;
		j->v = v;
		j->cap = cap;
	}
	j->v[j->n] = (struct dm_jnode){type, 0, j->n + 1, NULL};
	return j->n++;
}

static int
hex4(const char *p, unsigned int *out)
{
	unsigned int v = 0;
	int i, d;

	for (i = 0; i < 4; i++) {
		d = p[i];
		if (d >= '0' && d <= '9')
			d -= '0';
		else if (d >= 'a' && d <= 'f')
			d -= 'a' - 10;
		else if (d >= 'A' && d <= 'F')
			d -= 'A' - 10;
		else
			return -1;
		v = v << 4 | (unsigned int)d;
	}
	*out = v;
	return 0;
}

static char *
put_utf8(char *w, unsigned int c)
{
	if (c < 0x80) {
		*w++ = (char)c;
	} else if (c < 0x800) {
		*w++ = (char)(0xC0 | c >> 6);
		*w++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*w++ = (char)(0xE0 | c >> 12);
		*w++ = (char)(0x80 | (c >> 6 & 0x3F));
		*w++ = (char)(0x80 | (c & 0x3F));
	} else {
		*w++ = (char)(0xF0 | c >> 18);
		*w++ = (char)(0x80 | (c >> 12 & 0x3F));
		*w++ = (char)(0x80 | (c >> 6 & 0x3F));
		*w++ = (char)(0x80 | (c & 0x3F));
	}
	return w;
}

/* Decodes "\uXXXX" (and a surrogate pair) at r->p, just past the backslash. */
static int
unicode_escape(struct reader *r, char **w)
{
	unsigned int c, lo;

	if (r->end - r->p < 5 || hex4(r->p + 1, &c) == -1)
		return bad(r, "invalid \\u escape");
	r->p += 5;
	if (c >= 0xDC00 && c <= 0xDFFF)
		return bad(r, "invalid \\u escape: lone low surrogate");
	if (c >= 0xD800 && c <= 0xDBFF) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
		    hex4(r->p + 2, &lo) == -1 || lo < 0xDC00 || lo > 0xDFFF)
			return bad(r, "invalid \\u escape: lone high surrogate");
		r->p += 6;
		c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (c == 0)
		return bad(r, "\\u0000 is not allowed");
	*w = put_utf8(*w, c);
	return 0;
}

static int
simple_escape(struct reader *r, char **w)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;

	if (r->p[0] == 'u')
		return unicode_escape(r, w);
	if (r->p[0] == '\0' || (hit = strchr(from, r->p[0])) == NULL)
		return bad(r, "invalid escape");
	*(*w)++ = to[hit - from];
	r->p++;
	return 0;
}

/* A string at r->p (the opening quote), decoded over itself and NUL-terminated. */
static int
parse_string(struct reader *r, size_t *node)
{
	char *w = ++r->p, *start = w;
	unsigned char c;
	int n;

	for (;;) {
		if (r->p >= r->end)
			return bad(r, "premature end of input in a string");
		c = (unsigned char)*r->p;
		if (c == '"')
			break;
		if (c == '\\') {
			r->p++;
			if (simple_escape(r, &w) == -1)
				return -1;
		} else if (c < 0x20) {
			return bad(r, "control character in a string");
		} else if (c < 0x80) {
			*w++ = *r->p++;
		} else if ((n = dm_utf8_len((const unsigned char *)r->p,
		                            (const unsigned char *)r->end)) == 0) {
			r->utf8 = 1;
			return bad(r, "invalid UTF-8 in a string");
		} else {
			memmove(w, r->p, (size_t)n);
			w += n;
			r->p += n;
		}
	}
	r->p++;
	*w = '\0';
	if ((*node = add_node(r, DM_JSTRING)) == DM_JNONE)
		return -1;
	r->j->v[*node].s = start;
	r->j->v[*node].len = (size_t)(w - start);
	return 0;
}

static int
digits(struct reader *r)
{
	char *start = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > start ? 0 : bad(r, "invalid number");
}

static int
parse_number(struct reader *r)
{
	char *start = r->p;
	size_t node;

	if (*r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (digits(r) == -1)
		return -1;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (digits(r) == -1)
			return -1;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (digits(r) == -1)
			return -1;
	}
	if ((node = add_node(r, DM_JNUMBER)) == DM_JNONE)
		return -1;
	r->j->v[node].s = start;
	r->j->v[node].len = (size_t)(r->p - start);
	return 0;
}

static int
parse_literal(struct reader *r)
{
	static const struct {
		const char *word;
		enum dm_jtype type;
	} words[] = {{"true", DM_JTRUE}, {"false", DM_JFALSE}, {"null", DM_JNULL}};
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i].word);
		if ((size_t)(r->end - r->p) >= n && memcmp(r->p, words[i].word, n) == 0) {
			r->p += n;
			return add_node(r, words[i].type) == DM_JNONE ? -1 : 0;
		}
	}
	return bad(r, "invalid token");
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Like Jansson's JSON_REJECT_DUPLICATES: a key given twice makes the object ambiguous. */
static int
unique_keys(struct reader *r, size_t obj)
{
	const struct dm_json *j = r->j;
	size_t i, k, n = j->v[obj].len, at = obj + 1;
	const char *small[8], **keys = small;
	int rc = 0;

	if (n < 2)
		return 0;
	/* Payload objects have a handful of keys: compare them pairwise, sort only big ones. */
	if (n > 8 && (keys = malloc(n * sizeof(*keys))) == NULL)
		return bad(r, "out of memory");
	for (i = 0; i < n; i++, at = j->v[at + 1].next)
		keys[i] = j->v[at].s;
	if (n > 8)
		qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 0; rc == 0 && i + 1 < n; i++)
		for (k = i + 1; rc == 0 && k < (n > 8 ? i + 2 : n); k++)
			if (strcmp(keys[i], keys[k]) == 0)
				rc = bad(r, "duplicate object key");
	if (keys != small)
		free(keys);
	return rc;
}

/* An array or object: items (or key, value pairs) separated by commas until close. */
static int
parse_container(struct reader *r, enum dm_jtype type)
{
	char close = type == DM_JARRAY ? ']' : '}';
	size_t node, key;

	if (++r->depth > DM_JSON_MAX_DEPTH)
		return bad(r, "nested too deeply");
	if ((node = add_node(r, type)) == DM_JNONE)
		return -1;
	r->p++;
	skip_space(r);
	if (r->p < r->end && *r->p == close)
		goto done;
	for (;;) {
		if (type == DM_JOBJECT) {
			if (r->p >= r->end || *r->p != '"')
				return bad(r, "string or '}' expected");
			if (parse_string(r, &key) == -1)
				return -1;
			skip_space(r);
			if (r->p >= r->end || *r->p != ':')
				return bad(r, "':' expected");
			r->p++;
		}
		if (parse_value(r) == -1)
			return -1;
		r->j->v[node].len++;
		skip_space(r);
		if (r->p < r->end && *r->p == close)
			break;
		if (r->p >= r->end || *r->p != ',')
			return bad(r, type == DM_JARRAY ? "',' or ']' expected"
			                                : "',' or '}' expected");
		r->p++;
		skip_space(r);
	}
done:
	r->p++;
	r->depth--;
	r->j->v[node].next = r->j->n;
	return type == DM_JOBJECT ? unique_keys(r, node) : 0;
}

static int
parse_value(struct reader *r)
{
	size_t node;

	skip_space(r);
	if (r->p >= r->end)
		return bad(r, "premature end of input");
	switch (*r->p) {
	case '{':
		return parse_container(r, DM_JOBJECT);
	case '[':
		return parse_container(r, DM_JARRAY);
	case '"':
		return parse_string(r, &node);
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			return parse_number(r);
		return parse_literal(r);
	}
}

static void
where(const struct reader *r, const char *base, char *err, size_t errlen)
{
	const char *p;
	int line = 1, column = 1;

	for (p = base; p < r->p && p < r->end; p++) {
		if (*p == '\n')
			line++, column = 1;
		else
			column++;
	}
	snprintf(err, errlen, "%s at line %d column %d", r->what ? r->what : "invalid JSON", line,
	         column);
}

int
dm_json_parse(struct dm_json *j, const char *text, size_t len, int *utf8, char *err, size_t errlen)
{
	struct reader r;

	memset(j, 0, sizeof(*j));
	memset(&r, 0, sizeof(r));
	*utf8 = 0;
	if ((j->text = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(j->text, text, len);
	j->text[len] = '\0';
	r = (struct reader){j, j->text, j->text + len, NULL, 0, 0};
	if (parse_value(&r) == 0) {
		skip_space(&r);
		if (r.p == r.end)
			return 0;
		bad(&r, "end of input expected");
	}
	*utf8 = r.utf8;
	where(&r, j->text, err, errlen);
	dm_json_free(j);
	return -1;
}

void
dm_json_free(struct dm_json *j)
{
	free(j->v);
	free(j->text);
	memset(j, 0, sizeof(*j));
}

size_t
dm_json_get(const struct dm_json *j, size_t obj, const char *key)
{
	size_t i, at = obj + 1;

	if (obj >= j->n || j->v[obj].type != DM_JOBJECT)
		return DM_JNONE;
	for (i = 0; i < j->v[obj].len; i++, at = j->v[at + 1].next)
		if (strcmp(j->v[at].s, key) == 0)
			return at + 1;
	return DM_JNONE;
}
