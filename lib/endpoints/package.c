/* package.c: GET /packages/NAME: its source packages and every host and image that has it. */
#include "endpoints/endpoints.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "db/db.h"
#include "db/model.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/issues.h"
#include "web/json.h"
#include "web/link.h"
#include "web/not_found.h"
#include "web/page.h"
#include "web/listing.h"
#include "web/paging.h"

enum stmt { S_PACKAGE, S_SOURCES, S_VERSIONS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_PACKAGE] = "SELECT id FROM package WHERE name = ?",
    [S_SOURCES] = "SELECT DISTINCT sp.name FROM package_version pv"
                  " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"
                  " JOIN source_package sp ON sp.id = spv.source_package_id"
                  " WHERE pv.package_id = # ORDER BY sp.name",
    [S_VERSIONS] = "SELECT id, version FROM package_version WHERE package_id = #",
};

/*
 * The installs are put together here from each table's version_install key (its
 * entity, version, upgrade and type: the key holds them all), the hosts' and images'
 * names and OSes, and the package's versions in dpkg's order, then filtered, sorted and
 * paged: sorting 10,000 joined rows in MariaDB (the host rows looked up one by one, the
 * sort key computed for each) took 40 to 80 ms for a package on every host.
 */
static const char *const install_sql[DM_KIND__MAX] = {
    "SELECT host_id, package_version_id, upgradable_version_id, upgrade_type FROM host_package",
    "SELECT image_id, package_version_id, upgradable_version_id, upgrade_type FROM image_package",
};
enum { E_ID, E_VERSION, E_UPGRADE, E_TYPE };
static const char *const entity_sql[DM_KIND__MAX] = {"SELECT id, name, os_id FROM host",
                                                     "SELECT id, name, os_id FROM image"};
static char host_kind[] = "host", image_kind[] = "image", security[] = "security", other[] = "";
static char *const kind_names[DM_KIND__MAX] = {host_kind, image_kind};

enum sort { SORT_TYPE, SORT_KIND, SORT_NAME, SORT_OS, SORT_VERSION, SORT_UPGRADE, SORT__MAX };

/*
 * The columns sort= takes (upgrade_type, the default: security upgrades, then other
 * upgrades, then none, then by OS and version, as the page always showed them). Their
 * values are made with the rows (install_keys); ties go by kind, then name.
 */
static const struct dm_sort sort_keys[SORT__MAX] = {
    {"upgrade_type", "0"}, {"kind", "0"},    {"name", "0"},
    {"os", "0"},           {"version", "0"}, {"upgradable_version", "0"},
};

