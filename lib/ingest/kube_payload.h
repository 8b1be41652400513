/* kube_payload.h: the body of POST /kubernetes/update, validated whole before any write. */
#ifndef DM_KUBE_PAYLOAD_H
#define DM_KUBE_PAYLOAD_H

#include <stddef.h>

#include "core/jsonread.h"

/* One (image, namespace) of the cluster; strings borrowed from json. */
struct dm_krow {
	const char *image;
	const char *ns;
	unsigned long long containers;
	unsigned long long image_id; /* 0: the image is not known (filled in by the caller) */
};

struct dm_kube_payload {
	struct dm_json json;
	const char *cluster;
	struct dm_krow *rows; /* an image's namespaces are consecutive */
	size_t n;
};

/*
 * Parses and validates {"cluster": C, "images": {IMAGE: {NAMESPACE: CONTAINERS}}} into k
 * (zeroed by the caller): 0, or -1 with the reason, naming the field, in err. Either way
 * dm_kube_free releases k.
 */
int dm_kube_parse(struct dm_kube_payload *k, const char *body, size_t len, char *err,
                  size_t errlen);
void dm_kube_free(struct dm_kube_payload *k);

#endif
