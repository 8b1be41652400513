/* apt.c: asks apt-get and apt-cache (no shell, bounded time) what APT knows. */
#include "apt.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Most output accepted from one command. */
#define APT_OUTPUT_MAX (64 * 1024 * 1024)

static int
collect(int fd, pid_t pid, int timeout, char **out, size_t *len)
{
	time_t deadline = time(NULL) + timeout;
	struct pollfd pfd = {fd, POLLIN, 0};
	size_t cap = 65536;
	ssize_t n;
	char *p;

	*len = 0;
	if ((*out = malloc(cap)) == NULL)
		return -1;
	for (;;) {
		if (time(NULL) > deadline || poll(&pfd, 1, 1000) < 0) {
			kill(pid, SIGKILL);
			return -1;
		}
		if (*len + 4096 >= cap) {
			if (cap >= APT_OUTPUT_MAX || (p = realloc(*out, cap *= 2)) == NULL)
				return kill(pid, SIGKILL), -1;
			*out = p;
		}
		if ((n = read(fd, *out + *len, cap - *len - 1)) == 0)
			break;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return kill(pid, SIGKILL), -1;
		*len += n > 0 ? (size_t)n : 0;
	}
	(*out)[*len] = '\0';
	return 0;
}

int
apt_run(char *const argv[], int timeout, int allow_fail, char **out, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status = 0, rc;
	size_t len;
	pid_t pid;

	*out = NULL;
	if (pipe(fds) == -1)
		return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
	setenv("LC_ALL", "C", 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", 0, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return snprintf(err, errlen, "%s: %s", argv[0], strerror(rc)), -1;
	}
	rc = collect(fds[0], pid, timeout, out, &len);
	close(fds[0]);
	waitpid(pid, &status, 0);
	/* apt-cache show fails (100) when one of many versions is unknown: the rest counts. */
	if (rc == -1 || !WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 0 && !(allow_fail && len > 0))) {
		snprintf(err, errlen, "%s failed or took longer than %d s", argv[0], timeout);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* "(new origin1, origin2 [arch])": security when an origin's suite ends in -security. */
static int
from_security(const char *origins)
{
	const char *p = origins, *end = strchr(origins, '[');
	size_t n;

	while (p && (!end || p < end)) {
		n = strcspn(p, ",[)");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n >= 9 && strncmp(p + n - 9, "-security", 9) == 0)
			return 1;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* One "Inst" line of an upgrade; new installs (no "[old]") are not upgrades. */
static int
inst_line(struct pkgs *p, char *line)
{
	char *name = line + 5, *old, *new, *sp;

	if ((sp = strchr(name, ' ')) == NULL || sp[1] != '[')
		return 0;
	*sp = '\0';
	old = sp + 2;
	if ((sp = strchr(old, ']')) == NULL || sp[1] != ' ' || sp[2] != '(')
		return 0;
	*sp = '\0';
	new = sp + 3;
	if ((sp = strchr(new, ' ')) == NULL)
		return 0;
	*sp = '\0';
	return pkgs_add_upg(p, name, old, new, NULL, from_security(sp + 1));
}

int
apt_parse_simulation(struct pkgs *p, const char *text)
{
	char *copy = strdup(text), *line, *next;
	int rc = 0;

	if (copy == NULL)
		return -1;
	for (line = copy; rc == 0 && line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, "Inst ", 5) == 0)
			rc = inst_line(p, line);
	}
	free(copy);
	return rc;
}

/* One record of apt-cache show; the matching entries (by bare name and version) get its source. */
struct record {
	char *package, *version, *source;
};

static void
bare(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%.*s", (int)strcspn(name, ":"), name);
}

static int
apply_record(struct pkgs *p, struct record *r)
{
	char name[512], *sp;
	size_t i;

	if (r->package == NULL || r->version == NULL)
		return 0;
	if (r->source && (sp = strchr(r->source, ' ')) != NULL)
		*sp = '\0';
	for (i = 0; i < p->n_installed; i++) {
		bare(name, sizeof(name), p->installed[i].name);
		if (p->installed[i].source == NULL && strcmp(name, r->package) == 0 &&
		    strcmp(p->installed[i].version, r->version) == 0 &&
		    (p->installed[i].source = strdup(r->source ? r->source : r->package)) == NULL)
			return -1;
	}
	for (i = 0; i < p->n_uninstalled; i++) {
		bare(name, sizeof(name), p->uninstalled[i].name);
		if (p->uninstalled[i].source == NULL && strcmp(name, r->package) == 0 &&
		    strcmp(p->uninstalled[i].version, r->version) == 0 &&
		    (p->uninstalled[i].source = strdup(r->source ? r->source : r->package)) == NULL)
			return -1;
	}
	for (i = 0; i < p->n_upgradable; i++) {
		bare(name, sizeof(name), p->upgradable[i].name);
		if (p->upgradable[i].source == NULL && strcmp(name, r->package) == 0 &&
		    strcmp(p->upgradable[i].version_to, r->version) == 0 &&
		    (p->upgradable[i].source = strdup(r->source ? r->source : r->package)) == NULL)
			return -1;
	}
	return 0;
}

