/* hostname.c: the name a host's reports are filed under: --hostname, hostname =, or the FQDN. */
#include "hostname.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

void
hostname_fqdn(char *out, size_t len)
{
	struct addrinfo hints = {.ai_flags = AI_CANONNAME}, *res;
	char host[HOSTNAME_MAX + 1] = "localhost";

	gethostname(host, sizeof(host) - 1);
	snprintf(out, len, "%s", host);
	if (getaddrinfo(host, NULL, &hints, &res) == 0) {
		if (res->ai_canonname && strchr(res->ai_canonname, '.'))
			snprintf(out, len, "%s", res->ai_canonname);
		freeaddrinfo(res);
	}
}

/*
 * The length of the UTF-8 sequence at s, 1 to 4, or 0 when there is none (overlong forms,
 * surrogates and code points past U+10FFFF included): a report is JSON, which is UTF-8.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned long cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1fUL;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0fUL;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07UL;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* the terminating NUL stops it too */
			return 0;
		cp = cp << 6 | (s[i] & 0x3fUL);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

int
hostname_check(const char *name, char *why, size_t whylen)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i, step, n = strlen(name);
	const char *bad;

	if (n == 0)
		return snprintf(why, whylen, "empty"), -1;
	if (n > HOSTNAME_MAX)
		return snprintf(why, whylen, "longer than %d bytes", HOSTNAME_MAX), -1;
	for (i = 0; i < n; i += step) {
		step = utf8_len(s + i);
		if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
			bad = "contains whitespace";
		else if (s[i] < 0x20 || s[i] == 0x7f)
			bad = "contains a control character";
		else if (step == 0)
			bad = "not UTF-8";
		else
			continue;
		snprintf(why, whylen, "%s (byte %zu)", bad, i + 1);
		return -1;
	}
	return 0;
}

int
hostname_pick(char *out, size_t len, const char *cli, const char *conf, const char *conf_path,
              char *err, size_t errlen)
{
	char why[64];

	if (conf != NULL && hostname_check(conf, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: hostname: %s%s", conf_path, why,
		         *conf ? "" : " (remove the line to use this host's FQDN)");
		return EX_CONFIG;
	}
	if (cli != NULL && hostname_check(cli, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "--hostname: %s", why);
		return EX_USAGE;
	}
	if (cli != NULL || conf != NULL)
		snprintf(out, len, "%s", cli != NULL ? cli : conf);
	else
		hostname_fqdn(out, len);
	return EX_OK;
}
