#!/usr/bin/env bash
# version-oracle.sh: dm_version_cmp and dm_version_valid against dpkg itself. Every version
# this system knows (dpkg's status file, APT's package lists: the Version: fields and the
# versions of Source: NAME (VERSION)) and thousands of generated edge cases make at least
# 100,000 pairs (tests/version-oracle.c: neighbours in byte and in version order, random
# pairs); dpkg --compare-versions judges each, two at a time, and each of our answers must
# be dpkg's. dpkg's verdicts are cached under .build/version-oracle/, keyed by the pair list
# and dpkg's version: only the first run on a machine (or after apt update) runs dpkg on
# every pair; later runs ask it again about one pair in 1,000 of the cached ones.
# Usage: tests/version-oracle.sh (from the build directory, as make check runs it).
# Skipped (77) without dpkg. The last line: "version oracle: N pairs ..., M disagreements".
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
oracle=${DM_VERSION_ORACLE:-./tests/version-oracle}
cache=${DM_VERSION_CACHE:-$TOP/.build/version-oracle}
# One pair in SPOT_STEP of the cached ones asked again, to catch a stale cache.
SPOT_STEP=1000
export LC_ALL=C

command -v dpkg >/dev/null || {
	echo "version oracle: no dpkg, skipped"
	exit 77
}
[ -x "$oracle" ] || {
	echo "version oracle: $oracle not built (make check builds it)"
	exit 99
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The versions of installed and available packages, one a line. APT keeps its lists
# compressed (lz4 here, gz or xz elsewhere): its helper reads every format it writes.
system_versions() {
	local files=() f
	for f in /var/lib/dpkg/status /var/lib/apt/lists/*_Packages*; do
		[ -f "$f" ] && files+=("$f")
	done
	[ ${#files[@]} -gt 0 ] || return 0
	if [ -x /usr/lib/apt/apt-helper ]; then
		/usr/lib/apt/apt-helper cat-file "${files[@]}"
	else
		cat /var/lib/dpkg/status
	fi | sed -n -e 's/^Version: *//p' -e 's/^Source: [^ ]* *(\([^)]*\)).*/\1/p'
}

# Reads "INDEX\0OP\0A\0B\0" records (version-oracle ask) and asks dpkg whether A OP B, two
# dpkg at a time; OP is our own answer, so a pair we get right costs one run. Prints
# "INDEX VERDICT RUNS" lines: VERDICT lt, eq, gt, or err when dpkg refuses a version.
ask_dpkg() {
	local worker
	worker=$(
		cat <<-'EOF'
			while [ $# -ge 4 ]; do
				i=$1 op=$2 a=$3 b=$4
				shift 4
				n=1
				dpkg --compare-versions -- "$a" "$op" "$b" 2>/dev/null
				case $? in
				0) v=$op ;;
				1)
					# Not our answer: one more question says which of the other two.
					case $op in
					lt) q=eq o=gt ;;
					eq) q=lt o=gt ;;
					*) q=eq o=lt ;;
					esac
					n=2
					dpkg --compare-versions -- "$a" "$q" "$b" 2>/dev/null
					case $? in 0) v=$q ;; 1) v=$o ;; *) v=bad ;; esac
					;;
				2) v=err ;;
				*) v=bad ;;
				esac
				printf '%s %s %s\n' "$i" "$v" "$n"
			done
		EOF
	)
	# -x: a command line never splits a record (400 arguments are 100 records, a few KB).
	xargs -0 -x -n 400 -P 2 sh -c "$worker" sh | sort -n -k1,1
}

# Seconds since the $EPOCHREALTIME given, to a tenth.
since() {
	awk -v t0="$1" -v t1="$EPOCHREALTIME" 'BEGIN { printf "%.1f", t1 - t0 }'
}

start=$EPOCHREALTIME
system_versions >"$tmp/versions"
"$oracle" pairs <"$tmp/versions" >"$tmp/pairs"
key=$({
	dpkg --version | head -n 1
	cat "$tmp/pairs"
} | sha256sum | cut -c 1-16)
verdicts=$cache/$key.verdicts
mkdir -p "$cache" 2>/dev/null || cache=$tmp verdicts=$tmp/$key.verdicts

if [ -s "$verdicts" ]; then
	t0=$EPOCHREALTIME
	"$oracle" ask "$tmp/pairs" "$SPOT_STEP" | ask_dpkg >"$tmp/spot"
	stale=$(awk 'NR == FNR { v[$1] = $2; next } v[$1] != $2' "$verdicts" "$tmp/spot" | wc -l)
	printf 'dpkg: verdicts from %s; %s of them asked again in %s s, %s changed\n' \
		"${verdicts#"$TOP"/}" "$(wc -l <"$tmp/spot")" \
		"$(since "$t0")" "$stale"
	[ "$stale" -eq 0 ] || exit 1
else
	t0=$EPOCHREALTIME
	"$oracle" ask "$tmp/pairs" | ask_dpkg >"$tmp/verdicts"
	printf 'dpkg: %s runs in %s s, 2 at a time\n' \
		"$(awk '{ n += $3 } END { print n }' "$tmp/verdicts")" "$(since "$t0")"
	rm -f "$cache"/*.verdicts
	cp "$tmp/verdicts" "$verdicts.tmp"
	mv "$verdicts.tmp" "$verdicts"
fi
echo "version oracle: $(since "$start") s in all"
"$oracle" check "$tmp/pairs" "$verdicts"
