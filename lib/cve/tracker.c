/* tracker.c: the security tracker's JSON, checked member by member into compact structs. */
#include "cve/tracker.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonread.h"
#include "core/name.h"
#include "core/version.h"

/* Strings are copied into blocks of this size; a longer one gets a block of its own. */
#define BLOCK_BYTES (1024 * 1024)
/* Distinct urgencies remembered, so that each is copied once: the tracker has about 15. */
#define URGENCIES_MAX 64
/* How much of a name a message shows. */
#define SHOWN_MAX 80

struct dm_tracker_block {
	struct dm_tracker_block *next;
	size_t used, size;
	char data[];
};

/* What the reader builds, and where it is in the file, for messages. */
struct reader {
	const struct dm_json *j;
	const struct dm_distro *d;
	struct dm_tracker *t;
	const char *series[DM_DISTRO_MAX_RELEASES]; /* the table's codenames, once copied */
	const char *urgencies[URGENCIES_MAX];
	size_t n_urgencies;
	size_t cap_issues, cap_entries;
	const char *source;   /* the source being read (its copy), or NULL */
	const char *issue;    /* the issue being read (its copy), or NULL */
	const char *codename; /* the release being read, or NULL */
	char *err;
	size_t errlen;
};

static const char *const statuses[DM_CVE_STATUS__MAX] = {
    [DM_CVE_RESOLVED] = "resolved",
    [DM_CVE_OPEN] = "open",
    [DM_CVE_UNDETERMINED] = "undetermined",
};

const char *
dm_cve_status_name(enum dm_cve_status s)
{
	return s < DM_CVE_STATUS__MAX ? statuses[s] : "?";
}

/*
 * "SOURCE/ISSUE/releases/CODENAME/MEMBER: what", as far as the reader has gone; "tracker:
 * what" before the first source.
 */
__attribute__((format(printf, 3, 4))) static int
fail(struct reader *r, const char *member, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (r->source == NULL)
		snprintf(r->err, r->errlen, "tracker: %s", what);
	else
		snprintf(r->err, r->errlen, "%s%s%s%s%s%s%s: %s", r->source, r->issue ? "/" : "",
		         r->issue ? r->issue : "", r->codename ? "/releases/" : "",
		         r->codename ? r->codename : "", member ? "/" : "", member ? member : "",
		         what);
	return -1;
}

/* A name from the file fit for a message: printable ASCII, the rest as '?', cut short. */
static const char *
shown(const char *s, char out[SHOWN_MAX + 1])
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < SHOWN_MAX; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
	return out;
}

