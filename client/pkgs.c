/* pkgs.c: package lists, dpkg's status file and the dpkg hook protocol. */
#include "pkgs.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int
pkgs_add(struct pkg **v, size_t *n, size_t *cap, const char *name, const char *version,
         const char *source, const char *source_version)
{
	struct pkg *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		if ((p = realloc(*v, *cap * sizeof(*p))) == NULL)
			return -1;
		*v = p;
	}
	p = &(*v)[*n];
	p->name = strdup(name);
	p->version = strdup(version);
	p->source = dup_or_null(source);
	p->source_version = dup_or_null(source_version);
	if (p->name == NULL || p->version == NULL || (source && p->source == NULL) ||
	    (source_version && p->source_version == NULL))
		return -1;
	(*n)++;
	return 0;
}

int
pkgs_add_upg(struct pkgs *p, const char *name, const char *from, const char *to, const char *source,
             int security)
{
	struct upg *u;

	if (p->n_upgradable == p->cap_upgradable) {
		p->cap_upgradable = p->cap_upgradable ? p->cap_upgradable * 2 : 64;
		if ((u = realloc(p->upgradable, p->cap_upgradable * sizeof(*u))) == NULL)
			return -1;
		p->upgradable = u;
	}
	u = &p->upgradable[p->n_upgradable];
	*u = (struct upg){strdup(name), strdup(from), strdup(to), dup_or_null(source), security};
	if (u->name == NULL || u->version_from == NULL || u->version_to == NULL)
		return -1;
	p->n_upgradable++;
	return 0;
}

static void
free_list(struct pkg *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].version);
		free(v[i].source);
		free(v[i].source_version);
	}
	free(v);
}

void
pkgs_free(struct pkgs *p)
{
	size_t i;

	free_list(p->installed, p->n_installed);
	free_list(p->uninstalled, p->n_uninstalled);
	for (i = 0; i < p->n_upgradable; i++) {
		free(p->upgradable[i].name);
		free(p->upgradable[i].version_from);
		free(p->upgradable[i].version_to);
		free(p->upgradable[i].source);
	}
	free(p->upgradable);
	memset(p, 0, sizeof(*p));
}

void
pkgs_split_source(char *field, const char **version)
{
	char *open, *close;

	*version = NULL;
	if ((open = strchr(field, ' ')) == NULL)
		return;
	*open++ = '\0';
	open += strspn(open, " ");
	if (*open != '(' || (close = strchr(open, ')')) == NULL || close[1] != '\0')
		return;
	*close = '\0';
	/* What the server would refuse is left out: it falls back to the binary's version. */
	if (close - open - 1 <= DM_NAME_MAX && dm_version_valid(open + 1, NULL))
		*version = open + 1;
}

/* One stanza of the status file, fields pointing into the (modified) text. */
struct stanza {
	char *package, *status, *version, *source, *arch;
};

/* States in which dpkg has a version installed (APT's "current version"). */
static int
has_version(const char *status)
{
	const char *state = strrchr(status, ' ');

	state = state ? state + 1 : status;
	return strcmp(state, "not-installed") != 0 && strcmp(state, "config-files") != 0;
}

static int
emit(struct pkgs *p, struct stanza *st, const char *native)
{
	const char *source_version = NULL;
	char name[512];

	if (st->package == NULL || st->status == NULL || st->version == NULL ||
	    !has_version(st->status))
		return 0;
	if (st->arch && strcmp(st->arch, "all") != 0 && strcmp(st->arch, native) != 0)
		snprintf(name, sizeof(name), "%s:%s", st->package, st->arch);
	else
		snprintf(name, sizeof(name), "%s", st->package);
	/* "Source: foo (1.2-3)" names the source and its version when they differ. */
	if (st->source)
		pkgs_split_source(st->source, &source_version);
	return pkgs_add(&p->installed, &p->n_installed, &p->cap_installed, name, st->version,
	                st->source && *st->source ? st->source : st->package, source_version);
}

static void
field(struct stanza *st, char *line)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
	    {"Package: ", offsetof(struct stanza, package)},
	    {"Status: ", offsetof(struct stanza, status)},
	    {"Version: ", offsetof(struct stanza, version)},
	    {"Source: ", offsetof(struct stanza, source)},
	    {"Architecture: ", offsetof(struct stanza, arch)},
	};
	size_t i, n;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		n = strlen(fields[i].name);
		if (strncmp(line, fields[i].name, n) == 0)
			*(char **)((char *)st + fields[i].off) = line + n;
	}
}

