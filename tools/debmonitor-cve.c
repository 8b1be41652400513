/* debmonitor-cve.c: the security tracker importer cron runs (no CGI); its work is lib/cve/. */
#include <curl/curl.h>
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "core/config.h"
#include "cve/count.h"
#include "cve/import.h"
#include "cve/run.h"
#include "db/db.h"
#include "db/lock.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* The exit code of each kind of failure (debmonitor-cve(8), EXIT STATUS). */
static const int exit_codes[] = {
    [DM_CVE_OK] = EX_OK,
    [DM_CVE_CONFIG] = EX_CONFIG,
    [DM_CVE_NOINPUT] = EX_NOINPUT,
    [DM_CVE_DATAERR] = EX_DATAERR,
    [DM_CVE_UNAVAILABLE] = EX_UNAVAILABLE,
    [DM_CVE_TEMPFAIL] = EX_TEMPFAIL,
};

enum { OPT_VERSION = 256, OPT_COUNT };

static void
usage(FILE *f)
{
	fputs("usage: debmonitor-cve [--dry-run] [--file FILE | --url URL] [--force] [--quiet]\n"
	      "                      [--config FILE]\n"
	      "       debmonitor-cve --count [--force] [--quiet] [--config FILE]\n"
	      "       debmonitor-cve --version | -h\n\n"
	      "Import the Debian Security Tracker's data into DebMonitor's database: download\n"
	      "it from URL (the configuration's CVE_TRACKER_URL, by default the tracker's\n"
	      "https://security-tracker.debian.org/tracker/data/json) or read FILE, and apply\n"
	      "what changed since the last import in one transaction. A file already imported\n"
	      "(the same SHA-256, or HTTP 304) is not imported again unless --force. --dry-run\n"
	      "says what the import would change and writes nothing. --quiet prints nothing\n"
	      "unless it fails. Every run that writes then counts the hosts and images each\n"
	      "issue affects, for /cves/. --count only counts, when a host or image reported\n"
	      "since the last count (always with --force). The configuration is the server's\n"
	      "(--config, else DEBMONITOR_CONFIG, else /etc/debmonitor/config.json).\n",
	      f);
}

/* What CVE_TRACKER_URL may be (lib/core/config.c), and what cve_state.source holds. */
static int
valid_url(const char *url)
{
	static const char *const schemes[] = {"https://", "http://", "file://"};
	size_t i, n;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i]);
		if (strncmp(url, schemes[i], n) == 0 && url[n] != '\0' &&
		    strlen(url) < DM_CVE_SOURCE_MAX && strcspn(url, " \t\r\n") == strlen(url))
			return 1;
	}
	return 0;
}

