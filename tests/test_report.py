"""The kernel-side reporter: silent outside JupyterHub, off the cell's path and bounded under it."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import httplab
from httplab.teaching import report
from httplab.teaching.quiz import Quiz


@pytest.fixture
def no_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(report.URL_ENV, raising=False)
    monkeypatch.delenv(report.TOKEN_ENV, raising=False)


def test_report_sends_nothing_outside_jupyterhub(no_hub: None, monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[Any] = []
    monkeypatch.setattr(report._queue, "put_nowait", queued.append)
    guess = httplab.predict("02-post-three").choose("3")
    guess.lock()
    assert guess.reveal({"items": [{}, {}, {}]}).matched
    Quiz("09-status-codes").answer("unknown-method-status", 405)
    assert not httplab.check("create-three", {}).passed
    assert queued == []
    assert report.target() is None


def test_report_needs_both_the_token_and_the_url(no_hub: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(report.TOKEN_ENV, "abc")
    assert report.target() is None
    monkeypatch.setenv(report.URL_ENV, "http://127.0.0.1:1/services/httplab-classview/")
    assert report.target() == ("http://127.0.0.1:1/services/httplab-classview/api/events", "abc")


class _Recorder(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []
    delay = 0.0

    def do_POST(self) -> None:  # noqa: N802 - the standard library's name
        time.sleep(self.delay)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.headers["Authorization"], body))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Recorder]]:
    handler = type("Recorder", (_Recorder,), {"received": [], "delay": 0.0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(report.TOKEN_ENV, "learner-token")
    monkeypatch.setenv(report.URL_ENV, f"http://127.0.0.1:{server.server_port}/services/httplab-classview/")
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.socket
def test_report_posts_prediction_quiz_and_check_with_the_hub_token(recorder: type[_Recorder]) -> None:
    guess = httplab.predict("02-post-three").choose("1")
    guess.lock()
    guess.reveal({"items": [{}, {}, {}]})
    Quiz("09-status-codes").answer("unknown-method-status", 501)
    httplab.check("create-three", {})
    assert report.flush(10)
    tokens = {auth for auth, _ in recorder.received}
    assert tokens == {"token learner-token"}
    events = [body for _, body in recorder.received]
    assert events[0] == {
        "kind": "prediction",
        "lesson": "02-post",
        "question": "02-post-three",
        "answer": "1",
        "before_demo": True,
        "observed": "3",
        "correct": False,
    }
    assert events[1] == {
        "kind": "quiz",
        "lesson": "09-status-codes",
        "question": "unknown-method-status",
        "answer": "501",
        "correct": True,
    }
    assert events[2] == {"kind": "check", "lesson": "", "question": "create-three", "correct": False}


@pytest.mark.socket
def test_report_keeps_the_cell_fast_when_the_view_is_down(no_hub: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # A port that accepts connections and never answers: the worst case, slower than one that refuses.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    monkeypatch.setenv(report.TOKEN_ENV, "t")
    monkeypatch.setenv(report.URL_ENV, f"http://127.0.0.1:{silent.getsockname()[1]}/")
    try:
        began = time.perf_counter()
        for _ in range(3):
            assert report.check_result({"exercise": "create-three", "passed": True})
        queued = time.perf_counter() - began
        # Each report gives up after TIMEOUT: the queue drains, the cell never waited for it.
        assert queued < 1.0, f"queuing 3 reports took {queued:.3f} s"
        assert not report.flush(0.1)
        print(f"\n3 reports queued in {queued * 1000:.2f} ms while the view does not answer")
    finally:
        silent.close()
    assert report.flush(3 * report.TIMEOUT + 5)


def test_report_drops_rather_than_blocks_when_the_queue_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    import queue

    monkeypatch.setenv(report.TOKEN_ENV, "t")
    monkeypatch.setenv(report.URL_ENV, "http://127.0.0.1:1/")
    monkeypatch.setattr(report, "_queue", queue.Queue(maxsize=1))
    monkeypatch.setattr(report, "_ensure_worker", lambda: None)  # nobody drains it
    assert report.send({"kind": "check"})
    assert not report.send({"kind": "check"})
