/* update.c: what POST /hosts/NAME/update and /images/NAME/update share: body, payload, ingest. */
#include "handlers.h"

#include "db.h"
#include "ingest.h"
#include "sql.h"
#include "payload.h"

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

/* The host or image and, by the foreign keys' cascades, its rows; shared rows stay for gc. */
int
dm_delete(struct dm_ctx *ctx, const char *stmt, const char *name)
{
	struct dm_sql q;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmt, name);
	if (dm_sql_exec(&q) == -1)
		status = dm_db_status(ctx->db);
	else if (mysql_affected_rows(ctx->db) == 0)
		status = 404;
	else
		dm_respond(&ctx->res, 204, "text/plain; charset=utf-8", NULL);
	dm_sql_free(&q);
	return status;
}
