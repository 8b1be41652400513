/* apt.c: asks apt-get and apt-cache (no shell, bounded time) what APT knows. */
#include "apt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Most output accepted from one command. */
#define APT_OUTPUT_MAX (64 * 1024 * 1024)
/* How often a command that closed its output is looked at until it exits. */
#define APT_EXIT_POLL_NS (10 * 1000 * 1000)

/* The signals that end the client: the running command's group is killed first. */
static const int fatal_signals[] = {SIGHUP, SIGINT, SIGTERM};
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/* The process group of the command running now (0: none), for on_fatal. */
static volatile sig_atomic_t running;

static void
on_fatal(int sig)
{
	if (running > 0)
		kill(-(pid_t)running, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* While a command runs, the fatal signals the client does not ignore go to on_fatal. */
static void
guard(struct sigaction old[N_FATAL])
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < N_FATAL; i++)
		if (sigaction(fatal_signals[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
}

static void
unguard(const struct sigaction old[N_FATAL])
{
	size_t i;

	for (i = 0; i < N_FATAL; i++)
		sigaction(fatal_signals[i], &old[i], NULL);
}

void
apt_budget_start(struct apt_budget *b, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &b->end);
	b->end.tv_sec += seconds;
	b->seconds = seconds;
}

/* Milliseconds left of the budget; 0 when it is spent. */
static int
ms_left(const struct apt_budget *b)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(b->end.tv_sec - now.tv_sec) * 1000 +
	     (b->end.tv_nsec - now.tv_nsec) / 1000000;
	return ms <= 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

static enum apt_result
timed_out(const char *cmd, const struct apt_budget *b, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s %s: the %d s the client gives dpkg and APT ran out", cmd, what,
	         b->seconds);
	return APT_TIMED_OUT;
}

/*
 * Starts argv in a process group of its own, stdin from /dev/null, stdout into a pipe:
 * the pipe's reading end, or -1. The fatal signals are blocked until running names it.
 */
static int
spawn(char *const argv[], pid_t *pid, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t fatal, before;
	int fds[2], rc;
	size_t i;

	/* Close-on-exec: the command has the pipe as its stdout only, and what it starts with
	 * its output elsewhere does not hold the pipe open. */
	if (pipe2(fds, O_CLOEXEC) == -1)
		return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
	sigemptyset(&fatal);
	for (i = 0; i < N_FATAL; i++)
		sigaddset(&fatal, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &fatal, &before);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", 0, 0);
	posix_spawnattr_init(&at);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &before);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
	if (rc == 0)
		running = *pid;
	sigprocmask(SIG_SETMASK, &before, NULL);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return snprintf(err, errlen, "%s: %s", argv[0], strerror(rc)), -1;
	}
	return fds[0];
}

/* Reads cmd's output fd to its end within the budget into *out (NUL-terminated, *len bytes). */
static enum apt_result
read_all(const char *cmd, int fd, const struct apt_budget *b, char **out, size_t *len, char *err,
         size_t errlen)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	size_t cap = 65536;
	ssize_t n;
	char *p;
	int ms;

	*len = 0;
	if ((*out = malloc(cap)) == NULL)
		return snprintf(err, errlen, "%s: out of memory", cmd), APT_FAILED;
	for (;;) {
		if ((ms = ms_left(b)) == 0)
			return APT_TIMED_OUT;
		if ((n = poll(&pfd, 1, ms)) <= 0) {
			if (n < 0 && errno != EINTR)
				return snprintf(err, errlen, "poll: %s", strerror(errno)),
				       APT_FAILED;
			continue;
		}
		if (*len + 4096 >= cap) {
			if (cap >= APT_OUTPUT_MAX || (p = realloc(*out, cap * 2)) == NULL)
				return snprintf(err, errlen, "%s: output over %d MiB", cmd,
				                APT_OUTPUT_MAX >> 20),
				       APT_FAILED;
			*out = p;
			cap *= 2;
		}
		if ((n = read(fd, *out + *len, cap - *len - 1)) == 0)
			break;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return snprintf(err, errlen, "%s: read: %s", cmd, strerror(errno)),
			       APT_FAILED;
		*len += n > 0 ? (size_t)n : 0;
	}
	(*out)[*len] = '\0';
	return APT_OK;
}

/* Waits within the budget for pid to exit, leaving it to be reaped: APT_OK or APT_TIMED_OUT. */
static enum apt_result
await_exit(pid_t pid, const struct apt_budget *b)
{
	const struct timespec pause = {0, APT_EXIT_POLL_NS};
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == -1 &&
		    errno != EINTR)
			return APT_OK; /* nothing to wait for: reap() says what became of it */
		if (si.si_pid == pid)
			return APT_OK;
		if (ms_left(b) == 0)
			return APT_TIMED_OUT;
		nanosleep(&pause, NULL);
	}
}

/*
 * Kills whatever is left in the command's group (all of it, when it timed out; what it
 * left behind, when it exited), then reaps the command: its wait status.
 */
static int
reap(pid_t pid)
{
	int status = 0;

	kill(-pid, SIGKILL);
	running = 0;
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return status;
}

/* What a command that ran to its end gave: APT_OK, or APT_FAILED saying why. */
static enum apt_result
outcome(const char *cmd, int status, int allow_fail, size_t len, char *err, size_t errlen)
{
	/* apt-cache show fails (100) when one of many versions is unknown: the rest counts. */
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || (allow_fail && len > 0)))
		return APT_OK;
	if (WIFEXITED(status))
		snprintf(err, errlen, "%s failed (exit %d)", cmd, WEXITSTATUS(status));
	else
		snprintf(err, errlen, "%s was killed by signal %d", cmd, WTERMSIG(status));
	return APT_FAILED;
}

