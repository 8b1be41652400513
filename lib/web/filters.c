/* filters.c: name parts, upgrades and dpkg-ordered version conditions of lists; their form. */
#include "web/filters.h"

#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/name.h"
#include "core/version.h"

/* The version conditions, in DM_VC_LT.. order: dm_version_cmp(installed, V) in [lo, hi]. */
static const struct {
	const char *op;
	int lo, hi;
} ops[] = {{"lt", -1, -1}, {"le", -1, 0}, {"eq", 0, 0}, {"ge", 0, 1}, {"gt", 1, 1}};
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

const char *
dm_filter_value(const struct dm_param *p)
{
	return p->value != NULL && p->value[0] != '\0' ? p->value : NULL;
}

static int
bad(struct dm_ctx *ctx, const char *name, const char *v, const char *why)
{
	dm_bad_param(ctx, "%s: '%.64s' %s", name, v, why);
	return -1;
}

/* Whether s is an issue id as the tracker writes them: CVE-..., TEMP-... */
static int
issue_id_valid(const char *s)
{
	return (strncmp(s, "CVE-", 4) == 0 || strncmp(s, "TEMP-", 5) == 0) && strlen(s) <= 64 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == strlen(s);
}

int
dm_filter_check(struct dm_ctx *ctx, const struct dm_param *params, size_t n)
{
	const char *v;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((v = dm_filter_value(&params[i])) == NULL)
			continue;
		if (strlen(v) > DM_NAME_MAX)
			return bad(ctx, params[i].name, v, "is too long");
		if (strcmp(params[i].name, "upgrades") == 0 && strcmp(v, "any") != 0 &&
		    strcmp(v, "security") != 0 && strcmp(v, "none") != 0)
			return bad(ctx, "upgrades", v, "is not one of any, security, none");
		if (strcmp(params[i].name, "cve") == 0 && !issue_id_valid(v))
			return bad(ctx, "cve", v, "is not an issue id (CVE-YYYY-NNNN, TEMP-...)");
	}
	return 0;
}

int
dm_filters_read(struct dm_ctx *ctx, char *query, size_t size, struct dm_param *params, size_t n,
                struct dm_paging *pg, const struct dm_sort *sorts, size_t n_sorts,
                const char *unique)
{
	memset(pg, 0, sizeof(*pg)); /* freed either way, whatever fails first */
	if (strlen(ctx->req.query) >= size) {
		dm_bad_param(ctx, "the query string is longer than %zu bytes", size - 1);
		return -1;
	}
	snprintf(query, size, "%s", ctx->req.query);
	if (dm_params(ctx, query, params, n + DM_P__MAX) == -1 ||
	    dm_paging_parse(ctx, pg, params, n + DM_P__MAX, sorts, n_sorts, unique) == -1)
		return -1;
	return dm_filter_check(ctx, params, n);
}

int
dm_filter_names(MYSQL *db, struct dm_paging *pg, const char *table, const char *q, int page,
                MYSQL_RES **res)
{
	struct dm_sql sql;
	int rc = -1;

	dm_sql_init(&sql, db);
	if (!page) {
		dm_sql_start(&sql, "SELECT id, name FROM ");
		dm_sql_raw(&sql, table);
		dm_sql_raw(&sql, " ORDER BY id");
		rc = (*res = dm_sql_query(&sql)) != NULL ? 0 : -1;
		dm_sql_free(&sql);
		return rc;
	}
	dm_sql_start(&sql, "SELECT COUNT(*) FROM ");
	dm_sql_raw(&sql, table);
	dm_sql_raw(&sql, " WHERE 1");
	if (q != NULL)
		dm_filter_q(&sql, "name", q);
	if (dm_paging_count(&sql, pg) == 0) {
		dm_sql_start(&sql, "SELECT id, name");
		dm_paging_select(&sql, pg);
		dm_sql_raw(&sql, " FROM ");
		dm_sql_raw(&sql, table);
		dm_sql_raw(&sql, " WHERE 1");
		if (q != NULL)
			dm_filter_q(&sql, "name", q);
		dm_paging_where(&sql, pg);
		dm_paging_order(&sql, pg);
		rc = (*res = dm_sql_query(&sql)) != NULL ? 0 : -1;
	}
	dm_sql_free(&sql);
	return rc;
}

