/* vulns.c: a host's or an image's vulnerabilities, from the tracker's data, as asked. */
#include "web/vulns.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/version.h"
#include "db/sql.h"
#include "web/pkglist.h"

/*
 * What the tracker says of the sources a host or image has, in its release: one range of
 * cve_release's primary key (source_name, codename, issue_id) per source. Which versions
 * the rows affect is decided here, by dm_version_cmp on the package list's source
 * versions (the order the keys give SQL elsewhere), and the issues' names come with the
 * rows (cve_release.issue_name): a join of the package rows with these in MariaDB, and a
 * sort of its thousands of rows there, cost more than the rest of the page, and looking
 * the names up by id (6,555 of them at the real size) took a third of it.
 */
enum stmt { S_RELEASES, S_RELEASES_TAIL, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_RELEASES] = "SELECT source_name, issue_id, status, urgency, fixed_version, issue_name"
                   " FROM cve_release WHERE codename = ? AND source_name IN (",
    [S_RELEASES_TAIL] = ") ORDER BY source_name, issue_id",
};

enum release_col { R_SOURCE, R_ISSUE_ID, R_STATUS, R_URGENCY, R_FIXED, R_ISSUE };

/* One row of the answer: a release that affects an installed package, and how it sorts. */
struct dm_vuln_row {
	MYSQL_ROW rel;       /* the release (release_col) */
	const char *package; /* NULL: the running kernel */
	const char *version; /* installed */
	const char *source_version;
	unsigned long long issue_id;
	const char *issue; /* its name */
	enum dm_cve_status status;
	int rank;
};

