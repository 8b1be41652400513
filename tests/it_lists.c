/*
 * it_lists.c: the fleet's lists through Apache, the CGIs and MariaDB: /hosts/'s filters
 * checked against the database, versions in dpkg's order, server-side sort, keyset pages
 * (every row once while updates arrive, forwards and backwards), bad parameters, CSV.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hosts of these tests, and the part of a name that picks them out of the fleet. */
#define PREFIX "lq-"
#define Q "q=" PREFIX
#define K1 "#1 SMP lq kernel one"
#define K2 "#1 SMP lq kernel two"
/* A kernel name a spreadsheet would run, with a comma and quotes: CSV's worst case. */
#define K_FORMULA "=HYPERLINK(\"http://x\",\"lq\")"

static const struct {
	const char *name, *os, *kernel, *installed, *upgradable;
	int stale;
} fleet[] = {
    {"lq-a01.example.org", "Debian 12", K1, "bash=5.2.15-2+b2 zsh=5.9-4",
     "bash=5.2.15-2+b2>5.2.15-2+b3!security", 0},
    {"lq-a02.example.org", "Debian 12", K1, "bash=5.2.15-2", "", 0},
    {"lq-a03.example.org", "Debian 11", K2, "bash=5.1-2+deb11u1",
     "bash=5.1-2+deb11u1>5.1-2+deb11u2!", 1},
    {"lq-a04.example.org", "Debian 11", K2, "bash=1:5.0-1", "", 0},
    {"lq-a05.example.org", "Debian 12", K1, "bash=5.2.15~rc1-1", "", 0},
    {"lq-a06.example.org", "Debian 12", K_FORMULA, "zsh=5.9-4", "zsh=5.9-4>5.9-5!security", 0},
    {"lq-a07.example.org", "Debian 12", K1, "bash=5.2.15-2+b1", "", 1},
    {"lq-a08.example.org", "Debian 13", K2, "bash=5.2.37-1", "", 0},
    {"lq-b09.example.org", "Debian 13", K2, "bash=5.2.37-1 dash=0.5.12-9", "", 0},
    {"lq-b10.example.org", "Debian 12", K1, "bash=5.2.15-2", "", 0},
    {"lq-b11.example.org", "Ubuntu 24.04", K2, "bash=5.2.21-2ubuntu4", "", 0},
};
#define N_FLEET (sizeof(fleet) / sizeof(fleet[0]))

static void
post(const char *name, const char *os, const char *kernel, const char *installed,
     const char *upgradable)
{
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:[], s:o}", "api_version",
	                      "v1", "update_type", "full", "hostname", name, "os", os,
	                      "running_kernel", "release", "6.1.0-lq-amd64", "version", kernel,
	                      "installed", it_spec_list(installed, 0), "uninstalled", "upgradable",
	                      it_spec_list(upgradable, 1));
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

/*
 * Through DELETE, not SQL: the ingest keeps counters (package_stats) that other suites
 * check against the install rows.
 */
static void
forget_all(void)
{
	size_t i;

	for (i = 0; i < N_FLEET; i++)
		it_forget("hosts", fleet[i].name);
	it_forget("hosts", "lq-a99.example.org");
}

static void
setup(void)
{
	size_t i;

	forget_all();
	for (i = 0; i < N_FLEET; i++)
		post(fleet[i].name, fleet[i].os, fleet[i].kernel, fleet[i].installed,
		     fleet[i].upgradable);
	it_db_exec("UPDATE host SET modified = UTC_TIMESTAMP() - INTERVAL 3 DAY"
	           " WHERE name IN ('lq-a03.example.org', 'lq-a07.example.org')");
}

static void
teardown(void)
{
	forget_all();
}

/* The names of a list's rows, in order, as one string "a b c". */
static char *
names(const json_t *list)
{
	const json_t *row;
	char *out = NULL;
	size_t i, len = 0;
	FILE *f = open_memstream(&out, &len);

	json_array_foreach (json_object_get(list, "hosts"), i, row)
		fprintf(f, "%s%s", i ? " " : "", it_str(row, "name"));
	fclose(f);
	return out;
}

