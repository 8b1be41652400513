/*
 * it_lists_more.c: /images/, /kernels/, /kernels/ID and /kubernetes/ through Apache, the
 * CGIs and MariaDB: filters checked against the database, sort, keyset pages visiting
 * every row once, bad parameters, CSV; and the dashboard's cards linking to lists whose
 * totals are the cards' numbers.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The images, hosts and cluster of these tests, and what picks them out. */
#define IMG "registry.example.org/lm-img/"
#define HOST "lm-h"
#define CLUSTER "lm-cluster"
#define KA "#1 SMP lm kernel a"
#define KB "#1 SMP lm kernel b"

static const struct {
	const char *name, *os, *installed, *upgradable;
} images[] = {
    {IMG "a01:1", "Debian 12", "bash=5.2.15-2 zsh=5.9-4", "bash=5.2.15-2>5.2.15-3!security"},
    {IMG "a02:1", "Debian 12", "bash=5.2.15-2+b1", ""},
    {IMG "a03:1", "Debian 11", "bash=5.1-2+deb11u1", "bash=5.1-2+deb11u1>5.1-2+deb11u2!"},
    {IMG "a04:1", "Debian 11", "bash=1:5.0-1 zsh=5.8-6", ""},
    {IMG "a05:1", "Debian 12", "bash=5.2.15~rc1-1", ""},
    {IMG "b06:1", "Debian 13", "dash=0.5.12-9", "dash=0.5.12-9>0.5.12-10!security"},
    {IMG "b07:1", "Ubuntu 24.04", "bash=5.2.21-2ubuntu4", ""},
};
#define N_IMAGES (sizeof(images) / sizeof(images[0]))

static const struct {
	const char *name, *os, *kernel;
} hosts[] = {
    {HOST "01.example.org", "Debian 12", KA}, {HOST "02.example.org", "Debian 12", KA},
    {HOST "03.example.org", "Debian 12", KA}, {HOST "04.example.org", "Debian 11", KA},
    {HOST "05.example.org", "Debian 12", KB},
};
#define N_HOSTS (sizeof(hosts) / sizeof(hosts[0]))

/* cluster, namespace, image, containers. */
static const char *const pods[][3] = {
    {"ns-a", IMG "a01:1", "3"}, {"ns-a", IMG "a02:1", "1"}, {"ns-b", IMG "a01:1", "2"},
    {"ns-b", IMG "b06:1", "5"}, {"ns-c", IMG "a03:1", "4"},
};
#define N_PODS (sizeof(pods) / sizeof(pods[0]))

static void
post(const char *path, json_t *p, const struct it_tls *tls)
{
	char *body = it_dump(p);
	struct it_request req = {.method = "POST", .body = body, .tls = tls};
	struct it_response r;

	req.body_len = strlen(body);
	it_do(it_https(path), &req, &r);
	ck_assert_msg(r.status == 201, "POST %s: %ld %s", path, r.status, r.body);
	it_response_free(&r);
	free(body);
}

static void
post_image(size_t i)
{
	char path[512];

	snprintf(path, sizeof(path), "/images/%s/update", images[i].name);
	post(path,
	     json_pack("{s:s, s:s, s:s, s:s, s:o, s:[], s:o}", "api_version", "v1", "update_type",
	               "full", "image_name", images[i].name, "os", images[i].os, "installed",
	               it_spec_list(images[i].installed, 0), "uninstalled", "upgradable",
	               it_spec_list(images[i].upgradable, 1)),
	     NULL);
}

static void
post_host(const char *name, const char *os, const char *kernel)
{
	struct it_tls self = it_cert(name); /* a host reports for itself */
	char path[512];

	snprintf(path, sizeof(path), "/hosts/%s/update", name);
	post(path,
	     json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:[], s:[]}", "api_version", "v1",
	               "update_type", "full", "hostname", name, "os", os, "running_kernel",
	               "release", "6.1.0-lm-amd64", "version", kernel, "installed",
	               it_spec_list("bash=5.2.15-2", 0), "uninstalled", "upgradable"),
	     &self);
}