/* A copy of the n bytes at s, NUL-terminated, in the tracker's blocks; NULL: no memory. */
static const char *
copy(struct reader *r, const char *s, size_t n)
{
	struct dm_tracker_block *b = r->t->blocks;
	size_t size;
	char *p;

	if (b == NULL || b->size - b->used < n + 1) {
		size = n + 1 > BLOCK_BYTES ? n + 1 : BLOCK_BYTES;
		if ((b = malloc(sizeof(*b) + size)) == NULL)
			return NULL;
		*b = (struct dm_tracker_block){r->t->blocks, 0, size};
		r->t->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static int
no_memory(struct reader *r)
{
	return fail(r, NULL, "out of memory");
}

/* The string member key of obj (at most max bytes), or NULL when absent. */
static int
member_string(struct reader *r, size_t obj, const char *key, size_t max, const char **out)
{
	size_t v = dm_json_get(r->j, obj, key);

	*out = NULL;
	if (v == DM_JNONE)
		return 0;
	if (r->j->v[v].type != DM_JSTRING)
		return fail(r, key, "must be a string");
	if (r->j->v[v].len > max)
		return fail(r, key, "longer than %zu bytes", max);
	*out = r->j->v[v].s;
	return 0;
}

/* debianbug: an integer in [0, DM_CVE_DEBIANBUG_MAX]; -1 when absent. */
static int
member_bug(struct reader *r, size_t obj, long long *out)
{
	size_t v = dm_json_get(r->j, obj, "debianbug"), i, n;
	const struct dm_jnode *node;
	long long bug = 0;

	*out = -1;
	if (v == DM_JNONE)
		return 0;
	node = &r->j->v[v];
	n = node->type == DM_JNUMBER ? node->len : 0;
	for (i = 0; i < n && node->s[i] >= '0' && node->s[i] <= '9' && bug <= DM_CVE_DEBIANBUG_MAX;
	     i++)
		bug = bug * 10 + (node->s[i] - '0');
	if (n == 0 || i < n || bug > DM_CVE_DEBIANBUG_MAX)
		return fail(r, "debianbug", "must be an integer from 0 to %lld",
		            DM_CVE_DEBIANBUG_MAX);
	*out = bug;
	return 0;
}

static int
digits(const char *s, size_t n)
{
	return strspn(s, "0123456789") == n;
}

/* CVE-YYYY-NNNN (four digits or more) or TEMP-NNNNNNN-XXXXXX (six upper-case hex digits). */
static int
valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n > DM_CVE_NAME_MAX)
		return 0;
	if (strncmp(s, "CVE-", 4) == 0)
		return n >= 13 && strspn(s + 4, "0123456789") == 4 && s[8] == '-' &&
		       digits(s + 9, n - 9);
	if (strncmp(s, "TEMP-", 5) == 0)
		return n == 19 && strspn(s + 5, "0123456789") == 7 && s[12] == '-' &&
		       strspn(s + 13, "0123456789ABCDEF") == 6;
	return 0;
}

/* A codename as the release table writes series: lowercase letters, digits and '-'. */
static int
valid_codename(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= DM_CVE_CODENAME_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* Printable ASCII: the urgency column's character set. */
static int
printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

/* Room for one more item in an array of n (*cap allocated) of size bytes each; NULL: no memory. */
static void *
grow(void *v, size_t n, size_t *cap, size_t size)
{
	size_t c = *cap ? 2 * *cap : 1024;

	if (n < *cap)
		return v;
	if ((v = realloc(v, c * size)) != NULL)
		*cap = c;
	return v;
}

/* The urgency's copy, shared by every entry with the same one. */
static const char *
urgency(struct reader *r, const char *u)
{
	const char *p;
	size_t i;

	for (i = 0; i < r->n_urgencies; i++)
		if (strcmp(r->urgencies[i], u) == 0)
			return r->urgencies[i];
	if ((p = copy(r, u, strlen(u))) != NULL && r->n_urgencies < URGENCIES_MAX)
		r->urgencies[r->n_urgencies++] = p;
	return p;
}

/* Whether name is one of the ", "-separated names of list. */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += strcspn(p, ",");
		p += strspn(p, ", ");
	}
	return 0;
}

/* An entry of a release the table does not know: counted, its codename listed once. */
static void
skip(struct reader *r)
{
	char *names = r->t->skipped_names;
	size_t len = strlen(names), room = sizeof(r->t->skipped_names) - len;

	r->t->skipped++;
	if (listed(names, r->codename) || (len >= 3 && strcmp(names + len - 3, "...") == 0))
		return;
	if (strlen(r->codename) + 6 < room)
		snprintf(names + len, room, "%s%s", len ? ", " : "", r->codename);
	else
		snprintf(names + len, room, "%s...", len ? ", " : "");
}

/* The codename's copy when the table has the release, else NULL (*known 0). */
static const char *
release(struct reader *r, int *known)
{
	const struct dm_release *rel = dm_distro_series(r->d, r->codename);
	size_t i;

	*known = rel != NULL;
	if (rel == NULL)
		return NULL;
	i = (size_t)(rel - r->d->rel);
	if (r->series[i] == NULL)
		r->series[i] = copy(r, rel->series, strlen(rel->series));
	return r->series[i];
}

