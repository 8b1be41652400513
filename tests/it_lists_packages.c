/*
 * it_lists_packages.c: the package lists through Apache, the CGIs and MariaDB: the
 * installs of /packages/NAME filtered (os, upgrades, versions in dpkg's order) and
 * checked against the database, sorted by every column, paged forwards and backwards;
 * /packages/ and /source-packages/ by q= and upgrades=; the versions of
 * /source-packages/NAME filtered, sorted and paged; bad parameters; CSV.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

/* The hosts of these tests; their packages' names start with lqp- too. */
#define PKG "/packages/lqp-tool"

static const struct {
	const char *name, *os, *installed, *upgradable;
} fleet[] = {
    {"lqp-h01.example.org", "Debian 12", "lqp-tool=1.0-1@lqp-src",
     "lqp-tool=1.0-1>1.0-2@lqp-src!security"},
    {"lqp-h02.example.org", "Debian 12", "lqp-tool=1.0-1+b1@lqp-src", ""},
    {"lqp-h03.example.org", "Debian 11", "lqp-tool=1:0.9-1@lqp-src", ""},
    {"lqp-h04.example.org", "Debian 12", "lqp-tool=1.0~rc1-1@lqp-src",
     "lqp-tool=1.0~rc1-1>1.0-1@lqp-src!"},
    {"lqp-h05.example.org", "Debian 13", "lqp-tool=1.0-2@lqp-src", ""},
    {"lqp-h06.example.org", "Debian 11", "lqp-tool=0.9-1@lqp-src", "lqp-tool=0.9-1>0.9-2@lqp-src!"},
    {"lqp-h07.example.org", "Debian 12", "lqp-tool=1.0-1@lqp-src lqp-lib=2.0-1@lqp-other", ""},
    {"lqp-h08.example.org", "Debian 12", "lqp-lib=2.0-1@lqp-other",
     "lqp-lib=2.0-1>2.0-2@lqp-other!security"},
    {"lqp-h09.example.org", "Debian 12", "lqp-tool=1.0-1@lqp-src", ""},
};
#define N_FLEET (sizeof(fleet) / sizeof(fleet[0]))
/* The hosts with lqp-tool. */
#define N_TOOL 8
/* The installs in the page's own order: security, other upgrades, none, by OS and version. */
#define DEFAULT_ORDER "lqp-h01 lqp-h06 lqp-h04 lqp-h03 lqp-h07 lqp-h09 lqp-h02 lqp-h05"

static void
post(const char *name, const char *os, const char *installed, const char *upgradable)
{
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:[], s:o}", "api_version",
	                      "v1", "update_type", "full", "hostname", name, "os", os,
	                      "running_kernel", "release", "6.1.0-lqp-amd64", "version",
	                      "#1 SMP lqp", "installed", it_spec_list(installed, 0), "uninstalled",
	                      "upgradable", it_spec_list(upgradable, 1));
	char *body = it_dump(p), path[512];
	struct it_request req = {.method = "POST", .body = body, .tls = &proxy};
	struct it_response r;

	req.body_len = strlen(body);
	snprintf(path, sizeof(path), "/hosts/%s/update", name);
	it_do(it_https(path), &req, &r);
	it_assert_created(path, &r);
	it_response_free(&r);
	free(body);
}

/* Through DELETE, which keeps package_stats as the install rows say (the gc suite checks). */
static void
forget(void)
{
	it_forget_like("hosts", "lqp-%");
	it_forget_like("images", "lqp-%");
}

static void
setup(void)
{
	size_t i;

	forget();
	for (i = 0; i < N_FLEET; i++)
		post(fleet[i].name, fleet[i].os, fleet[i].installed, fleet[i].upgradable);
}

static void
teardown(void)
{
	forget();
}