static void
post_cluster(void)
{
	json_t *imgs = json_object(), *ns;
	size_t i;

	for (i = 0; i < N_PODS; i++) {
		if ((ns = json_object_get(imgs, pods[i][1])) == NULL)
			json_object_set_new(imgs, pods[i][1], ns = json_object());
		json_object_set_new(ns, pods[i][0], json_integer(strtol(pods[i][2], NULL, 10)));
	}
	post("/kubernetes/update", json_pack("{s:s, s:o}", "cluster", CLUSTER, "images", imgs),
	     NULL);
}

static void
teardown(void)
{
	it_db_exec("DELETE FROM kubernetes_image WHERE cluster = '" CLUSTER "'");
	it_forget_like("images", IMG "%");
	it_forget_like("hosts", HOST "%");
}

static void
setup(void)
{
	size_t i;

	teardown();
	for (i = 0; i < N_IMAGES; i++)
		post_image(i);
	for (i = 0; i < N_HOSTS; i++)
		post_host(hosts[i].name, hosts[i].os, hosts[i].kernel);
	post_cluster();
}

/* GET path as JSON (200 only): the parsed answer; its Link header in *link when asked. */
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

static char *
get_html(const char *path)
{
	struct it_response r;
	char *body;

	it_do(it_http(path), NULL, &r);
	ck_assert_msg(r.status == 200, "GET %s: %ld", path, r.status);
	body = strdup(r.body);
	it_response_free(&r);
	return body;
}

/*
 * The rows of list (the member key of the answer), in order, as "a b c": each row's
 * fields joined by '|', or the row itself when it is a string.
 */
static char *
rows(const json_t *answer, const char *key, const char *const *fields)
{
	const json_t *row;
	char *out = NULL;
	size_t i, k, len = 0;
	FILE *f = open_memstream(&out, &len);

	json_array_foreach (json_object_get(answer, key), i, row) {
		fputs(i ? " " : "", f);
		if (json_is_string(row))
			fputs(json_string_value(row), f);
		for (k = 0; fields != NULL && fields[k] != NULL; k++) {
			const json_t *v = json_object_get(row, fields[k]);

			if (json_is_integer(v))
				fprintf(f, "%s%lld", k ? "|" : "",
				        (long long)json_integer_value(v));
			else
				fprintf(f, "%s%s", k ? "|" : "", json_string_value(v));
		}
	}
	fclose(f);
	return out;
}

/* What the database says: the first column of sql (one row, GROUP_CONCAT), "" for none. */
static char *
db(const char *sql)
{
	char *v = it_db_value(sql);

	return v ? v : strdup("");
}

static void
assert_same(const char *path, char *got, char *want)
{
	ck_assert_msg(strcmp(got, want) == 0, "GET %s:\n got  %s\n want %s", path, got, want);
	free(got);
	free(want);
}

static json_int_t
total(const json_t *answer)
{
	const json_t *t = json_object_get(answer, "total");

	ck_assert_msg(json_is_integer(t), "no \"total\"");
	return json_integer_value(t);
}

static const char *const image_name[] = {"name", NULL};

/* Images whose installed package NAME has a version in LIST (SQL). */
#define HAS(NAME, LIST)                                                                            \
	"i.id IN (SELECT e.image_id FROM image_package e JOIN package p ON p.id = e.package_id"    \
	" JOIN package_version pv ON pv.id = e.package_version_id WHERE p.name = '" NAME "'"       \
	" AND pv.version IN (" LIST "))"

