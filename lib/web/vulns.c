/* vulns.c: a host's or an image's vulnerabilities, from the tracker's data, as asked. */
#include "web/vulns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/version.h"
#include "cve/decide.h"
#include "db/sql.h"
#include "web/page.h"
#include "web/pkglist.h"

/*
 * What the tracker says of the source versions a host or image has. Most were decided
 * once, by debmonitor-cve: their verdicts (cve_verdict, the issues that affect each, packed)
 * come with the package list. A version reported since is decided here from cve_release,
 * one range of its primary key (source_name, codename, issue_id) per source, by
 * dm_version_cmp on the package list's source versions. A host's running kernel has its
 * own verdict (cve_kernel_verdict), or is decided from linux's release rows.
 */
enum stmt { S_RELEASES, S_RELEASES_TAIL, S__MAX };

static const char *const stmts[S__MAX] = {
    /*
     * The primary key is forced: MariaDB otherwise reads the release's every row through
     * the codename key and keeps those of the sources (39 ms rather than 12 for 900
     * sources at the real size).
     */
    [S_RELEASES] = "SELECT source_name, issue_id, status, urgency, fixed_version, issue_name"
                   " FROM cve_release FORCE INDEX (PRIMARY) WHERE codename = ?"
                   " AND source_name IN (",
    [S_RELEASES_TAIL] = ")",
};

enum release_col { R_SOURCE, R_ISSUE_ID, R_STATUS, R_URGENCY, R_FIXED, R_ISSUE };

/* One row of the answer: an issue that affects an installed package, and how it sorts. */
struct dm_vuln_row {
	const char *issue;   /* its name */
	const char *package; /* NULL: the running kernel */
	const char *version; /* installed */
	const char *source;
	const char *source_version;
	const char *fixed; /* NULL unless resolved */
	const char *urgency;
	enum dm_cve_status status;
	int rank;
};

/* What one installed package is, for its rows. */
struct installed {
	const char *source, *package, *version, *source_version;
};