static json_t *
get_json(const char *path, char **link)
{
	struct it_request req = {.accept = "application/json"};
	struct it_response r;
	json_error_t e;
	json_t *j;

	it_do(it_http(path), &req, &r);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	ck_assert_msg((j = json_loads(r.body, 0, &e)) != NULL, "GET %s: %s", path, e.text);
	if (link != NULL)
		*link = it_header(&r, "Link") ? strdup(it_header(&r, "Link")) : NULL;
	it_response_free(&r);
	return j;
}

/* The names of a list's rows (member key), in order, without their domain: "a b c". */
static char *
names(const json_t *list, const char *key)
{
	const json_t *row;
	char *out = NULL, *p;
	size_t i, len = 0;
	FILE *f = open_memstream(&out, &len);

	json_array_foreach (json_object_get(list, key), i, row)
		fprintf(f, "%s%s", i ? " " : "", it_str(row, "name"));
	fclose(f);
	while ((p = strstr(out, ".example.org")) != NULL)
		memmove(p, p + 12, strlen(p + 12) + 1);
	return out;
}

/* The hosts with lqp-tool the database gives for cond, by name, as names() writes them. */
static char *
db_names(const char *cond)
{
	char sql[2048];
	char *v;

	snprintf(sql, sizeof(sql),
	         "SELECT COALESCE(GROUP_CONCAT(REPLACE(h.name, '.example.org', '') ORDER BY h.name"
	         " SEPARATOR ' '), '') FROM host h JOIN os o ON o.id = h.os_id"
	         " JOIN host_package e ON e.host_id = h.id JOIN package p ON p.id = e.package_id"
	         " JOIN package_version pv ON pv.id = e.package_version_id"
	         " WHERE h.name LIKE 'lqp-%%' AND p.name = 'lqp-tool' AND %s",
	         cond);
	v = it_db_value(sql);
	return v ? v : strdup("");
}

/* Every filter and some combinations of the installs: what the database says. */
START_TEST(test_filters)
{
	static const struct {
		const char *query, *cond;
	} cases[] = {
	    {"", "1"},
	    {"&os=Debian%2011", "o.name = 'Debian 11'"},
	    {"&os=Debian%2099", "0"},
	    {"&upgrades=any", "e.upgradable_version_id IS NOT NULL"},
	    {"&upgrades=security", "e.upgradable_version_id IS NOT NULL AND e.upgrade_type = 1"},
	    {"&upgrades=none", "e.upgradable_version_id IS NULL"},
	    {"&os=Debian%2012&upgrades=any",
	     "o.name = 'Debian 12' AND e.upgradable_version_id IS NOT NULL"},
	    {"&os=Debian%2012&upgrades=none&version_ge=1.0-1",
	     "o.name = 'Debian 12' AND e.upgradable_version_id IS NULL AND pv.version IN ('1.0-1', "
	     "'1.0-1+b1', '1.0-2', '1:0.9-1')"},
	    {"&os=Debian%2011&version_lt=1.0", "o.name = 'Debian 11' AND pv.version = '0.9-1'"},
	};
	char path[512], *got, *want;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), PKG "?sort=name%s", cases[i].query);
		j = get_json(path, NULL);
		got = names(j, "installs");
		want = db_names(cases[i].cond);
		ck_assert_msg(strcmp(got, want) == 0, "GET %s:\n got  %s\n want %s", path, got,
		              want);
		ck_assert_int_eq(json_integer_value(json_object_get(j, "total")),
		                 (json_int_t)json_array_size(json_object_get(j, "installs")));
		ck_assert_str_eq(it_str(j, "name"), "lqp-tool");
		free(got);
		free(want);
		json_decref(j);
	}
}
END_TEST

