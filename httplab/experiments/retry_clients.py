"""Real client libraries on a lost response: what requests, urllib3, httpx (and Go's rule) do next.

Each library sends the request over a real socket with ``X-Lab-Fault: drop-response; times=1;
id=…``: the lab applies the first attempt and closes the connection without answering; any
retry the library makes carries the same field and is answered normally (see
:mod:`httplab.http.faults`). The lab's request counts say how many attempts reached the
server; the library says what the program saw: a status, or an exception.

Every library first sends ``GET /lab/state`` on the same connection, so the lost attempt goes
over a *reused* connection, the case Go's rule is about. The libraries run with their own
defaults, read from the libraries themselves: ``"requests"``, ``"urllib3"``,
``"urllib3-any-method"``, ``"httpx"`` and ``"go"``, a model of Go net/http's replay rule, not Go
itself (:mod:`httplab.experiments.libraries` says what each does).

RFC 9110 §9.2.2: a client SHOULD NOT automatically retry a request with a non-idempotent method
unless it knows the request is idempotent in effect or can detect that the original was never
applied; a proxy MUST NOT; a client SHOULD NOT retry a failed automatic retry. Libraries differ:
check what yours does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from httplab.client.models import Exchange
from httplab.display import render
from httplab.errors import InvalidRequestError
from httplab.experiments.calls import (
    Call,
    LabLike,
    exchange_to_dict,
    jsonable,
    prepare,
    resources_state,
    state_key,
    yes_no,
)
from httplab.experiments.libraries import CLIENTS, RUNNERS, client_setting, library_name
from httplab.experiments.verdicts import CAVEAT, IDEMPOTENT_METHODS
from httplab.http.faults import FAULT_HEADER, drop_first
from httplab.http.status import status_text
from httplab.i18n import _, ngettext, pgettext

__all__ = ["CLIENTS", "ClientRetryResult", "SocketLab", "retry_with_client"]

_ITEMS = re.compile(r"/lab/items(/[^/?#]+)?/?(\?.*)?")


class SocketLab(LabLike, Protocol):
    """A lab the libraries can reach: it has a URL and says whether it is in-process."""

    @property
    def url(self) -> str:
        """The lab's base URL."""

    @property
    def in_process(self) -> bool:
        """True when the lab has no socket."""


