/* fuzz_payload.c: the payload validator (lib/ingest/payload.c, core/jsonread.c) on any bytes. */
#include <stdio.h>

#include "fuzz.h"
#include "ingest/payload.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[DM_SUBJECT__MAX] = {"host1.example.org",
	                                                   "registry.example.org/team/app:1.2-3"};
	struct dm_payload p;
	char err[512];
	int s;

	/* The body as it comes (no NUL), for a host and for an image. */
	for (s = 0; s < DM_SUBJECT__MAX; s++) {
		memset(&p, 0, sizeof(p));
		if (dm_payload_parse(&p, (const char *)data, size, (enum dm_subject)s, names[s],
		                     err, sizeof(err)) == -1 &&
		    err[0] == '\0')
			abort(); /* a refusal always says why */
		dm_payload_free(&p);
	}
	return 0;
}
