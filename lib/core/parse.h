/* parse.h: the one bounded number parser (no atoi anywhere), and UTF-8 validation. */
#ifndef DM_PARSE_H
#define DM_PARSE_H

/*
 * Parses all of s as a decimal integer within [min, max]: 0 on success, -1 when s is
 * empty, has anything but an optional sign and digits, or is out of range.
 */
int dm_parse_ll(const char *s, long long min, long long max, long long *out);
/*
 * The length of the valid UTF-8 sequence at p, whose first byte is >= 0x80 (shortest form,
 * no surrogates, at most U+10FFFF, within end), or 0.
 */
int dm_utf8_len(const unsigned char *p, const unsigned char *end);

#endif
