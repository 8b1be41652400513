/* images.c: GET /images/: the images with their OS, last update and package counts. */
#include "endpoints/endpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "cve/exposure.h"
#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/paging.h"

/*
 * The counts live on the image row (kept by the ingest): only package= and cve= read the
 * install table, through its version index, as /hosts/ does.
 */
static const char head[] = "SELECT i.name, o.name, " DM_SQL_ISO(
    "i.modified") ", i.packages, i.upgrades, i.security_upgrades";
static const char from[] = " FROM image i STRAIGHT_JOIN os o ON o.id = i.os_id WHERE 1";

static const struct dm_col cols[] = {
    {"name", "Image", DM_COL_STR, "/images/"},
    {"os", "OS", DM_COL_STR, NULL},
    {"modified", "Last update", DM_COL_TIME, NULL},
    {"packages", "Packages", DM_COL_INT, NULL},
    {"upgrades", "Upgrades", DM_COL_INT, NULL},
    {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

static const struct dm_sort sorts[] = {
    {"name", "i.name"},         {"os", "o.name"},
    {"modified", "i.modified"}, {"packages", "i.packages"},
    {"upgrades", "i.upgrades"}, {"security_upgrades", "i.security_upgrades"},
};

/* The filters of /hosts/ that images have: no kernel, and images do not go stale. */
enum param { P_Q, P_OS, P_UPGRADES, P_PACKAGE, P_VC, P_CVE = P_VC + DM_VC__MAX, P__FILTERS };

struct filters {
	struct dm_param p[P__FILTERS + DM_P__MAX];
	struct dm_vcond vc;
	unsigned long long *ids; /* package=: the package versions that pass, n_ids of them */
	size_t n_ids;
	struct dm_cve_oses oses; /* cve=: the OS map of the tracker's data */
	MYSQL_RES *os_names;     /* for the form */
};

static const char *
value(const struct filters *fl, enum param p)
{
	return dm_filter_value(&fl->p[p]);
}

/* Appends the filters' conditions, each " AND ...", to the WHERE 1 of from. */
static void
where(struct dm_sql *q, const struct filters *fl)
{
	const char *v;

	if ((v = value(fl, P_Q)) != NULL)
		dm_filter_q(q, "i.name", v);
	if ((v = value(fl, P_OS)) != NULL)
		dm_sql_add(q, " AND o.name = ?", v);
	if ((v = value(fl, P_UPGRADES)) != NULL)
		dm_filter_upgrades(q, "i", v);
	if (value(fl, P_PACKAGE) != NULL && fl->n_ids == 0)
		dm_sql_raw(q, " AND 0");
	if (value(fl, P_PACKAGE) != NULL && fl->n_ids > 0) {
		dm_sql_raw(q, " AND i.id IN (SELECT e.image_id FROM image_package e"
		              " WHERE e.package_version_id IN (");
		dm_sql_ids(q, fl->ids, fl->n_ids); /* closes its list */
		dm_sql_raw(q, ")");
	}
	if ((v = value(fl, P_CVE)) != NULL) {
		dm_sql_raw(q, " AND ");
		dm_cve_images_sql(q, &fl->oses, v, "i.id");
	}
}

/* The filters of the page's form, read by form() (one request per process). */
static const struct filters *form_filters;

/* The filters as a GET form: it works without JavaScript, empty fields meaning "any". */
static void
form(FILE *f, const struct dm_paging *pg)
{
	const struct filters *fl = form_filters;

	dm_form_open(f, "/images/");
	dm_form_text(f, "Name", "q", value(fl, P_Q), "part of the name");
	dm_form_os(f, fl->os_names, value(fl, P_OS));
	dm_form_upgrades(f, value(fl, P_UPGRADES));
	dm_form_text(f, "Package", "package", value(fl, P_PACKAGE), "installed, exact name");
	dm_form_vcond(f, &fl->vc);
	dm_form_text(f, "Vulnerable to", "cve", value(fl, P_CVE), "CVE-YYYY-NNNN");
	dm_form_close(f, pg, "/images/");
}

static int
answer(struct dm_ctx *ctx, struct filters *fl, struct dm_paging *pg, struct dm_sql *q)
{
	MYSQL_RES *res;
	int status;

	if (value(fl, P_PACKAGE) != NULL &&
	    dm_vcond_ids(q, value(fl, P_PACKAGE), &fl->vc, &fl->ids, &fl->n_ids) == -1)
		return dm_db_status(ctx->db);
	dm_sql_start(q, "SELECT COUNT(*) FROM image i");
	if (value(fl, P_OS) != NULL)
		dm_sql_raw(q, " JOIN os o ON o.id = i.os_id");
	dm_sql_raw(q, " WHERE 1");
	where(q, fl);
	if (dm_paging_count(q, pg) == -1)
		return dm_db_status(ctx->db);
	if (pg->format == DM_FORMAT_HTML) {
		if ((fl->os_names = dm_form_os_query(q)) == NULL)
			return dm_db_status(ctx->db);
	}
	dm_sql_start(q, head);
	dm_paging_select(q, pg);
	dm_sql_raw(q, from);
	where(q, fl);
	dm_paging_where(q, pg);
	dm_paging_order(q, pg);
	if ((res = pg->limit > 0 ? dm_sql_query(q) : dm_sql_stream(q)) == NULL)
		return dm_db_status(ctx->db);
	form_filters = fl;
	status = dm_listing_paged(ctx, "Images", "images", res, cols,
	                          sizeof(cols) / sizeof(cols[0]), pg, form);
	mysql_free_result(res);
	return status;
}

/* Reads and checks the parameters: 0, or -1 after answering 400. */
static int
parse(struct dm_ctx *ctx, struct filters *fl, struct dm_paging *pg, char *query)
{
	static const char *const names[P__FILTERS] = {
	    "q", "os", "upgrades", "package", DM_VCOND_PARAMS, "cve"};
	static const struct dm_param paging[DM_P__MAX] = {DM_PAGING_PARAMS};
	size_t i;

	for (i = 0; i < P__FILTERS; i++)
		fl->p[i].name = names[i];
	for (i = 0; i < DM_P__MAX; i++)
		fl->p[P__FILTERS + i] = paging[i];
	if (dm_params(ctx, query, fl->p, P__FILTERS + DM_P__MAX) == -1)
		return -1;
	if (dm_paging_parse(ctx, pg, fl->p, P__FILTERS + DM_P__MAX, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), "i.name") == -1)
		return -1;
	if (dm_filter_check(ctx, fl->p, P__FILTERS) == -1 ||
	    dm_vcond_parse(ctx, &fl->p[P_VC], value(fl, P_PACKAGE), &fl->vc) == -1)
		return -1;
	return 0;
}

static int
images(struct dm_ctx *ctx)
{
	struct filters fl = {0};
	struct dm_paging pg = {0};
	char query[4096], err[512];
	struct dm_sql q;
	int status = 0;

	if (strlen(ctx->req.query) >= sizeof(query)) {
		dm_bad_param(ctx, "the query string is longer than %zu bytes", sizeof(query) - 1);
		return 0;
	}
	snprintf(query, sizeof(query), "%s", ctx->req.query);
	if (parse(ctx, &fl, &pg, query) == -1)
		goto out;
	if (value(&fl, P_CVE) != NULL &&
	    dm_cve_oses_load(&fl.oses, ctx->db, &ctx->cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "debmonitor: %s\n", err);
		status = mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
		goto out;
	}
	dm_sql_init(&q, ctx->db);
	status = answer(ctx, &fl, &pg, &q);
	dm_sql_free(&q);
out:
	if (fl.os_names != NULL)
		mysql_free_result(fl.os_names);
	free(fl.ids);
	dm_cve_oses_free(&fl.oses);
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_images = {
    .name = "images",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = images,
};
