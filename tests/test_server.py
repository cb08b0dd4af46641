"""The lab server's lifecycle: one origin, loopback only, idempotent start, fast stop."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
from _raw import send_raw

import httplab
from httplab.lab import start
from httplab.server import LabServer, create_lab_app, is_loopback

pytestmark = pytest.mark.socket


def test_lab_serves_httpbin_and_resources_on_one_origin(socket_lab):
    echo = socket_lab.send("GET", "/get")
    assert echo.status == 200
    assert echo.json["url"].startswith(socket_lab.url)
    items = socket_lab.send("GET", "/lab/items")
    assert items.status == 200
    assert items.json == []


def test_lab_listens_on_loopback_and_a_free_port(socket_lab):
    assert socket_lab.url.startswith("http://127.0.0.1:")
    port = int(socket_lab.url.rsplit(":", 1)[1])
    assert port > 0
    with socket.socket() as probe:
        with pytest.raises(OSError):
            probe.bind(("127.0.0.1", port))


def test_two_labs_get_two_ports_and_separate_state():
    with httplab.Lab() as first, httplab.Lab() as second:
        assert first.url != second.url
        first.send("POST", "/lab/items", json={"owner": "first"})
        assert second.state()["items"] == []
        assert len(first.state()["items"]) == 1


def test_server_thread_is_a_daemon(socket_lab):
    assert socket_lab._server is not None
    assert socket_lab._server.daemon


def test_stop_ends_the_server_thread_and_frees_the_port():
    lab = httplab.Lab()
    lab.send("GET", "/lab/items")
    port = int(lab.url.rsplit(":", 1)[1])
    lab.stop()
    assert not lab.running
    with socket.socket() as probe:
        # The port may still have connections in TIME_WAIT; a new server may listen regardless.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()


def test_stop_leaves_no_server_threads_behind():
    before = {t.ident for t in threading.enumerate()}
    for _ in range(5):
        with httplab.Lab() as lab:
            lab.send("GET", "/get")
    time.sleep(0.05)
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
    assert leftover == []


def test_start_twice_returns_the_running_lab():
    lab = start()
    try:
        assert start() is lab
        lab.send("POST", "/lab/items", json={"kept": True})
        assert len(start().state()["items"]) == 1
    finally:
        lab.stop()


def test_start_restarts_a_stopped_lab():
    lab = start()
    lab.stop()
    again = start()
    try:
        assert again is not lab
        assert again.running
        assert again.send("GET", "/lab/items").status == 200
    finally:
        again.stop()


def test_start_with_other_options_gives_a_lab_with_those_options():
    lab = start()
    try:
        strict = start(require_precondition=True)
        assert strict is not lab
        assert not lab.running
        assert strict.settings()["require_precondition"] is True
    finally:
        start().stop()


def test_send_to_a_stopped_lab_says_how_to_restart():
    lab = httplab.Lab()
    lab._server.stop()
    with pytest.raises(httplab.LabNotRunningError, match=r"httplab\.start\(\)"):
        lab.send("GET", "/lab/items")
    lab.stop()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org", "::"])
def test_server_refuses_a_non_loopback_host_without_allow_remote(host):
    with pytest.raises(httplab.HTTPLabError, match="network"):
        LabServer(create_lab_app(), host=host)


@pytest.mark.parametrize("host,expected", [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True),
                                           ("localhost", True), ("0.0.0.0", False), ("10.0.0.1", False)])
def test_is_loopback(host, expected):
    assert is_loopback(host) is expected


def test_server_handles_four_requests_at_the_same_time():
    # Each request waits until all four are inside the app: a server that handled them one
    # at a time would break the barrier and answer 500.
    barrier = threading.Barrier(4, timeout=5)

    def app(environ, start_response):
        try:
            barrier.wait()
            status = "200 OK"
        except threading.BrokenBarrierError:
            status = "500 Internal Server Error"
        start_response(status, [("Content-Length", "0")])
        return [b""]

    server = LabServer(app)
    statuses = []
    try:
        with httpx.Client(base_url=server.url) as client:
            def call():
                statuses.append(client.get("/").status_code)

            threads = [threading.Thread(target=call) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        server.stop()
    assert statuses == [200, 200, 200, 200]


def test_keep_alive_reuses_one_connection(socket_lab):
    first = socket_lab.send("GET", "/get")
    second = socket_lab.send("GET", "/get")
    assert "close" not in first.response.headers.get("Connection", "").lower()
    assert second.status == 200


def test_dropped_response_closes_the_connection_after_applying(any_lab):
    with pytest.raises(httplab.NoResponseError) as caught:
        any_lab.send("POST", "/lab/items", json={"n": 1}, headers={"X-Lab-Fault": "drop-response"})
    assert caught.value.exchange.response is None
    assert "may or may not" in str(caught.value)
    assert [i["data"] for i in any_lab.state()["items"]] == [{"n": 1}]
    assert any_lab.send("GET", "/lab/items").status == 200


def test_unknown_fault_is_refused_kindly(any_lab):
    exchange = any_lab.send("POST", "/lab/items", json={}, headers={"X-Lab-Fault": "explode"})
    assert exchange.status == 400
    assert "drop-response" in exchange.response.text
    assert any_lab.state()["items"] == []


def test_httpbin_402_has_a_neutral_body(any_lab):
    exchange = any_lab.send("GET", "/status/402")
    assert exchange.status == 402
    assert exchange.response.text.startswith("Payment Required")
    assert "x-more-info" not in exchange.response.headers


@pytest.mark.parametrize("code", [100, 103])
def test_httpbin_1xx_status_gets_a_500_that_explains_at_once(any_lab, code):
    # A 1xx sent as if final would leave the client waiting for the real answer until it timed out.
    exchange = any_lab.send("GET", f"/status/{code}", timeout=5)
    assert exchange.status == 500
    assert "interim" in exchange.json["detail"] and "RFC 9110" in exchange.json["detail"]
    assert any_lab.send("GET", "/get").status == 200


@pytest.mark.parametrize(
    ("status", "headers", "why"),
    [("103 Early Hints", [], "interim"), ("200 OK", [("X-A", "a\x01b")], "control character"),
     ("200 OK", [("X-A", "a\r\nX-Injected: 1")], "control character"), ("200 OK", [("Bad Name", "x")], "header field")],
    ids=["1xx", "control-character", "crlf", "bad-name"],
)
def test_server_refuses_to_send_what_http_does_not_allow(status, headers, why):
    def app(environ, start_response):
        if environ["PATH_INFO"] == "/bad":
            start_response(status, headers)
            return [b""]
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    server = LabServer(app)
    try:
        with httpx.Client(base_url=server.url, timeout=5) as client:
            refused = client.get("/bad")
            assert refused.status_code == 500
            assert why in refused.text
            assert "x-injected" not in refused.headers
            assert client.get("/fine").text == "ok"
    finally:
        server.stop()


def test_importing_httpbin_prints_no_flasgger_notice(tmp_path):
    import subprocess
    import sys

    code = "import httplab; lab = httplab.Lab(in_process=True); print(lab.send('GET', '/get').status)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "200"
    assert "flasgger" not in done.stderr
    assert done.stderr == ""


def _read_response(stream) -> tuple[str, dict[str, str], bytes]:
    status = stream.readline().decode().strip()
    headers = {}
    while (line := stream.readline().decode().strip()):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    return status, headers, stream.read(length) if length else b""


def test_one_connection_carries_201_204_and_304_in_a_row(socket_lab):
    host, port = socket_lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn, conn.makefile("rb") as stream:
        body = b'{"a": 1}'
        put = (b"PUT /lab/items/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Content-Length: 8\r\n\r\n" + body)
        conn.sendall(put)
        status, headers, _ = _read_response(stream)
        assert status == "HTTP/1.1 201 Created"
        etag = headers["etag"]
        conn.sendall(put)
        status, headers, _ = _read_response(stream)
        assert status == "HTTP/1.1 204 No Content"
        assert headers.get("connection", "").lower() != "close"
        conn.sendall(f"GET /lab/items/k HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\n\r\n".encode())
        status, headers, _ = _read_response(stream)
        assert status == "HTTP/1.1 304 Not Modified"
        conn.sendall(b"GET /lab/items/k HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, _, content = _read_response(stream)
        assert status == "HTTP/1.1 200 OK"
        assert content == body


def test_connection_close_is_still_honoured_after_a_204(socket_lab):
    socket_lab.send("PUT", "/lab/items/k", json={})
    host, port = socket_lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn, conn.makefile("rb") as stream:
        conn.sendall(b"DELETE /lab/items/k HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        status, headers, _ = _read_response(stream)
        assert status == "HTTP/1.1 204 No Content"
        assert stream.read() == b""  # the server closed the connection


def test_body_over_the_limit_gets_the_labs_readable_413_over_a_socket(socket_lab):
    exchange = socket_lab.send("POST", "/lab/items", content=b"x" * (1024 * 1024 + 10),
                               headers={"Content-Type": "application/json"})
    assert exchange.status == 413
    assert "smaller body" in exchange.json["detail"]
    assert socket_lab.state()["items"] == []


def test_chunked_request_body_is_reassembled(socket_lab):
    reply = send_raw(
        socket_lab,
        b"POST /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n",
        finish_writing=True,
    )
    assert reply.startswith(b"HTTP/1.1 201 Created")
    assert [i["data"] for i in socket_lab.state()["items"]] == [{"a": 1}]


def test_expect_100_continue_is_answered_before_the_body(socket_lab):
    host, port = socket_lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn, conn.makefile("rb") as stream:
        conn.sendall(b"PUT /lab/items/c HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        assert stream.readline().startswith(b"HTTP/1.1 100")
        assert stream.readline() == b"\r\n"
        conn.sendall(b"{}")
        status, _, _ = _read_response(stream)
    assert status == "HTTP/1.1 201 Created"


def test_header_names_with_underscores_are_ignored(socket_lab):
    # X_Lab_Fault must not be taken for X-Lab-Fault (both map to the same WSGI key).
    exchange = socket_lab.send("POST", "/lab/items", json={"n": 1}, headers={"X_Lab_Fault": "drop-response"})
    assert exchange.status == 201


def test_stop_closes_idle_keep_alive_connections():
    lab = httplab.Lab()
    host, port = lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn, conn.makefile("rb") as stream:
        conn.sendall(b"GET /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _read_response(stream)[0] == "HTTP/1.1 200 OK"
        lab.stop()  # the connection is idle and kept alive: stop must still end it
        assert stream.read() == b""
    assert not lab.running


def test_an_app_error_becomes_a_problem_500_that_names_the_log_and_the_server_lives_on(caplog):
    def app(environ, start_response):
        if environ["PATH_INFO"] == "/fail":
            raise RuntimeError("a secret the client must not see")
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    server = LabServer(app)
    try:
        with httpx.Client(base_url=server.url, timeout=5) as client, caplog.at_level("ERROR", "httplab.server"):
            failed = client.get("/fail")
            assert failed.status_code == 500
            assert failed.headers["Content-Type"] == "application/problem+json"
            assert "secret" not in failed.text
            assert "'httplab.server'" in failed.json()["detail"]
            assert client.get("/fine").text == "ok"
    finally:
        server.stop()
    [record] = [r for r in caplog.records if r.name == "httplab.server"]
    assert "GET /fail" in record.getMessage()
    assert record.exc_info is not None and "secret" in str(record.exc_info[1])


def test_the_server_logger_is_silent_unless_configured():
    import logging

    from httplab.server._gateway import LOGGER_NAME

    assert any(isinstance(handler, logging.NullHandler) for handler in logging.getLogger(LOGGER_NAME).handlers)


# --------------------------------------------------------------------------- streaming, framing, Date


def _raw_exchange(url: str, data: bytes, *, timeout: float = 5.0) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as conn:
        conn.sendall(data)
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
        except TimeoutError:
            received += b"<timeout>"
        return received


def _pieces(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"one,"
    yield b""  # an empty piece sends nothing
    yield b"two"


def test_httpbin_drip_streams_its_bytes_as_they_come(socket_lab):
    # All at once would mean the first byte after about 2 s; streamed, it comes at once and the rest later.
    host, port = socket_lab.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        started = time.monotonic()
        conn.sendall(b"GET /drip?duration=2&numbytes=4&delay=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received, arrivals = b"", []
        while received.partition(b"\r\n\r\n")[2].count(b"*") < 4 and time.monotonic() - started < 10:
            received += conn.recv(65536)
            arrivals.append(time.monotonic() - started)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert body == b"****"
    assert arrivals[0] < 1.0, arrivals
    assert len(arrivals) >= 3 and arrivals[-1] - arrivals[0] > 1.0, arrivals  # four reads, spread over ~2 s


def test_a_streamed_response_is_chunked_on_http_1_1_and_keeps_the_connection():
    server = LabServer(_pieces)
    try:
        reply = _raw_exchange(server.url, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                          b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    finally:
        server.stop()
    first, _, second = reply.partition(b"0\r\n\r\n")
    assert b"Transfer-Encoding: chunked\r\n" in first and b"Content-Length" not in first
    assert first.endswith(b"\r\n\r\n4\r\none,\r\n3\r\ntwo\r\n")
    assert second.startswith(b"HTTP/1.1 200 OK\r\n") and b"Connection: close\r\n" in second


def test_a_streamed_response_to_http_1_0_ends_when_the_connection_closes():
    server = LabServer(_pieces)
    try:
        reply = _raw_exchange(server.url, b"GET / HTTP/1.0\r\n\r\n")
    finally:
        server.stop()
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding" not in head and b"Content-Length" not in head
    assert b"Connection: close" in head
    assert body == b"one,two"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/get", 200), ("POST", "/lab/items", 201), ("DELETE", "/lab/items/none", 404),
     ("HEAD", "/get", 200), ("GET", "/status/204", 204), ("GET", "/status/500", 500)],
    ids=["200", "201", "404", "head", "204", "500"],
)
def test_every_response_has_a_date(socket_lab, method, path, status):
    from email.utils import parsedate_to_datetime

    kwargs = {"json": {}} if method == "POST" else {}
    exchange = socket_lab.send(method, path, **kwargs)
    assert exchange.status == status
    sent = parsedate_to_datetime(exchange.response.headers["Date"])
    assert abs(sent.timestamp() - time.time()) < 60


def test_the_servers_own_answers_have_a_date_too(socket_lab):
    reply = send_raw(socket_lab, b"GET /lab/items HTTP/1.1\r\n\r\n")  # no Host: the server answers 400 itself
    assert reply.startswith(b"HTTP/1.1 400 ")
    assert b"\r\nDate: " in reply.partition(b"\r\n\r\n")[0]


def test_head_gets_the_header_fields_of_get_and_no_content(socket_lab):
    reply = send_raw(socket_lab, b"HEAD /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                 b"GET /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    head, _, rest = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Length: 2\r\n" in head + b"\r\n"
    assert rest.startswith(b"HTTP/1.1 200 OK\r\n")  # no content between the two answers
    assert rest.endswith(b"\r\n\r\n[]")


def test_a_204_never_carries_content_length_even_when_the_app_sends_one():
    def app(environ, start_response):
        start_response("204 No Content", [("Content-Length", "0")])
        return [b""]

    server = LabServer(app)
    try:
        reply = _raw_exchange(server.url, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    finally:
        server.stop()
    assert reply.startswith(b"HTTP/1.1 204 No Content\r\n")
    assert b"Content-Length" not in reply  # RFC 9110 section 8.6


def test_wsgi_write_sends_each_piece_and_the_iterable_follows():
    def app(environ, start_response):
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written,")
        return [b"returned"]

    server = LabServer(app)
    try:
        with httpx.Client(timeout=5) as client:
            assert client.get(server.url).text == "written,returned"
    finally:
        server.stop()


def test_wsgi_exc_info_replaces_a_head_not_yet_sent():
    import sys

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("late")
        except ValueError:
            start_response("503 Service Unavailable", [("Content-Length", "4")], sys.exc_info())
        return [b"busy"]

    server = LabServer(app)
    try:
        with httpx.Client(timeout=5) as client:
            reply = client.get(server.url)
    finally:
        server.stop()
    assert (reply.status_code, reply.text) == (503, "busy")


def test_an_error_after_the_head_was_sent_ends_the_connection_and_is_logged(caplog):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"first part"
        raise RuntimeError("broken stream")

    server = LabServer(app)
    try:
        with caplog.at_level("ERROR", "httplab.server"):
            reply = _raw_exchange(server.url, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    finally:
        server.stop()
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n") and b"first part" in reply
    assert not reply.endswith(b"0\r\n\r\n")  # no last chunk: the client can tell the answer is cut short
    assert any("broken stream" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


# --------------------------------------------------------------------------- request targets and versions


def test_a_path_holding_a_url_is_a_path_not_an_absolute_target(socket_lab):
    # "://" in an origin-form target is part of the path (RFC 9112 section 3.2.1), never a URL to follow.
    echoed = socket_lab.send("GET", "/anything/http://127.0.0.1/lab/state")
    assert echoed.status == 200
    assert echoed.json["url"].endswith("/anything/http://127.0.0.1/lab/state")
    odd = socket_lab.send("GET", "/anything://127.0.0.1/lab/state")
    with httplab.Lab(in_process=True) as reference:
        assert odd.status == reference.send("GET", "/anything://127.0.0.1/lab/state").status == 404


def test_an_absolute_target_is_served_and_its_host_replaces_host(socket_lab):
    port = socket_lab.url.rsplit(":", 1)[1]
    reply = send_raw(socket_lab, f"GET http://127.0.0.1:{port}/get?x=1 HTTP/1.1\r\nHost: elsewhere.example\r\n"
                                 "Connection: close\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    echoed = json.loads(reply.partition(b"\r\n\r\n")[2])
    assert echoed["headers"]["Host"] == f"127.0.0.1:{port}"  # RFC 9112 section 3.2.2
    assert echoed["args"] == {"x": "1"}


def test_http_1_2_is_read_as_http_1_1():
    seen = []

    def app(environ, start_response):
        seen.append(environ["SERVER_PROTOCOL"])
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    server = LabServer(app)
    try:
        reply = _raw_exchange(server.url, b"GET / HTTP/1.2\r\nHost: 127.0.0.1\r\n\r\n"
                                          b"GET / HTTP/1.2\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        no_host = _raw_exchange(server.url, b"GET / HTTP/1.2\r\n\r\n")
    finally:
        server.stop()
    # A higher minor version is handled as the highest one the server knows (RFC 9112 section 2.3):
    # kept alive like HTTP/1.1, and Host is required as in HTTP/1.1.
    assert reply.count(b"HTTP/1.1 200 OK\r\n") == 2
    assert seen == ["HTTP/1.1", "HTTP/1.1"]
    assert no_host.startswith(b"HTTP/1.1 400 ")


def test_expect_100_continue_with_a_body_over_the_limit_gets_413_at_once(socket_lab):
    reply = send_raw(socket_lab, b"PUT /lab/files/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                                 b"Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n", finish_writing=True)
    assert reply.startswith(b"HTTP/1.1 413 Content Too Large\r\n")  # and never "HTTP/1.1 100 Continue"
    assert b"Connection: close" in reply
