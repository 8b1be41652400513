/* check_plan.c: an update's meaning worked out in memory (lib/ingest/plan.c), no database. */
#include <stdlib.h>
#include <string.h>

#include "ingest/plan.h"
#include "suites.h"

/*
 * The rows a host has before each test: bash with a security upgrade, curl, vim. Sources
 * are read only when the OS changes, and here only bash's and vim's are.
 */
static const struct dm_row host_rows[] = {
    {.name = "bash",
     .version = "5.2.15-2",
     .up_version = "5.2.15-2+deb12u1",
     .source = "bash",
     .source_version = "5.2.15-2",
     .up_source = "bash",
     .up_source_version = "5.2.15-2+deb12u1",
     .package_id = 10,
     .pv_id = 100,
     .upv_id = 101,
     .security = 1},
    {.name = "curl", .version = "7.88.1-10", .package_id = 20, .pv_id = 200},
    {.name = "vim",
     .version = "9.0.1378-2",
     .source = "vim",
     .source_version = "9.0.1378-1",
     .package_id = 30,
     .pv_id = 300},
};
#define N_HOST_ROWS (sizeof(host_rows) / sizeof(host_rows[0]))

/* What the tests hand to the plan, as ingest.c does: rows read, names, build, apply, mark. */
static void
plan_for(struct dm_plan *pl, const struct dm_payload *p, int moved)
{
	const char **names;
	size_t n = 0;

	memset(pl, 0, sizeof(*pl));
	ck_assert_int_eq(dm_plan_reserve(pl, N_HOST_ROWS), 0);
	memcpy(pl->rows, host_rows, sizeof(host_rows));
	pl->n_rows = N_HOST_ROWS;
	pl->moved = moved;
	ck_assert_ptr_nonnull(names = dm_plan_names(p, &n));
	ck_assert_int_eq(dm_plan_build(pl, names, n), 0);
	free(names);
	ck_assert_int_eq(dm_plan_apply(pl, p), 0);
	dm_plan_mark(pl);
}

static const struct dm_slot *
slot(const struct dm_plan *pl, const char *name)
{
	size_t i;

	for (i = 0; i < pl->n_slots; i++)
		if (strcmp(pl->slots[i].name, name) == 0)
			return &pl->slots[i];
	ck_abort_msg("no slot for %s", name);
	return NULL;
}

static struct dm_pkg installed_full[] = {
    {"bash", "5.2.15-2", "bash", NULL},
    {"curl", "7.88.1-10+deb12u5", "curl", NULL},
    {"zsh", "5.9-4", "zsh", NULL},
};
static struct dm_upg upgradable_full[] = {
    {"zsh", "5.9-4", "5.9-4+b1", "zsh", 0},
};

/* full: the installed list is the whole set, and only the listed upgrades remain. */
START_TEST(test_plan_full)
{
	struct dm_payload p = {.type = DM_UPDATE_FULL, .os = "Debian 12"};
	struct dm_plan pl;
	const struct dm_slot *s;

	p.installed = installed_full, p.n_installed = 3;
	p.upgradable = upgradable_full, p.n_upgradable = 1;
	plan_for(&pl, &p, 0);
	ck_assert_uint_eq(pl.n_slots, 4);
	s = slot(&pl, "bash"); /* same version, upgrade not reported again: cleared */
	ck_assert(s->present && s->up_version == NULL && s->security == 0);
	ck_assert_int_eq(s->change, DM_CHANGE_UPSERT);
	ck_assert_uint_eq(s->pv_id, 100);
	s = slot(&pl, "curl"); /* new version: a new version id to look up */
	ck_assert_str_eq(s->version, "7.88.1-10+deb12u5");
	ck_assert_int_eq(s->change, DM_CHANGE_UPSERT);
	ck_assert_uint_eq(s->pv_id, 0);
	ck_assert_uint_eq(s->package_id, 20);
	s = slot(&pl, "vim"); /* not in the report: gone */
	ck_assert(!s->present);
	ck_assert_int_eq(s->change, DM_CHANGE_DELETE);
	s = slot(&pl, "zsh"); /* new, with an upgrade */
	ck_assert(s->present && s->cur == NULL);
	ck_assert_str_eq(s->up_version, "5.9-4+b1");
	ck_assert_int_eq(s->change, DM_CHANGE_UPSERT);
	dm_plan_free(&pl);
}
END_TEST

