"""Small WSGI helpers shared by the lab's resources: requests, responses, validators."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from httplab.http.grammar import JSON_MISTAKES
from httplab.http.status import reason_phrase
from httplab.i18n import L_, LazyText, get_language, negotiate
from httplab.server._language import Detail, in_language, number

StartResponse = Callable[..., Any]
WSGIEnviron = dict[str, Any]
WSGIApp = Callable[[WSGIEnviron, StartResponse], Iterable[bytes]]

#: Every method RFC 9110 defines, plus PATCH (RFC 5789). Anything else is "unrecognised" (501).
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})

MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 64
#: The longest integer the lab reads (Python's own default limit for int <-> str).
MAX_INT_DIGITS = 4300

#: A JSON escape for half of a UTF-16 surrogate pair; alone, it is not a character UTF-8 can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"

class HTTPProblem(Exception):
    """An error response, raised anywhere inside a handler and rendered as problem+json.

    *detail* is late-translated text (``L_("...")``): each request reads it in its own language;
    ``str(problem.detail)`` gives the kit's language.
    """

    def __init__(self, status: int, detail: Detail, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


@dataclass
class Reply:
    """A response a handler returns: status, headers and body bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, value: Any, headers: dict[str, str] | None = None) -> Reply:
        """Build a JSON reply with the canonical encoding."""
        return cls(status, {"Content-Type": JSON, **(headers or {})}, canonical_json(value))

    @classmethod
    def problem(cls, problem: HTTPProblem, language: str | None = None) -> Reply:
        """Render an :class:`HTTPProblem` as RFC 9457 problem details, its detail in *language*.

        *language* defaults to the kit's; ``Content-Language`` names it, and ``Vary: Accept-Language``
        tells caches that another request may get another language. The title stays the reason
        phrase, protocol text in every language.
        """
        code = language or get_language()
        body = {
            "type": "about:blank",
            "title": reason_phrase(problem.status),
            "status": problem.status,
            "detail": in_language(problem.detail, code),
        }
        headers = {"Content-Type": PROBLEM_JSON, **problem.headers, "Content-Language": code}
        vary = headers.get("Vary")
        headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        return cls(problem.status, headers, canonical_json(body))

    @classmethod
    def problem_for(cls, environ: WSGIEnviron, problem: HTTPProblem) -> Reply:
        """Render *problem* in the language the request's ``Accept-Language`` asks for."""
        return cls.problem(problem, negotiate(header(environ, "Accept-Language")))


class ReplyApp:
    """A WSGI application whose ``_dispatch`` returns a :class:`Reply` or raises :class:`HTTPProblem`."""

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one WSGI request."""
        try:
            reply = self._dispatch(environ)
        except HTTPProblem as problem:
            reply = Reply.problem_for(environ, problem)
        return respond(environ, start_response, reply)

    def _dispatch(self, environ: WSGIEnviron) -> Reply:
        raise NotImplementedError


def canonical_json(value: Any) -> bytes:
    """Encode JSON the one way the lab always does, so equal documents give equal bytes."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode()


