/* fuzz_distro.c: Debian's release table reader and the OS-name rules (lib/core/distro.c). */
#include "core/distro.h"
#include "fuzz.h"

/* The table each input is also looked up in, as a host's OS name. */
static const char table[] = "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
                            "6.0,Squeeze,squeeze,2009-02-14,2011-02-06,2014-05-31,2016-02-29\n"
                            "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30,"
                            "2033-06-30\n"
                            "13,Trixie,trixie,2023-06-10,2025-08-09,2028-08-09,2030-06-30,"
                            "2035-06-30\n"
                            "14,Forky,forky,2025-08-09\n"
                            ",Sid,sid,1993-08-16\n";

/* The names hosts send, looked up in each table the input makes. */
static const char *const names[] = {
    "Debian 12",
    "Debian 12.5",
    "Debian GNU/Linux 12 (bookworm)",
    "Debian trixie/sid",
    "Debian testing",
    "Debian unstable",
    "Debian",
    "Ubuntu 24.04",
};

static const int days[] = {0, 19930816, 20260301, 99991231};

/* A lookup's answer must agree with itself: a release of d exactly when it says so. */
static void
lookup(const struct dm_distro *d, const char *os, int day)
{
	const struct dm_release *r;
	enum dm_os_match m = dm_distro_lookup(d, os, day, &r);

	if ((m == DM_OS_RELEASE) != (r != NULL))
		abort();
	if (r != NULL && (r < d->rel || r >= d->rel + d->n))
		abort();
	if (r != NULL && dm_distro_support(r, day) >= DM_SUPPORT__MAX)
		abort();
}

static void
use_table(const struct dm_distro *d, const char *text)
{
	size_t i, k;

	for (k = 0; k < sizeof(days) / sizeof(days[0]); k++) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			lookup(d, names[i], days[k]);
		lookup(d, text, days[k]);
		for (i = 0; i < d->n; i++)
			(void)dm_distro_past_eol(&d->rel[i], days[k]);
		(void)dm_distro_testing(d, days[k]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dm_distro fixed;
	static int have_fixed;
	char *text = fuzz_text(data, size), err[512];
	struct dm_distro d;

	if (!have_fixed) {
		if (dm_distro_parse(&fixed, table, sizeof(table) - 1, "fixed.csv", err,
		                    sizeof(err)) == -1)
			abort();
		have_fixed = 1;
	}
	if (dm_distro_parse(&d, text, size, "fuzz.csv", err, sizeof(err)) == 0) {
		if (d.n == 0)
			abort(); /* a table has releases */
		use_table(&d, text);
		dm_distro_free(&d);
	} else if (err[0] == '\0' || d.rel != NULL) {
		abort(); /* a refusal says why and holds nothing */
	}
	use_table(&fixed, text);
	free(text);
	return 0;
}
