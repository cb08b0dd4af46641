"""The recording client: immutable exchanges, wire text, kind errors, a capped history."""

from __future__ import annotations

import dataclasses
import socket
import ssl
import threading

import httpx
import pytest

import httplab
from httplab.client import LabClient
from httplab.client._capture import RecordingTransport
from httplab.client.models import Headers
from httplab.http.status import describe_status, status_text


def test_exchange_records_request_and_response(lab):
    exchange = lab.send("POST", "/lab/items", json={"name": "apple"}, headers={"X-Trace": "1"})
    assert exchange.request.method == "POST"
    assert exchange.request.target == "/lab/items"
    assert exchange.request.headers["x-trace"] == "1"
    assert exchange.request.body == b'{"name": "apple"}'
    assert exchange.response.status == 201
    assert exchange.response.reason == "Created"
    assert exchange.json == {"name": "apple"}
    assert exchange.elapsed > 0
    assert exchange.ok


def test_exchange_is_frozen(lab):
    exchange = lab.send("GET", "/lab/items")
    with pytest.raises(dataclasses.FrozenInstanceError):
        exchange.elapsed = 0  # type: ignore[misc]


def test_exchange_repr_is_readable(lab):
    assert repr(lab.send("DELETE", "/lab/items/9")) == "<Exchange DELETE /lab/items/9 → 404 Not Found>"


def test_raw_request_is_http11_wire_text(any_lab):
    exchange = any_lab.send("PUT", "/lab/items/a", json={"v": 1})
    head, body = exchange.raw_request.split("\r\n\r\n", 1)
    lines = head.split("\r\n")
    assert lines[0] == "PUT /lab/items/a HTTP/1.1"
    assert "Content-Type: application/json" in lines
    assert "Content-Length: 8" in lines
    assert body == '{"v": 1}'


def test_raw_response_has_status_line_headers_and_body(any_lab):
    exchange = any_lab.send("POST", "/lab/items", json={"v": 1})
    head, body = exchange.raw_response.split("\r\n\r\n", 1)
    lines = head.split("\r\n")
    assert lines[0] == "HTTP/1.1 201 Created"
    assert any(line.lower() == "location: /lab/items/1" for line in lines)
    assert body == '{"v": 1}'


def test_raw_response_summarises_binary_bodies(lab):
    exchange = lab.send("GET", "/bytes/64")
    assert "64 bytes of binary data" in exchange.raw_response


def test_raw_response_truncates_very_long_bodies(lab):
    exchange = lab.send("GET", "/range/100000")
    assert len(exchange.response.body) == 100000
    assert "the rest is not shown" in exchange.raw_response
    assert len(exchange.raw_response) < 20000


def test_exchange_html_escapes_what_the_server_sent(lab):
    exchange = lab.send("GET", "/base64/PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")  # <script>alert(1)</script>
    rendered = exchange._repr_html_()
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered


@pytest.mark.parametrize("method", ["", "GE T", "GET\r\n", 42])
def test_send_refuses_a_bad_method_and_sends_nothing(lab, method):
    with pytest.raises(httplab.InvalidRequestError, match="method"):
        lab.send(method, "/lab/items")
    assert lab.history == ()


def test_send_refuses_json_and_content_together(lab):
    with pytest.raises(httplab.InvalidRequestError, match="not both"):
        lab.send("POST", "/lab/items", json={}, content=b"{}")


def test_send_refuses_a_value_json_cannot_carry(lab):
    with pytest.raises(httplab.InvalidRequestError, match="JSON"):
        lab.send("POST", "/lab/items", json={"when": object()})
    with pytest.raises(httplab.InvalidRequestError, match="JSON"):
        lab.send("POST", "/lab/items", json={"x": float("nan")})


@pytest.mark.parametrize(
    "name,value",
    [("X-Bad", "a\r\nInjected: 1"), ("X-Nul", "a\x00b"), ("Bad Name", "x"), ("X-Num", 5)],
)
def test_send_refuses_bad_header_fields(lab, name, value):
    with pytest.raises(httplab.InvalidRequestError, match="header"):
        lab.send("GET", "/get", headers={name: value})
    assert lab.history == ()


@pytest.mark.parametrize("content", [b"abcdef", b"ab"], ids=["too-much", "too-little"])
def test_send_refuses_a_content_length_that_does_not_match_the_body(any_lab, content):
    with pytest.raises(httplab.InvalidRequestError, match="Content-Length header says '3'"):
        any_lab.send("POST", "/post", content=content, headers={"Content-Length": "3"})
    assert any_lab.history == ()
    assert any_lab.send("POST", "/post", content=b"abc", headers={"Content-Length": "3"}).json["data"] == "abc"