/* Every filter of /images/ and some combinations: the list is what the database says. */
START_TEST(test_images_filters)
{
	static const struct {
		const char *query, *cond;
	} cases[] = {
	    {"", "1"},
	    {"&os=Debian%2011", "o.name = 'Debian 11'"},
	    {"&upgrades=any", "i.upgrades > 0"},
	    {"&upgrades=security", "i.security_upgrades > 0"},
	    {"&upgrades=none", "i.upgrades = 0"},
	    {"&package=zsh", HAS("zsh", "SELECT version FROM package_version")},
	    {"&package=nosuchpackage", "0"},
	    {"&package=bash&version_lt=5.2.15-2", HAS("bash", "'5.1-2+deb11u1', '5.2.15~rc1-1'")},
	    {"&package=bash&version_ge=5.2.15-2%2Bb1", HAS("bash", "'5.2.15-2+b1', '1:5.0-1',"
	                                                           " '5.2.21-2ubuntu4'")},
	    {"&package=bash&version_op=eq&version=1:5.0-1", HAS("bash", "'1:5.0-1'")},
	    {"&os=Debian%2012&upgrades=security",
	     "o.name = 'Debian 12' AND i.security_upgrades > 0"},
	    {"&os=Debian%2012&package=bash&version_gt=5.2.15",
	     "o.name = 'Debian 12' AND " HAS("bash", "'5.2.15-2', '5.2.15-2+b1'")},
	    {"&q=b0", "i.name LIKE '%b0%'"},
	    {"&cve=CVE-1999-0001", "0"},
	};
	char path[512], sql[2048];
	json_t *list;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/images/?q=lm-img/%s", cases[i].query);
		if (strncmp(cases[i].query, "&q=", 3) == 0)
			snprintf(path, sizeof(path), "/images/?%s", cases[i].query + 1);
		list = get_json(path, NULL);
		snprintf(sql, sizeof(sql),
		         "SELECT GROUP_CONCAT(i.name ORDER BY i.name SEPARATOR ' ') FROM image i"
		         " JOIN os o ON o.id = i.os_id WHERE i.name LIKE '" IMG "%%' AND %s",
		         cases[i].cond);
		assert_same(path, rows(list, "images", image_name), db(sql));
		ck_assert_int_eq(total(list),
		                 (json_int_t)json_array_size(json_object_get(list, "images")));
		json_decref(list);
	}
}
END_TEST

/*
 * cve=: after the tracker fixture is imported, the images with a version the issue
 * affects (bind9 CVE-2025-40775, fixed in 1:9.18.41-1~deb12u1 in bookworm), not those
 * with the fix.
 */
START_TEST(test_images_cve)
{
	char cmd[8192], path[512];
	json_t *list;
	size_t i;
	static const struct {
		const char *name, *version;
	} bind[] = {{IMG "c08:1", "bind9=1:9.18.33-1~deb12u2"},
	            {IMG "c09:1", "bind9=1:9.18.41-1~deb12u1"}};

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/images/%s/update", bind[i].name);
		post(path,
		     json_pack("{s:s, s:s, s:s, s:s, s:o, s:[], s:[]}", "api_version", "v1",
		               "update_type", "full", "image_name", bind[i].name, "os", "Debian 12",
		               "installed", it_spec_list(bind[i].version, 0), "uninstalled",
		               "upgradable"),
		     NULL);
	}
	snprintf(cmd, sizeof(cmd), "'%s' --config '%s' --force --file '%s%s' >/dev/null 2>&1",
	         it_env("DM_CVE"), it_env("DM_CONFIG"), it_env("DM_TEST_SOURCE"),
	         "/tests/data/tracker/tracker.json");
	ck_assert_int_eq(system(cmd), 0);
	list = get_json("/images/?q=lm-img/&cve=CVE-2025-40775", NULL);
	assert_same("cve=CVE-2025-40775", rows(list, "images", image_name), strdup(IMG "c08:1"));
	ck_assert_int_eq(total(list), 1);
	json_decref(list);
}
END_TEST

/* A sort of a list: its key, the SQL of the database's order (names breaking ties). */
struct sort_case {
	const char *key, *sql;
};

/*
 * Every column both ways: the rows of path come in the database's order, "SELECT
 * GROUP_CONCAT(expr ORDER BY sort, ties...) from", every column of ties (what tells rows
 * apart, in the list's order) the same way round as the sort.
 */
static void
assert_sorts(const char *path, const char *key, const char *const *fields,
             const struct sort_case *sorts, size_t n, const char *expr, const char *const *ties,
             const char *from)
{
	char url[512], sql[2048];
	size_t i, k, len;
	json_t *list;
	int desc;

	for (i = 0; i < n; i++)
		for (desc = 0; desc < 2; desc++) {
			snprintf(url, sizeof(url), "%s&sort=%s%s", path, desc ? "-" : "",
			         sorts[i].key);
			list = get_json(url, NULL);
			len = (size_t)snprintf(sql, sizeof(sql),
			                       "SELECT GROUP_CONCAT(%s ORDER BY %s%s", expr,
			                       sorts[i].sql, desc ? " DESC" : "");
			for (k = 0; ties[k] != NULL; k++)
				len += (size_t)snprintf(sql + len, sizeof(sql) - len, ", %s%s",
				                        ties[k], desc ? " DESC" : "");
			snprintf(sql + len, sizeof(sql) - len, " SEPARATOR ' ') %s", from);
			assert_same(url, rows(list, key, fields), db(sql));
			json_decref(list);
		}
}

