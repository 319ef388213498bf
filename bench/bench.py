#!/usr/bin/env python3
"""Veikart beside nginx serving the very same bytes, route by route (called by bench/run; measures, never asserts).

For each database and scale: a fresh database filled by `veikart generate --scale N`, the release server on loopback,
every main page and API route fetched once (warm-up) and saved as a static file that nginx then serves with the same
content type. wrk measures both at each connection count; the table gives req/s, p50/p99, the ratio to nginx and
Veikart's peak RSS. Search is also measured with a new query on every request (no cache can help), and optionally
1, 2 and 3 instances behind nginx as a load balancer on one PostgreSQL.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ROUTES = [
    "/", "/veikart", "/veikart/prioriterte", "/mal/2", "/delmal/2.C", "/tiltak/pll", "/aktorer", "/aktorer/helse-vest",
    "/indikatorer", "/indikatorer/epj-effektivt", "/dashbord", "/status", "/status/2024-Q1", "/prioritering",
    "/prioritering/ehelseradet-2022-09-21", "/rad", "/rad/strategiradet", "/rad/strategiradet/moter/2022-09-21", "/rad/moter.ics",
    "/sok?q=legemiddel", "/api/v1/strategy", "/api/v1/initiatives", "/api/v1/roadmap", "/api/v1/indicators",
    "/api/v1/indicators/epj-effektivt", "/api/v1/search?q=legemiddel", "/api/v1/councils", "/api/v1/meetings/ehr-2022-09-21",
]

SEARCH_LUA = r"""
local words = {}
for line in io.lines(os.getenv("VEIKART_WORDS")) do words[#words + 1] = line end
math.randomseed(os.time())
request = function()
  local q = words[math.random(#words)] .. "+" .. words[math.random(#words)]
  return wrk.format("GET", "/api/v1/search?q=" .. q)
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url}")


def wrk(url, connections, duration, script=None, env=None):
    threads = min(connections, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout

    def ms(label):
        m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, out, re.M)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": ms("50"), "p99": ms("99"),
            "errors": int(errors.group(1)) if errors else 0, "socket": socket_errors.group(1) if socket_errors else ""}


class Server:
    def __init__(self, binary, database_url, workdir, port=None):
        self.port = port or free_port()
        self.log = open(Path(workdir) / f"server-{self.port}.log", "w")
        self.proc = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)], cwd=workdir,
                                     env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "warning", "VEIKART_TODAY": "2026-11-22"},
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{self.port}/healthz")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def rss_mib(self, key="VmRSS"):
        try:
            for line in open(f"/proc/{self.proc.pid}/status"):
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        except FileNotFoundError:
            pass
        return float("nan")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def nginx_conf(workdir, port, locations, upstreams=None):
    conf = Path(workdir) / f"nginx-{port}.conf"
    body = [f"worker_processes {os.cpu_count() or 2};", f"pid {workdir}/nginx-{port}.pid;", "error_log stderr error;",
            "events { worker_connections 4096; }", "http {", "  access_log off;", "  keepalive_requests 1000000;", "  sendfile on;", "  tcp_nopush on;",
            f"  client_body_temp_path {workdir}/nginx-tmp;", f"  proxy_temp_path {workdir}/nginx-tmp;",
            f"  fastcgi_temp_path {workdir}/nginx-tmp;", f"  uwsgi_temp_path {workdir}/nginx-tmp;", f"  scgi_temp_path {workdir}/nginx-tmp;"]
    if upstreams:
        body += ["  upstream veikart {"] + [f"    server 127.0.0.1:{p};" for p in upstreams] + ["    keepalive 64;", "  }"]
    body += [f"  server {{ listen 127.0.0.1:{port};"]
    for path, file, ctype in locations:
        # try_files, not alias: "/" would otherwise be taken for a directory.
        body.append(f"    location = {path} {{ root {Path(file).parent}; default_type \"{ctype}\"; try_files /{Path(file).name} =404; }}")
    if upstreams:
        body.append("    location / { proxy_pass http://veikart; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host $host; }")
    body += ["  }", "}"]
    conf.write_text("\n".join(body) + "\n")
    Path(workdir, "nginx-tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("nginx did not start: " + proc.stderr.read().decode())


def generate(binary, database_url, scale, workdir):
    started = time.time()
    out = subprocess.run([binary, "generate", "--scale", str(scale)], cwd=workdir, capture_output=True, text=True,
                         env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "warning"})
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    return out.stdout.strip().splitlines()[-1], time.time() - started


