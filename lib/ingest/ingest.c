/* ingest.c: one update payload applied in one transaction with a bounded number of statements. */
#include "ingest/ingest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/idmap.h"
#include "db/sql.h"

/* Rows per multi-row statement: keeps every statement far below max_allowed_packet. */
#define CHUNK 1000
/* Results kept alive while their strings are in the maps. */
#define MAX_RESULTS 256

enum stmt {
	S_OS_GET,
	S_OS_ADD,
	S_KERNEL_GET,
	S_KERNEL_ADD,
	S_LOCK,
	S_ENTITY_OS,
	S_ROWS,
	S_ROWS_SOURCES,
	S_ROWS_NAMED,
	S_PV_FIND,
	S_PV_FIND_NAMES,
	S_SPV_FIND,
	S_SPV_FIND_NAMES,
	S_PKG_ADD,
	S_SRC_ADD,
	S_SPV_ADD,
	S_PV_ADD,
	S_ADD_TAIL,
	S_UPSERT,
	S_UPSERT_TAIL,
	S_DELETE,
	S_FINISH,
	S_TOUCH,
	S_STATS,
	S_STATS_TAIL,
	S__MAX
};

/* The row columns every S_ROWS variant selects, in this order. */
#define ROW_COLS                                                                                   \
	"SELECT p.name, e.package_id, pv.version, e.package_version_id, uv.version, "              \
	"e.upgradable_version_id, e.upgrade_type"
#define ROW_JOINS                                                                                  \
	" JOIN package p ON p.id = e.package_id"                                                   \
	" JOIN package_version pv ON pv.id = e.package_version_id"                                 \
	" LEFT JOIN package_version uv ON uv.id = e.upgradable_version_id"
#define SOURCE_JOINS                                                                               \
	" JOIN source_package_version spv ON spv.id = pv.source_package_version_id"                \
	" JOIN source_package sp ON sp.id = spv.source_package_id"                                 \
	" LEFT JOIN source_package_version uspv ON uspv.id = uv.source_package_version_id"         \
	" LEFT JOIN source_package usp ON usp.id = uspv.source_package_id"

/* Both kinds share every statement but the ones naming their own tables. */
#define STMTS(ENTITY, PKGS, FK, LOCK, COUNTERS, ADD_COUNTERS)                                      \
	{                                                                                          \
		[S_OS_GET] = "SELECT id FROM os WHERE name = ?",                                   \
		[S_OS_ADD] = "INSERT INTO os (name) VALUES (?)"                                    \
		             " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",                   \
		[S_KERNEL_GET] = "SELECT id FROM kernel_version WHERE os_id = # AND name = ?",     \
		[S_KERNEL_ADD] = "INSERT INTO kernel_version (os_id, name) VALUES (#, ?)"          \
		                 " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",               \
		[S_LOCK] = LOCK,                                                                   \
		[S_ENTITY_OS] = "SELECT os_id, full_digest FROM " ENTITY " WHERE id = #",          \
		[S_ROWS] = ROW_COLS " FROM " PKGS " e" ROW_JOINS " WHERE e." FK " = #",            \
		[S_ROWS_SOURCES] = ROW_COLS ", sp.name, usp.name FROM " PKGS                       \
		                            " e" ROW_JOINS SOURCE_JOINS " WHERE e." FK " = #",     \
		[S_ROWS_NAMED] =                                                                   \
		    ROW_COLS " FROM " PKGS " e" ROW_JOINS " WHERE e." FK " = # AND p.name IN (",   \
		[S_PV_FIND] = "SELECT p.name, p.id, pv.version, pv.id FROM package p"              \
		              " LEFT JOIN package_version pv ON pv.package_id = p.id"              \
		              " AND pv.os_id = # AND pv.version IN (",                             \
		[S_PV_FIND_NAMES] = ") WHERE p.name IN (",                                         \
		[S_SPV_FIND] = "SELECT sp.name, sp.id, spv.version, spv.id FROM source_package sp" \
		               " LEFT JOIN source_package_version spv"                             \
		               " ON spv.source_package_id = sp.id"                                 \
		               " AND spv.os_id = # AND spv.version IN (",                          \
		[S_SPV_FIND_NAMES] = ") WHERE sp.name IN (",                                       \
		[S_PKG_ADD] = "INSERT INTO package (name) VALUES ",                                \
		[S_SRC_ADD] = "INSERT INTO source_package (name) VALUES ",                         \
		[S_SPV_ADD] = "INSERT INTO source_package_version"                                 \
		              " (source_package_id, os_id, version, created) VALUES ",             \
		[S_PV_ADD] = "INSERT INTO package_version"                                         \
		             " (package_id, os_id, version, source_package_version_id, created)"   \
		             " VALUES ",                                                           \
		[S_ADD_TAIL] = " ON DUPLICATE KEY UPDATE id = id",                                 \
		[S_UPSERT] = "INSERT INTO " PKGS " (" FK ", package_id, package_version_id,"       \
		             " upgradable_version_id, upgrade_type, created, modified) VALUES ",   \
		[S_UPSERT_TAIL] = " ON DUPLICATE KEY UPDATE"                                       \
		                  " package_version_id = VALUES(package_version_id),"              \
		                  " upgradable_version_id = VALUES(upgradable_version_id),"        \
		                  " upgrade_type = VALUES(upgrade_type),"                          \
		                  " modified = VALUES(modified)",                                  \
		[S_DELETE] = "DELETE FROM " PKGS " WHERE " FK " = # AND package_id IN (",          \
		[S_FINISH] = "UPDATE " ENTITY " SET modified = ?, os_id = #, full_digest = ?",     \
		[S_TOUCH] = "UPDATE " ENTITY " SET modified = ?",                                  \
		[S_STATS] = "INSERT INTO package_stats (package_id, slot, " COUNTERS ") VALUES ",  \
		[S_STATS_TAIL] = " ON DUPLICATE KEY UPDATE " ADD_COUNTERS,                         \
	}