@pytest.mark.socket
def test_a_value_httpx_will_not_send_is_a_kind_invalid_request_error(socket_lab):
    with pytest.raises(httplab.InvalidRequestError, match="no space or tab at either end"):
        socket_lab.send("GET", "/get", headers={"X-Pad": " a"})  # h11 refuses it before writing the head
    assert socket_lab.history == ()


def test_lower_case_method_is_sent_upper_case(lab):
    assert lab.send("post", "/lab/items", json={}).request.method == "POST"


def test_path_without_leading_slash_is_accepted(lab):
    assert lab.send("GET", "lab/items").request.target == "/lab/items"


def test_unknown_method_reaches_the_server_and_gets_501(any_lab):
    assert any_lab.send("BREW", "/lab/items").status == 501


def test_history_keeps_every_exchange_in_order(lab):
    lab.send("POST", "/lab/items", json={})
    lab.send("GET", "/lab/items")
    lab.state()  # the kit's own reads are not recorded
    assert [e.request.method for e in lab.history] == ["POST", "GET"]


def test_history_is_capped():
    with httplab.Lab(in_process=True, history_size=3) as lab:
        for n in range(5):
            lab.send("GET", f"/get?n={n}")
        assert [e.request.target for e in lab.history] == ["/get?n=2", "/get?n=3", "/get?n=4"]


@pytest.mark.socket
def test_timeout_becomes_no_response_error(socket_lab):
    with pytest.raises(httplab.NoResponseError, match="time limit") as caught:
        socket_lab.send("GET", "/delay/2", timeout=0.2)
    assert caught.value.exchange.status is None
    assert socket_lab.history[-1].status_text == "no response"


