/* debmonitor-gc.c: the garbage collector cron runs (no CGI); its work is lib/gc/gc.c. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "core/config.h"
#include "db/db.h"
#include "db/lock.h"
#include "gc/gc.h"

static void
usage(FILE *f)
{
	fputs(
	    "usage: debmonitor-gc [--dry-run] [--hosts-older-than AGE] [--images-older-than AGE]\n"
	    "                     [--config FILE]\n\n"
	    "Remove hosts not updated for AGE (15d), images not updated for AGE (90d) that no\n"
	    "Kubernetes cluster runs, then every package version, package, source package\n"
	    "version, source package and kernel nothing references any more. AGE is a number\n"
	    "with s, m, h or d; 0 means never. --dry-run says what would go and changes nothing.\n"
	    "The configuration is the server's (--config, else DEBMONITOR_CONFIG, else\n"
	    "/etc/debmonitor/config.json).\n",
	    f);
}

static long long
age(const char *opt, const char *s)
{
	long long v;

	if (dm_gc_parse_age(s, &v) == -1)
		errx(EX_USAGE, "%s: invalid age '%s' (a number with s, m, h or d; 0 for never)",
		     opt, s);
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"dry-run", no_argument, NULL, 'n'},
	    {"hosts-older-than", required_argument, NULL, 'H'},
	    {"images-older-than", required_argument, NULL, 'I'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct dm_gc gc = {.hosts_age = 15 * 86400LL, .images_age = 90 * 86400LL};
	const char *path = getenv("DEBMONITOR_CONFIG");
	struct dm_config cfg;
	char errbuf[512];
	MYSQL *db;
	int ch, k;

	while ((ch = getopt_long(argc, argv, "nh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			gc.dry_run = 1;
			break;
		case 'H':
			gc.hosts_age = age("--hosts-older-than", optarg);
			break;
		case 'I':
			gc.images_age = age("--images-older-than", optarg);
			break;
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc)
		errx(EX_USAGE, "unexpected argument '%s'", argv[optind]);
	if (dm_config_load(&cfg, path, errbuf, sizeof(errbuf)) == -1)
		errx(EX_CONFIG, "%s", errbuf);
	if ((db = dm_db_open(&cfg, errbuf, sizeof(errbuf))) == NULL)
		errx(EX_UNAVAILABLE, "%s", errbuf);
	/* One run at a time, on whichever node of a cluster: a dry run writes nothing. */
	switch (gc.dry_run ? 0 : dm_lock_take(db, DM_GC_LOCK, 0, errbuf, sizeof(errbuf))) {
	case 0:
		break;
	case 1:
		errx(EX_TEMPFAIL,
		     "another debmonitor-gc is running (it holds the lock '%s'):"
		     " nothing removed",
		     DM_GC_LOCK);
	default:
		errx(EX_UNAVAILABLE, "%s (nothing removed)", errbuf);
	}
	if (dm_gc_run(db, &gc, errbuf, sizeof(errbuf)) == -1)
		errx(EX_SOFTWARE, "stopped: %s (what is already removed stays removed)", errbuf);
	for (k = 0; k < DM_GC__MAX; k++)
		printf("%s: %s %llu\n", dm_gc_kind_name((enum dm_gc_kind)k),
		       gc.dry_run ? "would remove" : "removed", gc.removed[k]);
	if (!gc.dry_run && dm_lock_release(db, DM_GC_LOCK, errbuf, sizeof(errbuf)) == -1)
		warnx("%s", errbuf);
	dm_db_close(db);
	dm_config_free(&cfg);
	return EX_OK;
}
