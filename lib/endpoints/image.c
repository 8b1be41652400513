/* image.c: GET /images/NAME (packages and Kubernetes deployments) and DELETE /images/NAME. */
#include "endpoints/endpoints.h"

#include <stdlib.h>
#include <string.h>

#include "cgi/authz.h"
#include "core/escape.h"
#include "db/db.h"
#include "db/sql.h"
#include "endpoints/update.h"
#include "web/extlink.h"
#include "web/json.h"
#include "web/listing.h"
#include "web/not_found.h"
#include "web/page.h"
#include "web/pkglist.h"
#include "web/vulns.h"

enum stmt { S_IMAGE, S_KUBERNETES, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_IMAGE] = "SELECT i.id, i.name, o.name, " DM_SQL_ISO("i.created") ", " DM_SQL_ISO(
        "i.modified") " FROM image i JOIN os o ON o.id = i.os_id WHERE i.name = ?",
    [S_KUBERNETES] = "SELECT cluster, namespace, containers FROM kubernetes_image"
                     " WHERE image_id = # ORDER BY cluster, namespace",
};

enum image_col { I_ID, I_NAME, I_OS, I_CREATED, I_MODIFIED };

/*
 * The placeholder of IMAGE_EXTERNAL_LINKS: {image_path} is the name without its ":tag"
 * (a ':' after the last '/'; one before it is the registry's port), written to path.
 */
static size_t
link_vars(struct dm_extvar *var, const char *name, char *path, size_t size)
{
	const char *slash = strrchr(name, '/'), *colon = strrchr(name, ':');
	size_t len = colon != NULL && (slash == NULL || colon > slash) ? (size_t)(colon - name)
	                                                               : strlen(name);

	snprintf(path, size, "%.*s", (int)len, name);
	*var = (struct dm_extvar){"image_path", path, dm_url_path};
	return 1;
}

static const struct dm_col kube_cols[] = {
    {"cluster", "Cluster", DM_COL_STR, NULL},
    {"namespace", "Namespace", DM_COL_STR, NULL},
    {"containers", "Containers", DM_COL_INT, NULL},
};
#define KUBE_COLS (sizeof(kube_cols) / sizeof(kube_cols[0]))

/* 0, or the status of a database error that stopped the rows (answer unfinished). */
static int
image_json(struct dm_ctx *ctx, MYSQL_ROW im, struct dm_vulns *v, MYSQL_RES *kube, MYSQL_RES *pkgs)
{
	FILE *f = ctx->res.out;
	char path[DM_NAME_MAX + 1];
	struct dm_extvar var;
	size_t n = link_vars(&var, im[I_NAME], path, sizeof(path));
	json_error_t e;
	json_t *o = json_pack_ex(&e, 0, "{s:s, s:s, s:s, s:s, s:o}", "name", im[I_NAME], "os",
	                         im[I_OS], "created", im[I_CREATED], "modified", im[I_MODIFIED],
	                         "external_links", dm_extlinks_json(ctx->cfg.image_links, &var, n));
	char *text = dm_json_answer(ctx, "image", o, &e);

	if (text == NULL)
		return 0;
	dm_respond(&ctx->res, 200, "application/json", NULL);
	dm_json_open(f, text);
	free(text);
	dm_vulns_json(f, v, DM_KIND_IMAGE);
	fputs(",\"kubernetes\":", f);
	if (dm_listing_json(f, ctx->db, kube, kube_cols, KUBE_COLS) == -1)
		return dm_db_status(ctx->db);
	fputs(",\"packages\":", f);
	if (dm_pkglist_json(f, ctx->db, pkgs) == -1)
		return dm_db_status(ctx->db);
	fputs("}\n", f);
	return 0;
}

