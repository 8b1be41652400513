#!/usr/bin/env bash
# version-oracle.sh: dm_version_cmp and dm_version_valid against dpkg itself. Every version
# this system knows (dpkg's status file, APT's package lists: the Version: fields and the
# versions of Source: NAME (VERSION)) and thousands of generated edge cases make at least
# 100,000 pairs (tests/version-oracle.c: neighbours in byte and in version order, random
# pairs). libdpkg, dpkg's own library, judges every pair in the test program, as dpkg
# --compare-versions does (its parser, its comparison, its reading of "" and of bad
# versions); each of our answers must be its, and the sort keys (dm_version_key) must
# order every pair as dm_version_cmp does. The dpkg binary itself judges a sample, one
# pair in 50 and more until each generated edge case and each kind of answer has been
# asked three times (or in every pair that has it), over 2,000 pairs, two dpkg at a time:
# it must agree with libdpkg on each, so the answers are those of dpkg --compare-versions.
# Usage: tests/version-oracle.sh (from the build directory, as make check runs it).
# Fails (99) if configure found no libdpkg, skipped (77) without dpkg. The last line:
# "version oracle: N pairs ..., M disagreements".
set -euo pipefail

oracle=${DM_VERSION_ORACLE:-./tests/version-oracle}
export LC_ALL=C

command -v dpkg >/dev/null || {
	echo "version oracle: no dpkg, skipped"
	exit 77
}
[ "${DM_HAVE_LIBDPKG:-yes}" != no ] || {
	echo "version oracle: configure found no libdpkg, dpkg's library, which judges every pair:"
	echo "apt-get install libdpkg-dev, then run configure again"
	exit 99
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

# Reads "INDEX\0OP\0A\0B\0" records (version-oracle sample) and asks dpkg whether A OP B,
# two dpkg at a time; OP is libdpkg's answer, so a pair where the two agree costs one run.
# Prints "INDEX VERDICT RUNS" lines: VERDICT lt, eq, gt, or err when dpkg refuses a version.
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
					# Not libdpkg's answer: one more question says which of the other two.
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
t0=$EPOCHREALTIME
"$oracle" sample "$tmp/pairs" | ask_dpkg >"$tmp/verdicts"
printf 'dpkg --compare-versions: %s pairs, %s runs in %s s, 2 at a time (dpkg %s, libdpkg-dev %s)\n' \
	"$(wc -l <"$tmp/verdicts")" "$(awk '{ n += $3 } END { print n }' "$tmp/verdicts")" \
	"$(since "$t0")" "$(dpkg-query -W -f '${Version}' dpkg 2>/dev/null || echo '?')" \
	"$(dpkg-query -W -f '${Version}' libdpkg-dev 2>/dev/null || echo '?')"
rc=0
"$oracle" check "$tmp/pairs" "$tmp/verdicts" >"$tmp/check" || rc=$?
echo "version oracle: $(since "$start") s in all"
cat "$tmp/check"
exit "$rc"
