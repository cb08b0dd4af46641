"""Security promises (SECURITY.md): loopback only, no file or code access from requests, limits, no live HTML.

* The lab listens on 127.0.0.1 by default, and the CLI refuses another host without
  ``--allow-remote``.
* During a fuzzed run against ``/lab``, an audit hook (PEP 578) fails the test on any file
  opened for writing, any file opened outside Python's own installation, any file removed
  or renamed, any process started, any code compiled from a string and any outgoing
  connection.
* Bodies, items, files, idempotency keys, request-count names and the client's history
  are bounded.
* Nothing a learner or a server sends is rendered as live HTML: ``<script>`` and
  ``<img onerror>`` in bodies, header fields and paths show as text in
  ``Exchange._repr_html_``, in every experiment result's ``_repr_html_`` and in every
  HTML widget value of a headless ``Playground``.
"""

from __future__ import annotations

import contextvars
import json
import os
import re
import sys
import sysconfig
from pathlib import Path

import hypothesis.strategies as st
import pytest
from _budget import examples, profile
from _raw import send_raw
from hypothesis import given, settings

import httplab
from httplab.__main__ import main
from httplab.client import LabClient
from httplab.errors import HTTPLabError
from httplab.server import LabServer, create_lab_app, is_loopback
from httplab.server._wsgi import KNOWN_METHODS, MAX_BODY_BYTES
from httplab.server.resources import ResourceApp

# --------------------------------------------------------------------------- loopback


@pytest.mark.socket
def test_lab_listens_only_on_the_loopback_address(socket_lab):
    host, port = socket_lab._server._httpd._listener.getsockname()[:2]
    assert host == "127.0.0.1"
    assert socket_lab.url == f"http://127.0.0.1:{port}"
    listening = Path("/proc/net/tcp")
    if listening.exists():
        rows = [line.split() for line in listening.read_text().splitlines()[1:]]
        ours = [row for row in rows if row[1].endswith(f":{port:04X}") and row[3] == "0A"]
        assert ours and all(row[1].startswith("0100007F:") for row in ours)


@pytest.mark.parametrize(
    "host",
    ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "localhost.example.com", "127.0.0.1.nip.io", ""],
)
def test_cli_refuses_a_non_loopback_host_without_allow_remote(host, capsys):
    assert main(["serve", "--host", host]) == 2
    assert "--allow-remote" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10"])
