#!/usr/bin/env python3
"""Schemathesis against /api/openapi.json with a bounded number of examples per operation, signed in as an editor so
the write operations are reached too: no 5xx, every answer in the documented shape, status and content type.

    reliability/fuzz_api.py [--examples 25] [--seed 2030]"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import Veikart


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--examples", type=int, default=25)
    p.add_argument("--seed", default="2030")
    args = p.parse_args()
    st = shutil.which("st") or str(Path(sys.executable).parent / "st")
    work = Path(tempfile.mkdtemp(prefix="veikart-fuzz-"))
    server = Veikart(f"sqlite://{work}/fuzz.sqlite", work).start()
    token = server.api_key("fuzz@example.no")
    try:
        result = subprocess.run([st, "run", server.base + "/api/openapi.json", "--url", server.base, "-n", str(args.examples), "--seed", args.seed,
                                 "-H", f"Authorization: Bearer {token}",
                                 "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"],
                                env={**os.environ, "NO_COLOR": "1"})
    finally:
        server.stop()
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
