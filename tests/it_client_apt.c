/*
 * it_client_apt.c: an apt-get and apt-cache that never answer cost the client at most its
 * APT budget (APT_TIMEOUT, apt.h; BUDGET here): it kills them and what they started, and
 * fails; the dpkg hook line of client/20debmonitor still lets dpkg go on.
 */
#include "integration.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../client/apt.h"

/*
 * The budget the client is given (DEBMONITOR_TEST_APT_TIMEOUT: APT_TIMEOUT's minute is
 * too long for the suite), and the seconds it may take beyond: starting, reporting, a
 * loaded machine.
 */
#define BUDGET 3
#define MARGIN 5
#define TEXT(n) #n
#define KILLED(cmd, n) cmd " killed: the " TEXT(n) " s the client gives dpkg and APT ran out"
#define HOOK_ONE "VERSION 3\n\ndm-it-hang - - none < 1.0 all none /tmp/dm-it-hang.deb\n"

/*
 * The stand-in for apt-get and apt-cache: like a shell script it runs a child, here one
 * that sleeps for a day; it notes both pids in the pids file of its directory.
 */
static const char stand_in[] = "#!/bin/sh\n"
                               "echo $$ >>\"${0%/*}/pids\"\n"
                               "sleep 86400 &\n"
                               "echo $! >>\"${0%/*}/pids\"\n"
                               "wait\n";