def search_words(server):
    with urllib.request.urlopen(server.base + "/api/v1/search?q=a") as r:
        pass
    words = set()
    for path in ["/api/v1/initiatives", "/api/v1/indicators"]:
        with urllib.request.urlopen(server.base + path) as r:
            words.update(w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]{4,}", r.read().decode()))
    # Percent-encoded: wrk sends the request line as written, and a raw æ/ø/å there is not valid HTTP.
    return sorted(urllib.parse.quote(w) for w in words)


def run_scale(args, binary, database, database_url, scale, workdir, connections, routes, results):
    summary, seconds = generate(binary, database_url, scale, workdir)
    print(f"\n## {database}, scale {scale}: {summary} (generated in {seconds:.0f} s)", flush=True)
    server = Server(binary, database_url, workdir)
    static = Path(workdir) / f"static-{database}-{scale}"
    static.mkdir(exist_ok=True)
    locations = []
    sizes = {}
    for i, route in enumerate(routes):
        with urllib.request.urlopen(server.base + route, timeout=120) as r:
            body = r.read()
            ctype = r.headers.get("Content-Type", "text/html")
        f = static / f"{i}.body"
        f.write_bytes(body)
        locations.append((route.split("?")[0], str(f), ctype))
        sizes[route] = len(body)
    nginx_port = free_port()
    nginx = nginx_conf(workdir, nginx_port, locations)
    rows = []
    try:
        for c in connections:
            for route in routes:
                v = wrk(server.base + route, c, args.duration)
                n = wrk(f"http://127.0.0.1:{nginx_port}{route}", c, args.duration)
                row = {"database": database, "scale": scale, "connections": c, "route": route, "bytes": sizes[route], "veikart": v, "nginx": n}
                rows.append(row)
                print(f"{database:8} s{scale:<4} c{c:<3} {route:45} {v['rps']:9.0f} req/s p50 {v['p50']:7.2f} p99 {v['p99']:7.2f} ms | nginx {n['rps']:9.0f} "
                      f"p99 {n['p99']:6.2f} | ratio {v['rps'] / n['rps'] if n['rps'] else 0:5.2f}{'  ERRORS ' + str(v['errors']) if v['errors'] else ''}"
                      f"{'  NGINX ERRORS ' + str(n['errors']) + ' ' + n['socket'] if n['errors'] or n['socket'] else ''}",
                      flush=True)
        words = Path(workdir) / "words.txt"
        words.write_text("\n".join(search_words(server)) + "\n")
        lua = Path(workdir) / "search.lua"
        lua.write_text(SEARCH_LUA)
        for c in connections:
            s = wrk(server.base + "/", c, args.duration, script=str(lua), env={"VEIKART_WORDS": str(words)})
            print(f"{database:8} s{scale:<4} c{c:<3} {'search, a new query every request':45} {s['rps']:9.0f} req/s p50 {s['p50']:7.2f} p99 {s['p99']:7.2f} ms", flush=True)
            rows.append({"database": database, "scale": scale, "connections": c, "route": "search (uncached, random queries)", "bytes": 0, "veikart": s, "nginx": None})
        with urllib.request.urlopen(server.base + "/api/v1/search?q=generert") as r:
            pass
    finally:
        nginx.terminate()
        nginx.wait()
        peak = server.rss_mib("VmHWM")
        server.stop()
    print(f"peak RSS of veikart: {peak:.0f} MiB", flush=True)
    results.append({"database": database, "scale": scale, "summary": summary, "generate_seconds": seconds, "peak_rss_mib": peak, "rows": rows})


def run_instances(args, binary, database_url, workdir, results):
    """1, 2 and 3 instances on one PostgreSQL behind nginx; mixed reads with a write every 20 requests."""
    print("\n## instances behind nginx (PostgreSQL)", flush=True)
    generate(binary, database_url, 10, workdir)
    servers = [Server(binary, database_url, workdir) for _ in range(3)]
    lua = Path(workdir) / "mixed.lua"
    lua.write_text(MIXED_LUA)
    paths = re.findall(r'"(/[^"]*)"', MIXED_LUA)
    for s in servers:  # warm every instance (dataset load, page cache) as the single-server runs are warmed
        for path in paths:
            with urllib.request.urlopen(s.base + path, timeout=120) as r:
                r.read()
    rows = []
    try:
        for n in (1, 2, 3):
            port = free_port()
            nginx = nginx_conf(workdir, port, [], upstreams=[s.port for s in servers[:n]])
            r = wrk(f"http://127.0.0.1:{port}/", 64, args.duration, script=str(lua))
            nginx.terminate()
            nginx.wait()
            rows.append({"instances": n, "result": r})
            print(f"{n} instance(s): {r['rps']:9.0f} req/s p50 {r['p50']:7.2f} p99 {r['p99']:7.2f} ms errors {r['errors']}", flush=True)
    finally:
        for s in servers:
            s.stop()
    results.append({"instances": rows})


