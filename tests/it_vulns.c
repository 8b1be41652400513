/*
 * it_vulns.c: vulnerabilities through Apache, the CGIs and MariaDB, against what the
 * tracker fixture implies (tests/data/tracker/README, "Expected results"): every line of
 * that table on a host's page, the issue pages, the counts, live updates, kernels, images,
 * releases past their end of life, hosts the data does not cover.
 */
#include "integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

#define FIXTURE "/tests/data/tracker/tracker.json"
#define TABLE "/tests/data/tracker/README"
/* The oracle's release table: Debian 15 (duke) unknown, as the table says. */
#define RELEASES "/tests/data/tracker/debian.csv"
/* A running kernel that names no Debian version: adds no row of its own. */
#define NO_KERNEL "#1 SMP PREEMPT_DYNAMIC custom build"

/* One heading of the expected table: a host with one package, and its expected rows. */
struct heading {
	char os[160];
	char source[160];
	char version[160];
	char host[64];
	int unmapped;        /* the heading's codename is "-": an OS the table does not map */
	int all_not_covered; /* "*  not-covered" there: the OS is not covered at all */
	int no_source;       /* "*  not-covered" on a release: the tracker lists no such source */
	struct {
		char issue[160];
		char result[160]; /* affected-fix-available, affected-no-fix, undetermined, ... */
		char fixed[160];  /* for affected-fix-available: the fixed version */
	} rows[16];
	size_t n;
};

static struct heading table[64];
static size_t n_table;

static const struct {
	const char *codename, *os;
} oses[] = {{"buster", "Debian 10"},
            {"bullseye", "Debian 11"},
            {"bookworm", "Debian 12"},
            {"trixie", "Debian 13"},
            {"forky", "Debian 14"}};

/* The path of a file of the source tree. */
static const char *
source_file(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s%s", it_env("DM_TEST_SOURCE"), rel);
	return path;
}

/* The OS a heading's host reports: by codename, or from the comment ('os "Ubuntu 24.04"'). */
static void
heading_os(struct heading *h, const char *codename, const char *line)
{
	const char *c;
	size_t i;

	for (i = 0; i < sizeof(oses) / sizeof(oses[0]); i++)
		if (strcmp(codename, oses[i].codename) == 0)
			snprintf(h->os, sizeof(h->os), "%s", oses[i].os);
	if (strcmp(codename, "-") == 0 && (c = strstr(line, "os \"")) != NULL)
		snprintf(h->os, sizeof(h->os), "%.*s", (int)strcspn(c + 4, "\""), c + 4);
	ck_assert_msg(h->os[0] != '\0', "no OS for the heading '%s'", line);
}

/* Whether a heading starts with word: a codename of the table, or "-". */
static int
is_codename(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(oses) / sizeof(oses[0]); i++)
		if (strcmp(word, oses[i].codename) == 0)
			return 1;
	return strcmp(word, "-") == 0;
}

/* Reads the expected table (once). */
static void
read_table(void)
{
	char line[512], codename[32], word[4][160];
	int in = 0;
	FILE *f;
	struct heading *h = NULL;

	if (n_table > 0)
		return;
	ck_assert_ptr_nonnull(f = fopen(source_file(TABLE), "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Expected results", 16) == 0)
			in = 1;
		else if (strncmp(line, "What hosts report", 17) == 0)
			in = 0;
		if (!in || line[0] == '\n' || (line[0] == '-' && line[1] == '-'))
			continue;
		if (line[0] != ' ' &&
		    sscanf(line, "%31s %159s %159s", codename, word[0], word[1]) == 3 &&
		    is_codename(codename)) {
			ck_assert_uint_lt(n_table, sizeof(table) / sizeof(table[0]));
			h = &table[n_table];
			memset(h, 0, sizeof(*h));
			heading_os(h, codename, line);
			h->unmapped = strcmp(codename, "-") == 0;
			snprintf(h->source, sizeof(h->source), "%s", word[0]);
			snprintf(h->version, sizeof(h->version), "%s", word[1]);
			snprintf(h->host, sizeof(h->host), "vt-%02zu.example.org", n_table);
			n_table++;
		} else if (h != NULL && strncmp(line, "    ", 4) == 0 &&
		           sscanf(line, "%159s %159s %159s %159s", word[0], word[1], word[2],
		                  word[3]) >= 2) {
			if (strcmp(word[0], "*") == 0) {
				ck_assert_str_eq(word[1], "not-covered");
				if (h->unmapped)
					h->all_not_covered = 1;
				else
					h->no_source = 1;
				continue;
			}
			ck_assert_uint_lt(h->n, 16);
			snprintf(h->rows[h->n].issue, sizeof(h->rows[h->n].issue), "%s", word[0]);
			snprintf(h->rows[h->n].result, sizeof(h->rows[h->n].result), "%s", word[1]);
			/* "< FIXED": the fourth word is the fixed version. */
			if (strcmp(word[1], "affected-fix-available") == 0)
				snprintf(h->rows[h->n].fixed, sizeof(h->rows[h->n].fixed), "%s",
				         word[3]);
			h->n++;
		}
	}
	fclose(f);
	ck_assert_uint_ge(n_table, 40);
}

/* Runs debmonitor-cve with args: its exit code, its output in *out (free it). */
static int
cve_tool(const char *args, char **out)
{
	return it_tool("DM_CVE", NULL, args, out);
}

/* Imports the fixture (again: --force), counting. */
static void
import_fixture(void)
{
	char args[8192], *out;
	int rc;

	snprintf(args, sizeof(args), "--force --file '%s'", source_file(FIXTURE));
	rc = cve_tool(args, &out);
	ck_assert_msg(rc == 0, "debmonitor-cve %s: %d: %s", args, rc, out);
	free(out);
}

