#!/usr/bin/env python3
"""fleet-universe.py: print SQL that fills the staging database of bench/fleet.

The universe: 6,000 binary packages (500 "core" ones every host has, then 5,500 others),
about a third sharing their source package with other binaries (all binaries of one
source share its version, as in Debian), and per OS (Debian 11, Debian 12, Ubuntu 24.04)
a current version and a newer one (the upgrade target). Seeded: always the same output.
"""
import random
import sys

DB = sys.argv[1] if len(sys.argv) > 1 else "dmfleet"
N = 6000
rnd = random.Random(1)
OSES = [("Debian 11", "+deb11u%d"), ("Debian 12", "+deb12u%d"), ("Ubuntu 24.04", "ubuntu0.24.04.%d")]
CORE = ["libc6", "libc-bin", "coreutils", "bash", "dpkg", "apt", "openssl", "libssl3",
        "systemd", "libsystemd0", "udev", "perl-base", "python3", "python3-minimal",
        "tar", "gzip", "openssh-server", "openssh-client", "sudo", "curl", "libcurl4",
        "zlib1g", "libzstd1", "liblzma5", "util-linux", "mount", "login", "passwd",
        "debconf", "base-files", "grep", "sed", "findutils", "libpam0g", "ca-certificates"]
SUFFIXES = ["", "-dev", "-common", "-bin", "-utils", "-doc", "-data", ":i386"]
PREFIXES = ["lib", "lib", "lib", "python3-", "golang-", "node-", "gir1.2-", "", "", "r-cran-"]
STEMS = ["xml", "yaml", "gtk", "qt", "ssl", "crypt", "net", "http", "json", "png", "jpeg",
         "font", "sql", "pg", "mysql", "ldap", "krb", "sasl", "zip", "bz", "lz", "uuid",
         "dbus", "glib", "cairo", "pango", "x11", "xcb", "gl", "drm", "audio", "pulse",
         "usb", "pci", "cap", "acl", "attr", "selinux", "apparmor", "seccomp", "ev",
         "event", "uv", "curl", "ssh", "git", "svn", "tcl", "tk", "lua", "ruby", "perl"]

names, sources = [], []
seen = set()
for n in CORE:
    names.append(n)
    seen.add(n)
    sources.append({"libc6": "glibc", "libc-bin": "glibc", "libssl3": "openssl",
                    "libsystemd0": "systemd", "udev": "systemd", "perl-base": "perl",
                    "python3-minimal": "python3-defaults", "python3": "python3-defaults",
                    "openssh-server": "openssh", "openssh-client": "openssh",
                    "libcurl4": "curl", "zlib1g": "zlib", "libzstd1": "libzstd",
                    "liblzma5": "xz-utils", "mount": "util-linux", "login": "shadow",
                    "passwd": "shadow", "libpam0g": "pam"}.get(n, n))
while len(names) < N:
    stem = rnd.choice(STEMS) + rnd.choice(["", "", "mm", "pp", "x", "core", "utils", "kit"]) + \
        str(rnd.randint(0, 400))
    base = rnd.choice(PREFIXES) + stem
    src = stem if not base.startswith("python3-") else "python-" + stem
    # about a third of the binaries share a source with siblings
    group = [base] if rnd.random() < 0.55 else [base + s for s in rnd.sample(SUFFIXES, rnd.randint(2, 4))]
    for g in group:
        if g in seen or len(names) >= N:
            continue
        seen.add(g)
        names.append(g)
        sources.append(src)

# versions per source per OS
srcver = {}
def version_of(src, osi):
    key = (src, osi)
    if key not in srcver:
        r = random.Random(src)
        epoch = "%d:" % r.randint(1, 3) if r.random() < 0.1 else ""
        up = "%d.%d.%d" % (r.randint(0, 9), r.randint(0, 30), r.randint(0, 20))
        extra = r.choice(["", "", "+dfsg", "~rc1", "+ds"])
        rev = r.randint(1, 5)
        fmt = OSES[osi][1]
        cur = "%s%s%s-%d%s" % (epoch, up, extra, rev, fmt % r.randint(1, 4)) if r.random() < 0.5 or osi == 2 \
            else "%s%s%s-%d" % (epoch, up, extra, rev + osi)
        if osi == 2:
            cur = "%s%s%s-%d%s" % (epoch, up, extra, rev, fmt % r.randint(1, 4))
        new = cur + "+1" if r.random() < 0.3 else cur.rsplit("-", 1)[0] + "-%d" % (rev + 10)
        srcver[key] = (cur, new)
    return srcver[key]

def q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"

out = sys.stdout
out.write("DROP DATABASE IF EXISTS %s;\nCREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;\nUSE %s;\n" % (DB, DB, DB))
out.write("CREATE TABLE u (idx INT UNSIGNED PRIMARY KEY, name VARCHAR(255) NOT NULL, source VARCHAR(255) NOT NULL) ENGINE=InnoDB;\n")
out.write("CREATE TABLE uv (os VARCHAR(255) NOT NULL, idx INT UNSIGNED NOT NULL, cur VARCHAR(255) NOT NULL, new VARCHAR(255) NOT NULL, PRIMARY KEY (os, idx)) ENGINE=InnoDB;\n")
for i in range(0, N, 500):
    out.write("INSERT INTO u VALUES " + ",".join("(%d,%s,%s)" % (j, q(names[j]), q(sources[j])) for j in range(i, min(N, i + 500))) + ";\n")
for osi, (osname, _) in enumerate(OSES):
    for i in range(0, N, 500):
        rows = []
        for j in range(i, min(N, i + 500)):
            cur, new = version_of(sources[j], osi)
            rows.append("(%s,%d,%s,%s)" % (q(osname), j, q(cur), q(new)))
        out.write("INSERT INTO uv VALUES " + ",".join(rows) + ";\n")
