#!/usr/bin/env python3
"""Attack: hostile clients against a Veikart instance this script starts itself (loopback only, fresh SQLite database,
seed data, accounts made with the CLI), the way the default two-command setup runs it: VEIKART_PUBLIC_URL and
VEIKART_TODAY unset, VEIKART_METRICS_TOKEN set to a random value, VEIKART_TRUSTED_PROXIES=127.0.0.2 (a proxy that never
calls, so every request from 127.0.0.1 comes from a direct client and its X-Forwarded-For is not believed).

    reliability/attack.py [--full] [--only 1,4] [--spray-max-checked 12]

Each check prints what it measured, then OK, SKIPPED or FAILED: <why>; exit status 1 if any check failed.

1. PDF denial of service. 16 concurrent anonymous GETs of /status/2024-Q1.pdf (half with junk query strings, some with a
   made-up veikart-sesjon cookie) while /proc is sampled every 100 ms for Chromium browser processes under the server
   (command line with --print-to-pdf, not a --type= child). Pass: peak <= 2; every answer is 200 application/pdf
   starting with %PDF, or 503 with Retry-After and a Norwegian message; a second burst of 16 is all 200 PDF with a peak
   of 0 Chromium processes (the PDF is kept per published revision). SKIPPED when /usr/bin/chromium is missing.
   --full: bursts of 32 and a third burst.
2. Cache bypass and database growth with made-up cookies. 200 GETs of / each with its own random veikart-sesjon cookie
   and 300 GETs of /logg-inn, then the rows in the sessions table (`sessions`, else `_fluent_sessions`) read from the
   SQLite file in read-only mode. Pass: 0 rows; X-Veikart-Cache: hit on >= 199 of the 200 / answers; 100 GETs of
   /veikart?junk=<i> are all hits but the first. Runs before any sign-in. --full: five times as many requests.
3. Host-header poisoning. For /rad/moter.ics, one council's feed, /api/v1/roadmap and /: a GET with Host, X-Forwarded-Host
   evil.example and X-Forwarded-Proto https, then a normal GET (a poisoned page cache would serve the first to the
   second). Pass: neither body contains evil.example and the normal GET is 200; prints the links and the hosts they use.
4. Sign-in lock-out (each simulated client has its own cookie jar and, where named, its own source address).
   (a) the attacker (127.0.0.1) sends 8 wrong passwords for the editor; then the editor signs in from 127.0.0.3.
       Pass: the editor gets 303.
   (b) Pass: after 5 failures the attacker gets 429 with Retry-After; no attempt sent inside a Retry-After window is
       checked; inside a window the right password and a spoofed X-Forwarded-For are refused with 429 too.
   (c) password spraying from 127.0.0.5: a success with the attacker's own account, then a failure against one of 10
       other accounts, alternating, 40 attempts (80 in --full). Pass: checked failures (401) <= --spray-max-checked.
   (d) 50 (100 in --full) concurrent wrong passwords for one account from 127.0.0.4. Pass: <= 5 answered 401, the
       rest 429.
   (e) Pass: /metrics with Authorization: Bearer <token> has veikart_sign_in_failures_total > 0; without the token, or
       with a wrong one, /metrics answers 401 or 404.
5. Open redirect. Eight hostile `neste` values (/%09/evil.example, //evil.example, /\\evil.example, https://evil.example,
   …) as the query of GET /logg-inn, and as the neste field of a successful sign-in (sent as written, decoded once, and
   as the form's own hidden value; a second editor account, each sign-in from its own address 127.0.0.20…). Pass: every sign-in is 302/303 and every Location, and every hidden neste value,
   starts with / but not // or /\\ and has no control character or whitespace.
6. Error text. Malformed and mis-shaped JSON to /prioritering/modeller (signed in as the second editor from 127.0.0.7,
   with CSRF; as the form field and as a JSON body) and to the JSON API (PATCH with an API key from `veikart user token`,
   POST too). Pass: no body contains DecodingError, Debug description or codingPath.
7. Slow connections. 3 000 TCP connections that each send "GET / HTTP/1.1", a Host header and the start of a header that
   never ends (one more byte every 2 s), held 5 s (30 s in --full); meanwhile 20 GET /healthz on fresh connections,
   spread over the hold. Pass: at least 95 % of the connections open, every /healthz 200 with p99 latency under 1 s, and
   200 again after they are closed (a server that closes slow connections itself is fine; how many it closed is
   printed). The suite first raises RLIMIT_NOFILE (soft up to min(8192, hard); as root the hard limit to 8192 if lower)
   so the server inherits it; below 3 300 the count is scaled down to the limit minus 300 (printed, not a failure).
8. Racing writes. 12 concurrent PATCH /api/v1/activities/<id> with the editor's API key, all with the version just read
   and each with its own end (2027-Q1 … 2029-Q4), on an activity from /api/v1/roadmap starting before 2027. Pass: one
   200 and eleven 409 whose "current" is the winner's; GET then shows the winner's end and the version it was told;
   data_version (read from the SQLite file) advanced by exactly one and the record's version is that value (versions
   come from one counter for all data, so it is version + 1 only if nothing else was written since); one more
   audit_log row for the activity.
9. Deep JSON. PATCH bodies nested 10 000 deep (arrays, objects, and both inside a field of an otherwise valid patch; also
   to /api/v1/records/activities/<id>) with the editor's API key. Pass: every answer 4xx without DecodingError, Debug
   description or codingPath; /healthz 200 afterwards; the activity's version unchanged."""
import argparse
import html
import http.client
import json
import math
import os
import re
import secrets
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import common
from common import PASSWORD, ROOT, Veikart

EDITOR = "redaktor@angrep.example.no"
EDITOR2 = "redaktor2@angrep.example.no"  # checks 5 and 6: not the account check 4 attacks
SECRETARY = "sekretariat@angrep.example.no"
ATTACKER = "angriper@angrep.example.no"
WRONG = "feil-passord-som-ikke-stemmer"
EVIL = "evil.example"


# MARK: the instance


