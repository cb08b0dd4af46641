"""The lab server: httpbin's echo endpoints and the resource API on one local origin.

``create_lab_app()`` composes the WSGI application (httpbin at ``/``, the resources at
``/lab``); :class:`LabServer` serves it on 127.0.0.1 and a free port, in daemon threads
that never print a log line into a notebook cell (failures go to the ``httplab.server``
logger, silent unless the notebook configures logging).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import socket
from collections.abc import Iterable
from typing import Any

from httplab.errors import HTTPLabError
from httplab.http.faults import FAULT_HEADER, FAULTS, DropResponse
from httplab.http.grammar import FIELD_CONTROL
from httplab.i18n import L_, LazyText, gettext
from httplab.server._httpd import WSGIServer
from httplab.server._peer import current_uid, owner_check_problem, peer_uid
from httplab.server._wsgi import (
    MAX_BODY_BYTES,
    HTTPProblem,
    Reply,
    StartResponse,
    WSGIApp,
    WSGIEnviron,
    header,
    respond,
)
from httplab.server.files import MOUNT as FILES_MOUNT
from httplab.server.files import create_files_app
from httplab.server.flaws import FlawedResources, check_flaws
from httplab.server.resources import ResourceApp, create_resource_app

__all__ = ["LabApp", "LabServer", "create_lab_app", "is_loopback"]

_NEUTRAL_402 = (
    b"Payment Required: this status code is reserved for future use (RFC 9110 section 15.5.3).\n"
)


def _httpbin_app() -> WSGIApp:
    """Import httpbin's Flask app without its import-time log noise or tracebacks on stderr.

    An httpbin view that fails (``/response-headers`` asked to put a line break in a header
    field, say) already answers 500; Flask would also print the traceback into the notebook.
    Its records now go where the notebook's own logging sends them (nowhere, unless configured).
    """
    logger = logging.getLogger("httpbin.core")
    quiet = _DropFlasggerNotice()
    logger.addFilter(quiet)
    try:
        from flask.logging import default_handler
        from httpbin import app
    finally:
        logger.removeFilter(quiet)
    app.logger.removeHandler(default_handler)
    if not any(isinstance(handler, logging.NullHandler) for handler in app.logger.handlers):
        app.logger.addHandler(logging.NullHandler())
    return app  # type: ignore[no-any-return]


class _DropFlasggerNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "flasgger" not in record.getMessage()


class _ClassroomHttpbin:
    """Keep httpbin's answers fit for a classroom.

    Its stock 402 body is replaced with a neutral one. Two answers HTTP does not allow get a 500
    that explains itself instead: ``/status/1xx`` (a 1xx status is interim, RFC 9110 section 15.2,
    so sent in place of a final response it would leave the client waiting for the real answer),
    and ``/response-headers`` asked for a header field holding a control character (section 5.5).
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one WSGI request."""
        seen: dict[str, Any] = {"status": "", "problem": None}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["problem"] = status, _not_allowed(status, headers)
            if status.startswith("402") or seen["problem"] is not None:
                return lambda data: None
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        problem: HTTPProblem | None = seen["problem"]
        if problem is None and not str(seen["status"]).startswith("402"):
            return result
        for _ in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
        if problem is not None:
            return respond(environ, start_response, Reply.problem_for(environ, problem))
        body = b"" if environ["REQUEST_METHOD"] == "HEAD" else _NEUTRAL_402
        start_response(
            "402 Payment Required",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(_NEUTRAL_402)))],
        )
        return [body]


def _not_allowed(status: str, headers: list[tuple[str, str]]) -> HTTPProblem | None:
    """Say why an answer httpbin was asked for cannot be sent, or None when it can."""
    if status[:1] == "1":
        return HTTPProblem(
            500,
            L_(
                "httpbin was asked to answer {status}, but a 1xx status is interim: a server sends it before "
                "the final response, never instead of one (RFC 9110 section 15.2). Ask for a code from 200 to 599.",
                status=status[:3],
            ),
        )
    for name, value in headers:
        if FIELD_CONTROL.search(value):
            return HTTPProblem(
                500,
                L_(
                    "httpbin was asked to send a header field {name!r} holding a control character, which HTTP "
                    "does not allow in a field value (RFC 9110 section 5.5). Leave such characters out.",
                    name=name,
                ),
            )
    return None


class LabApp:
    """The whole lab as one WSGI application; ``resources`` is the stateful part."""

    def __init__(self, resources: ResourceApp, echo: WSGIApp) -> None:
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        self.resources = resources
        self._dispatch = DispatcherMiddleware(echo, {"/lab": resources})

    def mount(self, prefix: str, app: WSGIApp) -> None:
        """Serve *app* under *prefix* (the longest matching prefix wins)."""
        self._dispatch.mounts[prefix] = app

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one WSGI request, applying an ``X-Lab-Fault`` if the request asks for one."""
        protocol = str(environ.get("SERVER_PROTOCOL") or "HTTP/1.1")
        if protocol.removeprefix("HTTP/").split(".", 1)[0] != "1":
            # Only HTTP/1.x is spoken here; say so plainly to a client that sent another version.
            if protocol.strip() != "HTTP/":
                detail = L_(
                    "The lab speaks HTTP/1.1 (and HTTP/1.0), not {version}. End the request line with HTTP/1.1.",
                    version=protocol.strip(),
                )
            else:
                detail = L_(
                    "The lab speaks HTTP/1.1 (and HTTP/1.0), not a request line without a version. "
                    "End the request line with HTTP/1.1."
                )
            return respond(environ, start_response, Reply.problem_for(environ, HTTPProblem(505, detail)))
        fault = header(environ, FAULT_HEADER)
        if fault is None:
            return self._dispatch(environ, start_response)
        if fault.strip().lower() not in FAULTS:
            problem = HTTPProblem(
                400,
                L_(
                    "Unknown {header} {value!r}. The lab knows: {faults}.",
                    header=FAULT_HEADER,
                    value=fault,
                    faults=", ".join(FAULTS),
                ),
            )
            return respond(environ, start_response, Reply.problem_for(environ, problem))
        # Apply the request in full, then lose the response on purpose.
        result = self._dispatch(environ, lambda *args, **kwargs: (lambda data: None))
        try:
            for _ in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        raise DropResponse()


