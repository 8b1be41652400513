/* update.c: what POST /hosts/NAME/update and /images/NAME/update share: body, payload, ingest. */
#include "handlers.h"

#include "ingest.h"
#include "payload.h"

/* Reads and validates the body: 0, or -1 after answering 400 or 413. */
static int
read_payload(struct dm_ctx *ctx, enum dm_subject subject, const char *name, struct dm_payload *p)
{
	struct dm_buf body;
	char err[512];
	int rc;

	rc = dm_request_body(&ctx->req, ctx->in, (size_t)ctx->cfg.max_body_bytes, &body);
	if (rc == 413)
		dm_error(&ctx->res, 413, "request body larger than MAX_BODY_BYTES (%lld bytes)",
		         ctx->cfg.max_body_bytes);
	else if (rc == 400)
		dm_error(&ctx->res, 400, "request body shorter than its Content-Length");
	else if (rc != 0)
		dm_error(&ctx->res, 500, "cannot read the request body");
	else if (dm_payload_parse(p, body.data, body.len, subject, name, err, sizeof(err)) == -1)
		dm_error(&ctx->res, rc = 400, "%s", err);
	dm_buf_free(&body);
	return rc == 0 ? 0 : -1;
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
