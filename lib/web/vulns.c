/* vulns.c: a host's or an image's vulnerabilities, from the tracker's data, as asked. */
#include "web/vulns.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/version.h"
#include "db/sql.h"

/*
 * The releases that affect the versions installed, one row per (issue, package). A host's
 * running kernel is one more package ("linux", p.name NULL) compared by its own version.
 * cve_release is read in its primary key's order (source, release); issue names come
 * from one more query and the rows are sorted here: at thousands of rows a join to
 * cve_issue and a sort in the database cost more than the rest of the page.
 */
#define VULN_COLS "SELECT r.issue_id, r.urgency, r.status, r.fixed_version,"
#define VULNS(PKGS, FK)                                                                            \
	VULN_COLS " p.name, pv.version, sp.name, spv.version FROM " PKGS                           \
	          " e JOIN package_version pv ON pv.id = e.package_version_id"                     \
	          " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"      \
	          " JOIN source_package sp ON sp.id = spv.source_package_id"                       \
	          " JOIN cve_release r ON r.source_name = sp.name AND r.codename = ?"              \
	          " JOIN package p ON p.id = e.package_id"                                         \
	          " WHERE e." FK " = # AND " DM_SQL_CVE_AFFECTS("r", "spv.version_key")
#define KERNEL_VULNS                                                                               \
	" UNION ALL " VULN_COLS " NULL, k.version, r.source_name, k.version"                       \
	" FROM host h JOIN kernel_version k ON k.id = h.kernel_id"                                 \
	" JOIN cve_release r ON r.source_name = 'linux' AND r.codename = ?"                        \
	" WHERE h.id = # AND k.version_key IS NOT NULL AND " DM_SQL_CVE_AFFECTS("r",               \
	                                                                        "k.version_key")

enum stmt { S_HOST, S_IMAGE, S_NAMES, S_IMPORTED, S_KERNELS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_HOST] = VULNS("host_package", "host_id") KERNEL_VULNS,
    [S_IMAGE] = VULNS("image_package", "image_id"),
    [S_NAMES] = "SELECT id, name FROM cve_issue WHERE id IN (",
    [S_IMPORTED] = "SELECT " DM_SQL_ISO("imported") " FROM cve_state WHERE id = 1",
    /* The kernels a host has installed, whatever their source package. */
    [S_KERNELS] = "SELECT pv.version FROM host_package e JOIN package p ON p.id = e.package_id"
                  " JOIN package_version pv ON pv.id = e.package_version_id"
                  " WHERE e.host_id = # AND p.name LIKE 'linux-image-%'",
};

/* One row of the answer, with what it is sorted by. */
struct dm_vuln_row {
	MYSQL_ROW r;
	const char *issue; /* its name */
	enum dm_cve_status status;
	int rank;
};

enum col {
	V_ISSUE_ID,
	V_URGENCY,
	V_STATUS,
	V_FIXED,
	V_PACKAGE,
	V_VERSION,
	V_SOURCE,
	V_SOURCE_VERSION
};

static enum dm_cve_status
status_of(const char *column)
{
	unsigned long s = strtoul(column, NULL, 10);

	return s < DM_CVE_STATUS__MAX ? (enum dm_cve_status)s : DM_CVE_UNDETERMINED;
}

/* Fix available first, then by urgency, the newest ids first, then by package. */
static int
row_cmp(const void *a, const void *b)
{
	const struct dm_vuln_row *x = a, *y = b;
	int c;

	if (x->status != y->status)
		return x->status < y->status ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if ((c = strcmp(y->issue, x->issue)) != 0)
		return c;
	if (x->r[V_PACKAGE] == NULL || y->r[V_PACKAGE] == NULL)
		return (x->r[V_PACKAGE] != NULL) - (y->r[V_PACKAGE] != NULL);
	return strcmp(x->r[V_PACKAGE], y->r[V_PACKAGE]);
}

static int
id_cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The rows of v->res with their issues' names (one query for all) and sort keys, sorted:
 * 0, or -1 (database error or no memory).
 */
