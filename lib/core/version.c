/* version.c: Debian version strings, ordered exactly as dpkg orders them (Policy 5.6.12). */
#include "core/version.h"

#include <limits.h>
#include <string.h>

/* A version taken apart: spans of the string it was parsed from. */
struct parts {
	bool none; /* empty but for blanks: "no version", before every version */
	int epoch;
	const char *up, *up_end;
	const char *rev, *rev_end;
};

/* The C locale's classes, whatever the process's locale: dpkg uses the same. */
static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parses the epoch in [s, colon) as dpkg does, with strtol: leading white space, a sign
 * and digits, up to the colon. 0 with the value in *epoch, or -1 with the reason.
 */
static int
epoch_parse(const char *s, const char *colon, int *epoch, const char **why)
{
	bool neg = false;
	long long v = 0; /* wide enough for 10 * (INT_MAX + 1) + 9, even where long is not */

	while (s < colon && (is_blank(*s) || (*s >= '\n' && *s <= '\r')))
		s++;
	if (s < colon && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	if (s == colon || !is_digit(*s))
		return *why = "epoch is empty", -1;
	for (; s < colon && is_digit(*s); s++)
		if ((v = v * 10 + (*s - '0')) > INT_MAX)
			v = (long long)INT_MAX + 1; /* stays too big without overflowing */
	if (s != colon)
		return *why = "epoch is not a number", -1;
	if (neg && v > 0)
		return *why = "epoch is negative", -1;
	if (v > INT_MAX)
		return *why = "epoch is too big", -1;
	*epoch = (int)v;
	return 0;
}

/*
 * Takes v apart as dpkg does: surrounding blanks dropped, an epoch before the first ':',
 * a revision after the last '-'. Returns why dpkg would refuse v, or NULL. A refused
 * version is still taken apart (whatever lies before the first blank, without an epoch
 * if the epoch is bad), so that every string has a place in the order.
 */
static const char *
split(const char *v, struct parts *p)
{
	const char *s = v, *end, *colon, *hyphen, *rest, *why = NULL;

	while (is_blank(*s))
		s++;
	for (end = s; *end != '\0' && !is_blank(*end); end++)
		;
	for (rest = end; is_blank(*rest); rest++)
		;
	p->none = s == end;
	if (p->none)
		why = "empty";
	else if (*rest != '\0')
		why = "contains a blank";
	p->epoch = 0;
	colon = memchr(s, ':', (size_t)(end - s));
	if (colon != NULL && epoch_parse(s, colon, &p->epoch, &why) == 0) {
		if (colon + 1 < end)
			s = colon + 1;
		else
			why = "nothing after the epoch", p->epoch = 0;
	}
	for (hyphen = end; hyphen > s && hyphen[-1] != '-'; hyphen--)
		;
	p->up = s, p->up_end = hyphen > s ? hyphen - 1 : end;
	p->rev = hyphen > s ? hyphen : end, p->rev_end = end;
	if (why == NULL && hyphen == end && hyphen > s)
		why = "revision is empty";
	if (why == NULL && p->up == p->up_end)
		why = "upstream version is empty";
	return why;
}

/*
 * The weight of the byte at p within a non-digit run: a digit and the end weigh 0, '~'
 * less, letters their ASCII value, other bytes more. dpkg adds 256 to a plain char, which
 * leaves bytes >= 0x80 at 128 to 255 where char is signed: we give them that.
 */
static int
weight(const char *p, const char *end)
{
	unsigned char c = p < end ? (unsigned char)*p : '\0';

	if (c == '\0' || is_digit(c))
		return 0;
	if (c == '~')
		return -1;
	if (is_alpha(c) || c >= 0x80)
		return c;
	return c + 256;
}

/* Compares the digit runs at *a and *b by value, however long, and moves past both. */
static int
digits_cmp(const char **a, const char *a_end, const char **b, const char *b_end)
{
	const char *a0, *b0;
	size_t na, nb;
	int r;

	while (*a < a_end && **a == '0')
		(*a)++;
	while (*b < b_end && **b == '0')
		(*b)++;
	for (a0 = *a; *a < a_end && is_digit(**a); (*a)++)
		;
	for (b0 = *b; *b < b_end && is_digit(**b); (*b)++)
		;
	na = (size_t)(*a - a0), nb = (size_t)(*b - b0);
	if (na != nb)
		return na < nb ? -1 : 1;
	r = memcmp(a0, b0, na);
	return (r > 0) - (r < 0);
}

/*
 * Compares an upstream version or a revision: a non-digit run, then a digit run, and so
 * on, a missing run being empty (a missing digit run is 0).
 */
static int
part_cmp(const char *a, const char *a_end, const char *b, const char *b_end)
{
	int wa, wb, r;

	while (a < a_end || b < b_end) {
		/* A digit weighs what the end does: the non-digit runs end together or differ. */
		for (;;) {
			wa = weight(a, a_end), wb = weight(b, b_end);
			if (wa == 0 && wb == 0)
				break;
			if (wa != wb)
				return wa < wb ? -1 : 1;
			a++, b++;
		}
		if ((r = digits_cmp(&a, a_end, &b, b_end)) != 0)
			return r;
	}
	return 0;
}

int
dm_version_cmp(const char *a, const char *b)
{
	struct parts pa, pb;
	int r;

	(void)split(a, &pa);
	(void)split(b, &pb);
	if (pa.none || pb.none)
		return (int)pb.none - (int)pa.none;
	if (pa.epoch != pb.epoch)
		return pa.epoch < pb.epoch ? -1 : 1;
	if ((r = part_cmp(pa.up, pa.up_end, pb.up, pb.up_end)) != 0)
		return r;
	return part_cmp(pa.rev, pa.rev_end, pb.rev, pb.rev_end);
}

bool
dm_version_valid(const char *v, const char **why)
{
	const unsigned char *s;
	const char *problem = NULL;
	struct parts p;

	for (s = (const unsigned char *)v; *s != '\0' && problem == NULL; s++)
		if (*s == ' ' || *s == '\t')
			problem = "contains a blank";
		else if (*s < 0x20 || *s == 0x7f)
			problem = "contains a control character";
		else if (*s >= 0x80)
			problem = "contains a byte outside ASCII";
	if (problem == NULL)
		problem = split(v, &p);
	if (why != NULL)
		*why = problem;
	return problem == NULL;
}

size_t
dm_version_source_len(const char *v)
{
	size_t len = strlen(v), n = len;

	while (n > 0 && is_digit(v[n - 1]))
		n--;
	if (n == len || n < 2 || v[n - 1] != 'b' || v[n - 2] != '+')
		return len;
	n -= 2;
	/* What is left must still be a version: not empty, no bare epoch or revision. */
	if (n == 0 || v[n - 1] == ':' || v[n - 1] == '-')
		return len;
	return n;
}
