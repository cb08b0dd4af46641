"""The WSGI side of the lab's HTTP server: the environ for a request, and the response, sent as it comes.

h11 parsed the request and frames the response; this module turns the one into a PEP 3333
environ and the other into h11 events. A response goes out piece by piece as the application
yields it (chunked on HTTP/1.1, close-delimited on HTTP/1.0, with ``Content-Length`` only when
the application gives one), always with a ``Date`` field. Failures are logged to the
``httplab.server`` logger, which is silent unless the notebook configures logging.
"""

from __future__ import annotations

import logging
import socket
import sys
import time
from collections.abc import Callable, Iterable
from email.utils import formatdate
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

import h11

from httplab.http.grammar import FIELD_CONTROL, TOKEN
from httplab.http.status import reason_phrase
from httplab.i18n import DEFAULT_LANGUAGE, L_, LazyText, negotiate
from httplab.server._language import Detail, in_language
from httplab.server._wsgi import PROBLEM_JSON, HTTPProblem, Reply

if TYPE_CHECKING:
    from httplab.server._httpd import WSGIServer

__all__ = [
    "LOGGER_NAME",
    "Response",
    "Unsendable",
    "environ_for",
    "finished",
    "http_date",
    "log_hint",
    "problem_bytes",
]

#: Where the server logs an application's failures (silent unless the notebook configures logging).
LOGGER_NAME = "httplab.server"
logger = logging.getLogger(LOGGER_NAME)
logger.addHandler(logging.NullHandler())


def log_hint() -> LazyText:
    """Say where an application's traceback went, and how to see it."""
    return L_(
        "The traceback went to the Python logger {logger!r}: run `import logging; logging.basicConfig()` "
        "in the notebook and send the request again to see it.",
        logger=LOGGER_NAME,
    )


HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding"})


class Unsendable(Exception):
    """The application's response cannot be sent as HTTP; the client gets a 500 that says why.

    Its one argument is the reason, late-translated text (``str(error)`` reads it in the kit's language).
    """

    @property
    def detail(self) -> Detail:
        """The reason, as the problem's detail."""
        return self.args[0]  # type: ignore[no-any-return]


_date_cache: tuple[int, bytes] = (0, b"")