/* The names the database gives for cond, in name order, as names() writes them. */
static char *
db_names(const char *cond)
{
	char sql[2048];
	char *v;

	snprintf(sql, sizeof(sql),
	         "SELECT COALESCE(GROUP_CONCAT(h.name ORDER BY h.name SEPARATOR ' '), '')"
	         " FROM host h JOIN os o ON o.id = h.os_id JOIN kernel_version k"
	         " ON k.id = h.kernel_id WHERE h.name LIKE 'lq-%%' AND %s",
	         cond);
	v = it_db_value(sql);
	return v ? v : strdup("");
}

/* Hosts whose installed package NAME has a version in list (a SQL list of strings). */
#define HAS(NAME, LIST)                                                                            \
	"h.id IN (SELECT e.host_id FROM host_package e JOIN package p ON p.id = e.package_id"      \
	" JOIN package_version pv ON pv.id = e.package_version_id WHERE p.name = '" NAME "'"       \
	" AND pv.version IN (" LIST "))"

/* Every filter and some combinations: the list is what the database says. */
START_TEST(test_filters)
{
	static const struct {
		const char *query, *cond;
	} cases[] = {
	    {"", "1"},
	    {"&os=Debian%2011", "o.name = 'Debian 11'"},
	    {"&kernel="
	     "%231%20SMP%20lq%20kernel%20two",
	     "k.name = '" K2 "'"},
	    {"&upgrades=any", "h.upgrades > 0"},
	    {"&upgrades=security", "h.security_upgrades > 0"},
	    {"&upgrades=none", "h.upgrades = 0"},
	    {"&stale=1", "h.modified < UTC_TIMESTAMP() - INTERVAL 1 DAY"},
	    {"&stale=0", "h.modified >= UTC_TIMESTAMP() - INTERVAL 1 DAY"},
	    {"&package=dash", HAS("dash", "'0.5.12-9'")},
	    {"&package=nosuchpackage", "0"},
	    {"&os=Debian%2012&upgrades=security",
	     "o.name = 'Debian 12' AND h.security_upgrades > 0"},
	    {"&os=Debian%2012&stale=0&package=bash",
	     "o.name = 'Debian 12' AND h.modified >= UTC_TIMESTAMP() - INTERVAL 1 DAY AND " HAS(
	         "bash", "SELECT version FROM package_version")},
	    {"&q=lq-b", "h.name LIKE '%lq-b%'"},
	};
	char path[512], *got, *want;
	json_t *list;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strstr(cases[i].query, "&q=") != NULL)
			snprintf(path, sizeof(path), "/hosts/?%s", cases[i].query + 1);
		else
			snprintf(path, sizeof(path), "/hosts/?" Q "%s", cases[i].query);
		list = it_get_json(path, NULL);
		got = names(list);
		want = db_names(cases[i].cond);
		ck_assert_msg(strcmp(got, want) == 0, "GET %s:\n got  %s\n want %s", path, got,
		              want);
		ck_assert_int_eq(json_integer_value(json_object_get(list, "total")),
		                 (json_int_t)json_array_size(json_object_get(list, "hosts")));
		free(got);
		free(want);
		json_decref(list);
	}
}
END_TEST

/*
 * Version conditions in dpkg's order: an epoch outranks any version without one, ~ sorts
 * before the release it precedes, a binNMU (+bN) after its source version.
 */