static int
sort_rows(struct dm_vulns *v, struct dm_sql *q)
{
	size_t i, n = mysql_num_rows(v->res), k, lo, hi, m;
	unsigned long long *ids = calloc(n + 1, sizeof(*ids)), id;
	MYSQL_ROW r, *names = NULL;

	v->rows = calloc(n + 1, sizeof(*v->rows));
	if (ids == NULL || v->rows == NULL) {
		free(ids);
		return -1;
	}
	for (i = 0; (r = mysql_fetch_row(v->res)) != NULL; i++)
		ids[i] = strtoull(r[V_ISSUE_ID], NULL, 10);
	qsort(ids, n, sizeof(*ids), id_cmp);
	for (k = 0, i = 0; i < n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	if (k > 0) {
		dm_sql_start(q, stmts[S_NAMES]);
		dm_sql_ids(q, ids, k);
		v->names = dm_sql_query(q);
	}
	/* Names in id order, as ids: the result's order is the key's. */
	if (v->names != NULL && (names = calloc(k + 1, sizeof(*names))) != NULL)
		for (i = 0; i < k && (r = mysql_fetch_row(v->names)) != NULL; i++)
			names[i] = r;
	mysql_data_seek(v->res, 0);
	for (i = 0; names != NULL && (r = mysql_fetch_row(v->res)) != NULL; i++) {
		id = strtoull(r[V_ISSUE_ID], NULL, 10);
		for (lo = 0, hi = k; lo < hi;) {
			m = (lo + hi) / 2;
			if (strtoull(names[m][0], NULL, 10) < id)
				lo = m + 1;
			else
				hi = m;
		}
		v->rows[v->n_rows++] = (struct dm_vuln_row){
		    r, lo < k && strtoull(names[lo][0], NULL, 10) == id ? names[lo][1] : "?",
		    status_of(r[V_STATUS]), dm_cve_urgency_rank(r[V_URGENCY])};
	}
	free(ids);
	if (k > 0 && names == NULL) {
		free(names);
		return -1;
	}
	free(names);
	qsort(v->rows, v->n_rows, sizeof(*v->rows), row_cmp);
	return 0;
}

/* The newest kernel package installed, and whether the running one is older. */
static int
kernels(struct dm_vulns *v, struct dm_sql *q, unsigned long long id)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_start(q, stmts[S_KERNELS], id);
	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL)
		if (v->newest[0] == '\0' || dm_version_cmp(row[0], v->newest) > 0)
			snprintf(v->newest, sizeof(v->newest), "%s", row[0]);
	mysql_free_result(res);
	v->reboot = v->running[0] != '\0' && v->newest[0] != '\0' &&
	            dm_version_cmp(v->newest, v->running) > 0;
	return 0;
}

static int
imported(struct dm_vulns *v, struct dm_sql *q)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	dm_sql_start(q, stmts[S_IMPORTED]);
	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL)
		snprintf(v->imported, sizeof(v->imported), "%s", row[0]);
	mysql_free_result(res);
	return 0;
}

int
dm_vulns_query(struct dm_vulns *v, struct dm_ctx *ctx, enum dm_kind kind, unsigned long long id,
               const char *os, const char *kernel)
{
	int day = dm_distro_day(time(NULL)), c, rc = 0;
	char err[512];
	struct dm_sql q;

	memset(v, 0, sizeof(*v));
	v->os = os;
	if (dm_distro_load(&v->distro, ctx->cfg.distro_csv, err, sizeof(err)) == -1) {
		fprintf(stderr, "debmonitor: %s\n", err);
		return -1;
	}
	if ((c = dm_cve_cover(ctx->db, &v->distro, os, day, &v->rel)) == -1)
		return -1;
	v->cover = (enum dm_cve_cover)c;
	if (v->rel != NULL)
		v->support = dm_distro_support(v->rel, day);
	if (kind == DM_KIND_HOST && kernel != NULL)
		dm_version_from_uname(kernel, v->running, sizeof(v->running));
	dm_sql_init(&q, ctx->db);
	if (imported(v, &q) == -1 || (kind == DM_KIND_HOST && kernels(v, &q, id) == -1))
		rc = -1;
	else if (v->cover == DM_CVE_COVERED) {
		if (kind == DM_KIND_HOST)
			dm_sql_start(&q, stmts[S_HOST], v->rel->series, id, v->rel->series, id);
		else
			dm_sql_start(&q, stmts[S_IMAGE], v->rel->series, id);
		if ((v->res = dm_sql_query(&q)) == NULL || sort_rows(v, &q) == -1)
			rc = -1;
	}
	dm_sql_free(&q);
	return rc;
}

void
dm_vulns_free(struct dm_vulns *v)
{
	free(v->rows);
	if (v->names != NULL)
		mysql_free_result(v->names);
	if (v->res != NULL)
		mysql_free_result(v->res);
	dm_distro_free(&v->distro);
	memset(v, 0, sizeof(*v));
}