/* dpkg_hook: a changed version clears the upgrade; an unchanged one keeps row and ids. */
START_TEST(test_plan_dpkg_hook)
{
	static struct dm_pkg installed[] = {
	    {"bash", "5.2.15-2+deb12u1", "bash", NULL},
	    {"curl", "7.88.1-10", "curl", NULL},
	};
	struct dm_payload p = {.type = DM_UPDATE_DPKG_HOOK, .os = "Debian 12"};
	struct dm_plan pl;
	const struct dm_slot *s;

	p.installed = installed, p.n_installed = 2;
	plan_for(&pl, &p, 0);
	s = slot(&pl, "bash");
	ck_assert_str_eq(s->version, "5.2.15-2+deb12u1");
	ck_assert_ptr_null(s->up_version);
	ck_assert_int_eq(s->change, DM_CHANGE_UPSERT);
	s = slot(&pl, "curl");
	ck_assert_int_eq(s->change, DM_CHANGE_NONE);
	ck_assert_uint_eq(s->pv_id, 200);
	s = slot(&pl, "vim"); /* not mentioned: untouched */
	ck_assert(s->present);
	ck_assert_int_eq(s->change, DM_CHANGE_NONE);
	dm_plan_free(&pl);
}
END_TEST

/* upgradable: only upgrade information; an unknown package comes in at version_from. */
START_TEST(test_plan_upgradable)
{
	static struct dm_pkg installed[] = {{"curl", "9.9", "curl", NULL}};
	static struct dm_upg upgradable[] = {
	    {"bash", "5.2.15-2", "5.2.15-2", "bash", 0},           /* to = installed: cleared */
	    {"vim", "9.0.1378-2", "9.0.1378-2+deb12u1", "vim", 1}, /* a security upgrade */
	    {"nano", "7.2-1", "7.2-1+deb12u1", "nano", 0},         /* not known yet */
	};
	struct dm_payload p = {.type = DM_UPDATE_UPGRADABLE, .os = "Debian 12"};
	struct dm_plan pl;
	const struct dm_slot *s;

	p.installed = installed, p.n_installed = 1;
	p.upgradable = upgradable, p.n_upgradable = 3;
	plan_for(&pl, &p, 0);
	s = slot(&pl, "curl"); /* installed entries are ignored by an upgradable update */
	ck_assert_str_eq(s->version, "7.88.1-10");
	ck_assert_int_eq(s->change, DM_CHANGE_NONE);
	s = slot(&pl, "bash");
	ck_assert_ptr_null(s->up_version);
	ck_assert_int_eq(s->change, DM_CHANGE_UPSERT);
	s = slot(&pl, "vim");
	ck_assert_str_eq(s->up_version, "9.0.1378-2+deb12u1");
	ck_assert_int_eq(s->security, 1);
	ck_assert_int_eq(s->change, DM_CHANGE_UPSERT);
	s = slot(&pl, "nano");
	ck_assert(s->present);
	ck_assert_str_eq(s->version, "7.2-1");
	ck_assert_str_eq(s->up_version, "7.2-1+deb12u1");
	dm_plan_free(&pl);
}
END_TEST

/* As upstream: "uninstalled" removes its packages whatever the update type. */
static const enum dm_update_type every_type[] = {DM_UPDATE_FULL, DM_UPDATE_UPGRADABLE,
                                                 DM_UPDATE_DPKG_HOOK};

