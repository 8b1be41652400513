/* gen.h: a seeded, reproducible generator of update payloads (API v1) for the benchmarks. */
#ifndef DM_BENCH_GEN_H
#define DM_BENCH_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* How many binary packages the universe holds, and how many a host gets by default. */
#define GEN_UNIVERSE_SIZE 6000
#define GEN_HOST_PACKAGES 2000
/* Per mille of a host's packages that are upgradable in its full payload (3%). */
#define GEN_UPGRADABLE_PERMILLE 30
#define GEN_HOSTNAME_MAX 255
/* An upgrade wave updates one source package in GEN_WAVE_STRIDE (100 of 6,000 binaries). */
#define GEN_WAVE_STRIDE 60

struct gen_universe;
struct gen_host;

/*
 * Every binary package the hosts draw from, with its source package and base version.
 * The same seed always gives the same universe. NULL with errno ENOMEM on failure.
 */
struct gen_universe *gen_universe_new(uint64_t seed);
void gen_universe_free(struct gen_universe *u);

/*
 * The npackages packages of the host named hostname (at most GEN_HOSTNAME_MAX bytes),
 * chosen by the universe's seed and the name, so a name always gets the same packages.
 * The host borrows u, which must outlive it. NULL with errno EINVAL or ENOMEM.
 */
struct gen_host *gen_host_new(const struct gen_universe *u, const char *hostname, size_t npackages);
void gen_host_free(struct gen_host *h);
size_t gen_host_packages(const struct gen_host *h);
/* How many packages a full payload reports as upgradable. */
size_t gen_host_upgradable(const struct gen_host *h);

/*
 * Payloads as new references (the caller decrefs), NULL with errno EINVAL (a count
 * over the host's packages) or ENOMEM. A full payload lists every package installed and
 * gen_host_upgradable() of them upgradable. An upgradable payload lists count upgradable
 * packages only, the first of them those of the full payload; its version_to values
 * differ for each variant (variant 0 gives those of the full payload). A dpkg_hook
 * payload installs count packages (none of those the full payload marks upgradable,
 * while there are enough others) at a version that differs for each variant.
 */
json_t *gen_payload_full(const struct gen_host *h);
json_t *gen_payload_upgradable(const struct gen_host *h, size_t count, unsigned variant);
json_t *gen_payload_dpkg_hook(const struct gen_host *h, size_t count, unsigned variant);

/*
 * An upgrade wave, the same for every host, as a point release or a security fix is: the
 * host's binaries of the wave's sources (one in GEN_WAVE_STRIDE, picked by round) installed
 * at BASE+waveROUND. Either a dpkg_hook payload of those packages, or (full) the full
 * payload with them at that version and no upgrade offered for them.
 */
json_t *gen_payload_wave(const struct gen_host *h, bool full, unsigned long round);

/* splitmix64: the next number of the sequence *state walks (the generator seeds with it). */
uint64_t gen_splitmix64(uint64_t *state);

#endif