/* Posts a full report of host on os running kernel, with the installed list. */
static void
post(const char *host, const char *os, const char *kernel, json_t *installed)
{
	struct it_tls proxy = it_cert("proxy-hosts.example.org");
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:[], s:[]}", "api_version",
	                      "v1", "update_type", "full", "hostname", host, "os", os,
	                      "running_kernel", "release", "6.1.0-x-amd64", "version", kernel,
	                      "installed", installed, "uninstalled", "upgradable");
	char *body = it_dump(p), path[512];
	struct it_request req = {.method = "POST", .body = body, .tls = &proxy};
	struct it_response r;

	req.body_len = strlen(body);
	snprintf(path, sizeof(path), "/hosts/%s/update", host);
	it_do(it_https(path), &req, &r);
	ck_assert_msg(r.status == 201, "POST %s: %ld %s", path, r.status, r.body);
	it_response_free(&r);
	free(body);
}

/* One installed entry; source_version when not NULL. */
static json_t *
pkg(const char *name, const char *version, const char *source, const char *source_version)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s}", "name", name, "version", version, "source", source);

	if (source_version != NULL)
		json_object_set_new(o, "source_version", json_string(source_version));
	return o;
}

static long
get_status(const char *path, char **body)
{
	struct it_response r;
	long status;

	it_do(it_http(path), NULL, &r);
	status = r.status;
	*body = strdup(r.body ? r.body : "");
	it_response_free(&r);
	return status;
}

/* The host's vulnerability rows of package name for issue, or NULL. */
static const json_t *
find_row(const json_t *vulns, const char *issue, const char *package)
{
	const json_t *row;
	size_t i;

	json_array_foreach (json_object_get(vulns, "issues"), i, row)
		if (strcmp(it_str(row, "issue"), issue) == 0 &&
		    strcmp(it_str(row, "package"), package) == 0)
			return row;
	return NULL;
}

/* Every heading's host, one package each, then the fixture imported. */
static void
setup_table(void)
{
	size_t i;

	read_table();
	for (i = 0; i < n_table; i++)
		post(table[i].host, table[i].os, NO_KERNEL,
		     json_pack("[o]", pkg(table[i].source, table[i].version, table[i].source,
		                          table[i].version)));
	import_fixture();
}

static void
check_heading(const struct heading *h)
{
	char path[256];
	json_t *host, *vulns;
	const json_t *row;
	size_t i, listed = 0;

	snprintf(path, sizeof(path), "/hosts/%s", h->host);
	host = it_get_json(path, NULL);
	vulns = json_object_get(host, "vulnerabilities");
	ck_assert_msg(json_is_boolean(json_object_get(vulns, "covered")), "%s", h->host);
	if (h->all_not_covered) {
		ck_assert_msg(json_is_false(json_object_get(vulns, "covered")),
		              "%s %s %s: covered, the table says not", h->os, h->source,
		              h->version);
		ck_assert_msg(strstr(it_str(vulns, "not_covered_reason"), "Not covered") != NULL,
		              "%s", it_str(vulns, "not_covered_reason"));
		ck_assert_uint_eq(json_array_size(json_object_get(vulns, "issues")), 0);
		json_decref(host);
		return;
	}
	ck_assert_msg(json_is_true(json_object_get(vulns, "covered")), "%s %s: not covered", h->os,
	              h->source);
	for (i = 0; i < h->n; i++) {
		row = find_row(vulns, h->rows[i].issue, h->source);
		if (strcmp(h->rows[i].result, "not-affected") == 0 ||
		    strcmp(h->rows[i].result, "not-covered") == 0) {
			ck_assert_msg(row == NULL, "%s %s %s %s: listed, the table says %s", h->os,
			              h->source, h->version, h->rows[i].issue, h->rows[i].result);
			continue;
		}
		listed++;
		ck_assert_msg(row != NULL, "%s %s %s %s: missing, the table says %s", h->os,
		              h->source, h->version, h->rows[i].issue, h->rows[i].result);
		ck_assert_str_eq(it_str(row, "installed"), h->version);
		if (strcmp(h->rows[i].result, "affected-fix-available") == 0) {
			ck_assert_str_eq(it_str(row, "status"), "fix available");
			ck_assert_str_eq(it_str(row, "fixed_version"), h->rows[i].fixed);
		} else if (strcmp(h->rows[i].result, "affected-no-fix") == 0) {
			ck_assert_str_eq(it_str(row, "status"), "no fix yet");
			ck_assert(json_is_null(json_object_get(row, "fixed_version")));
		} else {
			ck_assert_str_eq(h->rows[i].result, "undetermined");
			ck_assert_str_eq(it_str(row, "status"), "undetermined");
		}
	}
	/* Nothing listed beyond the table's lines. */
	ck_assert_msg(json_array_size(json_object_get(vulns, "issues")) == listed,
	              "%s %s %s: %zu rows, the table has %zu", h->os, h->source, h->version,
	              json_array_size(json_object_get(vulns, "issues")), listed);
	json_decref(host);
}

/* Every line of the expected table, on the hosts' pages (JSON). */
START_TEST(test_expected_table)
{
	size_t i;

	setup_table();
	for (i = 0; i < n_table; i++)
		check_heading(&table[i]);
}
END_TEST

