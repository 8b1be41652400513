/* entry.c: the one entry point: declared methods (405), identity (403), config (500), DB (503). */
#include "cgi/entry.h"

#include <stdlib.h>
#include <string.h>

#include "core/name.h"
#include "db/db.h"

/* Large enough that a page is written to Apache in a few system calls. */
#define DM_STDOUT_BUFFER (256 * 1024)
/*
 * An answer is held in memory until it is complete, so that a page whose rows stop
 * coming (the database gone in the middle) can still be answered with an error status:
 * once the status line is out, mod_cgid gives a CGI no way to fail the answer (Apache
 * 2.4 ends the chunked body properly whether the CGI exits, is killed or aborts: the
 * client sees a whole 200). /hosts/ of 10,000 hosts is 3 MB of HTML, a host of 200,000
 * packages (DM_LIST_MAX) 40 MB; only a longer answer streams past this, and if that
 * fails it stops short: JSON that does not parse, a page without its end.
 */
#define DM_ANSWER_MAX (64 * 1024 * 1024)

unsigned int
dm_allowed_methods(const struct dm_endpoint *ep, const struct dm_request *req)
{
	unsigned int m = ep->methods;

	if (m & DM_M(DM_GET))
		m |= DM_M(DM_HEAD);
	/* The pages vhost is read-only whatever the endpoint could do elsewhere. */
	if (req->read_only)
		m &= DM_M(DM_GET) | DM_M(DM_HEAD);
	return m;
}

void
dm_allow_header(unsigned int methods, char *buf, size_t len)
{
	size_t used = 0;
	int m;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (m = 0; m < DM_OTHER; m++) {
		if (!(methods & DM_M(m)))
			continue;
		if (used >= len)
			break;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
		                         used ? ", " : "", dm_method_name((enum dm_method)m));
	}
}

static int
check_method(const struct dm_endpoint *ep, struct dm_ctx *ctx)
{
	unsigned int allowed = dm_allowed_methods(ep, &ctx->req);
	char allow[64];

	if (allowed & DM_M(ctx->req.method))
		return 0;
	dm_allow_header(allowed, allow, sizeof(allow));
	dm_respond(&ctx->res, 405, "text/plain; charset=utf-8", "Allow", allow, NULL);
	fprintf(ctx->res.out, "%s is not allowed on %s%s; allowed: %s\n", ctx->req.method_name,
	        ctx->req.uri, ctx->req.read_only ? " on this read-only vhost" : "",
	        allow[0] ? allow : "none");
	return -1;
}

/*
 * REQUIRE_LOGIN: Apache authenticates people (LDAP, CAS, OIDC, basic) and passes the user
 * as REMOTE_USER; a host's verified client certificate may read the JSON, as upstream
 * allows. Checked here too, so that an Apache site that forgot its login block shows
 * nothing.
 */
static int
check_login(struct dm_ctx *ctx)
{
	const struct dm_request *r = &ctx->req;

	if (!ctx->cfg.require_login || r->remote_user[0] != '\0' ||
	    (r->client_verified && r->wants_json))
		return 0;
	if (r->client_verified)
		dm_error(&ctx->res, 403,
		         "login required (REQUIRE_LOGIN): a client certificate may read only the "
		         "JSON (Accept: application/json)");
	else
		dm_error(&ctx->res, 403,
		         "login required (REQUIRE_LOGIN) but the web server authenticated no user: "
		         "enable a login block of apache/ on this vhost");
	return -1;
}

static int
check_identity(const struct dm_endpoint *ep, struct dm_ctx *ctx)
{
	const struct dm_request *r = &ctx->req;
	int writes = r->method != DM_GET && r->method != DM_HEAD;

	if (ep->identity == DM_ID_PUBLIC)
		return 0;
	if (ep->identity == DM_ID_METRICS && (r->client_verified || r->metrics_open))
		return 0;
	if (ep->identity == DM_ID_ANYONE || ep->identity == DM_ID_METRICS ||
	    (ep->identity == DM_ID_CLIENT_WRITES && !writes))
		return check_login(ctx);
	if (!ctx->cfg.verify_clients || r->client_verified)
		return 0;
	if (!r->https)
		dm_error(&ctx->res, 403,
		         "a verified client certificate is required: use the HTTPS client vhost");
	else
		dm_error(&ctx->res, 403, "client certificate validation failed: '%s'",
		         r->client_verify[0] ? r->client_verify : "NONE");
	return -1;
}

int
dm_ctx_db(struct dm_ctx *ctx)
{
	char err[512];

	if (ctx->db != NULL)
		return 0;
	/* A page reads a replica when one is near enough; anything else, the primary. */
	if (ctx->reads && ctx->cfg.n_replicas > 0 &&
	    (ctx->db = dm_db_open_replica(&ctx->cfg, &ctx->replica_lag)) != NULL) {
		ctx->res.also_name = "X-DebMonitor-Replica-Lag";
		snprintf(ctx->res.also_value, sizeof(ctx->res.also_value), "%lld",
		         ctx->replica_lag);
		return 0;
	}
	ctx->replica_lag = -1;
	if ((ctx->db = dm_db_open(&ctx->cfg, err, sizeof(err))) != NULL)
		return 0;
	dm_error(&ctx->res, 503, "%s", err);
	return -1;
}

/* Why a handler failed: the database's own words when it was the database. */
static const char *
failure(struct dm_ctx *ctx, int status)
{
	if (ctx->db != NULL && mysql_errno(ctx->db) != 0)
		return mysql_error(ctx->db);
	return dm_status_reason(status);
}

/*
 * The handler failed after it began its answer (its rows stopped coming): taken back if
 * none of it reached the client, else left cut short. Either way Apache's error log says
 * which page failed and why. 0 when the status may still be answered, else -1.
 */
