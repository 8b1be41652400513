/* idmap.c: sorted arrays searched by bisection: cheap to build from one query's rows. */
#include "db/idmap.h"

#include <stdlib.h>
#include <string.h>

static int
entry_cmp(const void *x, const void *y)
{
	const struct dm_idmap_entry *p = x, *q = y;
	int c = strcmp(p->a, q->a);

	if (c != 0 || (p->b == NULL && q->b == NULL))
		return c;
	if (p->b == NULL || q->b == NULL)
		return p->b == NULL ? -1 : 1;
	return strcmp(p->b, q->b);
}

int
dm_idmap_add(struct dm_idmap *m, const char *a, const char *b, unsigned long long id)
{
	struct dm_idmap_entry *v;
	size_t cap;

	if (m->n == m->cap) {
		cap = m->cap ? m->cap * 2 : 64;
		if ((v = realloc(m->v, cap * sizeof(*v))) == NULL)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (struct dm_idmap_entry){a, b, id};
	m->sorted = 0;
	return 0;
}

unsigned long long
dm_idmap_get(struct dm_idmap *m, const char *a, const char *b)
{
	struct dm_idmap_entry key = {a, b, 0}, *hit;

	if (m->n == 0)
		return 0;
	if (!m->sorted) {
		qsort(m->v, m->n, sizeof(*m->v), entry_cmp);
		m->sorted = 1;
	}
	hit = bsearch(&key, m->v, m->n, sizeof(*m->v), entry_cmp);
	return hit ? hit->id : 0;
}

void
dm_idmap_free(struct dm_idmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
