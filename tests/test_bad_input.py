"""A catalogue of bad input: each gets a clear 4xx (or its documented code), never a 500 or a dead server.

Bodies are sent in-process (the app's own answer) and, where the HTTP layer matters, over
a raw socket to a socket lab, written byte by byte the way a broken or hostile client
would. After every case the server still answers and the store is unchanged.

Codes that come from the HTTP server (h11 and the loop around it, ``httplab.server._httpconn``),
before the lab's application sees anything, are problem+json too and documented here: a
malformed request line or header section is 400 (lines that end in a bare LF included), a
request line that is too long 414, a header section that is too long 431, a body over 2 MiB
413 (the lab's own 413 covers 1 MiB to 2 MiB), an HTTP version other than 1.x 505 (from the
lab). A request whose header section never ends waits for the rest until the head deadline
(10 s), and a body shorter than its Content-Length until the body deadline (30 s), each
answered 408; other clients are served meanwhile.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from _raw import send_raw

MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
JSON = {"Content-Type": "application/json"}


def stored(lab):
    """The part of the state a bad request must not change: items, files, settings."""
    state = lab.state()
    return {key: state[key] for key in ("items", "files", "settings")}


def detail(exchange):
    return exchange.json["detail"]


# --------------------------------------------------------------------------- bodies, in-process

NESTED_ARRAYS = b"[" * 100_000 + b"]" * 100_000
NESTED_OBJECTS = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
BAD_BODIES = [
    pytest.param(b'{"name": "apple"', 400, "Invalid JSON at line 1", id="truncated-object"),
    pytest.param(b'{"tags": [1, 2', 400, "Invalid JSON", id="truncated-array"),
    pytest.param(b'{"name": "app', 400, "Invalid JSON", id="truncated-string"),
    pytest.param(b"{", 400, "Invalid JSON", id="lone-brace"),
    pytest.param(b"{} {}", 400, "Extra data", id="two-documents"),
    pytest.param(b"{'a': 1}", 400, "Invalid JSON", id="single-quotes"),
    pytest.param(b'{"a": 01}', 400, "Invalid JSON", id="leading-zero"),
    pytest.param(b'{"a": Infinity}', 400, "Infinity is not allowed", id="infinity-word"),
    pytest.param(b"\xef\xbb\xbf{}", 400, "Invalid JSON", id="utf8-bom"),
    pytest.param(b'{"a": "\xc3\x28"}', 400, "not valid UTF-8", id="invalid-utf8"),
    pytest.param(b"\xff\xfe{\x00}\x00", 400, "not valid UTF-8", id="utf16"),
    pytest.param(NESTED_ARRAYS, 400, "nested too deeply", id="100k-nested-arrays"),
    pytest.param(NESTED_OBJECTS, 400, "nested too deeply", id="100k-nested-objects"),
    pytest.param(b'{"n": ' + b"9" * 5000 + b"}", 400, "5,000 digits", id="5000-digit-int"),
    pytest.param(b'{"n": -' + b"9" * 5000 + b"}", 400, "5,000 digits", id="5000-digit-negative"),
    pytest.param(b'{"n": ' + b"9" * 5000 + b".5}", 400, "too large", id="5000-digit-float"),
    pytest.param(b'{"n": 1e999}', 400, "too large", id="float-overflow"),
    pytest.param(b'{"n": -1e400}', 400, "too large", id="float-overflow-negative"),
    pytest.param(b'{"s": "\\ud800"}', 400, "lone UTF-16 surrogate", id="lone-high-surrogate"),
    pytest.param(b'{"s": "x\\udfff"}', 400, "lone UTF-16 surrogate", id="lone-low-surrogate"),
    pytest.param(b'{"\\ud83d": 1}', 400, "lone UTF-16 surrogate", id="surrogate-in-a-name"),
    pytest.param(b"[1, 2]", 422, "JSON array", id="array-not-object"),
    pytest.param(b"   ", 400, "no content", id="only-spaces"),
]


@pytest.mark.parametrize(("content", "status", "message"), BAD_BODIES)
@pytest.mark.parametrize(("method", "path"), [("POST", "/lab/items"), ("PUT", "/lab/items/a")], ids=["POST", "PUT"])
def test_bad_item_body_is_a_clear_4xx_and_changes_nothing(lab, method, path, content, status, message):
    before = stored(lab)
    exchange = lab.send(method, path, content=content, headers=JSON)
    assert exchange.status == status, exchange.response.text
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    assert message in detail(exchange)
    assert stored(lab) == before


@pytest.mark.parametrize(("content", "status", "message"), [p for p in BAD_BODIES if p.values[1] == 400])
@pytest.mark.parametrize("headers", [MERGE, JSON_PATCH], ids=["merge", "json-patch"])
def test_bad_patch_body_is_400_and_leaves_the_item_alone(lab, headers, content, status, message):
    lab.send("PUT", "/lab/items/a", json={"name": "apple"})
    before = stored(lab)
    exchange = lab.send("PATCH", "/lab/items/a", content=content, headers=headers)
    assert exchange.status == 400
    assert message in detail(exchange)
    assert stored(lab) == before


def test_numbers_that_fit_and_proper_surrogate_pairs_are_accepted(lab):
    body = b'{"big": ' + b"9" * 4300 + b', "small": 1e-999, "max": 1.7976931348623157e308, "emoji": "\\ud83d\\ude00"}'
    exchange = lab.send("POST", "/lab/items", content=body, headers=JSON)
    assert exchange.status == 201
    assert exchange.json["emoji"] == "\N{GRINNING FACE}"
    assert exchange.json["max"] == 1.7976931348623157e308
    # What the lab sends back is JSON again: no Infinity, no NaN, valid UTF-8.
    assert json.loads(lab.send("GET", "/lab/state").response.body.decode("utf-8"))


def test_settings_with_an_overflowing_number_is_400(lab):
    exchange = lab.send("PATCH", "/lab/settings", content=b'{"require_precondition": 1e999}', headers=MERGE)
    assert exchange.status == 400
    assert lab.settings() == {"require_precondition": False}


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/jsonx", "application/x-www-form-urlencoded", "multipart/form-data",
     "application/merge-patch+json", "", "application/json/extra"],
    ids=["missing", "text", "jsonx", "form", "multipart", "merge-patch", "empty", "extra-slash"],
)
@pytest.mark.parametrize(("method", "path"), [("POST", "/lab/items"), ("PUT", "/lab/items/a")], ids=["POST", "PUT"])
def test_wrong_or_missing_content_type_is_415(lab, method, path, content_type):
    headers = {} if content_type is None else {"Content-Type": content_type}
    exchange = lab.send(method, path, content=b'{"name": "apple"}', headers=headers)
    assert exchange.status == 415
    assert "Content-Type: application/json" in detail(exchange)
    assert stored(lab)["items"] == []


def test_patch_with_plain_json_is_415_with_accept_patch(lab):
    lab.send("PUT", "/lab/items/a", json={"name": "apple"})
    exchange = lab.send("PATCH", "/lab/items/a", json={"name": "pear"})
    assert exchange.status == 415
    assert "application/merge-patch+json" in exchange.response.headers["Accept-Patch"]


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [("POST", "/lab/items", JSON), ("PUT", "/lab/items/a", JSON), ("PATCH", "/lab/settings", MERGE),
     ("PUT", "/lab/files/big.bin", {})],
    ids=["POST-item", "PUT-item", "PATCH-settings", "PUT-file"],
)
def test_ten_mib_body_is_413_in_process(lab, method, path, headers):
    exchange = lab.send(method, path, content=b"x" * (10 * 1024 * 1024), headers=headers)
    assert exchange.status == 413
    assert "larger than the lab accepts" in detail(exchange)
    assert stored(lab)["items"] == [] and stored(lab)["files"] == []


@pytest.mark.parametrize(
    ("key", "status"),
    [("", 400), ("x" * 256, 400), ('""', 400)],
    ids=["empty", "too-long", "empty-quoted"],
)
def test_bad_idempotency_key_is_400(lab, key, status):
    exchange = lab.send("POST", "/lab/items", json={}, headers={"Idempotency-Key": key})
    assert exchange.status == status
    assert stored(lab)["items"] == []


def test_a_replayed_idempotency_key_with_a_malformed_condition_is_400(lab):
    first = lab.send("POST", "/lab/items", json={}, headers={"Idempotency-Key": "k"})
    again = lab.send("POST", "/lab/items", json={}, headers={"Idempotency-Key": "k", "If-Match": "not-a-tag"})
    assert first.status == 201
    assert again.status == 400
    assert "Entity tags are quoted" in detail(again)
    assert len(stored(lab)["items"]) == 1


@pytest.mark.parametrize(
    "value",
    ["garbage", '"unterminated', "W/", "W/garbage", ",", "*, \"a\"", "\"a\",,x"],
)
@pytest.mark.parametrize("name", ["If-Match", "If-None-Match"])
def test_malformed_entity_tags_are_400_on_every_method(lab, name, value):
    lab.send("PUT", "/lab/items/a", json={"n": 1})
    before = stored(lab)
    for method, path, body in [("GET", "/lab/items/a", None), ("PUT", "/lab/items/a", {"n": 2}),
                               ("DELETE", "/lab/items/a", None), ("POST", "/lab/items", {}),
                               ("GET", "/lab/items", None)]:
        kwargs = {} if body is None else {"json": body}
        exchange = lab.send(method, path, headers={name: value}, **kwargs)
        assert exchange.status == 400, (method, path, exchange.status)
    assert stored(lab) == before


# --------------------------------------------------------------------------- raw socket


def raw(lab, data: bytes, *, timeout: float = 5.0) -> bytes:
    """Send *data* as it is on a fresh connection and return everything the server sends back."""
    return send_raw(lab, data, timeout=timeout)


def status_of(reply: bytes) -> int:
    first = reply.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) > 1 and first[1].isdigit() else 0


def assert_alive_and_unchanged(lab, before):
    exchange = lab.send("GET", "/lab/items/keep")
    assert exchange.status == 200
    assert stored(lab) == before


@pytest.fixture
def seeded(socket_lab):
    socket_lab.send("PUT", "/lab/items/keep", json={"name": "keep"})
    return socket_lab, stored(socket_lab)


def request(line: bytes, *headers: bytes, body: bytes = b"") -> bytes:
    head = [line, b"Host: 127.0.0.1", b"Connection: close", *headers]
    if body:
        head.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(head) + b"\r\n\r\n" + body


RAW_CASES = [
    # Path tricks: never resolved to another route, never a file on disk.
    pytest.param(request(b"GET /lab/items/../state HTTP/1.1"), 404, id="dot-dot"),
    pytest.param(request(b"GET /lab/items/%2e%2e/state HTTP/1.1"), 404, id="pct-dot-dot"),
    pytest.param(request(b"GET /lab/items/%2E%2E HTTP/1.1"), 404, id="pct-dot-dot-upper"),
    pytest.param(request(b"GET /lab/items/..%2fstate HTTP/1.1"), 404, id="dot-dot-pct-slash"),
    pytest.param(request(b"GET /lab/items/%00 HTTP/1.1"), 404, id="pct-nul"),
    pytest.param(request(b"PUT /lab/items/%00 HTTP/1.1", b"Content-Type: application/json", body=b"{}"), 400,
                 id="put-pct-nul"),
    pytest.param(request(b"GET /lab/items/a\x00b HTTP/1.1"), 400, id="raw-nul"),  # a NUL is not a URI character
    pytest.param(request(b"GET /lab/items/" + b"a" * 100_000 + b" HTTP/1.1"), 414, id="100k-id"),
    pytest.param(request(b"PUT /lab/items/" + b"a" * 65 + b" HTTP/1.1", b"Content-Type: application/json",
                         body=b"{}"), 400, id="put-65-char-id"),
    pytest.param(request("PUT /lab/items/é HTTP/1.1".encode(), b"Content-Type: application/json", body=b"{}"),
                 400, id="put-raw-utf8-id"),
    pytest.param(request(b"PUT /lab/items/%C3%A9%F0%9F%98%80 HTTP/1.1", b"Content-Type: application/json",
                         body=b"{}"), 400, id="put-unicode-id"),
    pytest.param(request(b"PUT /lab/items/%FF HTTP/1.1", b"Content-Type: application/json", body=b"{}"), 400,
                 id="put-invalid-utf8-id"),
    pytest.param(request(b"GET /lab/files/..%2f..%2fetc%2fpasswd HTTP/1.1"), 400, id="files-traversal"),
    pytest.param(request(b"GET /lab/files/%2e%2e HTTP/1.1"), 400, id="files-dot-dot"),
    pytest.param(request(b"PUT /lab/files/%00 HTTP/1.1", body=b"x"), 400, id="files-nul"),
    # Header fields.
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"X-A: a\rb"), 400, id="cr-in-value"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"X-A: a\x00b"), 400, id="nul-in-value"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"Host : 127.0.0.1"), 400, id="space-before-colon"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"If-Match: \xff\xfe"), 400, id="latin1-if-match"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"X-Big: " + b"a" * 270_000), 431, id="270k-header"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Length: abc"), 400, id="bad-content-length"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Length: -1"), 400, id="negative-length"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Length: 2", b"Content-Length: 3",
                         b"Content-Type: application/json") + b"{}", 400, id="two-content-lengths"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: chunked",
                         b"Content-Type: application/json") + b"zz\r\n{}\r\n0\r\n\r\n", 400, id="bad-chunk-size"),
    # Chunked must be the final transfer coding, or the length cannot be known: 400 and close (RFC 9112 §6.3).
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: gzip",
                         b"Content-Type: application/json") + b"{}", 400, id="unknown-transfer-coding"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: chunked, chunked",
                         b"Content-Type: application/json") + b"2\r\n{}\r\n0\r\n\r\n", 400, id="chunked-twice"),
    # Chunked last, after a coding the lab does not understand: 501 (RFC 9112 §6.1).
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: gzip, chunked",
                         b"Content-Type: application/json") + b"2\r\n{}\r\n0\r\n\r\n", 501,
                 id="unknown-coding-before-chunked"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Type: application/json",
                         body=b"x" * (10 * 1024 * 1024)), 413, id="10-mib-body"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Type: application/json",
                         body=b"[" * 100_000), 400, id="100k-open-brackets"),
    # Methods and request lines.
    pytest.param(request(b"FROB /lab/items HTTP/1.1"), 501, id="unknown-method"),
    pytest.param(request(b"QUERY /lab/items HTTP/1.1"), 501, id="draft-method"),
    pytest.param(request(b"TRACE /lab/items HTTP/1.1"), 405, id="trace"),
    pytest.param(request(b"CONNECT /lab/items HTTP/1.1"), 405, id="connect"),
    # "get" is a valid token but not a method HTTP defines: methods are case-sensitive (RFC 9110 §9.1).
    pytest.param(request(b"get /lab/items HTTP/1.1"), 501, id="lower-case-method"),
    pytest.param(request(b"G@T /lab/items HTTP/1.1"), 400, id="method-not-a-token"),
    pytest.param(request(b"GET /lab/items HTTP/2.0"), 505, id="http-2-text"),
    pytest.param(request(b"GET /lab/items HTTP/9.9"), 505, id="http-9"),
    pytest.param(b"GET /lab/items\r\n\r\n", 400, id="http-0.9-style"),
    pytest.param(b"GET\r\n\r\n", 400, id="method-only"),
    pytest.param(b"\x00\x01\x02 garbage\r\n\r\n", 400, id="binary-garbage"),
    pytest.param(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n", 400, id="tls-hello"),
    # A real TLS ClientHello has no line end at all: refused from its first byte, not after a timeout.
    pytest.param(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64, 400, id="tls-hello-alone"),
    # RFC 9112 section 2.2 lets a server take a bare LF as a line end; the lab refuses it, at once.
    pytest.param(b"GET /lab/items HTTP/1.1\nHost: 127.0.0.1\n\n", 400, id="bare-lf-line-ends"),
    pytest.param(b"GET /lab/items HTTP/1.1\r\nHost: 127.0.0.1\nConnection: close\r\n\r\n", 400,
                 id="one-bare-lf"),
    pytest.param(b"GET /lab/items HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n", 400, id="four-part-line"),
    pytest.param(b"GET  /lab/items  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, id="double-spaces"),
    # Host and framing (RFC 9112 sections 3.2, 5.2 and 6).
    pytest.param(b"GET /lab/items HTTP/1.1\r\nConnection: close\r\n\r\n", 400, id="no-host"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"Host: 127.0.0.1"), 400, id="two-hosts"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"X-A: a", b" folded"), 400, id="obs-fold"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"X-A: a\x01b"), 400, id="control-in-value"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"X-A: a\nb"), 400, id="bare-lf-in-value"),
    pytest.param(request(b"GET /lab/items HTTP/1.1", b"NoColon"), 400, id="no-colon"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Length: 5", b"Transfer-Encoding: chunked",
                         b"Content-Type: application/json") + b"2\r\n{}\r\n0\r\n\r\n", 400, id="length-and-chunked"),
    pytest.param(b"POST /lab/items HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                 b"2\r\n{}\r\n0\r\n\r\n", 400, id="chunked-in-http-1.0"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: chunked",
                         b"Content-Type: application/json") + b"1\r\n{}\r\n0\r\n\r\n", 400,
                 id="chunk-longer-than-size"),
    # Trailer fields obey the rules of header fields (RFC 9112 section 7.1.2, RFC 9110 section 5.5).
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: chunked",
                         b"Content-Type: application/json") + b"2\r\n{}\r\n0\r\nX-T: a\x00b\r\n\r\n", 400,
                 id="nul-in-trailer"),
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: chunked",
                         b"Content-Type: application/json") + b"2\r\n{}\r\n0\r\nX-T: a\x01b\r\n\r\n", 400,
                 id="control-in-trailer"),
    # A valid number of bytes, only far too many: 413 at once, before any content (RFC 9110 §8.6, §15.5.14).
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Length: 99999999999999999999",
                         b"Content-Type: application/json"), 413, id="twenty-digit-length"),
    # More digits than any length a parser can hold without overflow (RFC 9110 §8.6): refused as invalid.
    pytest.param(request(b"POST /lab/items HTTP/1.1", b"Content-Length: " + b"9" * 30,
                         b"Content-Type: application/json"), 400, id="thirty-digit-length"),
]


@pytest.mark.socket
@pytest.mark.parametrize(("data", "status"), RAW_CASES)
def test_raw_bad_request_gets_its_code_and_the_server_lives_on(seeded, data, status):
    lab, before = seeded
    reply = raw(lab, data)
    assert status_of(reply) == status, reply[:300]
    assert_alive_and_unchanged(lab, before)


@pytest.mark.socket
def test_raw_bad_request_answers_from_the_lab_are_problem_json(seeded):
    lab, _ = seeded
    for line in (b"GET /lab/items/../state HTTP/1.1", b"FROB /lab/items HTTP/1.1", b"GET /lab/items HTTP/2.0"):
        reply = raw(lab, request(line))
        head, _, body = reply.partition(b"\r\n\r\n")
        assert b"Content-Type: application/problem+json" in head
        assert json.loads(body)["detail"]


@pytest.mark.socket
def test_raw_http_1_0_request_is_answered_and_closed(seeded):
    lab, before = seeded
    reply = raw(lab, b"GET /lab/items/keep HTTP/1.0\r\n\r\n")
    # A server answers with its own version, HTTP/1.1, which a 1.0 client understands (RFC 9110 §2.5),
    # and closes the connection, because an HTTP/1.0 request did not ask to keep it open.
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Connection: close" in reply
    assert reply.endswith(b'{"name": "keep"}')
    assert_alive_and_unchanged(lab, before)


@pytest.mark.socket
def test_raw_empty_lines_before_the_request_line_are_ignored(seeded):
    lab, before = seeded
    reply = raw(lab, b"\r\n\r\n" + request(b"GET /lab/items/keep HTTP/1.1"))
    assert status_of(reply) == 200
    assert_alive_and_unchanged(lab, before)


@pytest.mark.socket
def test_raw_chunked_body_with_extensions_and_trailers_is_read(socket_lab):
    reply = raw(socket_lab, request(b"POST /lab/items HTTP/1.1", b"Transfer-Encoding: chunked",
                                    b"Content-Type: application/json")
                + b"4;note=first\r\n{\"a\"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n")
    assert status_of(reply) == 201
    assert [item["data"] for item in socket_lab.state()["items"]] == [{"a": 1}]


@pytest.mark.socket
def test_raw_pipelined_requests_are_answered_in_order(seeded):
    lab, before = seeded
    get = b"GET /lab/items/keep HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    reply = raw(lab, get + get + get.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    assert reply.count(b"HTTP/1.1 200 OK\r\n") == 3
    assert reply.endswith(b'{"name": "keep"}')
    assert_alive_and_unchanged(lab, before)


def test_a_response_header_with_a_control_character_is_refused_with_a_reason(any_lab):
    exchange = any_lab.send("GET", "/response-headers?X-Echo=a%01b")
    assert exchange.status == 500
    assert "control character" in exchange.json["detail"] and "RFC 9110" in exchange.json["detail"]
    assert "X-Echo" not in exchange.response.headers
    assert any_lab.send("GET", "/get").status == 200


def test_a_failing_httpbin_view_prints_no_traceback(any_lab, capfd):
    exchange = any_lab.send("GET", "/response-headers?X-Echo=a%0D%0AInjected:%201")
    assert exchange.status == 500
    assert "Injected" not in exchange.response.headers
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.socket
def test_raw_http_1_0_post_creates_once(socket_lab):
    reply = raw(socket_lab, b"POST /lab/items HTTP/1.0\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 2\r\n\r\n{}")
    assert status_of(reply) == 201
    assert len(socket_lab.state()["items"]) == 1


@pytest.mark.socket
def test_raw_http_1_1_keep_alive_survives_a_bad_request_on_the_connection(seeded):
    lab, before = seeded
    with socket.create_connection((lab._server.host, lab._server.port), timeout=5) as conn:
        conn.sendall(b"POST /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 5\r\n\r\n{bad}")
        first = conn.recv(65536)
        conn.sendall(b"GET /lab/items/keep HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        second = b""
        while chunk := conn.recv(65536):
            second += chunk
    assert status_of(first) == 400
    assert status_of(second) == 200
    assert_alive_and_unchanged(lab, before)


@pytest.mark.socket
@pytest.mark.parametrize(
    "data",
    [
        b"POST /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10\r\n\r\n{}",
        b"GET /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    ],
    ids=["body-shorter-than-length", "no-blank-line"],
)
def test_incomplete_request_waits_without_blocking_others(seeded, data):
    lab, before = seeded
    with socket.create_connection((lab._server.host, lab._server.port), timeout=5) as stuck:
        stuck.sendall(data)
        started = time.perf_counter()
        for _ in range(20):
            assert lab.send("GET", "/lab/items/keep").status == 200
        assert time.perf_counter() - started < 5
    assert_alive_and_unchanged(lab, before)


@pytest.mark.socket
def test_a_client_that_disconnects_mid_body_changes_nothing(seeded):
    lab, before = seeded
    with socket.create_connection((lab._server.host, lab._server.port), timeout=5) as conn:
        conn.sendall(b"POST /lab/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{\"a\": ")
    time.sleep(0.2)
    assert_alive_and_unchanged(lab, before)


@pytest.mark.socket
def test_crlf_in_a_header_value_never_leaves_the_client(socket_lab):
    from httplab.errors import InvalidRequestError

    with pytest.raises(InvalidRequestError, match="one line"):
        socket_lab.send("GET", "/lab/items", headers={"X-A": "a\r\nX-Injected: 1"})
    assert socket_lab.history == ()


@pytest.mark.socket
def test_a_unicode_id_is_named_as_sent_in_the_message(socket_lab):
    # A WSGI server hands the path over as latin-1 (PEP 3333); the message must show the UTF-8 the client sent.
    exchange = socket_lab.send("PUT", "/lab/items/pomme-é", json={})
    assert exchange.status == 400
    assert "'pomme-é' cannot be an item id" in detail(exchange)
    assert "/lab/items/pomme-é." in detail(socket_lab.send("GET", "/lab/items/pomme-é"))