/* Versions in dpkg's order: epochs first, ~ before its release, a binNMU after its source. */
START_TEST(test_versions)
{
	static const struct {
		const char *query, *want;
	} cases[] = {
	    {"version_lt=1.0-1", "lqp-h04 lqp-h06"},
	    {"version_le=1.0-1", "lqp-h01 lqp-h04 lqp-h06 lqp-h07 lqp-h09"},
	    {"version_eq=1.0-1", "lqp-h01 lqp-h07 lqp-h09"},
	    {"version_eq=1.0-1%2Bb1", "lqp-h02"},
	    {"version_gt=1.0-1", "lqp-h02 lqp-h03 lqp-h05"},
	    {"version_ge=1.0-2", "lqp-h03 lqp-h05"},
	    {"version_lt=1.0", "lqp-h04 lqp-h06"},
	    {"version_gt=1.0~", "lqp-h01 lqp-h02 lqp-h03 lqp-h04 lqp-h05 lqp-h07 lqp-h09"},
	    {"version_ge=1:0", "lqp-h03"},
	    {"version_eq=0.9-1", "lqp-h06"},
	    {"version_eq=2.0", ""},
	    {"version_op=le&version=1.0~rc1-1", "lqp-h04 lqp-h06"},
	};
	char path[512], *got;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), PKG "?sort=name&%s", cases[i].query);
		j = get_json(path, NULL);
		got = names(j, "installs");
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "GET %s:\n got  %s\n want %s", path,
		              got, cases[i].want);
		free(got);
		json_decref(j);
	}
}
END_TEST

/* Every column both ways; the versions in dpkg's order, the kind and name breaking ties. */
START_TEST(test_sort)
{
	static const struct {
		const char *sort, *want;
	} cases[] = {
	    {"name", "lqp-h01 lqp-h02 lqp-h03 lqp-h04 lqp-h05 lqp-h06 lqp-h07 lqp-h09"},
	    {"-name", "lqp-h09 lqp-h07 lqp-h06 lqp-h05 lqp-h04 lqp-h03 lqp-h02 lqp-h01"},
	    {"kind", "lqp-h01 lqp-h02 lqp-h03 lqp-h04 lqp-h05 lqp-h06 lqp-h07 lqp-h09"},
	    {"-kind", "lqp-h09 lqp-h07 lqp-h06 lqp-h05 lqp-h04 lqp-h03 lqp-h02 lqp-h01"},
	    {"os", "lqp-h03 lqp-h06 lqp-h01 lqp-h02 lqp-h04 lqp-h07 lqp-h09 lqp-h05"},
	    {"-os", "lqp-h05 lqp-h09 lqp-h07 lqp-h04 lqp-h02 lqp-h01 lqp-h06 lqp-h03"},
	    {"version", "lqp-h06 lqp-h04 lqp-h01 lqp-h07 lqp-h09 lqp-h02 lqp-h05 lqp-h03"},
	    {"-version", "lqp-h03 lqp-h05 lqp-h02 lqp-h09 lqp-h07 lqp-h01 lqp-h04 lqp-h06"},
	    /* None first (-1), then 0.9-2, 1.0-1, 1.0-2. */
	    {"upgradable_version",
	     "lqp-h02 lqp-h03 lqp-h05 lqp-h07 lqp-h09 lqp-h06 lqp-h04 lqp-h01"},
	    {"-upgradable_version",
	     "lqp-h01 lqp-h04 lqp-h06 lqp-h09 lqp-h07 lqp-h05 lqp-h03 lqp-h02"},
	    /* The default: security, other upgrades, none; each by OS, version, kind, name. */
	    {"upgrade_type", DEFAULT_ORDER},
	    {"-upgrade_type", "lqp-h05 lqp-h02 lqp-h09 lqp-h07 lqp-h03 lqp-h04 lqp-h06 lqp-h01"},
	    {"", DEFAULT_ORDER},
	};
	char path[256], *got;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), PKG "?sort=%s", cases[i].sort);
		j = get_json(path, NULL);
		got = names(j, "installs");
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "GET %s:\n got  %s\n want %s", path,
		              got, cases[i].want);
		free(got);
		json_decref(j);
	}
}
END_TEST

