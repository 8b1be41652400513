/* data_cases.h: the unit suites' data-driven cases, tests/data/<area>/{valid,invalid}/. */
#ifndef DM_TEST_DATA_CASES_H
#define DM_TEST_DATA_CASES_H

#include "core/buf.h"

/* The data directory: DM_TEST_DATA (set by make check), else a compiled-in default. */
const char *tc_data_dir(void);

/*
 * Checks one case: input is its file, side the file beside it that says what to expect.
 * A failure is a line appended to failures.
 */
typedef void tc_case_fn(const char *input, const char *side, struct dm_buf *failures);

/*
 * Runs check on every <case>EXT under <data>/<area>/<kind>, side being <case>.SIDE_EXT;
 * fails the test with every failure, or when there is no case.
 */
void tc_assert_cases(const char *area, const char *kind, const char *ext, const char *side_ext,
                     tc_case_fn *check);

#endif
