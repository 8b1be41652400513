/* data_cases.c: the unit suites' data-driven cases, tests/data/<area>/{valid,invalid}/. */
#include "data_cases.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
tc_data_dir(void)
{
	const char *dir = getenv("DM_TEST_DATA");

#ifdef DM_TEST_DATA_DIR
	if (dir == NULL || dir[0] == '\0')
		dir = DM_TEST_DATA_DIR;
#endif
	ck_assert_msg(dir != NULL && dir[0] != '\0',
	              "DM_TEST_DATA is not set: point it at the source tree's tests/data");
	return dir;
}

/* Runs the cases of one directory; returns how many there were. */
static int
run_cases(const char *dir, const char *ext, const char *side_ext, tc_case_fn *check,
          struct dm_buf *failures)
{
	char input[2048], side[2048];
	size_t n, len = strlen(ext);
	struct dirent *e;
	DIR *d = opendir(dir);
	int cases = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n <= len || strcmp(e->d_name + n - len, ext) != 0)
			continue;
		snprintf(input, sizeof(input), "%s/%s", dir, e->d_name);
		snprintf(side, sizeof(side), "%s/%.*s.%s", dir, (int)(n - len), e->d_name,
		         side_ext);
		check(input, side, failures);
		cases++;
	}
	closedir(d);
	return cases;
}

void
tc_assert_cases(const char *area, const char *kind, const char *ext, const char *side_ext,
                tc_case_fn *check)
{
	struct dm_buf failures;
	char dir[1024];
	int cases;

	snprintf(dir, sizeof(dir), "%s/%s/%s", tc_data_dir(), area, kind);
	dm_buf_init(&failures, 1024 * 1024);
	cases = run_cases(dir, ext, side_ext, check, &failures);
	ck_assert_msg(cases > 0, "no %s %s cases found under DM_TEST_DATA", kind, area);
	if (failures.len > 0)
		failures.data[failures.len - 1] = '\0'; /* the last line's newline */
	ck_assert_msg(failures.len == 0, "%s", failures.data);
	dm_buf_free(&failures);
}