static const char *
link_of(const json_t *page, const char *key)
{
	const json_t *v = json_object_get(page, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * Follows "next" (or "previous", backward) from start, pages of limit rows at most:
 * the rows seen, in the order shown, as names() writes them.
 */
static char *
walk(const char *start, const char *key, const char *member, int backward)
{
	char path[1024], *seen = strdup(""), *p, *joined;
	const char *next;
	json_t *page;
	size_t i;

	snprintf(path, sizeof(path), "%s", start);
	for (i = 0; i < 50; i++) {
		page = get_json(path, NULL);
		p = names(page, member);
		if (backward)
			ck_assert_int_ge(
			    asprintf(&joined, "%s%s%s", p, p[0] && seen[0] ? " " : "", seen), 0);
		else
			ck_assert_int_ge(
			    asprintf(&joined, "%s%s%s", seen, p[0] && seen[0] ? " " : "", p), 0);
		free(seen);
		free(p);
		seen = joined;
		next = link_of(page, key);
		if (next != NULL)
			snprintf(path, sizeof(path), "%s", next);
		json_decref(page);
		if (next == NULL)
			break;
	}
	return seen;
}

/* Pages of 3 (then 1) rows, forwards and backwards, by every sort: every row once. */
START_TEST(test_paging)
{
	static const char *const sorts[] = {
	    "", "name", "-os", "version", "-version", "upgradable_version", "-upgrade_type"};
	char path[512], *all, *seen;
	json_t *j;
	size_t i;
	int limit;

	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		for (limit = 1; limit <= 3; limit += 2) {
			snprintf(path, sizeof(path), PKG "?sort=%s", sorts[i]);
			j = get_json(path, NULL);
			all = names(j, "installs");
			json_decref(j);
			snprintf(path, sizeof(path), PKG "?sort=%s&limit=%d", sorts[i], limit);
			seen = walk(path, "next", "installs", 0);
			ck_assert_msg(strcmp(seen, all) == 0, "%s forwards:\n%s\nwant\n%s", path,
			              seen, all);
			free(seen);
			snprintf(path, sizeof(path), PKG "?sort=%s&limit=%d&before=", sorts[i],
			         limit);
			seen = walk(path, "previous", "installs", 1);
			ck_assert_msg(strcmp(seen, all) == 0, "%s backwards:\n%s\nwant\n%s", path,
			              seen, all);
			free(seen);
			free(all);
		}
	/* The lists made in C page alike. */
	j = get_json("/packages/?q=lqp-&sort=-hosts", NULL);
	all = names(j, "packages");
	json_decref(j);
	seen = walk("/packages/?q=lqp-&sort=-hosts&limit=1", "next", "packages", 0);
	ck_assert_str_eq(seen, all);
	free(seen);
	seen = walk("/packages/?q=lqp-&sort=-hosts&limit=1&before=", "previous", "packages", 1);
	ck_assert_str_eq(seen, all);
	free(seen);
	free(all);
}
END_TEST

/*
 * Pages in name order, which scan only their own packages or sources, and pages sorted
 * or filtered by the counters, which read the versions of their own rows only, against
 * the whole list, which scans them all: the same rows, numbers included, and the same
 * total, read forwards and backwards one row a page.
 */
START_TEST(test_name_pages)
{
	static const struct {
		const char *path, *member;
	} lists[] = {
	    {"/packages/?q=lqp-", "packages"},
	    {"/packages/?q=lqp-&sort=-name", "packages"},
	    {"/packages/?q=lqp-&sort=-hosts", "packages"},
	    {"/packages/?q=lqp-&upgrades=any", "packages"},
	    {"/source-packages/?q=lqp-", "source_packages"},
	    {"/source-packages/?q=lqp-&sort=-name", "source_packages"},
	};
	const json_t *whole_rows;
	char path[1024];
	const char *next;
	json_t *whole, *page;
	size_t i, k, n;
	int backward;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		whole = get_json(lists[i].path, NULL);
		whole_rows = json_object_get(whole, lists[i].member);
		n = json_array_size(whole_rows);
		ck_assert_uint_eq(n, 2);
		for (backward = 0; backward <= 1; backward++) {
			snprintf(path, sizeof(path), "%s&limit=1%s", lists[i].path,
			         backward ? "&before=" : "");
			for (k = 0; k < n; k++) {
				page = get_json(path, NULL);
				ck_assert_int_eq(json_integer_value(json_object_get(page, "total")),
				                 (json_int_t)n);
				ck_assert_msg(
				    json_equal(
				        json_array_get(json_object_get(page, lists[i].member), 0),
				        json_array_get(whole_rows, backward ? n - 1 - k : k)),
				    "%s: row %zu differs from the whole list's", path, k);
				next = link_of(page, backward ? "previous" : "next");
				ck_assert_msg((next == NULL) == (k == n - 1), "%s: next %s", path,
				              next ? next : "none");
				if (next != NULL)
					snprintf(path, sizeof(path), "%s", next);
				json_decref(page);
			}
		}
		json_decref(whole);
	}
}
END_TEST

/* /packages/ and /source-packages/: q=, upgrades= and every sort, against the database. */
START_TEST(test_package_lists)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
	    {"/packages/?q=lqp-", "lqp-lib lqp-tool"},
	    {"/packages/?q=lqp-t", "lqp-tool"},
	    {"/packages/?q=lqp-&upgrades=security", "lqp-lib lqp-tool"},
	    {"/packages/?q=lqp-&upgrades=any&sort=-name", "lqp-tool lqp-lib"},
	    {"/packages/?q=lqp-&upgrades=none", ""},
	    {"/packages/?q=lqp-&sort=hosts", "lqp-lib lqp-tool"},
	    {"/packages/?q=lqp-&sort=-hosts", "lqp-tool lqp-lib"},
	    {"/packages/?q=lqp-&sort=versions", "lqp-lib lqp-tool"},
	    {"/packages/?q=lqp-&sort=-upgrades", "lqp-tool lqp-lib"},
	    {"/packages/?q=lqp-&sort=security_upgrades", "lqp-lib lqp-tool"},
	    {"/packages/?q=lqp-&sort=-os", "lqp-lib lqp-tool"},
	    {"/packages/?q=lqp-&sort=images", "lqp-lib lqp-tool"},
	    {"/source-packages/?q=lqp-", "lqp-other lqp-src"},
	    {"/source-packages/?q=lqp-&upgrades=security", "lqp-other lqp-src"},
	    {"/source-packages/?q=lqp-&upgrades=none", ""},
	    {"/source-packages/?q=lqp-s", "lqp-src"},
	    {"/source-packages/?q=lqp-&sort=-versions", "lqp-src lqp-other"},
	    {"/source-packages/?q=lqp-&sort=binaries", "lqp-other lqp-src"},
	    {"/source-packages/?q=lqp-&sort=-upgrades", "lqp-src lqp-other"},
	    {"/source-packages/?q=lqp-&sort=security_upgrades", "lqp-other lqp-src"},
	    {"/source-packages/?q=lqp-&sort=-os", "lqp-other lqp-src"},
	    {"/source-packages/?q=lqp-&sort=-name", "lqp-src lqp-other"},
	};
	const json_t *row;
	char *got;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		j = get_json(cases[i].path, NULL);
		got = names(j, strncmp(cases[i].path, "/packages/", 10) == 0 ? "packages"
		                                                             : "source_packages");
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "GET %s:\n got  %s\n want %s",
		              cases[i].path, got, cases[i].want);
		free(got);
		json_decref(j);
	}
	/* The counts are the database's. */
	j = get_json("/packages/?q=lqp-tool", NULL);
	row = json_array_get(json_object_get(j, "packages"), 0);
	got =
	    it_db_value("SELECT COUNT(*) FROM host_package e JOIN package p ON p.id = e.package_id"
	                " WHERE p.name = 'lqp-tool'");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "hosts")), strtol(got, NULL, 10));
	free(got);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "upgrades")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "security_upgrades")), 1);
	json_decref(j);
	j = get_json("/source-packages/?q=lqp-src", NULL);
	row = json_array_get(json_object_get(j, "source_packages"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "binaries")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "upgrades")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "security_upgrades")), 1);
	json_decref(j);
}
END_TEST

