/* fuzz_tracker.c: the security tracker's JSON reader (lib/cve/tracker.c). */
#include "core/distro.h"
#include "cve/tracker.h"
#include "fuzz.h"

/* The releases kept; any other codename is skipped. */
static const char table[] = "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
                            "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30\n"
                            "13,Trixie,trixie,2023-06-10,2025-08-09,2028-08-09,2030-06-30\n"
                            ",Sid,sid,1993-08-16\n";

/* An accepted file keeps the promises of tracker.h: order, uniqueness, what each holds. */
static void
check(const struct dm_tracker *t)
{
	const struct dm_cve_entry *e, *p;
	size_t i;

	for (i = 0; i < t->n_issues; i++) {
		if (i > 0 && strcmp(t->issues[i - 1].name, t->issues[i].name) >= 0)
			abort();
		if (t->issues[i].description == NULL || t->issues[i].debianbug < -1 ||
		    dm_tracker_issue(t, t->issues[i].name) != &t->issues[i])
			abort();
	}
	for (i = 0; i < t->n_entries; i++) {
		e = &t->entries[i];
		p = i > 0 ? &t->entries[i - 1] : NULL;
		if (e->issue >= t->n_issues || e->status >= DM_CVE_STATUS__MAX ||
		    e->urgency == NULL)
			abort();
		if ((e->status == DM_CVE_RESOLVED) != (e->fixed_version != NULL))
			abort();
		if (strcmp(e->codename, "bookworm") != 0 && strcmp(e->codename, "trixie") != 0 &&
		    strcmp(e->codename, "sid") != 0)
			abort();
		if (p != NULL && p->issue == e->issue && strcmp(p->source, e->source) == 0 &&
		    strcmp(p->codename, e->codename) >= 0)
			abort();
		if (p != NULL && p->issue > e->issue)
			abort();
	}
	if ((t->skipped == 0) != (t->skipped_names[0] == '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dm_distro d;
	static int have_table;
	struct dm_tracker t;
	char err[512] = "";

	if (!have_table) {
		if (dm_distro_parse(&d, table, sizeof(table) - 1, "fuzz.csv", err, sizeof(err)) ==
		    -1)
			abort();
		have_table = 1;
	}
	if (dm_tracker_parse(&t, (const char *)data, size, &d, err, sizeof(err)) == 0) {
		check(&t);
		dm_tracker_free(&t);
	} else if (err[0] == '\0' || t.issues != NULL || t.entries != NULL || t.blocks != NULL) {
		abort(); /* a refusal says why and holds nothing */
	}
	return 0;
}