static int
parse_records(struct pkgs *p, char *text)
{
	struct record r = {0};
	char *line, *next;
	int rc = 0;

	for (line = text; rc == 0 && line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '\0') {
			rc = apply_record(p, &r);
			memset(&r, 0, sizeof(r));
		} else if (strncmp(line, "Package: ", 9) == 0) {
			r.package = line + 9;
		} else if (strncmp(line, "Version: ", 9) == 0) {
			r.version = line + 9;
		} else if (strncmp(line, "Source: ", 8) == 0) {
			r.source = line + 8;
		}
	}
	return rc == 0 ? apply_record(p, &r) : rc;
}

static int
add_arg(char ***argv, size_t *n, const char *name, const char *version)
{
	size_t len = strlen(name) + strlen(version) + 2;
	char **v = realloc(*argv, (*n + 2) * sizeof(*v));

	if (v == NULL)
		return -1;
	*argv = v;
	if ((v[*n] = malloc(len)) == NULL)
		return -1;
	snprintf(v[*n], len, "%s=%s", name, version);
	v[++*n] = NULL;
	return 0;
}

/* APT's rule: a package without a Source field is its own source. */
static int
default_source(char **source, const char *name)
{
	if (*source == NULL)
		*source = strndup(name, strcspn(name, ":"));
	return *source ? 0 : -1;
}

/* Entries without a source yet, looked up in one apt-cache run; the rest keep their name. */
int
apt_fill_sources(struct pkgs *p, char *err, size_t errlen)
{
	char **argv = NULL, *out = NULL;
	size_t i, n = 0;
	int rc = 0;

	if ((argv = calloc(3, sizeof(*argv))) == NULL || (argv[0] = strdup("apt-cache")) == NULL ||
	    (argv[1] = strdup("show")) == NULL)
		rc = -1;
	n = 2;
	for (i = 0; rc == 0 && i < p->n_installed; i++)
		if (p->installed[i].source == NULL)
			rc = add_arg(&argv, &n, p->installed[i].name, p->installed[i].version);
	for (i = 0; rc == 0 && i < p->n_uninstalled; i++)
		if (p->uninstalled[i].source == NULL)
			rc = add_arg(&argv, &n, p->uninstalled[i].name, p->uninstalled[i].version);
	for (i = 0; rc == 0 && i < p->n_upgradable; i++)
		if (p->upgradable[i].source == NULL)
			rc = add_arg(&argv, &n, p->upgradable[i].name, p->upgradable[i].version_to);
	if (rc == 0 && n > 2 && apt_run(argv, APT_TIMEOUT, 1, &out, err, errlen) == 0)
		rc = parse_records(p, out);
	for (i = 0; rc == 0 && i < p->n_installed; i++)
		rc = default_source(&p->installed[i].source, p->installed[i].name);
	for (i = 0; rc == 0 && i < p->n_uninstalled; i++)
		rc = default_source(&p->uninstalled[i].source, p->uninstalled[i].name);
	for (i = 0; rc == 0 && i < p->n_upgradable; i++)
		rc = default_source(&p->upgradable[i].source, p->upgradable[i].name);
	for (i = 0; argv && i < n && argv[i]; i++)
		free(argv[i]);
	free(argv);
	free(out);
	return rc == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
}

int
apt_upgradable(struct pkgs *p, char *err, size_t errlen)
{
	char *const argv[] = {"apt-get",      "-s", "-q", "-o", "Debug::NoLocking=true",
	                      "dist-upgrade", NULL};
	char *out;
	int rc;

	if (apt_run(argv, APT_TIMEOUT, 0, &out, err, errlen) == -1)
		return -1;
	rc = apt_parse_simulation(p, out);
	free(out);
	if (rc == -1)
		return snprintf(err, errlen, "out of memory"), -1;
	return apt_fill_sources(p, err, errlen);
}
