/* distro.c: reads distro-info-data's release table and maps hosts' OS names onto it. */
#include "core/distro.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* The columns the table is read by; the header may hold others, and in any order. */
enum col {
	COL_VERSION,
	COL_CODENAME,
	COL_SERIES,
	COL_CREATED,
	COL_RELEASE,
	COL_EOL,
	COL_EOL_LTS,
	COL_EOL_ELTS,
	COL__MAX
};

static const struct {
	const char *name;
	int required;
} cols[COL__MAX] = {
    [COL_VERSION] = {"version", 1}, [COL_CODENAME] = {"codename", 1}, [COL_SERIES] = {"series", 1},
    [COL_CREATED] = {"created", 1}, [COL_RELEASE] = {"release", 1},   [COL_EOL] = {"eol", 1},
    [COL_EOL_LTS] = {"eol-lts", 0}, [COL_EOL_ELTS] = {"eol-elts", 0},
};

/* One line split into its fields, unquoted. */
struct csv_line {
	char field[DM_DISTRO_MAX_COLUMNS][DM_DISTRO_FIELD_MAX + 1];
	size_t n;
};

/* A parse in progress: the text left, the line being read, where each column is. */
struct csv_load {
	struct dm_distro *d;
	const char *p, *end;
	int line;
	size_t cap;                           /* rows d->rel has room for */
	size_t n_header;                      /* columns the header names */
	int at[COL__MAX];                     /* each column's index in a row; -1: absent */
	int row_line[DM_DISTRO_MAX_RELEASES]; /* the line of each release, for messages */
	char *err;
	size_t errlen;
};

/* "PATH:LINE: " and the message in err; returns -1. */
static int fail(struct csv_load *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct csv_load *ld, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ld->err, ld->errlen, "%s:%d: ", ld->d->path, ld->line);
	if (n >= 0 && (size_t)n < ld->errlen) {
		va_start(ap, fmt);
		vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Appends c to a field of *len bytes so far, refusing what no field may hold. */
static int
put(struct csv_load *ld, char *out, size_t *len, char c, size_t col)
{
	if (*len == DM_DISTRO_FIELD_MAX)
		return fail(ld, "field %zu: longer than %d bytes", col, DM_DISTRO_FIELD_MAX);
	if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
		return fail(ld, "field %zu: byte 0x%02x is not printable ASCII", col,
		            (unsigned char)c);
	out[(*len)++] = c;
	out[*len] = '\0';
	return 0;
}

/* A quoted field from just after its opening quote: "" is a quote; it ends at a ','. */
static int
quoted(struct csv_load *ld, const char **s, const char *stop, char *out, size_t col)
{
	size_t len = 0;
	char c;

	for (;;) {
		if (*s == stop)
			return fail(ld, "field %zu: unterminated quoted field", col);
		c = *(*s)++;
		if (c == '"' && *s < stop && **s == '"')
			(*s)++;
		else if (c == '"')
			break;
		if (put(ld, out, &len, c, col) == -1)
			return -1;
	}
	if (*s < stop && **s != ',')
		return fail(ld, "field %zu: text after the closing quote", col);
	return 0;
}

/* The field at *s (col counts from 1), left in out; *s stops at its ',' or at stop. */
static int
read_field(struct csv_load *ld, const char **s, const char *stop, char *out, size_t col)
{
	size_t len = 0;

	out[0] = '\0';
	if (*s < stop && **s == '"') {
		(*s)++;
		return quoted(ld, s, stop, out, col);
	}
	for (; *s < stop && **s != ','; (*s)++) {
		if (**s == '"')
			return fail(ld, "field %zu: a quote inside an unquoted field", col);
		if (put(ld, out, &len, **s, col) == -1)
			return -1;
	}
	return 0;
}

static int
split(struct csv_load *ld, const char *s, const char *stop, struct csv_line *out)
{
	out->n = 0;
	for (;;) {
		if (out->n == DM_DISTRO_MAX_COLUMNS)
			return fail(ld, "more than %d fields", DM_DISTRO_MAX_COLUMNS);
		if (read_field(ld, &s, stop, out->field[out->n], out->n + 1) == -1)
			return -1;
		out->n++;
		if (s == stop)
			return 0;
		s++; /* the ',' */
	}
}

/*
 * The next line that is not blank, split: 1, or 0 at the end of the text, or -1. A line
 * ends at "\n" or "\r\n".
 */
static int
next_line(struct csv_load *ld, struct csv_line *out)
{
	const char *start, *stop, *nl;

	while (ld->p < ld->end) {
		start = ld->p;
		nl = memchr(start, '\n', (size_t)(ld->end - start));
		stop = nl != NULL ? nl : ld->end;
		ld->p = nl != NULL ? nl + 1 : ld->end;
		ld->line++;
		if (memchr(start, '\0', (size_t)(stop - start)) != NULL)
			return fail(ld, "a NUL byte");
		if (stop > start && stop[-1] == '\r')
			stop--;
		if (stop > start)
			return split(ld, start, stop, out) == -1 ? -1 : 1;
	}
	return 0;
}

static int
header(struct csv_load *ld, const struct csv_line *h)
{
	size_t i, j;
	int c;

	for (c = 0; c < COL__MAX; c++)
		ld->at[c] = -1;
	for (i = 0; i < h->n; i++) {
		if (h->field[i][0] == '\0')
			return fail(ld, "column %zu has no name", i + 1);
		for (j = 0; j < i; j++)
			if (strcmp(h->field[i], h->field[j]) == 0)
				return fail(ld, "column \"%s\" named twice", h->field[i]);
		for (c = 0; c < COL__MAX; c++)
			if (strcmp(h->field[i], cols[c].name) == 0)
				ld->at[c] = (int)i;
	}
	for (c = 0; c < COL__MAX; c++)
		if (cols[c].required && ld->at[c] == -1)
			return fail(ld, "no column \"%s\"", cols[c].name);
	ld->n_header = h->n;
	return 0;
}

/* A column's field in a row: "" when the header has no such column or the row stops short. */
static const char *
get(const struct csv_load *ld, const struct csv_line *l, enum col c)
{
	return ld->at[c] >= 0 && (size_t)ld->at[c] < l->n ? l->field[ld->at[c]] : "";
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD", a real day, as YYYYMMDD; "" as 0. -1 for anything else. */
static int
parse_day(const char *s, int *out)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int v[3] = {0, 0, 0}, i, k = 0;

	*out = 0;
	if (s[0] == '\0')
		return 0;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			k++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v[k] = v[k] * 10 + (s[i] - '0');
	}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > mdays[v[1] - 1] + (v[1] == 2 && leap(v[0])))
		return -1;
	*out = v[0] * 10000 + v[1] * 100 + v[2];
	return 0;
}

