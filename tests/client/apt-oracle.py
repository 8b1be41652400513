#!/usr/bin/python3
"""apt-oracle.py: what python3-apt says is installed and upgradable, as an independent
reference for the C client's -n output (installed: name, version, source; upgradable as
APT's dist-upgrade chooses, with the candidate's source and security origin)."""
import json
import apt

cache = apt.Cache()
installed = [{"name": p.name, "version": p.installed.version, "source": p.installed.source_name}
             for p in cache if p.is_installed]
cache.upgrade(dist_upgrade=True)
upgradable = []
for p in cache.get_changes():
    if not p.is_installed or p.marked_delete:
        continue
    security = any(o.archive.endswith("-security") for o in p.candidate.origins)
    upgradable.append({"name": p.name, "version_from": p.installed.version,
                       "version_to": p.candidate.version, "source": p.candidate.source_name,
                       "type": "security" if security else ""})
print(json.dumps({"installed": installed, "upgradable": upgradable}, sort_keys=True))