static const struct dm_col cols[] = {
    {"kind", "Kind", DM_COL_STR, NULL},
    {"name", "Name", DM_COL_STR, NULL},
    {"os", "OS", DM_COL_STR, NULL},
    {"version", "Version", DM_COL_STR, NULL},
    {"upgradable_version", "Upgradable to", DM_COL_STR, NULL},
    {"upgrade_type", "Upgrade type", DM_COL_STR, NULL},
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

enum install_col { I_KIND, I_NAME, I_OS, I_VERSION, I_UPGRADE, I_TYPE };

/* What the request asks of the installs, once read. */
struct installs {
	struct dm_param p[DM_VF__MAX + DM_P__MAX];
	struct dm_vcond vc;
	struct dm_paging pg;
	unsigned long long id; /* the package */
	MYSQL_RES *versions;
	struct dm_ranked *v; /* by dpkg's order */
	size_t nv;
	MYSQL_RES *os_names; /* for the form */
};

/* One install: its row (N_COLS values, the sort's value, the unique key) and the value's number. */
struct install {
	MYSQL_ROW row;
	long long num;
};

/* The installs the filters keep, sorted, and what their values point into. */
struct made {
	MYSQL_RES *installs[DM_KIND__MAX], *entities[DM_KIND__MAX], *os;
	struct install *in;
	MYSQL_ROW *rows; /* the rows in order */
	size_t n;
	char **cells;
	char *text; /* the sort values and unique keys */
	int num, desc;
};

/* The names of the package's sources as a JSON list: NULL, with e saying why, on failure. */
static json_t *
sources_json(MYSQL_RES *sources, json_error_t *e)
{
	json_t *a = json_array(), *s;
	MYSQL_ROW r;

	snprintf(e->text, sizeof(e->text), "out of memory");
	while (a != NULL && (r = mysql_fetch_row(sources)) != NULL) {
		/* A name Jansson refuses fails the answer: dropped, the list would lie. */
		if ((s = json_pack_ex(e, 0, "s", r[0])) == NULL) {
			json_decref(a);
			return NULL;
		}
		if (json_array_append_new(a, s) == -1) {
			snprintf(e->text, sizeof(e->text), "out of memory");
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The package's versions in dpkg's order (equal ones, 1.0 and 1.00, share a rank): 0, or -1. */
static int
versions_read(struct dm_sql *q, struct installs *in)
{
	dm_sql_start(q, stmts[S_VERSIONS], in->id);
	if ((in->versions = dm_sql_query(q)) == NULL ||
	    dm_ranked_read(in->versions, &in->v, &in->nv) == -1)
		return -1;
	return 0;
}

static int
ranked_id_cmp(const void *a, const void *b)
{
	unsigned long long x = ((const struct dm_ranked *)a)->id;
	unsigned long long y = ((const struct dm_ranked *)b)->id;

	return x < y ? -1 : x > y;
}

/* The version of id among the n sorted by id, or NULL. */
static const struct dm_ranked *
version_of(const struct dm_ranked *by_id, size_t n, const char *id)
{
	struct dm_ranked key = {.id = id != NULL ? strtoull(id, NULL, 10) : 0};

	return id == NULL ? NULL : bsearch(&key, by_id, n, sizeof(*by_id), ranked_id_cmp);
}

/* The upgrades= condition on an install key's columns, " AND ...", or "". */
static const char *
upgrades_sql(const char *up)
{
	if (up == NULL || up[0] == '\0')
		return "";
	if (strcmp(up, "any") == 0)
		return " AND upgradable_version_id IS NOT NULL";
	if (strcmp(up, "security") == 0)
		return " AND upgradable_version_id IS NOT NULL AND upgrade_type "
		       "= " DM_SQL_UPGRADE_SECURITY;
	return " AND upgradable_version_id IS NULL";
}

/* Reads each kind's installs of the versions the condition keeps, and their entities. */
static int
made_query(MYSQL *db, struct installs *in, struct made *m)
{
	unsigned long long *ids = calloc(in->nv + 1, sizeof(*ids)), *ents = NULL;
	size_t i, n = 0, k, ne;
	MYSQL_ROW r;
	int rc = -1;

	if (ids == NULL)
		return -1;
	for (i = 0; i < in->nv; i++)
		if (dm_vcond_match(&in->vc, in->v[i].version))
			ids[n++] = in->v[i].id;
	if ((m->os = dm_sql_scan(db, "SELECT id, name FROM os", "id", NULL, 0, "")) == NULL)
		goto out;
	for (k = 0; k < DM_KIND__MAX; k++) {
		if ((m->installs[k] = dm_sql_scan(db, install_sql[k], "package_version_id", ids, n,
		                                  upgrades_sql(in->p[DM_VF_UPGRADES].value))) ==
		    NULL)
			goto out;
		free(ents);
		if ((ents = calloc(mysql_num_rows(m->installs[k]) + 1, sizeof(*ents))) == NULL)
			goto out;
		for (ne = 0; (r = mysql_fetch_row(m->installs[k])) != NULL;)
			ents[ne++] = strtoull(r[E_ID], NULL, 10);
		if ((m->entities[k] = dm_sql_lookup(db, entity_sql[k], "id", ents, ne)) == NULL)
			goto out;
	}
	rc = 0;
out:
	free(ents);
	free(ids);
	return rc;
}

/* Writes install i's sort value and unique key to f (each ending in NUL), its number in *num. */
static void
install_keys(FILE *f, enum sort sort, MYSQL_ROW row, const struct dm_ranked *v,
             const struct dm_ranked *uv, long long *num)
{
	int class = row[I_TYPE] == NULL ? 2 : row[I_TYPE][0] != '\0' ? 0 : 1;

	*num = 0;
	switch (sort) {
	case SORT_TYPE:
		/* As the SQL it replaces wrote it: class, OS, and the rank on six digits. */
		fprintf(f, "%d %s\001%06zu", class, row[I_OS], v != NULL ? v->rank : 0);
		break;
	case SORT_KIND:
	case SORT_NAME:
	case SORT_OS:
		fputs(row[sort == SORT_KIND ? I_KIND : sort == SORT_NAME ? I_NAME : I_OS], f);
		break;
	case SORT_VERSION:
	case SORT_UPGRADE:
		*num = sort == SORT_VERSION ? (v != NULL ? (long long)v->rank : 0)
		                            : (uv != NULL ? (long long)uv->rank : -1);
		fprintf(f, "%lld", *num);
		break;
	default:
		break;
	}
	fprintf(f, "%c%s %s%c", 0, row[I_KIND], row[I_NAME], 0);
}

/* Builds the rows the filters keep from m's results (v: the versions sorted by id). */
static int
made_rows(const struct installs *in, struct made *m, const struct dm_ranked *v, size_t nv)
{
	const char *os = dm_filter_value(&in->p[DM_VF_OS]);
	enum sort sort = (enum sort)(in->pg.sort - in->pg.sorts);
	struct dm_id_row *ents = NULL, *oses = NULL;
	const struct dm_ranked *pv, *uv;
	size_t n = 0, ne, nos, len = 0, i, k, *at = NULL;
	MYSQL_ROW r, e, o, row;
	FILE *f = NULL;
	int rc = -1;

	for (k = 0; k < DM_KIND__MAX; k++)
		n += mysql_num_rows(m->installs[k]);
	if ((m->in = calloc(n + 1, sizeof(*m->in))) == NULL ||
	    (m->cells = calloc((n + 1) * (N_COLS + 2), sizeof(*m->cells))) == NULL ||
	    (at = calloc(n + 1, sizeof(*at))) == NULL || dm_id_rows(m->os, &oses, &nos) == -1 ||
	    (f = open_memstream(&m->text, &len)) == NULL)
		goto out;
	for (k = 0; k < DM_KIND__MAX; k++) {
		free(ents);
		if (dm_id_rows(m->entities[k], &ents, &ne) == -1)
			goto out;
		mysql_data_seek(m->installs[k], 0);
		while ((r = mysql_fetch_row(m->installs[k])) != NULL) {
			e = dm_id_row(ents, ne, strtoull(r[E_ID], NULL, 10));
			o = e != NULL ? dm_id_row(oses, nos, strtoull(e[2], NULL, 10)) : NULL;
			if (e == NULL || o == NULL || (os != NULL && strcmp(o[1], os) != 0))
				continue; /* gone since, or not of os= */
			pv = version_of(v, nv, r[E_VERSION]);
			uv = version_of(v, nv, r[E_UPGRADE]);
			row = m->cells + m->n * (N_COLS + 2);
			row[I_KIND] = kind_names[k];
			row[I_NAME] = e[1];
			row[I_OS] = o[1];
			row[I_VERSION] = pv != NULL ? (char *)pv->version : NULL;
			row[I_UPGRADE] = r[E_UPGRADE] == NULL ? NULL
			                 : uv != NULL         ? (char *)uv->version
			                                      : NULL;
			row[I_TYPE] = r[E_UPGRADE] == NULL                              ? NULL
			              : strcmp(r[E_TYPE], DM_SQL_UPGRADE_SECURITY) == 0 ? security
			                                                                : other;
			at[m->n] = (size_t)ftell(f);
			install_keys(f, sort, row, pv, uv, &m->in[m->n].num);
			m->in[m->n++].row = row;
		}
	}
	if (fclose(f) != 0) {
		f = NULL;
		goto out;
	}
	f = NULL;
	for (i = 0; i < m->n; i++) {
		m->in[i].row[N_COLS] = m->text + at[i];
		m->in[i].row[N_COLS + 1] = m->text + at[i] + strlen(m->text + at[i]) + 1;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	free(at);
	free(oses);
	free(ents);
	return rc;
}
/* Install a against the value v (its number x) and unique key k, in the list's order. */
static int
install_cmp(const struct made *m, const struct install *a, const char *v, long long x,
            const char *k)
{
	int c = m->num ? (a->num < x ? -1 : a->num > x) : strcmp(a->row[N_COLS], v);

	if (c == 0)
		c = strcmp(a->row[N_COLS + 1], k);
	return m->desc ? -c : c;
}

static int
installs_cmp(const void *pa, const void *pb, void *arg)
{
	const struct install *b = pb;

	return install_cmp(arg, pa, b->row[N_COLS], b->num, b->row[N_COLS + 1]);
}

static int
cursor_cmp(size_t i, const char *value, const char *key, void *arg)
{
	const struct made *m = arg;

	return install_cmp(m, &m->in[i], value, strtoll(value, NULL, 10), key);
}

static char *
cursor_of(size_t i, void *arg)
{
	const struct made *m = arg;

	return dm_paging_cursor(m->in[i].row[N_COLS], m->in[i].row[N_COLS + 1]);
}

/*
 * The installs the request asks for, read, filtered and sorted into m, and its page
 * (every row without limit=) into page, whose rows point into m's: 0, or -1 on a
 * database error or no memory.
 */
static int
made_read(struct dm_ctx *ctx, struct installs *in, struct made *m, struct dm_page *page)
{
	struct dm_ranked *by_id = calloc(in->nv + 1, sizeof(*by_id));
	int rc = -1;
	size_t i;

	memset(page, 0, sizeof(*page));
	if (by_id == NULL)
		return -1;
	memcpy(by_id, in->v, in->nv * sizeof(*by_id));
	qsort(by_id, in->nv, sizeof(*by_id), ranked_id_cmp);
	m->num = in->pg.sort == &in->pg.sorts[SORT_VERSION] ||
	         in->pg.sort == &in->pg.sorts[SORT_UPGRADE];
	m->desc = in->pg.desc;
	if (made_query(ctx->db, in, m) == -1 || made_rows(in, m, by_id, in->nv) == -1 ||
	    (m->rows = calloc(m->n + 1, sizeof(*m->rows))) == NULL)
		goto out;
	qsort_r(m->in, m->n, sizeof(*m->in), installs_cmp, m);
	for (i = 0; i < m->n; i++)
		m->rows[i] = m->in[i].row;
	dm_listing_slice(ctx, &in->pg, m->rows, m->n, cursor_cmp, cursor_of, m, page);
	rc = 0;
out:
	free(by_id);
	return rc;
}

/* Frees m and what made_read put in page (not its rows: they are m's). */
static void
made_free(struct made *m, struct dm_page *page)
{
	size_t k;

	dm_listing_slice_free(page);
	for (k = 0; k < DM_KIND__MAX; k++) {
		if (m->installs[k] != NULL)
			mysql_free_result(m->installs[k]);
		if (m->entities[k] != NULL)
			mysql_free_result(m->entities[k]);
	}
	if (m->os != NULL)
		mysql_free_result(m->os);
	free(m->in);
	free(m->rows);
	free(m->cells);
	free(m->text);
}

static void
package_json(struct dm_ctx *ctx, const char *name, MYSQL_RES *sources,
             const struct dm_issues *issues, struct installs *in, struct dm_page *page)
{
	FILE *f = ctx->res.out;
	json_error_t e;
	json_t *list = sources_json(sources, &e);
	json_t *o =
	    list != NULL ? json_pack_ex(&e, 0, "{s:s, s:o}", "name", name, "sources", list) : NULL;
	char *text = dm_json_answer(ctx, "package", o, &e);

	if (text == NULL)
		return;
	dm_listing_respond(ctx, &in->pg, "installs", page);
	dm_json_open(f, text);
	fputs(",\"issues\":", f);
	dm_issues_json(f, issues);
	fputs(",", f);
	if (dm_listing_json_part(f, &in->pg, page, "installs", cols, N_COLS) == 0)
		fputs("}\n", f);
	free(text);
}

static void
install_html(FILE *f, MYSQL_ROW r)
{
	const char *type = r[I_TYPE];
	int host = strcmp(r[I_KIND], "host") == 0;

	fputs(type == NULL ? "<tr>"
	      : type[0]    ? "<tr class=\"security\">"
	                   : "<tr class=\"upgrade\">",
	      f);
	fprintf(f, "<td>%s</td><td>", host ? "host" : "image");
	if (host)
		dm_link(f, "/hosts/", r[I_NAME]);
	else
		dm_link_path(f, "/images/", r[I_NAME]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[I_OS]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[I_VERSION]);
	fputs("</td><td>", f);
	dm_html_txt(f, r[I_UPGRADE] ? r[I_UPGRADE] : "");
	fputs("</td><td>", f);
	dm_html_txt(f, type == NULL ? "" : type[0] ? type : "upgrade");
	fputs("</td></tr>\n", f);
}

static void
package_html(struct dm_ctx *ctx, const char *name, MYSQL_RES *sources,
             const struct dm_issues *issues, struct installs *in, struct dm_page *page)
{
	FILE *f = ctx->res.out;
	MYSQL_ROW r;
	int first = 1;

	dm_page_begin(ctx, 200, name);
	fputs("<dl class=\"facts\">\n<dt>Source packages</dt><dd>", f);
	for (; (r = mysql_fetch_row(sources)) != NULL; first = 0) {
		fputs(first ? "" : ", ", f);
		dm_link(f, "/source-packages/", r[0]);
	}
	fputs("</dd>\n</dl>\n<h2>Installed on</h2>\n", f);
	dm_form_versions(f, ctx, in->os_names, in->p, &in->vc, &in->pg);
	dm_listing_html_part(f, ctx, &in->pg, page, cols, N_COLS, install_html);
	dm_issues_html(f, issues, "/packages/", name);
	dm_page_end(ctx);
}

/* The issues of the sources the package's versions are built from (the rows of sources). */
static int
source_issues(MYSQL *db, MYSQL_RES *sources, struct dm_issues *issues)
{
	size_t i, n = mysql_num_rows(sources);
	const char **names = calloc(n + 1, sizeof(*names));
	MYSQL_ROW r;
	int rc;

	if (names == NULL)
		return -1;
	for (i = 0; i < n && (r = mysql_fetch_row(sources)) != NULL; i++)
		names[i] = r[0];
	mysql_data_seek(sources, 0);
	rc = dm_issues_read(db, names, i, issues);
	free(names);
	return rc;
}

/* The installs as the page or the answer, the package's other parts read: 0, or a status. */
static int
installs_answer(struct dm_ctx *ctx, struct dm_sql *q, const char *name, struct installs *in,
                MYSQL_RES *sources, const struct dm_issues *issues)
{
	struct made m = {0};
	struct dm_page page;
	int rc = 0;

	memset(&page, 0, sizeof(page));
	if (versions_read(q, in) == -1 || made_read(ctx, in, &m, &page) == -1 ||
	    (in->pg.format == DM_FORMAT_HTML && (in->os_names = dm_form_os_query(q)) == NULL)) {
		made_free(&m, &page);
		return mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	}
	if (in->pg.format == DM_FORMAT_CSV) {
		dm_listing_respond(ctx, &in->pg, "installs", &page);
		rc = dm_listing_csv_part(ctx->res.out, &page, cols, N_COLS);
	} else if (in->pg.format == DM_FORMAT_JSON) {
		package_json(ctx, name, sources, issues, in, &page);
	} else {
		package_html(ctx, name, sources, issues, in, &page);
	}
	made_free(&m, &page);
	return rc == -1 ? dm_db_status(ctx->db) : rc;
}

static int
package_get(struct dm_ctx *ctx, const char *name, struct installs *in)
{
	MYSQL_RES *package = NULL, *sources = NULL;
	struct dm_issues issues = {0};
	struct dm_sql q;
	MYSQL_ROW p;
	int status = 0;

	dm_sql_init(&q, ctx->db);
	dm_sql_start(&q, stmts[S_PACKAGE], name);
	if (dm_db_snapshot(ctx->db) == -1 || (package = dm_sql_query(&q)) == NULL)
		goto db_error;
	if ((p = mysql_fetch_row(package)) == NULL) {
		status = 404;
		goto out;
	}
	in->id = strtoull(p[0], NULL, 10);
	dm_sql_start(&q, stmts[S_SOURCES], in->id);
	if ((sources = dm_sql_query(&q)) == NULL || source_issues(ctx->db, sources, &issues) == -1)
		goto db_error;
	status = installs_answer(ctx, &q, name, in, sources, &issues);
	goto out;
db_error:
	status = dm_db_status(ctx->db);
out:
	dm_issues_free(&issues);
	if (sources != NULL)
		mysql_free_result(sources);
	if (package != NULL)
		mysql_free_result(package);
	dm_sql_free(&q);
	return status;
}

static int
package(struct dm_ctx *ctx)
{
	struct installs in = {0};
	const char *name;
	char query[4096];
	int status = 0;

	if (dm_path_name(ctx, 0, &name) == -1)
		return 0;
	if (dm_vfilters_read(ctx, query, sizeof(query), in.p, &in.pg, sort_keys, SORT__MAX, "0",
	                     name, &in.vc) == 0)
		status = dm_not_found_status(ctx, package_get(ctx, name, &in));
	if (in.os_names != NULL)
		mysql_free_result(in.os_names);
	if (in.versions != NULL)
		mysql_free_result(in.versions);
	free(in.v);
	dm_paging_free(&in.pg);
	return status;
}

const struct dm_endpoint dm_ep_package = {
    .name = "package",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = package,
};