START_TEST(test_versions)
{
	static const struct {
		const char *query, *want;
	} cases[] = {
	    {"version_lt=5.2.15-2", "lq-a03 lq-a05"},
	    {"version_le=5.2.15-2", "lq-a02 lq-a03 lq-a05 lq-b10"},
	    {"version_eq=5.2.15-2", "lq-a02 lq-b10"},
	    {"version_ge=5.2.15-2%2Bb1", "lq-a01 lq-a04 lq-a07 lq-a08 lq-b09 lq-b11"},
	    {"version_gt=5.2.15-2%2Bb1", "lq-a01 lq-a04 lq-a08 lq-b09 lq-b11"},
	    {"version_lt=5.2.15", "lq-a03 lq-a05"},
	    {"version_gt=5.2.15~",
	     "lq-a01 lq-a02 lq-a04 lq-a05 lq-a07 lq-a08 lq-b09 lq-b10 lq-b11"},
	    {"version_lt=1:0", "lq-a01 lq-a02 lq-a03 lq-a05 lq-a07 lq-a08 lq-b09 lq-b10 lq-b11"},
	    {"version_eq=1:5.0-1", "lq-a04"},
	    {"version_eq=5.0-1", ""},
	    {"version_op=lt&version=5.2.15-2", "lq-a03 lq-a05"},
	};
	char path[512], *got, *want, *p;
	json_t *list;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/hosts/?" Q "&package=bash&%s", cases[i].query);
		list = it_get_json(path, NULL);
		got = names(list);
		/* The names without their domain, as the cases write them. */
		for (want = got; (p = strstr(want, ".example.org")) != NULL;)
			memmove(p, p + 12, strlen(p + 12) + 1);
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "GET %s:\n got  %s\n want %s", path,
		              got, cases[i].want);
		free(got);
		json_decref(list);
	}
}
END_TEST

/* Every sortable column, both ways: the rows come in that order, names breaking ties. */
START_TEST(test_sort)
{
	static const char *const keys[] = {"name",     "os",       "kernel",           "modified",
	                                   "packages", "upgrades", "security_upgrades"};
	static const char *const sql[] = {"h.name",
	                                  "o.name",
	                                  "k.name",
	                                  "h.modified",
	                                  "h.packages",
	                                  "h.upgrades",
	                                  "h.security_upgrades"};
	char path[256], cond[512], *got, *want, *v;
	json_t *list;
	size_t i;
	int desc;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		for (desc = 0; desc < 2; desc++) {
			snprintf(path, sizeof(path), "/hosts/?" Q "&sort=%s%s", desc ? "-" : "",
			         keys[i]);
			list = it_get_json(path, NULL);
			got = names(list);
			snprintf(cond, sizeof(cond),
			         "SELECT GROUP_CONCAT(h.name ORDER BY %s%s, h.name%s SEPARATOR ' ')"
			         " FROM host h JOIN os o ON o.id = h.os_id JOIN kernel_version k"
			         " ON k.id = h.kernel_id WHERE h.name LIKE 'lq-%%'",
			         sql[i], desc ? " DESC" : "", desc ? " DESC" : "");
			v = it_db_value(cond);
			want = v ? v : strdup("");
			ck_assert_msg(strcmp(got, want) == 0, "GET %s:\n got  %s\n want %s", path,
			              got, want);
			free(got);
			free(want);
			json_decref(list);
		}
}
END_TEST

