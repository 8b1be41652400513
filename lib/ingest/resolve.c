/* resolve.c: the package and version ids an update's rows need, created when missing. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "ingest/internal.h"

#define CHUNK DM_INGEST_CHUNK

enum stmt {
	S_PV_FIND,
	S_PV_FIND_NAMES,
	S_SPV_FIND,
	S_SPV_FIND_NAMES,
	S_PKG_ADD,
	S_SRC_ADD,
	S_SPV_ADD,
	S_PV_ADD,
	S__MAX
};

/*
 * Shared rows, the same for hosts and images. A row another update created meanwhile is
 * skipped by IGNORE, which only reads it: an ON DUPLICATE KEY UPDATE would lock it for
 * writing, and wait for every update whose rows refer to it. IGNORE also skips a version
 * whose package or source was removed meanwhile (debmonitor-gc): the next attempt finds
 * it missing and creates it again.
 */
static const char *const stmts[S__MAX] = {
    [S_PV_FIND] = "SELECT p.name, p.id, pv.version, pv.id FROM package p"
                  " LEFT JOIN package_version pv ON pv.package_id = p.id"
                  " AND pv.os_id = # AND pv.version IN (",
    [S_PV_FIND_NAMES] = ") WHERE p.name IN (",
    [S_SPV_FIND] = "SELECT sp.name, sp.id, spv.version, spv.id FROM source_package sp"
                   " LEFT JOIN source_package_version spv ON spv.source_package_id = sp.id"
                   " AND spv.os_id = # AND spv.version IN (",
    [S_SPV_FIND_NAMES] = ") WHERE sp.name IN (",
    [S_PKG_ADD] = "INSERT IGNORE INTO package (name) VALUES ",
    [S_SRC_ADD] = "INSERT IGNORE INTO source_package (name) VALUES ",
    [S_SPV_ADD] = "INSERT IGNORE INTO source_package_version"
                  " (source_package_id, os_id, version, version_key, created) VALUES ",
    [S_PV_ADD] = "INSERT IGNORE INTO package_version"
                 " (package_id, os_id, version, source_package_version_id, created) VALUES ",
};

/* A package version (or source version) whose id the update needs. */
struct dm_need {
	const char *name;
	const char *version;
	const char *source;
	const char *source_version; /* what the version was built from (struct dm_slot) */
	unsigned long long *id;
	unsigned long long parent; /* the package's (or source's) id, once known */
};

enum lookup {
	L_PV, /* package_version by (package name, version) */
	L_SPV /* source_package_version by (source name, source version) */
};

/* The name and the version a need is looked up by in one of the two version tables. */
static const char *
need_name(const struct dm_need *nd, enum lookup which)
{
	return which == L_PV ? nd->name : nd->source;
}

static const char *
need_version(const struct dm_need *nd, enum lookup which)
{
	return which == L_PV ? nd->version : nd->source_version;
}

static int
need_cmp(const void *a, const void *b)
{
	const struct dm_need *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->version, y->version);
}

/*
 * In the order of the version tables' unique keys, (parent id, OS, version) with versions
 * compared byte by byte: concurrent inserts then lock rows in one order and never wait on
 * each other in a cycle.
 */
static int
need_parent_cmp(const void *a, const void *b)
{
	const struct dm_need *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return strcmp(x->version, y->version);
}

static int
need_source_parent_cmp(const void *a, const void *b)
{
	const struct dm_need *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return strcmp(x->source_version, y->source_version);
}

static int
add_found(struct dm_ingest *ig, MYSQL_RES *res, enum lookup which)
{
	struct dm_idmap *names = which == L_PV ? &ig->pkgs : &ig->srcs;
	struct dm_idmap *pairs = which == L_PV ? &ig->pvs : &ig->spvs;
	MYSQL_ROW f;

	while ((f = mysql_fetch_row(res)) != NULL) {
		if (dm_idmap_add(names, f[0], NULL, dm_ingest_num(f[1])) == -1)
			return -1;
		if (f[2] != NULL && dm_idmap_add(pairs, f[0], f[2], dm_ingest_num(f[3])) == -1)
			return -1;
	}
	return 0;
}

