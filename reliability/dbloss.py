#!/usr/bin/env python3
"""Database loss: stop PostgreSQL for a while under load. Meanwhile Veikart must answer 503 with a Norwegian message (no
crash, no request hanging past the timeout), /healthz must say the database is unavailable, and service must come back
by itself once PostgreSQL is up. Run inside scripts/with-postgres (it provides VEIKART_PG_STOP/START).

    scripts/with-postgres python3 reliability/dbloss.py [--outage 10]"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from common import Veikart, get

PATHS = ["/tiltak/pll", "/indikatorer", "/api/v1/indicators", "/sok?q=legemiddel", "/rad", "/api/v1/roadmap?aktor=helse-vest"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--outage", type=float, default=10)
    args = p.parse_args()
    url = os.environ["TEST_POSTGRES_URL"]
    work = Path(tempfile.mkdtemp(prefix="veikart-dbloss-"))
    server = Veikart(url, work).start()
    results = []  # (phase, status, seconds, body)
    phase = ["before"]
    stop = threading.Event()

    def load(i):
        n = i
        while not stop.is_set():
            path = PATHS[n % len(PATHS)] + ("&" if "?" in PATHS[n % len(PATHS)] else "?") + f"n={n}"  # defeat the page cache
            n += 7
            started = time.time()
            try:
                status, body = get(server.base + path, timeout=30)
            except OSError as e:
                status, body = 0, str(e).encode()
            results.append((phase[0], status, time.time() - started, body[:400]))

    threads = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(3)
    phase[0] = "outage"
    subprocess.run([os.environ["VEIKART_PG_STOP"]], check=True, capture_output=True)
    time.sleep(1)
    health_status, health_body = get(server.base + "/healthz", timeout=30)
    time.sleep(max(0, args.outage - 1))
    subprocess.run([os.environ["VEIKART_PG_START"]], check=True, capture_output=True)
    phase[0] = "recovering"
    recovered_after = None
    t0 = time.time()
    while time.time() - t0 < 60:
        status, _ = get(server.base + "/healthz", timeout=30)
        if status == 200:
            recovered_after = time.time() - t0
            break
        time.sleep(0.2)
    phase[0] = "after"
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(35)
    alive = server.proc.poll() is None
    server.stop()

    def summary(name):
        rows = [r for r in results if r[0] == name]
        return Counter(r[1] for r in rows), max((r[2] for r in rows), default=0), rows

    problems = []
    for name in ["before", "outage", "recovering", "after"]:
        counts, slowest, rows = summary(name)
        print(f"{name:10}: {dict(counts)}; slowest answer {slowest:.2f} s", flush=True)
        if name in ("before", "after") and set(counts) != {200}:
            problems.append(f"{name}: not all 200: {dict(counts)}")
        if name == "outage":
            bad = [r for r in rows if r[1] not in (200, 503)]
            if bad:
                problems.append(f"outage: answers other than 503 (or a cached 200): {Counter(r[1] for r in bad)}; e.g. {bad[0][3]!r}")
            unavailable = [r for r in rows if r[1] == 503]
            if not unavailable:
                problems.append("outage: no 503 seen")
            elif not any("Databasen" in r[3].decode("utf-8", "replace") for r in unavailable):
                problems.append(f"outage: the 503 does not explain itself in Norwegian: {unavailable[0][3]!r}")
        if slowest > 12:
            problems.append(f"{name}: a request took {slowest:.1f} s")
    print(f"/healthz during the outage: {health_status} {health_body[:200]!r}")
    if health_status != 503:
        problems.append("/healthz did not report the outage")
    print(f"service back {recovered_after:.1f} s after PostgreSQL started" if recovered_after is not None else "service did NOT come back")
    if recovered_after is None:
        problems.append("no recovery")
    if not alive:
        problems.append("the server process died")
    print("OK" if not problems else "FAILED:\n  " + "\n  ".join(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
