/* kubernetes_update.c: POST /kubernetes/update: the images a cluster runs, per namespace. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi/authz.h"
#include "core/parse.h"
#include "db/db.h"
#include "db/idmap.h"
#include "db/sql.h"
#include "ingest/kube_payload.h"
#include "ingest/payload.h"
#include "web/json.h"

/* Rows per statement, as in the ingest. */
#define CHUNK 1000

enum stmt { S_FIND, S_UPSERT, S_UPSERT_TAIL, S_CURRENT, S_DELETE, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_FIND] = "SELECT name, id FROM image WHERE name IN (",
    [S_UPSERT] = "INSERT INTO kubernetes_image"
                 " (cluster, namespace, image_id, containers, created, modified) VALUES ",
    [S_UPSERT_TAIL] = " ON DUPLICATE KEY UPDATE containers = VALUES(containers),"
                      " modified = VALUES(modified)",
    [S_CURRENT] = "SELECT namespace, image_id FROM kubernetes_image WHERE cluster = ? FOR UPDATE",
    [S_DELETE] =
        "DELETE FROM kubernetes_image WHERE cluster = ? AND namespace = ? AND image_id IN (",
};

struct kube {
	struct dm_kube_payload p; /* the validated body */
	struct dm_sql q;
	struct dm_idmap ids;
	struct dm_results res; /* the map's names are in their rows */
	char now[24];
};

static void
reset(struct kube *k)
{
	dm_results_clear(&k->res);
	dm_idmap_free(&k->ids);
}

/* The ids of the images named, CHUNK names a query; rows of one image are consecutive. */
static int
find_ids(struct kube *k)
{
	MYSQL_RES *res;
	MYSQL_ROW r;
	size_t i = 0, names;

	while (i < k->p.n) {
		dm_sql_start(&k->q, stmts[S_FIND]);
		for (names = 0; i < k->p.n && names < CHUNK; i++) {
			if (i > 0 && k->p.rows[i].image == k->p.rows[i - 1].image)
				continue;
			dm_sql_add(&k->q, names++ ? ", ?" : "?", k->p.rows[i].image);
		}
		/* Shared locks: an image cannot be deleted before its rows are written. */
		dm_sql_raw(&k->q, ") LOCK IN SHARE MODE");
		if ((res = dm_results_keep(&k->res, dm_sql_query(&k->q))) == NULL)
			return -1;
		while ((r = mysql_fetch_row(res)) != NULL)
			if (dm_idmap_add(&k->ids, r[0], NULL, strtoull(r[1], NULL, 10)) == -1)
				return -1;
	}
	for (i = 0; i < k->p.n; i++)
		k->p.rows[i].image_id = dm_idmap_get(&k->ids, k->p.rows[i].image, NULL);
	return 0;
}

static int
upsert(struct kube *k)
{
	size_t i, rows = 0;
	struct dm_krow *r;

	for (i = 0; i < k->p.n; i++) {
		r = &k->p.rows[i];
		if (r->image_id == 0)
			continue;
		if (rows % CHUNK == 0)
			dm_sql_start(&k->q, stmts[S_UPSERT]);
		dm_sql_add(&k->q, rows % CHUNK ? ", (?, ?, #, #, ?, ?)" : "(?, ?, #, #, ?, ?)",
		           k->p.cluster, r->ns, r->image_id, r->containers, k->now, k->now);
		if (++rows % CHUNK == 0 &&
		    (dm_sql_raw(&k->q, stmts[S_UPSERT_TAIL]), dm_sql_exec(&k->q) == -1))
			return -1;
	}
	if (rows % CHUNK == 0)
		return 0;
	dm_sql_raw(&k->q, stmts[S_UPSERT_TAIL]);
	return dm_sql_exec(&k->q);
}

/* Orders rows by image id, then namespace (byte order, as the column's binary collation). */
static int
row_cmp(const void *a, const void *b)
{
	const struct dm_krow *x = a, *y = b;

	if (x->image_id != y->image_id)
		return x->image_id < y->image_id ? -1 : 1;
	return strcmp(x->ns, y->ns);
}

static int
ns_cmp(const void *a, const void *b)
{
	const struct dm_krow *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);

	return c ? c : x->image_id < y->image_id ? -1 : x->image_id > y->image_id;
}

/*
 * Deletes the n rows of v, sorted by namespace, a namespace and at most CHUNK of its image
 * ids a statement: a list of single ids is a range of the primary key, where (namespace,
 * image_id) pairs made MariaDB test every row of the cluster against every pair.
 */
