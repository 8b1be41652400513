/* pkgs.h: the package lists the client collects and reports. */
#ifndef DM_PKGS_H
#define DM_PKGS_H

#include <stddef.h>

struct pkg {
	char *name;
	char *version;
	char *source;
	char *source_version; /* installed entries: the source's version; NULL when not known */
};

struct upg {
	char *name;
	char *version_from;
	char *version_to;
	char *source;
	int security;
};

struct pkgs {
	struct pkg *installed;
	size_t n_installed, cap_installed;
	struct pkg *uninstalled;
	size_t n_uninstalled, cap_uninstalled;
	struct upg *upgradable;
	size_t n_upgradable, cap_upgradable;
};

/* Each copies its strings (source and source_version may be NULL): 0, or -1 (memory). */
int pkgs_add(struct pkg **v, size_t *n, size_t *cap, const char *name, const char *version,
             const char *source, const char *source_version);
int pkgs_add_upg(struct pkgs *p, const char *name, const char *from, const char *to,
                 const char *source, int security);
void pkgs_free(struct pkgs *p);
/*
 * Splits a Source field of dpkg or APT, "name" or "name (version)", in place: field ends
 * after the name, and *version is the version when there is one the server accepts (a
 * valid Debian version of at most 255 bytes), else NULL.
 */
void pkgs_split_source(char *field, const char **version);

/*
 * Every package dpkg has installed (any state with an installed version), from its
 * status file: names qualified with ":arch" when the architecture is neither native nor
 * "all", as APT shows them, each with its source and, when its Source field names one,
 * the source's version. Returns 0, or -1 with the reason in err.
 */
int dpkg_installed(struct pkgs *p, const char *status_path, const char *native_arch, char *err,
                   size_t errlen);
/* The same from the text of a status file. */
int dpkg_parse_status(struct pkgs *p, const char *text, const char *native_arch);
/*
 * The Dpkg::Pre-Install-Pkgs hook's stdin, protocol version 2 or 3: installs, upgrades
 * and downgrades become installed entries (source left NULL, filled in later), removals
 * uninstalled ones; names qualified as dpkg_installed does. Returns 0, or -1 with "line N: reason"
 * in err for anything else.
 */
int dpkg_parse_hook(struct pkgs *p, const char *text, const char *native_arch, char *err,
                    size_t errlen);

#endif
