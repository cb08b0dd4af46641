"""One client connection of the lab's HTTP server: h11 parses, this loop reads, answers and times out.

The loop reads a request head, then its content, calls the WSGI application (through
:mod:`httplab.server._gateway`, which streams what it gives), and starts over while the connection is
kept alive. h11 does all the HTTP/1.1 parsing and framing. The loop adds only what h11 leaves to
its user: deadlines, size limits, the request target's form, the kit's stricter choices where
RFC 9112 lets a server choose (a bare LF or a folded header line is refused, not read), and the
``X-Lab-Fault: drop-response`` fault: the application raises :class:`DropResponse` after it
applied the request, and the connection closes with no response at all.
"""

from __future__ import annotations

import io
import re
import socket
import time
from typing import TYPE_CHECKING, Any

import h11

from httplab.http.faults import DropResponse
from httplab.http.grammar import FIELD_CONTROL_BYTES
from httplab.i18n import L_, negotiate
from httplab.server._gateway import Response, environ_for, finished, log_hint, logger, problem_bytes
from httplab.server._language import Detail
from httplab.server._refusals import (
    Refused,
    body_problem,
    head_refusal,
    host_text,
    obs_fold_text,
    peer_left,
    request_target,
    too_large_body,
    too_large_head,
    too_long_line,
)

if TYPE_CHECKING:
    from httplab.server._httpd import WSGIServer

__all__ = ["BODY", "BUSY", "CLOSING", "Connection", "HEAD", "IDLE", "NEW"]

_READ_SIZE = 65536
#: After refusing a request, read and drop up to this much of what the client still sends, for
#: this long, so that its operating system does not reset the connection before it reads the answer.
_DRAIN_BYTES = 64 * 1024 * 1024
_DRAIN_SECONDS = 2.0

# What a connection is doing, for the server's choice of which connection to close when it is full.
NEW, IDLE, HEAD, BODY, BUSY, CLOSING = "new", "idle", "head", "body", "busy", "closing"

_BARE_LF = re.compile(rb"(?<!\r)\n")
_OBS_FOLD = re.compile(rb"\n[ \t]")


class _Gone(Exception):
    """The connection must close now with nothing more sent (the peer left, or it was evicted)."""