static int
delete_rows(struct kube *k, struct dm_krow *v, size_t n)
{
	size_t i = 0, ids;

	qsort(v, n, sizeof(*v), ns_cmp);
	while (i < n) {
		dm_sql_start(&k->q, stmts[S_DELETE], k->p.cluster, v[i].ns);
		for (ids = 0;
		     ids < CHUNK && i < n && (ids == 0 || strcmp(v[i].ns, v[i - 1].ns) == 0); i++)
			dm_sql_add(&k->q, ids++ ? ", #" : "#", v[i].image_id);
		dm_sql_raw(&k->q, ")");
		if (dm_sql_exec(&k->q) == -1)
			return -1;
	}
	return 0;
}

/*
 * The cluster's rows this report does not name (namespaces and images no longer running):
 * the current rows read and compared with the report in memory, then deleted CHUNK a
 * statement, so that no statement grows with the report.
 */
static int
delete_others(struct kube *k)
{
	struct dm_krow *kept, *gone, key;
	size_t i, n_kept = 0, n_gone = 0;
	MYSQL_RES *res;
	MYSQL_ROW r;
	int rc;

	kept = calloc(k->p.n + 1, sizeof(*kept));
	dm_sql_start(&k->q, stmts[S_CURRENT], k->p.cluster);
	if (kept == NULL || (res = dm_results_keep(&k->res, dm_sql_query(&k->q))) == NULL ||
	    (gone = calloc(mysql_num_rows(res) + 1, sizeof(*gone))) == NULL) {
		free(kept);
		return -1;
	}
	for (i = 0; i < k->p.n; i++)
		if (k->p.rows[i].image_id != 0)
			kept[n_kept++] = k->p.rows[i];
	qsort(kept, n_kept, sizeof(*kept), row_cmp);
	while ((r = mysql_fetch_row(res)) != NULL) {
		key = (struct dm_krow){.ns = r[0], .image_id = strtoull(r[1], NULL, 10)};
		if (bsearch(&key, kept, n_kept, sizeof(key), row_cmp) == NULL)
			gone[n_gone++] = key;
	}
	rc = delete_rows(k, gone, n_gone);
	free(gone);
	free(kept);
	return rc;
}

static int
apply(MYSQL *db, void *arg)
{
	struct kube *k = arg;

	(void)db;
	reset(k);
	if (find_ids(k) == -1 || upsert(k) == -1)
		return -1;
	return delete_others(k);
}

/* {"missing": [images not known], "errors": [], "success": bool}: 201 if all recorded. */
static void
answer(struct dm_ctx *ctx, struct kube *k)
{
	json_t *missing = json_array();
	json_error_t e;
	size_t i, n = 0;
	char *text;

	for (i = 0; i < k->p.n; i++)
		if (k->p.rows[i].image_id == 0 &&
		    (i == 0 || k->p.rows[i].image != k->p.rows[i - 1].image)) {
			json_array_append_new(missing, json_string(k->p.rows[i].image));
			n++;
		}
	/* Counted apart: the list is the object's once packed, or gone if packing fails. */
	text = dm_json_answer(ctx, "answer",
	                      json_pack_ex(&e, 0, "{s:o, s:[], s:b}", "missing", missing, "errors",
	                                   "success", n == 0),
	                      &e);
	if (text == NULL)
		return;
	dm_respond(&ctx->res, n == 0 ? 201 : 202, "application/json", NULL);
	fputs(text, ctx->res.out);
	fputc('\n', ctx->res.out);
	free(text);
}

static int
kubernetes_update(struct dm_ctx *ctx)
{
	struct dm_buf body;
	struct kube k;
	char err[512];
	struct tm tm;
	time_t t = time(NULL);
	int status;

	memset(&k, 0, sizeof(k));
	if (dm_authz(ctx, "Kubernetes data", "", 0, ctx->cfg.proxy_images) == -1 ||
	    dm_body(ctx, &body) == -1)
		return 0;
	if (dm_kube_parse(&k.p, body.data, body.len, err, sizeof(err)) == -1)
		dm_error(&ctx->res, 400, "%s", err);
	else if (dm_ctx_db(ctx) == 0) {
		gmtime_r(&t, &tm);
		strftime(k.now, sizeof(k.now), "%Y-%m-%d %H:%M:%S", &tm);
		dm_sql_init(&k.q, ctx->db);
		if ((status = dm_db_txn(ctx->db, apply, &k, err, sizeof(err))) != 0)
			dm_error(&ctx->res, status, "%s", err);
		else
			answer(ctx, &k);
		reset(&k);
		dm_results_free(&k.res);
		dm_sql_free(&k.q);
	}
	dm_kube_free(&k.p);
	dm_buf_free(&body);
	return 0;
}

const struct dm_endpoint dm_ep_kubernetes_update = {
    .name = "kubernetes-update",
    .methods = DM_M(DM_POST),
    .identity = DM_ID_CLIENT,
    .needs_db = 0,
    .handler = kubernetes_update,
};
