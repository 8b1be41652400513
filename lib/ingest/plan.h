/* plan.h: what an update does to one host's or image's package rows, worked out in memory. */
#ifndef DM_PLAN_H
#define DM_PLAN_H

#include <stddef.h>

#include "ingest/payload.h"

/* A package row the host or image has before the update, as the database holds it. */
struct dm_row {
	const char *name;
	const char *version;
	const char *up_version; /* NULL: no upgrade */
	/* Only read when the OS changes: the sources and source versions of the two versions. */
	const char *source;
	const char *source_version;
	const char *up_source;
	const char *up_source_version;
	unsigned long long package_id;
	unsigned long long pv_id;
	unsigned long long upv_id; /* 0: no upgrade */
	int security;
};

enum dm_change { DM_CHANGE_NONE, DM_CHANGE_UPSERT, DM_CHANGE_DELETE };

/* What one package name of the update ends as, and the ids of its row. */
struct dm_slot {
	const char *name;
	const struct dm_row *cur; /* NULL: not installed before */
	int present;              /* installed after the update */
	const char *version;
	const char *source;
	/*
	 * The version of the source package that version was built from: the one the payload
	 * gives, else version without a binNMU suffix (dm_version_source_len). Only set where
	 * a new version id may be needed (a version new to the row, or a new OS).
	 */
	const char *source_version;
	/*
	 * source_version is the payload's (dpkg's own record), not made from version: it may
	 * correct the source version an existing version id links to (dm_ingest_resolve).
	 */
	int source_given;
	const char *up_version; /* NULL: no upgrade */
	const char *up_source;
	const char *up_source_version;
	int security;
	enum dm_change change;
	unsigned long long package_id; /* 0: to be looked up */
	unsigned long long pv_id;      /* 0: to be looked up (or created) */
	unsigned long long upv_id;
};

/* The counts a host or image row keeps for the lists. */
struct dm_counts {
	unsigned long long packages, upgrades, security;
};

/* What one update changes in one package's counts (package_stats). */
struct dm_delta {
	unsigned long long package_id;
	int installed, upgrades, security;
};

struct dm_plan {
	struct dm_row *rows; /* the rows read, appended by the caller (dm_plan_reserve) */
	size_t n_rows;
	struct dm_slot *slots; /* sorted by name */
	size_t n_slots;
	int moved;    /* the OS changes: no version id of a row can be kept */
	char **owned; /* source versions made by cutting a binNMU suffix off, freed with the plan */
	size_t n_owned, cap_owned;
};

/* Sorts names and drops repeats; returns how many remain. */
size_t dm_sort_unique(const char **v, size_t n);
/* Every package name the payload mentions, sorted and unique (free() it); NULL: no memory. */
const char **dm_plan_names(const struct dm_payload *p, size_t *n);
/* Room for n more rows at rows + n_rows: 0, or -1 when out of memory. */
int dm_plan_reserve(struct dm_plan *pl, size_t n);
/* One slot per name the rows or names mention, each as its row is now: 0, or -1 (memory). */
int dm_plan_build(struct dm_plan *pl, const char *const *names, size_t n);
/*
 * The update's meaning (debmonitor-api(7), "UPDATE PAYLOAD"), applied to the slots: a full
 * update starts from nothing, installed entries add or change, uninstalled entries then go
 * whatever the update type, upgradable entries set or clear the upgrade. Every name the
 * payload mentions must have a slot (dm_plan_names, dm_plan_build). 0, or -1 when out of
 * memory.
 */
int dm_plan_apply(struct dm_plan *pl, const struct dm_payload *p);
/* Marks which rows to upsert or delete, and keeps the ids of what stays the same. */
void dm_plan_mark(struct dm_plan *pl);
/* The counts before (the rows read) and after (the slots present). */
void dm_plan_counts(const struct dm_plan *pl, struct dm_counts *before, struct dm_counts *after);
/* The non-zero deltas of the package counts, in package id order, into v (n_slots long). */
size_t dm_plan_deltas(const struct dm_plan *pl, struct dm_delta *v);
/*
 * Frees the rows, the slots and the source versions the plan made (not the other strings,
 * which belong to the payload or the results).
 */
void dm_plan_free(struct dm_plan *pl);

/*
 * What a full report says, as 128 hex-encoded bits that do not depend on the order of its
 * entries: an identical report later can skip every row.
 */
void dm_plan_digest(const struct dm_payload *p, char out[33]);

#endif
