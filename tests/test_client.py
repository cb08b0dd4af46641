"""The recording client: immutable exchanges, wire text, kind errors, a capped history."""

from __future__ import annotations

import dataclasses

import pytest

import httplab
from httplab._transport import PlainHTTPTransport
from httplab.client import LabClient
from httplab.models import Headers, describe_status, status_text


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


@pytest.mark.parametrize("name,value", [("X-Bad", "a\r\nInjected: 1"), ("Bad Name", "x"), ("X-Num", 5)])
def test_send_refuses_bad_header_fields(lab, name, value):
    with pytest.raises(httplab.InvalidRequestError, match="header"):
        lab.send("GET", "/get", headers={name: value})
    assert lab.history == ()


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


def test_lazy_transport_is_built_once_on_first_use():
    import httpx

    from httplab.client import _LazyTransport

    built = []

    def factory():
        built.append(1)
        return httpx.MockTransport(lambda request: httpx.Response(200, text=request.url.scheme))

    lazy = _LazyTransport(factory)
    assert built == []
    with httpx.Client(transport=lazy) as client:
        assert client.get("https://example.invalid/").text == "https"
        assert client.get("https://example.invalid/").text == "https"
    assert built == [1]


def test_https_urls_use_the_verifying_transport_and_http_the_plain_one():
    import httpx

    from httplab.client import _LazyTransport

    client = LabClient("http://127.0.0.1:9")
    try:
        assert isinstance(client._http._transport_for_url(httpx.URL("https://example.invalid/")), _LazyTransport)
        plain = client._http._transport_for_url(httpx.URL("http://127.0.0.1:9/"))
        assert isinstance(plain, PlainHTTPTransport)
    finally:
        client.close()


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
