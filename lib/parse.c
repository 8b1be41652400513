/* parse.c: bounded integer parsing for environment, config and command-line values. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int
dm_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	/* strtoll would accept leading spaces and a "+"; a number here is digits only. */
	if (s == NULL ||
	    !(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
