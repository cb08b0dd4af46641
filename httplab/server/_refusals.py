"""What the lab's HTTP server says when it refuses a request before the application sees it.

Every refusal is an answer a learner can act on: which rule of RFC 9112 (or RFC 9110) the
request broke, and how to send it instead. :class:`Refused` carries the status and the words;
the connection loop (:mod:`httplab.server._httpconn`) sends them as problem+json and closes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import h11

from httplab.i18n import L_, LazyText
from httplab.server._language import Detail, number

__all__ = [
    "Refused",
    "body_problem",
    "head_refusal",
    "host_text",
    "obs_fold_text",
    "peer_left",
    "request_target",
    "too_large_body",
    "too_large_head",
    "too_long_line",
]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Only read when h11 has already refused a transfer coding, to tell RFC 9112's 400 from its 501.
_TRANSFER_ENCODING = re.compile(rb"\ntransfer-encoding[ \t]*:([^\r\n]*)", re.IGNORECASE)


class Refused(Exception):
    """The server answers this request itself with *status* and *detail*, then closes the connection."""

    def __init__(self, status: int, detail: Detail) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def head_refusal(error: h11.RemoteProtocolError, head: bytes, limit: int) -> Refused:
    """Turn h11's complaint about the request *head* into a kind answer (*limit*: the longest head read)."""
    text = str(error)
    if error.error_status_hint == 431:
        if b"\n" not in head[:limit]:
            return Refused(414, too_long_line(limit))
        return Refused(431, too_large_head(limit))
    if "Transfer-Encoding" in text:
        codings = [c.strip().lower() for v in _TRANSFER_ENCODING.findall(head) for c in v.split(b",")]
        if codings and codings[-1] == b"chunked" and b"chunked" not in codings[:-1]:
            # Chunked comes last, after a coding the lab cannot undo: 501 (RFC 9112 section 6.1).
            return Refused(
                501,
                L_(
                    "The lab understands only Transfer-Encoding: chunked. Send the content without other "
                    "transfer codings, or use Content-Length."
                ),
            )
        # Without chunked as the final coding, the length cannot be known: 400 (RFC 9112 section 6.3).
        return Refused(
            400,
            L_(
                "Transfer-Encoding must end with chunked, once (RFC 9112 section 6.3); the lab cannot tell "
                "where this content ends. Use Transfer-Encoding: chunked or Content-Length."
            ),
        )
    if "Host" in text:
        return Refused(400, host_text())
    if "Content-Length" in text:
        return Refused(
            400, L_("Content-Length must be one number of bytes, in digits, sent once (RFC 9112 section 6.3).")
        )
    if "continuation line" in text:
        return Refused(400, obs_fold_text())
    if "header line" in text:
        return Refused(
            400,
            L_(
                "A header line is not valid. Write Name: value, with a name of letters, digits and dashes, no "
                "space before the colon, and no line break or NUL in the value (RFC 9112 section 5)."
            ),
        )
    detail = L_(
        "The request line is not valid HTTP/1.1. It must read METHOD /path HTTP/1.1, with single spaces "
        "(RFC 9112 section 3)."
    )
    if head[:1] == b"\x16":
        detail += " " + L_("This looks like HTTPS (TLS): use an http:// address for the lab, not https://.")
    return Refused(400, detail)


def request_target(request: h11.Request) -> tuple[str, str | None]:
    """Read the request target's form (RFC 9112 section 3.2): return the path with its query, and the host it names."""
    target = request.target.decode("latin-1")
    method = request.method.decode("latin-1")
    host: str | None = None
    if target.startswith("/"):
        path = target  # origin-form, even when "://" appears later in the path
    elif _SCHEME.match(target):
        # absolute-form: its authority replaces Host (RFC 9112 section 3.2.2).
        parts = urlsplit(target)
        if not parts.netloc or "@" in parts.netloc:
            raise Refused(
                400,
                L_(
                    "The request target {target!r} has no host, or has user information, which HTTP "
                    "does not allow (RFC 9110 section 4.2.4). Write http://host/path.",
                    target=target[:80],
                ),
            )
        host = parts.netloc
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    elif target == "*" and method == "OPTIONS":
        path = "*"  # asterisk-form (RFC 9112 section 3.2.4)
    elif method == "CONNECT":
        path, host = "", target  # authority-form (RFC 9112 section 3.2.3)
    else:
        raise Refused(
            400,
            L_(
                "The request target {target!r} is not a path. Start it with / (RFC 9112 section 3.2).",
                target=target[:80],
            ),
        )
    return path, host


def peer_left(error: h11.RemoteProtocolError) -> bool:
    return "closed connection" in str(error)


def body_problem(error: h11.RemoteProtocolError) -> LazyText:
    text = str(error)
    if "chunk header" in text:
        return L_("A chunk does not start with its size in hexadecimal digits (RFC 9112 section 7.1).")
    if "chunk footer" in text:
        return L_("A chunk is longer than its size line says (RFC 9112 section 7.1).")
    if "header line" in text:
        return L_(
            "A trailer field after the chunked content is not valid: write Name: value, with no line break or "
            "NUL in the value (RFC 9112 section 7.1.2)."
        )
    if error.error_status_hint == 431:
        return L_("A chunk-size line or the trailer section is far too long (RFC 9112 section 7.1).")
    # Translators: {problem} is h11's own words, in English.
    return L_(
        "The request content is not framed the way HTTP/1.1 asks (RFC 9112 section 6): {problem}.",
        problem=text[:120],
    )


def too_long_line(limit: int) -> LazyText:
    return L_("The request line is longer than {limit:,} bytes. Send a shorter URL.", limit=number(limit))


def too_large_head(limit: int) -> LazyText:
    return L_(
        "The header section is larger than {limit:,} bytes. Send fewer or shorter header fields.", limit=number(limit)
    )


def too_large_body(limit: int) -> LazyText:
    return L_("The request content is larger than {limit:,} bytes. Send a smaller body.", limit=number(limit))


def host_text() -> LazyText:
    return L_("An HTTP/1.1 request needs exactly one Host header field (RFC 9112 section 3.2). Add Host: 127.0.0.1.")


def obs_fold_text() -> LazyText:
    return L_(
        "A header field continues on a second line (obsolete line folding, RFC 9112 section 5.2). "
        "Put each field on one line."
    )
