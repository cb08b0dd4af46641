"""A small threaded HTTP/1.1 server for WSGI apps.

One thread per connection, blocking sockets, keep-alive: a request and its response cost the
fewest thread hand-offs possible, which matters when the client runs in the same process (a
notebook kernel) and shares the GIL with the server. It parses requests itself, as strictly as
RFC 9112 asks of a server (request line, header fields, Content-Length, chunked bodies, Host,
``Expect: 100-continue``), and writes each response in one ``sendall``. It serves the lab on
loopback; it is not meant to face the internet.

Answers it gives itself, before the application sees a request, are plain text and close the
connection: 400 for a malformed request line or header section, 414 for a request line over
64 KiB, 431 for a larger header section, 413 for a body over ``max_body_bytes``, 501 for a
transfer coding other than chunked.
"""

from __future__ import annotations

import io
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from httplab._grammar import FIELD_CONTROL, FIELD_CONTROL_BYTES, TOKEN, TOKEN_BYTES
from httplab._status import reason_phrase
from httplab._wsgi import DropResponse

__all__ = ["WSGIServer"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_READ_SIZE = 65536
#: The request line and header section may take this many bytes.
_MAX_HEAD = 64 * 1024
#: A body over the limit is still read (and dropped) up to this size, so the client gets its 413.
_DRAIN_LIMIT = 64 * 1024 * 1024

# RFC 9112 section 3: method SP request-target SP HTTP-version; a target is visible ASCII only.
_REQUEST_LINE = re.compile(rb"(" + TOKEN_BYTES.pattern + rb") ([\x21-\x7e]+) HTTP/([0-9])\.([0-9])")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;.*)?")
_NO_BODY = (204, 304)


class _ConnectionDone(Exception):
    """The connection must close now (the peer left, or the request could not be served)."""


