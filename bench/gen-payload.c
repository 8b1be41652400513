/* gen-payload: print one generated update payload, the same bytes for the same arguments. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "gen.h"

#define DEFAULT_SEED 1
#define DEFAULT_UPGRADABLE 60
#define DEFAULT_DPKG_HOOK 3

enum payload_type { TYPE_FULL, TYPE_UPGRADABLE, TYPE_DPKG_HOOK, TYPE__MAX };

static const char *const type_names[TYPE__MAX] = {"full", "upgradable", "dpkg_hook"};

struct options {
	uint64_t seed;
	size_t packages;
	enum payload_type type;
	unsigned variant;
	bool variant_set;
	size_t count;
	bool count_set;
	const char *hostname;
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: gen-payload [--seed N] [--packages N] [--type full|upgradable|dpkg_hook]\n"
	        "                   [--variant N] [--count N] HOSTNAME\n"
	        "\n"
	        "Print one DebMonitor update payload (API v1) for HOSTNAME on standard output.\n"
	        "The same arguments always print the same bytes.\n"
	        "\n"
	        "  -s, --seed N      seed of the package universe (default 1)\n"
	        "  -p, --packages N  packages installed on the host (default 2000, at most 6000)\n"
	        "  -t, --type T      full (default): every installed package, 3%% upgradable;\n"
	        "                    upgradable: COUNT upgradable entries (default 60);\n"
	        "                    dpkg_hook: COUNT packages installed (default 3)\n"
	        "  -v, --variant N   which version_to set (upgradable) or which installed\n"
	        "                    versions (dpkg_hook); default 0\n"
	        "  -c, --count N     see --type\n"
	        "  -h, --help        this text\n");
}

/* A whole decimal number from 0 to max, or exit with a usage error naming the option. */
static unsigned long long
parse_number(const char *opt, const char *s, unsigned long long max)
{
	unsigned long long v = 0;
	char *end = NULL;

	errno = 0;
	if (s[0] >= '0' && s[0] <= '9')
		v = strtoull(s, &end, 10);
	if (end == NULL || *end != '\0' || errno != 0 || v > max)
		errx(EX_USAGE, "--%s: not a number from 0 to %llu: '%s'", opt, max, s);
	return v;
}

static enum payload_type
parse_type(const char *s)
{
	int t;

	for (t = 0; t < TYPE__MAX; t++)
		if (strcmp(s, type_names[t]) == 0)
			return (enum payload_type)t;
	errx(EX_USAGE, "--type: not full, upgradable or dpkg_hook: '%s'", s);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {{"seed", required_argument, NULL, 's'},
	                                         {"packages", required_argument, NULL, 'p'},
	                                         {"type", required_argument, NULL, 't'},
	                                         {"variant", required_argument, NULL, 'v'},
	                                         {"count", required_argument, NULL, 'c'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {NULL, 0, NULL, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "s:p:t:v:c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o->seed = parse_number("seed", optarg, UINT64_MAX);
			break;
		case 'p':
			o->packages = parse_number("packages", optarg, GEN_UNIVERSE_SIZE);
			break;
		case 't':
			o->type = parse_type(optarg);
			break;
		case 'v':
			o->variant = (unsigned)parse_number("variant", optarg, UINT32_MAX);
			o->variant_set = true;
			break;
		case 'c':
			o->count = parse_number("count", optarg, GEN_UNIVERSE_SIZE);
			o->count_set = true;
			break;
		case 'h':
			usage(stdout);
			exit(EX_OK);
		default:
			usage(stderr);
			exit(EX_USAGE);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(EX_USAGE);
	}
	o->hostname = argv[optind];
}

static json_t *
make_payload(const struct gen_host *h, const struct options *o)
{
	switch (o->type) {
	case TYPE_UPGRADABLE:
		return gen_payload_upgradable(h, o->count_set ? o->count : DEFAULT_UPGRADABLE,
		                              o->variant);
	case TYPE_DPKG_HOOK:
		return gen_payload_dpkg_hook(h, o->count_set ? o->count : DEFAULT_DPKG_HOOK,
		                             o->variant);
	default:
		return gen_payload_full(h);
	}
}

int
main(int argc, char **argv)
{
	struct options o = {.seed = DEFAULT_SEED, .packages = GEN_HOST_PACKAGES};
	struct gen_universe *u;
	struct gen_host *h;
	json_t *payload;
	int saved;

	parse_options(argc, argv, &o);
	if (o.type == TYPE_FULL && (o.count_set || o.variant_set))
		errx(EX_USAGE, "--count and --variant do not apply to full payloads");
	if ((u = gen_universe_new(o.seed)) == NULL)
		err(EX_OSERR, "package universe");
	if ((h = gen_host_new(u, o.hostname, o.packages)) == NULL) {
		saved = errno;
		gen_universe_free(u);
		errno = saved;
		err(saved == EINVAL ? EX_USAGE : EX_OSERR, "host '%s'", o.hostname);
	}
	if ((payload = make_payload(h, &o)) == NULL) {
		saved = errno;
		gen_host_free(h);
		gen_universe_free(u);
		errno = saved;
		err(saved == EINVAL ? EX_USAGE : EX_OSERR, "%s payload of %zu packages",
		    type_names[o.type], o.packages);
	}
	if (json_dumpf(payload, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF ||
	    fflush(stdout) != 0)
		err(EX_IOERR, "standard output");
	json_decref(payload);
	gen_host_free(h);
	gen_universe_free(u);
	return EX_OK;
}