/* status: required, one of the three. */
static int
member_status(struct reader *r, size_t rel, enum dm_cve_status *out)
{
	size_t v = dm_json_get(r->j, rel, "status"), i;

	if (v == DM_JNONE)
		return fail(r, "status", "missing");
	for (i = 0; r->j->v[v].type == DM_JSTRING && i < DM_CVE_STATUS__MAX; i++)
		if (strcmp(r->j->v[v].s, statuses[i]) == 0)
			return *out = (enum dm_cve_status)i, 0;
	return fail(r, "status", "must be one of resolved, open, undetermined");
}

/* fixed_version: "0" or a version dpkg accepts; required when resolved. */
static int
member_fixed(struct reader *r, size_t rel, enum dm_cve_status status, const char **out)
{
	const char *why;

	if (member_string(r, rel, "fixed_version", DM_NAME_MAX, out) == -1)
		return -1;
	if (*out == NULL)
		return status == DM_CVE_RESOLVED
		           ? fail(r, "fixed_version", "missing (the status is resolved)")
		           : 0;
	if ((*out)[0] == '\0')
		return fail(r, "fixed_version", "empty");
	if (strcmp(*out, "0") != 0 && !dm_version_valid(*out, &why))
		return fail(r, "fixed_version", "not a Debian version: %s", why);
	return 0;
}

/* urgency: required, as written; the column holds printable ASCII. */
static int
member_urgency(struct reader *r, size_t rel, const char **out)
{
	if (member_string(r, rel, "urgency", DM_CVE_URGENCY_MAX, out) == -1)
		return -1;
	if (*out == NULL)
		return fail(r, "urgency", "missing");
	if (!printable(*out))
		return fail(r, "urgency", "must be printable ASCII");
	return 0;
}

/* What is checked and not kept: repositories (suite: version), nodsa, next_point_update. */
static int
unkept_members(struct reader *r, size_t rel)
{
	size_t v = dm_json_get(r->j, rel, "repositories"), i, k;
	char member[SHOWN_MAX + 16], name[SHOWN_MAX + 1];
	const char *s;

	if (v != DM_JNONE && r->j->v[v].type != DM_JOBJECT)
		return fail(r, "repositories", "must be an object");
	for (i = 0, k = v + 1; v != DM_JNONE && i < r->j->v[v].len; i++, k = r->j->v[k + 1].next)
		if (r->j->v[k + 1].type != DM_JSTRING) {
			snprintf(member, sizeof(member), "repositories/%s",
			         shown(r->j->v[k].s, name));
			return fail(r, member, "must be a string");
		}
	if (member_string(r, rel, "nodsa", DM_CVE_DESCRIPTION_MAX, &s) == -1 ||
	    member_string(r, rel, "nodsa_reason", DM_CVE_DESCRIPTION_MAX, &s) == -1)
		return -1;
	v = dm_json_get(r->j, rel, "next_point_update");
	if (v != DM_JNONE && r->j->v[v].type != DM_JTRUE && r->j->v[v].type != DM_JFALSE)
		return fail(r, "next_point_update", "must be true or false");
	return 0;
}

/* One release of the issue at rel, kept as an entry when the table knows it. */
static int
read_release(struct reader *r, size_t issue, size_t rel)
{
	struct dm_cve_entry e = {.issue = issue, .source = r->source};
	const char *u, *fixed;
	void *v;
	int known;

	if (r->j->v[rel].type != DM_JOBJECT)
		return fail(r, NULL, "must be an object");
	if (member_status(r, rel, &e.status) == -1 || member_urgency(r, rel, &u) == -1 ||
	    member_fixed(r, rel, e.status, &fixed) == -1 || unkept_members(r, rel) == -1)
		return -1;
	e.codename = release(r, &known);
	if (!known)
		return skip(r), 0;
	if (e.codename == NULL || (e.urgency = urgency(r, u)) == NULL)
		return no_memory(r);
	if (e.status == DM_CVE_RESOLVED &&
	    (e.fixed_version = copy(r, fixed, strlen(fixed))) == NULL)
		return no_memory(r);
	if ((v = grow(r->t->entries, r->t->n_entries, &r->cap_entries, sizeof(e))) == NULL)
		return no_memory(r);
	r->t->entries = v;
	r->t->entries[r->t->n_entries++] = e;
	return 0;
}

