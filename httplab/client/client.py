"""A recording HTTP client: every request becomes an immutable :class:`Exchange`."""

from __future__ import annotations

import functools
import json as jsonlib
import os
import ssl
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

import httpx

from httplab.client._capture import EXTENSION, Capture, RecordingTransport
from httplab.client.models import Exchange, Headers, Request, Response, Wire
from httplab.errors import InvalidRequestError, LabNotRunningError, NoResponseError
from httplab.http.faults import DropResponse
from httplab.http.grammar import FIELD_CONTROL, TOKEN
from httplab.i18n import N_, _

__all__ = ["DEFAULT_HISTORY_SIZE", "LabClient"]

#: How many exchanges ``history`` keeps; older ones are dropped first.
DEFAULT_HISTORY_SIZE = 1000

_MISSING: Any = object()

_IN_PROCESS_NOTE = N_(
    "Reconstructed: this lab runs in-process, so no bytes crossed a socket. "
    "This text is rebuilt from the recorded request and response, the way HTTP/1.1 would carry them."
)
_OTHER_ORIGIN_NOTE = N_(
    "Reconstructed: this request went to another origin, which the client sends with plain httpx "
    "and does not capture. This text is rebuilt from what httpx parsed."
)


@functools.cache
def _verifying_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """Return the SSL context httpx builds for ``verify=True``, built once per CA setting.

    httpx reads ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` itself; they are the cache key so that a
    change makes a new context. Loading the CA bundle takes 50-100 ms, which every lab would pay.
    """
    return httpx.create_ssl_context(verify=True, trust_env=True)


class _InProcessTransport(httpx.BaseTransport):
    """Call the WSGI app directly (no socket) and turn a dropped response into what a socket shows."""

    def __init__(self, app: Any) -> None:
        self._wsgi = httpx.WSGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._wsgi.handle_request(request)
        except DropResponse:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.") from None


class _Cookies(httpx.Cookies):
    """A cookie jar that reads only responses that set a cookie (reading one costs ~45 µs even without)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Store the cookies *response* sets, if it sets any."""
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class _HTTPClient(httpx.Client):
    """httpx's client, with a cookie jar that skips responses that set no cookie."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._cookies = _Cookies(self._cookies)

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookies kept between requests, as a browser would."""
        return self._cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._cookies = _Cookies(cookies)


