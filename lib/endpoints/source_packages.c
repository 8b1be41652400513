/* source_packages.c: GET /source-packages/: every source package, its versions and binaries. */
#include "endpoints/endpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "web/filters.h"
#include "web/listing.h"
#include "web/paging.h"

/*
 * Scans joined here in one snapshot, as packages.c does: the correlated subqueries per
 * source this replaces took 164 ms at 10,000 hosts. A source's versions are counted per
 * OS by the server; its binaries are the distinct (source, package) pairs of the
 * package versions, one per group of their source_binary key (6,853 rows where the
 * versions are 37,014 at 10,000 hosts). The upgrades of a source are those of its
 * binaries, from the counts the ingest keeps in package_stats: never an aggregate over
 * the install tables. A page in name order (the default) scans only its own sources.
 */
enum stmt { S_OS, S_VERSIONS, S_BINARIES, S_STATS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_OS] = "SELECT id, name FROM os ORDER BY name",
    [S_VERSIONS] = "SELECT source_package_id, os_id, COUNT(*) FROM source_package_version",
    [S_BINARIES] = "SELECT source_package_id, package_id FROM package_version",
    [S_STATS] = "SELECT package_id, SUM(host_upgrades + image_upgrades),"
                " SUM(host_security + image_security) FROM package_stats",
};

/* The scans' column for a page's ids, and what follows their WHERE. */
static const char *const scan_cols[S__MAX] = {
    [S_VERSIONS] = "source_package_id",
    [S_BINARIES] = "source_package_id",
    [S_STATS] = "package_id",
};
static const char *const tails[S__MAX] = {
    [S_VERSIONS] = " GROUP BY source_package_id, os_id",
    [S_BINARIES] = " GROUP BY source_package_id, package_id",
    [S_STATS] = " GROUP BY package_id ORDER BY package_id",
};

enum col { C_NAME, C_VERSIONS, C_OS, C_BINARIES, C_UPGRADES, C_SECURITY, C__MAX };

static const struct dm_col cols[C__MAX] = {
    [C_NAME] = {"name", "Source package", DM_COL_STR, "/source-packages/"},
    [C_VERSIONS] = {"versions", "Versions", DM_COL_INT, NULL},
    [C_OS] = {"os", "OS", DM_COL_LIST, NULL},
    [C_BINARIES] = {"binaries", "Binary packages", DM_COL_INT, NULL},
    /* Pending upgrades of its binaries, on hosts and images. */
    [C_UPGRADES] = {"upgrades", "Upgrades", DM_COL_INT, NULL},
    [C_SECURITY] = {"security_upgrades", "Security upgrades", DM_COL_INT, NULL},
};

#define NUM_LEN 24

struct src {
	unsigned long long id;
	long long n[C__MAX];   /* the numbers */
	char *row[C__MAX + 2]; /* name from the result; os malloc'd; numbers in num */
	char num[C__MAX][NUM_LEN];
};

struct sources {
	MYSQL_RES *os, *names;
	MYSQL_ROW *os_rows;
	size_t nos, n, nkept;
	struct src *s;        /* by id */
	unsigned char *marks; /* n x nos */
	MYSQL_ROW *kept;
};

static int
id_cmp(const void *key, const void *elem)
{
	unsigned long long id = *(const unsigned long long *)key;
	const struct src *s = elem;

	return id < s->id ? -1 : id > s->id;
}

static struct src *
find_id(struct sources *ss, unsigned long long id)
{
	return bsearch(&id, ss->s, ss->n, sizeof(*ss->s), id_cmp);
}

static struct src *
find(struct sources *ss, const char *id)
{
	return find_id(ss, strtoull(id, NULL, 10));
}

static MYSQL_RES *
query(MYSQL *db, enum stmt s)
{
	if (mysql_query(db, stmts[s]) != 0)
		return NULL;
	return mysql_store_result(db);
}

/* Scan s, stored: every row (ids NULL), or those of the n ids. */
static MYSQL_RES *
scan(MYSQL *db, enum stmt s, const unsigned long long *ids, size_t n)
{
	return dm_sql_scan(db, stmts[s], scan_cols[s], ids, n, tails[s]);
}

static int
src_cmp(const void *a, const void *b)
{
	return id_cmp(&((const struct src *)a)->id, b);
}

/*
 * The OSes by name, and the sources of names (id, name, and on a page the cursor's two)
 * by id. ids: their ids, in that order.
 */
