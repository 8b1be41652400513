#!/usr/bin/env bash
# sql-args.sh: the compiler refuses an SQL builder argument of a type no placeholder takes
# (lib/db/sql.h). Each tests/data/sql/valid/*.c must compile; each invalid/CASE.c must not,
# and the compiler's first error must match the extended regular expression in
# invalid/CASE.error, so that a case fails for its own reason and not, say, a typo.
# Each compiler named (default: gcc, and clang when installed) checks every case, with
# the build's warning flags. The last line: "sql arguments: N checks, M failures".
set -u

TOP=${1:?usage: tests/sql-args.sh TOP [COMPILER...]}
shift
compilers=("$@")
if [ "${#compilers[@]}" -eq 0 ]; then
	compilers=(gcc)
	command -v clang >/dev/null && compilers+=(clang)
fi
# The flags of configure.ac's WARN_CFLAGS and Makefile.am that matter to a header.
flags=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	-D_GNU_SOURCE -I"$TOP/lib" $(mariadb_config --cflags) -fsyntax-only)
checks=0
failures=0

fail() {
	failures=$((failures + 1))
	printf 'sql arguments: FAIL %s\n' "$1"
}

for cc in "${compilers[@]}"; do
	for f in "$TOP"/tests/data/sql/valid/*.c; do
		checks=$((checks + 1))
		out=$(LC_ALL=C "$cc" "${flags[@]}" "$f" 2>&1) ||
			fail "$cc refused ${f#"$TOP"/}: $(printf '%s\n' "$out" | grep -m1 'error:')"
	done
	for f in "$TOP"/tests/data/sql/invalid/*.c; do
		checks=$((checks + 1))
		if out=$(LC_ALL=C "$cc" "${flags[@]}" "$f" 2>&1); then
			fail "$cc compiled ${f#"$TOP"/}"
			continue
		fi
		first=$(printf '%s\n' "$out" | grep -m1 'error:')
		printf '%s\n' "$first" | grep -qE -f "${f%.c}.error" ||
			fail "$cc refused ${f#"$TOP"/} for another reason: $first"
	done
done
printf 'sql arguments: %s checks, %s failures (%s)\n' "$checks" "$failures" "${compilers[*]}"
[ "$failures" -eq 0 ]
