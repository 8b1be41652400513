/* apt.h: what APT would upgrade, and the source packages of versions it knows. */
#ifndef DM_APT_H
#define DM_APT_H

#include <stddef.h>

#include "pkgs.h"

/* Seconds any one apt-get or apt-cache run may take before it is killed. */
#define APT_TIMEOUT 20

/*
 * The upgrades "apt-get dist-upgrade" would make to installed packages (a simulation,
 * no lock taken), each marked security when the candidate comes from a *-security
 * archive. Sources are those of the candidate versions. 0, or -1 with the reason in err.
 */
int apt_upgradable(struct pkgs *p, char *err, size_t errlen);
/* Parses apt-get's simulation output ("Inst name [old] (new origins [arch])"). */
int apt_parse_simulation(struct pkgs *p, const char *text);
/*
 * Fills in the missing sources of every entry from APT's records ("name=version"); what
 * APT does not know is its own source, as APT has it.
 */
int apt_fill_sources(struct pkgs *p, char *err, size_t errlen);
/*
 * Runs argv (no shell) with LC_ALL=C; its standard output in *out (free it). 0 or -1;
 * with allow_fail a failing exit still counts when it printed something.
 */
int apt_run(char *const argv[], int timeout, int allow_fail, char **out, char *err, size_t errlen);

#endif