static enum dm_cve_status
status_of(const char *column)
{
	unsigned long s = strtoul(column, NULL, 10);

	return s < DM_CVE_STATUS__MAX ? (enum dm_cve_status)s : DM_CVE_UNDETERMINED;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether release row r affects source version v: as DM_SQL_CVE_AFFECTS says. */
static int
affects(MYSQL_ROW r, const char *v)
{
	if (status_of(r[R_STATUS]) != DM_CVE_RESOLVED)
		return 1;
	return r[R_FIXED] != NULL && strcmp(r[R_FIXED], "0") != 0 &&
	       dm_version_cmp(r[R_FIXED], v) > 0;
}

/* The index of the first release row of source in rel (n rows, by source), or n. */
static size_t
first_of(MYSQL_ROW *rel, size_t n, const char *source)
{
	size_t lo = 0, hi = n, m;

	while (lo < hi) {
		m = (lo + hi) / 2;
		if (strcmp(rel[m][R_SOURCE], source) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < n && strcmp(rel[lo][R_SOURCE], source) == 0 ? lo : n;
}

/* Adds the rows of the releases of source that affect v installed as package: 0 or -1. */
static int
add_rows(struct dm_vulns *v, MYSQL_ROW *rel, size_t n, const char *source, const char *package,
         const char *version, const char *source_version)
{
	struct dm_vuln_row *more;
	size_t i, cap;

	for (i = first_of(rel, n, source); i < n && strcmp(rel[i][R_SOURCE], source) == 0; i++) {
		if (!affects(rel[i], source_version))
			continue;
		if (v->n_rows == v->cap_rows) {
			cap = v->cap_rows ? 2 * v->cap_rows : 256;
			if ((more = realloc(v->rows, cap * sizeof(*more))) == NULL)
				return -1;
			v->rows = more;
			v->cap_rows = cap;
		}
		v->rows[v->n_rows++] = (struct dm_vuln_row){rel[i],
		                                            package,
		                                            version,
		                                            source_version,
		                                            strtoull(rel[i][R_ISSUE_ID], NULL, 10),
		                                            rel[i][R_ISSUE],
		                                            status_of(rel[i][R_STATUS]),
		                                            dm_cve_urgency_rank(rel[i][R_URGENCY])};
	}
	return 0;
}

/*
 * Lists of names or ids in one IN () at most: MariaDB turns a longer list (its
 * in_predicate_conversion_threshold, 1,000) into a temporary table it joins, and for the
 * release rows that join scans the whole of cve_release (1,736 sources: 36 ms rather than
 * a few at the real size). Each chunk's rows come in the key's order, and the chunks in
 * turn, so that the rows of sorted names stay sorted.
 */
#define IN_CHUNK 900

/*
 * The release rows of the sources of pkgs (and linux, for a running kernel), then the rows
 * that affect: 0, or -1 (database error or no memory).
 */
static int
match(struct dm_vulns *v, struct dm_sql *q, MYSQL_RES *pkgs)
{
	size_t i, k, n = mysql_num_rows(pkgs), n_rel = 0;
	const char **sources = calloc(n + 2, sizeof(*sources));
	MYSQL_ROW r, *rel = NULL, *more;
	MYSQL_RES *res;
	int rc = 0;

	if (sources == NULL)
		return -1;
	for (k = 0; (r = mysql_fetch_row(pkgs)) != NULL;)
		sources[k++] = r[P_SOURCE];
	mysql_data_seek(pkgs, 0);
	if (v->running[0] != '\0')
		sources[k++] = "linux";
	qsort(sources, k, sizeof(*sources), str_cmp);
	for (n = k, k = 0, i = 0; i < n; i++)
		if (k == 0 || strcmp(sources[k - 1], sources[i]) != 0)
			sources[k++] = sources[i];
	for (i = 0; rc == 0 && i < k; i += IN_CHUNK) {
		dm_sql_start(q, stmts[S_RELEASES], v->rel->series);
		dm_sql_strs(q, sources + i, k - i < IN_CHUNK ? k - i : IN_CHUNK);
		dm_sql_raw(q, stmts[S_RELEASES_TAIL]);
		if ((res = dm_results_keep(&v->rels, dm_sql_query(q))) == NULL ||
		    (more = realloc(rel, (n_rel + mysql_num_rows(res) + 1) * sizeof(*rel))) ==
		        NULL) {
			rc = -1;
			break;
		}
		for (rel = more; (r = mysql_fetch_row(res)) != NULL;)
			rel[n_rel++] = r;
	}
	free(sources);
	while (rc == 0 && (r = mysql_fetch_row(pkgs)) != NULL)
		rc = add_rows(v, rel, n_rel, r[P_SOURCE], r[P_NAME], r[P_VERSION],
		              r[P_SOURCE_VERSION]);
	mysql_data_seek(pkgs, 0);
	if (rc == 0 && v->running[0] != '\0')
		rc = add_rows(v, rel, n_rel, "linux", NULL, v->running, v->running);
	free(rel);
	return rc;
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
	if (x->package == NULL || y->package == NULL)
		return (x->package != NULL) - (y->package != NULL);
	return strcmp(x->package, y->package);
}

/* The rows sorted as shown. */
static void
sort_rows(struct dm_vulns *v)
{
	if (v->n_rows > 1)
		qsort(v->rows, v->n_rows, sizeof(*v->rows), row_cmp);
}

/* The newest kernel package installed (linux-image-*), and whether the running is older. */
static void
kernels(struct dm_vulns *v, MYSQL_RES *pkgs)
{
	MYSQL_ROW row;

	while ((row = mysql_fetch_row(pkgs)) != NULL)
		if (strncmp(row[P_NAME], "linux-image-", 12) == 0 &&
		    (v->newest[0] == '\0' || dm_version_cmp(row[P_VERSION], v->newest) > 0))
			snprintf(v->newest, sizeof(v->newest), "%s", row[P_VERSION]);
	mysql_data_seek(pkgs, 0);
	v->reboot = v->running[0] != '\0' && v->newest[0] != '\0' &&
	            dm_version_cmp(v->newest, v->running) > 0;
}

int
dm_vulns_query(struct dm_vulns *v, struct dm_ctx *ctx, enum dm_kind kind, const char *os,
               const char *kernel, MYSQL_RES *pkgs)
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
	if ((c = dm_cve_cover(ctx->db, &v->distro, os, day, &v->rel, v->imported)) == -1)
		return -1;
	v->cover = (enum dm_cve_cover)c;
	if (v->rel != NULL)
		v->support = dm_distro_support(v->rel, day);
	if (kind == DM_KIND_HOST && kernel != NULL)
		dm_version_from_uname(kernel, v->running, sizeof(v->running));
	dm_sql_init(&q, ctx->db);
	if (kind == DM_KIND_HOST)
		kernels(v, pkgs);
	if (v->cover == DM_CVE_COVERED && match(v, &q, pkgs) == -1)
		rc = -1;
	else
		sort_rows(v);
	dm_sql_free(&q);
	return rc;
}

void
dm_vulns_free(struct dm_vulns *v)
{
	free(v->rows);
	dm_results_free(&v->rels);
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
		dm_json_member(f, 0, "package", row->package ? row->package : "running kernel");
		dm_json_member(f, 0, "installed", row->version);
		dm_json_member(f, 0, "source", row->rel[R_SOURCE]);
		dm_json_member(f, 0, "source_version", row->source_version);
		dm_json_member(f, 0, "fixed_version",
		               row->status == DM_CVE_RESOLVED ? row->rel[R_FIXED] : NULL);
		dm_json_member(f, 0, "urgency", row->rel[R_URGENCY]);
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

	fprintf(f, "<tr class=\"%s\"><td><a href=\"/cves/", dm_cve_state_class(s));
	dm_url_arg(f, row->issue);
	fputs("\">", f);
	dm_html_txt(f, row->issue);
	fputs("</a></td><td>", f);
	if (row->package == NULL) {
		fputs("running kernel", f);
	} else {
		fputs("<a href=\"/packages/", f);
		dm_url_arg(f, row->package);
		fputs("\">", f);
		dm_html_txt(f, row->package);
		fputs("</a>", f);
	}
	fputs("</td><td>", f);
	dm_html_txt(f, row->version);
	fputs("</td><td><a href=\"/source-packages/", f);
	dm_url_arg(f, row->rel[R_SOURCE]);
	fputs("\">", f);
	dm_html_txt(f, row->rel[R_SOURCE]);
	fputs("</a> ", f);
	dm_html_txt(f, row->source_version);
	fputs("</td><td>", f);
	dm_html_txt(f, s == DM_CVE_RESOLVED ? row->rel[R_FIXED] : "");
	fputs("</td><td>", f);
	dm_html_txt(f, row->rel[R_URGENCY]);
	fputs("</td><td>", f);
	dm_html_txt(f, dm_cve_state_name(s));
	fputs("</td></tr>\n", f);
}

void
dm_vulns_html(FILE *f, struct dm_vulns *v, int all)
{
	size_t i, n = all || v->n_rows < DM_VULNS_HTML_ROWS ? v->n_rows : DM_VULNS_HTML_ROWS;
	char why[512];

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
	for (i = 0; i < n; i++)
		html_row(f, &v->rows[i]);
	fputs("</tbody>\n</table>\n", f);
	if (n < v->n_rows)
		fprintf(
		    f,
		    "<p class=\"note\">The %zu most urgent of %zu: <a href=\"?vulns=all#"
		    "vulnerabilities\">all of them</a> (the JSON answer has them all too).</p>\n",
		    n, v->n_rows);
}
