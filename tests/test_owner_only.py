"""A lab answers the Unix user that started it, and nobody else on the same machine.

Another user is played by ``nobody`` (uid 65534) running ``curl``: switching user needs root, which CI
has. The owner's own tools (curl, httpx, a second Python process, the CLI) must still work.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import httpx
import pytest

import httplab
from httplab.errors import HTTPLabError
from httplab.server import _peer

pytestmark = pytest.mark.socket

OTHER = 65534  # nobody
CURL = shutil.which("curl")
needs_other_user = pytest.mark.skipif(
    os.geteuid() != 0 or not _peer.OWNER_CHECK_SUPPORTED,
    reason="acting as another user (uid 65534) needs root on Linux; CI runs as root",
)
needs_curl = pytest.mark.skipif(CURL is None, reason="needs curl (apt-get install curl; .ci/run installs it)")


def _curl(url: str, *args: str, user: int | None = None) -> tuple[int, dict]:
    """Run curl (as *user*, if given) and return the status code and the JSON body."""
    command = [CURL, "-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "10", *args, url]
    extra = {"user": user, "group": user, "extra_groups": []} if user is not None else {}
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False, **extra)
    body, _, code = done.stdout.rpartition("\n")
    return int(code), (json.loads(body) if body.strip() else {})


@pytest.fixture
def lab():
    with httplab.Lab() as lab:
        lab.send("PUT", "/lab/items/apple", json={"name": "apple"})
        yield lab


def test_owner_only_is_on_by_default_and_said(lab):
    assert lab.options.owner_only is True
    expected = "enforced" if _peer.owner_check_problem() is None else "not enforced"
    assert lab.owner_check.startswith(expected)
    assert f"owner-only {lab.owner_check}" in repr(lab)


@needs_other_user
@needs_curl
@pytest.mark.parametrize(
    "path, args",
    [
        ("/lab/items/apple", ()),
        ("/lab/items", ("-X", "POST", "-H", "Content-Type: application/json", "-d", '{"name": "intruder"}')),
        (
            "/lab/settings",
            ("-X", "PATCH", "-H", "Content-Type: application/merge-patch+json", "-d", '{"require_precondition": true}'),
        ),
        ("/lab/items/apple", ("-X", "DELETE")),
    ],
    ids=["GET", "POST", "PATCH-settings", "DELETE"],
)
def test_another_user_is_refused_and_nothing_changes(lab, path, args):
    before = lab.state()
    status, problem = _curl(lab.url + path, *args, user=OTHER)
    assert status == 403
    assert "another user" in problem["detail"] and "Nothing in it was read or changed" in problem["detail"]
    after = lab.state()
    assert after["items"] == before["items"] and after["settings"] == before["settings"]
    counts = {k: v for k, v in after.get("requests", {}).items() if k != "GET"}
    assert counts == {k: v for k, v in before.get("requests", {}).items() if k != "GET"}


@needs_other_user
@needs_curl
def test_the_owner_is_answered_with_the_same_tools(lab):
    status, item = _curl(lab.url + "/lab/items/apple")
    assert (status, item) == (200, {"name": "apple"})
    assert httpx.get(lab.url + "/lab/items/apple").json() == {"name": "apple"}  # the exported httpx code
    second_kernel = (
        "import httplab, sys; from httplab.client import LabClient;"
        "print(LabClient(sys.argv[1]).send('GET', '/lab/items/apple').status)"
    )
    done = subprocess.run([sys.executable, "-c", second_kernel, lab.url], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "200", done.stderr


@needs_other_user
@needs_curl
def test_cli_lab_answers_its_owner_and_refuses_another_user():
    with subprocess.Popen(
        [sys.executable, "-m", "httplab", "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as server:
        url = server.stdout.readline().strip()
        try:
            assert _curl(url + "/lab/items")[0] == 200
            assert _curl(url + "/lab/items", user=OTHER)[0] == 403
        finally:
            server.stdin.close()
            server.wait(timeout=10)


@needs_other_user
@needs_curl
def test_owner_only_off_answers_every_user():
    with httplab.Lab(owner_only=False) as lab:
        assert lab.owner_check == "off"
        assert _curl(lab.url + "/lab/items", user=OTHER)[0] == 200


def test_a_lab_open_to_the_network_must_turn_owner_only_off_explicitly():
    with pytest.raises(HTTPLabError, match="owner_only=False"):
        httplab.Lab(host="0.0.0.0", allow_remote=True)


def test_cli_says_which_flag_shares_a_remote_lab(capsys):
    from httplab.__main__ import main

    assert main(["serve", "--host", "0.0.0.0", "--allow-remote"]) == 2
    assert "--any-user" in capsys.readouterr().err


def test_in_process_lab_has_no_socket_to_reach():
    with httplab.Lab(in_process=True) as lab:
        assert lab.owner_check.startswith("in-process")