/* "OS VERSION UPGRADE" of each version of a /source-packages/NAME answer, a line each. */
static char *
version_rows(const json_t *j)
{
	const json_t *row;
	char *out = NULL;
	size_t i, len = 0;
	FILE *f = open_memstream(&out, &len);

	json_array_foreach (json_object_get(j, "versions"), i, row)
		fprintf(f, "%s %s %s\n", it_str(row, "os"), it_str(row, "version"),
		        it_str(row, "upgrade"));
	fclose(f);
	return out;
}

/* Whether version passes op (0 lt, 1 le, 2 eq, 3 ge, 4 gt) v, by dpkg's rules. */
static int
passes(size_t op, const char *version, const char *v)
{
	int c = dm_version_cmp(version, v);

	return op == 0 ? c < 0 : op == 1 ? c <= 0 : op == 2 ? c == 0 : op == 3 ? c >= 0 : c > 0;
}

/*
 * /source-packages/NAME: its versions filtered by os=, upgrades= (an install of a binary
 * of the version waits for one) and version conditions in dpkg's order, sorted by
 * version in dpkg's order, paged both ways, as CSV and as a page with its form.
 */
START_TEST(test_source_versions)
{
	static const struct {
		const char *query, *want;
	} cases[] = {
	    {"upgrades=security", "Debian 12 1.0-1 security\n"},
	    {"upgrades=any&sort=version",
	     "Debian 11 0.9-1 upgrade\nDebian 12 1.0~rc1-1 upgrade\nDebian 12 1.0-1 security\n"},
	    {"os=Debian%2011&upgrades=any", "Debian 11 0.9-1 upgrade\n"},
	    {"version_lt=1.0-1&upgrades=any&sort=-version",
	     "Debian 12 1.0~rc1-1 upgrade\nDebian 11 0.9-1 upgrade\n"},
	    {"version_op=ge&version=1:0&upgrades=any", ""},
	};
	static const char *const ops[] = {"lt", "le", "eq", "ge", "gt"};
	const json_t *versions, *row;
	char path[512], *got, *line;
	json_t *all, *j;
	size_t i, k, n, kept;
	int c;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/source-packages/lqp-src?%s", cases[i].query);
		j = get_json(path, NULL);
		got = version_rows(j);
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "GET %s:\n%s\nwant\n%s", path, got,
		              cases[i].want);
		free(got);
		json_decref(j);
	}
	/* Sorted by version, dpkg's order; every condition keeps exactly what dpkg says. */
	all = get_json("/source-packages/lqp-src?sort=version", NULL);
	versions = json_object_get(all, "versions");
	n = json_array_size(versions);
	ck_assert_uint_ge(n, 6);
	ck_assert_int_eq(json_integer_value(json_object_get(all, "total")), (json_int_t)n);
	for (i = 1; i < n; i++)
		ck_assert_int_le(dm_version_cmp(it_str(json_array_get(versions, i - 1), "version"),
		                                it_str(json_array_get(versions, i), "version")),
		                 0);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		snprintf(path, sizeof(path), "/source-packages/lqp-src?version_%s=1.0-1", ops[i]);
		j = get_json(path, NULL);
		kept = 0;
		json_array_foreach (versions, k, row) {
			kept += (size_t)passes(i, it_str(row, "version"), "1.0-1");
		}
		ck_assert_msg(json_array_size(json_object_get(j, "versions")) == kept,
		              "GET %s: %zu versions, want %zu", path,
		              json_array_size(json_object_get(j, "versions")), kept);
		json_array_foreach (json_object_get(j, "versions"), k, row) {
			ck_assert_msg(passes(i, it_str(row, "version"), "1.0-1"), "GET %s: %s",
			              path, it_str(row, "version"));
		}
		json_decref(j);
	}
	/* One version a page, forwards and backwards: every one once, in order. */
	got = version_rows(all);
	for (c = 0; c <= 1; c++) {
		char *seen = strdup(""), *joined, *p;
		const char *next;

		snprintf(path, sizeof(path), "/source-packages/lqp-src?sort=version&limit=1%s",
		         c ? "&before=" : "");
		for (i = 0; i < n; i++) {
			j = get_json(path, NULL);
			p = version_rows(j);
			ck_assert_int_ge(asprintf(&joined, "%s%s", c ? p : seen, c ? seen : p), 0);
			free(seen);
			free(p);
			seen = joined;
			next = link_of(j, c ? "previous" : "next");
			ck_assert_msg((next == NULL) == (i == n - 1), "%s", path);
			if (next != NULL)
				snprintf(path, sizeof(path), "%s", next);
			json_decref(j);
		}
		ck_assert_msg(strcmp(seen, got) == 0, "paged %s:\n%s\nwant\n%s",
		              c ? "backwards" : "forwards", seen, got);
		free(seen);
	}
	free(got);
	json_decref(all);
	/* CSV, and the page with its form and the table's server sort. */
	{
		struct it_request csv = {.accept = "text/csv"};
		struct it_response r;

		it_do(it_http("/source-packages/lqp-src?upgrades=security"), &csv, &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(r.body, "os,version,binaries,upgrade\r\n"
		                         "Debian 12,1.0-1,lqp-tool,security\r\n");
		it_response_free(&r);
		it_do(it_http("/source-packages/lqp-src?upgrades=any&limit=1"), NULL, &r);
		ck_assert_int_eq(r.status, 200);
		line = strstr(r.body, "name=\"version_op\"");
		ck_assert_msg(line != NULL, "no version condition in the form: %s", r.body);
		ck_assert_msg(strstr(r.body, "rel=\"next\"") != NULL, "no next page: %s", r.body);
		ck_assert_msg(strstr(r.body, "href=\"/packages/lqp-tool\"") != NULL, "%s", r.body);
		it_response_free(&r);
	}
}
END_TEST

