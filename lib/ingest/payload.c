/* payload.c: parses and validates an update payload in full before anything is written. */
#include "ingest/payload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

/* Where validation stands, so every message names the field it is about. */
struct check {
	char *err;
	size_t errlen;
};

static const char *const update_types[DM_UPDATE__MAX] = {
    [DM_UPDATE_FULL] = "full",
    [DM_UPDATE_UPGRADABLE] = "upgradable",
    [DM_UPDATE_DPKG_HOOK] = "dpkg_hook",
};

static const char *const subject_keys[DM_SUBJECT__MAX] = {
    [DM_SUBJECT_HOST] = "hostname",
    [DM_SUBJECT_IMAGE] = "image_name",
};

const char *
dm_update_type_name(enum dm_update_type t)
{
	return t < DM_UPDATE__MAX ? update_types[t] : "?";
}

static int fail(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
dm_field_problem(const struct dm_jnode *v)
{
	const unsigned char *s;
	size_t len;

	if (v == NULL)
		return "missing";
	if (v->type != DM_JSTRING)
		return "must be a string";
	len = v->len;
	if (len == 0)
		return "empty";
	if (len > DM_FIELD_MAX)
		return "longer than 255 bytes";
	for (s = (const unsigned char *)v->s; len > 0; s++, len--)
		if (*s < 0x20 || *s == 0x7f)
			return "contains a control character";
	return NULL;
}

/* The value of key in the object at obj, or NULL. */
static const struct dm_jnode *
get(const struct dm_json *j, size_t obj, const char *key)
{
	size_t at = dm_json_get(j, obj, key);

	return at == DM_JNONE ? NULL : &j->v[at];
}

/* A required field of an object; prefix names the object ("installed[3]"). */
static int
field(struct check *c, const struct dm_json *j, size_t obj, const char *prefix, const char *key,
      const char **out)
{
	const struct dm_jnode *v = get(j, obj, key);
	const char *problem = dm_field_problem(v);

	if (problem != NULL)
		return fail(c, "%s%s%s: %s", prefix, prefix[0] ? "." : "", key, problem);
	*out = v->s;
	return 0;
}

static int
os_version_digits(const char *s, int want_dot)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 4)
		return 0;
	if (!want_dot)
		return s[n] == '\0';
	if (s[n] != '.')
		return 0;
	s += n + 1;
	n = strspn(s, "0123456789");
	return n > 0 && n <= 4 && s[n] == '\0';
}

int
dm_os_valid(const char *os)
{
	if (strncmp(os, "Debian", 6) == 0)
		return os[6] == '\0' || (os[6] == ' ' && os_version_digits(os + 7, 0));
	if (strncmp(os, "Ubuntu", 6) == 0)
		return os[6] == '\0' || (os[6] == ' ' && os_version_digits(os + 7, 1));
	return 0;
}

/* For duplicate detection: a list's names with their positions, sorted by name. */
struct named {
	const char *name;
	size_t index;
};

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Rejects a name given twice in one list: the set it describes would be ambiguous. The
 * message names the first repetition in list order.
 */
static int
no_duplicates(struct check *c, const char *list, const char *const *names, size_t stride, size_t n)
{
	struct named *v;
	size_t i, start = 0, dup = n, first = 0;

	if (n < 2)
		return 0;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return fail(c, "%s: out of memory", list);
	for (i = 0; i < n; i++)
		v[i] = (struct named){*(const char *const *)((const char *)names + i * stride), i};
	qsort(v, n, sizeof(*v), named_cmp);
	/* Within a run of equal names the earliest comes first, its first repetition next. */
	for (i = 1; i < n; i++) {
		if (strcmp(v[i].name, v[start].name) != 0)
			start = i;
		else if (i == start + 1 && v[i].index < dup)
			dup = v[i].index, first = v[start].index;
	}
	free(v);
	if (dup < n)
		return fail(c, "%s[%zu].name: duplicate of %s[%zu]", list, dup, list, first);
	return 0;
}