def test_server_and_lab_refuse_a_non_loopback_host(host):
    with pytest.raises(HTTPLabError, match="allow_remote=True"):
        LabServer(create_lab_app(), host=host)
    with pytest.raises(HTTPLabError):
        httplab.Lab(host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.5.5", "::1", "[::1]", "localhost"])
def test_loopback_hosts_are_recognised(host):
    assert is_loopback(host)


# --------------------------------------------------------------------------- no files, no code, no network

_GUARD: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("guard", default=None)
_INSTALLED = tuple(
    str(Path(p).resolve())
    for p in {sys.prefix, sys.base_prefix, sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
              str(Path(httplab.__file__).parent)}
)
_FORBIDDEN = (
    "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod",
    "os.chown", "os.link", "os.symlink", "shutil.rmtree", "shutil.copyfile", "shutil.move", "subprocess.Popen",
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn", "socket.connect",
    "socket.bind", "ctypes.dlopen", "urllib.Request", "webbrowser.open", "builtins.input", "pickle.find_class",
    "marshal.loads",
)


def _audit(event: str, args: tuple[object, ...]) -> None:
    seen = _GUARD.get()
    if seen is None:
        return
    if event == "open":
        path, mode = args[0], args[1]
        writing = isinstance(mode, str) and any(flag in mode for flag in "wax+")
        writing = writing or (isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        inside = isinstance(path, str) and str(Path(path).resolve()).startswith(_INSTALLED)
        if writing or not inside:
            seen.append(f"open {path!r} {mode!r}")
    elif event == "compile" and isinstance(args[0], str | bytes):
        seen.append(f"compile {str(args[0])[:60]!r}")
    elif event.startswith(_FORBIDDEN):
        seen.append(f"{event} {str(args)[:80]}")


sys.addaudithook(_audit)


class _Guarded:
    """Run the lab's WSGI application with the audit hook armed."""

    def __init__(self, app) -> None:
        self.app = app
        self.seen: list[str] = []

    def __call__(self, environ, start_response):
        token = _GUARD.set(self.seen)
        try:
            return list(self.app(environ, start_response))
        finally:
            _GUARD.reset(token)


def test_the_audit_hook_sees_what_it_must_refuse(tmp_path):
    seen: list[str] = []
    token = _GUARD.set(seen)
    try:
        (tmp_path / "x").write_text("x")
        compile("1 + 1", "<string>", "eval")
    finally:
        _GUARD.reset(token)
    assert any(s.startswith("open") for s in seen) and any(s.startswith("compile") for s in seen)


@pytest.fixture(scope="module")
def guarded():
    app = create_lab_app()
    guard = _Guarded(app)
    client = LabClient("http://lab.local", app=guard)
    # Warm up: imports on first use (werkzeug's form parser) open module files, which is fine.
    client.send("POST", "/lab/files", files={"f": ("a.txt", b"x")})
    client.send("PATCH", "/lab/settings", json={}, headers={"Content-Type": "application/merge-patch+json"})
    client.send("PATCH", "/lab/items/1", json=[], headers={"Content-Type": "application/json-patch+json"})
    guard.seen.clear()
    yield client, guard
    client.close()


tokens = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._~-%", min_size=1, max_size=12)
paths = st.one_of(
    st.sampled_from(["/lab", "/lab/items", "/lab/state", "/lab/reset", "/lab/settings", "/lab/files",
                     "/lab/openapi.json", "/lab/items/1", "/lab/files/a.txt"]),
    st.builds(lambda a, b: f"/lab/{a}/{b}", st.sampled_from(["items", "files"]), tokens),
    st.builds(lambda a: f"/lab/items/{a}/../../../../etc/passwd", tokens),
)
contents = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b'{"file": "/etc/passwd"}', b'[{"op": "copy", "from": "/a", "path": "/b"}]',
                     b'{"__class__": "os.system", "cmd": "touch /tmp/pwned"}', b"__import__('os').system('id')"]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8).map(lambda v: json.dumps(v).encode()),
)
header_values = st.one_of(
    st.sampled_from(['"abc"', "*", "W/\"x\"", "../../etc/passwd", "$(id)", "`id`", "{{7*7}}", "0", "0.01"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
)
headers = st.dictionaries(
    st.sampled_from(["Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Lab-Delay", "X-Lab-Fault",
                     "Accept", "Content-Disposition", "Transfer-Encoding", "X-Forwarded-For"]),
    st.one_of(header_values, st.sampled_from(["application/json", "application/merge-patch+json",
                                              "application/json-patch+json", "multipart/form-data; boundary=b",
                                              "text/html"])),
    max_size=4,
)


@settings(profile(), max_examples=examples(150, 3000))
@given(method=st.sampled_from([*sorted(KNOWN_METHODS), "FROB", "QUERY"]), path=paths, content=contents,
       header_fields=headers)
def test_no_request_opens_writes_or_runs_anything(guarded, method, path, content, header_fields):
    client, guard = guarded
    if "X-Lab-Delay" in header_fields:
        header_fields["X-Lab-Delay"] = "0"  # a real delay would only slow the run down
    try:
        exchange = client.send(method, path, content=content, headers=header_fields, record=False)
    except httplab.NoResponseError:
        return  # X-Lab-Fault: drop-response, on purpose
    except httplab.InvalidRequestError:
        return  # the client refused to build it; nothing was sent
    assert exchange.status is not None and exchange.status < 500 or exchange.status in (501, 505, 507)
    assert guard.seen == []


# --------------------------------------------------------------------------- limits


def test_body_over_the_limit_is_refused_everywhere(lab):
    big = b"x" * (MAX_BODY_BYTES + 1)
    for method, path, kind in [("POST", "/lab/items", "application/json"), ("PUT", "/lab/files/a", "text/plain"),
                               ("PATCH", "/lab/settings", "application/merge-patch+json")]:
        assert lab.send(method, path, content=big, headers={"Content-Type": kind}).status == 413
    assert lab.state()["items"] == [] and lab.state()["files"] == []


def test_item_count_is_bounded():
    with httplab.Lab(in_process=True, max_items=5) as lab:
        for n in range(5):
            assert lab.send("POST", "/lab/items", json={"n": n}).status == 201
        assert lab.send("POST", "/lab/items", json={}).status == 507
        assert lab.send("PUT", "/lab/items/extra", json={}).status == 507
        assert lab.send("PUT", "/lab/items/1", json={"replaced": True}).status == 204
        assert len(lab.state()["items"]) == 5


def test_idempotency_keys_are_bounded():
    app = ResourceApp(max_idempotency_keys=3)
    client = LabClient("http://lab.local", app=app)
    for n in range(10):
        client.send("POST", "/items", json={}, headers={"Idempotency-Key": f"k{n}"})
    assert len(app.items.keys) == 3


def test_history_is_bounded():
    with httplab.Lab(in_process=True, history_size=5) as lab:
        for _ in range(12):
            lab.send("GET", "/lab/items")
        assert len(lab.history) == 5
    with httplab.Lab(in_process=True) as lab:
        assert lab.client.history_size == 1000


def test_delay_is_bounded(lab):
    exchange = lab.send("POST", "/lab/items", json={}, headers={"X-Lab-Delay": "3600"})
    assert exchange.status == 400
    assert lab.state()["items"] == []


def test_unrecognised_method_names_cannot_grow_the_request_counts(lab):
    for n in range(200):
        lab.send(f"FROB{n}", "/lab/items")
        lab.send(f"X{n}" * 50, "/lab/files")
    counts = lab.state()["requests"]
    assert len(counts) <= 33
    assert sum(counts.values()) == 400
    assert all(len(name) <= 20 for name in counts)
    lab.send("GET", "/lab/items")
    assert lab.state()["requests"]["GET"] == 1


# --------------------------------------------------------------------------- no live HTML

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
#: A tag that would run or load something; escaped text (&lt;script&gt;) never matches. (The kit's
#: own charts are inline SVG by design; test_charts checks that their labels are escaped.)
LIVE = re.compile(r"<\s*/?\s*(script|img|iframe|object|embed)\b", re.IGNORECASE)


def live_markup(html: str) -> list[str]:
    return LIVE.findall(html)


def test_exchange_html_shows_scripts_and_images_as_text(lab):
    exchange = lab.send("POST", "/lab/items", json={"name": SCRIPT, "pic": IMG}, headers={"X-Note": IMG})
    html = exchange._repr_html_()
    assert live_markup(html) == []
    assert "&lt;script&gt;" in html and "&lt;img" in html
    echoed = lab.send("GET", "/response-headers", headers={"Accept": "application/json"})
    assert live_markup(echoed._repr_html_()) == []


def test_exchange_html_escapes_a_hostile_path_and_method(lab):
    exchange = lab.send("GET", f"/anything/{IMG}?q={SCRIPT}")
    assert live_markup(exchange._repr_html_()) == []


def test_experiment_results_show_scripts_and_images_as_text(lab):
    payload = {"name": SCRIPT, "pic": IMG}
    results = [
        lab.repeat("POST", "/lab/items", json=payload),
        lab.repeat("PUT", f"/lab/items/x?{IMG}", json=payload),
        lab.repeat("GET", f"/anything?{SCRIPT}"),
        lab.compare([("POST", "/lab/items", {"json": payload}), ("GET", f"/anything/{IMG}")], times=2),
        lab.retry_after_lost_response("POST", "/lab/items", retry="always", json=payload),
        lab.lost_update(original={"text": SCRIPT}, first={"text": IMG}, second={"text": SCRIPT}),
    ]
    for result in results:
        html = result._repr_html_()
        assert live_markup(html) == [], (type(result).__name__, live_markup(html))
        assert "&lt;" in html, type(result).__name__


def html_values(root) -> list[tuple[str, str]]:
    """Every string a widget tree renders as HTML: HTML values, and HTML-enabled descriptions."""
    import ipywidgets as widgets

    from httplab.widgets._common import walk

    found = []
    for widget in walk(root):
        if isinstance(widget, widgets.HTML | widgets.HTMLMath):
            found.append((type(widget).__name__, str(widget.value)))
        if getattr(widget, "description_allow_html", False):
            found.append(("description", str(widget.description)))
    return found


@pytest.mark.parametrize(
    ("method", "path", "headers", "body"),
    [
        ("POST", "/lab/items", "", json.dumps({"name": SCRIPT, "pic": IMG})),
        ("POST", "/anything", "X-Evil: " + IMG, SCRIPT),
        ("GET", f"/response-headers?X-Evil={IMG}", "", ""),
        ("GET", f"/anything/{IMG}?q={SCRIPT}", "", ""),
        ("GET", "/lab/nothing-here-" + IMG, "", ""),
        ("PUT", f"/lab/items/{IMG}", "", "{}"),
    ],
    ids=["item-body", "echoed-body-and-header", "response-header", "path-and-query", "problem-detail", "bad-id"],
)
def test_playground_shows_hostile_content_as_text_in_every_html_widget(lab, method, path, headers, body):
    from httplab.widgets import Playground

    playground = Playground(lab, background=False)
    playground.method.value = method
    playground.path.value = path
    playground.headers_editor.value = headers
    playground.content_type.value = "application/json" if body.startswith("{") else ("text/plain" if body else "")
    playground.body_editor.value = body
    exchange = playground.send()
    assert exchange is not None, playground.message
    rendered = html_values(playground.widget)
    assert rendered
    for kind, value in rendered:
        assert live_markup(value) == [], (kind, value[:300])
    assert live_markup(playground.html) == []
    assert "&lt;" in playground.html


@pytest.mark.socket
@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "192.168.1.5", "127.0.0.1.evil.example"])
def test_lab_refuses_requests_addressed_to_another_host(socket_lab, host):
    # A page using DNS rebinding reaches 127.0.0.1 under its own name; the Host header gives it away.
    exchange = socket_lab.send("POST", "/lab/items", json={"stolen": True}, headers={"Host": host})
    assert exchange.status == 403
    assert "addressed to this machine" in exchange.json["detail"]
    assert socket_lab.state()["items"] == []


@pytest.mark.socket
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_lab_answers_requests_addressed_to_this_machine(socket_lab, host):
    port = socket_lab.url.rsplit(":", 1)[1]
    assert socket_lab.send("GET", "/lab/items", headers={"Host": f"{host}:{port}"}).status == 200


@pytest.mark.socket
def test_an_absolute_target_naming_another_host_is_refused_like_its_host_header(socket_lab):
    # The authority of an absolute-form target replaces Host (RFC 9112 section 3.2.2), so the guard sees it.
    reply = send_raw(socket_lab, b"POST http://evil.example/lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    assert reply.startswith(b"HTTP/1.1 403 ")
    assert socket_lab.state()["items"] == []
