/* debmonitor-migrate.c: creates DebMonitor's schema or brings it to this build's version. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "core/config.h"
#include "db/db.h"
#include "db/migrate.h"

#ifndef DM_SQL_DIR
#define DM_SQL_DIR "/usr/share/debmonitor/sql"
#endif

static void
usage(FILE *f)
{
	fputs(
	    "usage: debmonitor-migrate [--check] [--user NAME] [--sql-dir DIR] [--config FILE]\n\n"
	    "Create DebMonitor's tables in an empty database, or bring its schema to the\n"
	    "version this build needs, one numbered step at a time; run it again at any time.\n"
	    "It refuses a database newer than this build. --check only says where the schema\n"
	    "stands (exit 1 when steps are due). --user connects as NAME without a password\n"
	    "(root over the local socket, say: the server's own user may not change tables).\n"
	    "The SQL comes from --sql-dir (default " DM_SQL_DIR "); the configuration is\n"
	    "the server's (--config, else DEBMONITOR_CONFIG, else /etc/debmonitor/config.json).\n",
	    f);
}

/* The exit code of each result, and what a successful one says. */
static int
report(enum dm_migrate_result r, const struct dm_migrate *m, const char *msg)
{
	switch (r) {
	case DM_MIGRATE_DONE:
		if (m->from == m->to)
			printf("schema version %lld: up to date\n", m->to);
		else if (m->from == 0)
			printf("schema version %lld: created\n", m->to);
		else
			printf("schema version %lld: migrated from %lld\n", m->to, m->from);
		return EX_OK;
	case DM_MIGRATE_PENDING:
		printf("schema version %lld: steps to version %lld are due\n", m->from, m->to);
		return 1;
	case DM_MIGRATE_NEWER:
		warnx("%s", msg);
		return EX_DATAERR;
	case DM_MIGRATE_MISSING:
		warnx("%s", msg);
		return EX_NOINPUT;
	default:
		warnx("stopped: %s (the steps before it stay taken; run it again)", msg);
		return EX_SOFTWARE;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"check", no_argument, NULL, 'C'},         {"user", required_argument, NULL, 'u'},
	    {"sql-dir", required_argument, NULL, 's'}, {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	struct dm_migrate m = {.sql_dir = DM_SQL_DIR};
	const char *path = getenv("DEBMONITOR_CONFIG"), *user = NULL;
	struct dm_config cfg;
	char errbuf[1024] = "";
	MYSQL *db;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			m.check = 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 's':
			m.sql_dir = optarg;
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
	if (user != NULL) {
		cfg.db_user = user;
		cfg.db_password = NULL;
	}
	if ((db = dm_db_open(&cfg, errbuf, sizeof(errbuf))) == NULL)
		errx(EX_UNAVAILABLE, "%s", errbuf);
	rc = report(dm_migrate(db, &m, errbuf, sizeof(errbuf)), &m, errbuf);
	dm_db_close(db);
	dm_config_free(&cfg);
	return rc;
}