enum apt_result
apt_run(char *const argv[], const struct apt_budget *b, int allow_fail, char **out, char *err,
        size_t errlen)
{
	struct sigaction old[N_FATAL];
	enum apt_result rc;
	size_t len = 0;
	int fd, status;
	pid_t pid;

	*out = NULL;
	if (ms_left(b) == 0)
		return timed_out(argv[0], b, "not run", err, errlen);
	setenv("LC_ALL", "C", 1);
	guard(old);
	if ((fd = spawn(argv, &pid, err, errlen)) == -1) {
		unguard(old);
		return APT_FAILED;
	}
	rc = read_all(argv[0], fd, b, out, &len, err, errlen);
	close(fd);
	if (rc == APT_OK)
		rc = await_exit(pid, b);
	status = reap(pid);
	unguard(old);
	if (rc == APT_TIMED_OUT)
		timed_out(argv[0], b, "killed", err, errlen);
	else if (rc == APT_OK)
		rc = outcome(argv[0], status, allow_fail, len, err, errlen);
	if (rc != APT_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
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

/*
 * One record of apt-cache show; the matching entries (by bare name and version) get its
 * source, installed ones also the source's version when the record names it.
 */
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
	const char *source_version = NULL;
	struct pkg *e;
	char name[512];
	size_t i;

	if (r->package == NULL || r->version == NULL)
		return 0;
	if (r->source)
		pkgs_split_source(r->source, &source_version);
	for (i = 0; i < p->n_installed; i++) {
		e = &p->installed[i];
		bare(name, sizeof(name), e->name);
		if (e->source != NULL || strcmp(name, r->package) != 0 ||
		    strcmp(e->version, r->version) != 0)
			continue;
		if ((e->source = strdup(r->source ? r->source : r->package)) == NULL ||
		    (source_version && (e->source_version = strdup(source_version)) == NULL))
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

int
apt_parse_records(struct pkgs *p, const char *text)
{
	struct record r = {0};
	char *copy = strdup(text), *line, *next;
	int rc = 0;

	if (copy == NULL)
		return -1;
	for (line = copy; rc == 0 && line; line = next) {
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
	if (rc == 0)
		rc = apply_record(p, &r);
	free(copy);
	return rc;
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

/*
 * Looks the entries without a source up in one apt-cache run. Only running out of time
 * (or memory) is an error: apt-cache fails when it knows none of the versions (a package
 * installed from a file), and those entries keep their name as source.
 */
static int
lookup_sources(struct pkgs *p, const struct apt_budget *b, char *err, size_t errlen)
{
	char **argv = NULL, *out = NULL;
	size_t i, n = 2;
	int rc = 0;

	if ((argv = calloc(3, sizeof(*argv))) == NULL || (argv[0] = strdup("apt-cache")) == NULL ||
	    (argv[1] = strdup("show")) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < p->n_installed; i++)
		if (p->installed[i].source == NULL)
			rc = add_arg(&argv, &n, p->installed[i].name, p->installed[i].version);
	for (i = 0; rc == 0 && i < p->n_uninstalled; i++)
		if (p->uninstalled[i].source == NULL)
			rc = add_arg(&argv, &n, p->uninstalled[i].name, p->uninstalled[i].version);
	for (i = 0; rc == 0 && i < p->n_upgradable; i++)
		if (p->upgradable[i].source == NULL)
			rc = add_arg(&argv, &n, p->upgradable[i].name, p->upgradable[i].version_to);
	if (rc == -1)
		snprintf(err, errlen, "out of memory");
	else if (n > 2)
		switch (apt_run(argv, b, 1, &out, err, errlen)) {
		case APT_OK:
			if ((rc = apt_parse_records(p, out)) == -1)
				snprintf(err, errlen, "out of memory");
			break;
		case APT_FAILED:
			break;
		case APT_TIMED_OUT:
			rc = -1;
			break;
		}
	for (i = 0; argv && i < n && argv[i]; i++)
		free(argv[i]);
	free(argv);
	free(out);
	return rc;
}

int
apt_fill_sources(struct pkgs *p, const struct apt_budget *b, char *err, size_t errlen)
{
	size_t i;
	int rc;

	if (lookup_sources(p, b, err, errlen) == -1)
		return -1;
	for (i = 0, rc = 0; rc == 0 && i < p->n_installed; i++)
		rc = default_source(&p->installed[i].source, p->installed[i].name);
	for (i = 0; rc == 0 && i < p->n_uninstalled; i++)
		rc = default_source(&p->uninstalled[i].source, p->uninstalled[i].name);
	for (i = 0; rc == 0 && i < p->n_upgradable; i++)
		rc = default_source(&p->upgradable[i].source, p->upgradable[i].name);
	return rc == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
}

int
apt_upgradable(struct pkgs *p, const struct apt_budget *b, char *err, size_t errlen)
{
	char *const argv[] = {"apt-get",      "-s", "-q", "-o", "Debug::NoLocking=true",
	                      "dist-upgrade", NULL};
	char *out;
	int rc;

	if (apt_run(argv, b, 0, &out, err, errlen) != APT_OK)
		return -1;
	rc = apt_parse_simulation(p, out);
	free(out);
	if (rc == -1)
		return snprintf(err, errlen, "out of memory"), -1;
	return apt_fill_sources(p, b, err, errlen);
}
