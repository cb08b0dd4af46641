"""Turn the bytes of an exchange into wire text a learner can read: heads exactly, bodies shown or summarised."""

from __future__ import annotations

import codecs
import re

from httplab.i18n import _

__all__ = ["WIRE_BODY_LIMIT", "body_text", "field", "split_request", "split_response", "wire_body_text"]

#: Bodies longer than this are cut in the wire view (the full bytes stay on the record).
WIRE_BODY_LIMIT = 16 * 1024

# h11, which parses the response, ends a head at the first empty line, with or without its CR.
_BLANK_LINE = re.compile(rb"\n\r?\n")
# An interim (1xx) response comes before the final one; 101 Switching Protocols is final.
_INTERIM = re.compile(rb"HTTP/\d\.\d[ \t]+1(?!01)\d\d")
_BOUNDARY = re.compile(r';\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))', re.IGNORECASE)
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def split_request(data: bytes) -> tuple[bytes, bytes]:
    """Split the bytes a request wrote into its head (through the empty line) and what followed."""
    end = _head_end(data, 0)
    return (data, b"") if end < 0 else (data[:end], data[end:])


def split_response(data: bytes) -> tuple[bytes, bytes]:
    """Split the bytes read for a response into its heads (interim 1xx ones included) and its body."""
    start = 0
    while True:
        end = _head_end(data, start)
        if end < 0:
            return data, b""
        if data[start + 9 : start + 10] != b"1" or not _INTERIM.match(data, start):
            return data[:end], data[end:]
        start = end


def _head_end(data: bytes, start: int) -> int:
    """Return where the head starting at *start* ends (after its empty line), or -1."""
    crlf, lf = data.find(b"\n\r\n", start), data.find(b"\n\n", start)
    if lf < 0 or 0 <= crlf < lf:
        return -1 if crlf < 0 else crlf + 3
    return lf + 2


def field(head: bytes, name: str) -> str:
    """Return the value of header field *name* in the last head of *head*, repeats joined by ``", "``."""
    ends = [match.end() for match in _BLANK_LINE.finditer(head)]
    last = head[ends[-2] :] if len(ends) > 1 else head  # each head ends with its own empty line
    wanted = name.lower()
    values = []
    for line in last.split(b"\n")[1:]:
        key, separator, value = line.decode("latin-1").partition(":")
        if separator and key.strip().lower() == wanted:
            values.append(value.strip())
    return ", ".join(values)


def wire_body_text(kept: bytes, size: int, head: bytes, record_body: bytes) -> str:
    """Show a body as it crossed the socket.

    Parameters
    ----------
    kept
        The first bytes of the body as they crossed (framing and compression included).
    size
        How many body bytes crossed in all.
    head
        The head the body followed, for its framing and media type.
    record_body
        The body on the record (de-chunked and decoded by httpx).

    """
    if size == 0:
        return ""
    content_type = field(head, "Content-Type")
    if size == len(record_body) and record_body.startswith(kept):
        return body_text(record_body, content_type)  # it crossed as it is on the record
    coding = field(head, "Content-Encoding")
    chunked = "chunked" in field(head, "Transfer-Encoding").lower()
    if coding and coding.lower() != "identity":
        if chunked:
            summary = _("<{size:,} bytes of {coding}-compressed content in chunked framing not shown>")
        else:
            summary = _("<{size:,} bytes of {coding}-compressed content not shown>")
        return summary.format(size=size, coding=coding)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(kept[:WIRE_BODY_LIMIT], final=size <= WIRE_BODY_LIMIT)
    except UnicodeDecodeError:
        text = None
    if text is None or _NOT_TEXT.search(text):
        if chunked:
            summary = _("<{size:,} bytes of binary data ({kind}) in chunked framing not shown>")
        else:
            summary = _("<{size:,} bytes of binary data ({kind}) not shown>")
        return summary.format(size=size, kind=content_type or _("unknown type"))
    if size > WIRE_BODY_LIMIT:
        return text + "\n" + _("… ({size:,} bytes in all; the rest is not shown)").format(size=size)
    return text


def body_text(body: bytes, content_type: str) -> str:
    """Show a body: text as it is (cut when long), multipart part by part, binary data summarised."""
    if not body:
        return ""
    if content_type.split(";", 1)[0].strip().lower().startswith("multipart/"):
        boundary = _boundary(content_type)
        multipart = _multipart_text(body, boundary) if boundary else None
        if multipart is not None:
            return multipart
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        kind = content_type or _("unknown type")
        return _("<{size:,} bytes of binary data ({kind}) not shown>").format(size=len(body), kind=kind)
    if len(text) > WIRE_BODY_LIMIT:
        return text[:WIRE_BODY_LIMIT] + "\n" + _("… ({size:,} bytes in all; the rest is not shown)").format(
            size=len(body)
        )
    return text


def _boundary(content_type: str) -> str | None:
    """Return the ``boundary`` parameter of a multipart Content-Type, or None."""
    match = _BOUNDARY.search(content_type)
    return None if match is None else match.group(1) or match.group(2)


def _multipart_text(body: bytes, boundary: str) -> str | None:
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
        lines.append(_part_text(content, _part_type(head)))
    return "\r\n".join(lines)


def _part_type(head: bytes) -> str | None:
    """Return a part's Content-Type from its header block, or None."""
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            return value.strip() or None
    return None


def _part_text(content: bytes, kind: str | None) -> str:
    """Show a part's content as text, or as one line giving its size and media type."""
    if not content:
        return ""
    try:
        text: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or _NOT_TEXT.search(text):
        if kind:
            return _("<{size:,} bytes of {kind}>").format(size=len(content), kind=kind)
        return _("<{size:,} bytes of binary data>").format(size=len(content))
    if len(text) > WIRE_BODY_LIMIT:
        return text[:WIRE_BODY_LIMIT] + "\n" + _("… ({size:,} bytes in this part; the rest is not shown)").format(
            size=len(content)
        )
    return text