def test_headers_mapping_is_case_insensitive_and_keeps_repeats():
    headers = Headers([("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("ETag", '"x"')])
    assert headers["SET-COOKIE"] == "a=1, b=2"
    assert headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "etag" in headers
    assert len(headers) == 2
    assert list(headers) == ["Set-Cookie", "ETag"]


@pytest.mark.parametrize("status,text", [(200, "200 OK"), (201, "201 Created"), (404, "404 Not Found"),
                                         (None, "no response"), (299, "299")])
def test_status_text(status, text):
    assert status_text(status) == text


def test_describe_status_covers_every_code_the_lab_sends():
    for status in (200, 201, 204, 304, 400, 404, 405, 409, 412, 413, 415, 422, 428, 501, 507):
        assert describe_status(status).split(":")[0] in status_text(status)
    assert "may or may not" in describe_status(None)


@pytest.mark.socket
def test_client_works_against_canonical_httpbin(httpbin):
    client = LabClient(httpbin.url)
    try:
        exchange = client.send("POST", "/post", json={"hello": "world"})
        assert exchange.status == 200
        assert exchange.json["json"] == {"hello": "world"}
        assert client.send("PUT", "/get").status == 405
        assert client.send("DELETE", "/delete").status == 200
        assert len(client.history) == 3
    finally:
        client.close()


@pytest.mark.socket
def test_in_process_and_socket_give_the_same_answers():
    with httplab.Lab(in_process=True) as inner, httplab.Lab() as outer:
        for lab in (inner, outer):
            lab.send("POST", "/lab/items", json={"a": 1})
            lab.send("PUT", "/lab/items/x", json={"b": 2})
            lab.send("DELETE", "/lab/items/1")
        assert inner.state() == outer.state()
        assert [e.status for e in inner.history] == [e.status for e in outer.history]


def test_send_after_stop_says_the_lab_is_not_running():
    lab = httplab.Lab(in_process=True)
    lab.stop()
    assert not lab.running
    with pytest.raises(httplab.LabNotRunningError, match="stopped"):
        lab.send("GET", "/lab/items")


def test_lab_options_round_trip_through_start():
    from httplab.lab import start

    lab = start(in_process=True, require_precondition=True, history_size=7)
    try:
        assert lab.options["require_precondition"] is True
        assert start(**lab.options) is lab
    finally:
        lab.stop()


def test_only_the_labs_origin_gets_the_recording_transport():
    client = LabClient("http://127.0.0.1:9")
    plain = httpx.Client()
    try:
        assert isinstance(client._http._transport_for_url(httpx.URL("http://127.0.0.1:9/get")), RecordingTransport)
        for url in ("http://127.0.0.1:10/", "http://localhost:9/", "https://127.0.0.1:9/", "https://example.org/"):
            chosen = client._http._transport_for_url(httpx.URL(url))
            assert not isinstance(chosen, RecordingTransport), url
            assert type(chosen) is type(plain._transport_for_url(httpx.URL(url))), url
    finally:
        client.close()
        plain.close()


def test_https_is_verified_exactly_as_plain_httpx_verifies_it():
    with LabClient("http://127.0.0.1:9") as client, httpx.Client() as plain:
        url = httpx.URL("https://example.org/")
        ours = client._http._transport_for_url(url)._pool._ssl_context
        theirs = plain._transport_for_url(url)._pool._ssl_context
        assert (ours.verify_mode, ours.check_hostname) == (theirs.verify_mode, theirs.check_hostname)
        assert ours.verify_mode == ssl.CERT_REQUIRED and ours.check_hostname
        assert ours.cert_store_stats() == theirs.cert_store_stats() and ours.cert_store_stats()["x509_ca"] > 0
        assert (ours.minimum_version, ours.options) == (theirs.minimum_version, theirs.options)


def _pool_route(transport):
    """What a transport's connection pool does with a request: go direct, or through which proxy."""
    pool = transport._pool
    proxy = getattr(pool, "_proxy_url", None)
    return type(transport), type(pool), None if proxy is None else (proxy.scheme, proxy.host, proxy.port)


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY"])
def test_other_hosts_follow_environment_proxies_like_plain_httpx_but_the_lab_does_not(monkeypatch, variable):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv(variable, "http://proxy.invalid:3128")
    with httplab.Lab() as lab, httpx.Client(trust_env=True) as plain:
        for url in ("http://example.org/", "https://example.org/", "http://127.0.0.1:9/"):
            ours = lab.client._http._transport_for_url(httpx.URL(url))
            theirs = plain._transport_for_url(httpx.URL(url))
            assert _pool_route(ours) == _pool_route(theirs), url
        if variable == "HTTP_PROXY":
            assert _pool_route(plain._transport_for_url(httpx.URL("http://example.org/")))[2] == (
                b"http", b"proxy.invalid", 3128)
        assert isinstance(lab.client._http._transport_for_url(httpx.URL(lab.url)), RecordingTransport)
        assert lab.send("GET", "/get").status == 200  # proxy.invalid does not exist: the lab was reached directly


def test_a_request_to_another_host_goes_through_the_environment_proxy(monkeypatch):
    seen: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def proxy() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            seen.append(data)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied")

    threading.Thread(target=proxy, daemon=True).start()
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
    try:
        with httplab.Lab() as lab:
            exchange = lab.send("GET", "http://example.invalid/page")
    finally:
        listener.close()
    assert exchange.response.text == "proxied"
    assert seen[0].startswith(b"GET http://example.invalid/page HTTP/1.1\r\n")  # a proxy gets the absolute form
    assert exchange.wire_is_reconstructed and "another origin" in exchange.wire_note


def test_an_in_process_lab_ignores_environment_proxies(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    with httplab.Lab(in_process=True) as lab:
        assert lab.send("GET", "/get").status == 200


@pytest.mark.socket
def test_socket_exchanges_carry_the_bytes_and_say_so(socket_lab):
    exchange = socket_lab.send("POST", "/lab/items", json={"v": 1})
    assert not exchange.wire_is_reconstructed and exchange.wire_note == ""
    assert exchange.raw_request.encode("latin-1").startswith(exchange.wire.request_head)
    assert exchange.raw_response.encode("latin-1").startswith(exchange.wire.response_head)
    assert "the bytes that crossed the socket" in exchange._repr_html_()
    assert "reconstructed" not in exchange._repr_html_()


def test_in_process_exchanges_say_their_wire_text_is_reconstructed(lab):
    exchange = lab.send("GET", "/get")
    assert exchange.wire is None and exchange.wire_is_reconstructed
    assert "in-process" in exchange.wire_note and "no bytes crossed a socket" in exchange.wire_note
    rendered = exchange._repr_html_()
    assert "on the wire (reconstructed)" in rendered and "no bytes crossed a socket" in rendered


def test_cookies_a_response_sets_go_out_with_the_next_request(any_lab):
    any_lab.send("GET", "/cookies/set?flavour=oat")
    sent = any_lab.send("GET", "/cookies")
    assert sent.json == {"cookies": {"flavour": "oat"}}
    assert "flavour=oat" in sent.request.headers["Cookie"]  # the record shows what went out


def test_the_cookie_jar_reads_only_responses_that_set_a_cookie(lab, monkeypatch):
    import http.cookiejar

    reads = []
    original = http.cookiejar.CookieJar.extract_cookies
    monkeypatch.setattr(http.cookiejar.CookieJar, "extract_cookies",
                        lambda self, *args: (reads.append(1), original(self, *args))[1])
    lab.send("GET", "/get")
    assert reads == []
    lab.send("GET", "/cookies/set?a=1")
    assert reads == [1]
