"""The client libraries a lost-response experiment runs, each with its own defaults, read from the library.

Every runner first sends a GET on the connection it will reuse, then the request, and returns
the status it got or the exception it raised. The libraries:

``"requests"``
    A ``requests.Session()``: its adapters retry ``requests.adapters.DEFAULT_RETRIES`` times (0).
``"urllib3"``
    A ``urllib3.PoolManager()``: ``Retry.DEFAULT`` (``Retry(3)``), which retries a read error
    only for ``Retry.DEFAULT_ALLOWED_METHODS``.
``"urllib3-any-method"``
    The same with ``allowed_methods=None``: read errors are retried for every method.
``"httpx"``
    ``httpx.Client(transport=httpx.HTTPTransport(retries=3))``: retries only failed connects.
``"go"``
    Not Go itself: a model of Go net/http's replay rule, sent with httpx. An attempt that failed
    on a reused connection is sent again when its method is GET, HEAD, OPTIONS or TRACE, or it
    carries ``Idempotency-Key`` or ``X-Idempotency-Key`` (its body, held in memory, can be
    replayed); a failure on a fresh connection ends it. (Go also replays any request when
    nothing was written; here the request was written in full.)

A *pause*, when given, runs between the lost attempt and a retry (another client's write): urllib3
gets a copy of its ``Retry`` whose pause between attempts calls it first; it decides nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from httplab.errors import InvalidRequestError
from httplab.i18n import N_, _

__all__ = [
    "CLIENTS",
    "GO_REPLAY_HEADERS",
    "GO_REPLAY_METHODS",
    "LIBRARY_NAMES",
    "RUNNERS",
    "client_setting",
    "go_replays",
    "library_name",
]

CLIENTS: tuple[str, ...] = ("requests", "urllib3", "urllib3-any-method", "httpx", "go")
#: The methods Go's ``Request.isReplayable`` names.
GO_REPLAY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: The header fields that make Go treat any request as replayable.
GO_REPLAY_HEADERS = ("Idempotency-Key", "X-Idempotency-Key")
_MAX_GO_ATTEMPTS = 10
_TIMEOUT = 10.0

Pause = Callable[[], None]


def client_setting(client: str) -> str:
    """Say how the library is set up, with the values read from the installed library.

    >>> client_setting("httpx")
    'httpx.Client(transport=httpx.HTTPTransport(retries=3)): retries failed connects only'
    """
    if client == "requests":
        import requests.adapters

        return _("requests.Session() defaults: max_retries = requests.adapters.DEFAULT_RETRIES = {value}").format(
            value=requests.adapters.DEFAULT_RETRIES
        )
    if client in ("urllib3", "urllib3-any-method"):
        from urllib3.util import Retry

        methods = ", ".join(sorted(Retry.DEFAULT_ALLOWED_METHODS))
        if client == "urllib3":
            return _("urllib3.PoolManager() defaults: {retry}, read errors retried for {methods}").format(
                retry=repr(Retry.DEFAULT), methods=methods
            )
        return _("urllib3.PoolManager(retries=Retry(total={total}, allowed_methods=None)): every method").format(
            total=Retry.DEFAULT.total
        )
    if client == "httpx":
        return _("httpx.Client(transport=httpx.HTTPTransport(retries=3)): retries failed connects only")
    if client == "go":
        return _(
            "a model of Go net/http's replay rule (not Go itself): on a reused connection, replay "
            "GET, HEAD, OPTIONS, TRACE and requests with Idempotency-Key or X-Idempotency-Key"
        )
    raise InvalidRequestError(
        _("client={client!r} is not a library the lab runs. Use one of: {clients}.").format(
            client=client, clients=", ".join(CLIENTS)
        )
    )


# ------------------------------------------------------------------------------ the libraries

_Outcome = tuple[int | None, BaseException | None]


def _run_requests(url: str, warm: str, method: str, headers: dict[str, str], body: bytes | None, pause: Pause | None
                  ) -> _Outcome:
    import requests

    with requests.Session() as session:
        session.get(warm, timeout=_TIMEOUT)
        try:
            return session.request(method, url, headers=headers, data=body, timeout=_TIMEOUT).status_code, None
        except requests.RequestException as error:
            return None, error


def _pausing(retry: Any, pause: Pause | None) -> Any:
    """Return *retry* unchanged, or a copy whose pause between attempts first lets *pause* run."""
    if pause is None:
        return retry

    def sleep(self: Any, response: Any = None) -> None:
        pause()
        type(retry).sleep(self, response)

    pausing = copy.copy(retry)
    # ``Retry.new()`` builds each later Retry with ``type(self)``, so the subclass lives on.
    pausing.__class__ = type("PausingRetry", (type(retry),), {"sleep": sleep})
    return pausing


def _run_urllib3(any_method: bool) -> Callable[..., _Outcome]:
    def run(url: str, warm: str, method: str, headers: dict[str, str], body: bytes | None, pause: Pause | None
            ) -> _Outcome:
        import urllib3
        from urllib3.util import Retry

        retry = Retry.DEFAULT.new(allowed_methods=None) if any_method else Retry.DEFAULT
        with urllib3.PoolManager(retries=_pausing(retry, pause), timeout=_TIMEOUT) as pool:
            pool.request("GET", warm)
            try:
                return pool.request(method, url, headers=headers, body=body).status, None
            except urllib3.exceptions.HTTPError as error:
                return None, error

    return run


def _run_httpx(url: str, warm: str, method: str, headers: dict[str, str], body: bytes | None, pause: Pause | None
               ) -> _Outcome:
    import httpx

    with httpx.Client(transport=httpx.HTTPTransport(retries=3), timeout=_TIMEOUT) as client:
        client.get(warm)
        try:
            return client.request(method, url, headers=headers, content=body).status_code, None
        except httpx.HTTPError as error:
            return None, error


def go_replays(method: str, headers: Mapping[str, str]) -> bool:
    """Tell whether Go's rule treats the request as replayable (its body is in memory here).

    >>> go_replays("PUT", {}), go_replays("POST", {"Idempotency-Key": '"k"'}), go_replays("GET", {})
    (False, True, True)
    """
    names = {name.lower() for name in headers}
    return method in GO_REPLAY_METHODS or any(name.lower() in names for name in GO_REPLAY_HEADERS)


def _run_go(url: str, warm: str, method: str, headers: dict[str, str], body: bytes | None, pause: Pause | None
            ) -> _Outcome:
    import httpx

    with httpx.Client(timeout=_TIMEOUT) as client:
        client.get(warm)
        for attempt in range(_MAX_GO_ATTEMPTS):
            opened: list[str] = []

            def trace(event: str, info: Mapping[str, Any], opened: list[str] = opened) -> None:
                if event.startswith("connection.connect_tcp."):
                    opened.append(event)

            try:
                sent = client.request(method, url, headers=headers, content=body, extensions={"trace": trace})
                return sent.status_code, None
            except httpx.TransportError as error:
                reused = not opened
                if not reused or not go_replays(method, headers) or attempt == _MAX_GO_ATTEMPTS - 1:
                    return None, error
                if pause is not None:
                    pause()
    raise AssertionError("unreachable")  # pragma: no cover


RUNNERS: dict[str, Callable[..., _Outcome]] = {
    "requests": _run_requests,
    "urllib3": _run_urllib3(any_method=False),
    "urllib3-any-method": _run_urllib3(any_method=True),
    "httpx": _run_httpx,
    "go": _run_go,
}


#: Each library's name as a table shows it (English message ids: show them with :func:`library_name`).
LIBRARY_NAMES = {
    "requests": "requests",
    "urllib3": "urllib3",
    "urllib3-any-method": "urllib3 (allowed_methods=None)",
    "httpx": "httpx",
    "go": N_("the model of Go's rule"),
}


def library_name(client: str) -> str:
    """Return the name of *client* as a learner reads it, in the kit's language.

    >>> library_name("urllib3-any-method")
    'urllib3 (allowed_methods=None)'
    """
    return _(LIBRARY_NAMES[client])