/* The hosts of an issue's page that are the table's, by name. */
static size_t
table_hosts(const json_t *issue, const char *host)
{
	const json_t *row;
	size_t i, n = 0;

	json_array_foreach (json_object_get(issue, "hosts"), i, row)
		n += strncmp(it_str(row, "host"), "vt-", 3) == 0 &&
		     (host == NULL || strcmp(it_str(row, "host"), host) == 0);
	return n;
}

/* Whether a result of the table lists the issue on the host. */
static int
affecting(const char *result)
{
	return strncmp(result, "affected", 8) == 0 || strcmp(result, "undetermined") == 0;
}

/* /cves/ID lists exactly the table's affected hosts; /cves/ counts them. */
START_TEST(test_issue_pages)
{
	static const char *const ids[] = {"CVE-2025-9230", "CVE-2023-4154", "CVE-2025-38236",
	                                  "TEMP-1106528-8A1F3C", "CVE-2025-11187"};
	char path[128], *body;
	json_t *issue, *list;
	const json_t *row;
	size_t i, k, j, want;

	setup_table();
	for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		snprintf(path, sizeof(path), "/cves/%s", ids[k]);
		issue = it_get_json(path, NULL);
		ck_assert_str_eq(it_str(issue, "issue"), ids[k]);
		ck_assert(json_array_size(json_object_get(issue, "releases")) > 0);
		for (want = 0, i = 0; i < n_table; i++)
			for (j = 0; j < table[i].n; j++)
				if (strcmp(table[i].rows[j].issue, ids[k]) == 0 &&
				    affecting(table[i].rows[j].result)) {
					want++;
					ck_assert_msg(table_hosts(issue, table[i].host) == 1,
					              "%s: %s listed %zu times, not once", ids[k],
					              table[i].host,
					              table_hosts(issue, table[i].host));
				}
		ck_assert_msg(table_hosts(issue, NULL) == want,
		              "%s: %zu hosts of the table, want %zu", ids[k],
		              table_hosts(issue, NULL), want);
		json_decref(issue);
	}
	/* The count (made by the import) agrees with the live page, for the fleet as it is. */
	list = it_get_json("/cves/", NULL);
	ck_assert(json_is_string(json_object_get(list, "counted")));
	json_array_foreach (json_object_get(list, "cves"), i, row) {
		snprintf(path, sizeof(path), "/cves/%s", it_str(row, "issue"));
		issue = it_get_json(path, NULL);
		for (want = 0, j = 0; j < json_array_size(json_object_get(issue, "hosts")); j++)
			if (j == 0 ||
			    strcmp(
			        it_str(json_array_get(json_object_get(issue, "hosts"), j), "host"),
			        it_str(json_array_get(json_object_get(issue, "hosts"), j - 1),
			               "host")) != 0)
				want++;
		ck_assert_msg(json_integer_value(json_object_get(row, "hosts")) == (json_int_t)want,
		              "%s: /cves/ counts %lld hosts, its page lists %zu",
		              it_str(row, "issue"),
		              (long long)json_integer_value(json_object_get(row, "hosts")), want);
		json_decref(issue);
	}
	json_decref(list);
	/* The page lists the affected hosts a page at a time; JSON keeps them all. */
	ck_assert_int_eq(get_status("/cves/CVE-2025-9230?limit=1", &body), 200);
	ck_assert_msg(
	    strstr(body, "<span class=\"muted\">1 of ") != NULL &&
	        strstr(body, "<a rel=\"next\" href=\"/cves/CVE-2025-9230?limit=1&amp;after=") !=
	            NULL,
	    "%s", body);
	free(body);
	ck_assert_int_eq(get_status("/cves/CVE-2025-9230?colour=red", &body), 400);
	free(body);
	ck_assert_int_eq(get_status("/cves/CVE-2025-9230?format=csv", &body), 200);
	ck_assert_msg(strncmp(body, "host,running_kernel,package,", 28) == 0, "%s", body);
	free(body);
	ck_assert_int_eq(get_status("/cves/CVE-1999-0001", &body), 404);
	free(body);
	ck_assert_int_eq(get_status("/cves/?urgency=severe", &body), 400);
	ck_assert_msg(strstr(body, "urgency") != NULL, "%s", body);
	free(body);
	ck_assert_int_eq(get_status("/cves/?fix=maybe", &body), 400);
	free(body);
	ck_assert_int_eq(get_status("/cves/?color=red", &body), 400);
	free(body);
	ck_assert_int_eq(get_status("/cves/?sort=hosts&sort=issue", &body), 400);
	free(body);
}
END_TEST

/* Row a before row b of an issue's hosts: by host, then the kernel's row, then by package. */
static int
who_before(const json_t *a, const json_t *b)
{
	int c = strcmp(it_str(a, "host"), it_str(b, "host"));
	int ka = json_is_true(json_object_get(a, "running_kernel"));
	int kb = json_is_true(json_object_get(b, "running_kernel"));

	if (c != 0)
		return c < 0;
	if (ka != kb)
		return ka;
	return !ka && strcmp(it_str(a, "package"), it_str(b, "package")) < 0;
}

/*
 * An issue's hosts, whole in JSON, in order (a running kernel's row included), and a page
 * at a time (about six pages) forwards and backwards: every row once, the total, the Link header.
 */
