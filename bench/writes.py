#!/usr/bin/env python3
"""Writes and the reads that follow them (called by bench/run; measures and prints, never asserts).

1. Per-write latency and the next reads: for each database and scale, a fresh `veikart generate`, one redaktor with an API
   token, about 20 activities spread over different initiatives. 100 times: PATCH one activity's description (a unique
   token in it), then GET its /tiltak page (the page the write changed: must show the token, else "stale") and /dashbord
   (a page the write did not change: should stay a cache hit). Also the first GET / after start, and the first
   /dashbord and /indikatorer/<id> after a fresh restart.
2. Reporting week: 40 reporters (a rapportor each, bound to one actor) edit their actor's activities every 2–4 s through
   the API and check the public /tiltak page shows their edit, while wrk reads public pages at full speed.
3. Cached pages beside two ceilings: Veikart's warm page cache, nginx serving the very same bytes, and `veikart ceiling`
   (a bare Vapor server with no middleware and no database answering with the same bytes and content type).

Writes bench/WRITES.md and bench/WRITES.json (bench/WRITES-quick.* with --quick). Shares Server, wrk(), nginx_conf(),
free_port() and wait_for() with bench.py.
"""
import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (bench.py's main() only runs as a script)
from bench import free_port, nginx_conf, wait_for, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HTTP_TIMEOUT = 30
COLD_TIMEOUT = 120  # the first request after a start may load the whole dataset
VALUES_LABEL = "1000 (values: scale 10 structure + per-municipality breakdowns, ~0.9 M values)"
CEILING_CONNECTIONS = [16, 64]
READER_CONNECTIONS = 16


# ---------------------------------------------------------------------------------------------------------------------
# Processes


class Server(bench.Server):
    """bench.Server that does not leave the process behind when it never answers, and says why."""

    def __init__(self, *a, **k):
        try:
            super().__init__(*a, **k)
        except BaseException:
            _abandon(self)
            raise


class Ceiling(bench.Server):
    """`veikart ceiling` answering every path with one file's bytes; stop(), base and rss_mib() as bench.Server."""

    def __init__(self, binary, workdir, body_file, content_type):
        self.port = free_port()
        self.log = open(Path(workdir) / f"ceiling-{self.port}.log", "w")
        self.proc = subprocess.Popen([binary, "ceiling", "--hostname", "127.0.0.1", "--port", str(self.port), "--body-file", str(body_file),
                                      "--content-type", content_type], cwd=workdir, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_for(f"http://127.0.0.1:{self.port}/", timeout=60)
        except BaseException:
            _abandon(self)
            raise


def _abandon(server):
    proc = getattr(server, "proc", None)
    if proc is not None:
        proc.kill()
        proc.wait()
    log = getattr(server, "log", None)
    if log is not None:
        log.close()
        try:
            tail = Path(log.name).read_text(errors="replace").strip().splitlines()[-15:]
            if tail:
                print("server log:\n  " + "\n  ".join(tail), flush=True)
        except OSError:
            pass


def cli_env(database_url):
    return {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "warning", "VEIKART_TODAY": "2026-11-22"}


def generate(binary, database_url, scale, workdir, breakdowns=False):
    """bench.generate with `--kommunefordeling` when asked for, and a time limit."""
    started = time.time()
    cmd = [binary, "generate", "--scale", str(scale)] + (["--kommunefordeling"] if breakdowns else [])
    out = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=cli_env(database_url), timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"veikart {' '.join(cmd[1:])} exited with {out.returncode}: {(out.stdout + out.stderr).strip()[-2000:]}")
    return (out.stdout.strip().splitlines() or [""])[-1], time.time() - started


def veikart_cli(binary, database_url, workdir, *arguments):
    """Runs `veikart …` (a separate process on the same database); a busy SQLite file gets two more tries."""
    last = None
    for attempt in range(3):
        out = subprocess.run([binary, *arguments], cwd=workdir, capture_output=True, text=True, env=cli_env(database_url), timeout=300)
        if out.returncode == 0:
            return out.stdout
        last = out.stdout + out.stderr
        if "finnes allerede" in last:  # an earlier try got through after all
            return out.stdout
        time.sleep(1 + attempt)
    raise SystemExit(f"veikart {' '.join(arguments)} failed:\n{last}")


def add_user_with_token(binary, database_url, workdir, email, role, actor=None):
    args = ["user", "add", "--email", email, "--role", role, "--name", email.split("@")[0]]
    if actor:
        args += ["--actor", actor]
    veikart_cli(binary, database_url, workdir, *args)  # prints a generated password: not needed, the token is
    out = veikart_cli(binary, database_url, workdir, "user", "token", "--email", email, "--name", "bench")
    lines = [l.strip() for l in out.strip().splitlines() if l.strip()]
    token = lines[-1] if lines else ""
    if not token.startswith("vk_"):
        found = re.findall(r"vk_\S+", out)
        if not found:
            raise SystemExit(f"veikart user token printed no token for {email}:\n{out}")
        token = found[-1]
    return token


def remove_sqlite(database_url):
    if database_url.startswith("sqlite://"):
        path = database_url[len("sqlite://"):]
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(path + suffix)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------------------------------
# HTTP with one keep-alive connection per client (urllib would open a new connection for every request)


class HTTPProblem(Exception):
    pass


class Client:
    def __init__(self, port, token=None, timeout=HTTP_TIMEOUT):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None
        self.used = False

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, method, path, body=None, auth=False):
        """(status, headers with lower-case names, body bytes, seconds). Seconds run from sending to the last body byte."""
        headers = {}
        data = None
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                self.used = False
            reused = self.used
            try:
                started = time.perf_counter()
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                payload = r.read()
                seconds = time.perf_counter() - started
                self.used = True
                answer = (r.status, {k.lower(): v for k, v in r.getheaders()}, payload, seconds)
                if r.will_close:
                    self.close()
                return answer
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 0 and reused:  # the server closed an idle keep-alive connection: once more on a new one
                    continue
                raise
            except BaseException:
                self.close()
                raise

    def json(self, path):
        status, _, payload, _ = self.request("GET", path)
        if status != 200:
            raise HTTPProblem(f"GET {path}: {status} {payload[:300]!r}")
        return json.loads(payload)