/* The releases of issue number issue: an object of codename: release. */
static int
read_releases(struct reader *r, size_t issue, size_t obj)
{
	size_t v = dm_json_get(r->j, obj, "releases"), i, k;
	char name[SHOWN_MAX + 1];

	if (v == DM_JNONE)
		return fail(r, "releases", "missing");
	if (r->j->v[v].type != DM_JOBJECT)
		return fail(r, "releases", "must be an object");
	for (i = 0, k = v + 1; i < r->j->v[v].len; i++, k = r->j->v[k + 1].next) {
		r->codename = NULL;
		if (!valid_codename(r->j->v[k].s))
			return fail(r, "releases", "\"%s\" is not a codename (a-z, 0-9 and '-')",
			            shown(r->j->v[k].s, name));
		r->codename = r->j->v[k].s;
		if (read_release(r, issue, k + 1) == -1)
			return -1;
	}
	r->codename = NULL;
	return 0;
}

/* One issue of the current source: its members, then its releases. */
static int
read_issue(struct reader *r, size_t obj)
{
	struct dm_cve_issue is = {.name = r->issue};
	const char *desc, *scope;
	void *v;

	if (r->j->v[obj].type != DM_JOBJECT)
		return fail(r, NULL, "must be an object");
	if (member_string(r, obj, "description", DM_CVE_DESCRIPTION_MAX, &desc) == -1 ||
	    member_bug(r, obj, &is.debianbug) == -1 ||
	    member_string(r, obj, "scope", DM_CVE_SCOPE_MAX, &scope) == -1)
		return -1;
	if ((is.description = copy(r, desc ? desc : "", desc ? strlen(desc) : 0)) == NULL ||
	    (scope != NULL && (is.scope = copy(r, scope, strlen(scope))) == NULL) ||
	    (v = grow(r->t->issues, r->t->n_issues, &r->cap_issues, sizeof(is))) == NULL)
		return no_memory(r);
	r->t->issues = v;
	r->t->issues[r->t->n_issues++] = is;
	return read_releases(r, r->t->n_issues - 1, obj);
}

/* One source: an object of issue id: issue. */
static int
read_source(struct reader *r, size_t key)
{
	size_t obj = key + 1, i, k;
	char why[64], name[SHOWN_MAX + 1];
	const char *id;

	if (dm_name_valid(r->j->v[key].s, 0, why, sizeof(why)) == -1)
		return fail(r, NULL, "source \"%s\": %s", shown(r->j->v[key].s, name),
		            strncmp(why, "name: ", 6) == 0 ? why + 6 : why);
	if ((r->source = copy(r, r->j->v[key].s, r->j->v[key].len)) == NULL)
		return no_memory(r);
	if (r->j->v[obj].type != DM_JOBJECT)
		return fail(r, NULL, "must be an object");
	for (i = 0, k = obj + 1; i < r->j->v[obj].len; i++, k = r->j->v[k + 1].next) {
		r->issue = NULL;
		id = r->j->v[k].s;
		if (!valid_id(id))
			return fail(
			    r, NULL,
			    "\"%s\" is not an issue id (CVE-YYYY-NNNN or TEMP-NNNNNNN-XXXXXX)",
			    shown(id, name));
		if ((r->issue = copy(r, id, strlen(id))) == NULL)
			return no_memory(r);
		if (read_issue(r, k + 1) == -1)
			return -1;
	}
	r->issue = NULL;
	return 0;
}

