"""The client's plain-HTTP transport (``httplab._transport``) against scripted servers and the lab.

A scripted server answers each connection with bytes written here, so every framing a
server may use is covered: Content-Length, chunked, close-delimited, HEAD, 1xx before the
final answer, a connection the server closed while idle, and a response that is not HTTP.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

import httplab
from httplab._transport import PlainHTTPTransport
from httplab.client import LabClient

Script = Callable[[socket.socket, bytes], None]


class ScriptedServer:
    """Accept connections on loopback; for every request head read, call *script* to answer it."""

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
                    elif name.lower() == b"transfer-encoding":
                        while b"0\r\n\r\n" not in buffer:
                            buffer += conn.recv(65536)
                        length = buffer.index(b"0\r\n\r\n") + 5
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


def reply(data: bytes, *, close: bool = False) -> Script:
    def script(conn: socket.socket, head: bytes) -> None:
        conn.sendall(data)
        if close:
            conn.close()

    return script


def test_content_length_response_keeps_the_connection(scripted):
    server = scripted(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello"))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        first = client.get(server.url + "/a")
        second = client.get(server.url + "/b")
    assert (first.status_code, first.text, first.headers["x-a"]) == (200, "hello", "1")
    assert second.text == "hello"
    assert first.http_version == "HTTP/1.1" and first.reason_phrase == "OK"
    assert server.connections == 1


def test_chunked_response_is_reassembled(scripted):
    server = scripted(reply(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n"))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        response = client.get(server.url)
        assert response.text == "abcdefg"
        assert "content-length" not in response.headers  # what the server sent, nothing added
        assert client.get(server.url).text == "abcdefg"
    assert server.connections == 1


def test_close_delimited_http_1_0_response_opens_a_new_connection_next_time(scripted):
    server = scripted(reply(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", close=True))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        response = client.get(server.url)
        assert (response.text, response.http_version) == ("until close", "HTTP/1.0")
        assert client.get(server.url).text == "until close"
    assert server.connections == 2


def test_head_response_has_no_body_even_with_a_content_length(scripted):
    server = scripted(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        response = client.head(server.url)
        assert (response.status_code, response.content, response.headers["content-length"]) == (200, b"", "100")
        assert client.head(server.url).status_code == 200
    assert server.connections == 1


def test_interim_100_continue_is_skipped(scripted):
    server = scripted(reply(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        response = client.post(server.url, content=b"{}")
    assert (response.status_code, response.text) == (201, "ok")


def test_gzip_content_is_decoded_by_httpx(any_lab):
    exchange = any_lab.send("GET", "/gzip")
    assert exchange.status == 200
    assert exchange.json["gzipped"] is True


def test_request_goes_out_in_one_piece_with_its_body(scripted):
    server = scripted(reply(b"HTTP/1.1 204 No Content\r\n\r\n"))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        assert client.put(server.url + "/x?y=1", content=b'{"a": 1}', headers={"X-B": "2"}).status_code == 204
    sent = server.requests[0]
    assert sent.startswith(b"PUT /x?y=1 HTTP/1.1\r\n")
    assert b"\r\nX-B: 2\r\n" in sent and b"\r\nContent-Length: 8\r\n" in sent
    assert sent.endswith(b'\r\n\r\n{"a": 1}')


def test_streamed_request_content_is_sent_chunked(scripted):
    server = scripted(reply(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", close=True))
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        assert client.post(server.url, content=iter([b"ab", b"cd"])).status_code == 204
    sent = server.requests[0]
    assert b"Transfer-Encoding: chunked" in sent
    assert sent.endswith(b"\r\n\r\n4\r\nabcd\r\n0\r\n\r\n")


def test_a_connection_the_server_closed_while_idle_is_replaced(scripted):
    closed = threading.Event()

    def answer_then_close(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        conn.close()  # without saying Connection: close, as an idle timeout does
        closed.set()

    server = scripted(answer_then_close)
    with httpx.Client(transport=PlainHTTPTransport()) as client:
        assert client.get(server.url).text == "ok"
        assert closed.wait(5)
        assert client.get(server.url).text == "ok"
    assert server.connections == 2


def test_server_closing_without_an_answer_is_a_remote_protocol_error(scripted):
    server = scripted(reply(b"", close=True))
    with httpx.Client(transport=PlainHTTPTransport()) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(server.url)


def test_an_answer_that_is_not_http_is_a_remote_protocol_error(scripted):
    server = scripted(reply(b"SSH-2.0-OpenSSH_9.2\r\n\r\n", close=True))
    with httpx.Client(transport=PlainHTTPTransport()) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(server.url)


def test_no_server_is_a_connect_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with httpx.Client(transport=PlainHTTPTransport()) as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://127.0.0.1:{port}/")


def test_a_silent_server_is_a_read_timeout(scripted):
    server = scripted(lambda conn, head: None)
    with httpx.Client(transport=PlainHTTPTransport(), timeout=0.2) as client, pytest.raises(httpx.ReadTimeout):
        client.get(server.url)


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\x00b"], ids=["crlf", "lf", "nul"])
def test_a_header_value_that_would_split_the_request_is_refused(scripted, value):
    server = scripted(reply(b"HTTP/1.1 204 No Content\r\n\r\n"))
    with httpx.Client(transport=PlainHTTPTransport()) as client, pytest.raises(httpx.LocalProtocolError):
        client.send(httpx.Request("GET", server.url, headers=[(b"X-A", value.encode())]))
    assert server.requests == []


def test_closed_transport_keeps_no_connection(scripted):
    server = scripted(reply(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    transport = PlainHTTPTransport()
    with httpx.Client(transport=transport) as client:
        client.get(server.url)
    assert transport._idle == {}


def test_concurrent_requests_each_get_their_own_connection(socket_lab):
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


def test_lab_over_socket_survives_a_thousand_keep_alive_requests():
    with httplab.Lab() as lab:
        statuses = {lab.send("PUT", "/lab/items/1", json={"n": n}).status for n in range(1000)}
        assert statuses == {201, 204}
        assert lab.state()["items"][0]["data"] == {"n": 999}