/* The release rows read, by source. */
struct releases {
	MYSQL_ROW *v;
	size_t n;
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

static int
row_source_cmp(const void *a, const void *b)
{
	return strcmp((*(const MYSQL_ROW *)a)[R_SOURCE], (*(const MYSQL_ROW *)b)[R_SOURCE]);
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

/* The index of the first release row of source, or rel->n. */
static size_t
release_first(const struct releases *rel, const char *source)
{
	size_t lo = 0, hi = rel->n, m;

	while (lo < hi) {
		m = (lo + hi) / 2;
		if (strcmp(rel->v[m][R_SOURCE], source) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < rel->n && strcmp(rel->v[lo][R_SOURCE], source) == 0 ? lo : rel->n;
}

static int
add_row(struct dm_vulns *v, const struct dm_cve_verdict *c, const struct installed *in)
{
	struct dm_vuln_row *more;
	size_t cap;

	if (v->n_rows == v->cap_rows) {
		cap = v->cap_rows ? 2 * v->cap_rows : 256;
		if ((more = realloc(v->rows, cap * sizeof(*more))) == NULL)
			return -1;
		v->rows = more;
		v->cap_rows = cap;
	}
	v->rows[v->n_rows++] =
	    (struct dm_vuln_row){c->issue,   in->package,        in->version,
	                         in->source, in->source_version, c->fixed,
	                         c->urgency, c->status,          dm_cve_urgency_rank(c->urgency)};
	return 0;
}

/* The rows of a verdict (len bytes), its strings copied into *buf: 0, or -1. */
static int
add_verdict(struct dm_vulns *v, const char *packed, size_t len, char **buf,
            const struct installed *in)
{
	struct dm_cve_verdict c;
	int rc;

	while ((rc = dm_cve_verdict_next(&packed, &len, buf, &c)) == 1)
		if (add_row(v, &c, in) == -1)
			return -1;
	if (rc == -1)
		fprintf(stderr, "debmonitor: the verdict on %s %s is malformed\n", in->source,
		        in->source_version);
	return rc;
}

/* The rows of the releases of the source that affect its version: 0, or -1. */
static int
add_releases(struct dm_vulns *v, const struct releases *rel, const struct installed *in)
{
	struct dm_cve_verdict c;
	MYSQL_ROW r;
	size_t i;

	for (i = release_first(rel, in->source);
	     i < rel->n && strcmp(rel->v[i][R_SOURCE], in->source) == 0; i++) {
		if (!affects(r = rel->v[i], in->source_version))
			continue;
		c.status = status_of(r[R_STATUS]);
		c.issue = r[R_ISSUE];
		c.urgency = r[R_URGENCY];
		c.fixed = c.status == DM_CVE_RESOLVED ? r[R_FIXED] : NULL;
		if (add_row(v, &c, in) == -1)
			return -1;
	}
	return 0;
}

/*
 * Lists of names in one IN () at most: MariaDB turns a longer list (its
 * in_predicate_conversion_threshold, 1,000) into a temporary table it joins, and for the
 * release rows that join scans the whole of cve_release (1,736 sources: 36 ms rather than
 * a few at the real size).
 */
#define IN_CHUNK 900

/*
 * The release rows of the n sources (sorted, distinct) in the OS's release, by source: 0,
 * or -1. They are sorted here: asked to, MariaDB sorts the rows of a single source again
 * (the name's equality does not make it constant across the connection's collation) and
 * takes 25 ms rather than 3 for the 4,000 of linux.
 */
static int
read_releases(struct dm_vulns *v, struct dm_sql *q, const char **sources, size_t n,
              struct releases *rel)
{
	MYSQL_ROW row, *more;
	MYSQL_RES *res;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < IN_CHUNK ? n - i : IN_CHUNK;
		dm_sql_start(q, stmts[S_RELEASES], v->rel->series);
		dm_sql_strs(q, sources + i, k);
		dm_sql_raw(q, stmts[S_RELEASES_TAIL]);
		if ((res = dm_results_keep(&v->rels, dm_sql_query(q))) == NULL ||
		    (more = realloc(rel->v, (rel->n + mysql_num_rows(res) + 1) * sizeof(*more))) ==
		        NULL)
			return -1;
		for (rel->v = more; (row = mysql_fetch_row(res)) != NULL;)
			rel->v[rel->n++] = row;
	}
	if (rel->n > 1)
		qsort(rel->v, rel->n, sizeof(*rel->v), row_source_cmp);
	return 0;
}

/* Sorts the n strings and keeps each once: how many are left. */
static size_t
distinct_strs(const char **s, size_t n)
{
	size_t i, k = 0;

	qsort(s, n, sizeof(*s), str_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || strcmp(s[k - 1], s[i]) != 0)
			s[k++] = s[i];
	return k;
}

/*
 * The sources of pkgs without a verdict (and linux, for a running kernel without one)
 * into sources, and the bytes of all the verdicts into *bytes: how many sources.
 */
static size_t
undecided(struct dm_vulns *v, MYSQL_RES *pkgs, const struct dm_vulns_kernel *kernel,
          const char **sources, size_t *bytes)
{
	unsigned long *len;
	size_t n = 0;
	MYSQL_ROW r;

	*bytes = 0;
	while ((r = mysql_fetch_row(pkgs)) != NULL) {
		len = mysql_fetch_lengths(pkgs);
		if (r[P_VERDICT] == NULL)
			sources[n++] = r[P_SOURCE];
		else
			*bytes += len[P_VERDICT];
	}
	mysql_data_seek(pkgs, 0);
	if (v->running[0] != '\0' && kernel->verdict == NULL)
		sources[n++] = "linux";
	*bytes += kernel && kernel->verdict ? kernel->len : 0;
	return distinct_strs(sources, n);
}

/*
 * The rows of the issues that affect the packages of pkgs (and a host's running kernel):
 * from their verdicts, else from the release rows of their sources. 0, or -1 (a database
 * error, no memory, a malformed verdict).
 */
static int
match(struct dm_vulns *v, struct dm_sql *q, const struct dm_vulns_kernel *kernel, MYSQL_RES *pkgs)
{
	const char **sources = calloc(mysql_num_rows(pkgs) + 2, sizeof(*sources));
	struct releases rel = {0};
	struct installed in;
	size_t n_src, bytes;
	MYSQL_ROW r;
	unsigned long *len;
	char *buf;
	int rc = -1;

	if (sources == NULL)
		return -1;
	n_src = undecided(v, pkgs, kernel, sources, &bytes);
	/* The verdicts' strings, kept with the rows (v->text). */
	if ((v->text = buf = malloc(bytes + 1)) == NULL ||
	    read_releases(v, q, sources, n_src, &rel) == -1)
		goto out;
	rc = 0;
	while (rc == 0 && (r = mysql_fetch_row(pkgs)) != NULL) {
		len = mysql_fetch_lengths(pkgs);
		in = (struct installed){r[P_SOURCE], r[P_NAME], r[P_VERSION], r[P_SOURCE_VERSION]};
		rc = r[P_VERDICT] ? add_verdict(v, r[P_VERDICT], len[P_VERDICT], &buf, &in)
		                  : add_releases(v, &rel, &in);
	}
	mysql_data_seek(pkgs, 0);
	if (rc == 0 && v->running[0] != '\0') {
		in = (struct installed){"linux", NULL, v->running, v->running};
		rc = kernel->verdict ? add_verdict(v, kernel->verdict, kernel->len, &buf, &in)
		                     : add_releases(v, &rel, &in);
	}
out:
	free(sources);
	free(rel.v);
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
dm_vulns_query(struct dm_vulns *v, struct dm_ctx *ctx, const char *os,
               const struct dm_vulns_kernel *kernel, MYSQL_RES *pkgs)
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
	if (kernel != NULL)
		dm_version_from_uname(kernel->name, v->running, sizeof(v->running));
	dm_sql_init(&q, ctx->db);
	if (kernel != NULL)
		kernels(v, pkgs);
	if (v->cover == DM_CVE_COVERED && match(v, &q, kernel, pkgs) == -1)
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
	free(v->text);
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
		dm_json_member(f, 0, "source", row->source);
		dm_json_member(f, 0, "source_version", row->source_version);
		dm_json_member(f, 0, "fixed_version", row->fixed);
		dm_json_member(f, 0, "urgency", row->urgency);
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
	dm_url_arg(f, row->source);
	fputs("\">", f);
	dm_html_txt(f, row->source);
	fputs("</a> ", f);
	dm_html_txt(f, row->source_version);
	fputs("</td><td>", f);
	dm_html_txt(f, row->fixed ? row->fixed : "");
	fputs("</td><td>", f);
	dm_html_txt(f, row->urgency);
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
	dm_table_open(f, n);
	fputs("<table class=\"vulns\">\n<thead><tr><th>Issue</th><th>Package</th><th>Installed</th>"
	      "<th>Source</th><th>Fixed in</th><th>Urgency</th><th>Status</th></tr></thead>\n"
	      "<tbody>\n",
	      f);
	for (i = 0; i < n; i++)
		html_row(f, &v->rows[i]);
	fputs("</tbody>\n</table>\n", f);
	dm_table_close(f, n);
	if (n < v->n_rows)
		fprintf(
		    f,
		    "<p class=\"note\">The %zu most urgent of %zu: <a href=\"?vulns=all#"
		    "vulnerabilities\">all of them</a> (the JSON answer has them all too).</p>\n",
		    n, v->n_rows);
}