/* One query per chunk of needs: the versions of their names that exist on the OS. */
static int
find(struct dm_ingest *ig, enum lookup which, const struct dm_need *v, size_t n)
{
	const char **names, **versions;
	MYSQL_RES *res;
	size_t i, k, len;
	int rc = 0;

	names = calloc(CHUNK, sizeof(*names));
	versions = calloc(CHUNK, sizeof(*versions));
	for (i = 0; rc == 0 && names && versions && i < n; i += CHUNK) {
		len = n - i < CHUNK ? n - i : CHUNK;
		for (k = 0; k < len; k++) {
			names[k] = need_name(&v[i + k], which);
			versions[k] = need_version(&v[i + k], which);
		}
		dm_sql_start(&ig->q, stmts[which == L_PV ? S_PV_FIND : S_SPV_FIND], ig->os_id);
		dm_sql_strs(&ig->q, versions, dm_sort_unique(versions, len));
		dm_sql_raw(&ig->q, stmts[which == L_PV ? S_PV_FIND_NAMES : S_SPV_FIND_NAMES]);
		dm_sql_strs(&ig->q, names, dm_sort_unique(names, len));
		dm_sql_raw(&ig->q, ")");
		if ((res = dm_results_keep(&ig->res, dm_sql_query(&ig->q))) == NULL ||
		    add_found(ig, res, which) == -1)
			rc = -1;
	}
	if (names == NULL || versions == NULL)
		rc = -1;
	free(names);
	free(versions);
	return rc;
}

/* Inserts names (sorted, so concurrent updates lock them in one order) that are missing. */
static int
insert_names(struct dm_ingest *ig, enum stmt st, const char **names, size_t n)
{
	size_t i;

	n = dm_sort_unique(names, n);
	for (i = 0; i < n; i++) {
		if (i % CHUNK == 0)
			dm_sql_start(&ig->q, stmts[st]);
		else
			dm_sql_raw(&ig->q, ", ");
		dm_sql_raw(&ig->q, "(");
		dm_sql_str(&ig->q, names[i]);
		dm_sql_raw(&ig->q, ")");
		if (((i + 1) % CHUNK == 0 || i + 1 == n) && dm_sql_exec(&ig->q) == -1)
			return -1;
	}
	return 0;
}

/*
 * Appends one VALUES tuple for a missing version row, a package version with its source
 * version's id or a source version with its sort key; 1 when a parent id is unknown.
 */
static int
version_tuple(struct dm_ingest *ig, enum lookup which, const struct dm_need *nd)
{
	unsigned long long spv = 0;

	if (which == L_PV)
		spv = dm_idmap_get(&ig->spvs, nd->source, nd->source_version);
	if (which == L_PV && spv == 0)
		return 1;
	dm_sql_raw(&ig->q, "(");
	dm_sql_uint(&ig->q, nd->parent);
	dm_sql_raw(&ig->q, ", ");
	dm_sql_uint(&ig->q, ig->os_id);
	dm_sql_raw(&ig->q, ", ");
	dm_sql_str(&ig->q, need_version(nd, which));
	dm_sql_raw(&ig->q, ", ");
	if (which == L_PV)
		dm_sql_uint(&ig->q, spv);
	else
		dm_sql_version_key(&ig->q, nd->source_version);
	dm_sql_raw(&ig->q, ", ");
	dm_sql_str(&ig->q, ig->now);
	dm_sql_raw(&ig->q, ")");
	return 0;
}

/*
 * Inserts the version rows of v that the maps do not know, in key order. Returns 0, -1
 * on a database error, DM_TXN_RETRY when a parent row vanished meanwhile.
 */
static int
insert_versions(struct dm_ingest *ig, enum lookup which, struct dm_need *v, size_t n)
{
	struct dm_idmap *pairs = which == L_PV ? &ig->pvs : &ig->spvs;
	const struct dm_need *prev = NULL;
	const char *key;
	size_t i, rows = 0;

	for (i = 0; i < n; i++) {
		key = need_name(&v[i], which);
		if ((v[i].parent =
		         dm_idmap_get(which == L_PV ? &ig->pkgs : &ig->srcs, key, NULL)) == 0)
			return DM_TXN_RETRY;
	}
	qsort(v, n, sizeof(*v), which == L_PV ? need_parent_cmp : need_source_parent_cmp);
	for (i = 0; i < n; i++) {
		key = need_name(&v[i], which);
		if (dm_idmap_get(pairs, key, need_version(&v[i], which)) != 0 ||
		    (prev && prev->parent == v[i].parent &&
		     strcmp(need_version(prev, which), need_version(&v[i], which)) == 0))
			continue;
		prev = &v[i];
		if (rows % CHUNK == 0)
			dm_sql_start(&ig->q, stmts[which == L_PV ? S_PV_ADD : S_SPV_ADD]);
		else
			dm_sql_raw(&ig->q, ", ");
		if (version_tuple(ig, which, &v[i]) != 0)
			return DM_TXN_RETRY;
		if (++rows % CHUNK == 0 && dm_sql_exec(&ig->q) == -1)
			return -1;
	}
	if (rows % CHUNK == 0)
		return 0;
	return dm_sql_exec(&ig->q);
}

