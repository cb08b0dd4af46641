"""Capture each exchange's bytes at the socket, underneath httpx's own transport.

httpx sends requests with httpcore, and httpcore reads and writes through a *network backend*
(https://www.encode.io/httpcore/network-backends/). The transport mounted for the lab's origin
is httpx's ``HTTPTransport`` with one change: its backend's streams copy every byte they write
and read into the :class:`Capture` of the request being sent. Parsing, framing, keep-alive,
timeouts and errors stay httpx's and httpcore's; every other URL goes through httpx untouched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

__all__ = ["EXTENSION", "KEEP_BYTES", "Capture", "RecordingTransport"]

#: The request extension that carries a :class:`Capture` from the client to the transport.
EXTENSION = "httplab.capture"

#: Bytes kept per direction and exchange; the rest is counted only (a head is at most 100 KiB in httpcore).
KEEP_BYTES = 1024 * 1024

# The capture of the request this thread is sending. httpcore writes a whole request (head and
# body) inside handle_request, on the caller's thread; the connection remembers the capture for
# the response, whose body may be read after handle_request has returned.
_sending = threading.local()


class Capture:
    """The bytes one request wrote to its connection and the bytes read back, in order."""

    __slots__ = ("received", "received_size", "sent", "sent_size")

    def __init__(self) -> None:
        self.sent = bytearray()
        self.received = bytearray()
        self.sent_size = 0
        self.received_size = 0

    def add_sent(self, data: bytes) -> None:
        """Keep *data*, written to the socket."""
        self.sent_size += len(data)
        if len(self.sent) < KEEP_BYTES:
            self.sent += data

    def add_received(self, data: bytes) -> None:
        """Keep *data*, read from the socket."""
        self.received_size += len(data)
        if len(self.received) < KEEP_BYTES:
            self.received += data


class _RecordingStream(httpcore.NetworkStream):
    """A connection's stream that copies what crosses it into the capture of the request using it."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream
        self._capture: Capture | None = None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # A connection carries one request at a time, and each request starts by writing: the
        # write binds the connection to the capture of the request being sent on this thread.
        self._capture = getattr(_sending, "capture", None)
        self._stream.write(buffer, timeout)
        if self._capture is not None:
            self._capture.add_sent(buffer)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._stream.read(max_bytes, timeout)
        if self._capture is not None:
            self._capture.add_received(data)
        return data

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _RecordingStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _RecordingBackend(httpcore.NetworkBackend):
    """httpcore's blocking-socket backend, with every stream it opens recorded."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _RecordingStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _RecordingStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class RecordingTransport(httpx.HTTPTransport):
    """httpx's HTTP transport on a recording network backend, for plain ``http://`` to the lab's origin.

    A request whose extensions carry a :class:`Capture` under :data:`EXTENSION` gets the bytes
    written for it and read for its response in that capture.

    Examples
    --------
    >>> transport = RecordingTransport()
    >>> transport.close()

    """

    def __init__(self) -> None:
        # httpx's HTTPTransport takes no network backend (httpx 0.28) and its request handling
        # uses only ``self._pool``: build the pool it builds by default (httpx's default limits),
        # with the backend added. No TLS context is needed: this transport serves http:// only.
        self._pool = httpcore.ConnectionPool(
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_RecordingBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send *request* with httpx's own transport, recording its bytes into its capture."""
        _sending.capture = request.extensions.get(EXTENSION)
        try:
            return super().handle_request(request)
        finally:
            _sending.capture = None