/* The parts of S_FINISH and S_TOUCH that depend on the update. */
static const char set_kernel[] = ", kernel_id = #";
static const char set_counts[] = ", packages = #, upgrades = #, security_upgrades = #";
static const char move_counts[] = ", packages = packages + # - #, upgrades = upgrades + # - #,"
                                  " security_upgrades = security_upgrades + # - #";
static const char where_id[] = " WHERE id = #";

static const char *const stmts[DM_KIND__MAX][S__MAX] = {
    [DM_KIND_HOST] = STMTS(
        "host", "host_package", "host_id",
        "INSERT INTO host (name, os_id, kernel_id, created, modified)"
        " VALUES (?, #, #, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
        "hosts, host_upgrades, host_security",
        "hosts = hosts + VALUES(hosts), host_upgrades = host_upgrades + VALUES(host_upgrades),"
        " host_security = host_security + VALUES(host_security)"),
    [DM_KIND_IMAGE] = STMTS("image", "image_package", "image_id",
                            "INSERT INTO image (name, os_id, created, modified)"
                            " VALUES (?, #, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
                            "images, image_upgrades, image_security",
                            "images = images + VALUES(images),"
                            " image_upgrades = image_upgrades + VALUES(image_upgrades),"
                            " image_security = image_security + VALUES(image_security)"),
};

/* A package row the host or image has now. */
struct row {
	const char *name;
	const char *version;
	const char *up_version; /* NULL: no upgrade */
	const char *source;     /* only when the OS changes */
	const char *up_source;
	unsigned long long package_id;
	unsigned long long pv_id;
	unsigned long long upv_id; /* 0: no upgrade */
	int security;
};

enum change { CH_NONE, CH_UPSERT, CH_DELETE };

/* What one package name of the update ends as. */
struct slot {
	const char *name;
	const struct row *cur; /* NULL: not installed now */
	int present;           /* installed after the update */
	const char *version;
	const char *source;
	const char *up_version; /* NULL: no upgrade */
	const char *up_source;
	int security;
	enum change change;
	unsigned long long package_id;
	unsigned long long pv_id;
	unsigned long long upv_id;
};

struct counts {
	unsigned long long packages, upgrades, security;
};

struct ingest {
	MYSQL *db;
	enum dm_kind kind;
	const struct dm_payload *p;
	const char *const *st;
	struct dm_sql q;
	char now[24];
	unsigned long long os_id, kernel_id, id, old_os_id;
	char digest[33];     /* of a full payload; "" for other updates */
	char old_digest[33]; /* the one stored with the host or image */
	int is_new;          /* the host or image did not exist */
	int whole;           /* every current row was read, not only those the payload names */
	struct row *rows;
	size_t n_rows;
	struct slot *slots;
	size_t n_slots;
	MYSQL_RES *res[MAX_RESULTS];
	size_t n_res;
	struct dm_idmap pkgs, pvs, srcs, spvs;
};

static unsigned long long
num(const char *s)
{
	return s ? strtoull(s, NULL, 10) : 0;
}

/* Keeps a result alive until the attempt ends: the maps point into its rows. */
static MYSQL_RES *
keep(struct ingest *ig, MYSQL_RES *res)
{
	if (res == NULL)
		return NULL;
	if (ig->n_res == MAX_RESULTS) {
		mysql_free_result(res);
		return NULL;
	}
	return ig->res[ig->n_res++] = res;
}

