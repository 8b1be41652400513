/* plan.c: the update's meaning applied to a host's rows in memory; no database here. */
#include "ingest/plan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
dm_sort_unique(const char **v, size_t n)
{
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), str_cmp);
	for (i = 0; i < n; i++)
		if (out == 0 || strcmp(v[out - 1], v[i]) != 0)
			v[out++] = v[i];
	return out;
}

const char **
dm_plan_names(const struct dm_payload *p, size_t *n)
{
	const char **v;
	size_t i, k = 0;

	v = calloc(p->n_installed + p->n_uninstalled + p->n_upgradable + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (i = 0; i < p->n_installed; i++)
		v[k++] = p->installed[i].name;
	for (i = 0; i < p->n_uninstalled; i++)
		v[k++] = p->uninstalled[i].name;
	for (i = 0; i < p->n_upgradable; i++)
		v[k++] = p->upgradable[i].name;
	*n = dm_sort_unique(v, k);
	return v;
}

int
dm_plan_reserve(struct dm_plan *pl, size_t n)
{
	struct dm_row *r = realloc(pl->rows, (pl->n_rows + n + 1) * sizeof(*r));

	if (r == NULL)
		return -1;
	pl->rows = r;
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dm_row *)a)->name, ((const struct dm_row *)b)->name);
}

static int
slot_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dm_slot *)a)->name, ((const struct dm_slot *)b)->name);
}

static struct dm_slot *
find_slot(struct dm_plan *pl, const char *name)
{
	struct dm_slot key = {.name = name};

	return bsearch(&key, pl->slots, pl->n_slots, sizeof(key), slot_cmp);
}

/* A slot as its row is now, or not installed when there is none. */
static void
slot_from_row(struct dm_slot *s, const struct dm_row *cur)
{
	s->cur = cur;
	if (cur == NULL)
		return;
	s->present = 1;
	s->version = cur->version;
	s->source = cur->source;
	s->source_version = cur->source_version;
	s->up_version = cur->up_version;
	s->up_source = cur->up_source;
	s->up_source_version = cur->up_source_version;
	s->security = cur->security;
}