START_TEST(test_images_sort)
{
	static const struct sort_case sorts[] = {
	    {"name", "i.name"},         {"os", "o.name"},
	    {"modified", "i.modified"}, {"packages", "i.packages"},
	    {"upgrades", "i.upgrades"}, {"security_upgrades", "i.security_upgrades"},
	};

	static const char *const ties[] = {"i.name", NULL};

	assert_sorts("/images/?q=lm-img/", "images", image_name, sorts, 6, "i.name", ties,
	             "FROM image i JOIN os o ON o.id = i.os_id WHERE i.name LIKE '" IMG "%'");
}
END_TEST

static const char *
link_of(const json_t *page, const char *key)
{
	const json_t *v = json_object_get(page, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * Pages of 2 rows of path (a list's URL with a query string), following "next": every
 * row of the whole list once, in order; the Link header says what "next" says. Then
 * from the last page back by "previous": the same rows.
 */
static void
assert_pages(const char *path, const char *key, const char *const *fields)
{
	char url[2048], *all, *seen = NULL, *p, *link, *joined;
	json_t *page = get_json(path, NULL);
	const char *next;
	size_t n, len;
	FILE *f;

	all = rows(page, key, fields);
	json_decref(page);
	f = open_memstream(&seen, &len);
	snprintf(url, sizeof(url), "%s&limit=2", path);
	for (n = 0; n < 50; n++) {
		page = get_json(url, &link);
		ck_assert_uint_le(json_array_size(json_object_get(page, key)), 2);
		p = rows(page, key, fields);
		fprintf(f, "%s%s", n && p[0] ? " " : "", p);
		free(p);
		next = link_of(page, "next");
		ck_assert_msg((next == NULL) == (link == NULL || !strstr(link, "rel=\"next\"")),
		              "%s: next %s, Link %s", url, next, link);
		if (next != NULL)
			snprintf(url, sizeof(url), "%s", next);
		free(link);
		json_decref(page);
		if (next == NULL)
			break;
	}
	fclose(f);
	ck_assert_msg(n >= 1, "%s: one page", path);
	ck_assert_msg(strcmp(seen, all) == 0, "%s, pages:\n%s\nwant\n%s", path, seen, all);
	free(seen);
	seen = strdup("");
	snprintf(url, sizeof(url), "%s&limit=2&before=", path);
	for (n = 0; n < 50; n++) {
		page = get_json(url, NULL);
		p = rows(page, key, fields);
		len = strlen(p) + strlen(seen) + 2;
		joined = malloc(len);
		snprintf(joined, len, "%s%s%s", p, seen[0] && p[0] ? " " : "", seen);
		free(seen);
		free(p);
		seen = joined;
		next = link_of(page, "previous");
		if (next != NULL)
			snprintf(url, sizeof(url), "%s", next);
		json_decref(page);
		if (next == NULL)
			break;
	}
	ck_assert_msg(strcmp(seen, all) == 0, "%s, backwards:\n%s\nwant\n%s", path, seen, all);
	free(seen);
	free(all);
}

static const char *const kernel_fields[] = {"name", "os", "hosts", NULL};
static const char *const pod_fields[] = {"cluster", "namespace", "image", "containers", NULL};

/* The id of kernel name on Debian 12, as a string. */
static char *
kernel_id(const char *name)
{
	char sql[512], *id;

	snprintf(sql, sizeof(sql),
	         "SELECT k.id FROM kernel_version k JOIN os o ON o.id = k.os_id"
	         " WHERE k.name = '%s' AND o.name = 'Debian 12'",
	         name);
	ck_assert_msg((id = it_db_value(sql)) != NULL, "no kernel %s", name);
	return id;
}

START_TEST(test_paging)
{
	static const char *const sorts[] = {"", "&sort=-name", "&sort=os", "&sort=-upgrades"};
	char path[256], *id = kernel_id(KA);
	size_t i;

	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		snprintf(path, sizeof(path), "/images/?q=lm-img/%s", sorts[i]);
		assert_pages(path, "images", image_name);
	}
	assert_pages("/kernels/?q=lm%20kernel", "kernels", kernel_fields);
	assert_pages("/kernels/?q=lm%20kernel&sort=-hosts", "kernels", kernel_fields);
	assert_pages("/kubernetes/?q=" CLUSTER, "images", pod_fields);
	assert_pages("/kubernetes/?q=" CLUSTER "&sort=-containers", "images", pod_fields);
	snprintf(path, sizeof(path), "/kernels/%s?q=" HOST, id);
	assert_pages(path, "hosts", NULL);
	free(id);
}
END_TEST

START_TEST(test_kernels)
{
	static const struct sort_case sorts[] = {{"name", "k.name"},
	                                         {"os", "o.name"},
	                                         {"hosts", "(SELECT COUNT(*) FROM host h"
	                                                   " WHERE h.kernel_id = k.id)"}};
	static const char *const kernel_ties[] = {"k.os_id", "k.name", NULL};
	char *page, want[512], sql[512], *id = kernel_id(KA);
	json_t *list, *hl;

	list = get_json("/kernels/?q=lm%20kernel", NULL);
	assert_same("/kernels/?q=lm kernel", rows(list, "kernels", kernel_fields),
	            strdup("#1 SMP lm kernel a|Debian 11|1 #1 SMP lm kernel a|Debian 12|3"
	                   " #1 SMP lm kernel b|Debian 12|1"));
	ck_assert_int_eq(total(list), 3);
	json_decref(list);
	assert_sorts("/kernels/?q=lm%20kernel", "kernels", kernel_fields, sorts, 3,
	             "CONCAT(k.name, '|', o.name, '|', (SELECT COUNT(*) FROM host h"
	             " WHERE h.kernel_id = k.id))",
	             kernel_ties,
	             "FROM kernel_version k JOIN os o ON o.id = k.os_id"
	             " WHERE k.name LIKE '%lm kernel%'");
	/* The count links to the hosts it counts, by OS and kernel. */
	page = get_html("/kernels/?q=lm%20kernel");
	ck_assert_msg(strstr(page, "<td class=\"num\"><a href=\"/hosts/?os=Debian%2012&amp;"
	                           "kernel=%231%20SMP%20lm%20kernel%20a\">3</a></td>") != NULL,
	              "%s", page);
	free(page);
	hl = get_json("/hosts/?os=Debian%2012&kernel=%231%20SMP%20lm%20kernel%20a", NULL);
	ck_assert_int_eq(total(hl), 3);
	json_decref(hl);
	/* /kernels/ID: its members as before, the hosts as names, filtered by q=. */
	snprintf(want, sizeof(want), "/kernels/%s", id);
	list = get_json(want, NULL);
	ck_assert_str_eq(it_str(list, "name"), KA);
	ck_assert(json_is_integer(json_object_get(list, "id")));
	ck_assert(json_is_string(json_object_get(list, "os")));
	ck_assert_int_eq(total(list), (json_int_t)json_array_size(json_object_get(list, "hosts")));
	json_decref(list);
	snprintf(want, sizeof(want), "/kernels/%s?q=" HOST "0&sort=-name", id);
	list = get_json(want, NULL);
	snprintf(sql, sizeof(sql),
	         "SELECT GROUP_CONCAT(h.name ORDER BY h.name DESC SEPARATOR ' ') FROM host h"
	         " WHERE h.kernel_id = %s AND h.name LIKE '" HOST "0%%'",
	         id);
	assert_same(want, rows(list, "hosts", NULL), db(sql));
	json_decref(list);
	free(id);
}
END_TEST

START_TEST(test_kernel_page)
{
	char path[128], *page, *id = kernel_id(KA);
	json_t *hl;

	snprintf(path, sizeof(path), "/kernels/%s?limit=1", id);
	page = get_html(path);
	/* The count of hosts links to them; the list pages and has its form. */
	ck_assert_msg(strstr(page, "<a href=\"/hosts/?os=Debian%2012&amp;kernel=%231%20SMP%20lm%20"
	                           "kernel%20a\" id=\"kernel-hosts\">3</a>") != NULL,
	              "%s", page);
	ck_assert_msg(strstr(page, "<a rel=\"next\" href=\"") != NULL, "%s", page);
	ck_assert_msg(strstr(page, "name=\"q\" placeholder=\"part of the name\"") != NULL, "%s",
	              page);
	free(page);
	snprintf(path, sizeof(path), "/kernels/%s", id);
	hl = get_json(path, NULL);
	ck_assert_int_eq(total(hl), 3);
	json_decref(hl);
	free(id);
}
END_TEST

START_TEST(test_kubernetes)
{
	static const struct sort_case sorts[] = {
	    {"cluster", "k.cluster"}, {"namespace", "k.namespace"},   {"image", "i.name"},
	    {"os", "o.name"},         {"containers", "k.containers"},
	};
	static const char *const pod_ties[] = {"k.cluster", "k.namespace", "i.name", NULL};
	json_t *list;

	list = get_json("/kubernetes/?q=" CLUSTER, NULL);
	assert_same("/kubernetes/", rows(list, "images", pod_fields),
	            db("SELECT GROUP_CONCAT(CONCAT_WS('|', k.cluster, k.namespace, i.name,"
	               " k.containers) ORDER BY k.cluster, k.namespace, i.name SEPARATOR ' ')"
	               " FROM kubernetes_image k JOIN image i ON i.id = k.image_id"
	               " WHERE k.cluster = '" CLUSTER "'"));
	ck_assert_int_eq(total(list), N_PODS);
	json_decref(list);
	list = get_json("/kubernetes/?q=lm-img/b06", NULL);
	assert_same("/kubernetes/?q=lm-img/b06", rows(list, "images", pod_fields),
	            strdup(CLUSTER "|ns-b|" IMG "b06:1|5"));
	json_decref(list);
	assert_sorts("/kubernetes/?q=" CLUSTER, "images", pod_fields, sorts, 5,
	             "CONCAT_WS('|', k.cluster, k.namespace, i.name, k.containers)", pod_ties,
	             "FROM kubernetes_image k JOIN image i ON i.id = k.image_id JOIN os o"
	             " ON o.id = i.os_id WHERE k.cluster = '" CLUSTER "'");
}
END_TEST

/* Bad parameters of each list: 400, as JSON when asked, else a page, naming the parameter. */
START_TEST(test_bad_params)
{
	static const struct {
		const char *path, *name;
	} cases[] = {
	    {"/images/?upgrades=some", "upgrades"},
	    {"/images/?stale=1", "stale"},
	    {"/images/?kernel=x", "kernel"},
	    {"/images/?sort=kernel", "sort"},
	    {"/images/?limit=0", "limit"},
	    {"/images/?after=zz", "after"},
	    {"/images/?format=xml", "format"},
	    {"/images/?version_lt=1.0", "package"},
	    {"/images/?package=bash&version_gt=a%20b", "version_gt"},
	    {"/images/?package=bash&version_op=less&version=1", "version_op"},
	    {"/images/?cve=CVE-2024-1%27", "cve"},
	    {"/images/?os=a&os=b", "os"},
	    {"/kernels/?sort=modified", "sort"},
	    {"/kernels/?limit=5001", "limit"},
	    {"/kernels/?os=Debian", "os"},
	    {"/kubernetes/?sort=name", "sort"},
	    {"/kubernetes/?before=61", "before"},
	    {"/kubernetes/?cluster=x", "cluster"},
	    {"/kernels/1?sort=os", "sort"},
	    {"/kernels/1?limit=ten", "limit"},
	    {"/kernels/1?name=x", "name"},
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
		ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "text/html", 9) == 0,
		              "GET %s: %s", cases[i].path, it_header(&r, "Content-Type"));
		ck_assert_msg(strstr(r.body, cases[i].name) != NULL, "GET %s: %s", cases[i].path,
		              r.body);
		it_response_free(&r);
	}
}
END_TEST