/* The URL of a JSON page's member key ("next", "previous"), or NULL on the last. */
static const char *
link_of(const json_t *page, const char *key)
{
	const json_t *v = json_object_get(page, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * Pages of 3 rows, following "next" while hosts report (their modified times, the sort
 * of the second walk, change) and a new one arrives: every host there from the start is
 * seen exactly once, and the Link header says what "next" says. Then backwards from the
 * last page by "previous": the same rows.
 */
START_TEST(test_paging)
{
	static const char *const sorts[] = {"name", "-name", "packages", "-os"};
	char path[1024], *link, *all, *seen, *p;
	size_t s, pages, i;
	json_t *page;
	const char *next;
	FILE *f;
	size_t len;

	for (s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		snprintf(path, sizeof(path), "/hosts/?" Q "&sort=%s", sorts[s]);
		page = it_get_json(path, NULL);
		all = names(page);
		json_decref(page);
		seen = NULL;
		f = open_memstream(&seen, &len);
		snprintf(path, sizeof(path), "/hosts/?" Q "&sort=%s&limit=3", sorts[s]);
		for (pages = 0; pages < 20; pages++) {
			page = it_get_json(path, &link);
			ck_assert_int_eq(json_integer_value(json_object_get(page, "total")),
			                 (json_int_t)(N_FLEET + (pages > 1 && s == 0)));
			p = names(page);
			fprintf(f, "%s%s", pages && p[0] ? " " : "", p);
			free(p);
			if (pages == 1) {
				/* Updates between pages: a report, and a host that was not there.
				 */
				post("lq-a02.example.org", "Debian 12", K1, "bash=5.2.15-2", "");
				if (s == 0)
					post("lq-a99.example.org", "Debian 12", K1, "bash=5.2.15-2",
					     "");
			}
			next = link_of(page, "next");
			ck_assert_msg((next == NULL) ==
			                  (link == NULL || !strstr(link, "rel=\"next\"")),
			              "%s: next %s, Link %s", path, next, link);
			if (next != NULL) {
				ck_assert_msg(strstr(link, next) != NULL, "Link %s lacks %s", link,
				              next);
				snprintf(path, sizeof(path), "%s", next);
			}
			free(link);
			json_decref(page);
			if (next == NULL)
				break;
		}
		fclose(f);
		/* The new host, after the page it sorts into, is seen too (name order): drop it. */
		if ((p = strstr(seen, " lq-a99.example.org")) != NULL)
			memmove(p, p + 19, strlen(p + 19) + 1);
		ck_assert_msg(strcmp(seen, all) == 0, "sort %s, pages:\n%s\nwant\n%s", sorts[s],
		              seen, all);
		free(seen);
		free(all);
		it_forget("hosts", "lq-a99.example.org");
	}
	/* Backwards: from the last page by "previous", the pages in reverse. */
	page = it_get_json("/hosts/?" Q, NULL);
	all = names(page);
	json_decref(page);
	seen = strdup("");
	snprintf(path, sizeof(path), "/hosts/?" Q "&limit=4&before=");
	for (i = 0; i < 10; i++) {
		page = it_get_json(path, NULL);
		p = names(page);
		ck_assert_uint_le(json_array_size(json_object_get(page, "hosts")), 4);
		/* Prepend this page. */
		ck_assert_int_ge(asprintf(&link, "%s%s%s", p, seen[0] && p[0] ? " " : "", seen), 0);
		free(seen);
		free(p);
		seen = link;
		next = link_of(page, "previous");
		if (next != NULL)
			snprintf(path, sizeof(path), "%s", next);
		json_decref(page);
		if (next == NULL)
			break;
	}
	ck_assert_msg(strcmp(seen, all) == 0, "backwards:\n%s\nwant\n%s", seen, all);
	free(seen);
	free(all);
}
END_TEST

/* What the server says of a bad query, in the form asked. */
START_TEST(test_bad_params)
{
	static const struct {
		const char *query, *names;
	} cases[] = {
	    {"upgrades=some", "upgrades"},
	    {"stale=yes", "stale"},
	    {"sort=colour", "sort"},
	    {"sort=-", "sort"},
	    {"limit=0", "limit"},
	    {"limit=5001", "limit"},
	    {"limit=ten", "limit"},
	    {"after=zz", "after"},
	    {"after=61.", "after"},
	    {"after=61.62&before=61.62", "after"},
	    {"format=xml", "format"},
	    {"version_lt=1.0", "package"},
	    {"package=bash&version_lt=a%20b", "version_lt"},
	    {"package=bash&version_lt=1&version_gt=2", "version_gt"},
	    {"package=bash&version_op=lt", "version"},
	    {"package=bash&version_op=less&version=1", "version_op"},
	    {"cve=CVE-2024-1%27", "cve"},
	    {"colour=red", "colour"},
	    {"os=a&os=b", "os"},
	};
	struct it_request json = {.accept = "application/json"};
	char path[256], want[64];
	struct it_response r;
	json_error_t e;
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/hosts/?%s", cases[i].query);
		snprintf(want, sizeof(want), "%s", cases[i].names);
		it_do(it_http(path), &json, &r);
		ck_assert_msg(r.status == 400, "GET %s: %ld", path, r.status);
		ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "application/json", 16) == 0,
		              "GET %s: %s", path, it_header(&r, "Content-Type"));
		ck_assert_msg((j = json_loads(r.body, 0, &e)) != NULL, "GET %s: %s", path, r.body);
		ck_assert_msg(strstr(it_str(j, "error"), want) != NULL, "GET %s: %s", path, r.body);
		json_decref(j);
		it_response_free(&r);
		it_do(it_http(path), NULL, &r);
		ck_assert_msg(r.status == 400, "GET %s: %ld", path, r.status);
		ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "text/html", 9) == 0,
		              "GET %s: %s", path, it_header(&r, "Content-Type"));
		ck_assert_msg(strstr(r.body, want) != NULL, "GET %s: %s", path, r.body);
		it_response_free(&r);
	}
}
END_TEST

