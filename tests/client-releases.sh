#!/usr/bin/env bash
# client-releases.sh: the client builds and passes its unit tests on the Debian releases
# fleets run. Each release gets a chroot made with debootstrap from Debian's mirror,
# cached under .build/releases/ (the first run downloads a few hundred MB and takes some
# minutes; a second run only rebuilds). In it: the client's build dependencies and
# nothing of the server's, a copy of the checkout, ./configure --disable-server, make,
# make check (tests/check_client) and debmonitor -n on the chroot's own packages.
# Not part of ./quickstart test (slow, needs the network). As root:
#
#   tests/client-releases.sh [RELEASE...]    default: bullseye bookworm trixie
#
# One line per release with the versions found and PASSED or FAILED, then
# "client releases: N passed, M failed". The logs stay in .build/releases/RELEASE.*.log.
# A chroot is never upgraded: remove .build/releases/RELEASE to make it again from the
# current point release. DM_DEBIAN_MIRROR replaces http://deb.debian.org/debian.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$TOP/.build/releases
MIRROR=${DM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# README, "Building the client alone": what ./configure --disable-server needs.
DEPS=(gcc libc6-dev make autoconf automake pkg-config libcurl4-openssl-dev libjansson-dev
	check)
RELEASES=("$@")
[ ${#RELEASES[@]} -gt 0 ] || RELEASES=(bullseye bookworm trixie)
MOUNTED=()

die() {
	printf 'client-releases: %s\n' "$*" >&2
	exit 1
}

cleanup() {
	local m
	for m in "${MOUNTED[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}
trap cleanup EXIT

# mount_proc DIR: /proc in the chroot, unmounted on exit. Not from a subshell: the list
# of what to unmount would be lost with it.
mount_proc() {
	mountpoint -q "$1/proc" && return 0
	mount -t proc proc "$1/proc"
	MOUNTED+=("$1/proc")
}

# in_chroot DIR COMMAND: COMMAND in sh in the chroot, in a plain environment (no
# sanitizer or locale settings of the caller's).
in_chroot() {
	local dir=$1
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
		chroot "$dir" /bin/sh -ec "$2"
}

# make_chroot RELEASE: .build/releases/RELEASE with the build dependencies, made once.
make_chroot() {
	local rel=$1 dir=$CACHE/$1 log=$CACHE/$1.chroot.log
	[ -f "$dir/.dm-ready" ] && return 0
	cleanup
	MOUNTED=()
	rm -rf "$dir"
	debootstrap --variant=minbase "$rel" "$dir" "$MIRROR" >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; return 1; }
	mount_proc "$dir"
	in_chroot "$dir" "apt-get update -q && apt-get install -y -q --no-install-recommends ${DEPS[*]}" \
		>>"$log" 2>&1 || { tail -n 20 "$log" >&2; return 1; }
	touch "$dir/.dm-ready"
}

# copy_source DIR: the checkout's tracked and new files (nothing ignored) in DIR/src.
copy_source() {
	rm -rf "$1/src"
	mkdir -p "$1/src"
	(cd "$TOP" && git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | xargs -0 cp --parents -t "$1/src")
}

versions() {
	in_chroot "$1" 'printf "gcc %s, glibc %s, libcurl %s, jansson %s, check %s" \
		"$(gcc -dumpfullversion)" "$(getconf GNU_LIBC_VERSION | cut -d" " -f2)" \
		"$(pkg-config --modversion libcurl)" "$(pkg-config --modversion jansson)" \
		"$(pkg-config --modversion check)"'
}

# The build and the tests; a report of the chroot's own packages proves the binary runs.
BUILD='cd /src
autoreconf -i
./configure -q --disable-server
make -j2
make check || { cat tests/check_client.log; exit 1; }
cat tests/check_client.log
client/debmonitor --version
client/debmonitor -n --config /nonexistent --hostname release-check.example.org >report.json
grep -q "\"name\": \"libc6\"" report.json
echo "report: $(grep -c "\"version\":" report.json) packages"'

# one RELEASE: prints its line; returns 1 when it failed.
one() {
	local rel=$1 dir=$CACHE/$1 log=$CACHE/$1.build.log t0 t1 t2 v
	t0=$(date +%s)
	if ! make_chroot "$rel"; then
		printf '%-9s chroot FAILED (see %s)\n' "$rel" "$CACHE/$rel.chroot.log"
		return 1
	fi
	t1=$(date +%s)
	mount_proc "$dir"
	copy_source "$dir"
	v=$(versions "$dir")
	if in_chroot "$dir" "$BUILD" >"$log" 2>&1; then
		t2=$(date +%s)
		printf '%-9s %s: PASSED, %s (chroot %d s, build and tests %d s)\n' "$rel" "$v" \
			"$(grep -E '^[0-9]+%: Checks' "$log")" $((t1 - t0)) $((t2 - t1))
		return 0
	fi
	t2=$(date +%s)
	printf '%-9s %s: FAILED after %d s (see %s)\n' "$rel" "$v" $((t2 - t1)) "$log"
	tail -n 30 "$log" | sed 's/^/    /'
	return 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and chroot)"
if ! command -v debootstrap >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null 2>&1 ||
		die "cannot install debootstrap: apt-get install debootstrap"
fi
mkdir -p "$CACHE"
passed=0
failed=0
for rel in "${RELEASES[@]}"; do
	if one "$rel"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	cleanup
	MOUNTED=()
done
printf 'client releases: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
