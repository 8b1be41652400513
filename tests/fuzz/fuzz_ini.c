/* fuzz_ini.c: the client's INI reader (/etc/debmonitor.conf) on any text. */
#include "fuzz.h"
#include "ini.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"server", "port", "cert", "key", "ca", "api"};
	char *text = fuzz_text(data, size), err[512];
	struct ini ini;
	size_t i;

	memset(&ini, 0, sizeof(ini));
	if (ini_parse(&ini, text, "fuzz.conf", err, sizeof(err)) == 0) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			(void)ini_get(&ini, keys[i]);
	} else if (err[0] == '\0') {
		abort();
	}
	ini_free(&ini);
	free(text);
	return 0;
}
