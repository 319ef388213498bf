#!/usr/bin/env python3
"""Crash: under concurrent writes through the API, SIGKILL the server at a random moment, restart it and check that
every write the server acknowledged is there, and that the SQLite file passes PRAGMA integrity_check.

    reliability/crash.py [--rounds 20] [--writers 8] [--postgres-url URL]

Each writer owns one activity and writes "krasj-<writer>-<n>" into its description with n counting up; a 200 is an
acknowledgement. After a restart the stored n must be at least the last acknowledged one (one more is allowed: that
write committed but its answer was lost with the process). Exit status 1 on any loss or corruption."""
import argparse
import csv
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, Veikart, get_json, request


def activity_ids(n):
    rows = [r for r in csv.reader(l for l in open(ROOT / "Sources/App/Seed/dataset/activities.csv", encoding="utf-8") if not l.startswith("#"))]
    header = rows[0]
    return [r[header.index("id")] for r in rows[1:]][:n]


class Writer(threading.Thread):
    def __init__(self, base, token, activity, index, stop):
        super().__init__(daemon=True)
        self.base, self.token, self.activity, self.index, self.stop = base, token, activity, index, stop
        self.acked = -1
        self.n = 0
        self.errors = []

    def run(self):
        url = f"{self.base}/api/v1/records/activities/{self.activity}"
        try:
            status, record = get_json(url, token=self.token)
            version = record["version"]
            start = record["values"]["description"]
            m = re.match(rf"krasj-{self.index}-(\d+)$", start)
            self.n = int(m.group(1)) + 1 if m else 0
            self.acked = self.n - 1  # what is stored already counts as acknowledged (checked after the previous crash)
            while not self.stop.is_set():
                status, raw = request("PATCH", url, {"version": version, "values": {"description": f"krasj-{self.index}-{self.n}"}, "reason": "krasjtest"},
                                      token=self.token, timeout=10)
                if status == 200:
                    import json
                    version = json.loads(raw)["version"]
                    self.acked = self.n
                    self.n += 1
                elif status == 409:
                    status, record = get_json(url, token=self.token)
                    version = record["version"]
                else:
                    self.errors.append(f"{status} {raw[:200]!r}")
                    return
        except OSError:
            return  # the server is gone: that is the point


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--postgres-url", default="")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veikart-crash-"))
    sqlite_path = work / "crash.sqlite"
    url = args.postgres_url or f"sqlite://{sqlite_path}"
    server = Veikart(url, work).start()
    token = server.api_key("krasj@example.no")
    ids = activity_ids(args.writers)
    failures = 0
    acknowledged_total = 0
    for round_no in range(1, args.rounds + 1):
        stop = threading.Event()
        writers = [Writer(server.base, token, a, i, stop) for i, a in enumerate(ids)]
        for w in writers:
            w.start()
        time.sleep(random.uniform(0.3, 2.0))
        server.kill()
        stop.set()
        for w in writers:
            w.join(15)
        errors = [e for w in writers for e in w.errors]
        if not args.postgres_url:
            with sqlite3.connect(sqlite_path) as db:
                integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        else:
            integrity = "ok (PostgreSQL)"
        server = Veikart(url, work, port=server.port).start()
        lost = []
        for w in writers:
            status, record = get_json(f"{server.base}/api/v1/records/activities/{w.activity}", token=token)
            m = re.match(rf"krasj-{w.index}-(\d+)$", record["values"]["description"]) if status == 200 else None
            stored = int(m.group(1)) if m else -1
            if stored < w.acked or stored > w.acked + 1:
                lost.append(f"{w.activity}: acknowledged {w.acked}, stored {stored}")
        acked = sum(max(0, w.acked + 1) for w in writers)
        acknowledged_total += acked
        ok = not lost and not errors and integrity == "ok"
        failures += 0 if ok else 1
        print(f"round {round_no:2}: {acked:4} acknowledged writes, integrity {integrity}, "
              + ("nothing lost" if not lost else "LOST: " + "; ".join(lost)) + (f"; errors: {errors[:3]}" if errors else ""), flush=True)
    server.stop()
    print(f"{args.rounds} crashes, {acknowledged_total} acknowledged writes, {failures} failed rounds")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
