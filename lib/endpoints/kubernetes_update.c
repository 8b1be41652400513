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

/* Rows per statement, as in the ingest. */
#define CHUNK 1000

enum stmt { S_FIND, S_UPSERT, S_UPSERT_TAIL, S_DELETE_ALL, S_DELETE_OTHERS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_FIND] = "SELECT name, id FROM image WHERE name IN (",
    [S_UPSERT] = "INSERT INTO kubernetes_image"
                 " (cluster, namespace, image_id, containers, created, modified) VALUES ",
    [S_UPSERT_TAIL] = " ON DUPLICATE KEY UPDATE containers = VALUES(containers),"
                      " modified = VALUES(modified)",
    [S_DELETE_ALL] = "DELETE FROM kubernetes_image WHERE cluster = ?",
    [S_DELETE_OTHERS] = "DELETE FROM kubernetes_image WHERE cluster = ?"
                        " AND (namespace, image_id) NOT IN (",
};

struct kube {
	struct dm_kube_payload p; /* the validated body */
	struct dm_sql q;
	struct dm_idmap ids;
	MYSQL_RES *res[64];
	size_t n_res;
	char now[24];
};

static void
reset(struct kube *k)
{
	size_t i;

	for (i = 0; i < k->n_res; i++)
		mysql_free_result(k->res[i]);
	k->n_res = 0;
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
		if (k->n_res == sizeof(k->res) / sizeof(k->res[0]) ||
		    (res = dm_sql_query(&k->q)) == NULL)
			return -1;
		k->res[k->n_res++] = res;
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

/* The cluster's rows this report does not name: namespaces and images no longer running. */
static int
delete_others(struct kube *k)
{
	size_t i, rows = 0;

	dm_sql_start(&k->q, stmts[S_DELETE_OTHERS], k->p.cluster);
	for (i = 0; i < k->p.n; i++)
		if (k->p.rows[i].image_id != 0)
			dm_sql_add(&k->q, rows++ ? ", (?, #)" : "(?, #)", k->p.rows[i].ns,
			           k->p.rows[i].image_id);
	if (rows == 0)
		dm_sql_start(&k->q, stmts[S_DELETE_ALL], k->p.cluster);
	else
		dm_sql_raw(&k->q, ")");
	return dm_sql_exec(&k->q);
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
	json_t *missing = json_array(), *o;
	size_t i;

	for (i = 0; i < k->p.n; i++)
		if (k->p.rows[i].image_id == 0 &&
		    (i == 0 || k->p.rows[i].image != k->p.rows[i - 1].image))
			json_array_append_new(missing, json_string(k->p.rows[i].image));
	o = json_pack("{s:o, s:[], s:b}", "missing", missing, "errors", "success",
	              json_array_size(missing) == 0);
	dm_respond(&ctx->res, json_array_size(missing) == 0 ? 201 : 202, "application/json", NULL);
	json_dumpf(o, ctx->res.out, JSON_COMPACT);
	fputc('\n', ctx->res.out);
	json_decref(o);
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
