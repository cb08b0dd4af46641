"""Immutable records of what was sent and what came back: Request, Response, Exchange."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from httplab.client._wiretext import WIRE_BODY_LIMIT, body_text, split_request, split_response, wire_body_text
from httplab.i18n import N_, _

__all__ = ["Exchange", "Headers", "Request", "Response", "Wire"]

#: What the wire view says when no bytes were captured and the client gave no reason
#: (an English message id: show it with ``_(RECONSTRUCTED)``).
RECONSTRUCTED = N_(
    "Reconstructed: no bytes of this exchange were captured at a socket; "
    "this text is rebuilt from the recorded request and response."
)


class Headers(Mapping[str, str]):
    """Header fields in the order they were sent; names match case-insensitively.

    >>> h = Headers([("Content-Type", "application/json")])
    >>> h["content-type"]
    'application/json'
    """

    __slots__ = ("_fields",)

    def __init__(self, fields: Any = ()) -> None:
        pairs = fields.items() if isinstance(fields, Mapping) else fields
        self._fields: tuple[tuple[str, str], ...] = tuple((str(k), str(v)) for k, v in pairs)

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def get_list(self, name: str) -> list[str]:
        """Return every value sent under *name*."""
        lowered = name.lower()
        return [v for k, v in self._fields if k.lower() == lowered]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_list(name))

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for k, _value in self._fields:
            if k.lower() not in seen:
                seen.add(k.lower())
                yield k

    def __len__(self) -> int:
        return len({k.lower() for k, _value in self._fields})

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """Every (name, value) pair, repeats included, in order."""
        return self._fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Headers) and self._fields == other._fields

    def __hash__(self) -> int:
        return hash(self._fields)

    def __repr__(self) -> str:
        return f"Headers({list(self._fields)!r})"


@dataclass(frozen=True)
class Request:
    """The request as it went out."""

    method: str
    url: str
    headers: Headers
    body: bytes = b""

    @property
    def target(self) -> str:
        """The request target as on the request line: the path and query."""
        rest = self.url.split("://", 1)[-1]
        slash = rest.find("/")
        return rest[slash:] if slash >= 0 else "/"


@dataclass(frozen=True)
class Response:
    """The response as it came back (content already decoded from any Content-Encoding)."""

    status: int
    reason: str
    headers: Headers
    body: bytes = b""
    http_version: str = "HTTP/1.1"

    @functools.cached_property
    def json(self) -> Any:
        """The parsed content when the media type is JSON (or ``+json``), else None."""
        return parse_json_body(self.body, self.headers.get("Content-Type"))

    @property
    def text(self) -> str:
        """The body as text (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    @property
    def status_text(self) -> str:
        """``"201 Created"``."""
        return f"{self.status} {self.reason}".strip()


@dataclass(frozen=True)
class Wire:
    r"""The bytes of one exchange as they crossed the socket.

    Heads are kept byte for byte. Of each body, the first ``WIRE_BODY_LIMIT`` bytes are kept as
    they crossed (chunked framing and compression included), with the count of all of them.

    Attributes
    ----------
    request_head
        The request line and header fields as written, through the empty line.
    request_body, request_body_size
        The start of what was written after the head, and how many bytes that was in all.
    response_head
        Every response head read, interim (1xx) ones first, through the final head's empty line.
    response_body, response_body_size
        The start of what was read after the final head, and how many bytes that was in all.

    Examples
    --------
    >>> wire = Wire.from_bytes(b"GET / HTTP/1.1\r\nhost: a\r\n\r\n", b"HTTP/1.1 204 No Content\r\n\r\n")
    >>> wire.request_head
    b'GET / HTTP/1.1\r\nhost: a\r\n\r\n'

    """

    request_head: bytes
    request_body: bytes = b""
    request_body_size: int = 0
    response_head: bytes = b""
    response_body: bytes = b""
    response_body_size: int = 0

    @classmethod
    def from_bytes(
        cls, sent: bytes, received: bytes, *, sent_size: int | None = None, received_size: int | None = None
    ) -> Wire:
        """Split the bytes an exchange wrote and read into heads and bodies.

        *sent_size* and *received_size* count every byte that crossed, when *sent* and
        *received* hold only the first of them.
        """
        request_head, request_body = split_request(sent)
        response_head, response_body = split_response(received)
        return cls(
            request_head=request_head,
            request_body=request_body[:WIRE_BODY_LIMIT],
            request_body_size=(len(sent) if sent_size is None else sent_size) - len(request_head),
            response_head=response_head,
            response_body=response_body[:WIRE_BODY_LIMIT],
            response_body_size=(len(received) if received_size is None else received_size) - len(response_head),
        )


@dataclass(frozen=True)
class Exchange:
    """One request and what came back: a response, or an error saying why none came.

    Attributes
    ----------
    request
        What was sent.
    response
        What came back, or None when no response arrived (see ``error``).
    elapsed
        Seconds from sending to the end of the response (or the failure).
    error
        Why no response arrived, in plain words; None when one did.
    wire
        The bytes that crossed the socket; None when none were captured, and then the wire
        text is rebuilt from ``request`` and ``response`` (see ``wire_note``).
    wire_note
        Why the wire text is reconstructed, in plain words; empty when ``wire`` holds the bytes.

    """

    request: Request
    response: Response | None
    elapsed: float
    error: str | None = None
    wire: Wire | None = None
    wire_note: str = ""

    @property
    def status(self) -> int | None:
        """The status code, or None when no response arrived."""
        return None if self.response is None else self.response.status

    @property
    def ok(self) -> bool:
        """True for a 2xx response."""
        return self.response is not None and 200 <= self.response.status < 300

    @property
    def json(self) -> Any:
        """The response's parsed JSON, or None."""
        return None if self.response is None else self.response.json

    @property
    def status_text(self) -> str:
        """``"201 Created"``, or ``"no response"``."""
        return _("no response") if self.response is None else self.response.status_text

    @property
    def wire_is_reconstructed(self) -> bool:
        """True when no bytes were captured at a socket, so the wire text is rebuilt from the record."""
        return self.wire is None

    @property
    def raw_request(self) -> str:
        """The request on the wire: its head exactly as the bytes crossed the socket, its body shown or summarised.

        When :attr:`wire_is_reconstructed` (an in-process lab has no socket), the text is
        rebuilt from the recorded request as HTTP/1.1 would carry it.
        """
        req = self.request
        wire = self.wire
        if wire is not None:
            head = wire.request_head
            return head.decode("latin-1") + wire_body_text(wire.request_body, wire.request_body_size, head, req.body)
        lines = [f"{req.method} {req.target} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in req.headers.fields]
        return "\r\n".join(lines) + "\r\n\r\n" + _wire_body(req.body, req.headers)

    @property
    def raw_response(self) -> str:
        """The response on the wire, interim (1xx) heads included, as :attr:`raw_request` shows the request.

        When no response came, a note saying why, and any bytes that arrived instead.
        """
        resp = self.response
        wire = self.wire
        if resp is None:
            note = _("(no response: {error})").format(error=self.error)
            if wire is None or not wire.response_head:
                return note
            arrived = wire.response_head + wire.response_body
            size = len(wire.response_head) + wire.response_body_size
            instead = _("What arrived instead:")
            return f"{note}\r\n{instead}\r\n" + wire_body_text(arrived, size, b"", b"")
        if wire is not None and wire.response_head:
            head = wire.response_head
            return head.decode("latin-1") + wire_body_text(wire.response_body, wire.response_body_size, head, resp.body)
        lines = [f"{resp.http_version} {resp.status} {resp.reason}".rstrip()]
        lines += [f"{k}: {v}" for k, v in resp.headers.fields]
        return "\r\n".join(lines) + "\r\n\r\n" + _wire_body(resp.body, resp.headers)

    def __repr__(self) -> str:
        return f"<Exchange {self.request.method} {self.request.target} → {self.status_text}>"

    def _repr_html_(self) -> str:
        # How an exchange looks is the display layer's business; this is the notebook's door to it,
        # imported only when a notebook shows one (see the import contract in pyproject.toml).
        from httplab.display.render import exchange_html

        return exchange_html(self)


def _wire_body(body: bytes, headers: Headers) -> str:
    """Show a body on the record as wire text (text shown, multipart part by part, binary summarised)."""
    return body_text(body, headers.get("Content-Type", ""))


def parse_json_body(body: bytes, content_type: str | None) -> Any:
    """Parse a JSON body if the media type says JSON; None otherwise or when it is invalid."""
    if not body or not content_type:
        return None
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
