"""Shared pieces of the fault scripts: a Veikart process on loopback, accounts and API keys from the CLI, JSON over HTTP."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "riktig-hest-batteri-pålitelig"


def binary():
    explicit = os.environ.get("VEIKART_BIN")
    if explicit:
        return explicit
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PATH": "/opt/swift/usr/bin:" + os.environ.get("PATH", "")}).stdout.strip()
    return str(Path(path) / "veikart")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Veikart:
    """One server process; `kill()` is SIGKILL, with no chance to flush anything."""

    def __init__(self, database_url, workdir, port=None):
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.proc = None

    def env(self):
        return {**os.environ, "DATABASE_URL": self.database_url, "LOG_LEVEL": "warning", "VEIKART_TODAY": "2026-11-22"}

    def cli(self, *args, stdin=None):
        out = subprocess.run([binary(), *args], cwd=self.workdir, input=stdin, capture_output=True, text=True, env=self.env())
        if out.returncode != 0:
            raise RuntimeError(f"veikart {' '.join(args)} failed: {out.stdout}{out.stderr}")
        return out.stdout

    def start(self, timeout=120):
        log = open(self.workdir / f"server-{self.port}.log", "a")
        self.proc = subprocess.Popen([binary(), "serve", "--hostname", "127.0.0.1", "--port", str(self.port)], cwd=self.workdir,
                                     env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("veikart exited during start; see " + str(self.workdir))
            try:
                status, _ = get(self.base + "/healthz", timeout=2)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("veikart did not answer /healthz")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def rss_kib(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def api_key(self, email, role="redaktor"):
        try:
            self.cli("user", "add", "--email", email, "--role", role, "--name", "Pålitelighetstest", "--password-stdin", stdin=PASSWORD + "\n")
        except RuntimeError as e:
            if "finnes" not in str(e):
                raise
        return self.cli("user", "token", "--email", email).strip().splitlines()[-1]


def request(method, url, body=None, token=None, timeout=15, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, raw
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def get(url, timeout=15, headers=None):
    return request("GET", url, timeout=timeout, headers=headers)


def get_json(url, token=None):
    status, raw = request("GET", url, token=token)
    return status, (json.loads(raw) if raw else None)
