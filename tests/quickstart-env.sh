#!/usr/bin/env bash
# quickstart-env.sh: every line ./quickstart env prints for the running instance in STATE
# works as README's "The local instance" says, in a shell that has nothing but those lines:
# the URLs answer with the certificate, debmonitor-gc, debmonitor-cve and the client run
# without more options than README gives, the database answers. A variable env prints that this script
# does not check, or that README does not mention, is a failure too. The last line:
# "quickstart env: N checks, M failures".
set -u

TOP=${1:?usage: tests/quickstart-env.sh TOP STATE}
STATE=${2:?usage: tests/quickstart-env.sh TOP STATE}
checks=0
failures=0
# What the checks below use: always, and with DM_LOGIN=ldap.
ALWAYS=(DM_HTTPS_URL DM_HTTP_URL DM_CA DM_CERT DM_KEY DM_CONFIG DEBMONITOR_CONFIG
	DM_MYSQL_SOCKET DM_DB_NAME DM_CLIENT DM_CLIENT_CONFIG DM_GC DM_CVE DM_STATE)
LOGIN=(DM_LOGIN DM_LDAP_URL DM_LOGIN_USER DM_LOGIN_PASSWORD DM_LOGIN_OUTSIDER
	DM_LOGIN_OUTSIDER_PASSWORD)
# With DM_TOPOLOGY=replica, and with DM_TOPOLOGY=galera.
REPLICA=(DM_TOPOLOGY DM_REPLICA_SOCKET DM_DB_PORT)
GALERA=(DM_NODE_SOCKETS DM_HTTPS_URL2 DM_HTTP_URL2 DM_CONFIG2)

# check WHAT COMMAND...: COMMAND succeeds; else WHAT is a failure.
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" && return 0
	failures=$((failures + 1))
	printf 'quickstart env: FAIL %s\n' "$what"
	return 1
}

# run WHAT COMMAND...: COMMAND exits 0; its output is in $out.
run() {
	local what=$1 rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	check "$what: exit $rc: $(printf '%s' "$out" | tail -n 3)" [ "$rc" = 0 ]
}

# The test run's own environment has these variables already: only env's lines count.
for v in $(compgen -e); do
	case $v in DM_* | DEBMONITOR_*) unset "$v" ;; esac
done
lines=$(DM_STATE_DIR=$STATE "$TOP/quickstart" env) || check "./quickstart env failed" false
eval "$lines"

names=$(printf '%s\n' "$lines" | sed -n 's/^export \([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p')
for v in $names; do
	check "./quickstart env prints $v, which this test does not check" \
		grep -qx -- "$v" <(printf '%s\n' "${ALWAYS[@]}" "${LOGIN[@]}" "${REPLICA[@]}" "${GALERA[@]}")
	check "./quickstart env prints $v, which README does not mention" grep -qw -- "$v" "$TOP/README"
done
for v in "${ALWAYS[@]}"; do
	check "./quickstart env does not print $v" grep -qx -- "$v" <<<"$names" || declare "$v="
done

run "curl \$DM_HTTPS_URL/auth-check with \$DM_CA, \$DM_CERT, \$DM_KEY" \
	curl -sS --fail-with-body --cacert "$DM_CA" --cert "$DM_CERT" --key "$DM_KEY" "$DM_HTTPS_URL/auth-check"
check "auth-check answered '$out', not OK" [ "$out" = OK ]

# The pages: open, or (DM_LOGIN=ldap) for the user in the group and not for the outsider.
status() {
	curl -s -o /dev/null -w '%{http_code}' "$@" "$DM_HTTP_URL/"
}
if [ -z "${DM_LOGIN:-}" ]; then
	code=$(status)
	check "\$DM_HTTP_URL/ answered $code, not 200" [ "$code" = 200 ]
else
	code=$(status -u "$DM_LOGIN_USER:$DM_LOGIN_PASSWORD")
	check "\$DM_HTTP_URL/ as \$DM_LOGIN_USER answered $code, not 200" [ "$code" = 200 ]
	code=$(status -u "$DM_LOGIN_OUTSIDER:$DM_LOGIN_OUTSIDER_PASSWORD")
	check "\$DM_HTTP_URL/ as \$DM_LOGIN_OUTSIDER answered $code, not 403" [ "$code" = 403 ]
	run "ldapwhoami -x -H \$DM_LDAP_URL" ldapwhoami -x -H "$DM_LDAP_URL"
fi

