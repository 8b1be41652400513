/* ingest.c: one update applied in one transaction: the host (or image) locked, its rows read,
 * the plan worked out, then resolve.c and write.c. */
#include "ingest/ingest.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/name.h"
#include "core/version.h"
#include "db/db.h"
#include "ingest/internal.h"

#define CHUNK DM_INGEST_CHUNK
/*
 * Attempts that create what they miss between attempts; the last creates it inside its
 * transaction, since debmonitor-gc may remove an unused version between two attempts.
 */
#define CREATE_ROUNDS 3

enum stmt {
	S_OS_GET,
	S_OS_ADD,
	S_KERNEL_GET,
	S_KERNEL_ADD,
	S_KERNEL_ADD_TAIL,
	S_FIND,
	S_CREATE,
	S_ENTITY_OS,
	S_ROWS,
	S_ROWS_SOURCES,
	S_ROWS_NAMED,
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
/* What a row's version ids are made from again on a new OS: its sources and their versions. */
#define SOURCE_COLS ", sp.name, usp.name, spv.version, uspv.version"
#define SOURCE_JOINS                                                                               \
	" JOIN source_package_version spv ON spv.id = pv.source_package_version_id"                \
	" JOIN source_package sp ON sp.id = spv.source_package_id"                                 \
	" LEFT JOIN source_package_version uspv ON uspv.id = uv.source_package_version_id"         \
	" LEFT JOIN source_package usp ON usp.id = uspv.source_package_id"

/* Both kinds share every statement but the ones naming their own tables. */
#define STMTS(ENTITY, PKGS, FK, CREATE)                                                            \
	{                                                                                          \
		[S_OS_GET] = "SELECT id FROM os WHERE name = ?",                                   \
		[S_OS_ADD] = "INSERT INTO os (name) VALUES (?)"                                    \
		             " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",                   \
		[S_KERNEL_GET] = "SELECT id FROM kernel_version WHERE os_id = # AND name = ?",     \
		[S_KERNEL_ADD] = "INSERT INTO kernel_version (os_id, name, version, version_key)"  \
		                 " VALUES (#, ?, ?, ",                                             \
		[S_KERNEL_ADD_TAIL] = ") ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",         \
		[S_FIND] = "SELECT id FROM " ENTITY " WHERE name = ?", [S_CREATE] = CREATE,        \
		[S_ENTITY_OS] =                                                                    \
		    "SELECT os_id, full_digest FROM " ENTITY " WHERE id = # FOR UPDATE",           \
		[S_ROWS] = ROW_COLS " FROM " PKGS " e" ROW_JOINS " WHERE e." FK " = #",            \
		[S_ROWS_SOURCES] = ROW_COLS SOURCE_COLS " FROM " PKGS " e" ROW_JOINS SOURCE_JOINS  \
		                                        " WHERE e." FK " = #",                     \
		[S_ROWS_NAMED] =                                                                   \
		    ROW_COLS " FROM " PKGS " e" ROW_JOINS " WHERE e." FK " = # AND p.name IN (",   \
	}

static const char *const stmts[DM_KIND__MAX][S__MAX] = {
    [DM_KIND_HOST] =
        STMTS("host", "host_package", "host_id",
              "INSERT INTO host (name, os_id, kernel_id, created, modified)"
              " VALUES (?, #, #, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)"),
    [DM_KIND_IMAGE] = STMTS("image", "image_package", "image_id",
                            "INSERT INTO image (name, os_id, created, modified)"
                            " VALUES (?, #, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)"),
};

/* The one id a single-row query answers: 0 when no row, -1 (as all ones) on error. */
static int
query_id(struct dm_ingest *ig, unsigned long long *id)
{
	MYSQL_RES *res = dm_sql_query(&ig->q);
	MYSQL_ROW row;

	if (res == NULL)
		return -1;
	row = mysql_fetch_row(res);
	*id = row ? dm_ingest_num(row[0]) : 0;
	mysql_free_result(res);
	return 0;
}

/*
 * OS rows are read without a lock; only a new name is inserted, uniqueness by key. Outside
 * a transaction the new row is committed at once, so that hosts bringing the same new OS
 * do not wait for each other's updates.
 */
static int
resolve_os(struct dm_ingest *ig)
{
	dm_sql_start(&ig->q, stmts[ig->kind][S_OS_GET], ig->p->os);
	if (query_id(ig, &ig->os_id) == -1)
		return -1;
	if (ig->os_id != 0)
		return 0;
	dm_sql_start(&ig->q, stmts[ig->kind][S_OS_ADD], ig->p->os);
	if (dm_sql_exec(&ig->q) == -1)
		return -1;
	ig->os_id = mysql_insert_id(ig->db);
	return 0;
}

/*
 * A new kernel row comes with the Debian version its name carries and that version's sort
 * key ("" and NULL when it names none, as Ubuntu's do), so that it can be compared.
 */
static int
resolve_kernel(struct dm_ingest *ig)
{
	char version[DM_NAME_MAX + 1];

	if (ig->p->kernel == NULL)
		return 0;
	dm_sql_start(&ig->q, stmts[ig->kind][S_KERNEL_GET], ig->os_id, ig->p->kernel);
	if (query_id(ig, &ig->kernel_id) == -1)
		return -1;
	if (ig->kernel_id != 0)
		return 0;
	dm_version_from_uname(ig->p->kernel, version, sizeof(version));
	dm_sql_start(&ig->q, stmts[ig->kind][S_KERNEL_ADD], ig->os_id, ig->p->kernel, version);
	if (version[0] != '\0')
		dm_sql_version_key(&ig->q, version);
	else
		dm_sql_raw(&ig->q, "NULL");
	dm_sql_raw(&ig->q, stmts[ig->kind][S_KERNEL_ADD_TAIL]);
	if (dm_sql_exec(&ig->q) == -1)
		return -1;
	ig->kernel_id = mysql_insert_id(ig->db);
	return 0;
}

static int
read_entity(struct dm_ingest *ig)
{
	MYSQL_RES *res = dm_sql_query(&ig->q);
	MYSQL_ROW row;

	if (res == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL) {
		ig->old_os_id = dm_ingest_num(row[0]);
		snprintf(ig->old_digest, sizeof(ig->old_digest), "%s", row[1] ? row[1] : "");
	}
	mysql_free_result(res);
	/* Deleted between the lookup and the lock (DELETE, debmonitor-gc): start again. */
	return row != NULL ? 0 : DM_TXN_RETRY;
}

/*
 * Locks the host's (or image's) row, or creates it: a second update of the same one waits
 * here until the first commits, instead of deadlocking later.
 */
static int
lock_entity(struct dm_ingest *ig)
{
	const struct dm_payload *p = ig->p;

	ig->old_os_id = ig->os_id;
	ig->is_new = 0;
	/*
	 * Looked up first, without a lock: an INSERT of a name that exists takes an
	 * AUTO_INCREMENT id all the same, one per update, and a locking read of a name that
	 * does not exist locks the gap other new names go into.
	 */
	dm_sql_start(&ig->q, stmts[ig->kind][S_FIND], p->name);
	if (query_id(ig, &ig->id) == -1)
		return -1;
	if (ig->id == 0) {
		if (ig->kind == DM_KIND_HOST)
			dm_sql_start(&ig->q, stmts[ig->kind][S_CREATE], p->name, ig->os_id,
			             ig->kernel_id, ig->now, ig->now);
		else
			dm_sql_start(&ig->q, stmts[ig->kind][S_CREATE], p->name, ig->os_id, ig->now,
			             ig->now);
		if (dm_sql_exec(&ig->q) == -1)
			return -1;
		ig->id = mysql_insert_id(ig->db);
		/* 0 rows: another update created it meanwhile, and it is locked now. */
		if ((ig->is_new = mysql_affected_rows(ig->db) == 1))
			return 0;
	}
	dm_sql_start(&ig->q, stmts[ig->kind][S_ENTITY_OS], ig->id);
	return read_entity(ig);
}

static int
add_rows(struct dm_ingest *ig, MYSQL_RES *res, int with_sources)
{
	struct dm_plan *pl = &ig->plan;
	struct dm_row *r;
	MYSQL_ROW f;

	if (dm_plan_reserve(pl, mysql_num_rows(res)) == -1)
		return -1;
	while ((f = mysql_fetch_row(res)) != NULL) {
		r = &pl->rows[pl->n_rows++];
		memset(r, 0, sizeof(*r));
		r->name = f[0];
		r->package_id = dm_ingest_num(f[1]);
		r->version = f[2];
		r->pv_id = dm_ingest_num(f[3]);
		r->upv_id = dm_ingest_num(f[5]);
		r->up_version = r->upv_id ? f[4] : NULL;
		r->security = r->up_version && dm_ingest_num(f[6]) == DM_UPGRADE_SECURITY;
		if (with_sources) {
			r->source = f[7];
			r->up_source = f[8];
			r->source_version = f[9];
			r->up_source_version = f[10];
		}
	}
	return 0;
}

/*
 * Reads the rows the update can change: all of them for a full update or a new OS,
 * else only those of the names the payload mentions.
 */
static int
read_rows(struct dm_ingest *ig, const char **names, size_t n)
{
	int moved = ig->old_os_id != ig->os_id;
	MYSQL_RES *res;
	size_t i;

	ig->plan.moved = moved;
	ig->whole = ig->p->type == DM_UPDATE_FULL || moved;
	if (ig->is_new)
		return 0;
	if (ig->whole) {
		dm_sql_start(&ig->q, stmts[ig->kind][moved ? S_ROWS_SOURCES : S_ROWS], ig->id);
		if ((res = dm_results_keep(&ig->res, dm_sql_query(&ig->q))) == NULL)
			return -1;
		return add_rows(ig, res, moved);
	}
	for (i = 0; i < n; i += CHUNK) {
		dm_sql_start(&ig->q, stmts[ig->kind][S_ROWS_NAMED], ig->id);
		dm_sql_strs(&ig->q, names + i, n - i < CHUNK ? n - i : CHUNK);
		dm_sql_raw(&ig->q, ")");
		if ((res = dm_results_keep(&ig->res, dm_sql_query(&ig->q))) == NULL ||
		    add_rows(ig, res, 0) == -1)
			return -1;
	}
	return 0;
}

/* Frees what one attempt built, so a retried transaction starts from nothing. */
static void
reset(struct dm_ingest *ig)
{
	dm_results_clear(&ig->res);
	dm_plan_free(&ig->plan);
	dm_idmap_free(&ig->pkgs);
	dm_idmap_free(&ig->pvs);
	dm_idmap_free(&ig->srcs);
	dm_idmap_free(&ig->spvs);
}

/* A full report with the digest of the last one applied, on the same OS. */
static int
unchanged(const struct dm_ingest *ig)
{
	return !ig->is_new && ig->old_os_id == ig->os_id && ig->digest[0] != '\0' &&
	       strcmp(ig->digest, ig->old_digest) == 0;
}

/* The transaction body: dm_db_txn runs it again after a deadlock. */
static int
apply(MYSQL *db, void *arg)
{
	struct dm_ingest *ig = arg;
	const char **names;
	size_t n = 0;
	int rc = -1;

	(void)db;
	reset(ig);
	if ((names = dm_plan_names(ig->p, &n)) == NULL)
		return -1;
	if (resolve_os(ig) == -1 || resolve_kernel(ig) == -1 || (rc = lock_entity(ig)) != 0)
		goto out;
	rc = -1;
	if (unchanged(ig)) {
		rc = dm_ingest_touch(ig);
	} else if (read_rows(ig, names, n) == 0 && dm_plan_build(&ig->plan, names, n) == 0 &&
	           dm_plan_apply(&ig->plan, ig->p) == 0) {
		dm_plan_mark(&ig->plan);
		if ((rc = dm_ingest_resolve(ig)) == 0)
			rc = dm_ingest_write(ig);
	}
out:
	free(names);
	return rc;
}

/* A statement outside the transaction failed: the status and reason to answer. */
static int
failed(struct dm_ingest *ig, char *err, size_t errlen)
{
	if (mysql_errno(ig->db) == 0) {
		snprintf(err, errlen, "internal error: out of memory or statement too large");
		return 500;
	}
	snprintf(err, errlen, "database error: %s", mysql_error(ig->db));
	return dm_db_status(ig->db);
}

/*
 * Before the transaction: the OS and kernel rows, created if new, committed at once (the
 * transaction reads them again, in case debmonitor-gc removed them meanwhile).
 */
static int
prepare(struct dm_ingest *ig, char *err, size_t errlen)
{
	if (resolve_os(ig) == -1 || resolve_kernel(ig) == -1)
		return failed(ig, err, errlen);
	return 0;
}

int
dm_ingest(MYSQL *db, enum dm_kind kind, const struct dm_payload *p, char *err, size_t errlen)
{
	struct dm_ingest ig;
	struct tm tm;
	time_t t = time(NULL);
	int round, status;

	memset(&ig, 0, sizeof(ig));
	ig.db = db;
	ig.kind = kind;
	ig.p = p;
	ig.stats_slot = -1;
	dm_sql_init(&ig.q, db);
	if (p->type == DM_UPDATE_FULL)
		dm_plan_digest(p, ig.digest);
	gmtime_r(&t, &tm);
	strftime(ig.now, sizeof(ig.now), "%Y-%m-%d %H:%M:%S", &tm);
	status = prepare(&ig, err, errlen);
	for (round = 1; status == 0; round++) {
		ig.create_inside = round == CREATE_ROUNDS;
		if ((status = dm_db_txn(db, apply, &ig, err, errlen)) != DM_TXN_ABORT)
			break;
		/* A conflict leaves some missing: the next round finds and creates those. */
		status = 0;
		if (dm_ingest_create(&ig) != 0 && !dm_db_transient(db))
			status = failed(&ig, err, errlen);
	}
	reset(&ig);
	free(ig.missing);
	free(ig.relinks);
	dm_results_free(&ig.res);
	dm_sql_free(&ig.q);
	return status;
}
