"""An httpx transport for plain ``http://``: HTTP/1.1 on kept-alive sockets, parsed by the standard library.

httpx's default transport (httpcore) is built for many hosts, HTTP/2, proxies and tracing; a
notebook sending one request after another to its own lab pays about 0.3 ms a request for that
machinery. This transport writes each request in one ``sendall`` and reads the response with
``http.client.HTTPResponse``, which parses the status line and header fields, de-chunks bodies and
says whether the connection stays open. httpx still builds the requests and decodes the
responses, so what a learner sees is the same: this only moves bytes.
"""

from __future__ import annotations

import http.client
import re
import select
import socket
import threading
from typing import Any

import httpx

from httplab._grammar import TOKEN_BYTES

__all__ = ["PlainHTTPTransport"]

#: Idle keep-alive connections kept per host and port.
_MAX_IDLE = 16

#: What would split a request if sent inside a field value; the server judges the rest.
_BAD_FIELD_VALUE = re.compile(rb"[\x00\r\n]")


class PlainHTTPTransport(httpx.BaseTransport):
    """Send ``http://`` requests over kept-alive connections, one request per connection at a time."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], list[socket.socket]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        message = _encode(request)
        timeouts = request.extensions.get("timeout", {})
        key = (request.url.host, request.url.port or 80)
        sock = self._checkout(key, timeouts.get("connect"))
        try:
            response, body = _exchange(sock, message, request.method, timeouts)
        except BaseException:
            sock.close()
            raise
        if response.will_close:
            sock.close()
        else:
            self._checkin(key, sock)
        return httpx.Response(
            response.status,
            headers=[(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.getheaders()],
            stream=httpx.ByteStream(body),
            extensions={
                "http_version": b"HTTP/1.0" if response.version == 10 else b"HTTP/1.1",
                "reason_phrase": response.reason.encode("latin-1"),
            },
        )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle = [sock for socks in self._idle.values() for sock in socks]
            self._idle.clear()
        for sock in idle:
            sock.close()

    def _checkout(self, key: tuple[str, int], connect_timeout: float | None) -> socket.socket:
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                sock = idle.pop()
                if not _closed_by_peer(sock):
                    return sock
                sock.close()
        try:
            sock = socket.create_connection(key, timeout=connect_timeout)
        except TimeoutError as error:
            raise httpx.ConnectTimeout(str(error) or "Timed out while connecting.") from None
        except OSError as error:
            raise httpx.ConnectError(str(error)) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _checkin(self, key: tuple[str, int], sock: socket.socket) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if not self._closed and len(idle) < _MAX_IDLE:
                idle.append(sock)
                return
        sock.close()


def _encode(request: httpx.Request) -> bytes:
    """Encode *request* for the wire, head and body together (one write, one segment on loopback)."""
    lines = [b"%s %s HTTP/1.1" % (request.method.encode("ascii"), request.url.raw_path)]
    chunked = False
    for name, value in request.headers.raw:
        if not TOKEN_BYTES.fullmatch(name) or _BAD_FIELD_VALUE.search(value):
            raise httpx.LocalProtocolError(f"Illegal header field {name!r}: {value!r}.")
        lines.append(name + b": " + value)
        chunked = chunked or (name.lower() == b"transfer-encoding" and value.lower() == b"chunked")
    body = request.read()
    if chunked:
        body = (b"%X\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _exchange(
    sock: socket.socket, message: bytes, method: str, timeouts: dict[str, Any]
) -> tuple[http.client.HTTPResponse, bytes]:
    """Write *message* and read the whole response, turning socket failures into httpx's exceptions."""
    _set_timeout(sock, timeouts.get("write"))
    try:
        sock.sendall(message)
    except TimeoutError as error:
        raise httpx.WriteTimeout(str(error) or "Timed out while sending the request.") from None
    except OSError as error:
        raise httpx.WriteError(str(error)) from None
    _set_timeout(sock, timeouts.get("read"))
    # HTTPResponse is the parser http.client's own connections use (urllib3 builds on it the same way).
    response = http.client.HTTPResponse(sock, method=method)
    try:
        response.begin()
        body = response.read()
    except TimeoutError as error:
        raise httpx.ReadTimeout(str(error) or "Timed out while waiting for the response.") from None
    except http.client.RemoteDisconnected:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.") from None
    except http.client.HTTPException as error:
        raise httpx.RemoteProtocolError(f"The response is not valid HTTP: {error!r}.") from None
    except OSError as error:
        raise httpx.ReadError(str(error)) from None
    finally:
        response.close()
    return response, body


def _set_timeout(sock: socket.socket, seconds: float | None) -> None:
    if sock.gettimeout() != seconds:
        sock.settimeout(seconds)


def _closed_by_peer(sock: socket.socket) -> bool:
    """Tell whether an idle connection has something to read: the server closed it (or broke the protocol)."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)
    except (OSError, ValueError):
        return True
