"""What the files resource needs around an upload: name rules and in-memory multipart parsing."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import IO

from httplab.i18n import L_, N_
from httplab.server._wsgi import HTTPProblem

MAX_NAME_LENGTH = 128
MAX_FORM_PARTS = 100
DEFAULT_MEDIA_TYPE = "application/octet-stream"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_NAME_RULE = N_(
    "A file name is 1 to {limit} characters: letters, digits, '.', '_', '~' or '-', "
    "starting with a letter or digit, with no '/' and no '..' (for example notes.txt or cat-2.png)."
)
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart form: the client's file name, its media type, its bytes."""

    filename: str
    media_type: str
    body: bytes


def check_name(name: str) -> None:
    """Raise a 400 :class:`~httplab.server._wsgi.HTTPProblem` saying why *name* cannot name a file.

    Parameters
    ----------
    name
        The last segment of ``/lab/files/{name}``, already percent-decoded.

    Examples
    --------
    >>> check_name("notes.txt")
    >>> try:
    ...     check_name("../secret")
    ... except HTTPProblem as problem:
    ...     print(problem.status)
    400

    """
    if not name:
        why = L_("it is empty")
    elif "/" in name:
        why = L_("it contains '/'")
    elif "\\" in name:
        why = L_("it contains '\\', a path separator")
    elif ".." in name:
        why = L_("it contains '..'")
    elif len(name) > MAX_NAME_LENGTH:
        why = L_("it is {length} characters long", length=len(name))
    elif _NAME.fullmatch(name) is None:
        why = L_("it has a character outside the allowed set, or does not start with a letter or digit")
    else:
        return
    raise HTTPProblem(
        400,
        L_(
            "{name!r} cannot be a file name: {why}. {rule}",
            name=name,
            why=why,
            rule=L_(_NAME_RULE, limit=MAX_NAME_LENGTH),
        ),
    )


def name_stem(filename: str) -> str:
    """Turn a client's file name into a safe stem for a server-chosen name.

    >>> name_stem("../../holiday photo.jpg")
    'holiday_photo.jpg'
    """
    stem = re.split(r"[/\\]", filename)[-1]
    stem = _UNSAFE_NAME_CHARS.sub("_", stem)
    while ".." in stem:
        stem = stem.replace("..", ".")
    return stem.lstrip("._~-") or "upload"


def _in_memory_stream(
    total_content_length: int | None,
    content_type: str | None,
    filename: str | None,
    content_length: int | None = None,
) -> IO[bytes]:
    """Give werkzeug's form parser a memory buffer; its default spools big parts to a temporary file."""
    return io.BytesIO()


def parse_multipart(content_type: str | None, body: bytes) -> list[Upload]:
    r"""Parse a ``multipart/form-data`` body into its file parts, entirely in memory.

    Form fields without a file name are left out. Raises an HTTPProblem: 400 when the
    body cannot be read, 413 for more than ``MAX_FORM_PARTS`` parts, 422 for no file part.

    >>> body = b'--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nhi\r\n--b--\r\n'
    >>> parse_multipart("multipart/form-data; boundary=b", body)
    [Upload(filename='a.txt', media_type='application/octet-stream', body=b'hi')]
    """
    from werkzeug.exceptions import RequestEntityTooLarge
    from werkzeug.formparser import FormDataParser
    from werkzeug.http import parse_options_header

    _, options = parse_options_header(content_type)
    if not options.get("boundary"):
        raise HTTPProblem(
            400,
            L_(
                "The multipart/form-data Content-Type has no boundary parameter, so the parts cannot be found. "
                "Let your client build the body (httpx: files=...) instead of setting Content-Type yourself."
            ),
        )
    parser = FormDataParser(stream_factory=_in_memory_stream, max_form_parts=MAX_FORM_PARTS, silent=False)
    try:
        _, _, files = parser.parse(io.BytesIO(body), "multipart/form-data", len(body), options)
    except RequestEntityTooLarge:
        raise HTTPProblem(
            413, L_("The form has more than {limit} parts. Upload fewer files per request.", limit=MAX_FORM_PARTS)
        ) from None
    except ValueError as error:
        # Translators: {problem} is the form parser's own words, in English.
        raise HTTPProblem(
            400,
            L_(
                "The multipart body is malformed or cut short, so it could not be read ({problem}). "
                "Let your client build it (httpx: files=...) so every part sits between boundary lines.",
                problem=str(error),
            ),
        ) from None
    uploads = []
    for _, storage in files.items(multi=True):
        stream = storage.stream
        data = stream.getvalue() if isinstance(stream, io.BytesIO) else stream.read()
        uploads.append(Upload(storage.filename or "", storage.content_type or DEFAULT_MEDIA_TYPE, data))
    if not uploads:
        raise HTTPProblem(
            422,
            L_(
                "The form has no file parts (a part with a filename), so there is nothing to store. "
                "Send files=..., not only data=...."
            ),
        )
    return uploads