def resolve_binary():
    """$VEIKART_BIN, else .build/debug/veikart, else what `swift build --show-bin-path` names; kept in VEIKART_BIN so
    common.binary() does not ask swift again for every command."""
    explicit = os.environ.get("VEIKART_BIN")
    if not explicit:
        debug = ROOT / ".build/debug/veikart"
        explicit = str(debug) if debug.exists() else common.binary()
    os.environ["VEIKART_BIN"] = explicit
    return explicit


class Instance(Veikart):
    """The default setup: no VEIKART_* setting from the caller's environment leaks in (no public URL, no fixed today)."""

    def __init__(self, database_url, workdir, metrics_token):
        super().__init__(database_url, workdir)
        self.metrics_token = metrics_token

    def env(self):
        keep = {k: v for k, v in os.environ.items() if not k.startswith("VEIKART_") or k == "VEIKART_BIN"}
        return {**keep, "DATABASE_URL": self.database_url, "LOG_LEVEL": "warning",
                "VEIKART_METRICS_TOKEN": self.metrics_token, "VEIKART_TRUSTED_PROXIES": "127.0.0.2"}

    def add_user(self, email, role):
        self.cli("user", "add", "--email", email, "--role", role, "--name", "Angrepstest", "--password-stdin", stdin=PASSWORD + "\n")


# MARK: HTTP with cookie jars and source addresses


class Resp:
    def __init__(self, status, headers, body, elapsed):
        self.status, self.headers, self.body, self.elapsed = status, headers, body, elapsed

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def fetch(port, method, path, headers=None, body=None, source=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None)
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return Resp(r.status, r.msg, data, time.monotonic() - started)
    finally:
        conn.close()


class Client:
    """One simulated browser: its own cookies, its own source address (None: the default, 127.0.0.1)."""

    def __init__(self, port, source=None):
        self.port, self.source = port, source
        self.jar = {}
        self.csrf = None

    def request(self, method, path, headers=None, body=None, timeout=30):
        h = dict(headers or {})
        if self.jar:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        r = fetch(self.port, method, path, h, body, self.source, timeout)
        for raw in (r.headers.get_all("Set-Cookie") or []):
            self.store(raw)
        return r

    def store(self, raw):
        parts = raw.split(";")
        name, _, value = parts[0].strip().partition("=")
        attrs = {}
        for p in parts[1:]:
            k, _, v = p.strip().partition("=")
            attrs[k.lower()] = v.strip()
        expired = attrs.get("max-age", "").lstrip("-").isdigit() and int(attrs["max-age"]) <= 0
        if "expires" in attrs and not expired:
            try:
                expired = parsedate_to_datetime(attrs["expires"]).timestamp() < time.time()
            except (TypeError, ValueError):
                pass
        if expired or value == "":
            self.jar.pop(name, None)
        else:
            self.jar[name] = value

    def get(self, path, headers=None, timeout=30):
        return self.request("GET", path, headers, timeout=timeout)

    def post_form(self, path, fields, headers=None, timeout=60):
        h = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, h, urllib.parse.urlencode(fields).encode(), timeout=timeout)


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def input_value(page, name):
    """The value of the first <input name=…> (entities decoded), or None."""
    parser = Inputs()
    parser.feed(page)
    return next((i.get("value") or "" for i in parser.inputs if i.get("name") == name), None)


def sign_in(client, email, password, neste="/", headers=None, timeout=60):
    """The browser's way: the form's CSRF token (fetched once, then taken from each answer), the form posted."""
    if client.csrf is None:
        client.csrf = input_value(client.get("/logg-inn").text, "_csrf")
    r = client.post_form("/logg-inn", {"_csrf": client.csrf or "", "epost": email, "passord": password, "neste": neste},
                         headers=headers, timeout=timeout)
    if r.status in (302, 303):
        client.csrf = None  # a new session: a new token
    else:
        client.csrf = input_value(r.text, "_csrf") or client.csrf
    return r


def visible_text(body, limit=160):
    """The message of an error page (its lead paragraph or error summary), else the body's text."""
    m = re.search(r'(?s)<p class="lead">(.*?)</p>', body) or re.search(r'(?s)class="error-summary"[^>]*>(.*?)</div>', body)
    if m is None:
        body = re.sub(r"(?s)<(script|style|head|header|nav)\b.*?</\1>", " ", body)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m.group(1) if m else body))).strip()
    return text[:limit]


NORWEGIAN = re.compile(r"[æøåÆØÅ]|\b(ikke|prøv|igjen|vent|senere|mange|lages|rapporten)\b", re.IGNORECASE)


def fmt(counter):
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))) + "}"


class Check:
    """Collects the reasons one numbered check failed."""

    def __init__(self):
        self.problems = []
        self.skipped = None

    def expect(self, ok, why):
        if not ok:
            self.problems.append(why)
        return ok


# MARK: 1. PDF


def pdf_browsers(server_pid):
    """Chromium browser processes (command line with --print-to-pdf and no --type=, which children carry) started
    under the server process."""
    found = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            if not any(a.startswith(b"--print-to-pdf") for a in args) or any(a.startswith(b"--type=") for a in args):
                continue
            pid = int(entry)
            for _ in range(6):
                with open(f"/proc/{pid}/stat") as f:
                    pid = int(f.read().rsplit(")", 1)[1].split()[1])
                if pid == server_pid:
                    found += 1
                    break
                if pid <= 1:
                    break
        except (OSError, ValueError, IndexError):
            continue
    return found


