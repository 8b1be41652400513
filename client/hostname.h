/* hostname.h: the name a host's reports are filed under: --hostname, hostname =, or the FQDN. */
#ifndef DM_HOSTNAME_H
#define DM_HOSTNAME_H

#include <stddef.h>

/* The longest name, in bytes: the server's limit (and DNS's). */
#define HOSTNAME_MAX 255

/*
 * This host's name as hostname -f prints it: the canonical name getaddrinfo(3) gives for
 * gethostname(2), when it has a dot; else the short name. Not Python's socket.getfqdn(),
 * which looks the address up again and may pick another of its names (debmonitor(1)).
 */
void hostname_fqdn(char *out, size_t len);
/*
 * 0 when name may name a host (1 to HOSTNAME_MAX bytes of UTF-8, no whitespace or control
 * character); else -1 with why not in why ("empty", "contains whitespace (byte 3)"...).
 */
int hostname_check(const char *name, char *why, size_t whylen);
/*
 * The name of this host's reports in out (HOSTNAME_MAX + 1 bytes or more): cli (--hostname)
 * when not NULL, else conf (hostname = in the configuration file conf_path) when not NULL,
 * else hostname_fqdn's. Each value given is checked, conf even when cli wins (the file is
 * wrong either way). EX_OK, or EX_USAGE (cli) or EX_CONFIG (conf) with the reason in err.
 */
int hostname_pick(char *out, size_t len, const char *cli, const char *conf, const char *conf_path,
                  char *err, size_t errlen);

#endif
