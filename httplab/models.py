"""Immutable records of what was sent and what came back: Request, Response, Exchange."""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from httplab._status import reason_phrase

__all__ = ["Exchange", "Headers", "Request", "Response", "describe_status", "status_text"]

#: Bodies longer than this are cut in the wire view (the full bytes stay on the record).
WIRE_BODY_LIMIT = 16 * 1024


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
        for k, _ in self._fields:
            if k.lower() not in seen:
                seen.add(k.lower())
                yield k

    def __len__(self) -> int:
        return len({k.lower() for k, _ in self._fields})

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

    """

    request: Request
    response: Response | None
    elapsed: float
    error: str | None = None

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
        return "no response" if self.response is None else self.response.status_text

    @property
    def raw_request(self) -> str:
        """The request as HTTP/1.1 text on the wire."""
        req = self.request
        lines = [f"{req.method} {req.target} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in req.headers.fields]
        return "\r\n".join(lines) + "\r\n\r\n" + _wire_body(req.body, req.headers)

    @property
    def raw_response(self) -> str:
        """The response as HTTP/1.1 text on the wire (or a note that none came)."""
        resp = self.response
        if resp is None:
            return f"(no response: {self.error})"
        lines = [f"{resp.http_version} {resp.status} {resp.reason}".rstrip()]
        lines += [f"{k}: {v}" for k, v in resp.headers.fields]
        return "\r\n".join(lines) + "\r\n\r\n" + _wire_body(resp.body, resp.headers)

    def __repr__(self) -> str:
        return f"<Exchange {self.request.method} {self.request.target} → {self.status_text}>"

    def _repr_html_(self) -> str:
        return (
            f"<div class='httplab-exchange'><code>{html.escape(self.request.method)} "
            f"{html.escape(self.request.target)}</code> → {status_badge(self.status)}"
            f" <small>{self.elapsed * 1000:.1f} ms</small>"
            f"<details><summary>on the wire</summary><pre>{html.escape(self.raw_request)}</pre>"
            f"<pre>{html.escape(self.raw_response)}</pre></details></div>"
        )


def _wire_body(body: bytes, headers: Headers) -> str:
    if not body:
        return ""
    content_type = headers.get("Content-Type", "")
    if content_type.split(";", 1)[0].strip().lower().startswith("multipart/"):
        boundary = _boundary(content_type)
        multipart = _wire_multipart(body, boundary) if boundary else None
        if multipart is not None:
            return multipart
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        kind = content_type or "unknown type"
        return f"<{len(body):,} bytes of binary data ({kind}) not shown>"
    if len(text) > WIRE_BODY_LIMIT:
        return text[:WIRE_BODY_LIMIT] + f"\n… ({len(body):,} bytes in all; the rest is not shown)"
    return text


_BOUNDARY = re.compile(r';\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _boundary(content_type: str) -> str | None:
    """Return the ``boundary`` parameter of a multipart Content-Type, or None."""
    match = _BOUNDARY.search(content_type)
    return None if match is None else match.group(1) or match.group(2)


def _wire_multipart(body: bytes, boundary: str) -> str | None:
    """Show a multipart body part by part: headers as sent, text shown, binary summarised.

    Returns None when *body* has no part delimited by *boundary*, so the caller falls
    back to the plain view.
    """
    delimiter = b"--" + boundary.encode("latin-1", errors="replace")
    preamble, *parts = body.split(delimiter)
    if not parts:
        return None
    lines = [preamble.decode("utf-8", errors="replace").rstrip("\r\n")] if preamble.strip() else []
    for chunk in parts:
        if chunk.startswith(b"--"):
            lines.append(f"--{boundary}--")
            epilogue = chunk[2:].strip()
            if epilogue:
                lines.append(epilogue.decode("utf-8", errors="replace"))
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            # A part without a blank line is all header fields and no content.
            head, content = chunk, b""
        lines.append(f"--{boundary}")
        lines.extend(head.decode("utf-8", errors="replace").split("\r\n") if head else [])
        lines.append("")
        lines.append(_wire_part(content, _part_type(head)))
    return "\r\n".join(lines)


def _part_type(head: bytes) -> str | None:
    """Return a part's Content-Type from its header block, or None."""
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            return value.strip() or None
    return None