/* Parses the command line into r; returns the config path (NULL: the default). */
static const char *
options(int argc, char **argv, struct dm_cve_run *r, int *quiet, int *count_only)
{
	static const struct option longopts[] = {
	    {"dry-run", no_argument, NULL, 'n'},      {"file", required_argument, NULL, 'f'},
	    {"url", required_argument, NULL, 'u'},    {"force", no_argument, NULL, 'F'},
	    {"quiet", no_argument, NULL, 'q'},        {"count", no_argument, NULL, OPT_COUNT},
	    {"config", required_argument, NULL, 'c'}, {"version", no_argument, NULL, OPT_VERSION},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *path = getenv("DEBMONITOR_CONFIG");
	int ch;

	while ((ch = getopt_long(argc, argv, "nqh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			r->dry_run = 1;
			break;
		case 'f':
			r->file = optarg;
			break;
		case 'u':
			r->url = optarg;
			break;
		case 'F':
			r->force = 1;
			break;
		case 'q':
			*quiet = 1;
			break;
		case OPT_COUNT:
			*count_only = 1;
			break;
		case 'c':
			path = optarg;
			break;
		case OPT_VERSION:
			printf("debmonitor-cve %s\n", PACKAGE_VERSION);
			exit(EX_OK);
		case 'h':
			usage(stdout);
			exit(EX_OK);
		default:
			usage(stderr);
			exit(EX_USAGE);
		}
	}
	if (optind < argc)
		errx(EX_USAGE, "unexpected argument '%s'", argv[optind]);
	if (*count_only && (r->dry_run || r->file != NULL || r->url != NULL))
		errx(EX_USAGE, "--count imports nothing: no --dry-run, --file or --url with it");
	if (r->file != NULL && r->url != NULL)
		errx(EX_USAGE, "--file and --url: give one or the other");
	if (r->url != NULL && !valid_url(r->url))
		errx(EX_USAGE,
		     "--url: '%s' is not a URL starting with https://, http:// or file://"
		     " of at most %d bytes",
		     r->url, DM_CVE_SOURCE_MAX - 1);
	return path;
}

/* What the run did, in one line (two when releases were skipped). */
static void
report(const struct dm_cve_run *r)
{
	const char *dry = r->dry_run ? " (dry run: nothing written)" : "";

	if (r->unchanged) {
		printf("debmonitor-cve: unchanged since %s%s\n", r->before.imported, dry);
		return;
	}
	if (r->skipped > 0)
		printf("debmonitor-cve: skipped %zu entries of unknown releases: %s\n", r->skipped,
		       r->skipped_names);
	printf("debmonitor-cve: %zu issues (%zu sources): %llu added, %llu resolved, %llu removed,"
	       " %llu changed%s\n",
	       r->issues, r->sources, r->im.added, r->im.resolved, r->im.removed, r->im.changed,
	       dry);
}

/*
 * Recounts cve_count, then decides the source versions and kernels reported since the
 * last decision (unless an import is running: it decides them all): 0, or -1 after saying
 * why (the import itself stands).
 */
static int
count(MYSQL *db, const struct dm_config *cfg, int quiet)
{
	unsigned long long decided;
	struct dm_cve_counted c;
	struct timespec t0, t1;
	char errbuf[1024];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (dm_cve_count(db, cfg, &c, errbuf, sizeof(errbuf)) == -1) {
		warnx(
		    "counting: %s (the import stands; the counts of /cves/ are the previous ones)",
		    errbuf);
		return -1;
	}
	/* After the count: what reported while it ran makes the next one due, and decides. */
	if (dm_cve_decide_new(db, cfg, &decided, errbuf, sizeof(errbuf)) == -1) {
		warnx("%s (the import stands; host pages decide those versions live)", errbuf);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!quiet)
		printf("debmonitor-cve: counted %zu issues affecting %zu hosts and %zu images"
		       " (%zu package rows) in %.1f s; %llu new versions decided\n",
		       c.issues, c.hosts, c.images, c.rows,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		       decided);
	return 0;
}

/*
 * --count: the counts brought up to date without an import, when due (or forced), one
 * count at a time. One that meets an import's count waits for its transaction (both
 * replace every row of cve_count). Before any import there is nothing to count.
 */
static int
recount(MYSQL *db, const struct dm_config *cfg, int force, int quiet)
{
	struct dm_cve_state st;
	char errbuf[1024];
	int due;

	switch (dm_lock_take(db, DM_CVE_COUNT_LOCK, 0, errbuf, sizeof(errbuf))) {
	case 0:
		break;
	case 1:
		if (!quiet)
			puts("debmonitor-cve: another count is running (lock " DM_CVE_COUNT_LOCK
			     ")");
		return EX_OK;
	default:
		errx(EX_UNAVAILABLE, "%s (nothing counted)", errbuf);
	}
	if (dm_cve_state_read(db, &st, errbuf, sizeof(errbuf)) == -1)
		errx(EX_UNAVAILABLE, "%s (nothing counted)", errbuf);
	if (!st.present) {
		if (!quiet)
			puts("debmonitor-cve: nothing imported yet, nothing to count");
		return EX_OK;
	}
	if (!force && (due = dm_cve_count_due(db, errbuf, sizeof(errbuf))) != 1) {
		if (due == -1)
			errx(EX_UNAVAILABLE, "%s (nothing counted)", errbuf);
		if (!quiet)
			puts("debmonitor-cve: no host or image reported since the last count");
		return EX_OK;
	}
	return count(db, cfg, quiet) == -1 ? EX_TEMPFAIL : EX_OK;
}

/* The end of a run that reached the database: its locks given back (lib/db/lock.h). */
static int
finish(MYSQL *db, struct dm_config *cfg, int rc)
{
	char errbuf[512];

	if (dm_lock_release_all(db, errbuf, sizeof(errbuf)) == -1)
		warnx("%s", errbuf);
	dm_db_close(db);
	curl_global_cleanup();
	dm_config_free(cfg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct dm_cve_run r = {0};
	struct dm_config cfg;
	enum dm_cve_result res;
	char errbuf[1024];
	const char *path;
	int quiet = 0, count_only = 0, rc;
	MYSQL *db;

	path = options(argc, argv, &r, &quiet, &count_only);
	if (dm_config_load(&cfg, path, errbuf, sizeof(errbuf)) == -1)
		errx(EX_CONFIG, "%s (nothing imported)", errbuf);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		errx(EX_SOFTWARE, "cannot start libcurl (nothing imported)");
	if ((db = dm_db_open(&cfg, errbuf, sizeof(errbuf))) == NULL)
		errx(EX_UNAVAILABLE, "%s (nothing imported)", errbuf);
	if (dm_db_check_schema(db, errbuf, sizeof(errbuf)) == -1)
		errx(EX_CONFIG, "%s (nothing imported)", errbuf);
	if (count_only) {
		rc = recount(db, &cfg, r.force, quiet);
		return finish(db, &cfg, rc);
	}
	res = dm_cve_run(db, &cfg, &r, errbuf, sizeof(errbuf));
	if (res == DM_CVE_DATAERR)
		errx(exit_codes[res], "%s: %s (nothing imported)", r.source, errbuf);
	if (res != DM_CVE_OK)
		errx(exit_codes[res], "%s (nothing imported)", errbuf);
	if (!quiet)
		report(&r);
	/*
	 * The counts of /cves/ follow every run that writes, an unchanged file's included: the
	 * fleet changes between imports (--count, every ten minutes by its timer, keeps up).
	 */
	return finish(db, &cfg, !r.dry_run && count(db, &cfg, quiet) == -1 ? EX_TEMPFAIL : EX_OK);
}