def create_lab_app(
    *,
    require_precondition: bool = False,
    max_items: int = 10_000,
    flaws: Iterable[str] = (),
    hide_flaws: bool = False,
) -> LabApp:
    """Build the lab's WSGI application: httpbin at ``/``, a fresh resource API at ``/lab``, files at ``/lab/files``.

    *flaws* plants misbehaviours from :data:`httplab.http.flaws.FLAWS` in ``/lab``; the lab's
    settings then list them, or say ``"hidden"`` when *hide_flaws* is true (a mystery lab).

    >>> app = create_lab_app()
    >>> app.resources.snapshot()["items"]
    []
    """
    resources = create_resource_app(require_precondition=require_precondition, max_items=max_items)
    files = create_files_app(count_request=resources.count_request)
    resources.add_section("files", files.snapshot, files.reset)
    app = LabApp(resources, _ClassroomHttpbin(_httpbin_app()))
    planted = check_flaws(flaws)
    if planted:
        resources.flaws_shown = "hidden" if hide_flaws else sorted(planted)
        app.mount("/lab", FlawedResources(resources, planted))
    app.mount(FILES_MOUNT, files)
    return app


@functools.lru_cache(maxsize=64)
def is_loopback(host: str) -> bool:
    """Tell whether *host* names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _LoopbackHostOnly:
    """Answer only requests addressed to this machine by name (a guard against DNS rebinding).

    A web page the learner visits could point its own host name at 127.0.0.1 and read the lab;
    its requests then carry that foreign name in ``Host``, and get 403 here.
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        """Pass the request on if its Host names this machine, else answer 403."""
        host = str(environ.get("HTTP_HOST", "")).strip()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if not host or is_loopback(name.strip("[]")):
            return self.app(environ, start_response)
        problem = HTTPProblem(
            403,
            L_(
                "This lab answers only requests addressed to this machine (127.0.0.1 or localhost), not {host!r}.",
                host=host,
            ),
        )
        return respond(environ, start_response, Reply.problem_for(environ, problem))


