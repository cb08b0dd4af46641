"""Read what a learner typed into a request form, with messages that point at the mistake."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from httplab.http.grammar import JSON_MISTAKES
from httplab.i18n import N_, _
from httplab.widgets._code import FileBody

__all__ = [
    "CONTENT_TYPES",
    "JSON_CHOSEN",
    "JSON_MISTAKES",
    "METHODS",
    "PATH_SUGGESTIONS",
    "UNTYPED_BODY",
    "FormError",
    "FormRequest",
    "check_json",
    "content_type_options",
    "is_json",
    "parse_header_lines",
    "read_request",
    "read_target",
    "type_for_untyped_body",
]

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

#: (label, media type) pairs for the body's content type; "" means no body. Show them with
#: :func:`content_type_options`, which translates the labels.
CONTENT_TYPES = (
    (N_("none (no body)"), ""),
    ("JSON (application/json)", "application/json"),
    ("JSON Merge Patch (application/merge-patch+json)", "application/merge-patch+json"),
    ("JSON Patch (application/json-patch+json)", "application/json-patch+json"),
    (N_("plain text (text/plain)"), "text/plain"),
)

PATH_SUGGESTIONS = (
    "/lab",
    "/lab/items",
    "/lab/items/1",
    "/lab/state",
    "/lab/settings",
    "/get",
    "/post",
    "/put",
    "/patch",
    "/delete",
    "/anything",
    "/headers",
    "/status/200",
    "/status/201",
    "/status/204",
    "/status/404",
    "/status/503",
    "/response-headers?Cache-Control=no-store",
    "/redirect-to?url=/get",
    "/delay/1",
    "/etag/abc",
    "/cache",
    "/json",
    "/html",
    "/bytes/64",
)


#: What the Playground says when it chose JSON for a body typed with the content type "none" (translate with _).
JSON_CHOSEN = N_(
    "You typed JSON, so the content type was set to application/json; change it in the menu if you meant "
    "something else."
)

#: What a form says when its body has text that is not JSON and no content type describes it (translate with _).
UNTYPED_BODY = N_(
    "The body has text, but the content type is “none”, and the text is not JSON, so nothing was sent. "
    "Choose the type that describes your text in the Content type menu (plain text for words, for example), "
    "or clear the body to send no body."
)


def content_type_options() -> list[tuple[str, str]]:
    """Return the content type menu's (label, media type) pairs, labels in the kit's language."""
    return [(_(label), media_type) for label, media_type in CONTENT_TYPES]


class FormError(Exception):
    """The form does not describe a request that can be sent; nothing was sent."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def parse_header_lines(text: str) -> dict[str, str]:
    r"""Read ``Name: value`` lines into header fields (blank lines and ``#`` comments are skipped).

    >>> parse_header_lines("Accept: application/json\nIf-Match: \"e1\"")
    {'Accept': 'application/json', 'If-Match': '"e1"'}
    """
    fields: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, colon, value = stripped.partition(":")
        if not colon or not name.strip():
            raise FormError(
                _(
                    "Header line {number} ({line}) is not a header field. Write one field per line "
                    "as Name: value, for example Accept: application/json. Nothing was sent."
                ).format(number=number, line=repr(stripped))
            )
        name, value = name.strip(), value.strip()
        same = next((known for known in fields if known.lower() == name.lower()), None)
        if same is not None:
            # Repeated fields combine into one comma-separated value (RFC 9110 §5.3).
            fields[same] = f"{fields[same]}, {value}"
        else:
            fields[name] = value
    return fields


def is_json(media_type: str) -> bool:
    kind = media_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def type_for_untyped_body(content_type: str, headers_text: str, text: str) -> str | None:
    """Return ``"application/json"`` when a body typed with the content type "none" parses as JSON.

    Returns None when there is nothing to choose: a content type is chosen, the header
    fields name a Content-Type (or cannot be read), the body is empty, or it is not JSON.

    >>> type_for_untyped_body("", "", '{"name": "pear"}')
    'application/json'
    >>> type_for_untyped_body("", "", "pear") is None
    True
    """
    if content_type or not text.strip():
        return None
    try:
        headers = parse_header_lines(headers_text)
    except FormError:
        return None
    if any(name.lower() == "content-type" for name in headers):
        return None
    try:
        json.loads(text)
    except ValueError:
        return None
    return "application/json"


def check_json(text: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        lines = text.splitlines() or [""]
        line = lines[min(error.lineno, len(lines)) - 1]
        where = _("line {number}").format(number=error.lineno) + ": "
        pointer = f"{where}{line}\n{' ' * (len(where) + error.colno - 1)}^"
        mistake = _(error.msg) if error.msg in JSON_MISTAKES else error.msg
        raise FormError(
            _(
                "The body is not valid JSON: {mistake} at line {line}, column {column}. "
                "Fix it and send again; nothing was sent."
            ).format(mistake=mistake, line=error.lineno, column=error.colno),
            pointer,
        ) from None


@dataclass(frozen=True)
class FormRequest:
    """A request as the learner described it in a form.

    *body* holds the bytes to send; with *file*, they came from a chosen file, and *file*
    says whether they go as a multipart file part or as the whole content.
    """

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    timeout: float | None = None
    notes: tuple[str, ...] = ()
    file: FileBody | None = None

    def send_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments for ``Lab.send`` that carry the headers, body and timeout."""
        arguments: dict[str, Any] = {"headers": self.headers, "timeout": self.timeout}
        if self.file is not None and self.file.multipart:
            arguments["files"] = {"file": (self.file.name, self.body, self.file.media_type)}
        else:
            arguments["content"] = self.body or None
        return arguments


def read_target(method: str, path: str, headers_text: str) -> tuple[str, str, dict[str, str]]:
    """Read the method, path and header fields of a form, or say what to fix."""
    path = path.strip()
    if not path:
        raise FormError(_("Type a path, such as /lab/items or /get. Nothing was sent."))
    return method.strip().upper(), path, parse_header_lines(headers_text)


def read_request(
    method: str, path: str, headers_text: str, content_type: str, text: str, timeout: float | None
) -> FormRequest:
    """Read a form whose body comes from the body editor, or say what to fix."""
    method, path, headers = read_target(method, path, headers_text)
    declared = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    if not content_type and declared is None:
        if text.strip():
            raise FormError(_(UNTYPED_BODY))
        text = ""
    elif declared is None:
        headers["Content-Type"] = content_type
    media_type = declared if declared is not None else content_type
    if text and is_json(media_type):
        check_json(text)
    notes: tuple[str, ...] = ()
    if text and method in ("GET", "HEAD"):
        notes = (
            _(
                "A body on {method} has no defined meaning (RFC 9110 §9.3.1, §9.3.2); servers may ignore or reject it."
            ).format(method=method),
        )
    return FormRequest(method, path, headers, text.encode("utf-8"), timeout, notes)
