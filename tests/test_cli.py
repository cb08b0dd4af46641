"""``python -m httplab serve``: the URL on the first line, loopback only, stops cleanly."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from httplab.__main__ import main

pytestmark = pytest.mark.socket


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "httplab", "serve", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_prints_the_base_url_alone_on_the_first_line_and_serves():
    with _serve() as process:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert " " not in url
        assert httpx.get(url + "/get").status_code == 200
        assert httpx.post(url + "/lab/items", json={"a": 1}).status_code == 201
        process.stdin.close()
        assert process.wait(timeout=10) == 0
        assert "Traceback" not in process.stderr.read()


def test_serve_stops_when_stdin_closes():
    with _serve() as process:
        url = process.stdout.readline().strip()
        assert httpx.get(url + "/lab/items").status_code == 200
        process.stdin.close()
        assert process.wait(timeout=10) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/lab/items")


def test_serve_stops_on_sigterm():
    with _serve() as process:
        process.stdout.readline()
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_serve_honours_require_precondition():
    with _serve("--require-precondition") as process:
        url = process.stdout.readline().strip()
        reply = httpx.put(url + "/lab/items/a", json={"a": 1})
        assert reply.status_code == 428
        process.stdin.close()
        assert process.wait(timeout=10) == 0


def test_serve_refuses_a_non_loopback_host_without_allow_remote(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "--allow-remote" in err
    assert "network" in err


def test_serve_rejects_a_bad_port(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "70000"])
    assert exited.value.code == 2
    assert "0 to 65535" in capsys.readouterr().err


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "serve" in capsys.readouterr().out


def test_console_script_is_installed():
    import shutil
    from pathlib import Path

    script = Path(sys.executable).parent / "httplab"
    assert script.exists() or shutil.which("httplab")