def _wire_part(content: bytes, kind: str | None) -> str:
    """Show a part's content as text, or as one line giving its size and media type."""
    if not content:
        return ""
    try:
        text: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or _NOT_TEXT.search(text):
        return f"<{len(content):,} bytes of {kind or 'binary data'}>"
    if len(text) > WIRE_BODY_LIMIT:
        return text[:WIRE_BODY_LIMIT] + f"\n… ({len(content):,} bytes in this part; the rest is not shown)"
    return text


def status_text(status: int | None) -> str:
    """Return ``"201 Created"`` for 201, ``"no response"`` for None.

    >>> status_text(404)
    '404 Not Found'
    """
    if status is None:
        return "no response"
    return f"{status} {reason_phrase(status)}".strip()


_MEANINGS = {
    200: "OK: the request succeeded; the content is the result.",
    201: "Created: a new resource was made; the Location header says where.",
    202: "Accepted: the server will process the request later.",
    204: "No Content: the request succeeded and there is nothing more to send.",
    206: "Partial Content: part of the representation, as the Range header asked.",
    301: "Moved Permanently: the resource has a new URI (Location).",
    302: "Found: look at the URI in Location for now.",
    303: "See Other: fetch the result with GET from the URI in Location.",
    304: "Not Modified: your cached copy (its ETag matched) is still current.",
    307: "Temporary Redirect: repeat the same request at the URI in Location.",
    308: "Permanent Redirect: repeat the same request at the URI in Location, from now on.",
    400: "Bad Request: the request itself is malformed (bad JSON, for example).",
    401: "Unauthorized: credentials are missing or wrong.",
    402: "Payment Required: reserved for future use.",
    403: "Forbidden: the server understood but refuses.",
    404: "Not Found: nothing is at this URI (after a DELETE, that is the goal).",
    405: "Method Not Allowed: this resource does not support the method; Allow lists what it does.",
    406: "Not Acceptable: no representation matches your Accept header.",
    409: "Conflict: the request conflicts with the resource's current state.",
    410: "Gone: the resource was here and is permanently gone.",
    412: "Precondition Failed: an If-Match or If-None-Match condition was false; nothing was changed.",
    413: "Content Too Large: the request content is bigger than the server accepts.",
    415: "Unsupported Media Type: the server does not accept this Content-Type here.",
    418: "I'm a teapot: an April Fools' joke code, unused in practice.",
    422: "Unprocessable Content: well-formed, but the server cannot process what it says.",
    428: "Precondition Required: send If-Match (or If-None-Match) to avoid lost updates.",
    429: "Too Many Requests: slow down.",
    500: "Internal Server Error: the server failed.",
    501: "Not Implemented: the server does not recognise the method.",
    502: "Bad Gateway: an upstream server sent a bad response.",
    503: "Service Unavailable: try again later.",
    504: "Gateway Timeout: an upstream server did not answer in time.",
    507: "Insufficient Storage: the server has no room to store this.",
}


def describe_status(status: int | None) -> str:
    """Explain a status code in one line a learner understands.

    >>> describe_status(201)
    'Created: a new resource was made; the Location header says where.'
    """
    if status is None:
        return "No response arrived: the server may or may not have applied the request."
    if status in _MEANINGS:
        return _MEANINGS[status]
    classes = {
        1: "Informational",
        2: "Success",
        3: "Redirection",
        4: "Client error: something about the request",
        5: "Server error: something went wrong on the server",
    }
    return f"{status_text(status)} — {classes.get(status // 100, 'a non-standard code')}."


_BADGE_COLOURS = {2: "#1a7f37", 3: "#0969da", 4: "#bc4c00", 5: "#cf222e"}


def status_badge(status: int | None) -> str:
    """Return an HTML badge whose text carries the meaning (colour only repeats it)."""
    colour = _BADGE_COLOURS.get((status or 0) // 100, "#57606a")
    label = html.escape(status_text(status))
    return (
        f"<span class='httplab-badge' title='{html.escape(describe_status(status))}' "
        f"style='background:{colour};color:#fff;border-radius:4px;padding:1px 6px;margin:1px;"
        f"display:inline-block;white-space:nowrap;font-family:monospace;font-weight:600'>{label}</span>"
    )


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