# ------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class ClientRetryResult:
    """What a real client library did after the server applied a request and lost its response.

    Attributes
    ----------
    client
        ``"requests"``, ``"urllib3"``, ``"urllib3-any-method"``, ``"httpx"`` or ``"go"``.
    setting
        How the library was set up, with the values read from it.
    call
        The request (without the fault header).
    received
        How many times the request reached the server (from the lab's request counts); every
        attempt was applied or refused by the lab's own rules, and only the first lost its response.
    status
        The status the library returned in the end, or None.
    error
        The exception's class name when the library raised one, or None.
    detail
        The exception's message, or "".
    before, final
        The resources' state before the first attempt and at the end.
    if_match
        The ``If-Match`` sent with every attempt, or None.
    other_write
        The exchange of another client's write between the lost attempt and any retry (or after
        the library gave up), or None.
    after_first, after_other
        The state when the other client came in, and right after its write (only with *other_write*).
    setup
        The exchanges that prepared the state.

    """

    client: str
    setting: str
    call: Call
    received: int
    status: int | None
    error: str | None
    detail: str
    before: dict[str, Any]
    final: dict[str, Any]
    if_match: str | None = None
    other_write: Exchange | None = None
    after_first: dict[str, Any] | None = None
    after_other: dict[str, Any] | None = None
    setup: tuple[Exchange, ...] = ()

    @property
    def retried(self) -> bool:
        """True when the library sent the request more than once."""
        return self.received > 1

    @property
    def client_saw(self) -> str:
        """What the program got back: ``"201 Created"`` or ``"error: ConnectionError"``."""
        return status_text(self.status) if self.error is None else _("error: {name}").format(name=self.error)

    @property
    def other_write_undone(self) -> bool:
        """True when the retry changed the state after another client's write: that write is lost."""
        return self.after_other is not None and state_key(self.after_other) != state_key(self.final)

    @property
    def explanation(self) -> str:
        """Say what the library did, what the server did, and what RFC 9110 says about it."""
        method = self.call.method
        if self.received == 1:
            reached = _("The request reached the server once; the program saw {saw}.")
        elif self.received == 2:
            reached = _("The request reached the server twice; the program saw {saw}.")
        else:
            reached = ngettext(
                "The request reached the server {times} time; the program saw {saw}.",
                "The request reached the server {times} times; the program saw {saw}.",
                self.received,
            )
        parts = [
            _("{library} sent {method} and the server applied it, then lost the response.").format(
                library=library_name(self.client), method=method
            ),
            reached.format(times=self.received, saw=self.client_saw),
        ]
        if not self.retried:
            parts.append(
                _("It did not retry: the program got an error for a request the server had applied.")
                if self.error is not None
                else _("It did not retry.")
            )
        elif method not in IDEMPOTENT_METHODS:
            parts.append(
                _(
                    "It retried a {method}, a method not defined as idempotent: RFC 9110 §9.2.2 says a client SHOULD "
                    "NOT do that automatically unless it knows the request is idempotent in effect or can tell the "
                    "original was never applied."
                ).format(method=method)
            )
        else:
            parts.append(
                _(
                    "It retried: {method} is idempotent, so one more {method} leaves the state one leaves, as long "
                    "as nobody else writes in between."
                ).format(method=method)
            )
        if self.other_write is not None:
            if self.other_write_undone:
                parts.append(
                    _(
                        "Another client wrote in between, and the retry overwrote that write: retrying even an "
                        "idempotent request can undo someone else's change."
                    )
                )
            elif self.retried and self.if_match is not None and self.status == 412:
                parts.append(
                    _(
                        "Another client wrote in between; the retry carried If-Match with the ETag read before, got "
                        "412 and changed nothing, so the other write was kept. A 412 does not say whose write moved "
                        "the ETag: GET the item to find out."
                    )
                )
            elif self.retried:
                parts.append(_("Another client wrote in between, and its write was kept."))
            else:
                parts.append(
                    _("Another client wrote after the lost attempt; no retry followed, so its write was kept.")
                )
        parts.append(_("Libraries differ, and change between versions: check what yours does."))
        parts.append(_(CAVEAT))
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return everything as plain JSON-serialisable data."""
        return {
            "client": self.client,
            "setting": self.setting,
            "call": self.call.to_dict(),
            "received": self.received,
            "retried": self.retried,
            "status": self.status,
            "error": self.error,
            "detail": self.detail,
            "client_saw": self.client_saw,
            "if_match": self.if_match,
            "other_write": None if self.other_write is None else exchange_to_dict(self.other_write),
            "other_write_undone": self.other_write_undone,
            "explanation": self.explanation,
            "before": self.before,
            "after_first": self.after_first,
            "after_other": self.after_other,
            "final": self.final,
            "setup": [exchange_to_dict(e) for e in self.setup],
        }

    def __repr__(self) -> str:
        return (
            f"<ClientRetryResult {self.client} {self.call.method} {self.call.path}: "
            f"received {self.received}×, saw {self.client_saw}>"
        )

    def _repr_html_(self) -> str:
        rows = [
            (pgettext("row", "library"), render.esc(self.setting)),
            (_("times the server received it"), str(self.received)),
            (_("what the program saw"), render.esc(self.client_saw + (f" ({self.detail})" if self.detail else ""))),
        ]
        if self.if_match is not None:
            rows.append((_("If-Match sent"), f"<code>{render.esc(self.if_match)}</code>"))
        if self.other_write is not None:
            rows.append((_("another client's write"), render.badges([self.other_write])))
            rows.append((_("undone by the retry?"), yes_no(self.other_write_undone)))
        blocks = [render.json_block(_("state before"), self.before)]
        if self.after_other is not None:
            blocks.append(render.json_block(_("state after the other client's write"), self.after_other))
        blocks.append(render.json_block(_("state at the end"), self.final))
        return render.box(
            _("{request} with {library}, first response lost").format(
                request=render.request_line(self.call.method, self.call.path),
                library=render.esc(library_name(self.client)),
            ),
            "<div>"
            + render.verdict_chip(pgettext("verdict", "retried"), self.retried)
            + (render.verdict_chip(_("other write undone"), self.other_write_undone) if self.other_write else "")
            + "</div>",
            render.table(("", ""), rows),
            render.paragraph(self.explanation),
            *blocks,
        )


def _body(call: Call) -> tuple[dict[str, str], bytes | None]:
    headers = call.headers
    extra = set(call.options) - {"json", "content", "headers"}
    if extra:
        raise InvalidRequestError(
            _("A library run sends json=, content= or headers=; {names} is not supported here.").format(
                names=", ".join(sorted(extra))
            )
        )
    if "json" in call.options:
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json"
        return headers, json.dumps(jsonable(call.options["json"])).encode()
    content = call.options.get("content")
    return headers, content.encode() if isinstance(content, str) else content


def retry_with_client(
    lab: SocketLab,
    method: str,
    path: str,
    *,
    client: str,
    setup: Iterable[Call | Sequence[Any]] = (),
    reset: bool = True,
    if_match: bool = False,
    other_write: Call | Sequence[Any] | None = None,
    **request: Any,
) -> ClientRetryResult:
    """Lose the first response on purpose and let a real client library decide what to do next.

    Parameters
    ----------
    lab
        A lab with a socket (``httplab.start()``; not ``in_process=True``).
    method, path
        The request; *path* is under ``/lab/items``, where the lab counts requests.
    client
        One of :data:`CLIENTS`.
    setup
        Requests sent first (each must succeed).
    reset
        Empty the lab before the setup requests.
    if_match
        Read the item's ETag after the setup and send it as ``If-Match`` with every attempt.
    other_write
        A request another client sends after the lost attempt: before the library's retry if it
        retries, else once it has given up. E.g. ``("PUT", "/lab/items/x", {"json": {...}})``.
    **request
        ``json=``, ``content=`` or ``headers=``.

    Examples
    --------
    >>> import httplab
    >>> with httplab.Lab() as lab:
    ...     result = retry_with_client(lab, "POST", "/lab/items", client="requests", json={"order": "tea"})
    >>> result.received, result.error
    (1, 'ConnectionError')

    """
    setting = client_setting(client)
    if getattr(lab, "in_process", False):
        raise InvalidRequestError(
            _(
                "A real client library needs a lab with a socket, and this lab is in-process. Use httplab.start() "
                "or httplab.Lab() without in_process=True."
            )
        )
    if not _ITEMS.fullmatch(path):
        raise InvalidRequestError(
            _(
                "{path!r} is not under /lab/items. A library run counts the attempts with the lab's request counts, "
                "kept for /lab/items and /lab/items/<id>: use such a path."
            ).format(path=path)
        )
    call = Call(method, path, **request).without_header(FAULT_HEADER)
    other = None if other_write is None else Call.coerce(other_write)
    prepared = prepare(lab, setup, reset=reset)
    etag = None
    if if_match:
        read = lab.send("GET", path)
        etag = read.response.headers.get("ETag") if read.response is not None else None
        if etag is None:
            raise InvalidRequestError(
                _(
                    "if_match=True needs an item to read an ETag from, but GET {path} gave {status}. "
                    "Create it in setup=, e.g. setup=[('PUT', path, {{'json': {{...}}}})]."
                ).format(path=path, status=read.status_text)
            )
        call = call.without_header("If-Match").with_headers(If_Match=etag)
    headers, body = _body(call)
    headers[FAULT_HEADER] = drop_first(1)
    before_state = lab.state()
    before = resources_state(before_state)
    seen: dict[str, Any] = {}

    def pause() -> None:
        if other is None or "other" in seen:
            return
        seen["after_first"] = resources_state(lab.state())
        seen["other"] = other.send(lab)
        seen["after_other"] = resources_state(lab.state())

    base = lab.url.rstrip("/")
    status, error = RUNNERS[client](base + path, base + "/lab/state", call.method, headers, body,
                                     None if other is None else pause)
    pause()
    after_state = lab.state()
    received = after_state["requests"].get(call.method, 0) - before_state["requests"].get(call.method, 0)
    if other is not None and other.method == call.method and _ITEMS.fullmatch(other.path):
        received -= 1
    return ClientRetryResult(
        client=client,
        setting=setting,
        call=call,
        received=received,
        status=status,
        error=None if error is None else type(error).__name__,
        detail="" if error is None else _short(error),
        before=before,
        final=resources_state(after_state),
        if_match=etag,
        other_write=seen.get("other"),
        after_first=seen.get("after_first"),
        after_other=seen.get("after_other"),
        setup=prepared,
    )


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 160 else text[:157] + "…"


