/* suites.h: the Check suites of the unit test runners (tests/check_<module>.c). */
#ifndef DM_TEST_SUITES_H
#define DM_TEST_SUITES_H

#include <check.h>

Suite *make_buf_suite(void);
Suite *make_parse_suite(void);
Suite *make_request_suite(void);
Suite *make_response_suite(void);
Suite *make_escape_suite(void);
Suite *make_config_suite(void);
Suite *make_distro_suite(void);
Suite *make_db_suite(void);
Suite *make_entry_suite(void);
Suite *make_page_suite(void);
Suite *make_extlink_suite(void);
Suite *make_payload_suite(void);
Suite *make_plan_suite(void);
Suite *make_version_suite(void);
Suite *make_tracker_suite(void);
/* The client's, run by tests/check_client. */
Suite *make_ini_suite(void);
Suite *make_hook_suite(void);
Suite *make_hostname_suite(void);
Suite *make_sql_suite(void);
Suite *make_apt_suite(void);

#endif
