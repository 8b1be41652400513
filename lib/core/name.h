/* name.h: the names a URL carries (hosts, images, packages), checked before any use. */
#ifndef DM_NAME_H
#define DM_NAME_H

#include <stddef.h>

/* Longest name accepted, in bytes: the database's VARCHAR(255). */
#define DM_NAME_MAX 255

/*
 * Checks a name taken from the URL or a payload: 0, or -1 with the reason in err
 * ("name: empty", "name: contains '/'" unless allow_slash).
 */
int dm_name_valid(const char *name, int allow_slash, char *err, size_t errlen);

#endif