/* GET path as CSV: the body, which starts with header and has lines lines (header too). */
static char *
get_csv(const char *path, const char *header, size_t lines)
{
	struct it_request csv = {.accept = "text/csv"};
	struct it_response r;
	const char *line;
	size_t n = 0;
	char *body;

	it_do(it_http(path), &csv, &r);
	ck_assert_msg(r.status == 200, "GET %s: %ld", path, r.status);
	ck_assert_msg(strncmp(it_header(&r, "Content-Type"), "text/csv", 8) == 0, "%s",
	              it_header(&r, "Content-Type"));
	ck_assert_msg(strncmp(r.body, header, strlen(header)) == 0, "GET %s: %s", path, r.body);
	for (line = r.body; (line = strstr(line, "\r\n")) != NULL; line += 2)
		n++;
	ck_assert_msg(n == lines, "GET %s: %zu lines, want %zu: %s", path, n, lines, r.body);
	body = strdup(r.body);
	it_response_free(&r);
	return body;
}

START_TEST(test_csv)
{
	char path[128], *body, *id = kernel_id(KA);

	body = get_csv("/images/?q=lm-img/&upgrades=security",
	               "name,os,modified,packages,upgrades,security_upgrades\r\n", 3);
	ck_assert_msg(strstr(body, "\r\n" IMG "a01:1,Debian 12,") != NULL, "%s", body);
	ck_assert_msg(strstr(body, ",2,1,1\r\n") != NULL, "%s", body);
	free(body);
	body = get_csv("/kernels/?q=lm%20kernel&format=csv", "id,name,os,hosts\r\n", 4);
	ck_assert_msg(strstr(body, ",#1 SMP lm kernel a,Debian 12,3\r\n") != NULL, "%s", body);
	free(body);
	body = get_csv("/kubernetes/?q=" CLUSTER "&sort=-containers&limit=1",
	               "cluster,namespace,image,os,containers\r\n", 2);
	ck_assert_msg(strstr(body, "\r\n" CLUSTER ",ns-b," IMG "b06:1,Debian 13,5\r\n") != NULL,
	              "%s", body);
	free(body);
	snprintf(path, sizeof(path), "/kernels/%s?format=csv&q=" HOST, id);
	body = get_csv(path, "name\r\n", 4);
	ck_assert_msg(strstr(body, "\r\n" HOST "01.example.org\r\n") != NULL, "%s", body);
	free(body);
	free(id);
}
END_TEST