# debmonitor-gc finds the configuration by DEBMONITOR_CONFIG, as the CGIs do.
run "\$DM_GC --dry-run" "$DM_GC" --dry-run
run "\$DM_GC --config \$DM_CONFIG --dry-run" "$DM_GC" --config "$DM_CONFIG" --dry-run
# debmonitor-cve too, on the tracker fixture (without --file it would download 50 MB);
# the integration suite may have imported that file last.
run "\$DM_CVE --dry-run --file tests/data/tracker/tracker.json" \
	"$DM_CVE" --dry-run --file "$TOP/tests/data/tracker/tracker.json"
check "\$DM_CVE --dry-run said '$out'" grep -Eq \
	'(issues \(10 sources\): .*|unchanged since .*) \(dry run: nothing written\)$' <<<"$out"
run "mariadb -S \$DM_MYSQL_SOCKET \$DM_DB_NAME" \
	mariadb --no-defaults -S "$DM_MYSQL_SOCKET" -uroot "$DM_DB_NAME" -e 'SELECT COUNT(*) FROM host'
check "\$DM_STATE ($DM_STATE) is not the instance's directory" [ "$DM_STATE" -ef "$STATE" ]
if [ "${DM_TOPOLOGY:-}" = replica ]; then
	run "mariadb -S \$DM_REPLICA_SOCKET: SHOW REPLICA STATUS" \
		mariadb --no-defaults -S "$DM_REPLICA_SOCKET" -uroot "$DM_DB_NAME" -e 'SHOW REPLICA STATUS\G'
	check "the replica does not replicate: $out" grep -q 'Slave_SQL_Running: Yes' <<<"$out"
	check "nothing listens on \$DM_DB_PORT ($DM_DB_PORT)" \
		bash -c "exec 3<>/dev/tcp/127.0.0.1/$DM_DB_PORT"
fi
if [ "${DM_TOPOLOGY:-}" = galera ]; then
	n=0
	for sock in $DM_NODE_SOCKETS; do
		n=$((n + 1))
		run "mariadb -S (node $n of \$DM_NODE_SOCKETS): wsrep status" \
			mariadb --no-defaults -S "$sock" -uroot -N -B \
			-e "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment')"
		check "node $n is not a synced member of a cluster of 3: $out" \
			[ "$(printf '%s\n' "$out" | sort | tr '\t' ' ' | paste -sd' ')" = "wsrep_cluster_size 3 wsrep_local_state_comment Synced" ]
	done
	check "\$DM_NODE_SOCKETS names $n nodes, not 3" [ "$n" = 3 ]
	check "nothing listens on \$DM_DB_PORT ($DM_DB_PORT)" \
		bash -c "exec 3<>/dev/tcp/127.0.0.1/$DM_DB_PORT"
	run "curl \$DM_HTTPS_URL2/auth-check" curl -sS --fail-with-body --cacert "$DM_CA" \
		--cert "$DM_CERT" --key "$DM_KEY" "$DM_HTTPS_URL2/auth-check"
	check "auth-check through the second front end answered '$out', not OK" [ "$out" = OK ]
	code=$(curl -s -o /dev/null -w '%{http_code}' "$DM_HTTP_URL2/")
	check "\$DM_HTTP_URL2/ answered $code, not 200" [ "$code" = 200 ]
	run "\$DM_GC --config \$DM_CONFIG2 --dry-run" "$DM_GC" --config "$DM_CONFIG2" --dry-run
	check "\$DM_CONFIG2 does not name node 2's socket" grep -q "$(printf '%s' "$DM_NODE_SOCKETS" | cut -d' ' -f2)" "$DM_CONFIG2"
fi

# The client with its configuration: the dpkg hook's report of a package installed, then
# removed (quicker than a full report, which asks APT for the whole system).
run "\$DM_CLIENT --config \$DM_CLIENT_CONFIG -g (install)" "$DM_CLIENT" --config "$DM_CLIENT_CONFIG" -g \
	<<<$'VERSION 3\n\ndm-env-check - - none < 1.0 all none /tmp/dm-env-check.deb\n'
run "\$DM_CLIENT --config \$DM_CLIENT_CONFIG -g (removal)" "$DM_CLIENT" --config "$DM_CLIENT_CONFIG" -g \
	<<<$'VERSION 3\n\ndm-env-check 1.0 all none > - - none **REMOVE**\n'

printf 'quickstart env: %d checks, %d failures\n' "$checks" "$failures"
[ "$failures" -eq 0 ]
