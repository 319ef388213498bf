"""Checks that need the real HTTP server rather than the in-process test transport."""
import urllib.error
import urllib.request


def test_oversized_request_bodies_are_refused(server):
    body = b"description=" + b"x" * (2 * 1024 * 1024)
    request = urllib.request.Request(server + "/logg-inn", data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a 2 MiB body must be refused")
    except urllib.error.HTTPError as e:
        assert e.code == 413
        text = e.read().decode("utf-8")
        assert "Forespørselen er for stor." in text
        assert e.headers.get("Content-Security-Policy")


def test_api_errors_are_json_without_internals(server):
    request = urllib.request.Request(server + "/api/v1/activities/pll-hv-innforing", data=b"{not json", method="PATCH",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer vk_feil"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("must be refused")
    except urllib.error.HTTPError as e:
        assert e.code == 401
        assert e.headers.get("Content-Type", "").startswith("application/json")
        assert "Swift" not in e.read().decode("utf-8")
