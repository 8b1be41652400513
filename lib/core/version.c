/* version.c: Debian version strings, ordered exactly as dpkg orders them (Policy 5.6.12). */
#include "core/version.h"

#include <ctype.h>
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

/*
 * Sort keys (dm_version_key). A key is the epoch in 4 bytes, big-endian, then the
 * upstream version, then the revision. A part is written as part_cmp reads it, pair by
 * pair: a non-digit run, then the digit run after it. The first non-digit run is empty
 * when the part starts with a digit or is empty; the others never are. Each non-digit is
 * one byte, key_code(c), in the order of weight(c) and one to one. The run's end is one
 * byte, KEY_RUN_END plus the count of digits of the digit run without its leading zeros
 * (a count of 10 or more goes on in more bytes), then come those digits, two to a byte.
 * After the last pair, one more run end: that of an empty run with no digits.
 *
 * Why bytes compare as part_cmp does, for two parts: both start with a pair. In a
 * non-digit run the bytes compare as the weights do, the run end (0x01 to 0x0b) included,
 * which lies between '~' (0x00) and the other non-digits (0x0c to 0xff) as the end
 * (weight 0) does. When both runs end, the run ends compare by digit count, then as many
 * digit bytes on each side compare by value: as digits_cmp compares. After a pair, a part
 * that goes on starts a non-empty non-digit run, and one that has ended writes a run end:
 * the bytes compare as part_cmp compares that run with the empty run past the other
 * part's end, and are never equal. Parts equal for part_cmp have the same runs but for
 * leading zeros (and "" against "0" as the last digit run), which the key does not write:
 * equal keys. So two keys first differ in the first part where their versions differ
 * (the epoch, of fixed width, is first), and decide there as dm_version_cmp does, never
 * one key ending before the difference.
 *
 * The length (DM_VERSION_KEY_LEN): each byte of a part costs at most one (a digit run of
 * L digits takes at most L: L / 2 rounded up, and from 10 digits 1 + (L - 10) / 255 more),
 * each pair one for its run end, and a part of m bytes has at most m / 2 + 1 pairs, as
 * each pair but the first has a non-digit and a digit before it: 3m / 2 + 2 at most, the
 * final run end included. Two parts hold at most n bytes, with the epoch's 4: 3n / 2 + 8.
 */
enum {
	KEY_TILDE = 0x00,            /* '~', before the end of a run */
	KEY_RUN_END = 0x01,          /* plus the digit count, up to KEY_COUNT_DIRECT */
	KEY_COUNT_DIRECT = 10,       /* from this count, the rest follows the run end */
	KEY_LETTERS = 0x0c,          /* A to Z, then a to z */
	KEY_HIGH = KEY_LETTERS + 52, /* bytes 0x80 to 0xff */
	KEY_OTHER = KEY_HIGH + 128,  /* the 64 other bytes from 0x01 to 0x7f, to 0xff */
};

/* A key being written: len counts every byte, even those past cap, which are dropped. */
struct key {
	unsigned char *out;
	size_t len, cap;
};

static void
key_put(struct key *k, unsigned a)
{
	if (k->len < k->cap)
		k->out[k->len] = (unsigned char)a;
	k->len++;
}

/* The byte of a non-digit c: ordered as weight() orders them, one byte for each. */
static unsigned
key_code(unsigned char c)
{
	if (c == '~')
		return KEY_TILDE;
	if (c >= 'A' && c <= 'Z')
		return KEY_LETTERS + (unsigned)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return KEY_LETTERS + 26 + (unsigned)(c - 'a');
	if (c >= 0x80)
		return KEY_HIGH + (unsigned)(c - 0x80);
	/* c's rank among the others: the bytes below it less the digits, letters and '~'. */
	return KEY_OTHER + c - 1 - 10 * (c > '9') - 26 * (c > 'Z') - 26 * (c > 'z') - (c > '~');
}

/*
 * The end of a non-digit run and the digit run at *s, which may be empty: the count of
 * its digits without leading zeros in the run end (and in more bytes from
 * KEY_COUNT_DIRECT on: as many 0xff as 255 goes into the rest, then what remains, so
 * that a longer count compares higher), then the digits, two to a byte.
 */
static void
key_digits(struct key *k, const char **s, const char *end)
{
	const char *d;
	size_t n, rest;

	while (*s < end && **s == '0')
		(*s)++;
	for (d = *s; *s < end && is_digit(**s); (*s)++)
		;
	n = (size_t)(*s - d);
	key_put(k, KEY_RUN_END + (unsigned)(n < KEY_COUNT_DIRECT ? n : KEY_COUNT_DIRECT));
	if (n >= KEY_COUNT_DIRECT) {
		for (rest = n - KEY_COUNT_DIRECT; rest >= 0xff; rest -= 0xff)
			key_put(k, 0xff);
		key_put(k, (unsigned)rest);
	}
	for (; d < *s; d += 2)
		key_put(k, (unsigned)(d[0] - '0') * 10 + (d + 1 < *s ? (unsigned)(d[1] - '0') : 0));
}

/* An upstream version or a revision: its runs, then the end of one more, empty, run. */
static void
key_part(struct key *k, const char *s, const char *end)
{
	do {
		for (; s < end && !is_digit(*s); s++)
			key_put(k, key_code((unsigned char)*s));
		key_digits(k, &s, end);
	} while (s < end);
	key_put(k, KEY_RUN_END);
}

size_t
dm_version_key(const char *v, unsigned char *out, size_t outlen)
{
	struct key k = {out, 0, outlen};
	struct parts p;
	int shift;

	(void)split(v, &p);
	if (p.none)
		return 0;
	for (shift = 24; shift >= 0; shift -= 8)
		key_put(&k, ((unsigned)p.epoch >> shift) & 0xff);
	key_part(&k, p.up, p.up_end);
	key_part(&k, p.rev, p.rev_end);
	return k.len;
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

size_t
dm_version_from_uname(const char *v, char *out, size_t outlen)
{
	const char *p, *found = NULL;
	size_t n;

	if (outlen > 0)
		out[0] = '\0';
	/* The last " Debian " followed by a digit: the version follows it up to a blank. */
	for (p = v; (p = strstr(p, "Debian ")) != NULL; p++)
		if ((p == v || p[-1] == ' ') && isdigit((unsigned char)p[7]))
			found = p + 7;
	if (found == NULL || outlen == 0)
		return 0;
	n = strcspn(found, " \t");
	if (n >= outlen)
		return 0;
	memcpy(out, found, n);
	out[n] = '\0';
	if (!dm_version_valid(out, NULL)) {
		out[0] = '\0';
		return 0;
	}
	return n;
}