/* The one id a single-row query answers: 0 when no row, -1 (as all ones) on error. */
static int
query_id(struct ingest *ig, unsigned long long *id)
{
	MYSQL_RES *res = dm_sql_query(&ig->q);
	MYSQL_ROW row;

	if (res == NULL)
		return -1;
	row = mysql_fetch_row(res);
	*id = row ? num(row[0]) : 0;
	mysql_free_result(res);
	return 0;
}

/* OS rows are read without a lock; only a new name is inserted, uniqueness by key. */
static int
resolve_os(struct ingest *ig)
{
	dm_sql_start(&ig->q, ig->st[S_OS_GET], ig->p->os);
	if (query_id(ig, &ig->os_id) == -1)
		return -1;
	if (ig->os_id != 0)
		return 0;
	dm_sql_start(&ig->q, ig->st[S_OS_ADD], ig->p->os);
	if (dm_sql_exec(&ig->q) == -1)
		return -1;
	ig->os_id = mysql_insert_id(ig->db);
	return 0;
}

static int
resolve_kernel(struct ingest *ig)
{
	if (ig->p->kernel == NULL)
		return 0;
	dm_sql_start(&ig->q, ig->st[S_KERNEL_GET], ig->os_id, ig->p->kernel);
	if (query_id(ig, &ig->kernel_id) == -1)
		return -1;
	if (ig->kernel_id != 0)
		return 0;
	dm_sql_start(&ig->q, ig->st[S_KERNEL_ADD], ig->os_id, ig->p->kernel);
	if (dm_sql_exec(&ig->q) == -1)
		return -1;
	ig->kernel_id = mysql_insert_id(ig->db);
	return 0;
}

static int
read_entity(struct ingest *ig)
{
	MYSQL_RES *res = dm_sql_query(&ig->q);
	MYSQL_ROW row;

	if (res == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL) {
		ig->old_os_id = num(row[0]);
		snprintf(ig->old_digest, sizeof(ig->old_digest), "%s", row[1] ? row[1] : "");
	}
	mysql_free_result(res);
	return 0;
}

/*
 * Creates the host (or image) or locks its row: a second update of the same one waits
 * here until the first commits, instead of deadlocking later.
 */
static int
lock_entity(struct ingest *ig)
{
	const struct dm_payload *p = ig->p;

	if (ig->kind == DM_KIND_HOST)
		dm_sql_start(&ig->q, ig->st[S_LOCK], p->name, ig->os_id, ig->kernel_id, ig->now,
		             ig->now);
	else
		dm_sql_start(&ig->q, ig->st[S_LOCK], p->name, ig->os_id, ig->now, ig->now);
	if (dm_sql_exec(&ig->q) == -1)
		return -1;
	ig->id = mysql_insert_id(ig->db);
	ig->is_new = mysql_affected_rows(ig->db) == 1;
	ig->old_os_id = ig->os_id;
	if (ig->is_new)
		return 0;
	dm_sql_start(&ig->q, ig->st[S_ENTITY_OS], ig->id);
	return read_entity(ig);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts names and drops repeats; returns how many remain. */
static size_t
sort_unique(const char **v, size_t n)
{
	size_t i, out = 0;

	qsort(v, n, sizeof(*v), str_cmp);
	for (i = 0; i < n; i++)
		if (out == 0 || strcmp(v[out - 1], v[i]) != 0)
			v[out++] = v[i];
	return out;
}

/* Appends "'a', 'b', ..." for n strings taken every stride bytes from first. */
static void
add_list(struct dm_sql *q, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			dm_sql_raw(q, ", ");
		dm_sql_str(q, v[i]);
	}
}

/* Every package name the payload mentions, sorted and unique; *n gets the count. */
static const char **
payload_names(const struct dm_payload *p, size_t *n)
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
	*n = sort_unique(v, k);
	return v;
}

static int
add_rows(struct ingest *ig, MYSQL_RES *res, int with_sources)
{
	struct row *r;
	MYSQL_ROW f;
	size_t n = ig->n_rows + mysql_num_rows(res);

	if ((r = realloc(ig->rows, (n + 1) * sizeof(*r))) == NULL)
		return -1;
	ig->rows = r;
	while ((f = mysql_fetch_row(res)) != NULL) {
		r = &ig->rows[ig->n_rows++];
		memset(r, 0, sizeof(*r));
		r->name = f[0];
		r->package_id = num(f[1]);
		r->version = f[2];
		r->pv_id = num(f[3]);
		r->upv_id = num(f[5]);
		r->up_version = r->upv_id ? f[4] : NULL;
		r->security = r->up_version && num(f[6]) == 1;
		if (with_sources) {
			r->source = f[7];
			r->up_source = f[8];
		}
	}
	return 0;
}

/*
 * Reads the rows the update can change: all of them for a full update or a new OS,
 * else only those of the names the payload mentions.
 */
