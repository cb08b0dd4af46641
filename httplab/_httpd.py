"""A small threaded HTTP/1.1 server for WSGI apps, built on h11's protocol state machine.

One thread per connection, blocking sockets, keep-alive: a request and its response cost the
fewest thread hand-offs possible, which matters when the client runs in the same process (a
notebook kernel) and shares the GIL with the server. h11 does the protocol work — parsing,
framing, chunked bodies, keep-alive rules — so this module only moves bytes and builds the WSGI
environ. It serves the lab on loopback; it is not meant to face the internet.
"""

from __future__ import annotations

import io
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

import h11

from httplab._status import reason_phrase
from httplab._wsgi import DropResponse

__all__ = ["WSGIServer"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_READ_SIZE = 65536
#: A body over the limit is still read (and dropped) up to this size, so the client gets its 413.
_DRAIN_LIMIT = 64 * 1024 * 1024


class _ConnectionDone(Exception):
    """The connection must close now (the peer left, or the request could not be served)."""


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
        protocol = h11.Connection(h11.SERVER)
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(self.idle_timeout)
            while True:
                event = self._next_event(conn, protocol)
                if not isinstance(event, h11.Request):
                    break
                self._respond(conn, protocol, event, address)
                if protocol.our_state is h11.MUST_CLOSE or protocol.their_state is h11.MUST_CLOSE:
                    break
                protocol.start_next_cycle()
        except (_ConnectionDone, OSError):
            pass
        except h11.RemoteProtocolError as error:
            status = error.error_status_hint
            if status == 431 and b"\r\n" not in protocol.trailing_data[0]:
                status = 414  # it is the request line, not the header section, that is too long
            self._send_error(conn, protocol, status, f"The request is not valid HTTP/1.1: {error}.")
        except Exception:  # never let a connection thread print a traceback into a notebook
            self._send_error(conn, protocol, 500, "The lab failed to answer this request.")
        finally:
            with self._lock:
                self._open.discard(conn)
                self._threads.discard(threading.current_thread())
            try:
                conn.close()
            finally:
                self._slots.release()

    def _next_event(self, conn: socket.socket, protocol: h11.Connection) -> Any:
        while True:
            event = protocol.next_event()
            if event is not h11.NEED_DATA:
                return event
            if protocol.they_are_waiting_for_100_continue:
                conn.sendall(protocol.send(h11.InformationalResponse(status_code=100, headers=[])))
            try:
                data = conn.recv(_READ_SIZE)
            except TimeoutError:
                raise _ConnectionDone() from None
            protocol.receive_data(data)

    def _read_body(self, conn: socket.socket, protocol: h11.Connection) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            event = self._next_event(conn, protocol)
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size <= self.max_body_bytes:
                    chunks.append(bytes(event.data))
                elif size > _DRAIN_LIMIT:
                    break  # stop reading a runaway upload; the client may see the connection reset
            elif isinstance(event, h11.EndOfMessage):
                if size <= self.max_body_bytes:
                    return b"".join(chunks)
                break
            else:
                raise _ConnectionDone()
        # Too large: the rest was read and dropped, so the client can read this answer.
        self._send_error(conn, protocol, 413, f"The request content is larger than {self.max_body_bytes:,} bytes.")
        raise _ConnectionDone()

    def _respond(self, conn: socket.socket, protocol: h11.Connection, request: h11.Request, address: Any) -> None:
        body = self._read_body(conn, protocol)
        environ = self._environ(request, body, address)
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
        except DropResponse:
            # The request was applied; lose the response on purpose.
            raise _ConnectionDone() from None
        except Exception:
            self._send_error(conn, protocol, 500, "The lab failed to answer this request.")
            raise _ConnectionDone() from None
        status, headers = status_headers
        code = int(status[:3])
        fields = [(name, value) for name, value in headers if name.lower() not in ("connection", "transfer-encoding")]
        if code not in (204, 304) and not any(name.lower() == "content-length" for name, _ in fields):
            fields.append(("Content-Length", str(len(content))))
        fields.append(("Server", "httplab"))
        out = protocol.send(h11.Response(status_code=code, reason=status[4:].encode(), headers=fields))
        if content and request.method != b"HEAD" and code not in (204, 304):
            out += protocol.send(h11.Data(data=content))
        out += protocol.send(h11.EndOfMessage())
        conn.sendall(out)

    def _send_error(self, conn: socket.socket, protocol: h11.Connection, code: int, text: str) -> None:
        if protocol.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        body = (text + "\n").encode()
        try:
            out = protocol.send(
                h11.Response(
                    status_code=code,
                    reason=reason_phrase(code).encode(),
                    headers=[
                        ("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                        ("Connection", "close"),
                    ],
                )
            )
            out += protocol.send(h11.Data(data=body)) + protocol.send(h11.EndOfMessage())
            conn.sendall(out)
        except (h11.LocalProtocolError, OSError):
            pass

    def _environ(self, request: h11.Request, body: bytes, address: Any) -> dict[str, Any]:
        target = request.target.decode("latin-1")
        path, _, query = target.partition("?")
        if "://" in path:  # absolute-form target: keep the path only
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method.decode("latin-1"),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": target,
            "REQUEST_URI": target,
            "SERVER_NAME": self.host,
            "SERVER_PORT": str(self.port),
            "SERVER_PROTOCOL": "HTTP/" + request.http_version.decode("latin-1"),
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
        for raw_name, raw_value in request.headers:
            name = raw_name.decode("latin-1")
            if "_" in name:  # "X_Lab_Fault" must not pass for "X-Lab-Fault"
                continue
            key = name.upper().replace("-", "_")
            value = raw_value.decode("latin-1")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
                continue  # the body is already read and de-chunked
            else:
                key = "HTTP_" + key
                environ[key] = f"{environ[key]}, {value}" if key in environ else value
        return environ