/* One client run: a shell command with the stand-ins first in PATH. */
struct hang {
	char dir[64]; /* the stand-ins, their pids file, the run's input and output */
	pid_t pid;
	struct timespec start;
	int status; /* exit code; 128 + signal when killed; -1 when it outlived the bound */
	double seconds;
	char out[4096];
	int survivors; /* stand-in processes still alive after the client ended */
};

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_msg(fd >= 0, "cannot write %s", path);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
stand_ins(struct hang *h)
{
	char path[128];

	snprintf(h->dir, sizeof(h->dir), "/tmp/dm-it-apt-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(h->dir));
	snprintf(path, sizeof(path), "%s/apt-get", h->dir);
	write_file(path, stand_in, 0755);
	snprintf(path, sizeof(path), "%s/apt-cache", h->dir);
	write_file(path, stand_in, 0755);
}

/*
 * Starts /bin/sh -c cmd as APT runs a hook, input on stdin, output kept in DIR/out; the
 * client's budget is BUDGET with budget, else its own.
 */
static void
start(struct hang *h, const char *cmd, const char *input, int budget)
{
	char path[128], env_path[4096], seconds[16];

	stand_ins(h);
	snprintf(seconds, sizeof(seconds), "%d", BUDGET);
	snprintf(path, sizeof(path), "%s/in", h->dir);
	write_file(path, input ? input : "", 0600);
	snprintf(env_path, sizeof(env_path), "%s:%s", h->dir, getenv("PATH"));
	clock_gettime(CLOCK_MONOTONIC, &h->start);
	ck_assert_int_ge(h->pid = fork(), 0);
	if (h->pid == 0) {
		setpgid(0, 0); /* what outlives the bound is killed as one group */
		setenv("PATH", env_path, 1);
		if (budget)
			setenv("DEBMONITOR_TEST_APT_TIMEOUT", seconds, 1);
		if (freopen(path, "r", stdin) == NULL)
			_exit(126);
		snprintf(path, sizeof(path), "%s/out", h->dir);
		if (freopen(path, "w", stdout) == NULL || dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
}

static double
since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* A process that is neither gone nor a zombie (which holds no file open). */
static int
alive(long pid)
{
	char path[64], text[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	p = strrchr(text, ')');
	return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Counts the stand-ins still alive, then kills them all: the next test starts clean. */
static int
survivors(const char *dir)
{
	char path[128];
	long pid;
	int n = 0, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pids", dir);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fscanf(f, "%ld", &pid) == 1) {
		/* A SIGKILL takes effect a moment after kill(2) returns. */
		for (i = 0; pid > 1 && i < 50 && alive(pid); i++)
			usleep(20000);
		if (pid > 1 && alive(pid)) {
			n++;
			kill((pid_t)pid, SIGKILL);
		}
	}
	fclose(f);
	return n;
}

/* Waits for the run until BUDGET + MARGIN seconds after its start, killing it then. */
static void
finish(struct hang *h)
{
	char path[128];
	int status = 0;
	pid_t r;
	FILE *f;
	size_t n;

	while ((r = waitpid(h->pid, &status, WNOHANG)) == 0 && since(&h->start) < BUDGET + MARGIN)
		usleep(20000);
	h->seconds = since(&h->start);
	if (r == 0) {
		kill(-h->pid, SIGKILL);
		waitpid(h->pid, &status, 0);
		h->status = -1;
	} else {
		h->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	h->survivors = survivors(h->dir);
	snprintf(path, sizeof(path), "%s/out", h->dir);
	h->out[0] = '\0';
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(h->out, 1, sizeof(h->out) - 1, f);
		h->out[n] = '\0';
		fclose(f);
	}
	it_sh("rm -rf '%s'", h->dir);
}

/* Appends a sentence to why. */
static void
say(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * The run ended by itself with status, in time, saying text (NULL: anything), and left no
 * stand-in behind; else what went wrong is added to why, with the run's output.
 */
static void
verdict(const struct hang *h, const char *what, int status, const char *text, char *why, size_t len)
{
	size_t before = strlen(why);

	if (h->status == -1)
		say(why, len, "\n%s: still running after %.1f s (bound %d s + %d s)", what,
		    h->seconds, BUDGET, MARGIN);
	else if (h->status != status)
		say(why, len, "\n%s: exit %d, not %d", what, h->status, status);
	else if (text != NULL && strstr(h->out, text) == NULL)
		say(why, len, "\n%s: no \"%s\" in its output", what, text);
	if (h->survivors > 0)
		say(why, len, "\n%s: %d stand-in processes outlived it", what, h->survivors);
	if (strlen(why) > before)
		say(why, len, "; its output: \"%.*s\"", (int)strcspn(h->out, "\n"), h->out);
}

/* The command of the Dpkg::Pre-Install-Pkgs hook in client/20debmonitor, for this client. */
static void
hook_line(char *cmd, size_t len)
{
	char path[1024], line[1024], client[4096], *p, *q, *at;
	FILE *f;

	snprintf(path, sizeof(path), "%s/client/20debmonitor", it_env("DM_TEST_SOURCE"));
	ck_assert_msg((f = fopen(path, "r")) != NULL, "cannot read %s", path);
	cmd[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "DPkg::Pre-Install-Pkgs", 22) == 0 &&
		    (p = strchr(line, '"')) != NULL && (q = strchr(p + 1, '"')) != NULL &&
		    (at = strstr(p, "/usr/bin/debmonitor")) != NULL && at < q) {
			it_client_command(client, sizeof(client), NULL, NULL, "");
			snprintf(cmd, len, "%.*s%s%.*s", (int)(at - p - 1), p + 1, client,
			         (int)(q - at - 19), at + 19);
		}
	fclose(f);
	ck_assert_msg(cmd[0] != '\0', "%s: no Pre-Install-Pkgs hook running /usr/bin/debmonitor",
	              path);
}

/* -n, -g (the hook's input on stdin), -u and dpkg's own hook line, all at once. */
START_TEST(test_apt_never_answers)
{
	static const struct {
		const char *what, *args, *input, *text;
		int status;
	} runs[] = {
	    {"-n", "-n", NULL, KILLED("apt-get", BUDGET), 71},
	    {"-g", "-g", HOOK_ONE, KILLED("apt-cache", BUDGET), 71},
	    {"-u", "-u", NULL, KILLED("apt-get", BUDGET), 71},
	};
	struct hang h[4];
	char cmd[8192], client[4096], why[4096] = "";
	size_t i;

	for (i = 0; i < 3; i++) {
		it_client_command(client, sizeof(client), NULL, NULL, runs[i].args);
		snprintf(cmd, sizeof(cmd), "exec %s", client);
		start(&h[i], cmd, runs[i].input, 1);
	}
	hook_line(cmd, sizeof(cmd));
	start(&h[3], cmd, HOOK_ONE, 1);
	for (i = 0; i < 4; i++)
		finish(&h[i]);
	for (i = 0; i < 3; i++)
		verdict(&h[i], runs[i].what, runs[i].status, runs[i].text, why, sizeof(why));
	verdict(&h[3], cmd, 0, KILLED("apt-cache", BUDGET), why, sizeof(why));
	ck_assert_msg(why[0] == '\0', "%s", why);
}
END_TEST

/* The lines of a file; 0 when there is none. */
static int
lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, n = 0;

	while (f != NULL && (c = fgetc(f)) != EOF)
		n += c == '\n';
	if (f != NULL)
		fclose(f);
	return n;
}

/* The client killed while APT runs (in its own minute) takes what it started with it. */
START_TEST(test_apt_client_killed)
{
	char cmd[8192], client[4096], path[128], why[4096] = "";
	struct hang h;
	int i;

	it_client_command(client, sizeof(client), NULL, NULL, "-n");
	snprintf(cmd, sizeof(cmd), "exec %s", client);
	start(&h, cmd, NULL, 0);
	snprintf(path, sizeof(path), "%s/pids", h.dir);
	/* Both pids of the stand-in noted: it runs, its child too. */
	for (i = 0; i < 500 && lines(path) < 2; i++)
		usleep(20000);
	kill(h.pid, SIGTERM);
	finish(&h);
	verdict(&h, "-n, then SIGTERM", 128 + SIGTERM, NULL, why, sizeof(why));
	ck_assert_msg(why[0] == '\0', "%s", why);
}
END_TEST

Suite *
make_it_client_apt_suite(void)
{
	Suite *s = suite_create("integration: client and a hanging APT");
	TCase *tc = tcase_create("apt");

	tcase_set_timeout(tc, 2 * (BUDGET + MARGIN) + 10);
	tcase_add_test(tc, test_apt_never_answers);
	tcase_add_test(tc, test_apt_client_killed);
	suite_add_tcase(s, tc);
	return s;
}