#define HEADER "name,end_of_life,os,kernel,stale,modified,packages,upgrades,security_upgrades\r\n"

/* The list as CSV, by format= and by Accept: RFC 4180, a header, formulas neutralised. */
START_TEST(test_csv)
{
	struct it_request csv = {.accept = "text/csv"};
	struct it_response r;
	const char *line;
	size_t lines = 0;

	it_do(it_http("/hosts/?" Q "&sort=name"), &csv, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "text/csv", 8) == 0, "%s",
	              it_header(&r, "Content-Type"));
	ck_assert_msg(strncmp(r.body, HEADER, strlen(HEADER)) == 0, "%s", r.body);
	for (line = r.body; (line = strstr(line, "\r\n")) != NULL; line += 2)
		lines++;
	ck_assert_uint_eq(lines, N_FLEET + 1);
	ck_assert_msg(strstr(r.body, "\r\nlq-a06.example.org,false,Debian 12,"
	                             "\"'=HYPERLINK(\"\"http://x\"\",\"\"lq\"\")\",false,") != NULL,
	              "%s", r.body);
	/* a03 is the stale one of Debian 11 (whose end of life depends on the day). */
	ck_assert_msg(strstr(r.body, ",Debian 11,#1 SMP lq kernel two,true,") != NULL, "%s",
	              r.body);
	it_response_free(&r);
	it_do(it_http("/hosts/?" Q "&format=csv&os=Debian%2011&limit=1"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "\r\nlq-a03.example.org,") != NULL && !strstr(r.body, "a04"),
	              "%s", r.body);
	ck_assert_msg(it_header(&r, "Link") && strstr(it_header(&r, "Link"), "rel=\"next\""),
	              "Link: %s", it_header(&r, "Link"));
	it_response_free(&r);
}
END_TEST

/* The page: the form keeps what was asked, the pager's links keep the filters. */
START_TEST(test_html)
{
	struct it_response r;

	it_do(it_http("/hosts/?" Q "&os=Debian%2012&upgrades=security&limit=1"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "<option selected>Debian 12</option>") != NULL, "%s", r.body);
	ck_assert_msg(strstr(r.body, "<option value=\"security\" selected>") != NULL, "%s", r.body);
	ck_assert_msg(strstr(r.body, "name=\"q\" placeholder=\"part of the name\" value=\"lq-\"") !=
	                  NULL,
	              "%s", r.body);
	ck_assert_msg(strstr(r.body, "<p class=\"list-total\">2 rows match</p>") != NULL, "%s",
	              r.body);
	ck_assert_msg(strstr(r.body, "<a rel=\"next\" href=\"/hosts/?q=lq-&amp;os=Debian%2012&amp;"
	                             "upgrades=security&amp;limit=1&amp;after=") != NULL,
	              "%s", r.body);
	ck_assert_msg(strstr(r.body, "data-paged=\"1\" data-q=\"q\"") != NULL, "%s", r.body);
	ck_assert_msg(strstr(r.body,
	                     "<th aria-sort=\"ascending\"><a class=\"sort-link\" href=\"/hosts/"
	                     "?q=lq-&amp;os=Debian%2012&amp;upgrades=security&amp;sort=-name"
	                     "&amp;limit=1\">Host</a></th>") != NULL,
	              "%s", r.body);
	it_response_free(&r);
}
END_TEST

