"""An outside HTTP linter, REDbot, finds nothing to warn about in the lab's own answers.

REDbot (https://redbot.org, ``pip install redbot``) fetches a URL, lints the response, then sends
follow-up requests of its own (gzip negotiation, If-None-Match with the ETag, Range when the response
offers it, If-Modified-Since when it has a Last-Modified) and notes what it sees. Each note has a level:
good, info, warning or bad. These tests run its command line, ``python -m redbot.cli -o har <url>``,
against a lab on a loopback socket and fail on any warning or bad note, except the few that httpbin's
own views cause (``HTTPBIN_QUIRKS``; the kit serves httpbin's answers as httpbin makes them).
docs/http-lint.md lists what REDbot says about each URL.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import httplab

ROOT = Path(__file__).resolve().parents[1]

#: A list, an item, a file and httpbin's /get, then the kit's other GET routes; each with the status REDbot should see.
URLS = {
    "/lab/items": 200,
    "/lab/items/apple": 200,
    "/lab/files/notes.txt": 200,
    "/get": 200,
    "/lab": 200,
    "/lab/files": 200,
    "/lab/state": 200,
    "/lab/settings": 200,
    "/lab/openapi.json": 200,
    "/lab/items/missing": 404,
}

#: Notes allowed to stay, keyed by (path, REDbot's note id), each with why it is httpbin's and not the kit's.
HTTPBIN_QUIRKS = {
    ("/get", "FRESHNESS_HEURISTIC"): (
        "httpbin's /get view answers with no Cache-Control and no Expires, so a cache may guess a freshness "
        "lifetime (RFC 9111 §4.2.2). The kit passes httpbin's header fields through untouched: httpbin's "
        "/cache and /response-headers exist to show what caching header fields do (the playground offers "
        "/response-headers?Cache-Control=no-store), and a Cache-Control added by the kit would change them."
    ),
}

_PROBLEM_LEVELS = {"WARN", "BAD"}


def _flatten(notes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for note in notes:
        yield note
        yield from _flatten(note.get("subnotes", []))


def _redbot(url: str) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "redbot.cli", "-o", "har", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, f"REDbot failed on {url} (exit {run.returncode}):\n{run.stderr}"
    har: dict[str, Any] = json.loads(run.stdout)
    assert "_red_error" not in har["log"], f"REDbot could not check {url}: {har['log']['_red_error']}"
    return har


@pytest.fixture(scope="module")
def reports() -> Iterator[dict[str, dict[str, Any]]]:
    """REDbot's HAR entry for each URL in ``URLS``, from one lab holding an item and a file."""
    if importlib.util.find_spec("redbot") is None:
        pytest.skip("REDbot is not installed: it is in the test extra (pip install -e '.[test]')")
    with httplab.Lab() as lab:
        assert lab.send("PUT", "/lab/items/apple", json={"name": "apple", "colour": "red"}).status == 201
        text = {"Content-Type": "text/plain; charset=utf-8"}
        assert lab.send("PUT", "/lab/files/notes.txt", content=b"PUT stores these bytes.\n", headers=text).status == 201
        # Two at a time: each run is a Python process, and the machine may be shared.
        with ThreadPoolExecutor(max_workers=2) as pool:
            hars = dict(zip(URLS, pool.map(_redbot, [lab.url + path for path in URLS]), strict=True))
    entries = {}
    for path, har in hars.items():
        found = har["log"]["entries"]
        assert len(found) == 1, f"REDbot's report on {path} should hold one entry, not {len(found)}"
        entries[path] = found[0]
    yield entries


