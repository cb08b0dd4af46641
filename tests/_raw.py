"""Write bytes to a lab's socket exactly as given, the way a broken or hostile client would."""

from __future__ import annotations

import socket

import httplab


def send_raw(lab: httplab.Lab, data: bytes, *, timeout: float = 5.0, finish_writing: bool = False) -> bytes:
    """Send *data* on a fresh connection and return everything the server sends back until it closes.

    With *finish_writing*, the client then says it will send nothing more (a half-close), so a
    server waiting for the rest of a request sees the end at once. A read that times out
    ends the reply with ``<timeout>``.
    """
    with socket.create_connection((lab._server.host, lab._server.port), timeout=timeout) as conn:
        try:
            conn.sendall(data)
            if finish_writing:
                conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and close before reading everything
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            received += b"<timeout>"
        return received