START_TEST(test_plan_uninstalled_every_type)
{
	static struct dm_pkg installed[] = {
	    {"bash", "5.2.15-2", "bash", NULL},
	    {"curl", "7.88.1-10", "curl", NULL},
	    {"vim", "9.0.1378-2", "vim", NULL},
	};
	static struct dm_pkg uninstalled[] = {{"vim", "9.0.1378-2", "vim", NULL}};
	struct dm_payload p = {.type = every_type[_i], .os = "Debian 12"};
	struct dm_plan pl;
	const struct dm_slot *s;

	p.installed = installed, p.n_installed = 3;
	p.uninstalled = uninstalled, p.n_uninstalled = 1;
	plan_for(&pl, &p, 0);
	s = slot(&pl, "vim");
	ck_assert_msg(!s->present, "vim still installed after a %s update",
	              dm_update_type_name(p.type));
	ck_assert_int_eq(s->change, DM_CHANGE_DELETE);
	ck_assert(slot(&pl, "curl")->present);
	dm_plan_free(&pl);
}
END_TEST

/* Uninstalling what the host does not have changes nothing. */
START_TEST(test_plan_uninstalled_unknown)
{
	static struct dm_pkg uninstalled[] = {{"telnet", "0.17+2.4-2", "inetutils", NULL}};
	struct dm_payload p = {.type = DM_UPDATE_DPKG_HOOK, .os = "Debian 12"};
	struct dm_plan pl;
	size_t i;

	p.uninstalled = uninstalled, p.n_uninstalled = 1;
	plan_for(&pl, &p, 0);
	for (i = 0; i < pl.n_slots; i++)
		ck_assert_int_eq(pl.slots[i].change, DM_CHANGE_NONE);
	ck_assert(!slot(&pl, "telnet")->present);
	dm_plan_free(&pl);
}
END_TEST

/* A new OS: every row is written again with version ids of that OS. */
START_TEST(test_plan_moved)
{
	struct dm_payload p = {.type = DM_UPDATE_FULL, .os = "Debian 13"};
	struct dm_plan pl;
	size_t i;

	p.installed = installed_full, p.n_installed = 2;
	plan_for(&pl, &p, 1);
	for (i = 0; i < pl.n_slots; i++) {
		if (!pl.slots[i].present)
			continue;
		ck_assert_int_eq(pl.slots[i].change, DM_CHANGE_UPSERT);
		ck_assert_uint_eq(pl.slots[i].pv_id, 0);
	}
	dm_plan_free(&pl);
}
END_TEST

/*
 * The source version of each version that may need a new id: the payload's, else the
 * version without a binNMU suffix, for installed and upgradable entries alike.
 */
START_TEST(test_plan_source_versions)
{
	static struct dm_pkg installed[] = {
	    {"bash", "5.2.15-2+b1", "bash", NULL},
	    {"libldb2", "2:2.6.2+samba4.17.12+dfsg-0+deb12u1", "samba", "2:4.17.12+dfsg-0+deb12u1"},
	    {"curl", "7.88.1-10", "curl", "7.88.1-9"}, /* unchanged: the row keeps its ids */
	    {"zsh", "5.9-4", "zsh", NULL},
	};
	static struct dm_upg upgradable[] = {
	    {"vim", "9.0.1378-2", "9.0.1378-2+b2", "vim", 0},
	    {"nano", "7.2-1+b1", "7.2-1+b2", "nano", 0}, /* not known yet */
	};
	struct dm_payload p = {.type = DM_UPDATE_DPKG_HOOK, .os = "Debian 12"};
	struct dm_plan pl;
	const struct dm_slot *s;

	p.installed = installed, p.n_installed = 4;
	p.upgradable = upgradable, p.n_upgradable = 2;
	plan_for(&pl, &p, 0);
	ck_assert_str_eq(slot(&pl, "bash")->source_version, "5.2.15-2");
	ck_assert_int_eq(slot(&pl, "bash")->source_given, 0);
	ck_assert_str_eq(slot(&pl, "libldb2")->source_version, "2:4.17.12+dfsg-0+deb12u1");
	/* Only dpkg's own source version may correct an existing version's (resolve.c). */
	ck_assert_int_eq(slot(&pl, "libldb2")->source_given, 1);
	s = slot(&pl, "curl");
	ck_assert_ptr_null(s->source_version);
	ck_assert_int_eq(s->source_given, 0);
	ck_assert_uint_eq(s->pv_id, 200);
	s = slot(&pl, "zsh"); /* no suffix: the version itself */
	ck_assert_ptr_eq(s->source_version, s->version);
	ck_assert_int_eq(s->source_given, 0);
	s = slot(&pl, "vim");
	ck_assert_str_eq(s->up_version, "9.0.1378-2+b2");
	ck_assert_str_eq(s->up_source_version, "9.0.1378-2");
	s = slot(&pl, "nano");
	ck_assert_str_eq(s->source_version, "7.2-1");
	ck_assert_int_eq(s->source_given, 0);
	ck_assert_str_eq(s->up_source_version, "7.2-1");
	dm_plan_free(&pl);
}
END_TEST

