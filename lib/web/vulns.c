/* vulns.c: a host's or an image's vulnerabilities, from the tracker's data, as asked. */
#include "web/vulns.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/version.h"
#include "db/sql.h"

/*
 * The releases that affect the versions installed, one row per (issue, package): by way
 * of fix available first, then urgency, the newest ids first. A host's running kernel is
 * one more package ("linux", p.name NULL) compared by its own version.
 */
#define VULN_COLS "SELECT i.name AS issue, r.urgency, r.status AS status, r.fixed_version,"
#define VULN_RANK ", " DM_SQL_CVE_URGENCY_RANK("r.urgency") " AS rank"
#define VULNS(PKGS, FK)                                                                            \
	VULN_COLS " p.name AS package, pv.version, sp.name, spv.version" VULN_RANK " FROM " PKGS   \
	          " e JOIN package_version pv ON pv.id = e.package_version_id"                     \
	          " JOIN source_package_version spv ON spv.id = pv.source_package_version_id"      \
	          " JOIN source_package sp ON sp.id = spv.source_package_id"                       \
	          " JOIN cve_release r ON r.source_name = sp.name AND r.codename = ?"              \
	          " JOIN cve_issue i ON i.id = r.issue_id JOIN package p ON p.id = e.package_id"   \
	          " WHERE e." FK " = # AND " DM_SQL_CVE_AFFECTS("r", "spv.version_key")
#define KERNEL_VULNS                                                                               \
	" UNION ALL " VULN_COLS " NULL, k.version, r.source_name, k.version" VULN_RANK             \
	" FROM host h JOIN kernel_version k ON k.id = h.kernel_id"                                 \
	" JOIN cve_release r ON r.source_name = 'linux' AND r.codename = ?"                        \
	" JOIN cve_issue i ON i.id = r.issue_id"                                                   \
	" WHERE h.id = # AND k.version_key IS NOT NULL AND " DM_SQL_CVE_AFFECTS("r",               \
	                                                                        "k.version_key")
#define VULN_ORDER " ORDER BY status, rank DESC, issue DESC, package"

enum stmt { S_HOST, S_IMAGE, S_IMPORTED, S_KERNELS, S__MAX };

static const char *const stmts[S__MAX] = {
    [S_HOST] = VULNS("host_package", "host_id") KERNEL_VULNS VULN_ORDER,
    [S_IMAGE] = VULNS("image_package", "image_id") VULN_ORDER,
    [S_IMPORTED] = "SELECT " DM_SQL_ISO("imported") " FROM cve_state WHERE id = 1",
    /* The kernels a host has installed, whatever their source package. */
    [S_KERNELS] = "SELECT pv.version FROM host_package e JOIN package p ON p.id = e.package_id"
                  " JOIN package_version pv ON pv.id = e.package_version_id"
                  " WHERE e.host_id = # AND p.name LIKE 'linux-image-%'",
};

enum col {
	V_ISSUE,
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
		if ((v->res = dm_sql_query(&q)) == NULL)
			rc = -1;
	}
	dm_sql_free(&q);
	return rc;
}

void
dm_vulns_free(struct dm_vulns *v)
{
	if (v->res != NULL)
		mysql_free_result(v->res);
	dm_distro_free(&v->distro);
	memset(v, 0, sizeof(*v));
}

void
dm_vulns_json(FILE *f, struct dm_vulns *v, enum dm_kind kind)
{
	char why[512];
	MYSQL_ROW r;
	int first = 1;

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
	while (v->res != NULL && (r = mysql_fetch_row(v->res)) != NULL) {
		fputs(first ? "\n  {" : ",\n  {", f);
		first = 0;
		dm_json_member(f, 1, "issue", r[V_ISSUE]);
		dm_json_member(f, 0, "package", r[V_PACKAGE] ? r[V_PACKAGE] : "running kernel");
		dm_json_member(f, 0, "installed", r[V_VERSION]);
		dm_json_member(f, 0, "source", r[V_SOURCE]);
		dm_json_member(f, 0, "source_version", r[V_SOURCE_VERSION]);
		dm_json_member(f, 0, "fixed_version",
		               status_of(r[V_STATUS]) == DM_CVE_RESOLVED ? r[V_FIXED] : NULL);
		dm_json_member(f, 0, "urgency", r[V_URGENCY]);
		dm_json_member(f, 0, "status", dm_cve_state_name(status_of(r[V_STATUS])));
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
html_row(FILE *f, MYSQL_ROW r)
{
	enum dm_cve_status s = status_of(r[V_STATUS]);

	fprintf(f, "<tr class=\"%s\"><td><a href=\"/cves/", dm_cve_state_class(s));
	dm_url_arg(f, r[V_ISSUE]);
	fputs("\">", f);
	dm_html_txt(f, r[V_ISSUE]);
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
	MYSQL_ROW r;

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
	if (mysql_num_rows(v->res) == 0) {
		fputs("<p class=\"none\">No known issue affects the installed versions.</p>\n", f);
		return;
	}
	fputs("<table class=\"vulns\">\n<thead><tr><th>Issue</th><th>Package</th><th>Installed</th>"
	      "<th>Source</th><th>Fixed in</th><th>Urgency</th><th>Status</th></tr></thead>\n"
	      "<tbody>\n",
	      f);
	while ((r = mysql_fetch_row(v->res)) != NULL)
		html_row(f, r);
	fputs("</tbody>\n</table>\n", f);
}