int
dpkg_parse_status(struct pkgs *p, const char *text, const char *native_arch)
{
	struct stanza st = {0};
	char *copy = strdup(text), *line, *next;
	int rc = 0;

	if (copy == NULL)
		return -1;
	for (line = copy; rc == 0 && line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '\0') {
			rc = emit(p, &st, native_arch);
			memset(&st, 0, sizeof(st));
		} else {
			field(&st, line);
		}
	}
	if (rc == 0)
		rc = emit(p, &st, native_arch);
	free(copy);
	return rc;
}

int
dpkg_installed(struct pkgs *p, const char *status_path, const char *native_arch, char *err,
               size_t errlen)
{
	FILE *f = fopen(status_path, "r");
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", status_path, strerror(errno));
		return -1;
	}
	if (getdelim(&text, &len, '\0', f) >= 0)
		rc = dpkg_parse_status(p, text, native_arch);
	if (rc == -1)
		snprintf(err, errlen, "%s: cannot read or out of memory", status_path);
	free(text);
	fclose(f);
	return rc;
}

/* Splits s in place at single spaces into at most max fields; returns how many. */
static size_t
split(char *s, char **f, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		f[n++] = s;
		if ((s = strchr(s, ' ')) == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

/* A package name as APT shows it: qualified only for a foreign architecture. */
static void
qualified(char *out, size_t len, const char *name, const char *arch, const char *native)
{
	if (arch && strcmp(arch, "-") != 0 && strcmp(arch, "all") != 0 && strcmp(arch, native) != 0)
		snprintf(out, len, "%s:%s", name, arch);
	else
		snprintf(out, len, "%s", name);
}

/* One action line; fields: v2 name old dir new action, v3 with archs and multi-arch. */
static int
hook_line(struct pkgs *p, char *line, int version, const char *native, const char **why)
{
	char *f[10], name[512];
	const char *old, *dir, *new, *arch, *action;
	size_t want = version == 3 ? 9 : 5;

	if (split(line, f, 10) != want)
		return *why = version == 3 ? "expected 9 fields" : "expected 5 fields", -1;
	old = f[1];
	dir = f[version == 3 ? 4 : 2];
	new = f[version == 3 ? 5 : 3];
	action = f[want - 1];
	arch = version == 3 ? (strcmp(new, "-") == 0 ? f[2] : f[6]) : NULL;
	if (strlen(dir) != 1 || strchr("<>=", dir[0]) == NULL)
		return *why = "direction must be <, > or =", -1;
	if (strcmp(action, "**CONFIGURE**") == 0 || dir[0] == '=')
		return 0;
	qualified(name, sizeof(name), f[0], arch, native);
	if (dir[0] == '>' && strcmp(new, "-") == 0) {
		if (strcmp(action, "**REMOVE**") != 0)
			return *why = "a removal must say **REMOVE**", -1;
		return pkgs_add(&p->uninstalled, &p->n_uninstalled, &p->cap_uninstalled, name, old,
		                NULL, NULL);
	}
	if (strcmp(new, "-") == 0)
		return *why = "an install needs a new version", -1;
	return pkgs_add(&p->installed, &p->n_installed, &p->cap_installed, name, new, NULL, NULL);
}

int
dpkg_parse_hook(struct pkgs *p, const char *text, const char *native_arch, char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *next;
	const char *why = NULL;
	int version = 0, lineno = 0, body = 0, rc = 0;

	if (copy == NULL)
		return snprintf(err, errlen, "out of memory"), -1;
	for (line = copy; rc == 0 && line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else if (*line == '\0')
			break; /* the end of the last line */
		lineno++;
		if (lineno == 1) {
			if (strcmp(line, "VERSION 2") == 0 || strcmp(line, "VERSION 3") == 0)
				version = line[8] - '0';
			else
				rc = -1, why = "expected VERSION 2 or VERSION 3";
		} else if (!body) {
			body = *line == '\0';
		} else if (*line != '\0') {
			rc = hook_line(p, line, version, native_arch, &why);
		}
	}
	if (rc == 0 && (version == 0 || !body))
		rc = -1, why = version ? "no blank line before the package actions" : "empty input";
	if (rc == -1)
		snprintf(err, errlen, "dpkg hook input, line %d: %s", lineno,
		         why ? why : "out of memory");
	free(copy);
	return rc;
}
