#!/usr/bin/env python3
"""fleet-check.py URL MARIADB-COMMAND...: do the pages agree with the tables?

Compares the JSON pages of a loaded fleet (bench/fleet) with counts taken straight from
host_package, image_package and the other tables. Prints one line per check and exits 1
when any differs.
"""
import json
import subprocess
import sys
import urllib.parse
import urllib.request

url, db = sys.argv[1], sys.argv[2:]
failed = 0


def sql(q):
    out = subprocess.run(db + ["-N", "-B", "-e", q], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def one(q):
    return sql(q)[0]


def get(path):
    req = urllib.request.Request(url + urllib.parse.quote(path, safe="/:?=&"),
                                 headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.load(r)


def same(what, page, table):
    global failed
    ok = [str(x) for x in page] == [str(x) for x in table]
    failed |= not ok
    print("check %-58s page %-22s table %-22s %s" % (what, page, table, "ok" if ok else "DIFFERENT"))


q = lambda s: "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"

d = get("/")
same("/ hosts, images, packages, kernels", [d["hosts"], d["images"], d["packages"], d["kernels"]],
     one("SELECT (SELECT COUNT(*) FROM host), (SELECT COUNT(*) FROM image),"
         " (SELECT COUNT(*) FROM package), (SELECT COUNT(*) FROM kernel_version)"))

hosts = {h["name"]: h for h in get("/hosts/")["hosts"]}
same("/hosts/ rows", [len(hosts)], one("SELECT COUNT(*) FROM host"))
for (name,) in sql("SELECT name FROM host WHERE name LIKE 'fleet-%' ORDER BY id LIMIT 3"):
    h = get("/hosts/" + name)
    pk = h["packages"]
    page = [len(pk), sum(p["upgradable_version"] is not None for p in pk),
            sum(p["upgradable_version"] is not None and p["upgrade_type"] == "security" for p in pk)]
    l = hosts[name]
    same("/hosts/%s vs COUNT(host_package)" % name, page,
         one("SELECT COUNT(*), COUNT(upgradable_version_id),"
             " SUM(upgradable_version_id IS NOT NULL AND upgrade_type = 1) FROM host_package hp"
             " JOIN host h ON h.id = hp.host_id WHERE h.name = %s" % q(name)))
    same("/hosts/ row of %s vs its /hosts/NAME" % name,
         [l["packages"], l["upgrades"], l["security_upgrades"]], page)

# A package's installs, through its versions (the key the tables have; there is none on
# package_id alone).
OF_PACKAGE = ("x.package_version_id IN"
              " (SELECT v.id FROM package_version v WHERE v.package_id = p.id)")

pkgs = {p["name"]: p for p in get("/packages/")["packages"]}
same("/packages/ rows", [len(pkgs)], one("SELECT COUNT(*) FROM package"))
top = sql("SELECT p.name FROM package_stats s JOIN package p ON p.id = s.package_id"
          " GROUP BY s.package_id ORDER BY SUM(s.hosts) DESC, p.name LIMIT 2")
some = sql("SELECT p.name FROM package p JOIN package_stats s ON s.package_id = p.id"
           " WHERE s.host_upgrades > 0 AND s.images > 0 ORDER BY p.id LIMIT 2")
for (name,) in top + some:
    p = pkgs[name]
    same("/packages/ %s hosts,images,upgr,sec" % name,
         [p["hosts"], p["images"], p["upgrades"], p["security_upgrades"]],
         one("SELECT (SELECT COUNT(*) FROM host_package x WHERE %s),"
             " (SELECT COUNT(*) FROM image_package x WHERE %s),"
             " (SELECT COUNT(upgradable_version_id) FROM host_package x WHERE %s)"
             " + (SELECT COUNT(upgradable_version_id) FROM image_package x WHERE %s),"
             " (SELECT COUNT(*) FROM host_package x WHERE %s"
             "  AND x.upgradable_version_id IS NOT NULL AND x.upgrade_type = 1)"
             " + (SELECT COUNT(*) FROM image_package x WHERE %s"
             "  AND x.upgradable_version_id IS NOT NULL AND x.upgrade_type = 1)"
             " FROM package p WHERE p.name = %s" % ((OF_PACKAGE,) * 6 + (q(name),))))
    inst = get("/packages/" + name)["installs"]
    same("/packages/%s installs (hosts, images)" % name,
         [sum(i["kind"] == "host" for i in inst), sum(i["kind"] == "image" for i in inst)],
         [p["hosts"], p["images"]])

images = {i["name"]: i for i in get("/images/")["images"]}
for (name,) in sql("SELECT name FROM image WHERE name LIKE 'registry.example.org/fleet/%'"
                   " ORDER BY id LIMIT 2"):
    i = get("/images/" + name)
    same("/images/NAME packages, k8s rows (%s)" % name[-18:],
         [len(i["packages"]), images[name]["packages"], len(i["kubernetes"])],
         one("SELECT packages, (SELECT COUNT(*) FROM image_package x WHERE x.image_id = i.id),"
             " (SELECT COUNT(*) FROM kubernetes_image k WHERE k.image_id = i.id)"
             " FROM image i WHERE name = %s" % q(name)))

kernels = get("/kernels/")["kernels"]
same("/kernels/ rows, sum of hosts", [len(kernels), sum(k["hosts"] for k in kernels)],
     one("SELECT (SELECT COUNT(*) FROM kernel_version), (SELECT COUNT(*) FROM host)"))
k = max(kernels, key=lambda k: k["hosts"])
same("/kernels/%s hosts" % k["id"], [len(get("/kernels/%s" % k["id"])["hosts"])],
     one("SELECT COUNT(*) FROM host WHERE kernel_id = %s" % int(k["id"])))
kub = get("/kubernetes/")["images"]
same("/kubernetes/ rows, containers", [len(kub), sum(r["containers"] for r in kub)],
     one("SELECT COUNT(*), SUM(containers) FROM kubernetes_image"))
sys.exit(1 if failed else 0)