static int
series_valid(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(s);
}

static int
row_days(struct csv_load *ld, const struct csv_line *l, struct dm_release *r)
{
	static const enum col day_cols[] = {COL_CREATED, COL_RELEASE, COL_EOL, COL_EOL_LTS,
	                                    COL_EOL_ELTS};
	int *out[] = {&r->created, &r->release, &r->eol, &r->eol_lts, &r->eol_elts};
	size_t i;

	for (i = 0; i < sizeof(day_cols) / sizeof(day_cols[0]); i++)
		if (parse_day(get(ld, l, day_cols[i]), out[i]) == -1)
			return fail(ld, "%s \"%s\": not a day (YYYY-MM-DD)", cols[day_cols[i]].name,
			            get(ld, l, day_cols[i]));
	if (r->created == 0)
		return fail(ld, "created: empty");
	return 0;
}

/* Whether r repeats the series or the version of a release before it. */
static int
row_unique(struct csv_load *ld, const struct dm_release *r)
{
	size_t i;

	for (i = 0; i < ld->d->n; i++) {
		if (strcmp(ld->d->rel[i].series, r->series) == 0)
			return fail(ld, "series \"%s\" is also on line %d", r->series,
			            ld->row_line[i]);
		if (r->version[0] != '\0' && strcmp(ld->d->rel[i].version, r->version) == 0)
			return fail(ld, "version \"%s\" is also on line %d", r->version,
			            ld->row_line[i]);
	}
	return 0;
}