static int
image_html(struct dm_ctx *ctx, MYSQL_ROW im, struct dm_vulns *v, MYSQL_RES *kube, MYSQL_RES *pkgs,
           const struct dm_pkglist_params *pp)
{
	FILE *f = ctx->res.out;
	char path[DM_NAME_MAX + 1];
	struct dm_extvar var;
	size_t n = link_vars(&var, im[I_NAME], path, sizeof(path));

	dm_page_begin(ctx, 200, im[I_NAME]);
	fputs("<dl class=\"facts\">\n<dt>OS</dt><dd>", f);
	dm_html_txt(f, im[I_OS]);
	fputs("</dd>\n<dt>Last update</dt><dd>", f);
	dm_html_txt(f, im[I_MODIFIED]);
	fputs("</dd>\n<dt>Created</dt><dd>", f);
	dm_html_txt(f, im[I_CREATED]);
	fputs("</dd>\n", f);
	dm_vulns_facts_html(f, v, DM_KIND_IMAGE);
	dm_extlinks_html(f, ctx->cfg.image_links, &var, n);
	fputs("</dl>\n", f);
	dm_vulns_html(f, v, pp->all_vulns);
	fputs("<h2>Running in Kubernetes</h2>\n", f);
	if (dm_listing_html(f, ctx->db, kube, kube_cols, KUBE_COLS) == -1)
		return dm_db_status(ctx->db);
	fputs("<h2>Packages</h2>\n", f);
	dm_pkglist_html(f, ctx, &pp->pg, pp->q, pkgs);
	dm_page_end(ctx);
	return 0;
}

static int
image_get(struct dm_ctx *ctx, const char *name)
{
	MYSQL_RES *image = NULL, *kube = NULL, *pkgs = NULL;
	struct dm_pkglist_params pp;
	struct dm_vulns v = {0};
	unsigned long long id;
	struct dm_sql q;
	MYSQL_ROW im;
	int status = 0;

	if (dm_pkglist_params(ctx, &pp) == -1)
		return 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_IMAGE], name);
	/* One view of the data: an import between the queries would mix old and new. */
	if (dm_db_snapshot(ctx->db) == -1 || (image = dm_sql_query(&q)) == NULL)
		goto db_error;
	if ((im = mysql_fetch_row(image)) == NULL) {
		status = 404;
		goto out;
	}
	id = strtoull(im[I_ID], NULL, 10);
	dm_sql_start(&q, stmts[S_KUBERNETES], id);
	if ((kube = dm_sql_query(&q)) == NULL ||
	    (pkgs = dm_pkglist_query(&q, DM_KIND_IMAGE, id)) == NULL ||
	    dm_vulns_query(&v, ctx, im[I_OS], NULL, pkgs) == -1)
		goto db_error;
	if (ctx->req.wants_json)
		status = image_json(ctx, im, &v, kube, pkgs);
	else
		status = image_html(ctx, im, &v, kube, pkgs, &pp);
	goto out;
db_error:
	status = dm_db_status(ctx->db);
out:
	dm_vulns_free(&v);
	if (pkgs != NULL)
		mysql_free_result(pkgs);
	if (kube != NULL)
		mysql_free_result(kube);
	if (image != NULL)
		mysql_free_result(image);
	dm_sql_free(&q);
	dm_paging_free(&pp.pg);
	return status;
}

static int
image(struct dm_ctx *ctx)
{
	const char *name;

	if (dm_path_name(ctx, 1, &name) == -1)
		return 0;
	if (ctx->req.method != DM_DELETE)
		return dm_not_found_status(ctx, image_get(ctx, name));
	if (dm_authz(ctx, "image", name, 0, ctx->cfg.proxy_images) == -1)
		return 0;
	return dm_delete(ctx, DM_KIND_IMAGE, name);
}

const struct dm_endpoint dm_ep_image = {
    .name = "image",
    .methods = DM_M(DM_GET) | DM_M(DM_DELETE),
    .identity = DM_ID_CLIENT_WRITES,
    .needs_db = 1,
    .handler = image,
};