class _Refused(Exception):
    """The server answers this request itself with *status* and *text*, then closes the connection."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


@dataclass
class _Head:
    """A parsed request line and header section."""

    method: str
    target: str
    version: str
    fields: list[tuple[str, str]]
    length: int  # of the content, when framed by Content-Length
    chunked: bool
    keep_alive: bool
    expect_continue: bool


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
    idle_timeout
        Seconds an idle keep-alive connection may stay open.
    max_connections
        Connections served at once; further ones wait in the listen backlog.
    """

    def __init__(
        self,
        app: WSGIApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_body_bytes: int = 2 * 1024 * 1024,
        idle_timeout: float = 30.0,
        max_connections: int = 64,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.idle_timeout = idle_timeout
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, port), family=family, backlog=128)
        self.host = host
        self.port: int = self._listener.getsockname()[1]
        self._slots = threading.BoundedSemaphore(max_connections)
        self._open: set[socket.socket] = set()
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
        """Stop accepting, close every open connection, and wait for the threads to end."""
        with self._lock:
            self._stopping = True
            open_now = list(self._open)
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self._listener.close()
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv()
            except OSError:
                pass
        self._thread.join(timeout)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)

    # ------------------------------------------------------------------ connections

    def _accept_loop(self) -> None:
        while True:
            self._slots.acquire()
            try:
                conn, address = self._listener.accept()
            except OSError:
                self._slots.release()
                return
            with self._lock:
                if self._stopping:
                    conn.close()
                    self._slots.release()
                    return
                self._open.add(conn)
                thread = threading.Thread(target=self._serve, args=(conn, address), name="httplab-conn", daemon=True)
                self._threads.add(thread)
            thread.start()

    def _serve(self, conn: socket.socket, address: Any) -> None:
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(self.idle_timeout)
            buffer = b""
            while True:
                raw, buffer = _read_head(conn, buffer)
                head = _parse_head(raw)
                body, buffer = self._read_body(conn, head, buffer)
                if not self._respond(conn, head, body, address):
                    break
        except _Refused as refused:
            _send_plain(conn, refused.status, refused.text)
        except (_ConnectionDone, DropResponse, OSError):
            pass  # the peer left, or (DropResponse) the request was applied and its response is lost on purpose
        except Exception:  # never let a connection thread print a traceback into a notebook
            _send_plain(conn, 500, "The lab failed to answer this request.")
        finally:
            with self._lock:
                self._open.discard(conn)
                self._threads.discard(threading.current_thread())
            try:
                conn.close()
            finally:
                self._slots.release()

    def _read_body(self, conn: socket.socket, head: _Head, buffer: bytes) -> tuple[bytes, bytes]:
        """Read the request's content; returns it and what followed it on the connection."""
        if head.expect_continue and (head.chunked or head.length > len(buffer)):
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if head.chunked:
            parts, size, buffer = _read_chunked(conn, buffer, self.max_body_bytes)
            if size <= self.max_body_bytes:
                return b"".join(parts), buffer
        elif head.length <= self.max_body_bytes:
            return _read_exact(conn, buffer, head.length)
        elif head.length <= _DRAIN_LIMIT:
            _discard(conn, buffer, head.length)
        # Too large: the rest was read and dropped (up to a limit), so the client can read this answer.
        raise _Refused(413, f"The request content is larger than {self.max_body_bytes:,} bytes.")

    def _respond(self, conn: socket.socket, head: _Head, body: bytes, address: Any) -> bool:
        """Answer one request; returns whether the connection stays open."""
        environ = self._environ(head, body, address)
        status_headers: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            status_headers[:] = [status, headers]
            return lambda data: None

        try:
            result = self.app(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            status, headers = status_headers
            response = _encode_response(status, headers, content, head)
        except (DropResponse, _Refused):
            raise
        except Exception:
            raise _Refused(500, "The lab failed to answer this request.") from None
        conn.sendall(response)
        return head.keep_alive

    def _environ(self, head: _Head, body: bytes, address: Any) -> dict[str, Any]:
        path, _, query = head.target.partition("?")
        if "://" in path:  # absolute-form target: keep the path only
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": head.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": head.target,
            "REQUEST_URI": head.target,
            "SERVER_NAME": self.host,
            "SERVER_PORT": str(self.port),
            "SERVER_PROTOCOL": "HTTP/" + head.version,
            "REMOTE_ADDR": str(address[0]) if address else "",
            "CONTENT_LENGTH": str(len(body)) if body else "",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in head.fields:
            if "_" in name:  # "X_Lab_Fault" must not pass for "X-Lab-Fault"
                continue
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
                continue  # the body is already read and de-chunked
            else:
                key = "HTTP_" + key
                environ[key] = f"{environ[key]}, {value}" if key in environ else value
        return environ


# ---------------------------------------------------------------------- reading requests


def _recv(conn: socket.socket) -> bytes:
    try:
        data = conn.recv(_READ_SIZE)
    except TimeoutError:
        raise _ConnectionDone() from None
    if not data:
        raise _ConnectionDone()
    return data


def _read_head(conn: socket.socket, buffer: bytes) -> tuple[bytes, bytes]:
    """Read up to the blank line that ends a header section; returns the head and what follows it."""
    while True:
        buffer = buffer.lstrip(b"\r\n")  # a server ignores empty lines before a request line (RFC 9112 §2.2)
        end = buffer.find(b"\r\n\r\n")
        if end >= 0 and end <= _MAX_HEAD:
            return buffer[:end], buffer[end + 4 :]
        if end > _MAX_HEAD or len(buffer) > _MAX_HEAD:
            if b"\r\n" not in buffer[:_MAX_HEAD]:
                raise _Refused(414, f"The request line is longer than {_MAX_HEAD:,} bytes. Send a shorter URL.")
            raise _Refused(
                431, f"The header section is larger than {_MAX_HEAD:,} bytes. Send fewer or shorter header fields."
            )
        buffer += _recv(conn)


def _parse_head(raw: bytes) -> _Head:
    """Check a request line and header section the way RFC 9112 asks a server to, and parse them."""
    lines = raw.split(b"\r\n")
    line = _REQUEST_LINE.fullmatch(lines[0])
    if line is None:
        raise _Refused(
            400, "The request line is not valid HTTP/1.1. It must read METHOD /path HTTP/1.1, with single spaces."
        )
    method, target, major, minor = (part.decode("latin-1") for part in line.groups())
    fields: list[tuple[str, str]] = []
    lengths: set[bytes] = set()
    codings: list[bytes] = []
    connection: list[bytes] = []
    hosts = 0
    expect_continue = False
    for field in lines[1:]:
        name, colon, value = field.partition(b":")
        if not colon or not TOKEN_BYTES.fullmatch(name):
            if field[:1] in (b" ", b"\t"):
                raise _Refused(
                    400,
                    "A header field continues on a second line (obsolete line folding). Put each field on one line.",
                )
            raise _Refused(
                400, f"The header line {field[:60]!r} is not valid. Write Name: value, with no space before the colon."
            )
        value = value.strip(b" \t")
        if FIELD_CONTROL_BYTES.search(value):
            raise _Refused(400, f"The value of header field {name.decode()!r} contains a control character.")
        lower = name.lower()
        if lower == b"content-length":
            lengths.update(part.strip(b" \t") for part in value.split(b","))
        elif lower == b"transfer-encoding":
            codings += [part.strip(b" \t").lower() for part in value.split(b",")]
        elif lower == b"connection":
            connection += [part.strip(b" \t").lower() for part in value.split(b",")]
        elif lower == b"host":
            hosts += 1
        elif lower == b"expect":
            expect_continue = value.lower() == b"100-continue"
        fields.append((name.decode("latin-1"), value.decode("latin-1")))
    version = f"{major}.{minor}"
    if version == "1.1" and hosts != 1:
        raise _Refused(400, "An HTTP/1.1 request needs exactly one Host header field.")
    length = 0
    if lengths:
        if len(lengths) > 1:
            raise _Refused(400, "The request has conflicting Content-Length values. Send one.")
        (digits,) = lengths
        if not digits.isdigit() or len(digits) > 19:
            raise _Refused(400, f"Content-Length must be a number of bytes, not {digits[:40]!r}.")
        length = int(digits)
    if codings:
        if lengths:
            raise _Refused(400, "The request has both Content-Length and Transfer-Encoding. Send one of them.")
        if version != "1.1":
            raise _Refused(400, "Transfer-Encoding needs HTTP/1.1. Send Content-Length instead.")
        if codings != [b"chunked"]:
            raise _Refused(501, "The lab understands only Transfer-Encoding: chunked. Send Content-Length instead.")
    return _Head(
        method=method,
        target=target,
        version=version,
        fields=fields,
        length=length,
        chunked=bool(codings),
        keep_alive=version == "1.1" and b"close" not in connection,
        expect_continue=expect_continue and version == "1.1",
    )


def _read_exact(conn: socket.socket, buffer: bytes, size: int) -> tuple[bytes, bytes]:
    """Read *size* bytes; returns them and what followed them on the connection."""
    if len(buffer) >= size:
        return buffer[:size], buffer[size:]
    parts = [buffer]
    have = len(buffer)
    while have < size:
        data = _recv(conn)
        parts.append(data)
        have += len(data)
    joined = b"".join(parts)
    return joined[:size], joined[size:]


def _discard(conn: socket.socket, buffer: bytes, size: int) -> None:
    """Read and drop *size* bytes of content."""
    size -= len(buffer)
    while size > 0:
        size -= len(_recv(conn))


def _read_line(conn: socket.socket, buffer: bytes) -> tuple[bytes, bytes]:
    while True:
        end = buffer.find(b"\r\n")
        if end >= 0:
            return buffer[:end], buffer[end + 2 :]
        if len(buffer) > 4096:
            raise _Refused(400, "A line of the chunked request content is too long.")
        buffer += _recv(conn)


def _read_chunked(conn: socket.socket, buffer: bytes, limit: int) -> tuple[list[bytes], int, bytes]:
    """De-chunk a request's content (RFC 9112 §7.1); parts past *limit* are read and dropped."""
    parts: list[bytes] = []
    size = 0
    while True:
        line, buffer = _read_line(conn, buffer)
        match = _CHUNK_SIZE.fullmatch(line)
        if match is None:
            raise _Refused(400, f"{line[:40]!r} is not a chunk size. Each chunk starts with its size in hex.")
        chunk_size = int(match.group(1), 16)
        if chunk_size == 0:
            break
        size += chunk_size
        if size > _DRAIN_LIMIT:
            raise _ConnectionDone()  # stop reading a runaway upload; the client may see the connection reset
        chunk, buffer = _read_exact(conn, buffer, chunk_size + 2)
        if not chunk.endswith(b"\r\n"):
            raise _Refused(400, "A chunk is longer than its size line says.")
        if size <= limit:
            parts.append(chunk[:-2])
    while True:  # trailer fields, which the lab does not use
        line, buffer = _read_line(conn, buffer)
        if not line:
            return parts, size, buffer


# ---------------------------------------------------------------------- writing responses


def _encode_response(status: str, headers: list[tuple[str, str]], content: bytes, head: _Head) -> bytes:
    """Encode a response: status line, header fields (with framing set here) and content."""
    code = int(status[:3])
    if code < 200:
        raise _Refused(500, f"The application answered {code}, an interim status that cannot end a request.")
    lines = ["HTTP/1.1 " + status]
    length = None
    for name, value in headers:
        if not TOKEN.fullmatch(name) or FIELD_CONTROL.search(value):
            raise _Refused(
                500,
                f"The lab could not send its response: the header field {name!r} would contain a line break "
                "or another control character, which HTTP does not allow in a header field.",
            )
        lower = name.lower()
        if lower == "content-length":
            length = value
        elif lower not in ("connection", "transfer-encoding"):
            lines.append(f"{name}: {value}")
    send_content = head.method != "HEAD" and code not in _NO_BODY
    if send_content:
        lines.append(f"Content-Length: {len(content)}")
    elif length is not None and code != 204:
        lines.append(f"Content-Length: {length}")  # a HEAD or 304 tells the size a GET would get
    if not head.keep_alive:
        lines.append("Connection: close")
    lines.append("Server: httplab")
    out = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return out + content if send_content else out


def _send_plain(conn: socket.socket, code: int, text: str) -> None:
    """Send the server's own plain-text answer, then the connection closes."""
    body = (text + "\n").encode()
    head = (
        f"HTTP/1.1 {code} {reason_phrase(code)}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n"
        "Server: httplab\r\n\r\n"
    )
    try:
        conn.sendall(head.encode("latin-1") + body)
    except OSError:
        pass