START_TEST(test_issue_hosts_pages)
{
	static const char *const ids[] = {"CVE-2025-9230", "CVE-2025-38236"};
	char path[512], *link;
	const json_t *rows, *row;
	json_t *all, *page;
	size_t k, n, i, at, m, kernels, limit;
	int back;

	setup_table();
	for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		snprintf(path, sizeof(path), "/cves/%s", ids[k]);
		all = it_get_json(path, NULL);
		rows = json_object_get(all, "hosts");
		n = json_array_size(rows);
		ck_assert_uint_gt(n, 2);
		ck_assert_int_eq(json_integer_value(json_object_get(all, "total")), (json_int_t)n);
		for (kernels = 0, i = 0; i < n; i++) {
			row = json_array_get(rows, i);
			kernels += json_is_true(json_object_get(row, "running_kernel"));
			ck_assert_msg(i == 0 || who_before(json_array_get(rows, i - 1), row),
			              "%s: row %zu out of order", ids[k], i);
		}
		if (k == 1)
			ck_assert_msg(kernels > 0, "%s: no running kernel's row", ids[k]);
		for (back = 0; back <= 1; back++) {
			limit = n / 6 + 1; /* a few pages, whatever else the database holds */
			snprintf(path, sizeof(path), "/cves/%s?limit=%zu%s", ids[k], limit,
			         back ? "&before=" : "");
			for (at = back ? n : 0, m = 0; m < n; m += limit) {
				page = it_get_json(path, &link);
				ck_assert_int_eq(json_integer_value(json_object_get(page, "total")),
				                 (json_int_t)n);
				rows = json_object_get(page, "hosts");
				if (back)
					at -= json_array_size(rows);
				json_array_foreach (rows, i, row)
					ck_assert_msg(
					    json_equal(row,
					               json_array_get(json_object_get(all, "hosts"),
					                              at + i)),
					    "%s: row %zu", path, at + i);
				if (!back)
					at += json_array_size(rows);
				row = json_object_get(page, back ? "previous" : "next");
				ck_assert_msg((row != NULL) == (back ? at > 0 : at < n),
				              "%s at %zu", path, at);
				ck_assert_msg(row == NULL || (link != NULL &&
				                              strstr(link, back ? "rel=\"prev\""
				                                                : "rel=\"next\"")),
				              "%s: Link %s", path, link ? link : "(none)");
				if (row != NULL)
					snprintf(path, sizeof(path), "%s", json_string_value(row));
				free(link);
				json_decref(page);
				if (row == NULL)
					break;
			}
			ck_assert_uint_eq(at, back ? 0 : n);
		}
		json_decref(all);
	}
}
END_TEST

/* The filters keep what they say and nothing else. */
START_TEST(test_cves_filters)
{
	json_t *all, *high, *fix, *none;
	const json_t *row;
	size_t i, n_fix = 0, n_high = 0;

	setup_table();
	all = it_get_json("/cves/", NULL);
	high = it_get_json("/cves/?urgency=high", NULL);
	fix = it_get_json("/cves/?fix=available&sort=-issue", NULL);
	none = it_get_json("/cves/?fix=none", NULL);
	json_array_foreach (json_object_get(all, "cves"), i, row) {
		n_fix += strcmp(it_str(row, "status"), "fix available") == 0;
		n_high += strcmp(it_str(row, "urgency"), "high") == 0;
	}
	ck_assert_uint_gt(n_fix, 0);
	ck_assert_uint_gt(n_high, 0);
	ck_assert_uint_eq(json_array_size(json_object_get(high, "cves")), n_high);
	ck_assert_uint_eq(json_array_size(json_object_get(fix, "cves")), n_fix);
	ck_assert_uint_eq(json_array_size(json_object_get(none, "cves")),
	                  json_array_size(json_object_get(all, "cves")) - n_fix);
	json_array_foreach (json_object_get(fix, "cves"), i, row) {
		ck_assert_str_eq(it_str(row, "status"), "fix available");
		if (i > 0)
			ck_assert(strcmp(it_str(json_array_get(json_object_get(fix, "cves"), i - 1),
			                        "issue"),
			                 it_str(row, "issue")) > 0);
	}
	json_decref(all);
	json_decref(high);
	json_decref(fix);
	json_decref(none);
}
END_TEST

/*
 * /cves/ a page at a time, in every order, forwards and backwards: the rows of the whole
 * list, each once; the total; CSV; the page's pager and its form.
 */
START_TEST(test_cves_pages)
{
	static const char *const sorts[] = {"urgency", "-hosts", "issue", "-status"};
	char path[512], *body;
	const char *next;
	json_t *all, *page;
	size_t s, n, k, at;
	int back;

	setup_table();
	for (s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		snprintf(path, sizeof(path), "/cves/?sort=%s", sorts[s]);
		all = it_get_json(path, NULL);
		n = json_array_size(json_object_get(all, "cves"));
		ck_assert_uint_gt(n, 5);
		for (back = 0; back <= 1; back++) {
			snprintf(path, sizeof(path), "/cves/?sort=%s&limit=4%s", sorts[s],
			         back ? "&before=" : "");
			for (at = back ? n : 0, k = 0; k < n; k++) {
				page = it_get_json(path, NULL);
				ck_assert_int_eq(json_integer_value(json_object_get(page, "total")),
				                 (json_int_t)n);
				{
					const json_t *rows = json_object_get(page, "cves");
					size_t m = json_array_size(rows), j;

					if (back)
						at -= m;
					for (j = 0; j < m; j++)
						ck_assert_msg(
						    json_equal(
						        json_array_get(rows, j),
						        json_array_get(json_object_get(all, "cves"),
						                       at + j)),
						    "%s: row %zu", path, at + j);
					if (!back)
						at += m;
				}
				next = json_string_value(
				    json_object_get(page, back ? "previous" : "next"));
				if (next != NULL)
					snprintf(path, sizeof(path), "%s", next);
				json_decref(page);
				if (next == NULL)
					break;
			}
			ck_assert_uint_eq(at, back ? 0 : n);
		}
		json_decref(all);
	}
	ck_assert_int_eq(get_status("/cves/?format=csv&urgency=high", &body), 200);
	ck_assert_msg(strncmp(body, "issue,urgency,status,hosts,images,", 34) == 0, "%s", body);
	free(body);
	ck_assert_int_eq(get_status("/cves/?limit=2", &body), 200);
	ck_assert_msg(strstr(body, "<a rel=\"next\" href=\"/cves/?limit=2&amp;after=") != NULL &&
	                  strstr(body, "name=\"urgency\"") != NULL,
	              "%s", body);
	free(body);
}
END_TEST