/* The page of /images/: the form keeps what was asked, the pager keeps the filters. */
START_TEST(test_images_html)
{
	char *page = get_html("/images/?q=lm-img/&os=Debian%2012&upgrades=none&limit=1");

	ck_assert_msg(strstr(page, "<option selected>Debian 12</option>") != NULL, "%s", page);
	ck_assert_msg(strstr(page, "<option value=\"none\" selected>") != NULL, "%s", page);
	ck_assert_msg(strstr(page, "<p class=\"list-total\">2 rows match</p>") != NULL, "%s", page);
	ck_assert_msg(strstr(page, "<a rel=\"next\" href=\"/images/?q=lm-img%2F&amp;os=Debian%2012"
	                           "&amp;upgrades=none&amp;limit=1&amp;after=") != NULL,
	              "%s", page);
	ck_assert_msg(strstr(page, "data-paged=\"1\" data-q=\"q\"") != NULL, "%s", page);
	free(page);
}
END_TEST

/* The total of the list at url (an href of the page, "&amp;" in it), asked as JSON. */
static json_int_t
list_total(const char *href)
{
	char url[1024], *o = url;
	json_t *j;
	json_int_t n;

	for (; *href && o < url + sizeof(url) - 32; href++) {
		*o++ = *href;
		if (strncmp(href, "&amp;", 5) == 0)
			href += 4;
	}
	*o = '\0';
	snprintf(o, 32, "%slimit=1", strchr(url, '?') ? "&" : "?");
	j = get_json(url, NULL);
	n = total(j);
	json_decref(j);
	return n;
}