static int
read_sources(MYSQL *db, MYSQL_RES *names, struct sources *ss, unsigned long long **ids)
{
	MYSQL_ROW r;
	size_t i;

	ss->names = names;
	if ((ss->os = query(db, S_OS)) == NULL)
		return -1;
	ss->nos = mysql_num_rows(ss->os);
	ss->n = mysql_num_rows(ss->names);
	ss->os_rows = calloc(ss->nos + 1, sizeof(*ss->os_rows));
	ss->s = calloc(ss->n + 1, sizeof(*ss->s));
	ss->marks = calloc(ss->n * ss->nos + 1, 1);
	if (ss->os_rows == NULL || ss->s == NULL || ss->marks == NULL ||
	    (*ids = calloc(ss->n + 1, sizeof(**ids))) == NULL)
		return -1;
	for (i = 0; i < ss->nos && (r = mysql_fetch_row(ss->os)) != NULL; i++)
		ss->os_rows[i] = r;
	for (i = 0; i < ss->n && (r = mysql_fetch_row(ss->names)) != NULL; i++) {
		(*ids)[i] = ss->s[i].id = strtoull(r[0], NULL, 10);
		ss->s[i].row[C_NAME] = r[1];
		if (mysql_num_fields(ss->names) == 4) {
			ss->s[i].row[C__MAX] = r[2];
			ss->s[i].row[C__MAX + 1] = r[3];
		}
	}
	qsort(ss->s, ss->n, sizeof(*ss->s), src_cmp);
	return 0;
}

/* A package's upgrades, from package_stats. */
struct pkg_stat {
	unsigned long long package;
	long long upgrades, security;
};

static int
stat_key_cmp(const void *key, const void *elem)
{
	unsigned long long k = *(const unsigned long long *)key;
	const struct pkg_stat *st = elem;

	return k < st->package ? -1 : k > st->package;
}

/* Adds each source's versions per OS (ids: of those sources only, or NULL). 0, or -1. */
static int
read_versions(MYSQL *db, struct sources *ss, const unsigned long long *ids)
{
	MYSQL_RES *res = scan(db, S_VERSIONS, ids, ss->n);
	MYSQL_ROW r;
	struct src *s;
	size_t o;

	if (res == NULL)
		return -1;
	while ((r = mysql_fetch_row(res)) != NULL) {
		if ((s = find(ss, r[0])) == NULL)
			continue;
		s->n[C_VERSIONS] += strtoll(r[2], NULL, 10);
		for (o = 0; o < ss->nos && strcmp(ss->os_rows[o][0], r[1]) != 0; o++)
			continue;
		if (o < ss->nos)
			ss->marks[(size_t)(s - ss->s) * ss->nos + o] = 1;
	}
	mysql_free_result(res);
	return 0;
}

/*
 * The upgrades of each package (every one: pks NULL, or the npk of pks) with any, by
 * package id, into *stats (n of them).
 */
static int
read_stats(MYSQL *db, const unsigned long long *pks, size_t npk, struct pkg_stat **stats, size_t *n)
{
	MYSQL_RES *res = scan(db, S_STATS, pks, npk);
	MYSQL_ROW r;

	if (res == NULL || (*stats = calloc(mysql_num_rows(res) + 1, sizeof(**stats))) == NULL) {
		if (res != NULL)
			mysql_free_result(res);
		return -1;
	}
	while ((r = mysql_fetch_row(res)) != NULL) {
		(*stats)[*n].package = strtoull(r[0], NULL, 10);
		(*stats)[*n].upgrades = r[1] ? strtoll(r[1], NULL, 10) : 0;
		(*stats)[(*n)++].security = r[2] ? strtoll(r[2], NULL, 10) : 0;
	}
	mysql_free_result(res);
	return 0;
}

static int
ull_cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* The distinct values of the n ids, sorted in place: how many. */
static size_t
distinct(unsigned long long *ids, size_t n)
{
	size_t i, k = 0;

	qsort(ids, n, sizeof(*ids), ull_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	return k;
}

/*
 * Reads the versions, the binaries and their upgrades into the sources' numbers: of every
 * source (ids NULL), or of the sources of ids only.
 */
static int
read_numbers(MYSQL *db, struct sources *ss, const unsigned long long *ids)
{
	unsigned long long *pks = NULL, pk;
	struct pkg_stat *stats = NULL, *st;
	MYSQL_RES *bins = NULL;
	size_t i, nb, nstats = 0;
	MYSQL_ROW r;
	struct src *s;
	int rc = -1;

	/* A page's counters are those of its own binaries; a whole list's, every package's. */
	if (read_versions(db, ss, ids) == -1 || (bins = scan(db, S_BINARIES, ids, ss->n)) == NULL)
		goto out;
	nb = mysql_num_rows(bins);
	if (ids != NULL) {
		if ((pks = calloc(nb + 1, sizeof(*pks))) == NULL)
			goto out;
		for (i = 0; i < nb && (r = mysql_fetch_row(bins)) != NULL; i++)
			pks[i] = strtoull(r[1], NULL, 10);
		mysql_data_seek(bins, 0);
	}
	if (read_stats(db, pks, pks != NULL ? distinct(pks, nb) : 0, &stats, &nstats) == -1)
		goto out;
	while ((r = mysql_fetch_row(bins)) != NULL) {
		if ((s = find(ss, r[0])) == NULL)
			continue;
		s->n[C_BINARIES]++;
		pk = strtoull(r[1], NULL, 10);
		if ((st = bsearch(&pk, stats, nstats, sizeof(*stats), stat_key_cmp)) != NULL) {
			s->n[C_UPGRADES] += st->upgrades;
			s->n[C_SECURITY] += st->security;
		}
	}
	rc = 0;
out:
	if (bins != NULL)
		mysql_free_result(bins);
	free(pks);
	free(stats);
	return rc;
}

/* The source's OS names, by name, one per line: malloc'd. */
static char *
os_list(const struct sources *ss, const struct src *s)
{
	return dm_os_names(ss->os_rows, ss->nos, ss->marks + (size_t)(s - ss->s) * ss->nos);
}

/* Whether the row passes q= (a part of the name) and upgrades=. */
static int
keep(const struct src *s, const char *q, const char *up)
{
	if (q != NULL && q[0] != '\0' && strstr(s->row[C_NAME], q) == NULL)
		return 0;
	if (up == NULL || up[0] == '\0')
		return 1;
	if (strcmp(up, "security") == 0)
		return s->n[C_SECURITY] > 0;
	return (s->n[C_UPGRADES] > 0) == (strcmp(up, "any") == 0);
}

static int
finish_rows(struct sources *ss, const char *q, const char *up)
{
	struct src *s;
	size_t i;
	int c;

	if ((ss->kept = calloc(ss->n + 1, sizeof(*ss->kept))) == NULL)
		return -1;
	for (i = 0; i < ss->n; i++) {
		s = &ss->s[i];
		for (c = C_VERSIONS; c < C__MAX; c++) {
			snprintf(s->num[c], NUM_LEN, "%lld", s->n[c]);
			s->row[c] = c == C_OS ? NULL : s->num[c];
		}
		if ((s->row[C_OS] = os_list(ss, s)) == NULL)
			return -1;
		if (keep(s, q, up))
			ss->kept[ss->nkept++] = s->row;
	}
	return 0;
}

static void
sources_free(struct sources *ss)
{
	size_t i;

	for (i = 0; ss->s != NULL && i < ss->n; i++)
		free(ss->s[i].row[C_OS]);
	free(ss->kept);
	free(ss->marks);
	free(ss->s);
	free(ss->os_rows);
	if (ss->names != NULL)
		mysql_free_result(ss->names);
	if (ss->os != NULL)
		mysql_free_result(ss->os);
}

enum param { P_Q, P_UPGRADES, P__FILTERS };

static const struct dm_sort sorts[] = {
    {"name", "name"},         {"versions", "versions"}, {"os", "os"},
    {"binaries", "binaries"}, {"upgrades", "upgrades"}, {"security_upgrades", "security_upgrades"},
};

/* The filters of the page's form, read by form() (one request per process). */
static const struct dm_param *form_params;

static void
form(FILE *f, const struct dm_paging *pg)
{
	dm_form_open(f, "/source-packages/");
	dm_form_text(f, "Name", "q", form_params[P_Q].value, "part of the name");
	dm_form_upgrades(f, form_params[P_UPGRADES].value);
	dm_form_close(f, pg, "/source-packages/");
}

static int
source_packages(struct dm_ctx *ctx)
{
	struct dm_param p[P__FILTERS + DM_P__MAX] = {
	    {"q", NULL}, {"upgrades", NULL}, DM_PAGING_PARAMS};
	struct sources ss = {0};
	struct dm_paging pg = {0};
	unsigned long long *ids = NULL;
	MYSQL_RES *names = NULL;
	const char *q, *up;
	char qs[4096];
	int status = 0, window;
	size_t i;

	if (dm_filters_read(ctx, qs, sizeof(qs), p, P__FILTERS, &pg, sorts,
	                    sizeof(sorts) / sizeof(sorts[0]), "name") == -1) {
		dm_paging_free(&pg);
		return 0;
	}
	q = dm_filter_value(&p[P_Q]);
	up = dm_filter_value(&p[P_UPGRADES]);
	/* A page in name order without upgrades=: the names come from their key. */
	window = pg.limit > 0 && pg.sort == &sorts[0] && up == NULL;
	if (dm_db_snapshot(ctx->db) == -1 ||
	    dm_filter_names(ctx->db, &pg, "source_package", q, window, &names) == -1 ||
	    read_sources(ctx->db, names, &ss, &ids) == -1 ||
	    read_numbers(ctx->db, &ss, window ? ids : NULL) == -1)
		status = mysql_errno(ctx->db) ? dm_db_status(ctx->db) : 500;
	else if (finish_rows(&ss, q, up) == -1)
		status = 500;
	else if (window) {
		for (i = 0; i < ss.n; i++)
			ss.kept[i] = find_id(&ss, ids[i])->row;
		form_params = p;
		status = dm_listing_paged_window(ctx, "Source packages", "source_packages", ss.kept,
		                                 ss.n, cols, C__MAX, &pg, form);
	} else {
		pg.total = (long long)ss.nkept;
		form_params = p;
		status = dm_listing_paged_rows(ctx, "Source packages", "source_packages", ss.kept,
		                               ss.nkept, cols, C__MAX, &pg, form);
	}
	sources_free(&ss);
	free(ids);
	dm_paging_free(&pg);
	return status;
}

const struct dm_endpoint dm_ep_source_packages = {
    .name = "source-packages",
    .methods = DM_M(DM_GET),
    .identity = DM_ID_ANYONE,
    .needs_db = 1,
    .handler = source_packages,
};