/* A bad parameter: 400 naming it, as JSON or as a page. */
START_TEST(test_bad_params)
{
	static const struct {
		const char *path, *name;
	} cases[] = {
	    {PKG "?upgrades=some", "upgrades"},
	    {PKG "?sort=colour", "sort"},
	    {PKG "?sort=hosts", "sort"},
	    {PKG "?limit=0", "limit"},
	    {PKG "?limit=5001", "limit"},
	    {PKG "?after=zz", "after"},
	    {PKG "?format=xml", "format"},
	    {PKG "?version_lt=a%20b", "version_lt"},
	    {PKG "?version_lt=1&version_gt=2", "version_gt"},
	    {PKG "?version_op=lt", "version"},
	    {PKG "?version_op=less&version=1", "version_op"},
	    {PKG "?package=bash", "package"},
	    {PKG "?os=a&os=b", "os"},
	    {"/packages/?upgrades=some", "upgrades"},
	    {"/packages/?sort=kind", "sort"},
	    {"/packages/?os=Debian", "os"},
	    {"/packages/?before=61.62&after=61.62", "after"},
	    {"/source-packages/?upgrades=1", "upgrades"},
	    {"/source-packages/?sort=hosts", "sort"},
	    {"/source-packages/?q=a&q=b", "q"},
	    {"/source-packages/?limit=-1", "limit"},
	    {"/source-packages/lqp-src?upgrades=all", "upgrades"},
	    {"/source-packages/lqp-src?version_gt=a%20b", "version_gt"},
	    {"/source-packages/lqp-src?sort=hosts", "sort"},
	    {"/source-packages/lqp-src?os=a&os=b", "os"},
	};
	struct it_request json = {.accept = "application/json"};
	struct it_response r;
	json_error_t e;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		it_do(it_http(cases[i].path), &json, &r);
		ck_assert_msg(r.status == 400, "GET %s: %ld", cases[i].path, r.status);
		ck_assert_msg((j = json_loads(r.body, 0, &e)) != NULL, "GET %s: %s", cases[i].path,
		              r.body);
		ck_assert_msg(strstr(it_str(j, "error"), cases[i].name) != NULL, "GET %s: %s",
		              cases[i].path, r.body);
		json_decref(j);
		it_response_free(&r);
		it_do(it_http(cases[i].path), NULL, &r);
		ck_assert_msg(r.status == 400, "GET %s: %ld", cases[i].path, r.status);
		ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "text/html", 9) == 0, "GET %s",
		              cases[i].path);
		ck_assert_msg(strstr(r.body, cases[i].name) != NULL, "GET %s: %s", cases[i].path,
		              r.body);
		it_response_free(&r);
	}
}
END_TEST

