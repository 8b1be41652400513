/* fuzz_url.c: the percent decoder of names and queries, and the writers that escape them. */
#include <stdio.h>

#include "core/escape.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *copy = fuzz_text(data, size);
	FILE *null = fopen("/dev/null", "w");
	int plus;

	if (null == NULL)
		abort();
	for (plus = 0; plus < 2; plus++) {
		memcpy(copy, text, size + 1);
		/* Decoding only ever shortens, and never lets an encoded NUL through. */
		if (dm_url_decode(copy, plus) == 0 && strlen(copy) > strlen(text))
			abort();
		dm_html_txt(null, copy);
		dm_html_attr(null, copy);
		dm_url_arg(null, copy);
		dm_url_path(null, copy);
		(void)dm_json_str(null, copy);
	}
	fclose(null);
	free(copy);
	free(text);
	return 0;
}