def etag_for(body: bytes) -> str:
    """Return a strong, quoted entity tag (RFC 9110 §8.8.3) that changes exactly with the bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def status_line(status: int) -> str:
    """Return ``"201 Created"`` for 201."""
    return f"{status} {reason_phrase(status)}"


def cache_control(method: str, headers: dict[str, str]) -> str | None:
    """Return the ``Cache-Control`` a lab answer to *method* gets when its handler set none, or None.

    The lab's state changes whenever any client sends an unsafe request, so a cache should not
    reuse an answer to GET or HEAD on its own guess of how long it stays fresh (RFC 9111 §4.2.2). With an
    ETag, ``no-cache`` lets a cache keep it but check with the lab first, which an If-None-Match
    makes cheap (a 304, RFC 9111 §5.2.2.4); without a validator there is nothing to check with,
    so ``no-store`` (§5.2.2.5). Other methods get none: a POST or PATCH answer is reused only with
    explicit freshness and a matching Content-Location (RFC 9110 §9.3.3), which the lab never sends,
    and PUT and DELETE answers are never reused.

    >>> cache_control("GET", {"ETag": '"abc"'}), cache_control("HEAD", {}), cache_control("PUT", {})
    ('no-cache', 'no-store', None)
    """
    names = {name.lower() for name in headers}
    if method not in ("GET", "HEAD") or "cache-control" in names:
        return None
    return "no-cache" if "etag" in names else "no-store"


def respond(environ: WSGIEnviron, start_response: StartResponse, reply: Reply) -> list[bytes]:
    """Send *reply*; a HEAD request gets the same header fields and no content (RFC 9110 §9.3.2).

    Answers to GET and HEAD, 304 included (RFC 9110 §15.4.5), say how caches may reuse them
    (:func:`cache_control`).
    """
    headers = dict(reply.headers)
    directive = cache_control(str(environ["REQUEST_METHOD"]), headers)
    if directive is not None:
        headers["Cache-Control"] = directive
    if reply.status not in (204, 304):
        headers["Content-Length"] = str(len(reply.body))
    start_response(status_line(reply.status), list(headers.items()))
    if environ["REQUEST_METHOD"] == "HEAD" or reply.status in (204, 304):
        return [b""]
    return [reply.body]


def header(environ: WSGIEnviron, name: str) -> str | None:
    """Return a request header field by its name, or None."""
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return environ.get(key) or None
    value = environ.get("HTTP_" + key)
    return None if value is None else str(value)


def path_info(environ: WSGIEnviron) -> str:
    """Return PATH_INFO as the client wrote it: PEP 3333 hands it over as latin-1, URLs carry UTF-8."""
    path = str(environ.get("PATH_INFO", ""))
    try:
        return path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path


def media_type(environ: WSGIEnviron) -> str | None:
    """Return the request's media type without parameters, lower-cased, or None."""
    value = header(environ, "Content-Type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def read_body(environ: WSGIEnviron, limit: int = MAX_BODY_BYTES) -> bytes:
    """Read the request content, refusing more than *limit* bytes with 413."""
    length_text = environ.get("CONTENT_LENGTH") or ""
    stream = environ.get("wsgi.input")
    too_large = HTTPProblem(
        413,
        L_(
            "The request content is larger than the lab accepts ({limit:,} bytes). Send a smaller body.",
            limit=number(limit),
        ),
    )
    if length_text:
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0:
            raise HTTPProblem(
                400, L_("Content-Length {value!r} is not a number of bytes. Let your client set it.", value=length_text)
            )
        if length > limit:
            raise too_large
        return stream.read(length) if stream is not None and length > 0 else b""
    if stream is None:
        return b""
    data: bytes = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def parse_json(body: bytes) -> Any:
    """Parse JSON content strictly, with a message that says where it broke (400)."""
    if not body.strip():
        raise HTTPProblem(400, L_("The request has no content, but JSON was expected. Send a JSON document."))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HTTPProblem(
            400,
            L_(
                "The content is not valid UTF-8 (bad byte at position {position}); JSON must be UTF-8.",
                position=error.start,
            ),
        ) from None
    try:
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
            object_pairs_hook=_unique_members,
        )
    except json.JSONDecodeError as error:
        raise HTTPProblem(
            400,
            L_(
                "Invalid JSON at line {line}, column {column}: {problem}.",
                line=error.lineno,
                column=error.colno,
                problem=_json_error(error.msg),
            ),
        ) from None
    except RecursionError:
        raise HTTPProblem(400, _too_deep()) from None
    except ValueError as error:
        raise HTTPProblem(400, L_("Invalid JSON: {problem}.", problem=error.args[0])) from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise HTTPProblem(400, _too_deep())
    if _SURROGATE_ESCAPE.search(text):
        try:
            canonical_json(value)
        except UnicodeEncodeError as error:
            raise HTTPProblem(
                400,
                L_(
                    "The JSON has an escape for half a character (U+{code:04X}, a lone UTF-16 surrogate) that no "
                    "UTF-8 text can hold. Escape the whole pair, or send the character itself.",
                    code=ord(error.object[error.start]),
                ),
            ) from None
    return value


def _too_deep() -> LazyText:
    return L_("The JSON is nested too deeply (the lab accepts {levels} levels).", levels=MAX_JSON_DEPTH)


def _json_error(message: str) -> Detail:
    """Return the JSON parser's *message* as late text when the catalogues know it, else as it is."""
    return L_(message) if message in JSON_MISTAKES else message


def _reject_constant(name: str) -> Any:
    raise ValueError(L_("{name} is not allowed in JSON", name=name))


def _finite_float(text: str) -> float:
    # Python reads 1e999 as infinity, which the lab could only write back as the non-JSON word Infinity.
    value = float(text)
    if math.isinf(value):
        shown = text if len(text) <= 20 else text[:17] + "..."
        raise ValueError(L_("the number {number} is too large: it is beyond what a 64-bit float holds", number=shown))
    return value


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise ValueError(
            L_(
                "a number with {digits:,} digits is too long; the lab reads up to {limit:,}",
                digits=number(digits),
                limit=number(MAX_INT_DIGITS),
            )
        )
    return int(text)


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Duplicate names make a document ambiguous (RFC 8259 §4; RFC 6902 Appendix A.13):
    # refuse them instead of silently keeping the last one.
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise ValueError(L_("the member {name!r} appears twice in one object; keep only one", name=name))
        result[name] = value
    return result


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest
