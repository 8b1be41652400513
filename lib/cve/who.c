/* who.c: the hosts an issue affects, put together from its versions, their installs and names. */
#include "cve/who.h"

#include <stdlib.h>
#include <string.h>

#include "db/model.h"
#include "db/sql.h"

#define STATUS_SQL "ELT(r.status + 1, 'fix available', 'no fix yet', 'undetermined')"

/* The package versions the issue affects (id first), and the kernels. */
static const char versions_tail[] =
    DM_SQL_CVE_VERSIONS " JOIN package p ON p.id = pv.package_id"
                        " WHERE r.issue_id = # AND " DM_SQL_CVE_AFFECTS("r", "spv.version_key");
enum { V_ID, V_PACKAGE, V_VERSION, V_SOURCE_VERSION, V_FIXED, V_STATUS };
static const char kernels_tail[] = DM_SQL_CVE_KERNELS
    " WHERE r.issue_id = # AND r.source_name = 'linux'"
    " AND k.version_key IS NOT NULL AND " DM_SQL_CVE_AFFECTS("r", "k.version_key");
enum { K_ID, K_VERSION, K_FIXED, K_STATUS };
enum { R_VERSIONS, R_KERNELS, R_INSTALLS, R_KERNEL_HOSTS, R_NAMES };

static char kernel_yes[] = "1", kernel_no[] = "0";

static MYSQL_ROW
find(const struct dm_id_row *a, size_t n, const char *id)
{
	return dm_id_row(a, n, strtoull(id, NULL, 10));
}

/* The ids of an index's rows, malloc'd (NULL: no memory, or none when n is 0). */
static unsigned long long *
ids_of(const struct dm_id_row *a, size_t n)
{
	unsigned long long *ids = calloc(n + 1, sizeof(*ids));
	size_t i;

	for (i = 0; ids != NULL && i < n; i++)
		ids[i] = a[i].id;
	return ids;
}

/* The affected versions' or kernels' rows: issue's head, the os map, then tail. */
static MYSQL_RES *
affected(MYSQL *db, const struct dm_cve_oses *o, const char *head, const char *tail,
         unsigned long long issue)
{
	struct dm_sql q;
	MYSQL_RES *res;

	dm_sql_init(&q, db);
	dm_sql_start(&q, head);
	dm_cve_oses_sql(&q, o);
	dm_sql_add(&q, tail, issue);
	res = dm_sql_query(&q);
	dm_sql_free(&q);
	return res;
}

/* The names of the hosts in the first column of installs and kernel hosts, by id. */
static MYSQL_RES *
names(MYSQL *db, MYSQL_RES *installs, MYSQL_RES *kernel_hosts)
{
	size_t n = mysql_num_rows(installs) + mysql_num_rows(kernel_hosts), k = 0;
	unsigned long long *ids = calloc(n + 1, sizeof(*ids));
	MYSQL_RES *res;
	MYSQL_ROW r;

	if (ids == NULL)
		return NULL;
	while ((r = mysql_fetch_row(installs)) != NULL)
		ids[k++] = strtoull(r[0], NULL, 10);
	while ((r = mysql_fetch_row(kernel_hosts)) != NULL)
		ids[k++] = strtoull(r[0], NULL, 10);
	mysql_data_seek(installs, 0);
	mysql_data_seek(kernel_hosts, 0);
	res = dm_sql_lookup(db, "SELECT id, name FROM host", "id", ids, k);
	free(ids);
	return res;
}

static int
who_cmp(const void *pa, const void *pb)
{
	MYSQL_ROW a = *(const MYSQL_ROW *)pa, b = *(const MYSQL_ROW *)pb;
	int c = strcmp(a[DM_WHO_HOST], b[DM_WHO_HOST]);

	if (c != 0)
		return c;
	if ((a[DM_WHO_PACKAGE] == NULL) != (b[DM_WHO_PACKAGE] == NULL))
		return a[DM_WHO_PACKAGE] == NULL ? -1 : 1;
	return a[DM_WHO_PACKAGE] == NULL ? 0 : strcmp(a[DM_WHO_PACKAGE], b[DM_WHO_PACKAGE]);
}

/* The row of host (a name) and its package version v or, v NULL, its kernel k. */
static void
who_row(MYSQL_ROW row, char *host, MYSQL_ROW v, MYSQL_ROW k)
{
	row[DM_WHO_HOST] = host;
	if (v != NULL) {
		row[DM_WHO_KERNEL] = kernel_no;
		row[DM_WHO_PACKAGE] = v[V_PACKAGE];
		row[DM_WHO_INSTALLED] = v[V_VERSION];
		row[DM_WHO_SOURCE_VERSION] = v[V_SOURCE_VERSION];
		row[DM_WHO_FIXED] = v[V_FIXED];
		row[DM_WHO_STATUS] = v[V_STATUS];
		return;
	}
	row[DM_WHO_KERNEL] = kernel_yes;
	row[DM_WHO_PACKAGE] = NULL;
	row[DM_WHO_INSTALLED] = k[K_VERSION];
	row[DM_WHO_SOURCE_VERSION] = k[K_VERSION];
	row[DM_WHO_FIXED] = k[K_FIXED];
	row[DM_WHO_STATUS] = k[K_STATUS];
}

/* Puts the rows together from w's results, indexed in v (versions), k (kernels), h (names). */
static int
assemble(struct dm_cve_who *w, const struct dm_id_row *v, size_t nv, const struct dm_id_row *k,
         size_t nk, const struct dm_id_row *h, size_t nh)
{
	size_t n = mysql_num_rows(w->res[R_INSTALLS]) + mysql_num_rows(w->res[R_KERNEL_HOSTS]);
	MYSQL_ROW r, what, host;
	int kernel;

	w->cells = calloc(n * (DM_WHO__MAX + 2) + 1, sizeof(*w->cells));
	w->rows = calloc(n + 1, sizeof(*w->rows));
	if (w->cells == NULL || w->rows == NULL)
		return -1;
	for (kernel = 0; kernel < 2; kernel++) {
		while ((r = mysql_fetch_row(w->res[kernel ? R_KERNEL_HOSTS : R_INSTALLS])) !=
		       NULL) {
			host = find(h, nh, r[0]);
			what = kernel ? find(k, nk, r[1]) : find(v, nv, r[1]);
			if (host == NULL || what == NULL) /* gone since: not in a snapshot */
				continue;
			w->rows[w->n] = w->cells + w->n * (DM_WHO__MAX + 2);
			who_row(w->rows[w->n++], host[1], kernel ? NULL : what,
			        kernel ? what : NULL);
		}
	}
	qsort(w->rows, w->n, sizeof(*w->rows), who_cmp);
	return 0;
}

int
dm_cve_who_hosts(MYSQL *db, const struct dm_cve_oses *o, unsigned long long issue,
                 struct dm_cve_who *w)
{
	struct dm_id_row *v = NULL, *k = NULL, *h = NULL;
	unsigned long long *vids = NULL, *kids = NULL;
	size_t nv, nk, nh;
	int rc = -1;

	memset(w, 0, sizeof(*w));
	if ((w->res[R_VERSIONS] =
	         affected(db, o,
	                  "SELECT pv.id, p.name, pv.version, spv.version,"
	                  " r.fixed_version, " STATUS_SQL " FROM cve_release r JOIN ",
	                  versions_tail, issue)) == NULL ||
	    (w->res[R_KERNELS] = affected(db, o,
	                                  "SELECT k.id, k.version, r.fixed_version, " STATUS_SQL
	                                  " FROM cve_release r JOIN ",
	                                  kernels_tail, issue)) == NULL ||
	    dm_id_rows(w->res[R_VERSIONS], &v, &nv) == -1 ||
	    dm_id_rows(w->res[R_KERNELS], &k, &nk) == -1 || (vids = ids_of(v, nv)) == NULL ||
	    (kids = ids_of(k, nk)) == NULL)
		goto out;
	/* The installs by the index on their version, the kernels' hosts by theirs. */
	if ((w->res[R_INSTALLS] =
	         dm_sql_scan(db, "SELECT host_id, package_version_id FROM host_package",
	                     "package_version_id", vids, nv, "")) == NULL ||
	    (w->res[R_KERNEL_HOSTS] = dm_sql_scan(db, "SELECT id, kernel_id FROM host", "kernel_id",
	                                          kids, nk, "")) == NULL ||
	    (w->res[R_NAMES] = names(db, w->res[R_INSTALLS], w->res[R_KERNEL_HOSTS])) == NULL ||
	    dm_id_rows(w->res[R_NAMES], &h, &nh) == -1)
		goto out;
	rc = assemble(w, v, nv, k, nk, h, nh);
out:
	free(v);
	free(k);
	free(h);
	free(vids);
	free(kids);
	return rc;
}

void
dm_cve_who_free(struct dm_cve_who *w)
{
	size_t i;

	for (i = 0; i < sizeof(w->res) / sizeof(w->res[0]); i++)
		if (w->res[i] != NULL)
			mysql_free_result(w->res[i]);
	free(w->rows);
	free(w->cells);
	memset(w, 0, sizeof(*w));
}