/* The list under key: DM_JNONE when absent, else an array of at most DM_LIST_MAX items. */
static int
list(struct check *c, const struct dm_json *j, const char *key, size_t *out)
{
	size_t at = dm_json_get(j, 0, key);

	*out = DM_JNONE;
	if (at == DM_JNONE || j->v[at].type == DM_JNULL)
		return 0;
	if (j->v[at].type != DM_JARRAY)
		return fail(c, "%s: must be a list", key);
	if (j->v[at].len > DM_LIST_MAX)
		return fail(c, "%s: more than %d entries", key, DM_LIST_MAX);
	*out = at;
	return 0;
}

/* Checks that the item at index at of list key is an object; prefix gets "key[i]". */
static int
item(struct check *c, const struct dm_json *j, size_t at, const char *key, size_t i, char *prefix,
     size_t plen)
{
	snprintf(prefix, plen, "%s[%zu]", key, i);
	if (j->v[at].type != DM_JOBJECT)
		return fail(c, "%s: must be an object", prefix);
	return 0;
}

/*
 * An installed entry's optional "source_version" (absent or null: not given): a field
 * string that is a version dpkg accepts, since the server orders and compares it.
 */
static int
source_version(struct check *c, const struct dm_json *j, size_t obj, const char *prefix,
               const char **out)
{
	const struct dm_jnode *v = get(j, obj, "source_version");
	const char *problem;

	*out = NULL;
	if (v == NULL || v->type == DM_JNULL)
		return 0;
	if ((problem = dm_field_problem(v)) != NULL)
		return fail(c, "%s.source_version: %s", prefix, problem);
	if (!dm_version_valid(v->s, &problem))
		return fail(c, "%s.source_version: not a valid version: %s", prefix, problem);
	*out = v->s;
	return 0;
}

static int
pkgs(struct check *c, const struct dm_json *j, const char *key, struct dm_pkg **out, size_t *n)
{
	int installed = strcmp(key, "installed") == 0;
	char prefix[64];
	size_t i, arr, at;

	if (list(c, j, key, &arr) == -1)
		return -1;
	*n = arr == DM_JNONE ? 0 : j->v[arr].len;
	if (*n == 0)
		return 0;
	if ((*out = calloc(*n, sizeof(**out))) == NULL)
		return fail(c, "%s: out of memory", key);
	for (i = 0, at = arr + 1; i < *n; i++, at = j->v[at].next) {
		if (item(c, j, at, key, i, prefix, sizeof(prefix)) == -1 ||
		    field(c, j, at, prefix, "name", &(*out)[i].name) == -1 ||
		    field(c, j, at, prefix, "version", &(*out)[i].version) == -1 ||
		    field(c, j, at, prefix, "source", &(*out)[i].source) == -1 ||
		    (installed &&
		     source_version(c, j, at, prefix, &(*out)[i].source_version) == -1))
			return -1;
	}
	return no_duplicates(c, key, &(*out)[0].name, sizeof(**out), *n);
}

/* "type" is optional: "" (or absent) is a plain upgrade, "security..." a security one. */
static int
upg_type(struct check *c, const struct dm_json *j, size_t obj, const char *prefix, int *security)
{
	const struct dm_jnode *v = get(j, obj, "type");
	const char *problem;

	*security = 0;
	if (v == NULL || v->type == DM_JNULL || (v->type == DM_JSTRING && v->len == 0))
		return 0;
	if ((problem = dm_field_problem(v)) != NULL)
		return fail(c, "%s.type: %s", prefix, problem);
	*security = strncmp(v->s, "security", 8) == 0;
	return 0;
}

