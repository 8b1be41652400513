/* fuzz_hook.c: the client's dpkg hook reader (protocol 2 and 3) and status file parser. */
#include "fuzz.h"
#include "pkgs.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), err[512];
	struct pkgs p;

	memset(&p, 0, sizeof(p));
	if (dpkg_parse_hook(&p, text, "amd64", err, sizeof(err)) == -1 && err[0] == '\0')
		abort();
	pkgs_free(&p);
	memset(&p, 0, sizeof(p));
	dpkg_parse_status(&p, text, "amd64");
	pkgs_free(&p);
	free(text);
	return 0;
}
