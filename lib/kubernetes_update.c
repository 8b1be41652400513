/* kubernetes_update.c: POST /kubernetes/update: the images a cluster runs, per namespace. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz.h"
#include "db.h"
#include "idmap.h"
#include "parse.h"
#include "payload.h"
#include "sql.h"

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

struct krow {
	const char *image;
	const char *ns;
	unsigned long long containers;
	unsigned long long image_id; /* 0: the image is not known */
};

struct kube {
	struct dm_json json;
	const char *cluster;
	struct krow *rows;
	size_t n;
	struct dm_sql q;
	struct dm_idmap ids;
	MYSQL_RES *res[64];
	size_t n_res;
	char now[24];
};

/* Most (image, namespace) rows one cluster may report. */
#define KUBE_ROWS_MAX 50000

static int
fail(char *err, size_t len, const char *image, const char *ns, const char *problem)
{
	if (ns != NULL)
		snprintf(err, len, "images[\"%s\"][\"%s\"]: %s", image, ns, problem);
	else
		snprintf(err, len, "images[\"%s\"]: %s", image, problem);
	return -1;
}

/* A container count: a JSON integer from 0 up, nothing else (no sign, fraction or exponent). */
static int
count(const struct dm_jnode *v, unsigned long long *out)
{
	char num[24];
	long long n;

	if (v->type != DM_JNUMBER || v->len >= sizeof(num))
		return -1;
	memcpy(num, v->s, v->len);
	num[v->len] = '\0';
	if (dm_parse_ll(num, 0, 1LL << 31, &n) == -1)
		return -1;
	*out = (unsigned long long)n;
	return 0;
}

static int
namespaces(struct kube *k, size_t obj, const char *image, char *err, size_t len)
{
	const struct dm_json *j = &k->json;
	const char *problem;
	size_t i, at = obj + 1;

	if (j->v[obj].type != DM_JOBJECT)
		return fail(err, len, image, NULL, "must be an object of namespace: containers");
	for (i = 0; i < j->v[obj].len; i++, at = j->v[at + 1].next) {
		if ((problem = dm_field_problem(&j->v[at])) != NULL)
			return fail(err, len, image, j->v[at].s, problem);
		k->rows[k->n] = (struct krow){image, j->v[at].s, 0, 0};
		if (count(&j->v[at + 1], &k->rows[k->n].containers) == -1)
			return fail(err, len, image, j->v[at].s, "must be a non-negative integer");
		k->n++;
	}
	return 0;
}

static int
images(struct kube *k, size_t obj, char *err, size_t len)
{
	const struct dm_json *j = &k->json;
	char why[64];
	size_t i, at, rows = 0;

	if (obj == DM_JNONE || j->v[obj].type == DM_JNULL)
		return 0;
	if (j->v[obj].type != DM_JOBJECT)
		return snprintf(err, len, "images: must be an object"), -1;
	/* Each image's value is counted before it is checked: room for all if all are maps. */
	for (i = 0, at = obj + 1; i < j->v[obj].len; i++, at = j->v[at + 1].next)
		rows += j->v[at + 1].type == DM_JOBJECT ? j->v[at + 1].len : 0;
	if (rows > KUBE_ROWS_MAX)
		return snprintf(err, len, "images: more than %d rows", KUBE_ROWS_MAX), -1;
	if ((k->rows = calloc(rows + 1, sizeof(*k->rows))) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	at = obj + 1;
	for (i = 0; i < j->v[obj].len; i++, at = j->v[at + 1].next) {
		if (dm_name_valid(j->v[at].s, 1, why, sizeof(why)) == -1)
			return fail(err, len, j->v[at].s, NULL, why + 6); /* after "name: " */
		if (namespaces(k, at + 1, j->v[at].s, err, len) == -1)
			return -1;
	}
	return 0;
}

/* Validates the whole body before anything is written: 0, or -1 with the reason in err. */
static int
parse(struct kube *k, const char *body, size_t blen, char *err, size_t len)
{
	const char *problem;
	char jerr[256];
	size_t c;
	int utf8;

	if (blen == 0)
		return snprintf(err, len, "empty body"), -1;
	if (dm_json_parse(&k->json, body, blen, &utf8, jerr, sizeof(jerr)) == -1)
		return snprintf(err, len, "%s: %s", utf8 ? "not valid UTF-8" : "not JSON", jerr),
		       -1;
	if (k->json.v[0].type != DM_JOBJECT)
		return snprintf(err, len, "payload: must be a JSON object"), -1;
	c = dm_json_get(&k->json, 0, "cluster");
	if ((problem = dm_field_problem(c == DM_JNONE ? NULL : &k->json.v[c])) != NULL)
		return snprintf(err, len, "cluster: %s", problem), -1;
	k->cluster = k->json.v[c].s;
	return images(k, dm_json_get(&k->json, 0, "images"), err, len);
}

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

	while (i < k->n) {
		dm_sql_start(&k->q, stmts[S_FIND]);
		for (names = 0; i < k->n && names < CHUNK; i++) {
			if (i > 0 && k->rows[i].image == k->rows[i - 1].image)
				continue;
			dm_sql_add(&k->q, names++ ? ", ?" : "?", k->rows[i].image);
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
	for (i = 0; i < k->n; i++)
		k->rows[i].image_id = dm_idmap_get(&k->ids, k->rows[i].image, NULL);
	return 0;
}

static int
upsert(struct kube *k)
{
	size_t i, rows = 0;
	struct krow *r;

	for (i = 0; i < k->n; i++) {
		r = &k->rows[i];
		if (r->image_id == 0)
			continue;
		if (rows % CHUNK == 0)
			dm_sql_start(&k->q, stmts[S_UPSERT]);
		dm_sql_add(&k->q, rows % CHUNK ? ", (?, ?, #, #, ?, ?)" : "(?, ?, #, #, ?, ?)",
		           k->cluster, r->ns, r->image_id, r->containers, k->now, k->now);
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

	dm_sql_start(&k->q, stmts[S_DELETE_OTHERS], k->cluster);
	for (i = 0; i < k->n; i++)
		if (k->rows[i].image_id != 0)
			dm_sql_add(&k->q, rows++ ? ", (?, #)" : "(?, #)", k->rows[i].ns,
			           k->rows[i].image_id);
	if (rows == 0)
		dm_sql_start(&k->q, stmts[S_DELETE_ALL], k->cluster);
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

	for (i = 0; i < k->n; i++)
		if (k->rows[i].image_id == 0 &&
		    (i == 0 || k->rows[i].image != k->rows[i - 1].image))
			json_array_append_new(missing, json_string(k->rows[i].image));
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
	if (parse(&k, body.data, body.len, err, sizeof(err)) == -1)
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
	free(k.rows);
	dm_json_free(&k.json);
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