class LabServer:
    """Serve a :class:`LabApp` over HTTP/1.1 with keep-alive, in daemon threads.

    One thread per connection, around h11's parser (see :mod:`httplab.server._httpd`): the fewest
    thread hand-offs per request, which keeps a lab fast when the notebook's client shares the
    process with it. Responses stream as the application yields them, each with a ``Date``;
    an application's failure is logged to the ``httplab.server`` logger and answered with a 500.

    Parameters
    ----------
    app
        The application to serve.
    host, port
        Where to listen; port 0 picks a free port.
    allow_remote
        Must be true to listen on anything but a loopback address.
    owner_only
        Answer only connections opened by the Unix user that started the server; another user's
        get 403 and nothing of the lab is read or changed. Where the machine cannot tell who opened
        a connection, it is not enforced, and :attr:`owner_check` says so.

    Attributes
    ----------
    owner_check
        ``"enforced"``, ``"off"``, or ``"not enforced: <why>"``.
    """

    def __init__(
        self,
        app: WSGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        allow_remote: bool = False,
        owner_only: bool = True,
    ) -> None:
        if not is_loopback(host) and not allow_remote:
            raise HTTPLabError(
                gettext(
                    "The lab listens on this machine only, and {host!r} would open it to the network. "
                    "Use 127.0.0.1, or pass allow_remote=True if you really mean to share it."
                ).format(host=host)
            )
        if allow_remote and owner_only:
            raise HTTPLabError(
                gettext(
                    "A lab open to the network cannot tell which user a remote connection belongs to, so it cannot "
                    "answer its owner only. If you really mean to share it, pass owner_only=False as well."
                )
            )
        problem = owner_check_problem() if owner_only else None
        self.owner_check = "off" if not owner_only else ("enforced" if problem is None else f"not enforced: {problem}")
        self._owner = current_uid()
        admit = self._admit if self.owner_check == "enforced" else None
        try:
            # Above the app's own limit, so that the app answers 413 with a readable
            # problem+json message; the server's plain 413 only stops far larger bodies.
            served = app if allow_remote else _LoopbackHostOnly(app)
            self._httpd = WSGIServer(served, host, port, max_body_bytes=2 * MAX_BODY_BYTES, admit=admit)
        except OSError as error:
            raise HTTPLabError(
                gettext("The lab could not listen on {host}:{port} ({reason}). Try port=0 for a free port.").format(
                    host=host, port=port, reason=error.strerror
                )
            ) from None
        self.app = app
        self.host = host
        self.port = self._httpd.port

    def _admit(self, sock: socket.socket) -> LazyText | None:
        """Admit a connection of the lab's owner; for anyone else, say why it is refused."""
        uid = peer_uid(sock)
        if uid is not None and uid == self._owner:
            return None
        if uid is None:
            return L_(
                "This lab answers only the user who started it, and it could not tell which user opened this "
                "connection, so it answered nothing. Nothing in the lab was read or changed."
            )
        return L_(
            "This lab belongs to another user of this computer: it answers only the programs of the user who "
            "started it. Nothing in it was read or changed. Start a lab of your own with httplab.start()."
        )

    @property
    def url(self) -> str:
        """The base URL, like ``http://127.0.0.1:50123``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """True while the server accepts connections."""
        return self._httpd.running

    @property
    def daemon(self) -> bool:
        """True: the server's threads never keep the interpreter alive."""
        return bool(self._httpd._thread.daemon)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving, close open connections and release the port.

        Returns at once, unless a request is still running in the application (``/delay``,
        ``X-Lab-Delay``): its thread is waited for up to *timeout* seconds, and is a daemon
        thread that never keeps Python from exiting.
        """
        self._httpd.stop(timeout)