/* version_op=OP&version=V, the form's way: 0, or -1 after answering 400. */
static int
vcond_form(struct dm_ctx *ctx, const struct dm_param *vp, struct dm_vcond *vc)
{
	const char *op = dm_filter_value(&vp[DM_VC_OP]), *v = dm_filter_value(&vp[DM_VC_VERSION]);
	size_t i;

	if (op == NULL && v == NULL)
		return 0;
	for (i = 0; op != NULL && i < N_OPS && strcmp(ops[i].op, op) != 0; i++)
		;
	if (op == NULL || i == N_OPS)
		return bad(ctx, "version_op", op ? op : "",
		           "is not one of lt, le, eq, ge, gt (with version=)");
	if (v == NULL)
		return bad(ctx, "version", "", "is missing (with version_op=)");
	if (vc->op != -1)
		return bad(ctx, "version", v, "with another version condition: give one");
	vc->op = (int)i;
	vc->version = v;
	return 0;
}

int
dm_vcond_parse(struct dm_ctx *ctx, const struct dm_param *vp, const char *package,
               struct dm_vcond *vc)
{
	const char *v, *why = NULL, *param = "version";
	size_t i;

	vc->op = -1;
	vc->version = NULL;
	for (i = 0; i < N_OPS; i++) {
		if ((v = dm_filter_value(&vp[i])) == NULL)
			continue;
		if (vc->op != -1)
			return bad(ctx, vp[i].name, v, "with another version condition: give one");
		vc->op = (int)i;
		vc->version = v;
		param = vp[i].name;
	}
	if (vcond_form(ctx, vp, vc) == -1)
		return -1;
	if (vc->op != -1 && package == NULL)
		return bad(ctx, "package", "",
		           "is missing: a version condition needs package=NAME");
	if (vc->op != -1 && !dm_version_valid(vc->version, &why))
		return bad(ctx, param, vc->version, why);
	return 0;
}

int
dm_vcond_match(const struct dm_vcond *vc, const char *version)
{
	int c;

	if (vc->op == -1)
		return 1;
	c = dm_version_cmp(version, vc->version);
	c = c < 0 ? -1 : c > 0;
	return c >= ops[vc->op].lo && c <= ops[vc->op].hi;
}

int
dm_vcond_ids(struct dm_sql *q, const char *package, const struct dm_vcond *vc,
             unsigned long long **ids, size_t *n)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	*n = 0;
	dm_sql_start(q,
	             "SELECT pv.id, pv.version FROM package p JOIN package_version pv"
	             " ON pv.package_id = p.id WHERE p.name = ?",
	             package);
	if ((res = dm_sql_query(q)) == NULL)
		return -1;
	if ((*ids = calloc(mysql_num_rows(res) + 1, sizeof(**ids))) == NULL) {
		mysql_free_result(res);
		return -1;
	}
	while ((row = mysql_fetch_row(res)) != NULL)
		if (dm_vcond_match(vc, row[1]))
			(*ids)[(*n)++] = strtoull(row[0], NULL, 10);
	mysql_free_result(res);
	return 0;
}

void
dm_filter_q(struct dm_sql *q, const char *column, const char *v)
{
	char *like, *o;

	if ((like = malloc(2 * strlen(v) + 3)) == NULL) {
		q->failed = 1;
		return;
	}
	o = like;
	*o++ = '%';
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			*o++ = '\\';
		*o++ = *v;
	}
	*o++ = '%';
	*o = '\0';
	dm_sql_raw(q, " AND ");
	dm_sql_raw(q, column);
	dm_sql_add(q, " LIKE ?", like);
	free(like);
}

void
dm_filter_upgrades(struct dm_sql *q, const char *alias, const char *v)
{
	dm_sql_raw(q, " AND ");
	dm_sql_raw(q, alias);
	dm_sql_raw(q, strcmp(v, "any") == 0        ? ".upgrades > 0"
	              : strcmp(v, "security") == 0 ? ".security_upgrades > 0"
	                                           : ".upgrades = 0");
}

void
dm_form_open(FILE *f, const char *action)
{
	fputs("<form class=\"filters\" method=\"get\" action=\"", f);
	dm_html_attr(f, action);
	fputs("\">\n", f);
}

void
dm_form_text(FILE *f, const char *label, const char *name, const char *v, const char *hint)
{
	fprintf(f, "<label>%s <input type=\"search\" name=\"%s\" placeholder=\"%s\" value=\"",
	        label, name, hint);
	dm_html_attr(f, v ? v : "");
	fputs("\"></label>\n", f);
}

void
dm_form_select(FILE *f, const char *label, const char *name, const char *v,
               const char *const (*options)[2], size_t n)
{
	size_t i;

	fprintf(f, "<label>%s <select name=\"%s\">", label, name);
	for (i = 0; i < n; i++) {
		fputs("<option value=\"", f);
		dm_html_attr(f, options[i][0]);
		fprintf(f, "\"%s>", strcmp(options[i][0], v ? v : "") == 0 ? " selected" : "");
		dm_html_txt(f, options[i][1]);
		fputs("</option>", f);
	}
	fputs("</select></label>\n", f);
}