int
dm_plan_build(struct dm_plan *pl, const char *const *names, size_t n)
{
	const char **all;
	struct dm_row key;
	size_t i, k = 0;

	if ((all = calloc(n + pl->n_rows + 1, sizeof(*all))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		all[k++] = names[i];
	for (i = 0; i < pl->n_rows; i++)
		all[k++] = pl->rows[i].name;
	k = dm_sort_unique(all, k);
	if (pl->n_rows > 0)
		qsort(pl->rows, pl->n_rows, sizeof(*pl->rows), row_cmp);
	if ((pl->slots = calloc(k + 1, sizeof(*pl->slots))) == NULL) {
		free(all);
		return -1;
	}
	for (i = 0; i < k; i++) {
		key.name = pl->slots[i].name = all[i];
		slot_from_row(&pl->slots[i],
		              pl->n_rows ? bsearch(&key, pl->rows, pl->n_rows, sizeof(key), row_cmp)
		                         : NULL);
	}
	pl->n_slots = k;
	free(all);
	return 0;
}

/*
 * The source version of a binary version when the payload does not give it: the version
 * itself, or for a binNMU ("1.2-3+b1") a copy without the suffix, kept by the plan. NULL
 * when out of memory.
 */
static const char *
source_of(struct dm_plan *pl, const char *version)
{
	size_t n = dm_version_source_len(version), cap;
	char **v;

	if (version[n] == '\0')
		return version;
	if (pl->n_owned == pl->cap_owned) {
		cap = pl->cap_owned ? 2 * pl->cap_owned : 16;
		if ((v = realloc(pl->owned, cap * sizeof(*v))) == NULL)
			return NULL;
		pl->owned = v;
		pl->cap_owned = cap;
	}
	if ((pl->owned[pl->n_owned] = strndup(version, n)) == NULL)
		return NULL;
	return pl->owned[pl->n_owned++];
}

/* 0, or -1 when out of memory. */
static int
set_installed(struct dm_plan *pl, struct dm_slot *s, const struct dm_pkg *e)
{
	int changed = s->cur == NULL || s->version == NULL || strcmp(s->version, e->version) != 0;

	s->present = 1;
	/* The same version on the same OS keeps its version id: its source is not read. */
	if (!changed && !pl->moved)
		return 0;
	s->version = e->version;
	s->source = e->source;
	s->source_version = e->source_version ? e->source_version : source_of(pl, e->version);
	s->source_given = e->source_version != NULL;
	/* A new version invalidates what the old one could be upgraded to. */
	if (changed) {
		s->up_version = s->up_source = s->up_source_version = NULL;
		s->security = 0;
	}
	return s->source_version ? 0 : -1;
}

/* 0, or -1 when out of memory. */
static int
set_upgradable(struct dm_plan *pl, struct dm_slot *s, const struct dm_upg *u)
{
	if (!s->present) {
		s->present = 1;
		s->version = u->version_from;
		s->source = u->source;
		s->source_given = 0;
		if ((s->source_version = source_of(pl, u->version_from)) == NULL)
			return -1;
	}
	if (strcmp(u->version_to, s->version) == 0) {
		s->up_version = s->up_source = s->up_source_version = NULL;
		s->security = 0;
		return 0;
	}
	s->up_version = u->version_to;
	s->up_source = u->source;
	s->security = u->security;
	return (s->up_source_version = source_of(pl, u->version_to)) ? 0 : -1;
}

int
dm_plan_apply(struct dm_plan *pl, const struct dm_payload *p)
{
	struct dm_slot *s;
	size_t i;
	int rc = 0;

	if (p->type == DM_UPDATE_FULL)
		for (i = 0; i < pl->n_slots; i++) {
			s = &pl->slots[i];
			s->present = 0;
			s->up_version = s->up_source = s->up_source_version = NULL;
			s->security = 0;
		}
	for (i = 0; rc == 0 && p->type != DM_UPDATE_UPGRADABLE && i < p->n_installed; i++)
		rc = set_installed(pl, find_slot(pl, p->installed[i].name), &p->installed[i]);
	/* As upstream DebMonitor: uninstalled entries go in every update type. */
	for (i = 0; i < p->n_uninstalled; i++)
		find_slot(pl, p->uninstalled[i].name)->present = 0;
	for (i = 0; rc == 0 && i < p->n_upgradable; i++)
		rc = set_upgradable(pl, find_slot(pl, p->upgradable[i].name), &p->upgradable[i]);
	return rc;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void
dm_plan_mark(struct dm_plan *pl)
{
	const struct dm_row *c;
	struct dm_slot *s;
	size_t i;

	for (i = 0; i < pl->n_slots; i++) {
		s = &pl->slots[i];
		c = s->cur;
		s->change = DM_CHANGE_NONE;
		if (c != NULL && !s->present) {
			s->change = DM_CHANGE_DELETE;
			continue;
		}
		if (!s->present)
			continue;
		s->package_id = c ? c->package_id : 0;
		s->pv_id = c && !pl->moved && strcmp(c->version, s->version) == 0 ? c->pv_id : 0;
		s->upv_id = c && !pl->moved && same(c->up_version, s->up_version) ? c->upv_id : 0;
		if (c == NULL || s->pv_id == 0 || (s->up_version && s->upv_id == 0) ||
		    !same(c->up_version, s->up_version) ||
		    (s->up_version && s->security != c->security))
			s->change = DM_CHANGE_UPSERT;
	}
}

void
dm_plan_counts(const struct dm_plan *pl, struct dm_counts *before, struct dm_counts *after)
{
	const struct dm_row *r;
	const struct dm_slot *s;
	size_t i;

	memset(before, 0, sizeof(*before));
	memset(after, 0, sizeof(*after));
	for (i = 0; i < pl->n_rows; i++) {
		r = &pl->rows[i];
		before->packages++;
		before->upgrades += r->up_version != NULL;
		before->security += r->up_version != NULL && r->security;
	}
	for (i = 0; i < pl->n_slots; i++) {
		s = &pl->slots[i];
		if (!s->present)
			continue;
		after->packages++;
		after->upgrades += s->up_version != NULL;
		after->security += s->up_version != NULL && s->security;
	}
}

static int
delta_cmp(const void *a, const void *b)
{
	const struct dm_delta *x = a, *y = b;

	return x->package_id < y->package_id ? -1 : x->package_id > y->package_id;
}

size_t
dm_plan_deltas(const struct dm_plan *pl, struct dm_delta *v)
{
	const struct dm_slot *s;
	const struct dm_row *c;
	struct dm_delta d;
	size_t i, n = 0;

	for (i = 0; i < pl->n_slots; i++) {
		s = &pl->slots[i];
		c = s->cur;
		d.package_id = c ? c->package_id : s->package_id;
		d.installed = s->present - (c != NULL);
		d.upgrades = (s->present && s->up_version) - (c && c->up_version);
		d.security = (s->present && s->up_version && s->security) -
		             (c && c->up_version && c->security);
		if (d.installed || d.upgrades || d.security)
			v[n++] = d;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), delta_cmp);
	return n;
}

void
dm_plan_free(struct dm_plan *pl)
{
	size_t i;

	for (i = 0; i < pl->n_owned; i++)
		free(pl->owned[i]);
	free(pl->owned);
	free(pl->rows);
	free(pl->slots);
	memset(pl, 0, sizeof(*pl));
}

/* One 64-bit lane of an entry's hash: FNV-1a over its fields, then a final mix. */
static uint64_t
lane(uint64_t h, const char *const *fields, size_t n)
{
	const unsigned char *c;
	size_t i;

	for (i = 0; i < n; i++) {
		for (c = (const unsigned char *)(fields[i] ? fields[i] : ""); *c; c++)
			h = (h ^ *c) * 0x100000001b3ULL;
		h = (h ^ 0xff) * 0x100000001b3ULL; /* field separator */
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static void
digest_add(uint64_t sum[2], const char *const *fields, size_t n)
{
	sum[0] += lane(0xcbf29ce484222325ULL, fields, n);
	sum[1] += lane(0x84222325cbf29ce4ULL, fields, n);
}

/*
 * The sum of each entry's hash: a host can only make its own report collide. An installed
 * entry's source_version is left out: it is only read for a version the host's row does
 * not have yet (set_installed), which a report identical in the rest never names, and
 * upstream's reports keep the digest they had. So a report that differs only by
 * source_version is skipped, and corrects no version's source (debmonitor-api(7)).
 */
void
dm_plan_digest(const struct dm_payload *p, char out[33])
{
	uint64_t sum[2] = {0, 0};
	const char *f[6];
	size_t i;

	f[0] = "os", f[1] = p->os;
	digest_add(sum, f, 2);
	for (i = 0; i < p->n_installed; i++) {
		f[0] = "i", f[1] = p->installed[i].name, f[2] = p->installed[i].version;
		f[3] = p->installed[i].source;
		digest_add(sum, f, 4);
	}
	for (i = 0; i < p->n_uninstalled; i++) {
		f[0] = "x", f[1] = p->uninstalled[i].name, f[2] = p->uninstalled[i].version;
		f[3] = p->uninstalled[i].source;
		digest_add(sum, f, 4);
	}
	for (i = 0; i < p->n_upgradable; i++) {
		f[0] = "u", f[1] = p->upgradable[i].name, f[2] = p->upgradable[i].version_from;
		f[3] = p->upgradable[i].version_to, f[4] = p->upgradable[i].source;
		f[5] = p->upgradable[i].security ? "s" : "";
		digest_add(sum, f, 6);
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)sum[0], (unsigned long long)sum[1]);
}
