/* check_integration.c: runs the integration suites against the instance ./quickstart test starts.
 */
#include <stdlib.h>
#include <string.h>

#include "integration.h"

int
main(void)
{
	SRunner *sr;
	int failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	it_env("DM_HTTPS_URL");
	/* The login suite needs the pages behind LDAP, which every other suite must not have. */
	if (getenv("DM_LOGIN") != NULL && getenv("DM_LOGIN")[0] != '\0') {
		sr = srunner_create(make_it_login_suite());
		goto run;
	}
	/* The replica suite needs DM_TOPOLOGY=replica, where pages lag behind writes. */
	if (getenv("DM_TOPOLOGY") != NULL && strcmp(getenv("DM_TOPOLOGY"), "replica") == 0) {
		sr = srunner_create(make_it_replica_suite());
		goto run;
	}
	/*
	 * On DM_TOPOLOGY=galera: the cluster's own suite (the ingest through both front ends),
	 * then gc's and the import's.
	 */
	if (getenv("DM_TOPOLOGY") != NULL && strcmp(getenv("DM_TOPOLOGY"), "galera") == 0) {
		sr = srunner_create(make_it_galera_suite());
		srunner_add_suite(sr, make_it_gc_suite());
		srunner_add_suite(sr, make_it_cve_suite());
		goto run;
	}
	sr = srunner_create(make_it_auth_suite());
	srunner_add_suite(sr, make_it_errors_suite());
	srunner_add_suite(sr, make_it_hosts_suite());
	srunner_add_suite(sr, make_it_images_suite());
	srunner_add_suite(sr, make_it_pages_suite());
	srunner_add_suite(sr, make_it_vulns_suite());
	srunner_add_suite(sr, make_it_lists_suite());
	srunner_add_suite(sr, make_it_lists_more_suite());
	srunner_add_suite(sr, make_it_lists_packages_suite());
	srunner_add_suite(sr, make_it_client_suite());
	srunner_add_suite(sr, make_it_client_apt_suite());
	srunner_add_suite(sr, make_it_gc_suite());
	srunner_add_suite(sr, make_it_cve_suite());
	srunner_add_suite(sr, make_it_metrics_suite());
	srunner_add_suite(sr, make_it_migrate_suite());
	/* Last: it stops and kills the database. */
	srunner_add_suite(sr, make_it_faults_suite());
run:
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
