#!/usr/bin/env bash
# quickstart-cert.sh: ./quickstart cert run many times at once, first in a new state directory
# (one of the runs makes the CA), then again with the CA there (the runs share its serial
# file): every run succeeds and prints a certificate the CA verifies, with its CN, a matching
# key and a serial no other has; two runs for the same name print the same pair. The last
# line: "quickstart cert: N checks, M failures".
set -u
shopt -s nullglob

TOP=${1:?usage: tests/quickstart-cert.sh TOP}
NAMES=10
work=$(mktemp -d /tmp/dm-quickstart-cert.XXXXXX)
trap 'rm -rf "$work"' EXIT
state=$work/state
checks=0
failures=0

# check WHAT COMMAND...: COMMAND succeeds; else WHAT is a failure.
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" && return 0
	failures=$((failures + 1))
	printf 'quickstart cert: FAIL %s\n' "$what"
	return 1
}

quiet() {
	"$@" >/dev/null 2>&1
}

# issue_at_once NAME...: one ./quickstart cert per NAME, all started together; the run for
# NAME writes its output to $work/NAME.out (and .out2 for its twin), its exit status to .rc.
issue_at_once() {
	local name run
	for name in "$@"; do
		run=$work/$name.out
		[ -e "$run" ] && run=${run}2
		: >"$run"
		(
			rc=0
			DM_STATE_DIR=$state "$TOP/quickstart" cert "$name" >"$run" 2>"$run.err" || rc=$?
			echo "$rc" >"$run.rc"
		) &
	done
	wait
}

# check_pair RUN NAME: the run whose output is RUN exited 0 and printed NAME's certificate
# and key, which belong together, carry CN=NAME and verify against the instance's CA.
check_pair() {
	local run=$1 name=$2 crt key cn rc
	rc=$(cat "$run.rc")
	check "cert $name exited $rc: $(cat "$run.err")" [ "$rc" = 0 ]
	{ read -r crt && read -r key; } <"$run" || { crt=''; key=''; }
	check "cert $name printed '$crt', not $state/certs/$name.crt" [ "$crt" = "$state/certs/$name.crt" ]
	check "cert $name printed '$key', not $state/certs/$name.key" [ "$key" = "$state/certs/$name.key" ]
	check "cert $name: no certificate or key file" [ -f "$crt" -a -f "$key" ] || return
	check "cert $name does not verify against $state/ca/ca.crt" \
		quiet openssl verify -CAfile "$state/ca/ca.crt" "$crt"
	cn=$(openssl x509 -noout -subject -nameopt RFC2253 -in "$crt" 2>/dev/null | sed -n 's/^subject=CN=\([^,]*\),.*/\1/p')
	check "cert $name has CN '$cn'" [ "$cn" = "$name" ]
	check "cert $name: the key is not the certificate's" \
		[ "$(openssl x509 -noout -pubkey -in "$crt" 2>/dev/null)" = "$(openssl pkey -pubout -in "$key" 2>/dev/null)" ]
}

# round NAMES FIRST: NAMES certificates host<FIRST>... at once, and same<FIRST> twice.
round() {
	local n=$1 first=$2 i names=()
	for i in $(seq "$first" $((first + n - 1))); do names+=("host$i.example.org"); done
	issue_at_once "${names[@]}" "same$first.example.org" "same$first.example.org"
	for i in "${names[@]}"; do check_pair "$work/$i.out" "$i"; done
	check_pair "$work/same$first.example.org.out" "same$first.example.org"
	check_pair "$work/same$first.example.org.out2" "same$first.example.org"
	check "the two runs for same$first.example.org printed different paths" \
		cmp -s "$work/same$first.example.org.out" "$work/same$first.example.org.out2"
}

round "$NAMES" 1
round "$NAMES" $((NAMES + 1))
check "certs/ca.crt is not ca/ca.crt" cmp -s "$state/ca/ca.crt" "$state/certs/ca.crt"
dups=$(for f in "$state"/certs/*.example.org.crt; do openssl x509 -noout -serial -in "$f"; done | sort | uniq -d)
check "serials issued twice: $dups" [ -z "$dups" ]
printf 'quickstart cert: %d checks, %d failures\n' "$checks" "$failures"
[ "$failures" -eq 0 ]
