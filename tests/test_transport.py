"""The client on httpx's own transport, and the wire it records, against scripted servers and the lab.

A scripted server answers each request with bytes written here and keeps the bytes it read,
so the recorded wire can be compared with what really crossed the socket: the response head
byte for byte as the server wrote it, the request head byte for byte as the server read it.
It also covers what a transport must survive: 1xx before the final answer, a keep-alive
connection the server closed while idle, answers that are not HTTP, silence, and a header
field that would split the request.
"""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

import httplab
from httplab.client import LabClient

pytestmark = pytest.mark.socket

Script = Callable[[socket.socket, bytes], None]


class ScriptedServer:
    """Accept connections on loopback; for every request read, call *script* to answer it."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.requests: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                body, buffer = buffer[:length], buffer[length:]
                self.requests.append(head + b"\r\n\r\n" + body)
                try:
                    self.script(conn, head)
                except OSError:
                    return
                if conn.fileno() == -1:
                    return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(script: Script) -> ScriptedServer:
        servers.append(ScriptedServer(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def client_for() -> Iterator[Callable[[ScriptedServer], LabClient]]:
    clients: list[LabClient] = []

    def make(server: ScriptedServer, **options: float) -> LabClient:
        clients.append(LabClient(server.url, **options))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def reply(data: bytes, *, close: bool = False) -> Script:
    def script(conn: socket.socket, head: bytes) -> None:
        conn.sendall(data)
        if close:
            conn.close()

    return script


ODD_HEAD = (
    b"HTTP/1.1 200 Fine Thanks\r\n"
    b"date: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
    b"X-lower-UPPER: 1\r\n"
    b"Set-Cookie: a=1\r\n"
    b"CONTENT-length: 5\r\n"
    b"set-cookie: b=2\r\n"
    b"X-Empty:\r\n"
    b"\r\n"
)


def test_raw_response_head_is_byte_for_byte_what_the_server_wrote(scripted, client_for):
    server = scripted(reply(ODD_HEAD + b"hello"))
    exchange = client_for(server).send("GET", "/odd")
    assert exchange.wire.response_head == ODD_HEAD
    assert exchange.raw_response == ODD_HEAD.decode("latin-1") + "hello"
    assert not exchange.wire_is_reconstructed
    assert exchange.response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert exchange.response.reason == "Fine Thanks"


def test_raw_request_head_is_byte_for_byte_what_the_server_read(scripted, client_for):
    server = scripted(reply(b"HTTP/1.1 204 No Content\r\n\r\n"))
    exchange = client_for(server).send(
        "PUT", "/x?y=1", content=b'{"a": 1}', headers={"x-odd-CASE": "1", "Content-Type": "application/json"}
    )
    read = server.requests[0]
    head, body = read[: read.index(b"\r\n\r\n") + 4], read[read.index(b"\r\n\r\n") + 4 :]
    assert exchange.wire.request_head == head
    assert exchange.raw_request == head.decode("latin-1") + body.decode()
    assert b"\r\nx-odd-CASE: 1\r\n" in head and b"\r\nContent-Length: 8\r\n" in head
    assert body == b'{"a": 1}'


def test_each_exchange_on_a_kept_alive_connection_holds_only_its_own_bytes(scripted, client_for):
    server = scripted(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
    client = client_for(server)
    first, second = client.send("GET", "/a"), client.send("GET", "/b")
    assert server.connections == 1
    assert first.wire.request_head.startswith(b"GET /a ") and second.wire.request_head.startswith(b"GET /b ")
    assert [first.wire.request_head, second.wire.request_head] == server.requests
    assert second.raw_response == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def test_chunked_framing_is_shown_as_it_crossed_and_the_record_is_reassembled(scripted, client_for):
    body = b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    server = scripted(reply(head + body))
    exchange = client_for(server).send("GET", "/")
    assert exchange.response.body == b"abcdefg"
    assert "content-length" not in exchange.response.headers  # what the server sent, nothing added
    assert exchange.raw_response == (head + body).decode()


def test_binary_chunked_content_is_summarised_in_words(scripted, client_for):
    body = b"4\r\n\x00\x01\x02\xff\r\n0\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    server = scripted(reply(head + body))
    exchange = client_for(server).send("GET", "/")
    assert exchange.raw_response == head.decode() + (
        f"<{len(body)} bytes of binary data (application/octet-stream) in chunked framing not shown>"
    )


def test_compressed_content_is_summarised_with_its_size_on_the_wire(scripted, client_for):
    compressed = gzip.compress(b"hello " * 100)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
    head %= len(compressed)
    server = scripted(reply(head + compressed))
    exchange = client_for(server).send("GET", "/")
    assert exchange.response.body == b"hello " * 100  # the record holds it decoded
    assert exchange.raw_response == head.decode() + f"<{len(compressed)} bytes of gzip-compressed content not shown>"


def test_gzip_content_is_decoded_by_httpx(any_lab):
    exchange = any_lab.send("GET", "/gzip")
    assert exchange.status == 200
    assert exchange.json["gzipped"] is True


@pytest.mark.parametrize(
    "interim",
    [b"HTTP/1.1 100 Continue\r\n\r\n", b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"],
    ids=["100", "103"],
)
def test_interim_responses_are_not_the_final_answer_and_stay_on_the_wire(scripted, client_for, interim):
    final = b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
    server = scripted(reply(interim + final))
    exchange = client_for(server).send("POST", "/", content=b"{}")
    assert (exchange.status, exchange.response.text) == (201, "ok")
    assert exchange.raw_response == (interim + final).decode()


def test_head_response_has_no_body_even_with_a_content_length(scripted, client_for):
    server = scripted(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"))
    client = client_for(server)
    exchange = client.send("HEAD", "/")
    assert (exchange.status, exchange.response.body) == (200, b"")
    assert exchange.raw_response == "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
    assert client.send("HEAD", "/").status == 200
    assert server.connections == 1


def test_close_delimited_http_1_0_response_opens_a_new_connection_next_time(scripted, client_for):
    server = scripted(reply(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", close=True))
    client = client_for(server)
    exchange = client.send("GET", "/")
    assert (exchange.response.text, exchange.response.http_version) == ("until close", "HTTP/1.0")
    assert exchange.raw_response.endswith("\r\n\r\nuntil close")
    assert client.send("GET", "/").response.text == "until close"
    assert server.connections == 2


def test_a_connection_the_server_closed_while_idle_is_replaced(scripted, client_for):
    closed = threading.Event()

    def answer_then_close(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        conn.close()  # without saying Connection: close, as an idle timeout does
        closed.set()

    server = scripted(answer_then_close)
    client = client_for(server)
    assert client.send("GET", "/").response.text == "ok"
    assert closed.wait(5)
    assert client.send("GET", "/").response.text == "ok"
    assert server.connections == 2


def test_server_closing_without_an_answer_is_no_response_and_the_request_is_on_the_wire(scripted, client_for):
    server = scripted(reply(b"", close=True))
    with pytest.raises(httplab.NoResponseError, match="closed the connection") as caught:
        client_for(server).send("DELETE", "/lab/items/1")
    exchange = caught.value.exchange
    assert exchange.wire.request_head == server.requests[0]
    assert exchange.raw_response == "(no response: the server closed the connection without sending a response)"


def test_an_answer_that_is_not_http_is_no_response_and_shows_what_arrived(scripted, client_for):
    server = scripted(reply(b"SSH-2.0-OpenSSH_9.2\r\n\r\n", close=True))
    with pytest.raises(httplab.NoResponseError, match="not a valid HTTP response") as caught:
        client_for(server).send("GET", "/")
    raw = caught.value.exchange.raw_response
    assert raw.startswith("(no response: the server's answer was not a valid HTTP response")
    assert raw.endswith("What arrived instead:\r\nSSH-2.0-OpenSSH_9.2\r\n\r\n")


def test_no_server_is_lab_not_running():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with LabClient(f"http://127.0.0.1:{port}") as client, pytest.raises(httplab.LabNotRunningError, match="running"):
        client.send("GET", "/")


def test_a_silent_server_is_no_response_within_the_time_limit(scripted, client_for):
    server = scripted(lambda conn, head: None)
    with pytest.raises(httplab.NoResponseError, match="time limit") as caught:
        client_for(server, timeout=0.2).send("GET", "/")
    assert caught.value.exchange.wire.request_head == server.requests[0]


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\x00b"], ids=["crlf", "lf", "nul"])
def test_a_header_value_that_would_split_the_request_is_refused_before_sending(scripted, client_for, value):
    server = scripted(reply(b"HTTP/1.1 204 No Content\r\n\r\n"))
    client = client_for(server)
    with pytest.raises(httplab.InvalidRequestError, match="header"):
        client.send("GET", "/refused", headers={"X-A": value})
    # httpx's own transport refuses it too (h11 checks every field), when a request is built by hand.
    with httpx.Client() as plain, pytest.raises(httpx.LocalProtocolError):
        plain.send(httpx.Request("GET", server.url + "/refused", headers=[(b"X-A", value.encode())]))
    assert client.send("GET", "/fine").status == 204
    assert [request.split(b" ")[1] for request in server.requests] == [b"/fine"]


def test_concurrent_exchanges_each_record_their_own_bytes(scripted, client_for):
    def echo_target(conn: socket.socket, head: bytes) -> None:
        target = head.split(b" ")[1]
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Target: %s\r\nContent-Length: %d\r\n\r\n%s" % (target, len(target), target))

    server = scripted(echo_target)
    client = client_for(server)
    exchanges: list[httplab.Exchange] = []

    def work(worker: int) -> None:
        for n in range(25):
            exchanges.append(client.send("GET", f"/w{worker}/{n}", content=f"body {worker} {n}"))

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(exchanges) == 150
    assert server.connections < 150  # connections were reused across requests and threads
    for exchange in exchanges:
        target = exchange.request.target
        assert exchange.wire.request_head.startswith(f"GET {target} HTTP/1.1\r\n".encode())
        assert exchange.wire.request_body == exchange.request.body
        assert f"\r\nX-Target: {target}\r\n" in exchange.raw_response
        assert exchange.raw_response.endswith(f"\r\n\r\n{target}")


def test_concurrent_lab_requests_each_get_their_own_connection(socket_lab):
    results: list[int] = []

    def get() -> None:
        results.append(socket_lab.send("GET", "/delay/0.3").status)

    threads = [threading.Thread(target=get) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200, 200, 200]


def test_lab_client_follows_a_server_that_closes_every_connection(httpbin):
    # pytest-httpbin's server says Connection: close each time, so each request needs a new connection.
    with LabClient(httpbin.url) as client:
        first = client.send("GET", "/get")
        second = client.send("GET", "/get")
    assert first.response.headers["Connection"].lower() == "close"
    assert (first.status, second.status) == (200, 200)
    assert not second.wire_is_reconstructed


def test_lab_over_socket_survives_a_thousand_keep_alive_requests():
    with httplab.Lab() as lab:
        statuses = {lab.send("PUT", "/lab/items/1", json={"n": n}).status for n in range(1000)}
        assert statuses == {201, 204}
        assert lab.state()["items"][0]["data"] == {"n": 999}
