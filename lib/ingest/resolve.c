/* resolve.c: the package and version ids an update's rows need, created when missing. */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "ingest/internal.h"

#define CHUNK DM_INGEST_CHUNK

enum stmt {
	S_PV_FIND,
	S_PV_FIND_NAMES,
	S_PV_FIND_PLAIN,
	S_PV_FIND_PLAIN_NAMES,
	S_SPV_FIND,
	S_SPV_FIND_NAMES,
	S_PKG_ADD,
	S_SRC_ADD,
	S_SPV_ADD,
	S_PV_ADD,
	S_PV_RELINK,
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
    /* With the source version a version links to: dm_ingest_resolve may correct it. */
    [S_PV_FIND] = "SELECT p.name, p.id, pv.version, pv.id, sp.name, spv.version, spv.id"
                  " FROM package p LEFT JOIN package_version pv ON pv.package_id = p.id"
                  " AND pv.os_id = # AND pv.version IN (",
    [S_PV_FIND_NAMES] = ") LEFT JOIN source_package_version spv"
                        " ON spv.id = pv.source_package_version_id"
                        " LEFT JOIN source_package sp ON sp.id = spv.source_package_id"
                        " WHERE p.name IN (",
    /*
     * Without the source versions: when no entry names its source version, nothing can be
     * linked again, and the two joins would double the lookup's cost.
     */
    [S_PV_FIND_PLAIN] = "SELECT p.name, p.id, pv.version, pv.id FROM package p"
                        " LEFT JOIN package_version pv ON pv.package_id = p.id"
                        " AND pv.os_id = # AND pv.version IN (",
    [S_PV_FIND_PLAIN_NAMES] = ") WHERE p.name IN (",
    [S_SPV_FIND] = "SELECT sp.name, sp.id, spv.version, spv.id FROM source_package sp"
                   " LEFT JOIN source_package_version spv ON spv.source_package_id = sp.id"
                   " AND spv.os_id = # AND spv.version IN (",
    [S_SPV_FIND_NAMES] = ") WHERE sp.name IN (",
    [S_PKG_ADD] = "INSERT IGNORE INTO package (name) VALUES ",
    [S_SRC_ADD] = "INSERT IGNORE INTO source_package (name) VALUES ",
    [S_SPV_ADD] = "INSERT IGNORE INTO source_package_version"
                  " (source_package_id, os_id, version, version_key, created) VALUES ",
    [S_PV_ADD] = "INSERT IGNORE INTO package_version"
                 " (package_id, os_id, version, source_package_version_id, created,"
                 " source_package_id) VALUES ",
    /*
     * Only from the source version it was seen linked to: a no-op when another update did
     * it first. IGNORE: a source version debmonitor-gc removed meanwhile leaves the link
     * as it is, and the next attempt sees it again.
     */
    [S_PV_RELINK] = "UPDATE IGNORE package_version SET source_package_version_id = #,"
                    " source_package_id = # WHERE id = # AND source_package_version_id = #",
};

/* A package version (or source version) whose id the update needs. */
struct dm_need {
	const char *name;
	const char *version;
	const char *source;
	const char *source_version; /* what the version was built from (struct dm_slot) */
	int source_given;           /* source_version is the payload's (struct dm_slot) */
	unsigned long long *id;
	unsigned long long parent; /* the package's (or source's) id, once known */
	/* A version to link again (ig->relinks): its id and the source version it links to. */
	unsigned long long relink_pv, relink_from;
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

/*
 * Notes a package version f (an S_PV_FIND row) to link again when the need for it, in v
 * (sorted by need_cmp), gives its source version and names another one. An explicit
 * source version is dpkg's own record, so it wins over the one the version was created
 * with (made from the binary version by an update without it). Another source name is
 * not taken: a binary version is built from one source, and a payload naming another
 * says nothing about the version's. 0, or -1 when out of memory.
 */
static int
note_relink(struct dm_ingest *ig, MYSQL_ROW f, const struct dm_need *v, size_t n)
{
	struct dm_need key = {.name = f[0], .version = f[2]}, *r;
	const struct dm_need *nd;

	if (f[2] == NULL || f[4] == NULL ||
	    (nd = bsearch(&key, v, n, sizeof(*v), need_cmp)) == NULL || !nd->source_given ||
	    strcmp(f[4], nd->source) != 0 || strcmp(f[5], nd->source_version) == 0)
		return 0;
	/* At most one per need: the versions a lookup finds are unique. */
	if (ig->relinks == NULL && (ig->relinks = calloc(n + 1, sizeof(*ig->relinks))) == NULL)
		return -1;
	r = &ig->relinks[ig->n_relinks++];
	*r = *nd;
	r->id = NULL;
	r->relink_pv = dm_ingest_num(f[3]);
	r->relink_from = dm_ingest_num(f[6]);
	return 0;
}

/* The rows of a lookup into the maps; with check, the versions to link again too. */
static int
add_found(struct dm_ingest *ig, MYSQL_RES *res, enum lookup which, const struct dm_need *check,
          size_t n)
{
	struct dm_idmap *names = which == L_PV ? &ig->pkgs : &ig->srcs;
	struct dm_idmap *pairs = which == L_PV ? &ig->pvs : &ig->spvs;
	MYSQL_ROW f;

	while ((f = mysql_fetch_row(res)) != NULL) {
		if (dm_idmap_add(names, f[0], NULL, dm_ingest_num(f[1])) == -1)
			return -1;
		if (f[2] != NULL && dm_idmap_add(pairs, f[0], f[2], dm_ingest_num(f[3])) == -1)
			return -1;
		if (check != NULL && note_relink(ig, f, check, n) == -1)
			return -1;
	}
	return 0;
}

/* The lookup's statement (its second half follows it in the table). */
static enum stmt
find_stmt(enum lookup which, int check)
{
	return which == L_SPV ? S_SPV_FIND : check ? S_PV_FIND : S_PV_FIND_PLAIN;
}

/*
 * One query per chunk of needs: the versions of their names that exist on the OS. With
 * check (package versions, v sorted by need_cmp), the ones to link again go to relinks.
 */
static int
find_checked(struct dm_ingest *ig, enum lookup which, const struct dm_need *v, size_t n, int check)
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
		dm_sql_start(&ig->q, stmts[find_stmt(which, check)], ig->os_id);
		dm_sql_strs(&ig->q, versions, dm_sort_unique(versions, len));
		dm_sql_raw(&ig->q, stmts[find_stmt(which, check) + 1]);
		dm_sql_strs(&ig->q, names, dm_sort_unique(names, len));
		dm_sql_raw(&ig->q, ")");
		if ((res = dm_results_keep(&ig->res, dm_sql_query(&ig->q))) == NULL ||
		    add_found(ig, res, which, check ? v : NULL, n) == -1)
			rc = -1;
	}
	if (names == NULL || versions == NULL)
		rc = -1;
	free(names);
	free(versions);
	return rc;
}