def q(segment):
    return urllib.parse.quote(segment, safe="")


# ---------------------------------------------------------------------------------------------------------------------
# Numbers


def pct(values, p):
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def dist_ms(seconds):
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50": pct(ms, 50), "p99": pct(ms, 99), "max": max(ms) if ms else float("nan")}


def f(v, digits=1):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.{digits}f}"


def triple(d):
    return f"{f(d['p50'])} / {f(d['p99'])} / {f(d['max'])}"


def ratio(a, b):
    return a / b if b else float("nan")


def clean(o):
    """JSON without NaN (json.dumps would write the invalid token NaN)."""
    if isinstance(o, float) and (math.isnan(o) or math.isinf(o)):
        return None
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    return o


def spread(items, n):
    """n items evenly spaced over the list first, then the rest in order: samples from the whole dataset."""
    if not items:
        return []
    first = []
    for j in range(n):
        i = min(len(items) - 1, j * len(items) // n)
        if i not in first:
            first.append(i)
    chosen = set(first)
    return [items[i] for i in first] + [x for i, x in enumerate(items) if i not in chosen]


# ---------------------------------------------------------------------------------------------------------------------
# Choosing what to edit


class PageMemo:
    """/tiltak/<slug> bodies fetched once (which also warms the page cache)."""

    def __init__(self, client):
        self.client = client
        self.bodies = {}

    def tiltak(self, slug):
        if slug not in self.bodies:
            status, _, body, _ = self.client.request("GET", f"/tiltak/{q(slug)}")
            self.bodies[slug] = body.decode("utf-8", "replace") if status == 200 else ""
        return self.bodies[slug]


def shown_on_page(memo, activities):
    """Activities whose row the public initiative page lists (so a new description can be looked for there). When the page
    shows none of them in the expected form, all are taken: the stale count will say if that was wrong."""
    by_initiative = {}
    for a in activities:
        by_initiative.setdefault(a["initiative"], []).append(a)
    shown = []
    for slug, acts in by_initiative.items():
        html = memo.tiltak(slug)
        if not html:
            continue
        matched = [a for a in acts if f'"aktivitet-{a["id"]}"' in html]
        shown += matched or acts
    return shown


def pick_activities(client, memo, n):
    """About n activities, one per initiative from initiatives spread over the list (more per initiative when too few)."""
    slugs = [i["slug"] for i in client.json("/api/v1/initiatives")["initiatives"]]
    picks, spare = [], []
    for slug in spread(slugs, n)[: 4 * n]:
        if len(picks) >= n:
            break
        acts = [{"id": a["id"], "initiative": a["initiative"], "actor": a["actor"]}
                for a in client.json(f"/api/v1/initiatives/{q(slug)}")["activities"]]
        acts = shown_on_page(memo, acts)
        if not acts:
            continue
        middle = len(acts) // 2
        picks.append(acts[middle])
        spare += acts[:middle] + acts[middle + 1:]
    while len(picks) < n and spare:
        picks.append(spare.pop(0))
    return picks


def pick_reporters(client, memo, n, per_reporter=5):
    """n actors that have activities shown on their initiative pages, each with up to per_reporter of them."""
    slugs = [a["slug"] for a in client.json("/api/v1/actors")["actors"]]
    reporters = []
    for slug in spread(slugs, n)[: 8 * n]:
        if len(reporters) >= n:
            break
        acts = [{"id": a["id"], "initiative": a["initiative"], "actor": a["actor"]}
                for a in client.json(f"/api/v1/actors/{q(slug)}")["activities"] if a["actor"] == slug]
        if not acts:
            continue
        acts = shown_on_page(memo, spread(acts, per_reporter)[:per_reporter])
        if acts:
            reporters.append({"actor": slug, "activities": acts})
    return reporters


def patch_description(api, activity_id, version, text):
    """PATCH with one retry on 409. Returns (status, new version or None, [seconds of each PATCH], conflicts)."""
    times, conflicts = [], 0
    body = {"version": version, "description": text, "reason": "Ytelsestest (bench/writes.py)"}
    status, _, payload, seconds = api.request("PATCH", f"/api/v1/activities/{q(activity_id)}", body, auth=True)
    times.append(seconds)
    if status == 409:
        conflicts += 1
        try:
            body["version"] = json.loads(payload)["current"]["version"]
        except (ValueError, KeyError, TypeError):
            return status, None, times, conflicts
        status, _, payload, seconds = api.request("PATCH", f"/api/v1/activities/{q(activity_id)}", body, auth=True)
        times.append(seconds)
    new_version = None
    if 200 <= status < 300:
        try:
            new_version = json.loads(payload)["version"]
        except (ValueError, KeyError, TypeError):
            pass
    return status, new_version, times, conflicts


# ---------------------------------------------------------------------------------------------------------------------
# 1. Per-write latency and the next reads


def first_request(args, database_url, workdir, path):
    """A fresh server; the first request for path (after /healthz answered), then the same path again."""
    server = Server(args.binary, database_url, workdir)
    try:
        c = Client(server.port, timeout=COLD_TIMEOUT)
        status, headers, body, first = c.request("GET", path)
        status2, headers2, _, second = c.request("GET", path)
        c.close()
        return {"path": path, "status": status, "bytes": len(body), "first_ms": first * 1000, "second_ms": second * 1000,
                "second_cache": headers2.get("x-veikart-cache", ""), "peak_rss_mib": server.rss_mib("VmHWM")}
    finally:
        server.stop()


def run_writes(args, database, database_url, spec, workdir, run_id):
    label, scale, breakdowns = spec
    summary, seconds = generate(args.binary, database_url, scale, workdir, breakdowns)
    print(f"\n## writes: {database}, scale {label}: {summary} (generated in {seconds:.0f} s)", flush=True)
    email = f"bench-redaktor-{run_id}-{database}-{scale}{'k' if breakdowns else ''}@example.org"
    token = add_user_with_token(args.binary, database_url, workdir, email, "redaktor")
    res = {"database": database, "scale": label, "generate_scale": scale, "kommunefordeling": breakdowns, "summary": summary,
           "generate_seconds": seconds}
    server = Server(args.binary, database_url, workdir)
    indicator = None
    try:
        cold = Client(server.port, timeout=COLD_TIMEOUT)
        status, headers, body, t = cold.request("GET", "/")
        cold.close()
        res["cold_root"] = {"ms": t * 1000, "status": status, "bytes": len(body), "cache": headers.get("x-veikart-cache", "")}
        print(f"first GET / after start: {t * 1000:.1f} ms (status {status}, {len(body)} bytes)", flush=True)

        api, pages = Client(server.port, token), Client(server.port)
        memo = PageMemo(pages)
        picks = pick_activities(api, memo, args.activities)
        if not picks:
            raise SystemExit("no activities to edit")
        versions = {a["id"]: api.json(f"/api/v1/activities/{q(a['id'])}")["version"] for a in picks}
        print(f"editing {len(picks)} activities in {len({a['initiative'] for a in picks})} initiatives", flush=True)
        for path in ["/dashbord", "/dashbord"] + [f"/tiltak/{q(s)}" for s in sorted({a["initiative"] for a in picks})]:
            pages.request("GET", path)
        _, h, _, _ = pages.request("GET", "/dashbord")
        res["dashboard_warm"] = h.get("x-veikart-cache", "")

        writes, affected, unaffected = [], [], []
        hits = stale = errors = conflicts = affected_hits = 0
        problems = []
        for i in range(args.iterations):
            a = picks[i % len(picks)]
            mark = f"bench-{run_id}-{i}"
            try:
                status, version, times, c = patch_description(api, a["id"], versions[a["id"]], f"Ytelsestest: beskrivelsen er endret ({mark}).")
                writes += times
                conflicts += c
                if version is None:
                    errors += 1
                    problems.append(f"PATCH {a['id']}: {status}")
                    versions[a["id"]] = api.json(f"/api/v1/activities/{q(a['id'])}")["version"]
                    continue
                versions[a["id"]] = version
                status, headers, body, t = pages.request("GET", f"/tiltak/{q(a['initiative'])}")
                affected.append(t)
                if status != 200:
                    errors += 1
                    problems.append(f"GET /tiltak/{a['initiative']}: {status}")
                elif f"({mark})".encode() not in body:  # in parentheses: bench-x-1 must not match bench-x-12
                    stale += 1
                affected_hits += headers.get("x-veikart-cache") == "hit"
                status, headers, _, t = pages.request("GET", "/dashbord")
                unaffected.append(t)
                if status != 200:
                    errors += 1
                    problems.append(f"GET /dashbord: {status}")
                hits += headers.get("x-veikart-cache") == "hit"
            except Exception as e:  # a timeout or a broken connection: counted, and the run goes on
                errors += 1
                problems.append(f"{type(e).__name__}: {e}")
        n = args.iterations
        res.update({"iterations": n, "activities": len(picks), "write": dist_ms(writes), "affected": dist_ms(affected),
                    "unaffected": dist_ms(unaffected), "unaffected_hits": hits, "unaffected_hit_ratio": ratio(hits, len(unaffected)),
                    "affected_hits": affected_hits, "stale": stale, "errors": errors, "conflicts": conflicts, "problems": problems[:10]})
        try:
            indicators = api.json("/api/v1/indicators")["indicators"]
            indicator = indicators[len(indicators) // 2]["id"] if indicators else None
        except (HTTPProblem, OSError, ValueError, KeyError) as e:
            print(f"no indicator for the restart measurement: {e}", flush=True)
        api.close()
        pages.close()
    finally:
        res["peak_rss_mib"] = server.rss_mib("VmHWM")
        server.stop()
    print(f"{database:8} {label[:4]:>5}  write p50/p99/max {triple(res['write'])} ms | affected read {triple(res['affected'])} ms | "
          f"unaffected read {triple(res['unaffected'])} ms, hits {res['unaffected_hits']}/{len(unaffected)} | stale {res['stale']} "
          f"errors {res['errors']} conflicts {res['conflicts']} | peak RSS {res['peak_rss_mib']:.0f} MiB", flush=True)
    for p in res["problems"]:
        print(f"  problem: {p}", flush=True)

    res["restart"] = []
    for path in ["/dashbord"] + ([f"/indikatorer/{q(indicator)}"] if indicator else []):
        try:
            r = first_request(args, database_url, workdir, path)
        except (Exception, SystemExit) as e:
            print(f"after a restart: GET {path} failed: {type(e).__name__}: {e}", flush=True)
            continue
        res["restart"].append(r)
        print(f"after a restart: first GET {path}: {r['first_ms']:.1f} ms (status {r['status']}, {r['bytes']} bytes), "
              f"second {r['second_ms']:.1f} ms ({r['second_cache'] or 'no cache header'}); peak RSS {r['peak_rss_mib']:.0f} MiB", flush=True)
    return res


# ---------------------------------------------------------------------------------------------------------------------
# 2. Reporting week

READER_LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def reporter_loop(port, rep, deadline, run_id, seed, out):
    rnd = random.Random(seed)
    api = Client(port, rep["token"])
    writes, versions_read, pages_read = [], [], []
    n = conflicts = errors = stale = 0
    problems = []
    i = 0
    while True:
        pause = rnd.uniform(2, 4)
        if time.monotonic() + pause >= deadline:
            break
        time.sleep(pause)
        a = rep["activities"][i % len(rep["activities"])]
        i += 1
        mark = f"bench-{run_id}-{rep['actor']}-{i}"
        try:
            status, _, payload, t = api.request("GET", f"/api/v1/activities/{q(a['id'])}", auth=True)
            versions_read.append(t)
            if status != 200:
                errors += 1
                problems.append(f"GET activity {a['id']}: {status}")
                continue
            version = json.loads(payload)["version"]
            status, _, times, c = patch_description(api, a["id"], version, f"Rapportert i ytelsestest ({mark}).")
            writes += times
            conflicts += c
            if not 200 <= status < 300:
                errors += 1
                problems.append(f"PATCH {a['id']}: {status}")
                continue
            n += 1
            status, _, body, t = api.request("GET", f"/tiltak/{q(a['initiative'])}")  # no Authorization: as the public
            pages_read.append(t)
            if status != 200:
                errors += 1
                problems.append(f"GET /tiltak/{a['initiative']}: {status}")
            elif f"({mark})".encode() not in body:  # in parentheses: bench-x-1 must not match bench-x-12
                stale += 1
        except Exception as e:
            errors += 1
            problems.append(f"{type(e).__name__}: {e}")
    api.close()
    out.update({"writes": n, "write_times": writes, "version_times": versions_read, "page_times": pages_read,
                "conflicts": conflicts, "errors": errors, "stale": stale, "problems": problems[:3]})


def run_week(args, database, database_url, scale, workdir, run_id):
    summary, seconds = generate(args.binary, database_url, scale, workdir)
    print(f"\n## reporting week: {database}, scale {scale}: {summary} (generated in {seconds:.0f} s)", flush=True)
    res = {"database": database, "scale": scale, "summary": summary, "generate_seconds": seconds, "duration_s": args.week_duration}
    server = Server(args.binary, database_url, workdir)
    try:
        client = Client(server.port, timeout=COLD_TIMEOUT)  # setup: the first requests load the dataset
        memo = PageMemo(client)
        reporters = pick_reporters(client, memo, args.reporters)
        if not reporters:
            raise SystemExit("no actors with activities")
        print(f"{len(reporters)} reporters, creating their users and tokens…", flush=True)
        started = time.time()
        for k, rep in enumerate(reporters):
            email = f"bench-rapportor-{run_id}-{database}-{scale}-{k}@example.org"
            rep["token"] = add_user_with_token(args.binary, database_url, workdir, email, "rapportor", actor=rep["actor"])
        print(f"users ready in {time.time() - started:.0f} s", flush=True)

        initiatives = []
        for rep in reporters:
            for a in rep["activities"]:
                if a["initiative"] not in initiatives:
                    initiatives.append(a["initiative"])
        paths = ["/", "/dashbord", "/indikatorer", "/veikart", "/rad"] + [f"/tiltak/{q(s)}" for s in initiatives[:4]] \
            + [f"/aktorer/{q(r['actor'])}" for r in reporters[:3]]
        for p in paths:
            client.request("GET", p)  # warm, as a visitor would have before the week starts
        client.close()
        lua = Path(workdir) / f"readers-{database}-{scale}.lua"
        lua.write_text(READER_LUA % ", ".join(json.dumps(p) for p in paths))

        reader = {}
        wrk_thread = threading.Thread(target=lambda: reader.update(wrk(server.base + "/", READER_CONNECTIONS, f"{args.week_duration}s", script=str(lua))),
                                      daemon=True)
        deadline = time.monotonic() + args.week_duration
        outs = [{} for _ in reporters]
        threads = [threading.Thread(target=reporter_loop, args=(server.port, rep, deadline, run_id, k, outs[k]), daemon=True)
                   for k, rep in enumerate(reporters)]
        wrk_thread.start()
        for t in threads:
            t.start()
        for t in threads + [wrk_thread]:
            t.join(max(1, deadline - time.monotonic()) + 4 * HTTP_TIMEOUT + 15)
        hung = sum(t.is_alive() for t in threads + [wrk_thread])

        write_times = [x for o in outs for x in o.get("write_times", [])]
        res.update({"reporters": len(reporters), "reader_paths": paths, "writes": sum(o.get("writes", 0) for o in outs),
                    "write": dist_ms(write_times), "version_read": dist_ms([x for o in outs for x in o.get("version_times", [])]),
                    "page_read": dist_ms([x for o in outs for x in o.get("page_times", [])]),
                    "conflicts": sum(o.get("conflicts", 0) for o in outs), "errors": sum(o.get("errors", 0) for o in outs),
                    "stale": sum(o.get("stale", 0) for o in outs), "hung_threads": hung,
                    "problems": [p for o in outs for p in o.get("problems", [])][:10],
                    "readers": reader or {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": 0, "socket": "wrk gave no result"}})
    finally:
        res["peak_rss_mib"] = server.rss_mib("VmHWM")
        server.stop()
    r = res["readers"]
    print(f"{database:8} s{scale:<4} {res['reporters']} reporters, {res['writes']} writes, write p50/p99/max {triple(res['write'])} ms, "
          f"conflicts {res['conflicts']}, errors {res['errors']}, stale {res['stale']} | readers {r['rps']:.0f} req/s p50 {f(r['p50'], 2)} "
          f"p99 {f(r['p99'], 2)} ms non-2xx {r['errors']}{' socket ' + r['socket'] if r['socket'] else ''} | peak RSS {res['peak_rss_mib']:.0f} MiB",
          flush=True)
    for p in res["problems"]:
        print(f"  problem: {p}", flush=True)
    return res


# ---------------------------------------------------------------------------------------------------------------------
# 3. Cached pages beside two ceilings


def run_ceilings(args, database, database_url, scale, workdir):
    summary, seconds = generate(args.binary, database_url, scale, workdir)
    print(f"\n## cached pages beside nginx and Vapor's ceiling: {database}, scale {scale}: {summary}", flush=True)
    server = Server(args.binary, database_url, workdir)
    static = Path(workdir) / f"ceiling-{database}-{scale}"
    static.mkdir(exist_ok=True)
    rows, nginx, ceiling = [], None, None
    try:
        client = Client(server.port, timeout=COLD_TIMEOUT)  # setup: the first requests load the dataset
        slug = None
        for i in client.json("/api/v1/initiatives")["initiatives"]:
            if client.json(f"/api/v1/initiatives/{q(i['slug'])}")["activities"]:
                slug = i["slug"]
                break
        routes = ["/"] + ([f"/tiltak/{q(slug)}"] if slug else []) + ["/dashbord", "/indikatorer"]
        pages = []
        for k, route in enumerate(routes):
            client.request("GET", route)  # fills the cache
            status, headers, body, _ = client.request("GET", route)
            ctype = headers.get("content-type", "text/html; charset=utf-8")
            file = static / f"{k}.body"
            file.write_bytes(body)
            pages.append({"route": route, "file": file, "ctype": ctype, "bytes": len(body), "status": status,
                          "cache": headers.get("x-veikart-cache", "")})
        client.close()
        nginx_port = free_port()
        nginx = nginx_conf(workdir, nginx_port, [(p["route"], str(p["file"]), p["ctype"]) for p in pages])
        for p in pages:
            ceiling = Ceiling(args.binary, workdir, p["file"], p["ctype"])
            try:
                for c in CEILING_CONNECTIONS:
                    v = wrk(server.base + p["route"], c, args.duration)
                    cl = wrk(ceiling.base + p["route"], c, args.duration)
                    n = wrk(f"http://127.0.0.1:{nginx_port}{p['route']}", c, args.duration)
                    row = {"database": database, "scale": scale, "route": p["route"], "bytes": p["bytes"], "content_type": p["ctype"],
                           "warm": p["cache"], "connections": c, "veikart": v, "ceiling": cl, "nginx": n,
                           "veikart_ceiling": ratio(v["rps"], cl["rps"]), "veikart_nginx": ratio(v["rps"], n["rps"]),
                           "ceiling_nginx": ratio(cl["rps"], n["rps"])}
                    rows.append(row)
                    errs = "".join(f"  {name} ERRORS {x['errors']} {x['socket']}" for name, x in (("veikart", v), ("ceiling", cl), ("nginx", n))
                                   if x["errors"] or x["socket"])
                    print(f"{database:8} s{scale:<4} c{c:<3} {p['route'][:40]:40} veikart {v['rps']:8.0f} req/s p99 {f(v['p99'], 2):>6} | ceiling "
                          f"{cl['rps']:8.0f} p99 {f(cl['p99'], 2):>6} | nginx {n['rps']:8.0f} p99 {f(n['p99'], 2):>6} | V/ceiling "
                          f"{f(row['veikart_ceiling'], 2)} V/nginx {f(row['veikart_nginx'], 2)} ceiling/nginx {f(row['ceiling_nginx'], 2)}{errs}",
                          flush=True)
            finally:
                ceiling.stop()
                ceiling = None
    finally:
        if nginx is not None:
            nginx.terminate()
            try:
                nginx.wait(10)
            except subprocess.TimeoutExpired:
                nginx.kill()
        peak = server.rss_mib("VmHWM")
        server.stop()
    return {"database": database, "scale": scale, "summary": summary, "peak_rss_mib": peak, "rows": rows}


# ---------------------------------------------------------------------------------------------------------------------
# Report


def markdown(results, args):
    lines = ["# Writes, the reads after them, and cached pages beside two ceilings", "",
             f"Machine: {os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB RAM; "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `python3 bench/writes.py {' '.join(sys.argv[1:])}`; release build; "
             "loopback; the load generators share the machine with the server. Timed requests use one keep-alive connection per client "
             "(Python http.client), measured from sending the request to the last byte of the body. Measures; never asserts.", ""]
    if results["writes"]:
        lines += ["## Per-write latency and the next reads", "",
                  f"A redaktor edits the description of one of ~{args.activities} activities (spread over initiatives) through "
                  "`PATCH /api/v1/activities/{id}`; then the same client reads the activity's `/tiltak/<slug>` page (the page the write "
                  "changed; *stale* counts answers without the new text) and `/dashbord` (a page the write did not change; *hits* counts "
                  "`X-Veikart-Cache: hit`). Times in ms as p50 / p99 / max. *Cold /*: the first `GET /` after the server started "
                  "(a new connection).", "",
                  "| database | scale | cold `/` ms | writes | write ms | affected read ms | unaffected read ms | unaffected hits | stale | errors | conflicts | peak RSS MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in results["writes"]:
            if "write" not in r:
                continue
            lines.append(f"| {r['database']} | {r['scale']} | {f(r['cold_root']['ms'])} | {r['write']['n']} | {triple(r['write'])} | "
                         f"{triple(r['affected'])} | {triple(r['unaffected'])} | {r['unaffected_hits']}/{r['unaffected']['n']} "
                         f"({f(100 * r['unaffected_hit_ratio'], 0)} %) | {r['stale']} | {r['errors']} | {r['conflicts']} | {f(r['peak_rss_mib'], 0)} |")
        lines += ["", "After a fresh restart, the first request for a page (after `/healthz` answered) and the second one:", "",
                  "| database | scale | page | bytes | first ms | second ms (cache) | peak RSS MiB |", "|---|---|---|---|---|---|---|"]
        for r in results["writes"]:
            for x in r.get("restart", []):
                lines.append(f"| {r['database']} | {r['scale']} | `{x['path']}` | {x['bytes']} | {f(x['first_ms'])} | "
                             f"{f(x['second_ms'])} ({x['second_cache'] or '–'}) | {f(x['peak_rss_mib'], 0)} |")
        lines += [""] + [f"- {r['database']}, scale {r['scale']}: {r['summary']} (generated in {r['generate_seconds']:.0f} s)"
                         for r in results["writes"] if "summary" in r]
        lines.append("")
    if results["week"]:
        lines += ["## Reporting week", "",
                  f"Each reporter is a thread with its own rapportor account bound to one actor and an API token; for {args.week_duration} s it "
                  "sleeps 2–4 s, reads an activity of its actor (`GET /api/v1/activities/{id}`), PATCHes a new description (a 409 is retried "
                  "once with the fresh version and counted as a conflict), then reads the activity's `/tiltak/<slug>` page without a token "
                  f"and looks for the new text (*stale* if it is missing). Meanwhile wrk reads public pages at full speed with "
                  f"{READER_CONNECTIONS} connections, rotating through `/`, `/dashbord`, `/indikatorer`, `/veikart`, `/rad` and a few "
                  "`/tiltak/…` and `/aktorer/…` pages. Write times (ms, p50 / p99 / max) include retried PATCHes.", "",
                  "| database | scale | reporters | writes | write ms | conflicts | errors | stale | page check ms (p50 / p99 / max) | reader req/s | reader p50 ms | reader p99 ms | reader non-2xx | peak RSS MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in results["week"]:
            if "write" not in r:
                continue
            x = r["readers"]
            lines.append(f"| {r['database']} | {r['scale']} | {r['reporters']} | {r['writes']} | {triple(r['write'])} | {r['conflicts']} | {r['errors']} | "
                         f"{r['stale']} | {triple(r['page_read'])} | {x['rps']:.0f} | {f(x['p50'], 2)} | {f(x['p99'], 2)} | {x['errors']}"
                         f"{' (socket: ' + x['socket'] + ')' if x['socket'] else ''} | {f(r['peak_rss_mib'], 0)} |")
        lines += [""] + [f"- {r['database']}, scale {r['scale']}: {r['summary']}" for r in results["week"] if "summary" in r]
        lines.append("")
    if results["ceilings"]:
        lines += ["## Cached pages beside two ceilings", "",
                  "Veikart answering from its warm page cache; `veikart ceiling` (Vapor with no middleware and no database, one route "
                  "answering with the same bytes and content type); nginx serving the same bytes as a static file. "
                  f"wrk, {args.duration} per cell; req/s, p50 / p99 ms. Veikart's headers are longer (ETag, Last-Modified, security headers).", ""]
        for res in results["ceilings"]:
            if "rows" not in res:
                continue
            lines += [f"### {res['database']}, scale {res['scale']}", "", res["summary"], "",
                      f"Peak RSS of Veikart: {f(res['peak_rss_mib'], 0)} MiB.", "",
                      "| page | bytes | conns | Veikart req/s | p50 / p99 | ceiling req/s | p50 / p99 | nginx req/s | p50 / p99 | Veikart/ceiling | Veikart/nginx | ceiling/nginx |",
                      "|---|---|---|---|---|---|---|---|---|---|---|---|"]
            for r in res["rows"]:
                v, c, n = r["veikart"], r["ceiling"], r["nginx"]
                warm = "" if r["warm"] == "hit" else f" (cache: {r['warm'] or '–'})"
                lines.append(f"| `{r['route']}`{warm} | {r['bytes']} | {r['connections']} | {v['rps']:.0f} | {f(v['p50'], 2)} / {f(v['p99'], 2)} | "
                             f"{c['rps']:.0f} | {f(c['p50'], 2)} / {f(c['p99'], 2)} | {n['rps']:.0f} | {f(n['p50'], 2)} / {f(n['p99'], 2)} | "
                             f"{f(r['veikart_ceiling'], 2)} | {f(r['veikart_nginx'], 2)} | {f(r['ceiling_nginx'], 2)} |")
            lines.append("")
    failed = [(kind, r) for kind in ("writes", "week", "ceilings") for r in results[kind] if "error" in r]
    if failed:
        lines += ["## Measurements that failed", ""] + [f"- {kind}, {r['database']}, scale {r['scale']}: `{r['error'][:500]}`" for kind, r in failed]
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------------


def scale_specs(text):
    specs = []
    for s in [s.strip() for s in text.split(",") if s.strip()]:
        n = int(s)
        # "1000" here is the values-heavy variant: scale 10's structure with a breakdown per municipality for every indicator.
        specs.append((VALUES_LABEL, 10, True) if n == 1000 else (str(n), n, False))
    return specs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--binary", required=True)
    p.add_argument("--postgres-url", default="")
    p.add_argument("--write-scales", default=None, help="default 1,10,100,1000 (1000: scale 10 with --kommunefordeling)")
    p.add_argument("--week-scales", default=None, help="default 10,100")
    p.add_argument("--week-duration", type=int, default=None, help="seconds, default 60")
    p.add_argument("--duration", default=None, help="wrk duration per cell of the ceiling comparison, default 5s")
    p.add_argument("--ceiling-scale", default=None, help="scale of the ceiling comparison, default 10; empty skips it")
    p.add_argument("--iterations", type=int, default=100)
    p.add_argument("--activities", type=int, default=20)
    p.add_argument("--reporters", type=int, default=40)
    p.add_argument("--quick", action="store_true", help="scale 1 only, a 10 s week, 2 s per wrk cell; writes bench/WRITES-quick.md")
    p.add_argument("--out", default=None)
    args = p.parse_args()
    quick = args.quick
    for name, normal, fast in [("write_scales", "1,10,100,1000", "1"), ("week_scales", "10,100", "1"), ("week_duration", 60, 10),
                               ("duration", "5s", "2s"), ("ceiling_scale", "10", "1"),
                               ("out", str(ROOT / "bench" / "WRITES.md"), str(ROOT / "bench" / "WRITES-quick.md"))]:
        if getattr(args, name) is None:
            setattr(args, name, fast if quick else normal)

    databases = [("sqlite", None)] + ([("postgres", args.postgres_url)] if args.postgres_url else [])
    run_id = uuid.uuid4().hex[:8]
    results = {"run_id": run_id, "argv": sys.argv[1:], "writes": [], "week": [], "ceilings": []}
    workdir = tempfile.mkdtemp(prefix="veikart-writes-")
    os.chmod(workdir, 0o755)  # nginx's workers (not root) read the static copies from here
    started = time.time()

    def section(kind, database, url, scale, run):
        """One measurement; a failure is printed and recorded, and the other measurements still run."""
        try:
            results[kind].append(run())
        except (Exception, SystemExit) as e:
            message = f"{type(e).__name__}: {e}".strip()
            print(f"FAILED ({kind}, {database}, scale {scale}): {message}", flush=True)
            results[kind].append({"database": database, "scale": scale, "error": message[:2000]})
        finally:
            remove_sqlite(url)

    try:
        for spec in scale_specs(args.write_scales):
            for database, url in databases:
                url = url or f"sqlite://{workdir}/w{spec[1]}{'k' if spec[2] else ''}.sqlite"
                section("writes", database, url, spec[0], lambda: run_writes(args, database, url, spec, workdir, run_id))
        for scale in [int(s) for s in args.week_scales.split(",") if s.strip()]:
            for database, url in databases:
                url = url or f"sqlite://{workdir}/r{scale}.sqlite"
                section("week", database, url, scale, lambda: run_week(args, database, url, scale, workdir, run_id))
        if str(args.ceiling_scale).strip():
            scale = int(args.ceiling_scale)
            for database, url in databases:
                url = url or f"sqlite://{workdir}/c{scale}.sqlite"
                section("ceilings", database, url, scale, lambda: run_ceilings(args, database, url, scale, workdir))
        out = Path(args.out)
        out.write_text(markdown(results, args) + "\n")
        out.with_suffix(".json").write_text(json.dumps(clean(results), indent=1, default=str))
        print(f"\nwrote {out} ({time.time() - started:.0f} s)", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    failed = sum("error" in r for kind in ("writes", "week", "ceilings") for r in results[kind])
    if failed:
        raise SystemExit(f"{failed} measurement(s) failed (listed in {args.out})")


if __name__ == "__main__":
    main()
