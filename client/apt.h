/* apt.h: what APT would upgrade, and the source packages of versions it knows. */
#ifndef DM_APT_H
#define DM_APT_H

#include <stddef.h>
#include <time.h>

#include "pkgs.h"

/*
 * Seconds that the dpkg, apt-get and apt-cache runs of one client run may take together.
 * The one still running then is killed with whatever it started and the client fails
 * (exit 71): a hung APT never blocks dpkg's hook longer than this. Generous, since a
 * slow APT must not lose reports: apt-get's simulation alone took 14 s (7 s of CPU) for
 * 1,000 packages and 130 upgrades on a busy 2-CPU machine.
 */
#define APT_TIMEOUT 60

/* The time left for APT in one client run, shared by all its commands. */
struct apt_budget {
	struct timespec end; /* CLOCK_MONOTONIC */
	int seconds;         /* all of it, for messages */
};

/* How apt_run ended; the last two with the reason in err. */
enum apt_result {
	APT_OK = 0,
	APT_FAILED = -1,   /* could not start, exited non-zero, or too much output */
	APT_TIMED_OUT = -2 /* still running when the budget ran out: killed */
};

/* Starts a budget of seconds from now. */
void apt_budget_start(struct apt_budget *b, int seconds);
/*
 * The upgrades "apt-get dist-upgrade" would make to installed packages (a simulation,
 * no lock taken), each marked security when the candidate comes from a *-security
 * archive. Sources are those of the candidate versions. 0, or -1 with the reason in err.
 */
int apt_upgradable(struct pkgs *p, const struct apt_budget *b, char *err, size_t errlen);
/* Parses apt-get's simulation output ("Inst name [old] (new origins [arch])"). */
int apt_parse_simulation(struct pkgs *p, const char *text);
/*
 * Fills in the missing sources of every entry from APT's records ("name=version"), and
 * of installed entries the source's version where a record names it; what APT does not
 * know is its own source, as APT has it. 0, or -1 with the reason in err when apt-cache
 * ran out of time or memory ran out.
 */
int apt_fill_sources(struct pkgs *p, const struct apt_budget *b, char *err, size_t errlen);
/* Applies the records of apt-cache show's output as apt_fill_sources does: 0, or -1 (memory). */
int apt_parse_records(struct pkgs *p, const char *text);
/*
 * Runs argv (no shell) with LC_ALL=C in a process group of its own, within the budget;
 * its standard output in *out (free it) when APT_OK. With allow_fail a failing exit still
 * counts when it printed something. Whatever the end, nothing the command started is left
 * running: the group is killed before the command is reaped, and a signal that ends the
 * client (SIGINT, SIGTERM, SIGHUP) kills it first.
 */
enum apt_result apt_run(char *const argv[], const struct apt_budget *b, int allow_fail, char **out,
                        char *err, size_t errlen);

#endif
