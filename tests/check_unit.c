/* check_unit.c: runs every lib/ unit suite; the exit status says whether all passed. */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(make_buf_suite());
	srunner_add_suite(sr, make_parse_suite());
	srunner_add_suite(sr, make_request_suite());
	srunner_add_suite(sr, make_response_suite());
	srunner_add_suite(sr, make_escape_suite());
	srunner_add_suite(sr, make_config_suite());
	srunner_add_suite(sr, make_distro_suite());
	srunner_add_suite(sr, make_db_suite());
	srunner_add_suite(sr, make_sql_suite());
	srunner_add_suite(sr, make_entry_suite());
	srunner_add_suite(sr, make_page_suite());
	srunner_add_suite(sr, make_extlink_suite());
	srunner_add_suite(sr, make_payload_suite());
	srunner_add_suite(sr, make_plan_suite());
	srunner_add_suite(sr, make_version_suite());
	srunner_add_suite(sr, make_tracker_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