/* The time card id links to /hosts/ sorted so that its first host has that time. */
static void
assert_time_card(const char *page, const char *id, const char *sort)
{
	char want[128], path[128], value[64];
	const char *v;
	json_t *j;

	snprintf(want, sizeof(want), "href=\"/hosts/?sort=%s\" id=\"%s\"><span class=\"value\">",
	         sort, id);
	ck_assert_msg((v = strstr(page, want)) != NULL, "no %s: %s", want, page);
	ck_assert_int_eq(sscanf(v + strlen(want), "%63[^<]", value), 1);
	snprintf(path, sizeof(path), "/hosts/?sort=%s&limit=1", sort);
	j = get_json(path, NULL);
	ck_assert_str_eq(it_str(json_array_get(json_object_get(j, "hosts"), 0), "modified"), value);
	json_decref(j);
}

/*
 * Each card of the dashboard that counts rows of a list this suite covers (hosts, images,
 * kernels; by OS too) links to that list, filtered: its total is the card's number.
 */
START_TEST(test_dashboard_links)
{
	char *page = get_html("/"), href[512], value[64];
	const char *p = page, *lists[] = {"/hosts/", "/images/", "/kernels/"};
	size_t i, checked = 0, by_os = 0;
	long long eol = 0;
	char *v;
	int ok;

	while ((p = strstr(p, "<a class=\"card\" href=\"")) != NULL) {
		p += strlen("<a class=\"card\" href=\"");
		if (sscanf(p, "%511[^\"]", href) != 1 || strstr(p, "class=\"value\">") == NULL ||
		    sscanf(strstr(p, "class=\"value\">") + 14, "%63[^<]", value) != 1)
			continue;
		for (ok = 0, i = 0; i < 3; i++)
			ok |= strncmp(href, lists[i], strlen(lists[i])) == 0;
		if (!ok || strstr(href, "sort=") != NULL)
			continue;
		ck_assert_msg(list_total(href) == atoll(value), "card %s says %s, the list %lld",
		              href, value, (long long)list_total(href));
		by_os += strncmp(href, "/hosts/?os=", 11) == 0;
		if (strncmp(href, "/hosts/?os=", 11) == 0 &&
		    (v = strstr(p, "end of life")) != NULL && v < strstr(p, "</a>"))
			eol += atoll(value);
		checked++;
	}
	ck_assert_msg(strstr(page, "href=\"/hosts/?upgrades=security\" id=\"hosts_with_security"
	                           "_upgrades\"") != NULL,
	              "%s", page);
	ck_assert_msg(strstr(page, "href=\"/hosts/?stale=1\" id=\"stale_hosts\"") != NULL, "%s",
	              page);
	ck_assert_msg(strstr(page, "href=\"/images/?upgrades=any\" id=\"images_with_upgrades\"") !=
	                  NULL,
	              "%s", page);
	ck_assert_msg(strstr(page, "href=\"/hosts/?os=Debian%2012\"") != NULL, "%s", page);
	ck_assert_uint_ge(by_os, 2);
	assert_time_card(page, "newest_host_update", "-modified");
	assert_time_card(page, "oldest_host_update", "modified");
	/* The hosts past end of life are those of the OS cards marked so. */
	ck_assert_msg(
	    (v = strstr(page, "href=\"#os\" id=\"hosts_end_of_life\"><span class=\"value\">")) !=
	        NULL,
	    "%s", page);
	ck_assert_int_eq(
	    atoll(v + strlen("href=\"#os\" id=\"hosts_end_of_life\"><span class=\"value\">")), eol);
	ck_assert_uint_ge(checked, 9);
	free(page);
}
END_TEST