MIXED_LUA = r"""
local paths = {"/", "/veikart/prioriterte", "/tiltak/pll", "/indikatorer", "/dashbord", "/status/2024-Q1", "/rad", "/api/v1/indicators",
               "/sok?q=legemiddel", "/aktorer", "/rad/strategiradet/moter/2022-09-21", "/api/v1/roadmap?aktor=helse-vest"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
"""


def markdown(results, args):
    lines = [f"# Benchmark results", "",
             f"Machine: {os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB RAM; "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `bench/run {' '.join(sys.argv[1:])}`; wrk (Debian), nginx (Debian) serving "
             "the same response bytes as static files; release build; loopback; each cell "
             f"{args.duration} of wrk.", "",
             "Writes, the reads after them, the reporting week and cached pages beside Vapor's own ceiling: "
             "[WRITES.md](WRITES.md) (`bench/writes.py`, run by `bench/run` after this).", ""]
    for res in results:
        if "instances" in res:
            lines += ["## Instances behind nginx on one PostgreSQL (mixed reads, 64 connections)", "", "| instances | req/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
            for r in res["instances"]:
                x = r["result"]
                lines.append(f"| {r['instances']} | {x['rps']:.0f} | {x['p50']:.2f} | {x['p99']:.2f} | {x['errors']} |")
            lines.append("")
            continue
        lines += [f"## {res['database']}, scale {res['scale']}", "", res["summary"], "",
                  f"Generated in {res['generate_seconds']:.0f} s. Peak RSS of Veikart: **{res['peak_rss_mib']:.0f} MiB**.", "",
                  "| route | conns | bytes | Veikart req/s | p50 ms | p99 ms | nginx req/s | nginx p99 ms | throughput ratio | p99 ratio |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in res["rows"]:
            v, n = r["veikart"], r["nginx"]
            if n:
                lines.append(f"| `{r['route']}` | {r['connections']} | {r['bytes']} | {v['rps']:.0f} | {v['p50']:.2f} | {v['p99']:.2f} | {n['rps']:.0f} | {n['p99']:.2f} | "
                             f"{v['rps'] / n['rps'] if n['rps'] else 0:.2f} | {v['p99'] / n['p99'] if n['p99'] else 0:.1f} |")
            else:
                lines.append(f"| {r['route']} | {r['connections']} | – | {v['rps']:.0f} | {v['p50']:.2f} | {v['p99']:.2f} | – | – | – | – |")
        lines.append("")
    growth = [r for r in results if "rows" in r and r["database"] == "sqlite"]
    if len(growth) > 1:
        lines += ["## Growth with scale (SQLite, 16 connections)", "", "| route | " + " | ".join(f"scale {g['scale']} req/s (bytes)" for g in growth) + " |",
                  "|---|" + "---|" * len(growth)]
        for route in [r["route"] for r in growth[0]["rows"] if r["connections"] == 16]:
            cells = []
            for g in growth:
                row = next((r for r in g["rows"] if r["route"] == route and r["connections"] == 16), None)
                cells.append(f"{row['veikart']['rps']:.0f} ({row['bytes']})" if row else "–")
            lines.append(f"| `{route}` | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--duration", default="5s")
    p.add_argument("--connections", default="1,16,64")
    p.add_argument("--scales", default="10")
    p.add_argument("--growth-scales", default="1,100", help="extra SQLite scales, measured at 16 connections")
    p.add_argument("--postgres-url", default="")
    p.add_argument("--instances", action="store_true")
    p.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = p.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    results = []
    workdir = tempfile.mkdtemp(prefix="veikart-bench-")
    os.chmod(workdir, 0o755)  # nginx's workers (not root) read the static copies from here
    try:
        for scale in [int(s) for s in args.scales.split(",") if s]:
            run_scale(args, args.binary, "sqlite", f"sqlite://{workdir}/s{scale}.sqlite", scale, workdir, connections, ROUTES, results)
            if args.postgres_url:
                run_scale(args, args.binary, "postgres", args.postgres_url, scale, workdir, connections, ROUTES, results)
        for scale in [int(s) for s in args.growth_scales.split(",") if s]:
            run_scale(args, args.binary, "sqlite", f"sqlite://{workdir}/g{scale}.sqlite", scale, workdir, [16], ROUTES, results)
        if args.instances and args.postgres_url:
            run_instances(args, args.binary, args.postgres_url, workdir, results)
        results.sort(key=lambda r: (r.get("database", "zz"), r.get("scale", 0)))
        text = markdown(results, args)
        Path(args.out).write_text(text + "\n")
        Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1))
        print(f"\nwrote {args.out}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