/* CSV by format= and by Accept: a header of the keys, one line per row, the Link header. */
START_TEST(test_csv)
{
	struct it_request csv = {.accept = "text/csv"};
	struct it_response r;
	const char *line;
	size_t lines = 0;

	it_do(it_http(PKG "?sort=name"), &csv, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "text/csv", 8) == 0, "%s",
	              it_header(&r, "Content-Type"));
	ck_assert_msg(strncmp(r.body,
	                      "kind,name,os,version,upgradable_version,upgrade_type\r\n"
	                      "host,lqp-h01.example.org,Debian 12,1.0-1,1.0-2,security\r\n",
	                      107) == 0,
	              "%s", r.body);
	for (line = r.body; (line = strstr(line, "\r\n")) != NULL; line += 2)
		lines++;
	ck_assert_uint_eq(lines, N_TOOL + 1);
	it_response_free(&r);
	it_do(it_http(PKG "?format=csv&sort=name&limit=1&os=Debian%2011"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "\r\nhost,lqp-h03.example.org,Debian 11,1:0.9-1,,\r\n") !=
	                  NULL,
	              "%s", r.body);
	ck_assert_msg(it_header(&r, "Link") && strstr(it_header(&r, "Link"), "rel=\"next\""),
	              "Link: %s", it_header(&r, "Link"));
	it_response_free(&r);
	it_do(it_http("/source-packages/?q=lqp-&format=csv"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "name,versions,os,binaries,upgrades,security_upgrades\r\n"
	                             "lqp-other,2,Debian 12,1,1,1\r\n") != NULL,
	              "%s", r.body);
	it_response_free(&r);
}
END_TEST

