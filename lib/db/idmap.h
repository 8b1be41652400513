/* idmap.h: a sorted map from one or two strings (name, version) to a database id. */
#ifndef DM_IDMAP_H
#define DM_IDMAP_H

#include <stddef.h>

struct dm_idmap_entry {
	const char *a;
	const char *b; /* NULL in one-key maps */
	unsigned long long id;
};

struct dm_idmap {
	struct dm_idmap_entry *v;
	size_t n;
	size_t cap;
	int sorted;
};

/* Keys are borrowed: they must outlive the map. Returns 0, or -1 when out of memory. */
int dm_idmap_add(struct dm_idmap *m, const char *a, const char *b, unsigned long long id);
/* The id of (a, b), 0 when absent (ids start at 1). Sorts the map on first use after adds. */
unsigned long long dm_idmap_get(struct dm_idmap *m, const char *a, const char *b);
void dm_idmap_free(struct dm_idmap *m);

#endif