static int
upgs(struct check *c, const struct dm_json *j, struct dm_upg **out, size_t *n)
{
	struct dm_upg *u;
	char prefix[64];
	size_t i, arr, at;

	if (list(c, j, "upgradable", &arr) == -1)
		return -1;
	*n = arr == DM_JNONE ? 0 : j->v[arr].len;
	if (*n == 0)
		return 0;
	if ((*out = calloc(*n, sizeof(**out))) == NULL)
		return fail(c, "upgradable: out of memory");
	for (i = 0, at = arr + 1; i < *n; i++, at = j->v[at].next) {
		u = &(*out)[i];
		if (item(c, j, at, "upgradable", i, prefix, sizeof(prefix)) == -1 ||
		    field(c, j, at, prefix, "name", &u->name) == -1 ||
		    field(c, j, at, prefix, "version_from", &u->version_from) == -1 ||
		    field(c, j, at, prefix, "version_to", &u->version_to) == -1 ||
		    field(c, j, at, prefix, "source", &u->source) == -1 ||
		    upg_type(c, j, at, prefix, &u->security) == -1)
			return -1;
	}
	return no_duplicates(c, "upgradable", &(*out)[0].name, sizeof(**out), *n);
}

static int
parse_json(struct check *c, struct dm_payload *p, const char *body, size_t len)
{
	char err[256];
	int utf8;

	if (len == 0)
		return fail(c, "empty body");
	if (dm_json_parse(&p->json, body, len, &utf8, err, sizeof(err)) == -1)
		return fail(c, "%s: %s", utf8 ? "not valid UTF-8" : "not JSON", err);
	if (p->json.v[0].type != DM_JOBJECT)
		return fail(c, "payload: must be a JSON object");
	return 0;
}

static int
header(struct check *c, struct dm_payload *p, enum dm_subject subject, const char *name)
{
	const struct dm_json *j = &p->json;
	const struct dm_jnode *api = get(j, 0, "api_version");
	const char *type, *key = subject_keys[subject];
	int t;

	if (api != NULL && !(api->type == DM_JSTRING && strcmp(api->s, "v1") == 0))
		return fail(c, "api_version: unsupported, expected \"v1\"");
	if (field(c, j, 0, "", "update_type", &type) == -1)
		return -1;
	for (t = 0; t < DM_UPDATE__MAX && strcmp(type, update_types[t]) != 0; t++)
		continue;
	if (t == DM_UPDATE__MAX)
		return fail(c, "update_type: must be one of full, upgradable, dpkg_hook");
	p->type = (enum dm_update_type)t;
	if (field(c, j, 0, "", key, &p->name) == -1)
		return -1;
	if (strcmp(p->name, name) != 0)
		return fail(c, "%s: does not match the URL ('%s' is not '%s')", key, p->name, name);
	if (field(c, j, 0, "", "os", &p->os) == -1)
		return -1;
	if (!dm_os_valid(p->os))
		return fail(c, "os: must look like \"Debian 12\" or \"Ubuntu 24.04\"");
	return 0;
}

/* Hosts report the kernel they run; images have none (anything sent is ignored). */
static int
kernel(struct check *c, struct dm_payload *p, enum dm_subject subject)
{
	size_t k = dm_json_get(&p->json, 0, "running_kernel");

	p->kernel = NULL;
	if (subject != DM_SUBJECT_HOST)
		return 0;
	if (k == DM_JNONE)
		return fail(c, "running_kernel: missing");
	if (p->json.v[k].type != DM_JOBJECT)
		return fail(c, "running_kernel: must be an object");
	return field(c, &p->json, k, "running_kernel", "version", &p->kernel);
}

int
dm_payload_parse(struct dm_payload *p, const char *body, size_t len, enum dm_subject subject,
                 const char *name, char *err, size_t errlen)
{
	struct check c = {err, errlen};

	memset(p, 0, sizeof(*p));
	if (parse_json(&c, p, body, len) == -1 || header(&c, p, subject, name) == -1 ||
	    kernel(&c, p, subject) == -1 ||
	    pkgs(&c, &p->json, "installed", &p->installed, &p->n_installed) == -1 ||
	    pkgs(&c, &p->json, "uninstalled", &p->uninstalled, &p->n_uninstalled) == -1 ||
	    upgs(&c, &p->json, &p->upgradable, &p->n_upgradable) == -1) {
		dm_payload_free(p);
		return -1;
	}
	return 0;
}

void
dm_payload_free(struct dm_payload *p)
{
	free(p->installed);
	free(p->uninstalled);
	free(p->upgradable);
	dm_json_free(&p->json);
	memset(p, 0, sizeof(*p));
}