class Connection:
    """Serve the requests of one client connection, one after another, until it closes.

    Parameters
    ----------
    server
        The server whose application, limits and timeouts apply.
    sock
        The accepted socket.
    address
        The client's address, as ``accept()`` returned it.
    """

    def __init__(self, server: WSGIServer, sock: socket.socket, address: Any) -> None:
        self.server = server
        self.sock = sock
        self.address = address
        #: What the connection is doing, and since when (``time.monotonic()``).
        self.state = NEW
        self.since = time.monotonic()
        #: Set by the server when it closes this connection to make room for a new one.
        self.evicted = False
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=server.max_head_bytes)
        self._head = bytearray()  # the bytes of the request head being read, for the kit's own checks
        self._method = b""  # of the request being answered
        self._accept_language: str | None = None  # of the request being answered, once its head is read
        self._served = 0

    # ------------------------------------------------------------------ the loop

    def serve(self) -> None:
        """Answer requests until the connection ends; never raises."""
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            refusal = self.server.admit(self.sock) if self.server.admit is not None else None
            while True:
                request = self._read_head()
                if request is None:
                    return
                if refusal is not None:  # nothing of the lab is read or changed
                    raise Refused(403, refusal)
                environ = self._check(request)
                body = self._read_body(request)
                if not self._enter(BUSY):
                    return
                if not self._respond(environ, body, request.method == b"HEAD"):
                    return
                self._next_cycle()
        except Refused as refused:
            self._refuse(refused.status, refused.detail)
        except (_Gone, DropResponse, OSError):
            pass  # the peer left, or (DropResponse) the request was applied and its response is lost on purpose
        except Exception:  # a bug in this loop: log it, never print a traceback into a notebook cell
            logger.exception("The lab's HTTP server failed on a connection from %s.", self.address)
            self._refuse(500, L_("The lab's HTTP server failed on this request.") + " " + log_hint())
        finally:
            self.abort()
            self.sock.close()

    def abort(self) -> None:
        """Wake the thread that serves this connection, wherever it waits, and end the connection."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _enter(self, state: str) -> bool:
        """Move to *state*; returns False when the server has already closed this connection."""
        with self.server._lock:
            if self.evicted:
                return False
            self.state = state
            self.since = time.monotonic()
            return True

    def _next_cycle(self) -> None:
        self._h11.start_next_cycle()
        self._served += 1
        self._accept_language = None
        leftover = self._h11.trailing_data[0]
        if leftover[:1] in (b"\r", b"\n"):
            # A server SHOULD ignore empty lines before a request line (RFC 9112 section 2.2); h11 does not.
            self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=self.server.max_head_bytes)
            leftover = leftover.lstrip(b"\r\n")
            self._h11.receive_data(leftover)
        self._head = bytearray(leftover)
        if not self._enter(HEAD if leftover else IDLE):
            raise _Gone()

    def _recv(self, timeout: float) -> bytes:
        if timeout <= 0:
            raise TimeoutError()
        self.sock.settimeout(timeout)
        return self.sock.recv(_READ_SIZE)

    # ------------------------------------------------------------------ reading

    def _read_head(self) -> h11.Request | None:
        """Read one request head; None when the connection ends quietly (closed, or idle too long)."""
        server = self.server
        conn = self._h11
        started = self.since if self._head else None
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as error:
                if self.evicted or peer_left(error):
                    raise _Gone() from None
                raise head_refusal(error, bytes(self._head), self.server.max_head_bytes) from None
            if type(event) is h11.Request:
                self._method = event.method
                self._accept_language = _field(event, b"accept-language")
                return event
            if event is not h11.NEED_DATA:
                return None  # ConnectionClosed
            if started is None:
                # Nothing of a request yet: a kept-alive connection may idle, a new one must speak soon.
                wait = server.idle_timeout if self._served else server.head_timeout
                try:
                    data = self._recv(wait)
                except TimeoutError:
                    return None
                if data:
                    # A server SHOULD ignore empty lines before a request line (RFC 9112 section 2.2); h11 does not.
                    data = data.lstrip(b"\r\n")
                    if not data:
                        continue
                    if not self._enter(HEAD):
                        return None
                    started = self.since
            else:
                # One deadline for the whole head, however slowly its bytes trickle in.
                try:
                    data = self._recv(started + server.head_timeout - time.monotonic())
                except TimeoutError:
                    raise Refused(
                        408,
                        L_(
                            "The request head did not arrive within {seconds:g} seconds. "
                            "Send the whole request line and header section at once.",
                            seconds=server.head_timeout,
                        ),
                    ) from None
            self._head += data
            conn.receive_data(data)

    def _check(self, request: h11.Request) -> dict[str, Any]:
        """Apply the kit's limits and RFC 9112's rules h11 leaves to a server; return the WSGI environ."""
        limit = self.server.max_head_bytes
        head = bytes(self._head[: len(self._head) - len(self._h11.trailing_data[0])])
        if len(request.method) + len(request.target) + 10 > limit:
            raise Refused(414, too_long_line(limit))
        if len(head) > limit:
            raise Refused(431, too_large_head(limit))
        if _BARE_LF.search(head):
            raise Refused(
                400, L_("A line of the request ends with LF alone. End every line with CRLF (RFC 9112 section 2.2).")
            )
        if _OBS_FOLD.search(head):
            raise Refused(400, obs_fold_text())
        version = request.http_version
        names = [name for name, _ in request.headers]
        if version > b"1.1" and version < b"2" and b"host" not in names:
            raise Refused(400, host_text())  # HTTP/1.2 is read as HTTP/1.1 (RFC 9112 section 2.3)
        if b"transfer-encoding" in names:
            if b"content-length" in names:
                raise Refused(
                    400,
                    L_(
                        "The request has both Content-Length and Transfer-Encoding, which can hide a second "
                        "request inside the first (RFC 9112 sections 6.1 and 11.2). Send one of them."
                    ),
                )
            if version < b"1.1":
                raise Refused(
                    400,
                    L_(
                        "Transfer-Encoding needs HTTP/1.1; an HTTP/1.0 request with it has no reliable length "
                        "(RFC 9112 section 6.1). Send Content-Length instead."
                    ),
                )
        for name, value in request.headers:
            if FIELD_CONTROL_BYTES.search(value):
                raise Refused(
                    400,
                    L_(
                        "The value of header field {name!r} contains a control character, which HTTP "
                        "does not allow (RFC 9110 section 5.5). Leave it out.",
                        name=name.decode(),
                    ),
                )
            if name == b"content-length" and int(value) > self.server.max_body_bytes:
                # Known too large already: answer now, without inviting the content with 100 Continue.
                raise Refused(413, too_large_body(self.server.max_body_bytes))
        path, host = request_target(request)
        return environ_for(request, path, host, self.server, self.address)

    def _read_body(self, request: h11.Request) -> bytes:
        """Read the request's content into memory (up to the server's limit)."""
        server = self.server
        conn = self._h11
        limit = server.max_body_bytes
        deadline: float | None = None
        parts: list[bytes] = []
        size = 0
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as error:
                if self.evicted or peer_left(error):
                    raise _Gone() from None
                raise Refused(400, body_problem(error)) from None
            kind = type(event)
            if kind is h11.Data:
                data = event.data  # type: ignore[union-attr]
                size += len(data)
                if size > limit:
                    raise Refused(413, too_large_body(limit))
                parts.append(data)
            elif kind is h11.EndOfMessage:
                for name, value in event.headers:  # type: ignore[union-attr]
                    if FIELD_CONTROL_BYTES.search(value):
                        raise Refused(
                            400,
                            L_(
                                "The trailer field {name!r} contains a control character (RFC 9110 "
                                "section 5.5). Leave it out.",
                                name=name.decode(),
                            ),
                        )
                return b"".join(parts)
            elif event is h11.NEED_DATA:
                if deadline is None:
                    if not self._enter(BODY):
                        raise _Gone()
                    deadline = self.since + server.body_timeout
                if conn.they_are_waiting_for_100_continue:
                    self.sock.sendall(conn.send(h11.InformationalResponse(status_code=100, headers=[])))
                try:
                    data = self._recv(deadline - time.monotonic())
                except TimeoutError:
                    raise Refused(
                        408,
                        L_(
                            "The request content did not arrive within {seconds:g} seconds. "
                            "Send as many bytes as Content-Length says.",
                            seconds=server.body_timeout,
                        ),
                    ) from None
                conn.receive_data(data)
            else:
                raise _Gone()

    # ------------------------------------------------------------------ answering

    def _respond(self, environ: dict[str, Any], body: bytes, head_only: bool) -> bool:
        """Call the application and send its response; returns whether the connection stays open."""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body)) if body else ""
        # A request in another major version (the application answers 505) closes the connection after.
        response = Response(self._h11, self.sock, head_only=head_only, close=environ["SERVER_PROTOCOL"][5] != "1")
        try:
            result = self.server.app(environ, response.start_response)
        except DropResponse:
            raise
        except Exception as error:
            return response.failed(error, environ)
        try:
            response.send_all(result)
        except DropResponse:
            raise
        except Exception as error:
            return response.failed(error, environ)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return finished(self._h11)

    def _refuse(self, status: int, detail: Detail) -> None:
        """Send the server's own problem+json answer, then close the connection gracefully.

        The detail is in the language the request's ``Accept-Language`` asks for when its head was
        read, else in the kit's language.
        """
        if self.evicted or self._h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return  # evicted, or part of an answer is out already: closing is all that is left
        self.state = CLOSING
        try:
            language = negotiate(self._accept_language)
            answer = problem_bytes(self._h11, status, detail, head_only=self._method == b"HEAD", language=language)
            self.sock.sendall(answer)
            self.sock.shutdown(socket.SHUT_WR)
            # Read what the client still sends (a body the lab refused), so that its socket does not
            # reset the connection before it has read this answer.
            deadline = time.monotonic() + _DRAIN_SECONDS
            drained = 0
            while drained < _DRAIN_BYTES:
                data = self._recv(deadline - time.monotonic())
                if not data:
                    break
                drained += len(data)
        except OSError:
            pass
        except h11.LocalProtocolError:  # a bug here: log it, and close
            logger.exception("The lab's HTTP server could not send its own %s answer.", status)


def _field(request: h11.Request, name: bytes) -> str | None:
    """Return a request header field's value (its lines joined with ", "), or None."""
    values = [value.decode("latin-1") for key, value in request.headers if key == name]
    return ", ".join(values) if values else None