/* The hosts /cves/ counts for issue (0 when it does not list it). */
static long long
counted_hosts(const char *issue)
{
	json_t *list = it_get_json("/cves/", NULL);
	const json_t *row;
	long long n = 0;
	size_t i;

	json_array_foreach (json_object_get(list, "cves"), i, row)
		if (strcmp(it_str(row, "issue"), issue) == 0)
			n = json_integer_value(json_object_get(row, "hosts"));
	json_decref(list);
	return n;
}

/* debmonitor-cve --count, which must succeed and print a line starting with want. */
static void
recount(const char *want)
{
	char *out;
	int rc = cve_tool("--count", &out);

	ck_assert_msg(rc == 0 && strncmp(out, want, strlen(want)) == 0,
	              "debmonitor-cve --count: exit %d:\n%s\nwant: %s", rc, out, want);
	free(out);
}

/* debmonitor-cve --count --force, which decides the versions without a verdict. */
static void
recount_forced(void)
{
	char *out;
	int rc = cve_tool("--count --force", &out);

	ck_assert_msg(rc == 0 && strstr(out, "new versions decided\n") != NULL,
	              "debmonitor-cve --count --force: exit %d:\n%s", rc, out);
	free(out);
}

/*
 * An update changes a host's exposure at once, without an import; /cves/ counts it at the
 * next --count, which counts only when a host or image reported since the last.
 */