def http_date() -> bytes:
    """Return the current time as an HTTP-date (RFC 9110 section 5.6.7), computed once a second."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True).encode("ascii"))
    return _date_cache[1]


def environ_for(request: h11.Request, path: str, host: str | None, server: WSGIServer, address: Any) -> dict[str, Any]:
    """Build the PEP 3333 environ for *request*, whose target names *path* (with its query) and *host*."""
    target = request.target.decode("latin-1")
    method = request.method.decode("latin-1")
    path, _, query = path.partition("?")
    version = request.http_version.decode("ascii")
    if version[0] == "1" and version > "1.1":
        version = "1.1"  # a higher minor version is read as the highest one the lab knows (RFC 9112 section 2.3)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "RAW_URI": target,
        "REQUEST_URI": target,
        "SERVER_NAME": server.host,
        "SERVER_PORT": str(server.port),
        "SERVER_PROTOCOL": "HTTP/" + version,
        "REMOTE_ADDR": str(address[0]) if address else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers:
        if b"_" in name:  # "X_Lab_Fault" must not pass for "X-Lab-Fault"
            continue
        key = name.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if key == "CONTENT_TYPE":
            environ[key] = text
        elif key not in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):  # the content is read and de-chunked
            key = "HTTP_" + key
            environ[key] = f"{environ[key]}, {text}" if key in environ else text
    if host is not None:
        environ["HTTP_HOST"] = host
    return environ


class Response:
    """Send one WSGI response through h11: the head with the first content, then each piece as it comes.

    Parameters
    ----------
    conn
        The connection's h11 state machine, which has just read the request.
    sock
        The socket to write to.
    head_only
        The request was HEAD: header fields as for GET, no content (RFC 9110 section 9.3.2).
    close
        Close the connection after this response.
    """

    def __init__(self, conn: h11.Connection, sock: socket.socket, *, head_only: bool, close: bool) -> None:
        self.conn = conn
        self.sock = sock
        self.head_only = head_only
        self.close = close
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.sent = False
        self.content = True
        self._out: list[bytes] = []

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        """Record the status and header fields (PEP 3333); returns the ``write()`` callable."""
        if exc_info is not None:
            try:
                if self.sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response() was called a second time without exc_info (PEP 3333).")
        self.status, self.headers = status, headers
        return self.write

    def write(self, data: bytes) -> None:
        """Send *data* at once (the PEP 3333 ``write()`` callable)."""
        if self.status is None:
            raise AssertionError("write() was called before start_response() (PEP 3333).")
        self._add(data)
        self._flush()

    def send_all(self, result: Iterable[bytes]) -> None:
        """Send every piece of *result*, each as soon as the application gives it, then end the message."""
        in_memory = isinstance(result, list | tuple)
        for data in result:
            self._add(data)
            if not in_memory:
                self._flush()
            if self.sent and not self.content:
                break  # HEAD, 204 and 304 carry no content: stop asking for it
        if self.status is None:
            raise AssertionError("The application returned without calling start_response() (PEP 3333).")
        if not self.sent:
            self._start()
        try:
            self._out.append(self.conn.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as error:
            raise Unsendable(
                L_("The application's content does not match its Content-Length ({problem}).", problem=str(error))
            ) from None
        self._flush()

    def failed(self, error: Exception, environ: dict[str, Any]) -> bool:
        """Log an application failure and answer 500 if nothing was sent yet; returns keep-alive."""
        where = f"{environ['REQUEST_METHOD']} {environ.get('RAW_URI', '')}"
        detail: Detail
        if isinstance(error, Unsendable):
            logger.error("Could not send the answer to %s: %s", where, in_language(error.detail, DEFAULT_LANGUAGE))
            detail = error.detail
        else:
            logger.error("The application failed on %s.", where, exc_info=error)
            detail = L_("The lab's application failed on {where}.", where=where[:200]) + " " + log_hint()
        if self.sent:
            return False  # part of the answer is out: all the client can learn is that the connection ended
        language = negotiate(environ.get("HTTP_ACCEPT_LANGUAGE"))
        if self.conn.our_state is h11.SEND_RESPONSE:
            answer = problem_bytes(
                self.conn, 500, detail, keep_alive=not self.close, head_only=self.head_only, language=language
            )
            self.sock.sendall(answer)
            return finished(self.conn)
        # h11 refused the head itself; a fresh state machine encodes the 500, and the connection closes.
        self.sock.sendall(problem_bytes(h11.Connection(h11.SERVER), 500, detail, language=language))
        return False

    def _add(self, data: bytes) -> None:
        if not self.sent:
            if not data:
                return  # the head waits for the first content, so exc_info can still replace it (PEP 3333)
            self._start()
        if data and self.content:
            try:
                self._out.extend(self.conn.send_with_data_passthrough(h11.Data(data=data)) or ())
            except h11.LocalProtocolError as error:
                raise Unsendable(
                    L_("The application's content is longer than its Content-Length ({problem}).", problem=str(error))
                ) from None

    def _start(self) -> None:
        self._out.append(self.conn.send(self._head()))
        self.sent = True

    def _flush(self) -> None:
        if self._out:
            data = b"".join(self._out)
            self._out.clear()
            if data:
                self.sock.sendall(data)

    def _head(self) -> h11.Response:
        """Check the status and header fields the application gave, and build the response head."""
        status = str(self.status)
        code_text, _, reason = status.partition(" ")
        if not (len(code_text) == 3 and code_text.isdigit()):
            raise Unsendable(
                L_("The application's status {status!r} is not a three-digit code and a reason.", status=status[:40])
            )
        code = int(code_text)
        if code < 200:
            raise Unsendable(
                L_(
                    "The application answered {code}, an interim status that cannot end a request "
                    "(RFC 9110 section 15.2).",
                    code=code,
                )
            )
        self.content = not self.head_only and code not in (204, 304)
        headers: list[tuple[bytes, bytes]] = []
        has_date = has_server = False
        for name, value in self.headers:
            if not TOKEN.fullmatch(name) or FIELD_CONTROL.search(value):
                raise Unsendable(
                    L_(
                        "The lab could not send its response: the header field {name!r} would contain a line break "
                        "or another control character, which HTTP does not allow in a header field.",
                        name=name,
                    )
                )
            lower = name.lower()
            if lower in HOP_BY_HOP:
                continue  # the server frames the message and manages the connection (PEP 3333)
            if lower == "content-length":
                if code == 204:
                    continue  # a 204 never has Content-Length (RFC 9110 section 8.6)
                if not value.strip().isdigit():
                    raise Unsendable(
                        L_("The application's Content-Length {value!r} is not a number of bytes.", value=value)
                    )
            has_date = has_date or lower == "date"
            has_server = has_server or lower == "server"
            try:
                headers.append((name.encode("ascii"), value.strip(" \t").encode("latin-1")))
            except UnicodeEncodeError:
                raise Unsendable(
                    L_(
                        "The header field {name!r} holds a character that is not Latin-1, which a WSGI server "
                        "cannot send (PEP 3333). Encode it, for example as a percent-encoded URL.",
                        name=name,
                    )
                ) from None
        if not has_date:
            headers.append((b"Date", http_date()))  # every response has one (RFC 9110 section 6.6.1)
        if not has_server:
            headers.append((b"Server", b"httplab"))
        if self.close:
            headers.append((b"Connection", b"close"))
        return h11.Response(status_code=code, headers=headers, reason=reason.encode("latin-1", "replace"))


def problem_bytes(
    conn: h11.Connection,
    status: int,
    detail: Detail,
    *,
    keep_alive: bool = False,
    head_only: bool = False,
    language: str | None = None,
) -> bytes:
    """Encode the server's own problem+json response (RFC 9457) with the h11 state machine *conn*.

    The detail is in *language* (the kit's language by default), which ``Content-Language`` names.
    """
    reply = Reply.problem(HTTPProblem(status, detail), language)
    body = reply.body
    headers = [
        (b"Content-Type", PROBLEM_JSON.encode()),
        (b"Content-Length", str(len(body)).encode()),
        (b"Content-Language", reply.headers["Content-Language"].encode()),
        (b"Vary", reply.headers["Vary"].encode()),
        (b"Date", http_date()),
        (b"Server", b"httplab"),
    ]
    if not keep_alive:
        headers.append((b"Connection", b"close"))
    out = conn.send(h11.Response(status_code=status, headers=headers, reason=reason_phrase(status).encode()))
    if not head_only:  # a HEAD answer has no content
        out += conn.send(h11.Data(data=body))
    return out + conn.send(h11.EndOfMessage())


def finished(conn: h11.Connection) -> bool:
    """Tell whether the response is sent and the connection may carry another request."""
    return conn.our_state is h11.DONE
