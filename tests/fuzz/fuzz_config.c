/* fuzz_config.c: the server's config loader (lib/core/config.c) on any text. */
#include "core/config.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), err[512];
	struct dm_config cfg;

	if (dm_config_parse(&cfg, text, size, "fuzz.json", err, sizeof(err)) == 0) {
		(void)dm_config_listed(cfg.proxy_hosts, "host1.example.org");
		(void)dm_config_listed(cfg.proxy_images, "host1.example.org");
		dm_config_free(&cfg);
	} else if (err[0] == '\0' || cfg.root != NULL) {
		abort(); /* a refusal says why and holds nothing */
	}
	free(text);
	return 0;
}