static int
read_rows(struct ingest *ig, const char **names, size_t n)
{
	int moved = ig->old_os_id != ig->os_id;
	MYSQL_RES *res;
	size_t i;

	ig->whole = ig->p->type == DM_UPDATE_FULL || moved;
	if (ig->is_new)
		return 0;
	if (ig->whole) {
		dm_sql_start(&ig->q, ig->st[moved ? S_ROWS_SOURCES : S_ROWS], ig->id);
		if ((res = keep(ig, dm_sql_query(&ig->q))) == NULL)
			return -1;
		return add_rows(ig, res, moved);
	}
	for (i = 0; i < n; i += CHUNK) {
		dm_sql_start(&ig->q, ig->st[S_ROWS_NAMED], ig->id);
		add_list(&ig->q, names + i, n - i < CHUNK ? n - i : CHUNK);
		dm_sql_raw(&ig->q, ")");
		if ((res = keep(ig, dm_sql_query(&ig->q))) == NULL || add_rows(ig, res, 0) == -1)
			return -1;
	}
	return 0;
}

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

static int
slot_cmp(const void *a, const void *b)
{
	return strcmp(((const struct slot *)a)->name, ((const struct slot *)b)->name);
}

static struct slot *
find_slot(struct ingest *ig, const char *name)
{
	struct slot key = {.name = name};

	return bsearch(&key, ig->slots, ig->n_slots, sizeof(key), slot_cmp);
}

