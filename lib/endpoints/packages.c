/* packages.c: GET /packages/: every binary package with its versions, OSes and counts. */
#include "endpoints/endpoints.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sql.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/paging.h"

/*
 * Scans in package id order, joined here, in one snapshot. As one query (versions and
 * OSes in dependent subqueries per package, the counts the ingest keeps in package_stats
 * in a derived table) it took 140 ms for 6,000 packages, 80 of them for the OS lists; the
 * scans take a fifth of that. A page in name order (the default) scans only its own
 * packages: SQL picks their names from the name key, the other scans take them by id.
 */
enum stmt { S_OS, S_VERSIONS, S_STATS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_OS] = "SELECT id, name FROM os ORDER BY name",
    /* Counted per OS by the server: half the rows of the versions themselves. */
    [S_VERSIONS] = "SELECT package_id, os_id, COUNT(*) FROM package_version",
    [S_STATS] = "SELECT package_id, SUM(hosts), SUM(images), SUM(host_upgrades + image_upgrades),"
                " SUM(host_security + image_security) FROM package_stats",
};

/* What follows the scans' WHERE, when they have one. */
static const char *const tails[S__MAX] = {
    [S_VERSIONS] = " GROUP BY package_id, os_id",
    [S_STATS] = " GROUP BY package_id ORDER BY package_id",
};

enum col { C_NAME, C_VERSIONS, C_OS, C_HOSTS, C_IMAGES, C_UPGRADES, C_SECURITY, C__MAX };