/*
 * On a new OS every version needs an id again: a listed package takes the payload's
 * source version, one not listed keeps its row's, upgrade included.
 */
START_TEST(test_plan_moved_source_versions)
{
	static struct dm_pkg installed[] = {{"curl", "7.88.1-10", "curl", "7.88.1-9"}};
	struct dm_payload p = {.type = DM_UPDATE_DPKG_HOOK, .os = "Debian 13"};
	struct dm_plan pl;
	const struct dm_slot *s;

	p.installed = installed, p.n_installed = 1;
	plan_for(&pl, &p, 1);
	s = slot(&pl, "curl");
	ck_assert_str_eq(s->source, "curl");
	ck_assert_str_eq(s->source_version, "7.88.1-9");
	ck_assert_int_eq(s->source_given, 1);
	ck_assert_uint_eq(s->pv_id, 0);
	ck_assert_str_eq(slot(&pl, "vim")->source_version, "9.0.1378-1");
	ck_assert_int_eq(slot(&pl, "vim")->source_given, 0);
	s = slot(&pl, "bash");
	ck_assert_str_eq(s->source_version, "5.2.15-2");
	ck_assert_str_eq(s->up_source_version, "5.2.15-2+deb12u1");
	ck_assert_uint_eq(s->upv_id, 0);
	dm_plan_free(&pl);
}
END_TEST

/* The counts before and after, and the package deltas in package id order. */
START_TEST(test_plan_counts_deltas)
{
	struct dm_payload p = {.type = DM_UPDATE_FULL, .os = "Debian 12"};
	struct dm_counts before, after;
	struct dm_delta d[8];
	struct dm_plan pl;
	size_t n;

	p.installed = installed_full, p.n_installed = 3;
	p.upgradable = upgradable_full, p.n_upgradable = 1;
	plan_for(&pl, &p, 0);
	dm_plan_counts(&pl, &before, &after);
	ck_assert_uint_eq(before.packages, 3);
	ck_assert_uint_eq(before.upgrades, 1);
	ck_assert_uint_eq(before.security, 1);
	ck_assert_uint_eq(after.packages, 3);
	ck_assert_uint_eq(after.upgrades, 1);
	ck_assert_uint_eq(after.security, 0);
	/* zsh has no package id before resolution: give it one, as resolve.c would. */
	((struct dm_slot *)slot(&pl, "zsh"))->package_id = 5;
	n = dm_plan_deltas(&pl, d);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(d[0].package_id, 5); /* zsh: installed, with an upgrade */
	ck_assert(d[0].installed == 1 && d[0].upgrades == 1 && d[0].security == 0);
	ck_assert_uint_eq(d[1].package_id, 10); /* bash: its security upgrade gone */
	ck_assert(d[1].installed == 0 && d[1].upgrades == -1 && d[1].security == -1);
	ck_assert_uint_eq(d[2].package_id, 30); /* vim: removed */
	ck_assert(d[2].installed == -1 && d[2].upgrades == 0 && d[2].security == 0);
	dm_plan_free(&pl);
}
END_TEST

