/* fuzz_kube.c: the Kubernetes payload validator (lib/ingest/kube_payload.c) on any bytes. */
#include "fuzz.h"
#include "ingest/kube_payload.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dm_kube_payload k;
	char err[512];
	size_t i;

	memset(&k, 0, sizeof(k));
	if (dm_kube_parse(&k, (const char *)data, size, err, sizeof(err)) == 0) {
		/* Every row accepted names an image and a namespace. */
		for (i = 0; i < k.n; i++)
			if (k.rows[i].image == NULL || k.rows[i].ns == NULL)
				abort();
	} else if (err[0] == '\0') {
		abort();
	}
	dm_kube_free(&k);
	return 0;
}