static int
read_file(struct reader *r)
{
	size_t i, k;

	if (r->j->v[0].type != DM_JOBJECT)
		return fail(r, NULL, "must be a JSON object");
	for (i = 0, k = 1; i < r->j->v[0].len; i++, k = r->j->v[k + 1].next) {
		if (read_source(r, k) == -1)
			return -1;
		r->source = NULL;
	}
	r->t->n_sources = r->j->v[0].len;
	return 0;
}

/* --- issues made unique, entries put in order ------------------------------------------ */

static int
by_name(const void *a, const void *b)
{
	const struct dm_cve_issue *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Occurrences of issues (indexes into arg) by name, the first in the file first. */
static int
by_name_then_place(const void *a, const void *b, void *arg)
{
	const struct dm_cve_issue *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(v[x].name, v[y].name);

	return c != 0 ? c : (x > y) - (x < y);
}

static int
by_issue_source_codename(const void *a, const void *b)
{
	const struct dm_cve_entry *x = a, *y = b;
	int c;

	if (x->issue != y->issue)
		return x->issue < y->issue ? -1 : 1;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return strcmp(x->codename, y->codename);
}

/*
 * Each id once, in name order, with the members of its first occurrence; entries
 * renumbered to match, then sorted. 0, or -1 when out of memory.
 */
static int
finish(struct dm_tracker *t)
{
	size_t *order = calloc(t->n_issues + 1, sizeof(*order));
	size_t *to = calloc(t->n_issues + 1, sizeof(*to));
	struct dm_cve_issue *issues = calloc(t->n_issues + 1, sizeof(*issues));
	size_t i, n = 0;
	int rc = -1;

	if (order == NULL || to == NULL || issues == NULL)
		goto out;
	for (i = 0; i < t->n_issues; i++)
		order[i] = i;
	if (t->n_issues > 1)
		qsort_r(order, t->n_issues, sizeof(*order), by_name_then_place, t->issues);
	for (i = 0; i < t->n_issues; i++) {
		if (n == 0 || strcmp(t->issues[order[i]].name, issues[n - 1].name) != 0)
			issues[n++] = t->issues[order[i]];
		to[order[i]] = n - 1;
	}
	for (i = 0; i < t->n_entries; i++)
		t->entries[i].issue = to[t->entries[i].issue];
	free(t->issues);
	t->issues = issues;
	t->n_issues = n;
	issues = NULL;
	if (t->n_entries > 1) /* (entries is NULL when there is none) */
		qsort(t->entries, t->n_entries, sizeof(*t->entries), by_issue_source_codename);
	rc = 0;
out:
	free(order);
	free(to);
	free(issues);
	return rc;
}

int
dm_tracker_parse(struct dm_tracker *t, const char *text, size_t len, const struct dm_distro *d,
                 char *err, size_t errlen)
{
	struct reader r = {.d = d, .t = t, .err = err, .errlen = errlen};
	struct dm_json j;
	char what[200];
	int utf8, rc;

	memset(t, 0, sizeof(*t));
	if (dm_json_parse(&j, text, len, &utf8, what, sizeof(what)) == -1) {
		snprintf(err, errlen, "not JSON: %s", what);
		return -1;
	}
	r.j = &j;
	rc = read_file(&r);
	dm_json_free(&j);
	if (rc == 0 && finish(t) == -1)
		rc = (snprintf(err, errlen, "tracker: out of memory"), -1);
	if (rc == -1)
		dm_tracker_free(t);
	return rc;
}

void
dm_tracker_free(struct dm_tracker *t)
{
	struct dm_tracker_block *b, *next;

	for (b = t->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(t->issues);
	free(t->entries);
	memset(t, 0, sizeof(*t));
}

const struct dm_cve_issue *
dm_tracker_issue(const struct dm_tracker *t, const char *name)
{
	struct dm_cve_issue key = {.name = name};

	if (t->n_issues == 0)
		return NULL;
	return bsearch(&key, t->issues, t->n_issues, sizeof(*t->issues), by_name);
}