/* The page: the form keeps what was asked; the pager and headings keep the filters. */
START_TEST(test_html)
{
	struct it_response r;

	it_do(it_http(PKG "?os=Debian%2012&version_op=ge&version=1.0-1&limit=1"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "<option selected>Debian 12</option>") != NULL, "%s", r.body);
	ck_assert_msg(strstr(r.body, "<option value=\"ge\" selected>") != NULL, "%s", r.body);
	ck_assert_msg(strstr(r.body, "<p class=\"list-total\">4 rows match</p>") != NULL, "%s",
	              r.body);
	ck_assert_msg(strstr(r.body,
	                     "<a rel=\"next\" href=\"" PKG "?os=Debian%2012&amp;"
	                     "version_op=ge&amp;version=1.0-1&amp;limit=1&amp;after=") != NULL,
	              "%s", r.body);
	ck_assert_msg(strstr(r.body, "<h2>Installed on</h2>") != NULL, "%s", r.body);
	ck_assert_msg(strstr(r.body, "<a href=\"/source-packages/lqp-src\">lqp-src</a>") != NULL,
	              "%s", r.body);
	it_response_free(&r);
}
END_TEST

Suite *
make_it_lists_packages_suite(void)
{
	Suite *s = suite_create("integration: package lists");
	TCase *tc = tcase_create("packages");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_paging);
	tcase_add_test(tc, test_package_lists);
	tcase_add_test(tc, test_name_pages);
	tcase_add_test(tc, test_source_versions);
	tcase_add_test(tc, test_bad_params);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_html);
	suite_add_tcase(s, tc);
	return s;
}
