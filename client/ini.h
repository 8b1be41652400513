/* ini.h: the client's configuration file (/etc/debmonitor.conf, INI, [DEFAULT] section). */
#ifndef DM_INI_H
#define DM_INI_H

#include <stddef.h>

#define INI_MAX_KEYS 32
#define INI_LINE_MAX 1024

struct ini {
	char *keys[INI_MAX_KEYS];
	char *values[INI_MAX_KEYS];
	size_t n;
};

/*
 * Reads the [DEFAULT] section of path (other sections are skipped): 0, 1 when the file
 * does not exist (defaults apply), or -1 with "path:line: reason" in err.
 */
int ini_read(struct ini *ini, const char *path, char *err, size_t errlen);
/* Parses text (NUL-terminated) the same way; name is used in messages. */
int ini_parse(struct ini *ini, const char *text, const char *name, char *err, size_t errlen);
/* The value of key, or NULL. */
const char *ini_get(const struct ini *ini, const char *key);
void ini_free(struct ini *ini);

#endif