static int
find(struct dm_ingest *ig, enum lookup which, const struct dm_need *v, size_t n)
{
	return find_checked(ig, which, v, n, 0);
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
	unsigned long long spv = 0, src = 0;

	if (which == L_PV) {
		spv = dm_idmap_get(&ig->spvs, nd->source, nd->source_version);
		src = dm_idmap_get(&ig->srcs, nd->source, NULL);
	}
	if (which == L_PV && (spv == 0 || src == 0))
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
	if (which == L_PV) {
		dm_sql_raw(&ig->q, ", ");
		dm_sql_uint(&ig->q, src);
	}
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
			                          .source_given = s->source_given,
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

static int
relink_pv_cmp(const void *a, const void *b)
{
	const struct dm_need *x = a, *y = b;

	return x->relink_pv < y->relink_pv ? -1 : x->relink_pv > y->relink_pv;
}

/*
 * Links the versions in relinks to the source versions their updates give, created when
 * missing, in version id order. 0, -1 on a database error, DM_TXN_RETRY when a source
 * vanished meanwhile (debmonitor-gc).
 */
static int
relink(struct dm_ingest *ig)
{
	struct dm_need *v = ig->relinks;
	size_t i, n = ig->n_relinks, m = 0;
	unsigned long long spv, src;
	int rc;

	if ((rc = find(ig, L_SPV, v, n)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		m += dm_idmap_get(&ig->spvs, v[i].source, v[i].source_version) == 0;
	if (m > 0 &&
	    ((rc = insert_missing_names(ig, L_SPV, v, n)) != 0 ||
	     (rc = insert_versions(ig, L_SPV, v, n)) != 0 || (rc = find(ig, L_SPV, v, n)) != 0))
		return rc;
	qsort(v, n, sizeof(*v), relink_pv_cmp);
	for (i = 0; i < n; i++) {
		if ((spv = dm_idmap_get(&ig->spvs, v[i].source, v[i].source_version)) == 0 ||
		    (src = dm_idmap_get(&ig->srcs, v[i].source, NULL)) == 0)
			return DM_TXN_RETRY;
		dm_sql_start(&ig->q, stmts[S_PV_RELINK], spv, src, v[i].relink_pv,
		             v[i].relink_from);
		if (dm_sql_exec(&ig->q) == -1)
			return -1;
	}
	return 0;
}

static void
relinks_free(struct dm_ingest *ig)
{
	free(ig->relinks);
	ig->relinks = NULL;
	ig->n_relinks = 0;
}

/*
 * One query when all versions exist and link to the right source versions, a few more if
 * not. When an entry names its source version, the lookup also returns each version's
 * source version, by the joins of its primary keys: what to link again costs no statement
 * of its own.
 */
int
dm_ingest_resolve(struct dm_ingest *ig)
{
	struct dm_need *v, *missing;
	size_t i, n, m = 0;
	int rc, given;

	if ((v = collect_needs(ig, &n)) == NULL)
		return -1;
	qsort(v, n, sizeof(*v), need_cmp);
	relinks_free(ig);
	for (given = 0, i = 0; i < n; i++)
		given |= v[i].source_given;
	missing = calloc(n + 1, sizeof(*missing));
	rc = missing ? find_checked(ig, L_PV, v, n, given) : -1;
	for (i = 0; rc == 0 && i < n; i++)
		if (dm_idmap_get(&ig->pvs, v[i].name, v[i].version) == 0)
			missing[m++] = v[i];
	if (rc == 0 && (m > 0 || ig->n_relinks > 0) && !ig->create_inside) {
		/* Both are done between attempts, as concurrent updates then never wait. */
		ig->missing = missing;
		ig->n_missing = m;
		missing = NULL;
		rc = DM_TXN_ABORT;
	} else if (rc == 0) {
		if (m > 0)
			rc = create_versions(ig, missing, m);
		if (rc == 0 && ig->n_relinks > 0)
			rc = relink(ig);
		relinks_free(ig);
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
	int rc = 0;

	if (ig->n_missing > 0)
		rc = create_versions(ig, ig->missing, ig->n_missing);
	if ((rc == 0 || rc == DM_TXN_RETRY) && ig->n_relinks > 0)
		rc = relink(ig);
	free(ig->missing);
	ig->missing = NULL;
	ig->n_missing = 0;
	relinks_free(ig);
	/*
	 * A parent removed meanwhile (debmonitor-gc): the next attempt finds it missing again,
	 * or the version to link again.
	 */
	return rc == DM_TXN_RETRY ? 0 : rc;
}
