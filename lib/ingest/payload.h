/* payload.h: the update payload (API v1, debmonitor-api(7)), parsed and validated in full. */
#ifndef DM_PAYLOAD_H
#define DM_PAYLOAD_H

#include <stddef.h>

#include "core/jsonread.h"
#include "core/name.h"

/* Longest string accepted in any field (name, version, source, os, kernel, type). */
#define DM_FIELD_MAX DM_NAME_MAX
/* Most entries accepted in one list; the body limit usually binds first. */
#define DM_LIST_MAX 200000

enum dm_update_type { DM_UPDATE_FULL, DM_UPDATE_UPGRADABLE, DM_UPDATE_DPKG_HOOK, DM_UPDATE__MAX };

/* What the payload names itself by: hosts send "hostname", images "image_name". */
enum dm_subject { DM_SUBJECT_HOST, DM_SUBJECT_IMAGE, DM_SUBJECT__MAX };

/* An installed or uninstalled entry. Strings point into the payload's parsed JSON. */
struct dm_pkg {
	const char *name;
	const char *version;
	const char *source;
	/* Installed entries only, an extension of v1: the source's version; NULL: not given. */
	const char *source_version;
};

/* An upgradable entry. */
struct dm_upg {
	const char *name;
	const char *version_from;
	const char *version_to;
	const char *source;
	int security; /* "type" starts with "security" */
};

struct dm_payload {
	enum dm_update_type type;
	const char *os;
	const char *name;   /* hostname or image_name, equal to the URL's */
	const char *kernel; /* running_kernel.version; NULL for images */
	struct dm_pkg *installed;
	size_t n_installed;
	struct dm_pkg *uninstalled;
	size_t n_uninstalled;
	struct dm_upg *upgradable;
	size_t n_upgradable;
	struct dm_json json; /* owns the strings */
};

/*
 * Parses and validates body (len bytes) for the subject named name in the URL. Returns 0,
 * or -1 with a message naming the field and index ("installed[17].version: missing") in
 * err. On success the payload must be released with dm_payload_free.
 */
int dm_payload_parse(struct dm_payload *p, const char *body, size_t len, enum dm_subject subject,
                     const char *name, char *err, size_t errlen);
void dm_payload_free(struct dm_payload *p);
/* Why a JSON value is not an acceptable field string (NULL: missing), or NULL if it is. */
const char *dm_field_problem(const struct dm_jnode *v);
/* Whether an OS name has the accepted shape: "Debian", "Debian 12", "Ubuntu", "Ubuntu 24.04". */
int dm_os_valid(const char *os);
const char *dm_update_type_name(enum dm_update_type t);

#endif
