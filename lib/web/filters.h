/* filters.h: the filters several lists share (a name's part, upgrades, a package's version). */
#ifndef DM_FILTERS_H
#define DM_FILTERS_H

#include <stddef.h>
#include <stdio.h>

#include "cgi/entry.h"
#include "cgi/params.h"
#include "db/sql.h"
#include "web/paging.h"

/*
 * A version condition on package=: version_lt|le|eq|ge|gt=V, or the form's
 * version_op=OP&version=V. Its seven parameters come in this order in a list's params.
 */
enum dm_vcond_param {
	DM_VC_LT,
	DM_VC_LE,
	DM_VC_EQ,
	DM_VC_GE,
	DM_VC_GT,
	DM_VC_OP,
	DM_VC_VERSION,
	DM_VC__MAX
};
#define DM_VCOND_PARAMS                                                                            \
	"version_lt", "version_le", "version_eq", "version_ge", "version_gt", "version_op",        \
	    "version"

struct dm_vcond {
	int op;              /* DM_VC_LT..DM_VC_GT, or -1: none */
	const char *version; /* its operand */
};

/* The value of p, or NULL when absent or empty ("any"). */
const char *dm_filter_value(const struct dm_param *p);
/*
 * Checks the n filters of params: each at most DM_NAME_MAX bytes, upgrades= (when one of
 * them) one of any, security, none, cve= an issue id. 0, or -1 after answering 400 naming the first
 * bad one.
 */
int dm_filter_check(struct dm_ctx *ctx, const struct dm_param *params, size_t n);
/*
 * Reads the version condition from vp (its DM_VC__MAX parameters), for package (NULL:
 * none given): 0, or -1 after answering 400 (two conditions, a bad operator or version,
 * a condition without package=).
 */
int dm_vcond_parse(struct dm_ctx *ctx, const struct dm_param *vp, const char *package,
                   struct dm_vcond *vc);
/* Whether version passes vc, in dpkg's order (every version does when there is none). */
int dm_vcond_match(const struct dm_vcond *vc, const char *version);
/*
 * The ids of package's versions that pass vc, compared in C by dpkg's rules (a package
 * has a few versions, the installs are millions), malloc'd into *ids: 0, or -1 on a
 * database error or no memory.
 */
int dm_vcond_ids(struct dm_sql *q, const char *package, const struct dm_vcond *vc,
                 unsigned long long **ids, size_t *n);
/*
 * Reads a list's query string into query (size bytes): params (n filters, then
 * DM_PAGING_PARAMS) and pg as dm_paging_parse reads them, and the filters checked as
 * dm_filter_check does. 0, or -1 after answering 400 (pg to be freed either way).
 */
int dm_filters_read(struct dm_ctx *ctx, char *query, size_t size, struct dm_param *params, size_t n,
                    struct dm_paging *pg, const struct dm_sort *sorts, size_t n_sorts,
                    const char *unique);
/* Appends " AND column LIKE '%v%'", v's own % _ \ taken literally. */
void dm_filter_q(struct dm_sql *q, const char *column, const char *v);
/* Appends upgrades=v's condition on the counters of the row alias ("i"): " AND ...". */
void dm_filter_upgrades(struct dm_sql *q, const char *alias, const char *v);

/*
 * The rows of a table of names (package, source_package) a list shows, stored in *res:
 * every one, by id (id, name), or (page) the page of pg's sort, which is by name, after
 * counting the names q keeps (a part of the name, or NULL) into pg->total: the rows past
 * the cursor, id, name and the cursor's two columns. 0, or -1 (a database error).
 */
int dm_filter_names(MYSQL *db, struct dm_paging *pg, const char *table, const char *q, int page,
                    MYSQL_RES **res);

/*
 * The names (second column) of the n OS rows whose mark is set, in their order, one per
 * line (a DM_COL_LIST value), malloc'd: NULL when out of memory.
 */
char *dm_os_names(MYSQL_ROW *os, size_t n, const unsigned char *marks);
/* The form's parts: its opening for action, inputs, and its end with what it keeps. */
void dm_form_open(FILE *f, const char *action);
void dm_form_text(FILE *f, const char *label, const char *name, const char *v, const char *hint);
void dm_form_select(FILE *f, const char *label, const char *name, const char *v,
                    const char *const (*options)[2], size_t n);
/* The upgrades= select, and the package version inputs (operator and version). */
void dm_form_upgrades(FILE *f, const char *v);
void dm_form_vcond(FILE *f, const struct dm_vcond *vc);
/* The OS names for dm_form_os, stored: NULL on a database error. */
MYSQL_RES *dm_form_os_query(struct dm_sql *q);
/* The os= select: "any", then the rows of os_names (NULL: none); the one equal to v selected. */
void dm_form_os(FILE *f, MYSQL_RES *os_names, const char *v);
/* Hidden sort= and limit= (a filter starts again from the first page), the buttons. */
void dm_form_close(FILE *f, const struct dm_paging *pg, const char *action);
/*
 * The filters of a package's or a source's list, in this order at the start of its
 * params: os=, upgrades=, then the version condition's DM_VC__MAX.
 */
enum dm_vfilter {
	DM_VF_OS,
	DM_VF_UPGRADES,
	DM_VF_VERSION,
	DM_VF__MAX = DM_VF_VERSION + DM_VC__MAX
};
/*
 * Reads those (params: DM_VF__MAX + DM_P__MAX, names set here) as dm_filters_read does,
 * then the condition on subject's versions into vc: 0, or -1 after answering 400.
 */
int dm_vfilters_read(struct dm_ctx *ctx, char *query, size_t size, struct dm_param *params,
                     struct dm_paging *pg, const struct dm_sort *sorts, size_t n_sorts,
                     const char *unique, const char *subject, struct dm_vcond *vc);
/*
 * Their form, to the page's own path: os= (os_names from dm_form_os_query), upgrades=
 * and the version condition.
 */
void dm_form_versions(FILE *f, const struct dm_ctx *ctx, MYSQL_RES *os_names,
                      const struct dm_param *params, const struct dm_vcond *vc,
                      const struct dm_paging *pg);

#endif
