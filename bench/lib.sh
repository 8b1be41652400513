# lib.sh: what the benchmark scripts share; sourced, with TOP set to the checkout.

die() {
	printf '%s: %s\n' "$(basename "$0")" "$*" >&2
	exit 1
}

note() {
	printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

# number OPTION VALUE: VALUE if it is a decimal number, else the script dies naming OPTION.
number() {
	[[ $2 =~ ^[0-9]+$ ]] || die "$1 needs a number, not '$2'"
	printf '%s\n' "$2"
}

# add_proxy CONFIG NAME: NAME in the config's PROXY_HOSTS. The file is rewritten in place,
# so its inode, owner, group and mode (the CGIs' group may read it) stay as they are.
add_proxy() {
	python3 - "$1" "$2" <<-'PY'
		import json, sys
		path, name = sys.argv[1], sys.argv[2]
		with open(path, "r+", encoding="utf-8") as f:
		    config = json.load(f)
		    hosts = config.get("PROXY_HOSTS", [])
		    if not isinstance(hosts, list):
		        sys.exit(f"{path}: PROXY_HOSTS is not a list")
		    if name in hosts:
		        sys.exit(0)
		    config["PROXY_HOSTS"] = hosts + [name]
		    f.seek(0)
		    f.write(json.dumps(config, indent=4) + "\n")
		    f.truncate()
	PY
}

# proxy_cert NAME: a client certificate for NAME, which PROXY_HOSTS then lists; sets
# PROXY_CERT and PROXY_KEY. The instance's environment (./quickstart env) must be loaded.
proxy_cert() {
	local cert
	mapfile -t cert < <("$TOP/quickstart" cert "$1")
	[ ${#cert[@]} -eq 2 ] || die "./quickstart cert $1 did not print a certificate and a key"
	add_proxy "$DM_CONFIG" "$1" || die "cannot add $1 to PROXY_HOSTS in $DM_CONFIG"
	# The second front end of DM_TOPOLOGY=galera has a configuration of its own.
	[ -z "${DM_CONFIG2:-}" ] || add_proxy "$DM_CONFIG2" "$1" ||
		die "cannot add $1 to PROXY_HOSTS in $DM_CONFIG2"
	PROXY_CERT=${cert[0]} PROXY_KEY=${cert[1]}
}

print_machine() {
	local cpu ram
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	ram=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	printf 'machine: %s CPUs, %s, %s RAM\n' "$(nproc)" "${cpu:-unknown CPU}" "$ram"
	printf 'kernel:  %s\n' "$(uname -srvm)"
	printf 'MariaDB: %s\n' "$(mariadb --no-defaults -S "$DM_MYSQL_SOCKET" -uroot -N -e 'SELECT VERSION()')"
	printf 'Apache:  %s\n' "$(apache2 -v | sed -n 's/^Server version: //p')"
	printf 'libcurl: %s\n' "$(curl --version | head -n 1)"
}

# urlpath NAME: NAME as a URL path (an image reference keeps its '/' and ':').
urlpath() {
	python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/:"))' "$1"
}

# time_page LABEL PATH: RUNS timed requests to $DM_HTTP_URL in HTML and in JSON, after
# one warm-up each; lines "LABEL KIND STATUS SECONDS BYTES" for page_summary.
time_page() {
	local label=$1 path=$2 accept kind out
	for kind in html json; do
		accept='text/html'
		[ "$kind" = json ] && accept='application/json'
		curl -s -o /dev/null -H "Accept: $accept" "$DM_HTTP_URL$path" || true
		for _ in $(seq 1 "$RUNS"); do
			out=$(curl -s -o /dev/null -H "Accept: $accept" \
				-w '%{http_code} %{time_total} %{size_download}' "$DM_HTTP_URL$path") || out="000 0 0"
			printf '%s\t%s\t%s\n' "$label" "$kind" "$out"
		done
	done
}

# page_summary: time_page's lines in, a table of median, min and max per page and kind out.
page_summary() {
	python3 -c '
import statistics, sys
rows = {}
for line in sys.stdin:
    label, kind, code, t, size = line.rsplit(None, 4)
    r = rows.setdefault((label, kind), {"t": [], "codes": set(), "size": set()})
    r["t"].append(float(t) * 1000)
    r["codes"].add(code)
    r["size"].add(int(size))
print("%-24s %-4s %9s %9s %9s %11s %s" % ("page", "kind", "median ms", "min ms", "max ms", "bytes", "status"))
for (label, kind), r in rows.items():
    print("%-24s %-4s %9.1f %9.1f %9.1f %11d %s" % (label, kind, statistics.median(r["t"]),
          min(r["t"]), max(r["t"]), max(r["size"]), ",".join(sorted(r["codes"]))))
'
}
