"""A small threaded HTTP/1.1 server for WSGI apps, on h11.

One thread per connection, blocking sockets, keep-alive: a request and its response cost the
fewest thread hand-offs possible, which matters when the client runs in the same process (a
notebook kernel) and shares the GIL with the server. h11 parses every request and frames every
response; :mod:`httplab.server._httpconn` is the loop around it (deadlines, limits, the WSGI environ,
streaming, the lab's lost-response fault). It serves the lab on loopback; it is not meant to
face the internet.

Limits, each answered by the server itself with problem+json and the connection closed: 414 for
a request line over ``max_head_bytes``, 431 for a larger head, 413 for content over
``max_body_bytes`` (at once when Content-Length says so, before any ``100 Continue``), 408 when
a request head is not complete ``head_timeout`` seconds after its first byte, or its content not
``body_timeout`` seconds after the head.

When all ``max_connections`` are taken and another client is waiting to connect, the server
closes the connection that has waited longest for a request: an idle kept-alive one at once
(RFC 9112 section 9.5 lets a server close an idle connection at any time), else one that has
not sent a whole request head within :data:`GRACE` seconds. A connection that is reading a
request's content or running the application is never closed to make room; when every
connection is busy, the newcomer waits in the listen backlog.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from httplab.server._httpconn import CLOSING, HEAD, IDLE, NEW, Connection
from httplab.server._language import Detail

__all__ = ["GRACE", "WSGIServer"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: A connection that has not sent a whole request head yet is not closed to make room before this many seconds.
GRACE = 1.0
#: How often a full server looks again for a connection it may close.
_POLL_SECONDS = 0.05


class WSGIServer:
    """Serve a WSGI *app* on *host*:*port* (0 picks a free port) until :meth:`stop`.

    Parameters
    ----------
    app
        The WSGI application.
    host, port
        The address to listen on.
    max_body_bytes
        Request content larger than this is refused with 413 and the connection closed.
    max_head_bytes
        The request line (414) and the whole request head (431) may take this many bytes.
    head_timeout
        Seconds a request head may take, from its first byte to its end (408); also how long a
        new connection may wait before its first byte.
    body_timeout
        Seconds the request content may take after the head (408).
    idle_timeout
        Seconds an idle keep-alive connection may stay open.
    max_connections
        Connections served at once; see the module's notes for what happens when all are taken.
    admit
        Called once per new connection with its socket, in the connection's own thread: None admits
        it; a sentence refuses each of its requests with 403 and that sentence as the problem's detail,
        before the application sees anything.
    """

    def __init__(
        self,
        app: WSGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_body_bytes: int = 2 * 1024 * 1024,
        max_head_bytes: int = 64 * 1024,
        head_timeout: float = 10.0,
        body_timeout: float = 30.0,
        idle_timeout: float = 30.0,
        max_connections: int = 128,
        admit: Callable[[socket.socket], Detail | None] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_head_bytes = max_head_bytes
        self.head_timeout = head_timeout
        self.body_timeout = body_timeout
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        #: Asked once per connection: None admits it, a sentence refuses every request on it with 403.
        self.admit = admit
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, port), family=family, backlog=128)
        self.host = host
        self.port: int = self._listener.getsockname()[1]
        self._live: set[Connection] = set()  # counted against max_connections
        self._open: set[Connection] = set()  # every connection not yet closed, evicted ones too
        self._threads: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self._stopping = False
        self._thread = threading.Thread(target=self._accept_loop, name="httplab-server", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        """True while the server accepts connections."""
        return self._thread.is_alive()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop accepting, close every open connection, and wait up to *timeout* seconds for the threads."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._stopping = True
            open_now = list(self._open)
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() or poll()
        except OSError:
            pass
        for connection in open_now:
            connection.abort()  # wakes a blocked recv()
        self._thread.join(max(0.0, deadline - time.monotonic()))
        self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------------ connections

    def _accept_loop(self) -> None:
        poller = select.poll()
        poller.register(self._listener, select.POLLIN)
        while not self._stopping:
            if len(self._live) >= self.max_connections:
                # Full. Close a connection that waits for a request, but only if a client waits to connect.
                if not poller.poll(_POLL_SECONDS * 1000) or self._stopping:
                    continue
                if not self._make_room():
                    time.sleep(_POLL_SECONDS)
                    continue
            try:
                sock, address = self._listener.accept()
            except OSError:
                if self._stopping:
                    return
                continue  # the client gave up before we accepted (ECONNABORTED)
            connection = Connection(self, sock, address)
            thread = threading.Thread(target=self._serve, args=(connection,), name="httplab-conn", daemon=True)
            with self._lock:
                if self._stopping:
                    sock.close()
                    return
                self._live.add(connection)
                self._open.add(connection)
                self._threads.add(thread)
            thread.start()

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for a request; False when none may be closed."""
        now = time.monotonic()
        with self._lock:
            idle = [c for c in self._live if c.state in (IDLE, CLOSING)]
            if not idle:
                # A head that has been arriving for a second is being trickled on purpose (slowloris);
                # a new connection whose request is already waiting to be read is only slow to start.
                idle = [c for c in self._live if c.state in (NEW, HEAD) and now - c.since >= GRACE]
                idle = [c for c in idle if c.state == HEAD or not _has_data(c.sock)]
            if not idle:
                return False
            victim = min(idle, key=lambda c: c.since)
            victim.evicted = True
            self._live.discard(victim)
        victim.abort()
        return True

    def _serve(self, connection: Connection) -> None:
        try:
            connection.serve()
        finally:
            with self._lock:
                self._live.discard(connection)
                self._open.discard(connection)
                self._threads.discard(threading.current_thread())


def _has_data(sock: socket.socket) -> bool:
    """Tell whether bytes wait to be read on *sock* (without reading them)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):  # closed meanwhile
        return False
    return bool(readable)
