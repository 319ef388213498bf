#!/usr/bin/env python3
"""Scale-out: three instances on one PostgreSQL. A write through any instance is visible through every instance on the
next request (their page caches included), and a signed-in user stays signed in whichever instance answers.
Run inside scripts/with-postgres:

    scripts/with-postgres python3 reliability/instances.py [--rounds 20]"""
import argparse
import http.cookiejar
import json
import os
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from common import PASSWORD, Veikart, get, get_json, request


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=20)
    args = p.parse_args()
    url = os.environ["TEST_POSTGRES_URL"]
    work = Path(tempfile.mkdtemp(prefix="veikart-instances-"))
    servers = [Veikart(url, work).start()]
    servers += [Veikart(url, work).start() for _ in range(2)]
    token = servers[0].api_key("instanser@example.no")
    problems = []
    path = "/tiltak/pll"
    record = "/api/v1/records/initiatives/pll"
    for n in range(args.rounds):
        for s in servers:  # every instance has the page in its cache
            get(s.base + path)
            get(s.base + path)
        writer = servers[n % 3]
        _, current = get_json(writer.base + record, token=token)
        text = f"Mål skrevet gjennom instans {n % 3}, runde {n}"
        status, raw = request("PATCH", writer.base + record, {"version": current["version"], "values": {"target": text}, "reason": "instanser"}, token=token)
        if status != 200:
            problems.append(f"round {n}: write answered {status} {raw[:200]!r}")
            continue
        for i, s in enumerate(servers):
            status, body = get(s.base + path)
            if text not in body.decode():
                problems.append(f"round {n}: instance {i} served a stale page after a write through instance {n % 3}")
    print(f"{args.rounds} writes, each read back through all three instances: " + ("no stale page" if not problems else f"{len(problems)} problems"))

    # Sign in through instance 0, then use the session through 1 and 2.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(servers[0].base + "/logg-inn").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode({"_csrf": csrf, "epost": "instanser@example.no", "passord": PASSWORD}).encode()
    opener.open(servers[0].base + "/logg-inn", form)
    for i, s in enumerate(servers):
        # The cookie is for 127.0.0.1, whatever the port, so the jar sends it to every instance.
        page = opener.open(s.base + "/konto").read().decode()
        if "instanser@example.no" not in page:
            problems.append(f"instance {i} did not know the signed-in user")
    print("a session made on instance 0 is valid on instances 0, 1 and 2" if not any("signed-in" in p for p in problems) else "session NOT shared")
    for s in servers:
        s.stop()
    print("OK" if not problems else "FAILED:\n  " + "\n  ".join(problems[:10]))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