static int
row(struct csv_load *ld, const struct csv_line *l)
{
	struct dm_release *r;

	if (l->n > ld->n_header)
		return fail(ld, "%zu fields, the header names %zu", l->n, ld->n_header);
	if (ld->d->n == ld->cap)
		return fail(ld, "more than %d releases", DM_DISTRO_MAX_RELEASES);
	r = &ld->d->rel[ld->d->n];
	memset(r, 0, sizeof(*r));
	/* Every field fits: split bounded them all by DM_DISTRO_FIELD_MAX. */
	snprintf(r->version, sizeof(r->version), "%s", get(ld, l, COL_VERSION));
	snprintf(r->codename, sizeof(r->codename), "%s", get(ld, l, COL_CODENAME));
	snprintf(r->series, sizeof(r->series), "%s", get(ld, l, COL_SERIES));
	if (r->codename[0] == '\0')
		return fail(ld, "codename: empty");
	if (r->series[0] == '\0')
		return fail(ld, "series: empty");
	if (!series_valid(r->series))
		return fail(ld, "series \"%s\": not lowercase letters, digits and '-'", r->series);
	if (row_days(ld, l, r) == -1 || row_unique(ld, r) == -1)
		return -1;
	ld->row_line[ld->d->n++] = ld->line;
	return 0;
}

/* Room for every line but the header, within DM_DISTRO_MAX_RELEASES. */
static int
reserve(struct csv_load *ld, const char *text, size_t len)
{
	size_t lines = 1, i;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	ld->cap = lines < DM_DISTRO_MAX_RELEASES ? lines : DM_DISTRO_MAX_RELEASES;
	ld->d->rel = calloc(ld->cap, sizeof(*ld->d->rel));
	if (ld->d->rel == NULL) {
		snprintf(ld->err, ld->errlen, "%s: out of memory", ld->d->path);
		return -1;
	}
	return 0;
}

static int
parse_rows(struct csv_load *ld)
{
	struct csv_line l;
	int rc, header_line;

	rc = next_line(ld, &l);
	if (rc == 0) {
		ld->line = 1;
		rc = fail(ld, "empty: no header line");
	}
	if (rc == 1)
		rc = header(ld, &l);
	header_line = ld->line;
	while (rc == 0 && (rc = next_line(ld, &l)) == 1)
		rc = row(ld, &l);
	if (rc == 0 && ld->d->n == 0) {
		ld->line = header_line;
		rc = fail(ld, "a header and no releases");
	}
	return rc;
}

int
dm_distro_parse(struct dm_distro *d, const char *text, size_t len, const char *path, char *err,
                size_t errlen)
{
	struct csv_load ld = {.d = d, .p = text, .end = text + len, .err = err, .errlen = errlen};
	int rc = -1;

	memset(d, 0, sizeof(*d));
	d->path = path;
	if (len > DM_DISTRO_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, DM_DISTRO_MAX_BYTES);
		return -1;
	}
	if (reserve(&ld, text, len) == 0)
		rc = parse_rows(&ld);
	if (rc == -1)
		dm_distro_free(d);
	return rc;
}

int
dm_distro_load(struct dm_distro *d, const char *path, char *err, size_t errlen)
{
	struct dm_buf text;
	int rc = -1;

	if (path == NULL || path[0] == '\0')
		path = DM_DISTRO_CSV_DEFAULT;
	memset(d, 0, sizeof(*d));
	d->path = path;
	dm_buf_init(&text, DM_DISTRO_MAX_BYTES);
	if (dm_buf_read_file(&text, path, err, errlen) == 0)
		rc = dm_distro_parse(d, text.data ? text.data : "", text.len, path, err, errlen);
	dm_buf_free(&text);
	return rc;
}

void
dm_distro_free(struct dm_distro *d)
{
	free(d->rel);
	d->rel = NULL;
	d->n = 0;
}

const struct dm_release *
dm_distro_series(const struct dm_distro *d, const char *series)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->rel[i].series, series) == 0)
			return &d->rel[i];
	return NULL;
}

const struct dm_release *
dm_distro_testing(const struct dm_distro *d, int day)
{
	const struct dm_release *best = NULL, *r;
	size_t i;

	for (i = 0; i < d->n; i++) {
		r = &d->rel[i];
		if (r->version[0] != '\0' && r->created <= day &&
		    (r->release == 0 || day < r->release) &&
		    (best == NULL || r->created >= best->created))
			best = r;
	}
	return best;
}

/* --- OS names ---------------------------------------------------------------------------- */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether the n bytes at s are word (n long, no NUL), ASCII case ignored. */
static int
same_word(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(s[i]) != lower(word[i]))
			return 0;
	return 1;
}