START_TEST(test_live)
{
	long long before;
	json_t *host;

	/* Not there yet, whatever an earlier run that stopped half-way left. */
	it_forget_like("hosts", "vx-live.%");
	import_fixture();
	before = counted_hosts("CVE-2025-9230");
	post("vx-live.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o, o]", pkg("libssl3", "3.0.17-1~deb12u2", "openssl", NULL),
	               pkg("openssl", "3.0.17-1~deb12u2", "openssl", NULL)));
	host = it_get_subject(it_http, "hosts", "vx-live.example.org");
	ck_assert_ptr_nonnull(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-9230", "libssl3"));
	json_decref(host);
	ck_assert_int_eq(counted_hosts("CVE-2025-9230"), before);
	sleep(1); /* the report a second older than the count: not due again after it */
	recount("debmonitor-cve: counted ");
	ck_assert_int_eq(counted_hosts("CVE-2025-9230"), before + 1);
	recount("debmonitor-cve: no host or image reported since the last count\n");
	post("vx-live.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o, o]", pkg("libssl3", "3.0.17-1~deb12u3", "openssl", NULL),
	               pkg("openssl", "3.0.17-1~deb12u3", "openssl", NULL)));
	host = it_get_subject(it_http, "hosts", "vx-live.example.org");
	ck_assert_ptr_null(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-9230", "libssl3"));
	/* Still open, whatever the version. */
	ck_assert_ptr_nonnull(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-9232", "libssl3"));
	json_decref(host);
	recount("debmonitor-cve: counted ");
	ck_assert_int_eq(counted_hosts("CVE-2025-9230"), before);
}
END_TEST

/* The running kernel is compared by its own version; a newer image means a reboot. */
START_TEST(test_kernel)
{
	json_t *host, *v;
	const json_t *row;

	import_fixture();
	post("vx-kernel.example.org", "Debian 12",
	     "#1 SMP PREEMPT_DYNAMIC Debian 6.1.153-1 (2025-09-20)",
	     json_pack(
	         "[o, o]",
	         pkg("linux-image-6.1.0-41-amd64", "6.1.164-1", "linux-signed-amd64", "6.1.164+1"),
	         pkg("linux-libc-dev", "6.1.164-1", "linux", NULL)));
	host = it_get_subject(it_http, "hosts", "vx-kernel.example.org");
	ck_assert(json_is_true(json_object_get(host, "reboot_required")));
	ck_assert_str_eq(it_str(host, "running_kernel_version"), "6.1.153-1");
	ck_assert_str_eq(it_str(host, "newest_installed_kernel"), "6.1.164-1");
	v = json_object_get(host, "vulnerabilities");
	/* Fixed in 6.1.164-1: installed, not running. */
	ck_assert_ptr_nonnull(row = find_row(v, "CVE-2025-38236", "running kernel"));
	ck_assert_str_eq(it_str(row, "status"), "fix available");
	ck_assert_ptr_null(find_row(v, "CVE-2025-38236", "linux-libc-dev"));
	ck_assert_ptr_null(find_row(v, "CVE-2024-26800", "running kernel"));
	json_decref(host);
	post("vx-kernel.example.org", "Debian 12",
	     "#1 SMP PREEMPT_DYNAMIC Debian 6.1.164-1 (2026-01-20)",
	     json_pack("[o]", pkg("linux-image-6.1.0-41-amd64", "6.1.164-1", "linux-signed-amd64",
	                          "6.1.164+1")));
	host = it_get_subject(it_http, "hosts", "vx-kernel.example.org");
	ck_assert(json_is_false(json_object_get(host, "reboot_required")));
	ck_assert_ptr_null(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-38236", "running kernel"));
	ck_assert_ptr_nonnull(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-39866", "running kernel"));
	json_decref(host);
}
END_TEST

/* A binary versioned apart from its source: judged by the source version it sends. */
START_TEST(test_source_version)
{
	char a[96], b[96];
	json_t *host;

	import_fixture();
	/*
	 * Upstream's client sends no source_version: the binary's own version is taken. The
	 * versions are this run's only: a package version keeps the source it was made with
	 * until a report with source_version corrects it.
	 */
	snprintf(a, sizeof(a), "2:2.6.2+samba4.17.12+dfsg-0+deb12u1+t%ld", (long)time(NULL));
	snprintf(b, sizeof(b), "2:2.6.2+samba4.17.12+dfsg-0+deb12u2+t%ld", (long)time(NULL));
	post("vx-ldb.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o]", pkg("libldb2", a, "samba", NULL)));
	host = it_get_subject(it_http, "hosts", "vx-ldb.example.org");
	ck_assert_ptr_nonnull(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2023-4154", "libldb2"));
	json_decref(host);
	post("vx-ldb2.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o]", pkg("libldb2", b, "samba", "2:4.17.12+dfsg-0+deb12u1")));
	host = it_get_subject(it_http, "hosts", "vx-ldb2.example.org");
	ck_assert_ptr_null(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2023-4154", "libldb2"));
	ck_assert_ptr_nonnull(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-10230", "libldb2"));
	json_decref(host);
	/*
	 * Another host's report of the first version with dpkg's source_version corrects the
	 * version's source: the first host, whose row it is too, has the fixed samba.
	 */
	post("vx-ldb3.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o]", pkg("libldb2", a, "samba", "2:4.17.12+dfsg-0+deb12u1")));
	host = it_get_subject(it_http, "hosts", "vx-ldb.example.org");
	ck_assert_ptr_null(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2023-4154", "libldb2"));
	ck_assert_ptr_nonnull(
	    find_row(json_object_get(host, "vulnerabilities"), "CVE-2025-10230", "libldb2"));
	json_decref(host);
}
END_TEST

/* A host's vulnerabilities as its JSON says them, as text (free it). */
static char *
vulns_text(const char *host)
{
	json_t *h = it_get_subject(it_http, "hosts", host);
	char *text = it_dump(json_object_get(h, "vulnerabilities"));

	json_decref(h);
	return text;
}

/*
 * The verdicts debmonitor-cve decides once per version and kernel say what the release
 * rows say when a page decides live: every host of the expected table, and a running
 * kernel, the same with the verdicts, without them, and with them decided again.
 */
START_TEST(test_verdicts)
{
	static const char kernel_host[] = "vx-verdict-kernel.example.org";
	char *decided[sizeof(table) / sizeof(table[0]) + 1], *live;
	size_t i;

	read_table();
	post(kernel_host, "Debian 12", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.153-1 (2025-09-20)",
	     json_pack("[o]", pkg("linux-libc-dev", "6.1.153-1", "linux", NULL)));
	setup_table();
	/* The import decided them all: the table's hosts' versions and the kernel. */
	ck_assert_int_eq(
	    it_db_count("SELECT COUNT(*) FROM host h"
	                " JOIN host_package e ON e.host_id = h.id"
	                " JOIN package_version pv ON pv.id = e.package_version_id"
	                " JOIN os o ON o.id = h.os_id"
	                " LEFT JOIN cve_verdict v"
	                " ON v.source_package_version_id = pv.source_package_version_id"
	                " WHERE h.name LIKE 'vt-%' AND o.name LIKE 'Debian 1_'"
	                " AND o.name <> 'Debian 15' AND v.issues IS NULL"),
	    0);
	ck_assert_int_eq(it_db_count("SELECT COUNT(*) FROM host h JOIN cve_kernel_verdict v"
	                             " ON v.kernel_version_id = h.kernel_id"
	                             " WHERE h.name = 'vx-verdict-kernel.example.org'"
	                             " AND v.issues LIKE '%CVE-2025-38236%'"),
	                 1);
	for (i = 0; i < n_table; i++)
		decided[i] = vulns_text(table[i].host);
	decided[n_table] = vulns_text(kernel_host);
	it_db_exec("DELETE FROM cve_verdict");
	it_db_exec("DELETE FROM cve_kernel_verdict");
	for (i = 0; i <= n_table; i++) {
		live = vulns_text(i < n_table ? table[i].host : kernel_host);
		ck_assert_msg(strcmp(live, decided[i]) == 0, "%s decided:\n%s\nlive:\n%s",
		              i < n_table ? table[i].host : kernel_host, decided[i], live);
		free(live);
	}
	/* A forced count decides what has no verdict. */
	recount_forced();
	ck_assert_int_gt(it_db_count("SELECT COUNT(*) FROM cve_verdict"), 0);
	ck_assert_int_gt(it_db_count("SELECT COUNT(*) FROM cve_kernel_verdict"), 0);
	for (i = 0; i <= n_table; i++) {
		live = vulns_text(i < n_table ? table[i].host : kernel_host);
		ck_assert_str_eq(live, decided[i]);
		free(live);
		free(decided[i]);
	}
}
END_TEST

/* Releases past their end of life are flagged on the host, on /hosts/ and the dashboard. */
START_TEST(test_end_of_life)
{
	json_t *host, *hosts, *dash;
	const json_t *row;
	size_t i;
	int seen = 0;

	post("vx-old.example.org", "Debian 10", NO_KERNEL,
	     json_pack("[o]", pkg("openssl", "1.1.1n-0+deb10u6", "openssl", NULL)));
	post("vx-new.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o]", pkg("openssl", "3.0.17-1~deb12u3", "openssl", NULL)));
	host = it_get_subject(it_http, "hosts", "vx-old.example.org");
	ck_assert(json_is_true(json_object_get(host, "end_of_life")));
	ck_assert_str_eq(it_str(host, "release"), "buster");
	ck_assert_str_eq(it_str(host, "support"), "eol");
	json_decref(host);
	host = it_get_subject(it_http, "hosts", "vx-new.example.org");
	ck_assert(json_is_false(json_object_get(host, "end_of_life")));
	json_decref(host);
	hosts = it_get_json("/hosts/", NULL);
	json_array_foreach (json_object_get(hosts, "hosts"), i, row) {
		if (strcmp(it_str(row, "name"), "vx-old.example.org") == 0)
			seen += json_is_true(json_object_get(row, "end_of_life"));
		if (strcmp(it_str(row, "name"), "vx-new.example.org") == 0)
			seen += 2 * json_is_false(json_object_get(row, "end_of_life"));
	}
	ck_assert_int_eq(seen, 3);
	json_decref(hosts);

	/* The dashboard counts what /hosts/ flags. */
	dash = it_get_json("/", NULL);
	hosts = it_get_json("/hosts/", NULL);
	seen = 0;
	json_array_foreach (json_object_get(hosts, "hosts"), i, row)
		seen += json_is_true(json_object_get(row, "end_of_life"));
	ck_assert_int_ge(seen, 1);
	ck_assert_int_eq(json_integer_value(json_object_get(dash, "hosts_end_of_life")), seen);
	json_decref(hosts);
	json_decref(dash);
}
END_TEST

/* The dashboard lists a host a high-urgency issue with a fix affects; search finds ids. */
START_TEST(test_dashboard_and_search)
{
	json_t *dash, *found;
	const json_t *row;
	size_t i;
	int seen = 0;

	/* bind9 CVE-2025-40775: high, fixed in 1:9.18.41-1~deb12u1; the import counts it. */
	post("aaa-vx-high.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o]", pkg("bind9", "1:9.18.33-1~deb12u2", "bind9", NULL)));
	import_fixture();
	dash = it_get_json("/", NULL);
	ck_assert(json_is_string(json_object_get(dash, "cve_imported")));
	ck_assert_int_gt(json_integer_value(json_object_get(dash, "hosts_with_high_fixes")), 0);
	json_array_foreach (json_object_get(dash, "hosts_with_high_fixes_list"), i, row)
		seen |= strcmp(it_str(row, "host"), "aaa-vx-high.example.org") == 0;
	ck_assert_msg(seen ||
	                  json_integer_value(json_object_get(dash, "hosts_with_high_fixes")) > 50,
	              "the host with a high fix waiting is not listed");
	json_decref(dash);
	found = it_get_json("/search?q=cve-2025-92", NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(found, "cves")), 3);
	json_decref(found);
}
END_TEST

/* The HTML pages: escaped, linked, the not-covered reason, the tracker's link. */
START_TEST(test_html)
{
	char *body;

	setup_table();
	ck_assert_int_eq(get_status("/cves/CVE-2025-9086", &body), 200);
	/* The description's quote and backslash, escaped; the tracker and bug links. */
	ck_assert_msg(strstr(body, "https://security-tracker.debian.org/tracker/CVE-2025-9086") !=
	                  NULL,
	              "no tracker link");
	ck_assert_msg(strstr(body, "<script") == NULL || strstr(body, "debmonitor.js") != NULL,
	              "unexpected script");
	free(body);
	ck_assert_int_eq(get_status("/hosts/vt-00.example.org", &body), 200);
	ck_assert_msg(strstr(body, "id=\"vulnerabilities\"") != NULL, "no vulnerabilities section");
	free(body);
	ck_assert_int_eq(get_status("/source-packages/openssl", &body), 200);
	ck_assert_msg(strstr(body, "href=\"/cves/CVE-2025-9230\"") != NULL, "no issue link");
	free(body);
	ck_assert_int_eq(get_status("/packages/openssl", &body), 200);
	ck_assert_msg(strstr(body, "href=\"/cves/CVE-2025-9230\"") != NULL, "no issue link");
	free(body);
}
END_TEST

/* How many times needle occurs in the part of s before stop (all of s when stop is NULL). */
static size_t
count_in(const char *s, const char *stop, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL && (stop == NULL || s < stop)) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/*
 * A host with more issues than its page shows: the 50 most urgent (high first), a note
 * with a link to all of them; ?vulns=all and the JSON have all 60.
 */
START_TEST(test_many_issues)
{
	char path[] = "/tmp/dm-it-many-XXXXXX", args[256], *out, *body;
	json_t *tracker = json_object(), *issues = json_object(), *answer;
	const char *table_at, *end;
	int fd, i;
	FILE *f;

	for (i = 0; i < 60; i++) {
		char name[32];

		snprintf(name, sizeof(name), "CVE-2099-%05d", i);
		json_object_set_new(issues, name,
		                    json_pack("{s:s, s:s, s:{s:{s:s, s:{s:s}, s:s}}}",
		                              "description", "many", "scope", "local", "releases",
		                              "bookworm", "status", "open", "repositories",
		                              "bookworm", "1.0-1", "urgency",
		                              i % 6 == 5 ? "high" : "low"));
	}
	json_object_set_new(tracker, "zz-many", issues);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	ck_assert_int_eq(json_dumpf(tracker, f, 0), 0);
	ck_assert_int_eq(fclose(f), 0);
	json_decref(tracker);
	post("vt-many.example.org", "Debian 12", NO_KERNEL,
	     json_pack("[o]", pkg("zz-many", "1.0-1", "zz-many", "1.0-1")));
	snprintf(args, sizeof(args), "--force --file '%s'", path);
	ck_assert_msg(cve_tool(args, &out) == 0, "debmonitor-cve %s: %s", args, out);
	free(out);
	unlink(path);

	ck_assert_int_eq(get_status("/hosts/vt-many.example.org", &body), 200);
	ck_assert_ptr_nonnull(table_at = strstr(body, "<table class=\"vulns\">"));
	end = strstr(table_at, "</table>");
	ck_assert_uint_eq(count_in(table_at, end, "<tr class="), 50);
	/* The ten high ones come first. */
	ck_assert_uint_eq(count_in(table_at, end, "<td>high</td>"), 10);
	ck_assert_msg(strstr(body, "The 50 most urgent of 60: <a href=\"?vulns=all#") != NULL,
	              "no note with the link to all");
	free(body);
	ck_assert_int_eq(get_status("/hosts/vt-many.example.org?vulns=all", &body), 200);
	ck_assert_ptr_nonnull(table_at = strstr(body, "<table class=\"vulns\">"));
	ck_assert_uint_eq(count_in(table_at, strstr(table_at, "</table>"), "<tr class="), 60);
	ck_assert_msg(strstr(body, "most urgent of") == NULL, "a note under the whole table");
	free(body);
	answer = it_get_json("/hosts/vt-many.example.org", NULL);
	ck_assert_uint_eq(
	    json_array_size(json_object_get(json_object_get(answer, "vulnerabilities"), "issues")),
	    60);
	json_decref(answer);
}
END_TEST

static int
str_desc(const void *a, const void *b)
{
	return strcmp(*(const char *const *)b, *(const char *const *)a);
}

static int
str_asc(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What the fixture says of source's issue in codename, as the issues list writes it. */
static void
release_line(char *out, size_t size, const json_t *rel, const char *codename)
{
	const char *status = it_str(rel, "status"), *urgency = it_str(rel, "urgency");
	const json_t *fixed = json_object_get(rel, "fixed_version");

	if (strcmp(status, "resolved") != 0)
		snprintf(out, size, "%s: %s (%s)", codename, status, urgency);
	else if (strcmp(json_string_value(fixed), "0") == 0)
		snprintf(out, size, "%s: not affected (%s)", codename, urgency);
	else
		snprintf(out, size, "%s: fixed in %s (%s)", codename, json_string_value(fixed),
		         urgency);
}

/*
 * A source package's issues, in its JSON: each of the fixture's issues of the source, the
 * newest name first, with what every release says, in the releases' order.
 */
START_TEST(test_source_issues)
{
	const char *names[16], *codenames[16];
	const json_t *issues, *row, *rel;
	json_t *fixture, *page;
	size_t n = 0, i, j, m;
	const char *key;
	json_error_t e;
	char want[512];

	setup_table();
	fixture = json_load_file(source_file(FIXTURE), 0, &e);
	ck_assert_msg(fixture != NULL, "%s", e.text);
	issues = json_object_get(fixture, "openssl");
	json_object_foreach ((json_t *)issues, key, row)
		names[n++] = key;
	qsort(names, n, sizeof(*names), str_desc);
	page = it_get_json("/source-packages/openssl", NULL);
	ck_assert_uint_eq(json_array_size(json_object_get(page, "issues")), n);
	for (i = 0; i < n; i++) {
		row = json_array_get(json_object_get(page, "issues"), i);
		ck_assert_str_eq(it_str(row, "issue"), names[i]);
		ck_assert_str_eq(it_str(row, "source"), "openssl");
		rel = json_object_get(json_object_get(issues, names[i]), "releases");
		m = 0;
		json_object_foreach ((json_t *)rel, key, row)
			codenames[m++] = key;
		qsort(codenames, m, sizeof(*codenames), str_asc);
		row =
		    json_object_get(json_array_get(json_object_get(page, "issues"), i), "releases");
		ck_assert_uint_eq(json_array_size(row), m);
		for (j = 0; j < m; j++) {
			release_line(want, sizeof(want), json_object_get(rel, codenames[j]),
			             codenames[j]);
			ck_assert_str_eq(json_string_value(json_array_get(row, j)), want);
		}
	}
	json_decref(page);
	json_decref(fixture);
}
END_TEST

/* Pages and importer read the oracle's release table while the suite runs. */
static void
setup(void)
{
	it_config_set(NULL, "DISTRO_INFO_CSV", json_string(source_file(RELEASES)));
}

static void
teardown(void)
{
	it_config_restore();
}

Suite *
make_it_vulns_suite(void)
{
	Suite *s = suite_create("integration: vulnerabilities");
	TCase *tc = tcase_create("exposure");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_expected_table);
	tcase_add_test(tc, test_issue_pages);
	tcase_add_test(tc, test_issue_hosts_pages);
	tcase_add_test(tc, test_source_issues);
	tcase_add_test(tc, test_cves_filters);
	tcase_add_test(tc, test_cves_pages);
	tcase_add_test(tc, test_live);
	tcase_add_test(tc, test_kernel);
	tcase_add_test(tc, test_verdicts);
	tcase_add_test(tc, test_source_version);
	tcase_add_test(tc, test_end_of_life);
	tcase_add_test(tc, test_dashboard_and_search);
	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_many_issues);
	suite_add_tcase(s, tc);
	return s;
}