class LabClient:
    """Send requests to a lab (or any HTTP server) and keep a record of each exchange.

    Requests go out through httpx as it comes: environment proxies and TLS verification apply
    to every URL except the base URL's own ``http://`` origin, where httpx's transport also
    records the bytes that cross the socket (:attr:`Exchange.wire <httplab.client.models.Exchange.wire>`).
    With *app*, nothing crosses a socket and the wire text is reconstructed.

    Parameters
    ----------
    base_url
        Where relative paths are sent, like ``http://127.0.0.1:50123``.
    app
        A WSGI application to call in-process instead of over a socket.
    timeout
        Seconds to wait for a response.
    history_size
        How many exchanges to keep in :attr:`history`.

    Examples
    --------
    >>> from httplab.server import create_lab_app
    >>> client = LabClient("http://lab", app=create_lab_app())
    >>> client.send("POST", "/lab/items", json={"name": "apple"}).status
    201

    """

    def __init__(
        self,
        base_url: str,
        *,
        app: Any = None,
        timeout: float = 10.0,
        history_size: int = DEFAULT_HISTORY_SIZE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.in_process = app is not None
        self._origin: tuple[str, str, int | None] | None = None
        if app is not None:
            self._http = _HTTPClient(base_url=self.base_url, transport=_InProcessTransport(app), timeout=timeout)
        else:
            # httpx as it comes (environment proxies, TLS verification), except for the lab's own
            # origin: there httpx's transport runs on a network backend that records the bytes.
            origin = httpx.URL(self.base_url)
            mounts: dict[str, httpx.BaseTransport] = {}
            if origin.scheme == "http":
                self._origin = (origin.scheme, origin.host, origin.port)
                mounts[f"http://{origin.netloc.decode('ascii')}"] = RecordingTransport()
            # The verifying context is httpx's default one, shared, as httpx's SSL guide shows it passed in.
            verify = _verifying_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
            self._http = _HTTPClient(base_url=self.base_url, mounts=mounts, timeout=timeout, verify=verify)
        self._history: deque[Exchange] = deque(maxlen=history_size)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ sending

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = _MISSING,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        files: Any = None,
        data: Mapping[str, str] | None = None,
        timeout: float | None = None,
        record: bool = True,
    ) -> Exchange:
        """Send one request and return the recorded :class:`Exchange`.

        Parameters
        ----------
        method
            GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or any other token.
        path
            A path on the lab like ``/lab/items``, or a full URL.
        json
            A value to send as JSON (sets ``Content-Type: application/json``).
        content
            Raw bytes or text to send as the body instead.
        headers
            Extra request header fields.
        files, data
            Multipart form files and fields, as httpx takes them.
        timeout
            Seconds to wait for this response, overriding the client's.
        record
            Keep the exchange in :attr:`history` (the kit's own state reads pass False).

        Raises
        ------
        InvalidRequestError
            The request could not be built; nothing was sent.
        LabNotRunningError
            Nothing is listening at the lab's address.
        NoResponseError
            The request was sent but no response came back; ``error.exchange`` holds the record.

        """
        if self._http.is_closed:
            raise LabNotRunningError(
                _("This lab was stopped, so nothing will answer. Start a new one with lab = httplab.start().")
            )
        request = self._build(method, path, json=json, content=content, headers=headers, files=files, data=data)
        if timeout is not None:
            request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
        capture = request.extensions[EXTENSION] = Capture()
        sent = _record_request(request)
        started = time.perf_counter()
        try:
            reply = self._http.send(request)
        except httpx.ConnectError:
            raise LabNotRunningError(
                _(
                    "Nothing is answering at {url}: the lab server is not running. "
                    "Start it again with lab = httplab.start()."
                ).format(url=self.base_url)
            ) from None
        except httpx.LocalProtocolError as error:
            # h11 checks every field before writing the head, and the body against Content-Length.
            if capture.sent_size:
                refused = _(
                    "httpx refused to send this request as HTTP/1.1 ({error}); its first {size:,} bytes had been "
                    "sent. Check the header fields you set: values in plain ASCII text, with no space or tab at "
                    "either end."
                )
            else:
                refused = _(
                    "httpx refused to send this request as HTTP/1.1 ({error}). Check the header fields you set: "
                    "values in plain ASCII text, with no space or tab at either end."
                )
            raise InvalidRequestError(refused.format(error=error, size=capture.sent_size)) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.TimeoutException) as failure:
            elapsed = time.perf_counter() - started
            if isinstance(failure, httpx.TimeoutException):
                why = _("no response within the time limit ({name})").format(name=type(failure).__name__)
            elif isinstance(failure, httpx.RemoteProtocolError) and capture.received_size:
                why = _("the server's answer was not a valid HTTP response ({failure})").format(failure=failure)
            else:
                why = _("the server closed the connection without sending a response")
            exchange = self._exchange(sent, None, elapsed, capture, request.url, error=why)
            if record:
                self._remember(exchange)
            raise NoResponseError(
                _(
                    "{method} {target}: {why}. The server may or may not have applied the request; "
                    "the client cannot tell which."
                ).format(method=method.upper(), target=sent.target, why=why),
                exchange,
            ) from None
        elapsed = time.perf_counter() - started
        exchange = self._exchange(sent, _record_response(reply), elapsed, capture, request.url)
        if record:
            self._remember(exchange)
        return exchange

    def _exchange(
        self,
        sent: Request,
        received: Response | None,
        elapsed: float,
        capture: Capture,
        url: httpx.URL,
        error: str | None = None,
    ) -> Exchange:
        """Record one exchange, with the bytes that crossed the socket when they were captured."""
        if capture.sent_size:
            wire = Wire.from_bytes(
                bytes(capture.sent),
                bytes(capture.received),
                sent_size=capture.sent_size,
                received_size=capture.received_size,
            )
            return Exchange(sent, received, elapsed, error=error, wire=wire)
        if self.in_process:
            note = _(_IN_PROCESS_NOTE)
        elif (url.scheme, url.host, url.port) != self._origin:
            note = _(_OTHER_ORIGIN_NOTE)
        else:
            note = ""  # the lab's origin, yet nothing was written: the generic note says so
        return Exchange(sent, received, elapsed, error=error, wire_note=note)

    def _build(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        content: bytes | str | None,
        headers: Mapping[str, str] | None,
        files: Any,
        data: Mapping[str, str] | None,
    ) -> httpx.Request:
        if not isinstance(method, str) or not TOKEN.fullmatch(method):
            raise InvalidRequestError(
                _("{method!r} is not a method name. Use a word such as GET, POST, PUT, PATCH or DELETE.").format(
                    method=method
                )
            )
        if not isinstance(path, str) or not path:
            raise InvalidRequestError(_("{path!r} is not a path. Use something like '/lab/items'.").format(path=path))
        if "://" not in path and not path.startswith("/"):
            path = "/" + path
        if json is not _MISSING and content is not None:
            raise InvalidRequestError(_("Give either json= or content=, not both: a request has one body."))
        body: bytes | str | None = content
        header_fields = dict(headers or {})
        for name, value in header_fields.items():
            if not isinstance(name, str) or not TOKEN.fullmatch(name):
                raise InvalidRequestError(
                    _("{name!r} is not a valid header name (letters, digits and - only).").format(name=name)
                )
            if not isinstance(value, str) or FIELD_CONTROL.search(value):
                raise InvalidRequestError(
                    _(
                        "The value of header {name!r} must be text on one line, without line breaks or other "
                        "control characters (RFC 9110 section 5.5); got {value!r}."
                    ).format(name=name, value=value)
                )
        if json is not _MISSING:
            try:
                body = jsonlib.dumps(json, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError) as error:
                cannot = _("This value cannot be sent as JSON: {error}.").format(error=error)
                raise InvalidRequestError(cannot) from None
            if not any(k.lower() == "content-type" for k in header_fields):
                header_fields["Content-Type"] = "application/json"
        # A path becomes a full URL here, so that httpx parses one URL instead of merging two.
        url = self.base_url + path if path.startswith("/") else path
        try:
            request = self._http.build_request(
                method.upper(), url, content=body, headers=header_fields, files=files, data=data
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, TypeError, ValueError) as error:
            raise InvalidRequestError(_("The request could not be built: {error}.").format(error=error)) from None
        if any(k.lower() == "content-length" for k in header_fields):
            # h11 would stop mid-send (after the head) on a length that does not match the body.
            size = len(request.read())
            if request.headers.get("Content-Length", "").strip() != str(size):
                raise InvalidRequestError(
                    _(
                        "The Content-Length header says {value!r}, but the body is {size:,} bytes. "
                        "Leave Content-Length out: httpx sets it from the body."
                    ).format(value=request.headers["Content-Length"], size=size)
                )
        return request

    # ------------------------------------------------------------------ history

    def _remember(self, exchange: Exchange) -> None:
        with self._lock:
            self._history.append(exchange)

    @property
    def history(self) -> tuple[Exchange, ...]:
        """The recorded exchanges, oldest first (at most ``history_size``)."""
        with self._lock:
            return tuple(self._history)

    @property
    def history_size(self) -> int:
        """How many exchanges :attr:`history` keeps."""
        return self._history.maxlen or 0

    def clear_history(self) -> None:
        """Forget every recorded exchange."""
        with self._lock:
            self._history.clear()

    def close(self) -> None:
        """Close the connection pool; later sends raise :class:`LabNotRunningError`."""
        self._http.close()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._http.is_closed

    def __enter__(self) -> LabClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _record_request(request: httpx.Request) -> Request:
    try:
        body = request.content
    except httpx.RequestNotRead:
        body = request.read()
    return Request(request.method, str(request.url), _headers(request.headers), body)


def _record_response(reply: httpx.Response) -> Response:
    body = reply.content
    headers = _headers(reply.headers)
    version = reply.http_version if reply.http_version.startswith("HTTP/") else "HTTP/1.1"
    return Response(
        status=reply.status_code,
        reason=reply.reason_phrase,
        headers=headers,
        body=body,
        http_version=version,
    )


def _headers(fields: httpx.Headers) -> Headers:
    """Keep header names as they were written (httpx lower-cases its own view)."""
    encoding = fields.encoding
    return Headers((k.decode(encoding), v.decode(encoding)) for k, v in fields.raw)
