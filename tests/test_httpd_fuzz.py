"""Fuzz the lab server's HTTP/1.1 reading (h11, and the checks in ``httplab.server._httpconn``) over a real socket.

Each request is well-formed but for up to three mangled parts — method, target, version, a
header field's name, separator or value — with any body and framing (Content-Length, a wrong
one, chunked, bad chunks, neither), and is written raw. Whatever arrives, the server answers
with well-formed status lines (or closes the connection), never fails with its own 500, and
goes on serving.

Budget: ``tests/_budget.py`` (``HTTPLAB_FUZZ=long`` for a long run).
"""

from __future__ import annotations

import re

import pytest
from _budget import examples, profile
from _raw import send_raw
from hypothesis import given, settings
from hypothesis import strategies as st

import httplab

pytestmark = pytest.mark.socket

STATUS_LINE = re.compile(rb"HTTP/1\.1 [1-5][0-9][0-9] [^\r\n]*\r\n")

TOKEN = st.text(alphabet="!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                min_size=1, max_size=12).map(str.encode)
# Bytes that matter to an HTTP parser come up often; any other byte can too.
PARSER_BYTES = [b"\x00", b"\r", b"\n", b"\r\n", b"\r\n\r\n", b" ", b"\t", b":", b"\x01", b"\x7f", b"\x80", b"\xff",
                b"%", b"%00", b"%2f", b'"', b",", b";", b"a", b"0", b"-1", b"/", b"?", b"#", b"HTTP/1.1"]
MANGLED = st.lists(st.one_of(st.sampled_from(PARSER_BYTES), st.binary(min_size=1, max_size=4)), max_size=8).map(
    b"".join
)

KNOWN_METHODS = st.sampled_from([b"GET", b"HEAD", b"POST", b"PUT", b"PATCH", b"DELETE", b"OPTIONS"])
GOOD_TARGETS = st.sampled_from([b"/lab/items", b"/lab/items/a", b"/lab/items/1", b"/lab/state", b"/get"])
GOOD_VERSIONS = st.sampled_from([b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0"])
ODD_VERSIONS = st.sampled_from([b"HTTP/2.0", b"HTTP/1.1 ", b"http/1.1", b"HTTP/1", b"HTTP/1.10"])
GOOD_NAMES = st.sampled_from([b"Content-Type", b"X-Lab-Delay", b"If-Match", b"If-None-Match", b"Expect",
                              b"Connection", b"Idempotency-Key", b"Accept", b"X-A"])
GOOD_VALUES = st.sampled_from([b"application/json", b"application/merge-patch+json", b"0", b"*", b"100-continue",
                               b"close", b"keep-alive", b'"x"', b"", b"W/\"1\""])
SEPARATORS = st.sampled_from([b":", b" : ", b":\t", b"", b"::"])
bodies = st.one_of(st.sampled_from([b"", b"{}", b'{"name": "apple"}', b"[]", b"{"]), st.binary(max_size=64))
framings = st.sampled_from(["none", "length", "length", "wrong-length", "chunked", "bad-chunked"])


@st.composite
def requests(draw: st.DrawFn) -> tuple:
    """A well-formed request with up to three of its parts mangled."""
    method, target, version = draw(KNOWN_METHODS), draw(GOOD_TARGETS), draw(GOOD_VERSIONS)
    extra = draw(st.lists(st.tuples(GOOD_NAMES, st.just(b": "), GOOD_VALUES), max_size=4))
    for _ in range(draw(st.integers(0, 3))):
        part = draw(st.sampled_from(["method", "target", "version", "name", "separator", "value"]))
        if part == "method":
            method = draw(st.one_of(TOKEN, MANGLED))
        elif part == "target":
            target = b"/lab/items/" + draw(MANGLED)
        elif part == "version":
            version = draw(st.one_of(ODD_VERSIONS, MANGLED))
        elif part == "name":
            extra.append((draw(st.one_of(TOKEN, MANGLED)), b": ", draw(GOOD_VALUES)))
        elif part == "separator":
            extra.append((draw(GOOD_NAMES), draw(SEPARATORS), draw(GOOD_VALUES)))
        else:
            extra.append((draw(GOOD_NAMES), b": ", draw(MANGLED)))
    return method, target, version, extra, draw(bodies), draw(framings)


def build(method: bytes, target: bytes, version: bytes, extra: list[tuple[bytes, bytes, bytes]],
          body: bytes, framing: str) -> bytes:
    head = [method + b" " + target + b" " + version, b"Host: 127.0.0.1"]
    head += [name + sep + value for name, sep, value in extra]
    if framing == "length":
        head.append(b"Content-Length: %d" % len(body))
    elif framing == "wrong-length":
        head.append(b"Content-Length: %d" % (len(body) + 3))
    elif framing in ("chunked", "bad-chunked"):
        head.append(b"Transfer-Encoding: chunked")
        size = b"%x" % len(body) if framing == "chunked" else b"zz"
        body = (size + b"\r\n" + body + b"\r\n" if body else b"") + b"0\r\n\r\n"
    return b"\r\n".join(head) + b"\r\n\r\n" + body


@pytest.fixture(scope="module")
def fuzz_lab():
    with httplab.Lab() as lab:
        yield lab


@settings(profile(), max_examples=examples(400, 4000))
@given(request=requests())
def test_any_request_gets_a_well_formed_answer_and_the_server_lives_on(fuzz_lab, request):
    method, target, version, extra, body, framing = request
    # X-Lab-Delay may ask for up to 10 s; a fuzzer must not wait for that.
    extra = [(name, sep, b"0" if name.lower() == b"x-lab-delay" else value) for name, sep, value in extra]
    reply = send_raw(fuzz_lab, build(method, target, version, extra, body, framing), timeout=10, finish_writing=True)
    if reply:
        assert STATUS_LINE.match(reply), reply[:200]
        statuses = [int(code) for code in re.findall(rb"(?:^|\r\n\r\n|\n)HTTP/1\.1 ([0-9]{3}) ", reply)]
        assert 500 not in statuses, reply[:400]
    assert fuzz_lab.send("GET", "/lab/items").status == 200