static const struct dm_col cols[C__MAX] = {
    [C_NAME] = {"name", "Package", DM_COL_STR, "/packages/"},
    [C_VERSIONS] = {"versions", "Versions", DM_COL_INT, NULL},
    [C_OS] = {"os", "OS", DM_COL_LIST, NULL},
    [C_HOSTS] = {"hosts", "Hosts", DM_COL_INT, NULL},
    [C_IMAGES] = {"images", "Images", DM_COL_INT, NULL},
    [C_UPGRADES] = {"upgrades", "Upgrades", DM_COL_INT, NULL},
    [C_SECURITY] = {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

/* The numbers of a row, as the listing writes them. */
#define NUM_LEN 24

struct pkg {
	unsigned long long id;
	long long versions;
	/* name from the package result; os malloc'd; numbers in num; the cursor's two */
	char *row[C__MAX + 2];
	char num[C__MAX][NUM_LEN];
};

struct packages {
	MYSQL_RES *os, *names;
	MYSQL_ROW *os_rows; /* by name */
	size_t nos, n;
	struct pkg *pkgs;     /* by id */
	unsigned char *marks; /* n x nos: which OSes a package has versions for */
	MYSQL_ROW *kept;      /* the rows the filters keep, nkept of them */
	size_t nkept;
};

static int
pkg_id_cmp(const void *key, const void *elem)
{
	unsigned long long id = *(const unsigned long long *)key;
	const struct pkg *p = elem;

	return id < p->id ? -1 : id > p->id;
}

static struct pkg *
find_id(struct packages *ps, unsigned long long id)
{
	return bsearch(&id, ps->pkgs, ps->n, sizeof(*ps->pkgs), pkg_id_cmp);
}

static struct pkg *
find(struct packages *ps, const char *id)
{
	return find_id(ps, strtoull(id, NULL, 10));
}

static MYSQL_RES *
query(MYSQL *db, enum stmt s)
{
	if (mysql_query(db, stmts[s]) != 0)
		return NULL;
	return mysql_store_result(db);
}

/* Scan s over every package (ids NULL) or over the n of ids only. */
static MYSQL_RES *
scan(MYSQL *db, enum stmt s, const unsigned long long *ids, size_t n)
{
	return dm_sql_scan(db, stmts[s], "package_id", ids, n, tails[s]);
}

static int
id_cmp(const void *a, const void *b)
{
	return pkg_id_cmp(&((const struct pkg *)a)->id, b);
}

/*
 * The OSes by name, and the packages of names (columns id, name, and on a page the
 * cursor's two) by id, with zero counts. ids: their ids, in that order.
 */
static int
read_packages(MYSQL *db, MYSQL_RES *names, struct packages *ps, unsigned long long **ids)
{
	MYSQL_ROW r;
	size_t i;
	int c;

	ps->names = names;
	if ((ps->os = query(db, S_OS)) == NULL)
		return -1;
	ps->nos = mysql_num_rows(ps->os);
	ps->n = mysql_num_rows(ps->names);
	ps->os_rows = calloc(ps->nos + 1, sizeof(*ps->os_rows));
	ps->pkgs = calloc(ps->n + 1, sizeof(*ps->pkgs));
	ps->marks = calloc(ps->n * ps->nos + 1, 1);
	if (ps->os_rows == NULL || ps->pkgs == NULL || ps->marks == NULL ||
	    (*ids = calloc(ps->n + 1, sizeof(**ids))) == NULL)
		return -1;
	for (i = 0; i < ps->nos && (r = mysql_fetch_row(ps->os)) != NULL; i++)
		ps->os_rows[i] = r;
	for (i = 0; i < ps->n && (r = mysql_fetch_row(ps->names)) != NULL; i++) {
		(*ids)[i] = ps->pkgs[i].id = strtoull(r[0], NULL, 10);
		ps->pkgs[i].row[C_NAME] = r[1];
		if (mysql_num_fields(ps->names) == 4) {
			ps->pkgs[i].row[C__MAX] = r[2];
			ps->pkgs[i].row[C__MAX + 1] = r[3];
		}
		for (c = C_HOSTS; c <= C_SECURITY; c++)
			snprintf(ps->pkgs[i].num[c], NUM_LEN, "0");
	}
	qsort(ps->pkgs, ps->n, sizeof(*ps->pkgs), id_cmp);
	return 0;
}

/* Counts each package's versions and marks the OSes it has them for. */
static int
read_versions(MYSQL *db, struct packages *ps, const unsigned long long *ids, size_t n)
{
	MYSQL_RES *res;
	MYSQL_ROW r;
	struct pkg *p;
	size_t o;

	if ((res = scan(db, S_VERSIONS, ids, n)) == NULL)
		return -1;
	while ((r = mysql_fetch_row(res)) != NULL) {
		if ((p = find(ps, r[0])) == NULL)
			continue;
		p->versions += strtoll(r[2], NULL, 10);
		for (o = 0; o < ps->nos && strcmp(ps->os_rows[o][0], r[1]) != 0; o++)
			continue;
		if (o < ps->nos)
			ps->marks[(size_t)(p - ps->pkgs) * ps->nos + o] = 1;
	}
	mysql_free_result(res);
	return 0;
}

static int
read_stats(MYSQL *db, struct packages *ps, const unsigned long long *ids)
{
	MYSQL_RES *res;
	MYSQL_ROW r;
	struct pkg *p;
	int c;

	if ((res = scan(db, S_STATS, ids, ps->n)) == NULL)
		return -1;
	while ((r = mysql_fetch_row(res)) != NULL) {
		if ((p = find(ps, r[0])) == NULL)
			continue;
		for (c = C_HOSTS; c <= C_SECURITY; c++)
			snprintf(p->num[c], NUM_LEN, "%s",
			         r[c - C_HOSTS + 1] ? r[c - C_HOSTS + 1] : "0");
	}
	mysql_free_result(res);
	return 0;
}

/* The package's OS names, by name, one per line: malloc'd. */
static char *
os_list(const struct packages *ps, const struct pkg *p)
{
	return dm_os_names(ps->os_rows, ps->nos, ps->marks + (size_t)(p - ps->pkgs) * ps->nos);
}

/* The package a row (its row member) belongs to. */
static struct pkg *
pkg_of(MYSQL_ROW row)
{
	return (struct pkg *)(void *)((char *)row - offsetof(struct pkg, row));
}

/* What fill_versions needs. */
struct late {
	MYSQL *db;
	struct packages *ps;
};

/*
 * The versions and OSes of the n rows shown, read for them alone: when the sort and the
 * filters need only the counters, the scan of every package's versions (37,000 rows at
 * bench/fleet's 10,000 hosts, a third of the answer) is not made. 0, or -1.
 */
static int
fill_versions(MYSQL_ROW *rows, size_t n, void *arg)
{
	struct late *l = arg;
	unsigned long long *ids = calloc(n + 1, sizeof(*ids));
	struct pkg *p;
	size_t i;
	int rc;

	if (ids == NULL)
		return -1;
	for (i = 0; i < n; i++)
		ids[i] = pkg_of(rows[i])->id;
	rc = read_versions(l->db, l->ps, ids, n);
	free(ids);
	for (i = 0; rc == 0 && i < n; i++) {
		p = pkg_of(rows[i]);
		snprintf(p->num[C_VERSIONS], NUM_LEN, "%lld", p->versions);
		free(p->row[C_OS]);
		if ((p->row[C_OS] = os_list(l->ps, p)) == NULL)
			rc = -1;
	}
	return rc;
}

/* Whether the row passes q= (a part of the name) and upgrades=. */
static int
keep(const struct pkg *p, const char *q, const char *up)
{
	if (q != NULL && q[0] != '\0' && strstr(p->row[C_NAME], q) == NULL)
		return 0;
	if (up == NULL || up[0] == '\0')
		return 1;
	if (strcmp(up, "security") == 0)
		return strtoll(p->num[C_SECURITY], NULL, 10) > 0;
	return (strtoll(p->num[C_UPGRADES], NULL, 10) > 0) == (strcmp(up, "any") == 0);
}

/* Every row complete, and the rows the filters keep. */
static int
finish_rows(struct packages *ps, const char *q, const char *up)
{
	struct pkg *p;
	size_t i;
	int c;

	if ((ps->kept = calloc(ps->n + 1, sizeof(*ps->kept))) == NULL)
		return -1;
	for (i = 0; i < ps->n; i++) {
		p = &ps->pkgs[i];
		snprintf(p->num[C_VERSIONS], NUM_LEN, "%lld", p->versions);
		for (c = C_VERSIONS; c < C__MAX; c++)
			if (c != C_OS)
				p->row[c] = p->num[c];
		if ((p->row[C_OS] = os_list(ps, p)) == NULL)
			return -1;
		if (keep(p, q, up))
			ps->kept[ps->nkept++] = p->row;
	}
	return 0;
}

static void
packages_free(struct packages *ps)
{
	size_t i;

	for (i = 0; ps->pkgs != NULL && i < ps->n; i++)
		free(ps->pkgs[i].row[C_OS]);
	free(ps->kept);
	free(ps->marks);
	free(ps->pkgs);
	free(ps->os_rows);
	if (ps->names != NULL)
		mysql_free_result(ps->names);
	if (ps->os != NULL)
		mysql_free_result(ps->os);
}

enum param { P_Q, P_UPGRADES, P__FILTERS };

/* Every column sorts; the rows are made in C, so the SQL is only their name. */
static const struct dm_sort sorts[] = {
    {"name", "name"},
    {"versions", "versions"},
    {"os", "os"},
    {"hosts", "hosts"},
    {"images", "images"},
    {"upgrades", "upgrades"},
    {"security_upgrades", "security_upgrades"},
};

/* The filters of the page's form, read by form() (one request per process). */
static const struct dm_param *form_params;

static void
form(FILE *f, const struct dm_paging *pg)
{
	dm_form_open(f, "/packages/");
	dm_form_text(f, "Name", "q", form_params[P_Q].value, "part of the name");
	dm_form_upgrades(f, form_params[P_UPGRADES].value);
	dm_form_close(f, pg, "/packages/");
}

static int
packages(struct dm_ctx *ctx)
{
	struct dm_param p[P__FILTERS + DM_P__MAX] = {
	    {"q", NULL}, {"upgrades", NULL}, DM_PAGING_PARAMS};
	struct packages ps = {0};
	struct dm_paging pg = {0};
	unsigned long long *ids = NULL;
	MYSQL_RES *names = NULL;
	const char *q, *up;
	char qs[4096];
	struct late l = {ctx->db, &ps};
	int status = 0, window, late;
	size_t i;

	if (dm_filters_read(ctx, qs, sizeof(qs), p, P__FILTERS, &pg, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), "name") == -1) {
		dm_paging_free(&pg);
		return 0;
	}
	q = dm_filter_value(&p[P_Q]);
	up = dm_filter_value(&p[P_UPGRADES]);
	/*
	 * A page in name order without upgrades=: the names come from their key. Another page
	 * not sorted by versions or OS: their scan waits for the page's rows (late).
	 */
	window = pg.limit > 0 && pg.sort == &sorts[0] && up == NULL;
	late = pg.limit > 0 && !window && strcmp(pg.sort->key, "versions") != 0 &&
	       strcmp(pg.sort->key, "os") != 0;
	if (dm_db_snapshot(ctx->db) == -1 ||
	    dm_filter_names(ctx->db, &pg, "package", q, window, &names) == -1 ||
	    read_packages(ctx->db, names, &ps, &ids) == -1 ||
	    (!late && read_versions(ctx->db, &ps, window ? ids : NULL, ps.n) == -1) ||
	    read_stats(ctx->db, &ps, window ? ids : NULL) == -1)
		status = mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	else if (finish_rows(&ps, q, up) == -1)
		status = 500;
	else if (window) {
		for (i = 0; i < ps.n; i++)
			ps.kept[i] = find_id(&ps, ids[i])->row;
		form_params = p;
		status = dm_listing_paged_window(ctx, "Packages", "packages", ps.kept, ps.n, cols,
		                                 C__MAX, &pg, form);
	} else {
		pg.total = (long long)ps.nkept;
		form_params = p;
		status =
		    dm_listing_paged_rows_fill(ctx, "Packages", "packages", ps.kept, ps.nkept, cols,
		                               C__MAX, &pg, form, late ? fill_versions : NULL, &l);
	}
	packages_free(&ps);
	free(ids);
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_packages = {
    .name = "packages",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = packages,
};
