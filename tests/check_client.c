/* check_client.c: runs the client's unit suites (client/ only, nothing of the server's). */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(make_ini_suite());
	srunner_add_suite(sr, make_hook_suite());
	srunner_add_suite(sr, make_hostname_suite());
	srunner_add_suite(sr, make_apt_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
