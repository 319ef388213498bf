#!/usr/bin/env python3
"""Soak: mixed reads and writes for a long while; zero errors and resident memory growing less than 10 % after warm-up.

    reliability/soak.py [--minutes 10] [--readers 8] [--writers 4] [--postgres-url URL]"""
import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from common import Veikart, get, get_json, request
from crash import activity_ids

PAGES = ["/", "/veikart/prioriterte", "/tiltak/pll", "/indikatorer", "/indikatorer/epj-effektivt", "/dashbord", "/status/2024-Q1",
         "/prioritering/ehelseradet-2022-09-21", "/rad/strategiradet/moter/2022-09-21", "/api/v1/indicators", "/api/v1/roadmap?aktor=helse-vest",
         "/rad/moter.ics", "/aktorer/helse-vest"]
WORDS = ["legemiddel", "journal", "kjernejournal", "helsenorge", "velferdsteknologi", "prøvesvar", "kommune", "sykehus", "indikator", "råd"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--readers", type=int, default=8)
    p.add_argument("--writers", type=int, default=4)
    p.add_argument("--postgres-url", default="")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veikart-soak-"))
    server = Veikart(args.postgres_url or f"sqlite://{work}/soak.sqlite", work).start()
    token = server.api_key("soak@example.no")
    stop = threading.Event()
    statuses = Counter()
    failures = []
    counts = Counter()

    def reader(i):
        n = i
        while not stop.is_set():
            n += 1
            path = PAGES[n % len(PAGES)] if n % 3 else "/sok?q=" + urllib.parse.quote(f"{WORDS[n % len(WORDS)]} {n % 97}")
            try:
                status, _ = get(server.base + path, timeout=30)
            except OSError as e:
                status = 0
                failures.append(f"{path}: {e}")
            statuses[status] += 1
            if status != 200 and len(failures) < 20:
                failures.append(f"{path}: {status}")

    def writer(activity, i):
        url = f"{server.base}/api/v1/records/activities/{activity}"
        _, record = get_json(url, token=token)
        version = record["version"]
        n = 0
        while not stop.is_set():
            n += 1
            status, raw = request("PATCH", url, {"version": version, "values": {"description": f"soak {i} {n}"}, "reason": "soak"}, token=token, timeout=30)
            statuses[status] += 1
            counts["writes"] += 1
            if status == 200:
                version = json.loads(raw)["version"]
            elif len(failures) < 20:
                failures.append(f"PATCH {activity}: {status} {raw[:200]!r}")
            time.sleep(0.05)

    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(args.readers)]
    threads += [threading.Thread(target=writer, args=(a, i), daemon=True) for i, a in enumerate(activity_ids(args.writers))]
    for t in threads:
        t.start()
    total = args.minutes * 60
    warmup = min(60, total / 5)
    time.sleep(warmup)
    baseline = server.rss_kib()
    samples = [baseline]
    started = time.time()
    while time.time() - started < total - warmup:
        time.sleep(min(10, total / 20))
        samples.append(server.rss_kib())
    stop.set()
    for t in threads:
        t.join(35)
    final = server.rss_kib()
    server.stop()
    growth = (final - baseline) / baseline * 100
    print(f"{args.minutes:g} min, {sum(statuses.values())} requests ({counts['writes']} writes): {dict(statuses)}")
    print(f"RSS after warm-up {baseline / 1024:.1f} MiB, at the end {final / 1024:.1f} MiB ({growth:+.1f} %), peak sample {max(samples) / 1024:.1f} MiB")
    ok = set(statuses) == {200} and growth < 10
    if failures:
        print("errors:", *failures[:10], sep="\n  ")
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