void
dm_vulns_json(FILE *f, struct dm_vulns *v, enum dm_kind kind)
{
	const struct dm_vuln_row *row;
	char why[512];
	size_t i;

	dm_json_member(f, 0, "release", v->rel ? v->rel->series : NULL);
	dm_json_member(f, 0, "support", v->rel ? dm_support_name(v->support) : NULL);
	fprintf(f, ",\"end_of_life\":%s",
	        v->rel && v->support == DM_SUPPORT_EOL ? "true" : "false");
	if (kind == DM_KIND_HOST) {
		dm_json_member(f, 0, "running_kernel_version", v->running[0] ? v->running : NULL);
		dm_json_member(f, 0, "newest_installed_kernel", v->newest[0] ? v->newest : NULL);
		fprintf(f, ",\"reboot_required\":%s", v->reboot ? "true" : "false");
	}
	fputs(",\"vulnerabilities\":{", f);
	fprintf(f, "\"covered\":%s", v->cover == DM_CVE_COVERED ? "true" : "false");
	dm_json_member(f, 0, "not_covered_reason",
	               v->cover == DM_CVE_COVERED
	                   ? NULL
	                   : dm_cve_cover_text(v->cover, v->os, v->rel, why, sizeof(why)));
	dm_json_member(f, 0, "imported", v->imported[0] ? v->imported : NULL);
	fputs(",\"issues\":[", f);
	for (i = 0; i < v->n_rows; i++) {
		row = &v->rows[i];
		fputs(i == 0 ? "\n  {" : ",\n  {", f);
		dm_json_member(f, 1, "issue", row->issue);
		dm_json_member(f, 0, "package",
		               row->r[V_PACKAGE] ? row->r[V_PACKAGE] : "running kernel");
		dm_json_member(f, 0, "installed", row->r[V_VERSION]);
		dm_json_member(f, 0, "source", row->r[V_SOURCE]);
		dm_json_member(f, 0, "source_version", row->r[V_SOURCE_VERSION]);
		dm_json_member(f, 0, "fixed_version",
		               row->status == DM_CVE_RESOLVED ? row->r[V_FIXED] : NULL);
		dm_json_member(f, 0, "urgency", row->r[V_URGENCY]);
		dm_json_member(f, 0, "status", dm_cve_state_name(row->status));
		putc('}', f);
	}
	fputs("]}", f);
}

void
dm_vulns_facts_html(FILE *f, const struct dm_vulns *v, enum dm_kind kind)
{
	if (v->rel != NULL) {
		fputs("<dt>Release</dt><dd>", f);
		dm_html_txt(f, v->rel->series);
		if (v->support == DM_SUPPORT_EOL)
			fputs(" <span class=\"badge eol\" title=\"Past its end of life: no security"
			      " updates, not even from Debian LTS\">end of life</span>",
			      f);
		else
			fprintf(f, " <span class=\"support\">(%s)</span>",
			        dm_support_name(v->support));
		fputs("</dd>\n", f);
	}
	if (kind != DM_KIND_HOST || v->newest[0] == '\0')
		return;
	fputs("<dt>Newest kernel installed</dt><dd>", f);
	dm_html_txt(f, v->newest);
	if (v->reboot)
		fputs(" <span class=\"badge reboot\" title=\"A newer kernel is installed than the"
		      " one running\">reboot required</span>",
		      f);
	fputs("</dd>\n", f);
}

static void
html_row(FILE *f, const struct dm_vuln_row *row)
{
	enum dm_cve_status s = row->status;
	MYSQL_ROW r = row->r;

	fprintf(f, "<tr class=\"%s\"><td><a href=\"/cves/", dm_cve_state_class(s));
	dm_url_arg(f, row->issue);
	fputs("\">", f);
	dm_html_txt(f, row->issue);
	fputs("</a></td><td>", f);
	if (r[V_PACKAGE] == NULL) {
		fputs("running kernel", f);
	} else {
		fputs("<a href=\"/packages/", f);
		dm_url_arg(f, r[V_PACKAGE]);
		fputs("\">", f);
		dm_html_txt(f, r[V_PACKAGE]);
		fputs("</a>", f);
	}
	fputs("</td><td>", f);
	dm_html_txt(f, r[V_VERSION]);
	fputs("</td><td><a href=\"/source-packages/", f);
	dm_url_arg(f, r[V_SOURCE]);
	fputs("\">", f);
	dm_html_txt(f, r[V_SOURCE]);
	fputs("</a> ", f);
	dm_html_txt(f, r[V_SOURCE_VERSION]);
	fputs("</td><td>", f);
	dm_html_txt(f, s == DM_CVE_RESOLVED ? r[V_FIXED] : "");
	fputs("</td><td>", f);
	dm_html_txt(f, r[V_URGENCY]);
	fputs("</td><td>", f);
	dm_html_txt(f, dm_cve_state_name(s));
	fputs("</td></tr>\n", f);
}

void
dm_vulns_html(FILE *f, struct dm_vulns *v)
{
	char why[512];
	size_t i;

	fputs("<h2 id=\"vulnerabilities\">Vulnerabilities</h2>\n", f);
	if (v->cover != DM_CVE_COVERED) {
		fputs("<p class=\"not-covered\">", f);
		dm_html_txt(f, dm_cve_cover_text(v->cover, v->os, v->rel, why, sizeof(why)));
		fputs("</p>\n", f);
		return;
	}
	fputs("<p class=\"note\">From the Debian security tracker's data imported ", f);
	dm_html_txt(f, v->imported);
	fputs(".</p>\n", f);
	if (v->n_rows == 0) {
		fputs("<p class=\"none\">No known issue affects the installed versions.</p>\n", f);
		return;
	}
	fputs("<table class=\"vulns\">\n<thead><tr><th>Issue</th><th>Package</th><th>Installed</th>"
	      "<th>Source</th><th>Fixed in</th><th>Urgency</th><th>Status</th></tr></thead>\n"
	      "<tbody>\n",
	      f);
	for (i = 0; i < v->n_rows; i++)
		html_row(f, &v->rows[i]);
	fputs("</tbody>\n</table>\n", f);
}