def pdf_burst(server, n, label):
    stop = threading.Event()
    peak = [0]

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], pdf_browsers(server.proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    barrier = threading.Barrier(n)

    def one(i):
        path = "/status/2024-Q1.pdf" + (f"?n={label}{i}" if i % 2 else "")
        headers = {"Cookie": f"veikart-sesjon=junk{label}{i}"} if i % 3 == 0 else {}
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        try:
            return fetch(server.port, "GET", path, headers, timeout=120)
        except (OSError, http.client.HTTPException) as e:
            return Resp(0, None, str(e).encode(), 120.0)

    with ThreadPoolExecutor(n) as pool:
        results = list(pool.map(one, range(n)))
    time.sleep(0.3)  # a render that outlives its request still counts
    stop.set()
    sampler.join(2)
    return results, peak[0]


def judge_pdf(results):
    bad = []
    for r in results:
        ctype = r.header("Content-Type") or ""
        if r.status == 200 and ctype.startswith("application/pdf") and r.body.startswith(b"%PDF"):
            continue
        if r.status == 503 and r.header("Retry-After") and NORWEGIAN.search(visible_text(r.text, 1000)):
            continue
        bad.append(f"{r.status} {ctype or '-'} Retry-After={r.header('Retry-After')} {visible_text(r.text, 80)!r}")
    return bad


def check_pdf(server, args, c):
    if not os.path.exists("/usr/bin/chromium"):
        r = fetch(server.port, "GET", "/status/2024-Q1.pdf", timeout=60)
        print(f"   /usr/bin/chromium missing; one GET answered {r.status}, Retry-After {r.header('Retry-After')}, {visible_text(r.text, 100)!r}")
        c.skipped = "Chromium is not installed"
        return
    n = 32 if args.full else 16
    results, peak = pdf_burst(server, n, "a")
    statuses = Counter(r.status for r in results)
    print(f"   burst 1: {n} concurrent GETs, peak {peak} Chromium browser processes, statuses {fmt(statuses)}, "
          f"max latency {max(r.elapsed for r in results):.2f} s")
    c.expect(peak <= 2, f"{peak} Chromium processes at once in burst 1 (at most 2)")
    bad = judge_pdf(results)
    c.expect(not bad, f"{len(bad)} answers in burst 1 neither a PDF nor a 503 with Retry-After and a Norwegian message, e.g. {bad[:2]}")
    refusal = next((r for r in results if r.status == 503), None)
    if refusal is not None:
        print(f"   503 says (Retry-After {refusal.header('Retry-After')}): {visible_text(refusal.text)!r}")
    for round_no in range(2, 4 if args.full else 3):
        results, peak = pdf_burst(server, n, chr(ord("a") + round_no - 1))
        statuses = Counter(r.status for r in results)
        pdfs = sum(1 for r in results if r.status == 200 and r.body.startswith(b"%PDF"))
        print(f"   burst {round_no}: {n} concurrent GETs, peak {peak} Chromium browser processes, statuses {fmt(statuses)}, "
              f"{pdfs} PDFs, max latency {max(r.elapsed for r in results):.2f} s")
        c.expect(peak == 0, f"burst {round_no} started {peak} Chromium processes (expected 0: the PDF is kept)")
        c.expect(pdfs == n, f"burst {round_no}: {n - pdfs} of {n} answers were not 200 PDFs")


# MARK: 2. cache bypass and sessions


def session_rows(db_path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        table = "sessions" if "sessions" in tables else "_fluent_sessions" if "_fluent_sessions" in tables else None
        return table, (con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] if table else 0)
    finally:
        con.close()


def check_cache(server, args, c):
    scale = 5 if args.full else 1
    n_front, n_login, n_junk = 200 * scale, 300 * scale, 100 * scale

    def front(_):
        r = fetch(server.port, "GET", "/", {"Cookie": "veikart-sesjon=" + secrets.token_urlsafe(24)})
        return r.status, (r.header("X-Veikart-Cache") or "-").lower()

    def login(_):
        return fetch(server.port, "GET", "/logg-inn").status

    def junk(i):
        r = fetch(server.port, "GET", f"/veikart?junk={i}")
        return r.status, (r.header("X-Veikart-Cache") or "-").lower()

    with ThreadPoolExecutor(4) as pool:
        fronts = [front(0)] + list(pool.map(front, range(1, n_front)))
        logins = list(pool.map(login, range(n_login)))
        junks = [junk(0)] + list(pool.map(junk, range(1, n_junk)))
    table, rows = session_rows(server.db_path)
    front_hits = sum(1 for s, h in fronts if h == "hit")
    junk_hits = sum(1 for s, h in junks if h == "hit")
    print(f"   {n_front} GET / with made-up cookies: statuses {fmt(Counter(s for s, _ in fronts))}, X-Veikart-Cache {fmt(Counter(h for _, h in fronts))}; "
          f"{n_login} GET /logg-inn: statuses {fmt(Counter(logins))}")
    print(f"   rows in {table or '(no sessions table)'}: {rows}; {n_junk} GET /veikart?junk=<i>: statuses {fmt(Counter(s for s, _ in junks))}, "
          f"X-Veikart-Cache {fmt(Counter(h for _, h in junks))}")
    c.expect(rows == 0, f"{rows} session rows after anonymous requests only (expected 0)")
    c.expect(front_hits >= n_front - 1, f"only {front_hits} of {n_front} GET / with made-up cookies were page-cache hits")
    c.expect(junk_hits >= n_junk - 1, f"only {junk_hits} of {n_junk} GET /veikart?junk=<i> were page-cache hits")


# MARK: 3. Host header


def absolute_links(text):
    unfolded = re.sub(r"\r?\n[ \t]", "", text)  # iCalendar folds long lines
    urls = re.findall(r"https?://[^\s\"'<>\\,;)]+", unfolded)
    return urls, Counter(urllib.parse.urlsplit(u).scheme + "://" + urllib.parse.urlsplit(u).netloc for u in urls)


def check_host(server, args, c):
    paths = ["/rad/moter.ics"]
    try:
        import json
        status, raw = common.get(server.base + "/api/v1/councils")
        councils = json.loads(raw).get("councils", []) if status == 200 else []
        if councils:
            paths.append(f"/rad/{councils[0]['slug']}/moter.ics")
    except (OSError, ValueError, KeyError, TypeError):
        pass
    paths += ["/api/v1/roadmap", "/"]
    evil = {"Host": EVIL, "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}
    for path in paths:
        poisoned = fetch(server.port, "GET", path, evil)
        normal = fetch(server.port, "GET", path)
        urls, hosts = absolute_links(normal.text)
        p_urls, p_hosts = absolute_links(poisoned.text)
        print(f"   {path}: forged Host → {poisoned.status}, {len(p_urls)} absolute links {fmt(p_hosts)}; "
              f"then normal → {normal.status}, {len(urls)} absolute links {fmt(hosts)}")
        c.expect(EVIL not in poisoned.text.lower(), f"{path} with a forged Host contains {EVIL}")
        c.expect(EVIL not in normal.text.lower(), f"{path} without forged headers contains {EVIL} (a poisoned cache entry)")
        c.expect(normal.status == 200, f"{path} answered {normal.status}")


# MARK: 4. sign-in lock-out


def check_signin(server, args, c, deadline_s):
    port = server.port
    started = time.monotonic()

    # (a) + (b): the attacker against the editor's account, from 127.0.0.1.
    attacker = Client(port)
    attacker.csrf = input_value(attacker.get("/logg-inn").text, "_csrf")
    csrf_cookie = "veikart-csrf" in attacker.jar
    log = []  # (n, status, retry_after, elapsed, sent_at, received_at)
    for n in range(1, 9):
        sent = time.monotonic()
        r = sign_in(attacker, EDITOR, WRONG)
        log.append((n, r.status, r.header("Retry-After"), r.elapsed, sent, time.monotonic()))
    window_end = 0.0  # until when the server has certainly said "wait" (Retry-After is rounded up, so minus 1 s)
    violations = []
    for n, status, ra, _, sent, received in log:
        if status == 401 and sent < window_end:
            violations.append(n)
        if status == 429 and ra and ra.strip().isdigit():
            window_end = max(window_end, received + int(ra) - 1)
    throttled_a = [e for e in log if e[1] == 429]
    print(f"   (a) 8 wrong passwords from 127.0.0.1: statuses {[e[1] for e in log]}, Retry-After {[e[2] for e in log]}, "
          f"latency {', '.join(f'{e[3]:.2f}' for e in log)} s; veikart-csrf cookie {'set' if csrf_cookie else 'NOT set'}")
    c.expect(any(e[1] == 429 for e in log[5:]), "(b) no 429 among attempts 6–8 after 5 failures")
    c.expect(all(e[2] for e in throttled_a), "(b) a 429 without Retry-After")
    c.expect(not violations, f"(b) attempts {violations} were checked inside a Retry-After window")

    # (b) inside a window (Retry-After >= 2 guarantees one), the right password and a forged X-Forwarded-For must get 429.
    probes, waits = [], []
    for _ in range(6):
        if time.monotonic() - started > deadline_s / 3:
            break
        r = sign_in(attacker, EDITOR, WRONG)
        ra = r.header("Retry-After")
        if r.status == 429 and ra and ra.strip().isdigit() and int(ra) >= 2:
            right = sign_in(attacker, EDITOR, PASSWORD)
            probes.append(("right password", right.status, right.header("Retry-After")))
            for i in range(3):
                spoof = sign_in(attacker, EDITOR, WRONG, headers={"X-Forwarded-For": f"10.9.8.{i + 1}"})
                probes.append((f"X-Forwarded-For 10.9.8.{i + 1}", spoof.status, spoof.header("Retry-After")))
            break
        waits.append(f"{r.status} (Retry-After {ra})")
        time.sleep(min(int(ra) if ra and ra.strip().isdigit() else 0, 5) + 0.3)
    print(f"   (b) " + (f"waited after {', '.join(waits)}; " if waits else "") + "inside a Retry-After window: " + (", ".join(f"{what} → {s} (Retry-After {ra})" for what, s, ra in probes)
                                                    if probes else "never got a 429 with Retry-After >= 2"))
    c.expect(bool(probes), "(b) never told to wait >= 2 s")
    c.expect(all(s == 429 for _, s, _ in probes), f"(b) inside the window: {[(w, s) for w, s, _ in probes if s != 429]} (expected 429)")

    editor = Client(port, source="127.0.0.3")
    r = sign_in(editor, EDITOR, PASSWORD)
    print(f"   (a) then the editor from 127.0.0.3: {r.status} → {r.header('Location')}")
    c.expect(r.status == 303, f"(a) the editor was locked out by the attacker's failures ({r.status}, expected 303)")

    # (c) spraying: alternate the attacker's own good sign-in with a failure against one of 10 other accounts.
    targets = [EDITOR, SECRETARY] + [f"ansatt{i}@angrep.example.no" for i in range(1, 9)]
    total = 80 if args.full else 40
    sprayer = Client(port, source="127.0.0.5")
    own, failures = Counter(), Counter()
    attempts = 0
    for i in range(total):
        if time.monotonic() - started > deadline_s * 2 / 3:
            break
        attempts += 1
        sprayer.jar.clear()  # each attempt a fresh browser on the same address: nothing but the address ties them
        sprayer.csrf = None
        if i % 2 == 0:
            own[sign_in(sprayer, ATTACKER, PASSWORD).status] += 1
        else:
            failures[sign_in(sprayer, targets[(i // 2) % len(targets)], WRONG).status] += 1
    checked = failures[401]
    print(f"   (c) spraying from 127.0.0.5, {attempts} attempts: own account {fmt(own)}; against 10 others {fmt(failures)} → "
          f"{checked} checked, {failures[429]} throttled")
    c.expect(checked <= args.spray_max_checked, f"(c) {checked} sprayed passwords checked (at most {args.spray_max_checked})")
    c.expect(attempts == total, f"(c) stopped after {attempts} of {total} attempts (time limit)")

    # (d) a race: many wrong passwords at once for one account from a fresh address.
    n = 100 if args.full else 50
    clients = [Client(port, source="127.0.0.4") for _ in range(n)]
    with ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(lambda cl: input_value(cl.get("/logg-inn").text, "_csrf"), clients))
    barrier = threading.Barrier(n)

    def race(k):
        cl = clients[k]
        cl.csrf = tokens[k]
        try:
            barrier.wait(15)
        except threading.BrokenBarrierError:
            pass
        try:
            return sign_in(cl, SECRETARY, WRONG, timeout=120)
        except (OSError, http.client.HTTPException) as e:
            return Resp(0, None, str(e).encode(), 120.0)

    with ThreadPoolExecutor(n) as pool:
        raced = list(pool.map(race, range(n)))
    statuses = Counter(r.status for r in raced)
    print(f"   (d) {n} concurrent wrong passwords from 127.0.0.4: {fmt(statuses)} → {statuses[401]} checked, max latency "
          f"{max(r.elapsed for r in raced):.2f} s")
    c.expect(statuses[401] <= 5, f"(d) {statuses[401]} of {n} concurrent guesses checked (at most 5)")
    c.expect(statuses[401] + statuses[429] == n, f"(d) answers other than 401/429: {fmt(statuses)}")

    # (e) metrics.
    token = server.metrics_token
    open_ = fetch(port, "GET", "/metrics")
    wrong = fetch(port, "GET", "/metrics", {"Authorization": "Bearer " + secrets.token_hex(16)})
    right = fetch(port, "GET", "/metrics", {"Authorization": "Bearer " + token})
    values = [float(m.group(2)) for m in re.finditer(r"(?m)^veikart_sign_in_failures_total(\{[^}]*\})?\s+(\S+)", right.text)
              if re.match(r"^[0-9.eE+-]+$", m.group(2))]
    print(f"   (e) /metrics without token → {open_.status}, wrong token → {wrong.status}, with token → {right.status}; "
          f"veikart_sign_in_failures_total = {sum(values) if values else 'absent'}")
    c.expect(open_.status in (401, 404), f"(e) /metrics without the token answered {open_.status}")
    c.expect(wrong.status in (401, 404), f"(e) /metrics with a wrong token answered {wrong.status}")
    c.expect(right.status == 200 and values and sum(values) > 0, "(e) no veikart_sign_in_failures_total > 0 with the token")


# MARK: 5. open redirect


BAD_NEXT = ["/%09/evil.example", "/%0a/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/%5Cevil.example",
            "%2F%2Fevil.example", "/%2F/evil.example"]


def same_site_problem(value):
    if value is None:
        return "missing"
    if not value.startswith("/"):
        return "not a path"
    if value.startswith("//") or value.startswith("/\\"):
        return "leaves the site"
    if any(ord(ch) < 32 or ord(ch) == 127 or ch.isspace() for ch in value):
        return "control character or whitespace"
    return None


def check_redirect(server, args, c):
    port = server.port
    hidden = {}
    for bad in BAD_NEXT:
        r = Client(port, source="127.0.0.6").get("/logg-inn?neste=" + bad)  # GETs cost nothing
        hidden[bad] = (r.status, input_value(r.text, "neste"))
    sent = {}  # the value the server receives → how (first way that sent it)
    for bad in BAD_NEXT:
        for how, value in (("as written", bad), ("decoded once", urllib.parse.unquote(bad)), ("form's hidden value", hidden[bad][1])):
            if value is not None and value not in sent:
                sent[value] = how

    def attempt(k, value):
        # Each sign-in from its own address (127.0.0.20, .21, …), so no per-address limit can blur what is measured.
        r = sign_in(Client(port, source=f"127.0.0.{20 + k}"), EDITOR2, PASSWORD, neste=value)
        return r.status, r.header("Location")

    with ThreadPoolExecutor(3) as pool:
        outcome = dict(zip(sent, pool.map(attempt, range(len(sent)), list(sent))))
    for bad in BAD_NEXT:
        status, value = hidden[bad]
        problem = same_site_problem(value)
        c.expect(status == 200 and problem is None, f"GET /logg-inn?neste={bad} → {status}, hidden neste {value!r} ({problem})")
        posts = [f"{v!r} → {outcome[v][0]} {outcome[v][1]!r}" for v in dict.fromkeys((bad, urllib.parse.unquote(bad), value)) if v is not None]
        print(f"   neste={bad}: form keeps {value!r}; sign-in " + "; ".join(posts))
    refused = {v: st for v, (st, _) in outcome.items() if st not in (302, 303)}
    c.expect(not refused, f"{len(refused)} of {len(outcome)} sign-ins were not redirects: {fmt(Counter(refused.values()))}")
    for v, (st, loc) in outcome.items():
        lp = same_site_problem(loc)
        c.expect(st not in (302, 303) or lp is None, f"sign-in with neste={v!r} sent to {loc!r} ({lp})")
    print(f"   {len(sent)} sign-ins from 127.0.0.20–{20 + len(sent) - 1}, Locations {fmt(Counter(repr(loc) for _, loc in outcome.values()))}")


# MARK: 6. error text


LEAKS = ["DecodingError", "Debug description", "codingPath"]


def check_errors(server, args, c):
    from crash import activity_ids
    port = server.port
    editor = Client(port, source="127.0.0.7")
    r = sign_in(editor, EDITOR2, PASSWORD)
    c.expect(r.status == 303, f"the editor could not sign in ({r.status})")
    page = editor.get("/prioritering/modeller")
    csrf = input_value(page.text, "_csrf") or ""
    c.expect(bool(csrf), f"no _csrf on /prioritering/modeller for the editor ({page.status})")
    activity = activity_ids(1)[0]
    api = server.api_token
    cases = []
    for label, text in (("not JSON", "{not json"), ("cut off", '{"id": "x", "version": '), ("number for text", '{"id": 5}'),
                        ("array", "[]"), ("missing keys", '{"id": "x"}')):
        cases.append((f"POST /prioritering/modeller form, modell {label}",
                      lambda t=text: editor.post_form("/prioritering/modeller", {"_csrf": csrf, "modell": t})))
    cases.append(("POST /prioritering/modeller JSON, modell a number",
                  lambda: editor.request("POST", "/prioritering/modeller", {"Content-Type": "application/json"},
                                         ('{"_csrf": "%s", "modell": 5}' % csrf).encode())))
    cases.append(("POST /prioritering/modeller malformed JSON",
                  lambda: editor.request("POST", "/prioritering/modeller", {"Content-Type": "application/json"},
                                         ('{"_csrf": "%s", "modell": ' % csrf).encode())))
    cases.append(("POST /logg-inn malformed JSON",
                  lambda: Client(port, source="127.0.0.7").request("POST", "/logg-inn", {"Content-Type": "application/json"}, b'{"epost": [')))
    auth = {"Authorization": "Bearer " + api, "Content-Type": "application/json"}
    for method, path, body in (("PATCH", f"/api/v1/records/activities/{activity}", b'{"version": '),
                               ("PATCH", f"/api/v1/records/activities/{activity}", b'{"version": "x", "values": 5}'),
                               ("PATCH", f"/api/v1/records/activities/{activity}", b'\xff\xfe{"version"'),
                               ("PATCH", f"/api/v1/activities/{activity}", b'{"version": [}'),
                               ("PATCH", f"/api/v1/activities/{activity}", b'{"version": 1, "tentative": "ja"}'),
                               ("POST", "/api/v1/records/activity/x", b"{"),
                               ("PATCH", "/api/v1/records/activity/x", b"{")):
        cases.append((f"{method} {path} {body[:24]!r}", lambda m=method, p=path, b=body: fetch(port, m, p, auth, b)))
    statuses = Counter()
    leaking = 0
    for label, run in cases:
        r = run()
        statuses[r.status] += 1
        found = [w for w in LEAKS if w.lower() in r.text.lower()]
        leaking += 1 if found else 0
        if found or r.status >= 500:
            print(f"   {label}: {r.status} {'LEAKS ' + ', '.join(found) if found else ''} {visible_text(r.text, 140)!r}")
        c.expect(not found, f"{label} → {r.status} shows {', '.join(found)}")
    print(f"   {len(cases)} malformed bodies: statuses {fmt(statuses)}; {leaking} answers show decoder internals")


# MARK: 7. slow connections


FD_LIMITS = {}  # what raise_fd_limit() found and set, for check 7 to print


def raise_fd_limit(want=8192):
    """Raise RLIMIT_NOFILE before anything is spawned, so the server inherits it too (check 7 holds thousands of sockets
    in this process and the server holds the other ends). As root the hard limit is raised to `want` if it is lower; the
    soft limit goes up to min(want, hard). Never lowers anything."""
    try:
        import resource
    except ImportError:
        FD_LIMITS.update(before=None, soft=None, hard=None, notes=["no resource module"])
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    FD_LIMITS.update(before=(soft, hard), notes=[])
    inf = resource.RLIM_INFINITY
    if hard != inf and hard < want and os.geteuid() == 0:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, want))
            hard = want
        except (ValueError, OSError) as e:
            FD_LIMITS["notes"].append(f"raising the hard limit to {want} failed: {e}")
    target = want if hard == inf else min(want, hard)
    if soft != inf and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as e:
            FD_LIMITS["notes"].append(f"raising the soft limit to {target} failed: {e}")
    FD_LIMITS["soft"], FD_LIMITS["hard"] = resource.getrlimit(resource.RLIMIT_NOFILE)


def nearest_rank(values, q):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def check_slow(server, args, c):
    want, hold = 3000, (30.0 if args.full else 5.0)
    soft = FD_LIMITS.get("soft")
    limit_text = (f"RLIMIT_NOFILE soft {soft}, hard {FD_LIMITS.get('hard')} (was {FD_LIMITS.get('before')})"
                  + (f"; {'; '.join(FD_LIMITS['notes'])}" if FD_LIMITS.get("notes") else ""))
    n = want
    if isinstance(soft, int) and soft >= 0 and soft < want + 300:
        n = max(0, soft - 300)
        limit_text += f"; scaled down to {n} connections (the limit is below {want + 300})"
    print(f"   {limit_text}")
    if n < 100:
        c.skipped = f"the file-descriptor limit ({soft}) leaves room for only {n} connections"
        return
    socks, connect_errors = [], Counter()
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "
    fds_before = open_fds(server.proc.pid)
    t_open = time.monotonic()
    try:
        for i in range(n):
            if time.monotonic() - t_open > 30:
                connect_errors["gave up after 30 s"] += n - i
                break
            try:
                s = socket.create_connection(("127.0.0.1", server.port), timeout=3)
            except OSError as e:
                connect_errors[type(e).__name__] += 1
                continue
            s.setblocking(False)  # a socket with a timeout polls before every send/recv; these must never wait
            socks.append(s)
            try:
                s.send(head)
            except OSError as e:
                connect_errors["first send " + type(e).__name__] += 1
        opened = time.monotonic() - t_open
        fds_held = open_fds(server.proc.pid)
        print(f"   {len(socks)} of {n} slow connections open in {opened:.1f} s"
              + (f", connect errors {fmt(connect_errors)}" if connect_errors else "")
              + f"; server file descriptors {fds_before} → {fds_held}", flush=True)

        dropped = set()  # sockets the server has closed or reset
        stop = threading.Event()

        def trickle():
            # One more byte of the never-ending header on every connection every 2 s.
            while not stop.wait(2.0):
                for k, s in enumerate(socks):
                    if k in dropped:
                        continue
                    try:
                        s.send(b"a")
                    except BlockingIOError:
                        pass
                    except OSError:
                        dropped.add(k)

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        probes = []  # (status, latency, error)
        t_hold = time.monotonic()
        for k in range(20):
            # Spread the 20 probes over the hold, each on a fresh connection.
            target = t_hold + k * hold / 20
            if target > time.monotonic():
                time.sleep(target - time.monotonic())
            started = time.monotonic()
            try:
                r = fetch(server.port, "GET", "/healthz", timeout=10)
                probes.append((r.status, r.elapsed, None))
            except (OSError, http.client.HTTPException) as e:
                probes.append((0, time.monotonic() - started, type(e).__name__))
        if time.monotonic() < t_hold + hold:
            time.sleep(t_hold + hold - time.monotonic())
        held_for = time.monotonic() - t_hold
        stop.set()
        trickler.join(5)
        fds_end = open_fds(server.proc.pid)

        # What became of the slow connections: still open and silent, answered by the server, or closed.
        fate = Counter()
        answers = Counter()
        for k, s in enumerate(socks):
            if k in dropped:
                fate["closed/reset by server"] += 1
                continue
            try:
                data = s.recv(256)
                if data:
                    fate["answered by server"] += 1
                    answers[data.split(b"\r\n", 1)[0].decode("latin-1")[:40]] += 1
                else:
                    fate["closed/reset by server"] += 1
            except BlockingIOError:
                fate["still open"] += 1
            except OSError:
                fate["closed/reset by server"] += 1
    finally:
        for s in socks:
            try:
                s.close()
            except OSError:
                pass
    latencies = [lat for _, lat, _ in probes]
    statuses = Counter(st for st, _, _ in probes)
    errors = Counter(e for _, _, e in probes if e)
    p50, p99 = nearest_rank(latencies, 0.5), nearest_rank(latencies, 0.99)
    print(f"   held {held_for:.1f} s: at the end {fmt(fate)}" + (f", first lines {fmt(answers)}" if answers else "")
          + f"; server file descriptors {fds_end}")
    print(f"   20 GET /healthz while held: statuses {fmt(statuses)}" + (f", errors {fmt(errors)}" if errors else "")
          + f"; latency min {min(latencies):.3f} s, median {p50:.3f} s, p99 {p99:.3f} s, max {max(latencies):.3f} s")
    print(f"   latencies: {', '.join(f'{x:.3f}' for x in latencies)}")
    time.sleep(0.5)
    after = fetch(server.port, "GET", "/healthz", timeout=10)
    print(f"   after closing them: /healthz {after.status} in {after.elapsed:.3f} s; server file descriptors {open_fds(server.proc.pid)}")
    c.expect(len(socks) >= n * 0.95, f"only {len(socks)} of {n} slow connections could be opened ({fmt(connect_errors)})")
    c.expect(statuses[200] == 20, f"/healthz while {len(socks)} slow connections were held: {fmt(statuses)} (expected 20 × 200)")
    c.expect(p99 < 1.0, f"/healthz p99 {p99:.3f} s while {len(socks)} slow connections were held (expected < 1 s)")
    c.expect(after.status == 200, f"/healthz after the slow connections were closed: {after.status}")


# MARK: 8. racing writes


def pick_activity(server):
    """An activity the editor can move to any quarter 2027–2029: one that starts before 2027 (or has no start)."""
    r = fetch(server.port, "GET", "/api/v1/roadmap")
    activities = json.loads(r.body).get("activities", []) if r.status == 200 else []
    for a in activities:
        start = a.get("start") or ""
        if not start or (start[:4].isdigit() and int(start[:4]) < 2027):
            return a["id"]
    raise RuntimeError(f"GET /api/v1/roadmap → {r.status}: no activity starting before 2027 among {len(activities)}")


def data_version(db_path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        dv = con.execute("SELECT version FROM data_version WHERE id = 1").fetchone()
        return dv[0] if dv else None
    finally:
        con.close()


def audit_rows(db_path, entity_id):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'activity' AND entity_id = ?", (entity_id,)).fetchone()[0]
    finally:
        con.close()


def check_race(server, args, c):
    activity = pick_activity(server)
    server.race_activity = activity
    path = f"/api/v1/activities/{activity}"
    r = fetch(server.port, "GET", path)
    c.expect(r.status == 200, f"GET {path} → {r.status}")
    before = json.loads(r.body)
    version, old_end = before["version"], before["activity"].get("end")
    dv_before, audit_before = data_version(server.db_path), audit_rows(server.db_path, activity)
    ends = [f"{y}-Q{q}" for y in (2027, 2028, 2029) for q in (1, 2, 3, 4)]  # 12 valid, distinct periods
    auth = {"Authorization": "Bearer " + server.api_token, "Content-Type": "application/json"}
    barrier = threading.Barrier(len(ends))

    def write(end):
        body = json.dumps({"version": version, "end": end, "reason": f"kappløp {end}"}).encode()
        try:
            barrier.wait(15)
        except threading.BrokenBarrierError:
            pass
        try:
            return end, fetch(server.port, "PATCH", path, auth, body, timeout=60)
        except (OSError, http.client.HTTPException) as e:
            return end, Resp(0, None, str(e).encode(), 60.0)

    with ThreadPoolExecutor(len(ends)) as pool:
        results = list(pool.map(write, ends))
    statuses = Counter(r.status for _, r in results)
    winners = [(end, r) for end, r in results if r.status == 200]
    print(f"   {activity}: version {version}, end {old_end!r}; 12 concurrent PATCHes with version {version}: statuses {fmt(statuses)}, "
          f"max latency {max(r.elapsed for _, r in results):.2f} s")
    others = [f"{end} → {r.status} {r.text[:120]!r}" for end, r in results if r.status not in (200, 409)]
    if others:
        print(f"   other answers: {others[:3]}")
    c.expect(statuses[200] == 1 and statuses[409] == len(ends) - 1,
             f"statuses {fmt(statuses)} (expected exactly one 200 and {len(ends) - 1} 409)")
    r = fetch(server.port, "GET", path)
    after = json.loads(r.body) if r.status == 200 else {}
    now_end, now_version = after.get("activity", {}).get("end"), after.get("version")
    dv_after, audit_after = data_version(server.db_path), audit_rows(server.db_path, activity)
    print(f"   afterwards: GET → {r.status}, end {now_end!r}, version {version} → {now_version}; data_version {dv_before} → {dv_after}; "
          f"audit rows for {activity} {audit_before} → {audit_after}")
    if len(winners) == 1:
        won_end, won = winners[0]
        won_body = json.loads(won.body)
        print(f"   winner: end {won_end!r}, answered version {won_body.get('version')}")
        c.expect(now_end == won_end, f"GET shows end {now_end!r}, the winner wrote {won_end!r}")
        c.expect(now_version == won_body.get("version"), f"GET shows version {now_version}, the winner was told {won_body.get('version')}")
        # Versions come from one counter for all data (`data_version`, bumped by every write), not one per record: a
        # single write moves the record from `version` to the counter's next value, which is version + 1 only when
        # nothing else was written since this record last was.
        c.expect(isinstance(now_version, int) and now_version > version, f"the version went {version} → {now_version} (expected higher)")
        c.expect(not isinstance(dv_before, int) or now_version == dv_before + 1,
                 f"the version went {version} → {now_version}, data_version was {dv_before} (expected {dv_before + 1 if isinstance(dv_before, int) else '?'}: one write)")
        losers = [json.loads(r.body).get("current", {}) for _, r in results if r.status == 409]
        stale = [(cur.get("version"), cur.get("activity", {}).get("end")) for cur in losers
                 if (cur.get("version"), cur.get("activity", {}).get("end")) != (now_version, won_end)]
        c.expect(not stale, f"{len(stale)} 409s carried a 'current' other than the winner's: {Counter(stale).most_common(3)}")
    c.expect(dv_after == dv_before + 1 if isinstance(dv_before, int) else True,
             f"data_version went {dv_before} → {dv_after} (expected one write)")
    c.expect(audit_after == audit_before + 1, f"audit rows for {activity} went {audit_before} → {audit_after} (expected one more)")


# MARK: 9. deep JSON


def check_deep_json(server, args, c):
    activity = getattr(server, "race_activity", None) or pick_activity(server)
    path = f"/api/v1/activities/{activity}"
    r = fetch(server.port, "GET", path)
    version = json.loads(r.body)["version"] if r.status == 200 else 1
    depth = 10_000
    arrays = "[" * depth + "]" * depth
    objects = '{"a":' * depth + "1" + "}" * depth
    auth = {"Authorization": "Bearer " + server.api_token, "Content-Type": "application/json"}
    cases = [(path, "arrays", arrays), (path, "objects", objects),
             (path, "arrays as end", '{"version": %d, "end": %s}' % (version, arrays)),
             (path, "objects as description", '{"version": %d, "description": %s}' % (version, objects)),
             (f"/api/v1/records/activities/{activity}", "objects as values", '{"version": %d, "values": %s}' % (version, objects))]
    statuses = Counter()
    for target, label, text in cases:
        try:
            r = fetch(server.port, "PATCH", target, auth, text.encode(), timeout=30)
        except (OSError, http.client.HTTPException) as e:
            r = Resp(0, None, f"{type(e).__name__}: {e}".encode(), 30.0)
        statuses[r.status] += 1
        found = [w for w in LEAKS if w.lower() in r.text.lower()]
        alive = server.proc.poll() is None
        print(f"   PATCH {target} {label} nested {depth} deep ({len(text)} bytes): {r.status} in {r.elapsed:.2f} s "
              f"{'LEAKS ' + ', '.join(found) + ' ' if found else ''}{r.text[:140]!r}" + ("" if alive else " — the server exited"))
        c.expect(400 <= r.status < 500, f"{label} → {r.status} (expected 4xx)")
        c.expect(not found, f"{label} → {r.status} shows {', '.join(found)}")
        if not alive:
            break
    health = fetch(server.port, "GET", "/healthz", timeout=10) if server.proc.poll() is None else None
    after = fetch(server.port, "GET", path) if health else None
    print(f"   statuses {fmt(statuses)}; then /healthz {health.status if health else 'no server'}"
          + (f", GET {path} version {json.loads(after.body).get('version')} (was {version})" if after and after.status == 200 else ""))
    c.expect(health is not None and health.status == 200, f"/healthz after the deep bodies: {health.status if health else 'server exited'}")
    c.expect(after is None or after.status != 200 or json.loads(after.body).get("version") == version, "a deep body changed the activity")


# MARK: main


CHECKS = [(1, "PDF denial of service", check_pdf), (2, "Cache bypass and database growth with made-up cookies", check_cache),
          (3, "Host-header poisoning", check_host), (4, "Sign-in lock-out", check_signin), (5, "Open redirect", check_redirect),
          (6, "Error text", check_errors), (7, "Slow connections", check_slow), (8, "Racing writes", check_race),
          (9, "Deep JSON", check_deep_json)]


def main():
    raise_fd_limit()  # first: every process spawned below (the CLI, the server) inherits the raised limit
    p = argparse.ArgumentParser()
    p.add_argument("--full", action="store_true", help="more requests per check")
    p.add_argument("--only", default="", help="comma-separated check numbers, e.g. 2,4")
    p.add_argument("--spray-max-checked", type=int, default=12, help="check 4c: most sprayed passwords the server may check")
    args = p.parse_args()
    only = {int(x) for x in args.only.split(",") if x.strip()}
    binary = resolve_binary()
    work = Path(tempfile.mkdtemp(prefix="veikart-attack-"))
    db_path = work / "veikart.sqlite"
    server = Instance(f"sqlite://{db_path}", work, secrets.token_urlsafe(24))
    server.db_path = db_path
    began = time.monotonic()
    results = {}
    try:
        for email, role in ((EDITOR, "redaktor"), (EDITOR2, "redaktor"), (SECRETARY, "sekretariat"), (ATTACKER, "leser")):
            server.add_user(email, role)
        server.api_token = server.cli("user", "token", "--email", EDITOR2).strip().splitlines()[-1]
        server.start()
        print(f"veikart {binary} on {server.base}, database {db_path} ({time.monotonic() - began:.1f} s to set up)", flush=True)
        for number, title, fn in CHECKS:
            if only and number not in only:
                continue
            print(f"{number}. {title}", flush=True)
            c = Check()
            t0 = time.monotonic()
            try:
                if number == 4:
                    fn(server, args, c, 240 if args.full else 120)
                else:
                    fn(server, args, c)
            except Exception as e:  # a crashed check is a failed check; the others still run
                traceback.print_exc(limit=3)
                c.problems.append(f"the check stopped: {type(e).__name__}: {e}")
            if server.proc.poll() is not None:
                c.problems.append(f"the server exited (status {server.proc.returncode}); see {work}")
            took = f"({time.monotonic() - t0:.1f} s)"
            if c.problems:
                results[number] = "FAILED"
                print(f"   FAILED: {'; '.join(c.problems)} {took}", flush=True)
            elif c.skipped:
                results[number] = "SKIPPED"
                print(f"   SKIPPED: {c.skipped} {took}", flush=True)
            else:
                results[number] = "OK"
                print(f"   OK {took}", flush=True)
            if server.proc.poll() is not None:
                break
    finally:
        server.stop()
    failed = [n for n, v in results.items() if v == "FAILED"]
    print(f"attack: {len(results)} checks in {time.monotonic() - began:.0f} s: " + ", ".join(f"{n} {v}" for n, v in results.items())
          + (f"; server log in {work}" if failed else ""))
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
