/* name.c: the names a URL carries (hosts, images, packages), checked before any use. */
#include "core/name.h"

#include <stdio.h>
#include <string.h>

int
dm_name_valid(const char *name, int allow_slash, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = strlen(name);

	if (len == 0)
		return snprintf(err, errlen, "name: empty"), -1;
	if (len > DM_NAME_MAX)
		return snprintf(err, errlen, "name: longer than 255 bytes"), -1;
	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return snprintf(err, errlen, "name: contains a control character"), -1;
		if (*s == '/' && !allow_slash)
			return snprintf(err, errlen, "name: contains '/'"), -1;
	}
	return 0;
}