/* One slot per name the rows or the payload mention, starting as the row is now. */
static int
build_slots(struct ingest *ig, const char **names, size_t n)
{
	const char **all;
	struct row key, *cur;
	size_t i, k = 0;

	if ((all = calloc(n + ig->n_rows + 1, sizeof(*all))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		all[k++] = names[i];
	for (i = 0; i < ig->n_rows; i++)
		all[k++] = ig->rows[i].name;
	k = sort_unique(all, k);
	if (ig->n_rows > 0)
		qsort(ig->rows, ig->n_rows, sizeof(*ig->rows), row_cmp);
	if ((ig->slots = calloc(k + 1, sizeof(*ig->slots))) == NULL) {
		free(all);
		return -1;
	}
	for (i = 0; i < k; i++) {
		struct slot *s = &ig->slots[i];

		key.name = s->name = all[i];
		cur = ig->n_rows ? bsearch(&key, ig->rows, ig->n_rows, sizeof(key), row_cmp) : NULL;
		s->cur = cur;
		if (cur == NULL)
			continue;
		s->present = 1;
		s->version = cur->version;
		s->source = cur->source;
		s->up_version = cur->up_version;
		s->up_source = cur->up_source;
		s->security = cur->security;
	}
	ig->n_slots = k;
	free(all);
	return 0;
}

static void
set_installed(struct slot *s, const struct dm_pkg *e)
{
	s->present = 1;
	/* A new version invalidates what the old one could be upgraded to. */
	if (s->cur == NULL || s->version == NULL || strcmp(s->version, e->version) != 0) {
		s->version = e->version;
		s->source = e->source;
		s->up_version = s->up_source = NULL;
		s->security = 0;
	}
}

static void
set_upgradable(struct slot *s, const struct dm_upg *u)
{
	if (!s->present) {
		s->present = 1;
		s->version = u->version_from;
		s->source = u->source;
	}
	if (strcmp(u->version_to, s->version) == 0) {
		s->up_version = s->up_source = NULL;
		s->security = 0;
	} else {
		s->up_version = u->version_to;
		s->up_source = u->source;
		s->security = u->security;
	}
}

/* The semantics of SPEC section 3, applied to the slots in memory. */
static void
apply_payload(struct ingest *ig)
{
	const struct dm_payload *p = ig->p;
	struct slot *s;
	size_t i;

	if (p->type == DM_UPDATE_FULL)
		for (i = 0; i < ig->n_slots; i++) {
			s = &ig->slots[i];
			s->present = 0;
			s->up_version = s->up_source = NULL;
			s->security = 0;
		}
	if (p->type != DM_UPDATE_UPGRADABLE) {
		for (i = 0; i < p->n_installed; i++)
			set_installed(find_slot(ig, p->installed[i].name), &p->installed[i]);
		for (i = 0; p->type == DM_UPDATE_DPKG_HOOK && i < p->n_uninstalled; i++)
			find_slot(ig, p->uninstalled[i].name)->present = 0;
	}
	for (i = 0; i < p->n_upgradable; i++)
		set_upgradable(find_slot(ig, p->upgradable[i].name), &p->upgradable[i]);
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Marks what must be written, and takes the ids that stay from the current rows. */
static void
plan_changes(struct ingest *ig)
{
	int moved = ig->old_os_id != ig->os_id;
	const struct row *c;
	struct slot *s;
	size_t i;

	for (i = 0; i < ig->n_slots; i++) {
		s = &ig->slots[i];
		c = s->cur;
		if (c != NULL && !s->present) {
			s->change = CH_DELETE;
			continue;
		}
		if (!s->present)
			continue;
		s->package_id = c ? c->package_id : 0;
		s->pv_id = c && !moved && strcmp(c->version, s->version) == 0 ? c->pv_id : 0;
		s->upv_id = c && !moved && same(c->up_version, s->up_version) ? c->upv_id : 0;
		if (c == NULL || s->pv_id == 0 || (s->up_version && s->upv_id == 0) ||
		    !same(c->up_version, s->up_version) ||
		    (s->up_version && s->security != c->security))
			s->change = CH_UPSERT;
	}
}

/* A package version (or source version) whose id the update needs. */
struct need {
	const char *name;
	const char *version;
	const char *source;
	unsigned long long *id;
};

static int
need_cmp(const void *a, const void *b)
{
	const struct need *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->version, y->version);
}

enum lookup {
	L_PV, /* package_version by (package name, version) */
	L_SPV /* source_package_version by (source name, version) */
};

static int
add_found(struct ingest *ig, MYSQL_RES *res, enum lookup which)
{
	struct dm_idmap *names = which == L_PV ? &ig->pkgs : &ig->srcs;
	struct dm_idmap *pairs = which == L_PV ? &ig->pvs : &ig->spvs;
	MYSQL_ROW f;

	while ((f = mysql_fetch_row(res)) != NULL) {
		if (dm_idmap_add(names, f[0], NULL, num(f[1])) == -1)
			return -1;
		if (f[2] != NULL && dm_idmap_add(pairs, f[0], f[2], num(f[3])) == -1)
			return -1;
	}
	return 0;
}

/* One query per chunk of needs: the versions of their names that exist on the OS. */
static int
find(struct ingest *ig, enum lookup which, const struct need *v, size_t n)
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
			names[k] = which == L_PV ? v[i + k].name : v[i + k].source;
			versions[k] = v[i + k].version;
		}
		dm_sql_start(&ig->q, ig->st[which == L_PV ? S_PV_FIND : S_SPV_FIND], ig->os_id);
		add_list(&ig->q, versions, sort_unique(versions, len));
		dm_sql_raw(&ig->q, ig->st[which == L_PV ? S_PV_FIND_NAMES : S_SPV_FIND_NAMES]);
		add_list(&ig->q, names, sort_unique(names, len));
		dm_sql_raw(&ig->q, ")");
		if ((res = keep(ig, dm_sql_query(&ig->q))) == NULL ||
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
insert_names(struct ingest *ig, enum stmt st, const char **names, size_t n)
{
	size_t i;

	n = sort_unique(names, n);
	for (i = 0; i < n; i++) {
		if (i % CHUNK == 0)
			dm_sql_start(&ig->q, ig->st[st]);
		else
			dm_sql_raw(&ig->q, ", ");
		dm_sql_raw(&ig->q, "(");
		dm_sql_str(&ig->q, names[i]);
		dm_sql_raw(&ig->q, ")");
		if ((i + 1) % CHUNK == 0 || i + 1 == n) {
			dm_sql_raw(&ig->q, ig->st[S_ADD_TAIL]);
			if (dm_sql_exec(&ig->q) == -1)
				return -1;
		}
	}
	return 0;
}

static int
need_source_cmp(const void *a, const void *b)
{
	const struct need *x = a, *y = b;
	int c = strcmp(x->source, y->source);

	return c ? c : strcmp(x->version, y->version);
}

/* Appends one VALUES tuple for a missing version row; 1 when a parent id is unknown. */
static int
version_tuple(struct ingest *ig, enum lookup which, const struct need *nd)
{
	unsigned long long parent, spv = 0;

	parent = dm_idmap_get(which == L_PV ? &ig->pkgs : &ig->srcs,
	                      which == L_PV ? nd->name : nd->source, NULL);
	if (which == L_PV)
		spv = dm_idmap_get(&ig->spvs, nd->source, nd->version);
	if (parent == 0 || (which == L_PV && spv == 0))
		return 1;
	dm_sql_raw(&ig->q, "(");
	dm_sql_uint(&ig->q, parent);
	dm_sql_raw(&ig->q, ", ");
	dm_sql_uint(&ig->q, ig->os_id);
	dm_sql_raw(&ig->q, ", ");
	dm_sql_str(&ig->q, nd->version);
	if (which == L_PV) {
		dm_sql_raw(&ig->q, ", ");
		dm_sql_uint(&ig->q, spv);
	}
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
insert_versions(struct ingest *ig, enum lookup which, struct need *v, size_t n)
{
	struct dm_idmap *pairs = which == L_PV ? &ig->pvs : &ig->spvs;
	const char *key, *prev = NULL, *prev_version = NULL;
	size_t i, rows = 0;

	qsort(v, n, sizeof(*v), which == L_PV ? need_cmp : need_source_cmp);
	for (i = 0; i < n; i++) {
		key = which == L_PV ? v[i].name : v[i].source;
		if (dm_idmap_get(pairs, key, v[i].version) != 0 ||
		    (prev && strcmp(prev, key) == 0 && strcmp(prev_version, v[i].version) == 0))
			continue;
		prev = key;
		prev_version = v[i].version;
		if (rows % CHUNK == 0)
			dm_sql_start(&ig->q, ig->st[which == L_PV ? S_PV_ADD : S_SPV_ADD]);
		else
			dm_sql_raw(&ig->q, ", ");
		if (version_tuple(ig, which, &v[i]) != 0)
			return DM_TXN_RETRY;
		if (++rows % CHUNK == 0 &&
		    (dm_sql_raw(&ig->q, ig->st[S_ADD_TAIL]), dm_sql_exec(&ig->q) == -1))
			return -1;
	}
	if (rows % CHUNK == 0)
		return 0;
	dm_sql_raw(&ig->q, ig->st[S_ADD_TAIL]);
	return dm_sql_exec(&ig->q);
}

/* Inserts the package (or source) names of v that the maps do not know, then finds them. */
static int
insert_missing_names(struct ingest *ig, enum lookup which, struct need *v, size_t n)
{
	struct dm_idmap *map = which == L_PV ? &ig->pkgs : &ig->srcs;
	const char **names, *key;
	size_t i, k = 0;
	int rc = 0;

	if ((names = calloc(n + 1, sizeof(*names))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		key = which == L_PV ? v[i].name : v[i].source;
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
create_versions(struct ingest *ig, struct need *v, size_t n)
{
	int rc;

	if ((rc = insert_missing_names(ig, L_PV, v, n)) != 0 || (rc = find(ig, L_SPV, v, n)) != 0 ||
	    (rc = insert_missing_names(ig, L_SPV, v, n)) != 0 ||
	    (rc = insert_versions(ig, L_SPV, v, n)) != 0 || (rc = find(ig, L_SPV, v, n)) != 0 ||
	    (rc = insert_versions(ig, L_PV, v, n)) != 0)
		return rc;
	return find(ig, L_PV, v, n);
}

static struct need *
collect_needs(struct ingest *ig, size_t *n)
{
	struct need *v = calloc(2 * ig->n_slots + 1, sizeof(*v));
	struct slot *s;
	size_t i, k = 0;

	for (i = 0; v != NULL && i < ig->n_slots; i++) {
		s = &ig->slots[i];
		if (s->change != CH_UPSERT)
			continue;
		if (s->pv_id == 0)
			v[k++] = (struct need){s->name, s->version, s->source, &s->pv_id};
		if (s->up_version != NULL && s->upv_id == 0)
			v[k++] = (struct need){s->name, s->up_version, s->up_source, &s->upv_id};
	}
	*n = k;
	return v;
}

/* Gives every row to write its ids: one query when all versions exist, a few more if not. */
static int
resolve(struct ingest *ig)
{
	struct need *v, *missing;
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
	if (rc == 0 && m > 0)
		rc = create_versions(ig, missing, m);
	for (i = 0; rc == 0 && i < n; i++)
		if ((*v[i].id = dm_idmap_get(&ig->pvs, v[i].name, v[i].version)) == 0)
			rc = DM_TXN_RETRY; /* deleted under us (debmonitor-gc): start again */
	for (i = 0; rc == 0 && i < ig->n_slots; i++)
		if (ig->slots[i].change == CH_UPSERT && ig->slots[i].package_id == 0 &&
		    (ig->slots[i].package_id = dm_idmap_get(&ig->pkgs, ig->slots[i].name, NULL)) ==
		        0)
			rc = DM_TXN_RETRY;
	free(missing);
	free(v);
	return rc;
}

static void
upsert_tuple(struct ingest *ig, const struct slot *s)
{
	struct dm_sql *q = &ig->q;

	dm_sql_raw(q, "(");
	dm_sql_uint(q, ig->id);
	dm_sql_raw(q, ", ");
	dm_sql_uint(q, s->package_id);
	dm_sql_raw(q, ", ");
	dm_sql_uint(q, s->pv_id);
	dm_sql_raw(q, ", ");
	if (s->up_version != NULL)
		dm_sql_uint(q, s->upv_id);
	else
		dm_sql_raw(q, "NULL");
	dm_sql_raw(q, s->up_version && s->security ? ", 1, " : ", 0, ");
	dm_sql_str(q, ig->now);
	dm_sql_raw(q, ", ");
	dm_sql_str(q, ig->now);
	dm_sql_raw(q, ")");
}

/* Runs the statement for one chunk of rows: an upsert of their values or a delete of them. */
static int
write_chunk(struct ingest *ig, enum change which, struct slot *const *v, size_t n)
{
	size_t i;

	if (which == CH_UPSERT)
		dm_sql_start(&ig->q, ig->st[S_UPSERT]);
	else
		dm_sql_start(&ig->q, ig->st[S_DELETE], ig->id);
	for (i = 0; i < n; i++) {
		if (i > 0)
			dm_sql_raw(&ig->q, ", ");
		if (which == CH_UPSERT)
			upsert_tuple(ig, v[i]);
		else
			dm_sql_uint(&ig->q, v[i]->cur->package_id);
	}
	dm_sql_raw(&ig->q, which == CH_UPSERT ? ig->st[S_UPSERT_TAIL] : ")");
	return dm_sql_exec(&ig->q);
}

/* Writes the rows marked which, CHUNK rows per statement. */
static int
write_rows(struct ingest *ig, enum change which)
{
	struct slot **v;
	size_t i, n = 0;
	int rc = 0;

	if ((v = calloc(ig->n_slots + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < ig->n_slots; i++)
		if (ig->slots[i].change == which)
			v[n++] = &ig->slots[i];
	for (i = 0; rc == 0 && i < n; i += CHUNK)
		rc = write_chunk(ig, which, v + i, n - i < CHUNK ? n - i : CHUNK);
	free(v);
	return rc;
}

/* Rows per statement of package_stats, and the slots its counts are spread over. */
#define STATS_SLOTS 8

/* What one update changes in one package's counts. */
struct delta {
	unsigned long long package_id;
	int installed, upgrades, security;
};

static int
delta_cmp(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;

	return x->package_id < y->package_id ? -1 : x->package_id > y->package_id;
}

static void
stats_tuple(struct ingest *ig, const struct delta *d, int slot)
{
	char t[96];

	snprintf(t, sizeof(t), "(%llu, %d, %d, %d, %d)", d->package_id, slot, d->installed,
	         d->upgrades, d->security);
	dm_sql_raw(&ig->q, t);
}

/* Collects the changes of installs, upgrades and security upgrades per package. */
static size_t
collect_deltas(const struct ingest *ig, struct delta *v)
{
	const struct slot *s;
	const struct row *c;
	struct delta d;
	size_t i, n = 0;

	for (i = 0; i < ig->n_slots; i++) {
		s = &ig->slots[i];
		c = s->cur;
		d.package_id = c ? c->package_id : s->package_id;
		d.installed = s->present - (c != NULL);
		d.upgrades = (s->present && s->up_version) - (c && c->up_version);
		d.security = (s->present && s->up_version && s->security) -
		             (c && c->up_version && c->security);
		if (d.installed || d.upgrades || d.security)
			v[n++] = d;
	}
	return n;
}

/*
 * Adds this update's changes to the package counts, in package order (so concurrent
 * updates never wait on each other in a cycle), into one slot picked per update.
 */
static int
write_stats(struct ingest *ig)
{
	int slot = (int)((unsigned long long)getpid() % STATS_SLOTS);
	struct delta *v = calloc(ig->n_slots + 1, sizeof(*v));
	size_t i, n;
	int rc = 0;

	if (v == NULL)
		return -1;
	n = collect_deltas(ig, v);
	qsort(v, n, sizeof(*v), delta_cmp);
	for (i = 0; rc == 0 && i < n; i++) {
		if (i % CHUNK == 0)
			dm_sql_start(&ig->q, ig->st[S_STATS]);
		else
			dm_sql_raw(&ig->q, ", ");
		stats_tuple(ig, &v[i], slot);
		if ((i + 1) % CHUNK == 0 || i + 1 == n) {
			dm_sql_raw(&ig->q, ig->st[S_STATS_TAIL]);
			rc = dm_sql_exec(&ig->q);
		}
	}
	free(v);
	return rc;
}

static void
count_rows(const struct ingest *ig, struct counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ig->n_rows; i++) {
		c->packages++;
		c->upgrades += ig->rows[i].up_version != NULL;
		c->security += ig->rows[i].up_version != NULL && ig->rows[i].security;
	}
}

static void
count_slots(const struct ingest *ig, struct counts *c)
{
	const struct slot *s;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ig->n_slots; i++) {
		s = &ig->slots[i];
		if (!s->present)
			continue;
		c->packages++;
		c->upgrades += s->up_version != NULL;
		c->security += s->up_version != NULL && s->security;
	}
}

/*
 * Refreshes OS, kernel and modified time and the counts the lists show: absolute when
 * every row was read, else moved by what this update changed. The digest of a full
 * report is kept; any other update forgets it.
 */
static int
finish(struct ingest *ig)
{
	struct counts b, a;

	count_rows(ig, &b);
	count_slots(ig, &a);
	dm_sql_start(&ig->q, ig->st[S_FINISH], ig->now, ig->os_id,
	             ig->digest[0] ? ig->digest : NULL);
	if (ig->kind == DM_KIND_HOST)
		dm_sql_add(&ig->q, set_kernel, ig->kernel_id);
	if (ig->whole)
		dm_sql_add(&ig->q, set_counts, a.packages, a.upgrades, a.security);
	else
		dm_sql_add(&ig->q, move_counts, a.packages, b.packages, a.upgrades, b.upgrades,
		           a.security, b.security);
	dm_sql_add(&ig->q, where_id, ig->id);
	return dm_sql_exec(&ig->q);
}

/* A full report identical to the last one applied: only the times and the kernel change. */
static int
touch(struct ingest *ig)
{
	dm_sql_start(&ig->q, ig->st[S_TOUCH], ig->now);
	if (ig->kind == DM_KIND_HOST)
		dm_sql_add(&ig->q, set_kernel, ig->kernel_id);
	dm_sql_add(&ig->q, where_id, ig->id);
	return dm_sql_exec(&ig->q);
}

/* Frees what one attempt built, so a retried transaction starts from nothing. */
static void
reset(struct ingest *ig)
{
	size_t i;

	for (i = 0; i < ig->n_res; i++)
		mysql_free_result(ig->res[i]);
	ig->n_res = 0;
	free(ig->rows);
	free(ig->slots);
	ig->rows = NULL;
	ig->slots = NULL;
	ig->n_rows = ig->n_slots = 0;
	dm_idmap_free(&ig->pkgs);
	dm_idmap_free(&ig->pvs);
	dm_idmap_free(&ig->srcs);
	dm_idmap_free(&ig->spvs);
}

/* A full report with the digest of the last one applied, on the same OS. */
static int
unchanged(const struct ingest *ig)
{
	return !ig->is_new && ig->old_os_id == ig->os_id && ig->digest[0] != '\0' &&
	       strcmp(ig->digest, ig->old_digest) == 0;
}

/* The transaction body: dm_db_txn runs it again after a deadlock. */
static int
apply(MYSQL *db, void *arg)
{
	struct ingest *ig = arg;
	const char **names;
	size_t n = 0;
	int rc = -1;

	(void)db;
	reset(ig);
	if ((names = payload_names(ig->p, &n)) == NULL)
		return -1;
	if (resolve_os(ig) == -1 || resolve_kernel(ig) == -1 || lock_entity(ig) == -1)
		goto out;
	if (unchanged(ig)) {
		rc = touch(ig);
	} else if (read_rows(ig, names, n) == 0 && build_slots(ig, names, n) == 0) {
		apply_payload(ig);
		plan_changes(ig);
		if ((rc = resolve(ig)) == 0 && (rc = write_rows(ig, CH_UPSERT)) == 0 &&
		    (rc = write_rows(ig, CH_DELETE)) == 0 && (rc = write_stats(ig)) == 0)
			rc = finish(ig);
	}
out:
	free(names);
	return rc;
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
 * What a full report says, as 128 bits that do not depend on the order of its entries:
 * the sum of each entry's hash. A host can only make its own report collide.
 */
static void
payload_digest(const struct dm_payload *p, char out[33])
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
	for (i = 0; i < p->n_upgradable; i++) {
		f[0] = "u", f[1] = p->upgradable[i].name, f[2] = p->upgradable[i].version_from;
		f[3] = p->upgradable[i].version_to, f[4] = p->upgradable[i].source;
		f[5] = p->upgradable[i].security ? "s" : "";
		digest_add(sum, f, 6);
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)sum[0], (unsigned long long)sum[1]);
}

int
dm_ingest(MYSQL *db, enum dm_kind kind, const struct dm_payload *p, char *err, size_t errlen)
{
	struct ingest ig;
	struct tm tm;
	time_t t = time(NULL);
	int status;

	memset(&ig, 0, sizeof(ig));
	ig.db = db;
	ig.kind = kind;
	ig.p = p;
	ig.st = stmts[kind];
	dm_sql_init(&ig.q, db);
	if (p->type == DM_UPDATE_FULL)
		payload_digest(p, ig.digest);
	gmtime_r(&t, &tm);
	strftime(ig.now, sizeof(ig.now), "%Y-%m-%d %H:%M:%S", &tm);
	status = dm_db_txn(db, apply, &ig, err, errlen);
	reset(&ig);
	dm_sql_free(&ig.q);
	return status;
}
