/* count.h: how many hosts and images each security issue affects, counted for /cves/. */
#ifndef DM_COUNT_H
#define DM_COUNT_H

#include <mysql.h>
#include <stddef.h>

#include "core/config.h"

/* What one count found. */
struct dm_cve_counted {
	size_t issues; /* issues affecting at least one host or image */
	size_t pairs;  /* (source version, release) pairs that affect */
	size_t rows;   /* package rows read */
	size_t hosts;  /* hosts with at least one issue */
	size_t images; /* images with at least one issue */
};

/*
 * Recounts cve_count from the data as it is now: for each issue, the hosts and images one
 * of whose installed versions (or, for a host, the running kernel) it affects, in any way
 * and with a fix available, the ways (cve_count.states) and the most severe urgency of the
 * affecting releases. Every package row of the fleet is read once, in host order, and each
 * version's issues are decided once (a fleet has far fewer versions than rows). The new
 * counts replace the old in one transaction, with cve_state.counted: the time the count
 * began. Returns 0 (what it
 * found in *out), or -1 with a message in err.
 */
int dm_cve_count(MYSQL *db, const struct dm_config *cfg, struct dm_cve_counted *out, char *err,
                 size_t errlen);

/*
 * Whether a count is due: never counted, or a host or image reported since the last count
 * began. 1 or 0, or -1 with a message in err.
 */
int dm_cve_count_due(MYSQL *db, char *err, size_t errlen);

#endif
