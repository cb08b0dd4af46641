"""Read what a learner typed into a request form, with messages that point at the mistake."""

from __future__ import annotations

import json

__all__ = [
    "CONTENT_TYPES",
    "METHODS",
    "PATH_SUGGESTIONS",
    "FormError",
    "check_json",
    "is_json",
    "parse_header_lines",
]

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

#: (label, media type) pairs for the body's content type; "" means no body.
CONTENT_TYPES = (
    ("none (no body)", ""),
    ("JSON (application/json)", "application/json"),
    ("JSON Merge Patch (application/merge-patch+json)", "application/merge-patch+json"),
    ("JSON Patch (application/json-patch+json)", "application/json-patch+json"),
    ("plain text (text/plain)", "text/plain"),
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
                f"Header line {number} ({stripped!r}) is not a header field. Write one field per line "
                "as Name: value, for example Accept: application/json. Nothing was sent."
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


def check_json(text: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        lines = text.splitlines() or [""]
        line = lines[min(error.lineno, len(lines)) - 1]
        pointer = f"line {error.lineno}: {line}\n{' ' * (len(str(error.lineno)) + 6 + error.colno)}^"
        raise FormError(
            f"The body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}. "
            "Fix it and send again; nothing was sent.",
            pointer,
        ) from None