static int
failed_part_way(struct dm_ctx *ctx, int status)
{
	int retracted = dm_response_retract(&ctx->res) == 0;

	fprintf(stderr, "debmonitor: %s %s: the answer failed part-way (", ctx->req.method_name,
	        ctx->req.uri);
	if (retracted)
		fprintf(stderr, "answered %d instead", status);
	else
		fprintf(stderr, "cut short after %zu bytes", ctx->res.sent);
	fprintf(stderr, "): %s\n", failure(ctx, status));
	ctx->logged = 1;
	return retracted ? 0 : -1;
}

static void
answer_status(struct dm_ctx *ctx, int status)
{
	if (ctx->res.started && failed_part_way(ctx, status) == -1) {
		ctx->cut_short = 1;
		return;
	}
	if (status == 404)
		dm_error(&ctx->res, 404, "not found: %s", ctx->req.uri);
	else if (ctx->db != NULL && mysql_errno(ctx->db) != 0)
		dm_error(&ctx->res, status, "database %s: %s",
		         status == 503 ? "unavailable" : "error", mysql_error(ctx->db));
	else
		dm_error(&ctx->res, status, "%s", dm_status_reason(status));
}

/*
 * The handler failed on a read replica (the replica stopped or restarted under the page,
 * its connection killed) and none of the answer reached the client: 1, the answer taken
 * back and the replica let go, so that the page is read again from the primary, as if the
 * replica had been down from the start; else 0. Any failure counts: a read changes
 * nothing, and the primary's answer is the one that stands.
 */
static int
replica_failed(struct dm_ctx *ctx, int status)
{
	if (status < 500 || ctx->replica_lag < 0 || ctx->db == NULL ||
	    dm_response_retract(&ctx->res) == -1)
		return 0;
	fprintf(stderr, "debmonitor: %s %s: the read replica failed (%s); reading the primary\n",
	        ctx->req.method_name, ctx->req.uri, failure(ctx, status));
	dm_db_close(ctx->db);
	ctx->db = NULL;
	ctx->reads = 0;
	ctx->res.also_name = NULL;
	return 1;
}

int
dm_body(struct dm_ctx *ctx, struct dm_buf *body)
{
	int rc = dm_request_body(&ctx->req, ctx->in, (size_t)ctx->cfg.max_body_bytes, body);

	if (rc == 413)
		dm_error(&ctx->res, 413, "request body larger than MAX_BODY_BYTES (%lld bytes)",
		         ctx->cfg.max_body_bytes);
	else if (rc == 400)
		dm_error(&ctx->res, 400, "request body shorter than its Content-Length");
	else if (rc != 0)
		dm_error(&ctx->res, 500, "cannot read the request body");
	return rc == 0 ? 0 : -1;
}

/*
 * mod_cgid resets the connection when a CGI exits with request body left unread, and the
 * client never sees the answer (a 405 or 403, say): what the handler did not read is read
 * and dropped. Apache's LimitRequestBody bounds it.
 */
static void
drain(FILE *in)
{
	char chunk[16384];

	while (in != NULL && fread(chunk, 1, sizeof(chunk), in) > 0)
		continue;
}

int
dm_run(const struct dm_endpoint *ep, FILE *in, FILE *out)
{
	struct dm_ctx ctx;
	char err[512];
	int status;

	memset(&ctx, 0, sizeof(ctx));
	ctx.in = in;
	ctx.replica_lag = -1;
	dm_request_read(&ctx.req);
	ctx.reads = (ctx.req.method == DM_GET || ctx.req.method == DM_HEAD) && !ep->primary;
	dm_response_init(&ctx.res, out);
	/* Without the memory to hold it, the answer goes out as it comes. */
	dm_response_hold(&ctx.res, DM_ANSWER_MAX);
	if (check_method(ep, &ctx) == -1)
		goto out;
	if (dm_config_load(&ctx.cfg, getenv("DEBMONITOR_CONFIG"), err, sizeof(err)) == -1) {
		dm_error(&ctx.res, 500, "configuration error: %s", err);
		goto out;
	}
	if (check_identity(ep, &ctx) == -1 || (ep->needs_db && dm_ctx_db(&ctx) == -1))
		goto out;
	status = ep->handler(&ctx);
	if (replica_failed(&ctx, status)) {
		if (dm_ctx_db(&ctx) == -1)
			goto out;
		status = ep->handler(&ctx);
	}
	if (status != 0)
		answer_status(&ctx, status);
out:
	/* Every failure leaves its line in Apache's error log, whoever answered it. */
	if (ctx.res.status >= 500 && !ctx.logged)
		fprintf(stderr, "debmonitor: %s %s: answered %d: %s\n", ctx.req.method_name,
		        ctx.req.uri, ctx.res.status,
		        ctx.res.reason[0] ? ctx.res.reason : dm_status_reason(ctx.res.status));
	drain(in);
	dm_db_close(ctx.db);
	dm_config_free(&ctx.cfg);
	return dm_response_end(&ctx.res) == 0 && !ctx.cut_short ? 0 : 1;
}

int
dm_main(const struct dm_endpoint *ep)
{
	static char buffer[DM_STDOUT_BUFFER];

	setvbuf(stdout, buffer, _IOFBF, sizeof(buffer));
	return dm_run(ep, stdin, stdout);
}

int
dm_path_name(struct dm_ctx *ctx, int allow_slash, const char **name)
{
	const char *p = ctx->req.path_info;
	char err[128];

	if (*p == '/')
		p++;
	if (dm_name_valid(p, allow_slash, err, sizeof(err)) == -1) {
		dm_error(&ctx->res, 400, "%s", err);
		return -1;
	}
	*name = p;
	return 0;
}
