/* update.c: what POST /hosts/NAME/update and /images/NAME/update share: body, payload, ingest. */
#include "endpoints/update.h"

#include <stdlib.h>

#include "db/db.h"
#include "db/sql.h"
#include "ingest/forget.h"
#include "ingest/ingest.h"
#include "ingest/payload.h"

/* Reads and validates the body: 0, or -1 after answering 400, 413 or 500. */
static int
read_payload(struct dm_ctx *ctx, enum dm_subject subject, const char *name, struct dm_payload *p)
{
	struct dm_buf body;
	char err[512];
	int rc = -1;

	if (dm_body(ctx, &body) == 0) {
		rc = dm_payload_parse(p, body.data, body.len, subject, name, err, sizeof(err));
		if (rc == -1)
			dm_error(&ctx->res, 400, "%s", err);
	}
	dm_buf_free(&body);
	return rc;
}

/* Validated in full before the database is even opened; then one transaction. */
int
dm_update(struct dm_ctx *ctx, enum dm_kind kind, const char *name)
{
	enum dm_subject subject = kind == DM_KIND_HOST ? DM_SUBJECT_HOST : DM_SUBJECT_IMAGE;
	struct dm_payload p;
	char err[512];
	int status;

	if (read_payload(ctx, subject, name, &p) == -1)
		return 0;
	if (dm_ctx_db(ctx) == 0) {
		if ((status = dm_ingest(ctx->db, kind, &p, err, sizeof(err))) != 0)
			dm_error(&ctx->res, status, "%s", err);
		else
			dm_respond(&ctx->res, 201, "text/plain; charset=utf-8", NULL);
	}
	dm_payload_free(&p);
	return 0;
}

struct forget {
	struct dm_sql q;
	enum dm_kind kind;
	const char *name;
	int found;
};

static const char *const lock_by_name[DM_KIND__MAX] = {
    [DM_KIND_HOST] = "SELECT id FROM host WHERE name = ? FOR UPDATE",
    [DM_KIND_IMAGE] = "SELECT id FROM image WHERE name = ? FOR UPDATE",
};

static int
forget(MYSQL *db, void *arg)
{
	struct forget *f = arg;
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long long id = 0;

	(void)db;
	dm_sql_start(&f->q, lock_by_name[f->kind], f->name);
	if ((res = dm_sql_query(&f->q)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL)
		id = strtoull(row[0], NULL, 10);
	mysql_free_result(res);
	f->found = id != 0;
	return id ? dm_forget(&f->q, f->kind, &id, 1) : 0;
}

/*
 * The host or image, its rows (by the foreign keys' cascade) and its share of the
 * package counts, in one transaction; shared rows stay for debmonitor-gc.
 */
int
dm_delete(struct dm_ctx *ctx, enum dm_kind kind, const char *name)
{
	struct forget f = {.kind = kind, .name = name};
	char err[512];
	int status;

	dm_sql_init(&f.q, ctx->db);
	if ((status = dm_db_txn(ctx->db, forget, &f, err, sizeof(err))) != 0)
		dm_error(&ctx->res, status, "%s", err);
	else if (!f.found)
		status = 404;
	else
		dm_respond(&ctx->res, 204, "text/plain; charset=utf-8", NULL);
	dm_sql_free(&f.q);
	return status == 404 ? 404 : 0;
}