def _notes(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return list(_flatten(entry["_red_messages"]))


def _show(notes: list[dict[str, Any]]) -> str:
    return "\n".join(f"  {n['level']} {n['note_id']} ({n['subject']}): {n['summary']}" for n in notes)


@pytest.mark.socket
@pytest.mark.slow
@pytest.mark.parametrize("path", list(URLS))
def test_redbot_checks_the_response(reports: dict[str, dict[str, Any]], path: str) -> None:
    entry = reports[path]
    assert entry["response"]["status"] == URLS[path]
    ids = {note["note_id"] for note in _notes(entry)}
    # Proof that REDbot read the response: it judged the Date and, with a body, the Content-Length.
    assert "DATE_CORRECT" in ids, f"REDbot said nothing about Date on {path}:\n{_show(_notes(entry))}"
    assert "CL_CORRECT" in ids, f"REDbot said nothing about Content-Length on {path}:\n{_show(_notes(entry))}"


@pytest.mark.socket
@pytest.mark.slow
@pytest.mark.parametrize("path", ["/lab/items", "/lab/items/apple", "/lab/files/notes.txt", "/lab/files"])
def test_redbot_sees_conditional_get_work(reports: dict[str, dict[str, Any]], path: str) -> None:
    # REDbot sent If-None-Match with the ETag it got and received 304 (RFC 9110 §13.1.2), with the header
    # fields a 304 must repeat (§15.4.5); a missing one would be a MISSING_HDRS_304 warning.
    assert "INM_304" in {note["note_id"] for note in _notes(reports[path])}


@pytest.mark.socket
@pytest.mark.slow
@pytest.mark.parametrize("path", list(URLS))
def test_redbot_warns_about_nothing_the_kit_does(reports: dict[str, dict[str, Any]], path: str) -> None:
    problems = [
        note
        for note in _notes(reports[path])
        if note["level"] in _PROBLEM_LEVELS and (path, note["note_id"]) not in HTTPBIN_QUIRKS
    ]
    assert not problems, (
        f"REDbot warns about {path}:\n{_show(problems)}\n"
        "Fix the lab's answer; only a note httpbin's own view causes belongs in HTTPBIN_QUIRKS "
        "(and in docs/http-lint.md), with the reason."
    )


@pytest.mark.socket
@pytest.mark.slow
@pytest.mark.parametrize(("path", "note_id"), list(HTTPBIN_QUIRKS))
def test_redbot_quirks_allowed_are_still_seen(reports: dict[str, dict[str, Any]], path: str, note_id: str) -> None:
    seen = {(note["note_id"], note["level"]) for note in _notes(reports[path])}
    assert any(seen_id == note_id and level in _PROBLEM_LEVELS for seen_id, level in seen), (
        f"REDbot no longer warns {note_id} about {path}: remove it from HTTPBIN_QUIRKS and docs/http-lint.md."
    )


@pytest.mark.parametrize(("path", "note_id"), list(HTTPBIN_QUIRKS))
def test_redbot_quirks_allowed_are_documented(path: str, note_id: str) -> None:
    text = (ROOT / "docs" / "http-lint.md").read_text(encoding="utf-8")
    assert note_id in text and f"`{path}`" in text, f"docs/http-lint.md should explain {note_id} on {path}"


def test_lab_answers_tell_caches_to_check_before_reuse(lab: httplab.Lab) -> None:
    # The fix for REDbot's FRESHNESS_HEURISTIC: the lab's state can change at any moment, so an answer
    # to GET or HEAD with an ETag says no-cache (revalidate first, RFC 9111 §5.2.2.4), one without a
    # validator says no-store (§5.2.2.5), and a 304 repeats the 200's Cache-Control (RFC 9110 §15.4.5).
    put = lab.send("PUT", "/lab/items/apple", json={"name": "apple"})
    assert put.status == 201 and "Cache-Control" not in put.response.headers
    get = lab.send("GET", "/lab/items/apple")
    assert get.response.headers["Cache-Control"] == "no-cache"
    assert lab.send("HEAD", "/lab/items/apple").response.headers["Cache-Control"] == "no-cache"
    etag = get.response.headers["ETag"]
    again = lab.send("GET", "/lab/items/apple", headers={"If-None-Match": etag})
    assert again.status == 304 and again.response.headers["Cache-Control"] == "no-cache"
    missing = lab.send("GET", "/lab/items/pear")
    assert missing.status == 404 and missing.response.headers["Cache-Control"] == "no-store"
    assert lab.send("GET", "/lab/settings").response.headers["Cache-Control"] == "no-store"
    assert lab.send("GET", "/lab/state").response.headers["Cache-Control"] == "no-store"