/* Every kernel's count of hosts on /kernels/ links to a list of hosts whose total it is. */
START_TEST(test_kernel_links)
{
	static const char start[] = "<td class=\"num\"><a href=\"";
	char *page = get_html("/kernels/?limit=5000"), href[1024], value[32];
	const char *p = page;
	size_t n = 0;

	while ((p = strstr(p, start)) != NULL) {
		p += strlen(start);
		ck_assert_int_eq(sscanf(p, "%1023[^\"]\">%31[^<]", href, value), 2);
		ck_assert_msg(strncmp(href, "/hosts/?os=", 11) == 0, "%s", href);
		ck_assert_msg(list_total(href) == atoll(value), "%s: %s hosts, the list says %lld",
		              href, value, (long long)list_total(href));
		n++;
	}
	ck_assert_uint_ge(n, 3);
	free(page);
}
END_TEST

Suite *
make_it_lists_more_suite(void)
{
	Suite *s = suite_create("integration: more lists");
	TCase *tc = tcase_create("images, kernels, kubernetes, dashboard");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_images_filters);
	tcase_add_test(tc, test_images_sort);
	tcase_add_test(tc, test_images_cve);
	tcase_add_test(tc, test_paging);
	tcase_add_test(tc, test_kernels);
	tcase_add_test(tc, test_kernel_page);
	tcase_add_test(tc, test_kubernetes);
	tcase_add_test(tc, test_bad_params);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_images_html);
	tcase_add_test(tc, test_dashboard_links);
	tcase_add_test(tc, test_kernel_links);
	suite_add_tcase(s, tc);
	return s;
}