/*
 * A host's page: its package table in pages (upgrades first, then by name), filtered by
 * a part of the name; the pager's walk meets every package once. JSON keeps them all.
 */
START_TEST(test_host_page)
{
	/* zsh (a security upgrade) first, then the others by name. */
	static const char *const want[] = {">zsh<", ">bash<", ">dash<", ">zstd<"};
	char path[1024], *body, *next;
	const char *at, *end;
	struct it_response r;
	size_t i = 0, pages;
	json_t *host;

	post("lq-a01.example.org", "Debian 12", K1,
	     "bash=5.2.15-2+b2 zsh=5.9-4 dash=0.5.12-9 zstd=1.5.4-2", "zsh=5.9-4>5.9-5!security");
	host = it_get_subject(it_http, "hosts", "lq-a01.example.org");
	ck_assert_uint_eq(json_array_size(json_object_get(host, "packages")), 4);
	json_decref(host);
	snprintf(path, sizeof(path), "/hosts/lq-a01.example.org?limit=1");
	for (pages = 0; pages < 10; pages++) {
		it_do(it_http(path), NULL, &r);
		ck_assert_msg(r.status == 200, "GET %s: %ld", path, r.status);
		at = strstr(r.body, "<h2 id=\"packages\">");
		ck_assert_ptr_nonnull(at);
		ck_assert_msg(strstr(at, "<span class=\"muted\">1 of 4</span>") != NULL, "%s", at);
		ck_assert_msg(i < 4 && strstr(at, want[i]) != NULL, "page %zu: %s", pages, at);
		i++;
		next = NULL;
		if ((at = strstr(at, "<a rel=\"next\" href=\"")) != NULL) {
			at += strlen("<a rel=\"next\" href=\"");
			end = strchr(at, '"');
			next = strndup(at, (size_t)(end - at));
		}
		it_response_free(&r);
		if (next == NULL)
			break;
		/* The href is HTML: &amp; between parameters. */
		for (body = next; (body = strstr(body, "&amp;")) != NULL;)
			memmove(body + 1, body + 5, strlen(body + 5) + 1);
		snprintf(path, sizeof(path), "%s", next);
		free(next);
	}
	ck_assert_uint_eq(i, 4);
	/* The package table's part: the vulnerabilities above it may name any package. */
	it_do(it_http("/hosts/lq-a01.example.org?q=sh"), NULL, &r);
	at = strstr(r.body, "<h2 id=\"packages\">");
	ck_assert_msg(at != NULL && strstr(at, "<span class=\"muted\">") == NULL &&
	                  strstr(at, ">bash<") && strstr(at, ">dash<") && strstr(at, ">zsh<") &&
	                  !strstr(at, ">zstd<"),
	              "%s", r.body);
	it_response_free(&r);
	it_do(it_http("/hosts/lq-a01.example.org?vulns=some"), NULL, &r);
	ck_assert_int_eq(r.status, 400);
	it_response_free(&r);
	it_do(it_http("/hosts/lq-a01.example.org?limit=0"), NULL, &r);
	ck_assert_int_eq(r.status, 400);
	it_response_free(&r);
	it_do(it_http("/hosts/lq-a01.example.org?vulns=all"), NULL, &r);
	ck_assert_int_eq(r.status, 200);
	it_response_free(&r);
}
END_TEST

Suite *
make_it_lists_suite(void)
{
	Suite *s = suite_create("integration: lists");
	TCase *tc = tcase_create("hosts");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_sort);
	tcase_add_test(tc, test_paging);
	tcase_add_test(tc, test_bad_params);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_host_page);
	suite_add_tcase(s, tc);
	return s;
}