void
dm_form_upgrades(FILE *f, const char *v)
{
	static const char *const upgrades[][2] = {
	    {"", "any or none"}, {"any", "some"}, {"security", "security"}, {"none", "none"}};

	dm_form_select(f, "Upgrades", "upgrades", v, upgrades, 4);
}

void
dm_form_vcond(FILE *f, const struct dm_vcond *vc)
{
	static const char *const names[][2] = {{"", ""},    {"lt", "<"},      {"le", "\u2264"},
	                                       {"eq", "="}, {"ge", "\u2265"}, {"gt", ">"}};

	dm_form_select(f, "Version", "version_op", vc->op >= 0 ? ops[vc->op].op : "", names, 6);
	dm_form_text(f, "", "version", vc->version, "Debian version");
}

MYSQL_RES *
dm_form_os_query(struct dm_sql *q)
{
	dm_sql_start(q, "SELECT name FROM os ORDER BY name");
	return dm_sql_query(q);
}

void
dm_form_os(FILE *f, MYSQL_RES *os_names, const char *v)
{
	MYSQL_ROW row;

	fputs("<label>OS <select name=\"os\"><option value=\"\">any</option>", f);
	while (os_names != NULL && (row = mysql_fetch_row(os_names)) != NULL) {
		fputs(v != NULL && strcmp(row[0], v) == 0 ? "<option selected>" : "<option>", f);
		dm_html_txt(f, row[0]);
		fputs("</option>", f);
	}
	fputs("</select></label>\n", f);
}

static void
hidden(FILE *f, const char *name, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	fprintf(f, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	dm_html_attr(f, v);
	fputs("\">", f);
}

void
dm_form_close(FILE *f, const struct dm_paging *pg, const char *action)
{
	const struct dm_param *p = pg->params + pg->n_params - DM_P__MAX;

	hidden(f, "sort", p[DM_P_SORT].value);
	hidden(f, "limit", p[DM_P_LIMIT].value);
	fputs("<button type=\"submit\">Filter</button> <a href=\"", f);
	dm_html_attr(f, action);
	fputs("\">Clear</a>\n</form>\n", f);
}

void
dm_form_versions(FILE *f, const struct dm_ctx *ctx, MYSQL_RES *os_names,
                 const struct dm_param *params, const struct dm_vcond *vc,
                 const struct dm_paging *pg)
{
	const char *uri = ctx->req.uri;
	char path[1024];

	snprintf(path, sizeof(path), "%.*s", (int)strcspn(uri, "?#"), uri);
	dm_form_open(f, path);
	dm_form_os(f, os_names, params[DM_VF_OS].value);
	dm_form_upgrades(f, params[DM_VF_UPGRADES].value);
	dm_form_vcond(f, vc);
	dm_form_close(f, pg, path);
}

int
dm_vfilters_read(struct dm_ctx *ctx, char *query, size_t size, struct dm_param *params,
                 struct dm_paging *pg, const struct dm_sort *sorts, size_t n_sorts,
                 const char *unique, const char *subject, struct dm_vcond *vc)
{
	static const char *const names[DM_VF__MAX] = {"os", "upgrades", DM_VCOND_PARAMS};
	static const struct dm_param paging[DM_P__MAX] = {DM_PAGING_PARAMS};
	size_t i;

	for (i = 0; i < DM_VF__MAX; i++)
		params[i] = (struct dm_param){names[i], NULL};
	for (i = 0; i < DM_P__MAX; i++)
		params[DM_VF__MAX + i] = paging[i];
	if (dm_filters_read(ctx, query, size, params, DM_VF__MAX, pg, sorts, n_sorts, unique) == -1)
		return -1;
	return dm_vcond_parse(ctx, &params[DM_VF_VERSION], subject, vc);
}

char *
dm_os_names(MYSQL_ROW *os, size_t n, const unsigned char *marks)
{
	size_t o, len = 1, k;
	char *s;

	for (o = 0; o < n; o++)
		len += marks[o] ? strlen(os[o][1]) + 1 : 0;
	if ((s = malloc(len)) == NULL)
		return NULL;
	for (o = 0, len = 0; o < n; o++) {
		if (!marks[o])
			continue;
		if (len > 0)
			s[len++] = '\n';
		k = strlen(os[o][1]);
		memcpy(s + len, os[o][1], k);
		len += k;
	}
	s[len] = '\0';
	return s;
}
