/*
 * check_apt.c: apt_run, the client's way of running dpkg, apt-get and apt-cache: their
 * output and exit status, and a budget that a silent command, one that closed its output,
 * or what it left behind cannot outlast.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../client/apt.h"
#include "suites.h"

static char out_err[512];
static char *out;

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* apt_run of sh -c script within seconds; the time it took in *took. */
static enum apt_result
run_sh(const char *script, int seconds, int allow_fail, double *took)
{
	char *const argv[] = {"sh", "-c", (char *)script, NULL};
	struct apt_budget b;
	enum apt_result rc;
	double t = now();

	free(out);
	apt_budget_start(&b, seconds);
	rc = apt_run(argv, &b, allow_fail, &out, out_err, sizeof(out_err));
	if (took != NULL)
		*took = now() - t;
	return rc;
}

/* A process that is neither gone nor a zombie (which holds nothing open). */
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

/*
 * Whether the process whose pid a script wrote to path is gone; killed anyway, so that a
 * failing test leaves nothing behind.
 */
static int
gone(const char *path)
{
	long pid = 0;
	FILE *f = fopen(path, "r");
	int was_alive, i;

	ck_assert_msg(f != NULL, "%s: not written", path);
	ck_assert_int_eq(fscanf(f, "%ld", &pid), 1);
	fclose(f);
	unlink(path);
	/* A SIGKILL takes effect a moment after kill(2) returns. */
	for (i = 0; i < 50 && (was_alive = alive(pid)); i++)
		usleep(20000);
	kill((pid_t)pid, SIGKILL);
	return !was_alive;
}

static void
pid_file(char *path, size_t len)
{
	snprintf(path, len, "/tmp/dm-check-apt-%ld", (long)getpid());
}

START_TEST(test_apt_run_output)
{
	ck_assert_int_eq(run_sh("echo hello", 5, 0, NULL), APT_OK);
	ck_assert_str_eq(out, "hello\n");
	ck_assert_int_eq(run_sh("exit 3", 5, 0, NULL), APT_FAILED);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(out_err, "sh failed (exit 3)");
	/* apt-cache show: some versions unknown (exit 100), the others printed. */
	ck_assert_int_eq(run_sh("echo some; exit 100", 5, 1, NULL), APT_OK);
	ck_assert_str_eq(out, "some\n");
	ck_assert_int_eq(run_sh("exit 100", 5, 1, NULL), APT_FAILED);
	ck_assert_int_eq(run_sh("kill -9 $$", 5, 0, NULL), APT_FAILED);
	ck_assert_str_eq(out_err, "sh was killed by signal 9");
	free(out);
	out = NULL;
}
END_TEST

START_TEST(test_apt_run_not_found)
{
	char *const argv[] = {"dm-no-such-command", NULL};
	struct apt_budget b;

	apt_budget_start(&b, 5);
	ck_assert_int_eq(apt_run(argv, &b, 0, &out, out_err, sizeof(out_err)), APT_FAILED);
	ck_assert_str_eq(out_err, "dm-no-such-command: No such file or directory");
}
END_TEST

/* Silent, with a child (as a shell script is): both killed when the budget runs out. */
START_TEST(test_apt_run_silent)
{
	char script[256], path[64];
	double took;

	pid_file(path, sizeof(path));
	snprintf(script, sizeof(script), "sleep 60 & echo $! >%s; wait", path);
	ck_assert_int_eq(run_sh(script, 1, 0, &took), APT_TIMED_OUT);
	ck_assert_msg(took >= 0.9 && took < 2, "took %.2f s", took);
	ck_assert_str_eq(out_err, "sh killed: the 1 s the client gives dpkg and APT ran out");
	ck_assert_ptr_null(out);
	ck_assert_msg(gone(path), "what the command started outlived it");
}
END_TEST

/* Output closed, still running: killed at the end of the budget, not waited for forever. */
START_TEST(test_apt_run_closed_output)
{
	double took;

	ck_assert_int_eq(run_sh("echo partial; exec >&-; sleep 60", 1, 0, &took), APT_TIMED_OUT);
	ck_assert_msg(took >= 0.9 && took < 2, "took %.2f s", took);
}
END_TEST

/* A child left behind holding the output: the budget ends it; one that does not: the exit. */
START_TEST(test_apt_run_left_behind)
{
	char script[256], path[64];
	double took;

	pid_file(path, sizeof(path));
	snprintf(script, sizeof(script), "sleep 60 & echo $! >%s; echo done", path);
	ck_assert_int_eq(run_sh(script, 1, 0, &took), APT_TIMED_OUT);
	ck_assert_msg(took >= 0.9 && took < 2, "took %.2f s", took);
	ck_assert_msg(gone(path), "what the command started outlived it");
	snprintf(script, sizeof(script), "sleep 60 >/dev/null & echo $! >%s; echo done", path);
	ck_assert_int_eq(run_sh(script, 5, 0, &took), APT_OK);
	ck_assert_str_eq(out, "done\n");
	ck_assert_msg(took < 1, "took %.2f s", took);
	ck_assert_msg(gone(path), "what the command started outlived it");
	free(out);
	out = NULL;
}
END_TEST

/* One budget for all the commands of a run: once spent, the next does not start. */
START_TEST(test_apt_run_budget_shared)
{
	char *const argv[] = {"sh", "-c", "sleep 60", NULL};
	char *const echo[] = {"sh", "-c", "echo late", NULL};
	struct apt_budget b;
	double t = now();

	apt_budget_start(&b, 1);
	ck_assert_int_eq(apt_run(argv, &b, 0, &out, out_err, sizeof(out_err)), APT_TIMED_OUT);
	ck_assert_int_eq(apt_run(echo, &b, 0, &out, out_err, sizeof(out_err)), APT_TIMED_OUT);
	ck_assert_str_eq(out_err, "sh not run: the 1 s the client gives dpkg and APT ran out");
	ck_assert_msg(now() - t < 2, "took %.2f s", now() - t);
}
END_TEST

/* The client ended by a signal while a command runs: the command's group goes first. */
START_TEST(test_apt_run_signal)
{
	char script[256], path[64];
	int status, i;
	pid_t pid;

	pid_file(path, sizeof(path));
	unlink(path);
	snprintf(script, sizeof(script), "sleep 60 & echo $! >%s.tmp; mv %s.tmp %s; wait", path,
	         path, path);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		run_sh(script, 30, 0, NULL);
		_exit(0);
	}
	for (i = 0; i < 250 && access(path, F_OK) != 0; i++)
		usleep(20000);
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status %#x", status);
	ck_assert_msg(gone(path), "what the command started outlived it");
}
END_TEST

Suite *
make_apt_suite(void)
{
	Suite *s = suite_create("apt");
	TCase *tc = tcase_create("apt_run");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_apt_run_output);
	tcase_add_test(tc, test_apt_run_not_found);
	tcase_add_test(tc, test_apt_run_silent);
	tcase_add_test(tc, test_apt_run_closed_output);
	tcase_add_test(tc, test_apt_run_left_behind);
	tcase_add_test(tc, test_apt_run_budget_shared);
	tcase_add_test(tc, test_apt_run_signal);
	suite_add_tcase(s, tc);
	return s;
}