/* Inserts the package (or source) names of v that the maps do not know, then finds them. */
static int
insert_missing_names(struct dm_ingest *ig, enum lookup which, struct dm_need *v, size_t n)
{
	struct dm_idmap *map = which == L_PV ? &ig->pkgs : &ig->srcs;
	const char **names, *key;
	size_t i, k = 0;
	int rc = 0;

	if ((names = calloc(n + 1, sizeof(*names))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		key = need_name(&v[i], which);
		if (dm_idmap_get(map, key, NULL) == 0)
			names[k++] = key;
	}
	if (k > 0)
		rc = insert_names(ig, which == L_PV ? S_PKG_ADD : S_SRC_ADD, names, k);
	free(names);
	if (rc == 0 && k > 0)
		rc = find(ig, which, v, n);
	return rc;
}

/*
 * Creates what the new versions hang from, in dependency order: package and source
 * names, source versions, then the package versions themselves.
 */
static int
create_versions(struct dm_ingest *ig, struct dm_need *v, size_t n)
{
	int rc;

	if ((rc = insert_missing_names(ig, L_PV, v, n)) != 0 || (rc = find(ig, L_SPV, v, n)) != 0 ||
	    (rc = insert_missing_names(ig, L_SPV, v, n)) != 0 ||
	    (rc = insert_versions(ig, L_SPV, v, n)) != 0 || (rc = find(ig, L_SPV, v, n)) != 0 ||
	    (rc = insert_versions(ig, L_PV, v, n)) != 0)
		return rc;
	return find(ig, L_PV, v, n);
}

/* The versions the rows to upsert need and do not have an id for yet. */
static struct dm_need *
collect_needs(struct dm_ingest *ig, size_t *n)
{
	struct dm_need *v = calloc(2 * ig->plan.n_slots + 1, sizeof(*v));
	struct dm_slot *s;
	size_t i, k = 0;

	for (i = 0; v != NULL && i < ig->plan.n_slots; i++) {
		s = &ig->plan.slots[i];
		if (s->change != DM_CHANGE_UPSERT)
			continue;
		if (s->pv_id == 0)
			v[k++] = (struct dm_need){.name = s->name,
			                          .version = s->version,
			                          .source = s->source,
			                          .source_version = s->source_version,
			                          .id = &s->pv_id};
		if (s->up_version != NULL && s->upv_id == 0)
			v[k++] = (struct dm_need){.name = s->name,
			                          .version = s->up_version,
			                          .source = s->up_source,
			                          .source_version = s->up_source_version,
			                          .id = &s->upv_id};
	}
	*n = k;
	return v;
}

/* The package ids of new rows, known once their versions are: 0, or DM_TXN_RETRY. */
static int
package_ids(struct dm_ingest *ig)
{
	struct dm_slot *s;
	size_t i;

	for (i = 0; i < ig->plan.n_slots; i++) {
		s = &ig->plan.slots[i];
		if (s->change == DM_CHANGE_UPSERT && s->package_id == 0 &&
		    (s->package_id = dm_idmap_get(&ig->pkgs, s->name, NULL)) == 0)
			return DM_TXN_RETRY;
	}
	return 0;
}

/* One query when all versions exist, a few more if not. */
int
dm_ingest_resolve(struct dm_ingest *ig)
{
	struct dm_need *v, *missing;
	size_t i, n, m = 0;
	int rc;

	if ((v = collect_needs(ig, &n)) == NULL)
		return -1;
	qsort(v, n, sizeof(*v), need_cmp);
	missing = calloc(n + 1, sizeof(*missing));
	rc = missing ? find(ig, L_PV, v, n) : -1;
	for (i = 0; rc == 0 && i < n; i++)
		if (dm_idmap_get(&ig->pvs, v[i].name, v[i].version) == 0)
			missing[m++] = v[i];
	if (rc == 0 && m > 0 && !ig->create_inside) {
		ig->missing = missing;
		ig->n_missing = m;
		missing = NULL;
		rc = DM_TXN_ABORT;
	} else if (rc == 0 && m > 0) {
		rc = create_versions(ig, missing, m);
	}
	for (i = 0; rc == 0 && i < n; i++)
		if ((*v[i].id = dm_idmap_get(&ig->pvs, v[i].name, v[i].version)) == 0)
			rc = DM_TXN_RETRY; /* deleted under us (debmonitor-gc): start again */
	if (rc == 0)
		rc = package_ids(ig);
	free(missing);
	free(v);
	return rc;
}

int
dm_ingest_create(struct dm_ingest *ig)
{
	int rc = create_versions(ig, ig->missing, ig->n_missing);

	free(ig->missing);
	ig->missing = NULL;
	ig->n_missing = 0;
	/* A parent removed meanwhile (debmonitor-gc): the next attempt finds it missing again. */
	return rc == DM_TXN_RETRY ? 0 : rc;
}
