/* parse.h: the one bounded number parser (no atoi anywhere). */
#ifndef DM_PARSE_H
#define DM_PARSE_H

/*
 * Parses all of s as a decimal integer within [min, max]: 0 on success, -1 when s is
 * empty, has anything but an optional sign and digits, or is out of range.
 */
int dm_parse_ll(const char *s, long long min, long long max, long long *out);

#endif