/* Whether *s starts with the word word, then blanks or the end; if so, moves past both. */
static int
take_word(const char **s, const char *word)
{
	size_t n = 0;

	while ((*s)[n] != '\0' && !is_blank((*s)[n]))
		n++;
	if (!same_word(*s, n, word))
		return 0;
	for (*s += n; is_blank(**s); (*s)++)
		;
	return 1;
}

/* Digits separated by single dots, n bytes: "12", "6.0.10". */
static int
dotted_number(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] != '.')))
			return 0;
	return 1;
}

/* The release whose version is v (n bytes) or the longest leading part of it, dot by dot. */
static const struct dm_release *
by_version(const struct dm_distro *d, const char *v, size_t n)
{
	const struct dm_release *best = NULL;
	size_t i, len;

	for (i = 0; i < d->n; i++) {
		len = strlen(d->rel[i].version);
		if (!dotted_number(d->rel[i].version, len) || len > n ||
		    memcmp(d->rel[i].version, v, len) != 0 || (len < n && v[len] != '.'))
			continue;
		if (best == NULL || len > strlen(best->version))
			best = &d->rel[i];
	}
	return best;
}

/* The release of series s (n bytes, ASCII case ignored). */
static const struct dm_release *
by_series(const struct dm_distro *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (same_word(s, n, d->rel[i].series))
			return &d->rel[i];
	return NULL;
}

/* NUMBER, or NUMBER (SERIES): the n bytes at s, which start with a digit. */
static const struct dm_release *
by_number(const struct dm_distro *d, const char *s, size_t n)
{
	const struct dm_release *r;
	size_t v = strspn(s, "0123456789."), k = v;

	if (v > n || !dotted_number(s, v) || (r = by_version(d, s, v)) == NULL)
		return NULL;
	while (k < n && is_blank(s[k]))
		k++;
	if (k == n)
		return r;
	/* "(bookworm)": the same release's series, or no release at all. */
	if (s[k] != '(' || s[n - 1] != ')' || n - k < 3 || by_series(d, s + k + 1, n - k - 2) != r)
		return NULL;
	return r;
}

/* SERIES, SERIES/sid, testing or unstable: the n bytes at s. */
static const struct dm_release *
by_name(const struct dm_distro *d, const char *s, size_t n, int day)
{
	if (n > 4 && same_word(s + n - 4, 4, "/sid"))
		return by_series(d, s, n - 4);
	if (same_word(s, n, "testing"))
		return dm_distro_testing(d, day);
	if (same_word(s, n, "unstable"))
		return dm_distro_series(d, "sid");
	return by_series(d, s, n);
}

enum dm_os_match
dm_distro_lookup(const struct dm_distro *d, const char *os, int day, const struct dm_release **out)
{
	const char *s = os;
	size_t n;

	*out = NULL;
	while (is_blank(*s))
		s++;
	if (!take_word(&s, "Debian"))
		return DM_OS_OTHER;
	(void)take_word(&s, "GNU/Linux");
	for (n = strlen(s); n > 0 && is_blank(s[n - 1]); n--)
		;
	if (n == 0)
		return DM_OS_DEBIAN;
	*out = s[0] >= '0' && s[0] <= '9' ? by_number(d, s, n) : by_name(d, s, n, day);
	return *out != NULL ? DM_OS_RELEASE : DM_OS_DEBIAN;
}

/* --- support ----------------------------------------------------------------------------- */

enum dm_support
dm_distro_support(const struct dm_release *r, int day)
{
	if (r->release == 0 || day < r->release)
		return DM_SUPPORT_DEVELOPMENT;
	if (r->eol == 0 || day <= r->eol)
		return DM_SUPPORT_SECURITY;
	if (r->eol_lts != 0 && day <= r->eol_lts)
		return DM_SUPPORT_LTS;
	return DM_SUPPORT_EOL;
}

int
dm_distro_past_eol(const struct dm_release *r, int day)
{
	return dm_distro_support(r, day) == DM_SUPPORT_EOL;
}

const char *
dm_support_name(enum dm_support s)
{
	static const char *const names[DM_SUPPORT__MAX] = {
	    [DM_SUPPORT_DEVELOPMENT] = "development",
	    [DM_SUPPORT_SECURITY] = "security",
	    [DM_SUPPORT_LTS] = "lts",
	    [DM_SUPPORT_EOL] = "eol",
	};

	return (unsigned)s < DM_SUPPORT__MAX ? names[s] : "?";
}

int
dm_distro_day(time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900)
		return 0;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