START_TEST(test_plan_names)
{
	static struct dm_pkg installed[] = {{"zsh", "1", "zsh", NULL}, {"bash", "1", "bash", NULL}};
	static struct dm_pkg uninstalled[] = {{"bash", "1", "bash", NULL}};
	static struct dm_upg upgradable[] = {{"curl", "1", "2", "curl", 0}};
	struct dm_payload p = {.type = DM_UPDATE_DPKG_HOOK, .os = "Debian 12"};
	const char **v;
	size_t n = 0;

	p.installed = installed, p.n_installed = 2;
	p.uninstalled = uninstalled, p.n_uninstalled = 1;
	p.upgradable = upgradable, p.n_upgradable = 1;
	ck_assert_ptr_nonnull(v = dm_plan_names(&p, &n));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0], "bash");
	ck_assert_str_eq(v[1], "curl");
	ck_assert_str_eq(v[2], "zsh");
	free(v);
}
END_TEST

/* The digest ignores the order of entries and sees every field of every list. */
START_TEST(test_plan_digest)
{
	static struct dm_pkg a[] = {{"bash", "1", "bash", NULL}, {"curl", "2", "curl", NULL}};
	static struct dm_pkg b[] = {{"curl", "2", "curl", NULL}, {"bash", "1", "bash", NULL}};
	static struct dm_pkg c[] = {{"curl", "2", "curl", NULL}, {"bash", "1", "bash2", NULL}};
	static struct dm_pkg gone[] = {{"vim", "3", "vim", NULL}};
	/*
	 * source_version is not in the digest: a report identical in the rest is skipped
	 * (debmonitor-api(7)), and upstream's reports keep their digests.
	 */
	static struct dm_pkg f[] = {{"bash", "1", "bash", "0.9"}, {"curl", "2", "curl", NULL}};
	struct dm_payload p = {.type = DM_UPDATE_FULL, .os = "Debian 12"};
	char da[33], db[33], dc[33], dd[33], de[33], df[33];

	p.installed = a, p.n_installed = 2;
	dm_plan_digest(&p, da);
	p.installed = b;
	dm_plan_digest(&p, db);
	p.installed = c;
	dm_plan_digest(&p, dc);
	p.installed = a, p.uninstalled = gone, p.n_uninstalled = 1;
	dm_plan_digest(&p, dd);
	p.uninstalled = NULL, p.n_uninstalled = 0, p.os = "Debian 13";
	dm_plan_digest(&p, de);
	p.installed = f, p.os = "Debian 12";
	dm_plan_digest(&p, df);
	ck_assert_uint_eq(strlen(da), 32);
	ck_assert_str_eq(da, db);
	ck_assert_str_ne(da, dc);
	ck_assert_str_ne(da, dd);
	ck_assert_str_ne(da, de);
	ck_assert_str_eq(da, df);
}
END_TEST

Suite *
make_plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, test_plan_full);
	tcase_add_test(tc, test_plan_dpkg_hook);
	tcase_add_test(tc, test_plan_upgradable);
	tcase_add_loop_test(tc, test_plan_uninstalled_every_type, 0,
	                    (int)(sizeof(every_type) / sizeof(every_type[0])));
	tcase_add_test(tc, test_plan_uninstalled_unknown);
	tcase_add_test(tc, test_plan_moved);
	tcase_add_test(tc, test_plan_source_versions);
	tcase_add_test(tc, test_plan_moved_source_versions);
	tcase_add_test(tc, test_plan_counts_deltas);
	tcase_add_test(tc, test_plan_names);
	tcase_add_test(tc, test_plan_digest);
	suite_add_tcase(s, tc);
	return s;
}
