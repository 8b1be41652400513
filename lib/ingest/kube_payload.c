/* kube_payload.c: the body of POST /kubernetes/update, validated whole before any write. */
#include "ingest/kube_payload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "ingest/payload.h"

/* Most (image, namespace) rows one cluster may report. */
#define KUBE_ROWS_MAX 50000

static int
fail(char *err, size_t len, const char *image, const char *ns, const char *problem)
{
	if (ns != NULL)
		snprintf(err, len, "images[\"%s\"][\"%s\"]: %s", image, ns, problem);
	else
		snprintf(err, len, "images[\"%s\"]: %s", image, problem);
	return -1;
}

/* A container count: a JSON integer from 0 up, nothing else (no sign, fraction or exponent). */
static int
count(const struct dm_jnode *v, unsigned long long *out)
{
	char num[24];
	long long n;

	if (v->type != DM_JNUMBER || v->len >= sizeof(num))
		return -1;
	memcpy(num, v->s, v->len);
	num[v->len] = '\0';
	if (dm_parse_ll(num, 0, 1LL << 31, &n) == -1)
		return -1;
	*out = (unsigned long long)n;
	return 0;
}

static int
namespaces(struct dm_kube_payload *k, size_t obj, const char *image, char *err, size_t len)
{
	const struct dm_json *j = &k->json;
	const char *problem;
	size_t i, at = obj + 1;

	if (j->v[obj].type != DM_JOBJECT)
		return fail(err, len, image, NULL, "must be an object of namespace: containers");
	for (i = 0; i < j->v[obj].len; i++, at = j->v[at + 1].next) {
		if ((problem = dm_field_problem(&j->v[at])) != NULL)
			return fail(err, len, image, j->v[at].s, problem);
		k->rows[k->n] = (struct dm_krow){image, j->v[at].s, 0, 0};
		if (count(&j->v[at + 1], &k->rows[k->n].containers) == -1)
			return fail(err, len, image, j->v[at].s, "must be a non-negative integer");
		k->n++;
	}
	return 0;
}

static int
images(struct dm_kube_payload *k, size_t obj, char *err, size_t len)
{
	const struct dm_json *j = &k->json;
	char why[64];
	size_t i, at, rows = 0;

	if (obj == DM_JNONE || j->v[obj].type == DM_JNULL)
		return 0;
	if (j->v[obj].type != DM_JOBJECT)
		return snprintf(err, len, "images: must be an object"), -1;
	/* Each image's value is counted before it is checked: room for all if all are maps. */
	for (i = 0, at = obj + 1; i < j->v[obj].len; i++, at = j->v[at + 1].next)
		rows += j->v[at + 1].type == DM_JOBJECT ? j->v[at + 1].len : 0;
	if (rows > KUBE_ROWS_MAX)
		return snprintf(err, len, "images: more than %d rows", KUBE_ROWS_MAX), -1;
	if ((k->rows = calloc(rows + 1, sizeof(*k->rows))) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	at = obj + 1;
	for (i = 0; i < j->v[obj].len; i++, at = j->v[at + 1].next) {
		if (dm_name_valid(j->v[at].s, 1, why, sizeof(why)) == -1)
			return fail(err, len, j->v[at].s, NULL, why + 6); /* after "name: " */
		if (namespaces(k, at + 1, j->v[at].s, err, len) == -1)
			return -1;
	}
	return 0;
}

int
dm_kube_parse(struct dm_kube_payload *k, const char *body, size_t blen, char *err, size_t len)
{
	const char *problem;
	char jerr[256];
	size_t c;
	int utf8;

	if (blen == 0)
		return snprintf(err, len, "empty body"), -1;
	if (dm_json_parse(&k->json, body, blen, &utf8, jerr, sizeof(jerr)) == -1)
		return snprintf(err, len, "%s: %s", utf8 ? "not valid UTF-8" : "not JSON", jerr),
		       -1;
	if (k->json.v[0].type != DM_JOBJECT)
		return snprintf(err, len, "payload: must be a JSON object"), -1;
	c = dm_json_get(&k->json, 0, "cluster");
	if ((problem = dm_field_problem(c == DM_JNONE ? NULL : &k->json.v[c])) != NULL)
		return snprintf(err, len, "cluster: %s", problem), -1;
	k->cluster = k->json.v[c].s;
	return images(k, dm_json_get(&k->json, 0, "images"), err, len);
}

void
dm_kube_free(struct dm_kube_payload *k)
{
	free(k->rows);
	dm_json_free(&k->json);
	k->rows = NULL;
	k->n = 0;
}
