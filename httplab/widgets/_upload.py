"""The Playground's file picker: choose a file, see what it is, and send it with POST or PUT."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.display import theme
from httplab.i18n import N_, _
from httplab.widgets._code import FileBody
from httplab.widgets._common import button, byte_count, decimal, esc, hide
from httplab.widgets._form import FormError, FormRequest, read_target

__all__ = ["DEFAULT_MEDIA_TYPE", "LAB_REQUEST_LIMIT", "ChosenFile", "FilePicker", "file_request"]

#: The most the lab accepts in one request body (the server answers 413 above it).
LAB_REQUEST_LIMIT = 1024 * 1024
#: The label for bytes of unknown type, as the lab's files resource uses it.
DEFAULT_MEDIA_TYPE = "application/octet-stream"
_LIMIT_TEXT = N_("1 MiB (1,048,576 bytes)")
# A multipart body wraps the file in a boundary and a part header; this bounds that wrapping.
_MULTIPART_OVERHEAD = 512

_NO_FILE = N_("No file chosen: the body comes from the body editor.")
_WHICH_METHOD = N_(
    "A file is sent with POST (as a multipart/form-data upload, e.g. to /lab/files) or with PUT "
    "(as the raw bytes, e.g. to /lab/files/cat.png), not with {method}. Choose POST or PUT, or press "
    "“Clear file” to send {method} with the body editor instead. Nothing was sent."
)


@dataclass(frozen=True)
class ChosenFile:
    """A file the learner chose: its name, its bytes and the media type the browser gave it ("" if none)."""

    name: str
    data: bytes
    media_type: str = ""

    @property
    def sent_type(self) -> str:
        """The media type the file is sent with: its own, or ``application/octet-stream``."""
        return self.media_type or DEFAULT_MEDIA_TYPE

    @property
    def too_big(self) -> bool:
        """True when the file alone is more than the lab accepts in one request."""
        return len(self.data) > LAB_REQUEST_LIMIT

    def describe(self) -> str:
        """Say in one line what the file is and how it will be sent."""
        kind = self.media_type or _("type unknown, sent as {media_type}").format(media_type=DEFAULT_MEDIA_TYPE)
        line = _("Chosen file: {name} ({size}, {kind}).").format(name=self.name, size=_size(len(self.data)), kind=kind)
        if self.too_big:
            return _(
                "{line} It is too big to send: the lab accepts at most {limit} per "
                "request, so nothing will be sent. Choose a smaller file, or press “Clear file”."
            ).format(line=line, limit=_(_LIMIT_TEXT))
        return _("{line} POST sends it as a multipart/form-data upload; PUT sends its bytes as they are.").format(
            line=line
        )


def file_request(method: str, path: str, headers_text: str, chosen: ChosenFile, timeout: float | None) -> FormRequest:
    """Describe the request that sends *chosen*: multipart for POST, raw bytes for PUT.

    Raises
    ------
    FormError
        For any other method, for a file bigger than the lab accepts, and for a
        Content-Type header line on a POST (the multipart body sets its own).
    """
    method, path, headers = read_target(method, path, headers_text)
    if method not in ("POST", "PUT"):
        raise FormError(_(_WHICH_METHOD).format(method=method))
    size = len(chosen.data) + (_MULTIPART_OVERHEAD + len(chosen.name.encode()) if method == "POST" else 0)
    if size > LAB_REQUEST_LIMIT:
        if method == "POST" and not chosen.too_big:
            what = _("{name} ({size}) plus its multipart wrapping")
        else:
            what = _("{name} ({size})")
        raise FormError(
            _(
                "{what} is more than the {limit} the lab accepts in one request (it would answer "
                "413 Content Too Large). Choose a smaller file. Nothing was sent."
            ).format(what=what.format(name=chosen.name, size=_size(len(chosen.data))), limit=_(_LIMIT_TEXT))
        )
    declared = next((name for name in headers if name.lower() == "content-type"), None)
    if method == "POST" and declared is not None:
        raise FormError(
            _(
                "Remove the {name} line from the headers: a multipart upload sets its own Content-Type "
                "(with the boundary that separates the parts). Nothing was sent."
            ).format(name=declared)
        )
    if declared is None and method == "PUT":
        headers["Content-Type"] = chosen.sent_type
    media_type = chosen.sent_type if declared is None else headers[declared]
    file = FileBody(chosen.name, media_type, multipart=method == "POST")
    return FormRequest(method, path, headers, chosen.data, timeout, file=file)


class FilePicker:
    """A single-file ``FileUpload``, a "Clear file" button and a line saying what was chosen.

    Parameters
    ----------
    on_change
        Called with no arguments after a file is chosen or cleared.
    """

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._on_change = on_change
        self.chosen: ChosenFile | None = None
        self.upload = widgets.FileUpload(
            accept="",
            multiple=False,
            description=_("Choose file"),
            tooltip=_("Send a file from your computer: POST uploads it as multipart/form-data, PUT as raw bytes"),
            layout=widgets.Layout(width="auto"),
        )
        self.clear_button = button(_("Clear file"), _("Forget the chosen file and use the body editor again"))
        hide(self.clear_button)
        self._no_file = _(_NO_FILE)
        self.line = widgets.HTML(value=f"<small>{esc(self._no_file)}</small>")
        self.text = self._no_file
        self.widget = widgets.VBox([widgets.HBox([self.upload, self.clear_button]), self.line])
        self.upload.observe(self._picked, names="value")
        self.clear_button.on_click(lambda _event: self.clear())

    def choose(self, name: str, data: bytes, media_type: str = "") -> None:
        """Choose a file as the browser would: fill the upload's value (ipywidgets 8's format)."""
        now = datetime.datetime.now(datetime.UTC)
        entry = {"name": name, "type": media_type, "size": len(data), "content": memoryview(data),
                 "last_modified": now}
        self.upload.value = (entry,)

    def clear(self) -> None:
        """Forget the chosen file."""
        self.upload.value = ()

    def _picked(self, change: Any) -> None:
        entries = change.get("new") or ()
        if entries:
            entry = entries[-1]
            content = entry.get("content", b"")
            data = content.tobytes() if isinstance(content, memoryview) else bytes(content)
            self.chosen = ChosenFile(str(entry.get("name", "upload")), data, str(entry.get("type") or ""))
            self.text = self.chosen.describe()
            colour = theme.DANGER if self.chosen.too_big else "inherit"
            self.line.value = f"<div role='status' aria-live='polite' style='color:{colour}'>{esc(self.text)}</div>"
        else:
            self.chosen, self.text = None, self._no_file
            self.line.value = f"<small>{esc(self._no_file)}</small>"
        hide(self.clear_button, self.chosen is None)
        self._on_change()


def _size(count: int) -> str:
    if count < 1024:
        return byte_count(count)
    if count < 1024 * 1024:
        return _("{bytes}, {size} KiB").format(bytes=byte_count(count), size=decimal(count / 1024))
    return _("{bytes}, {size} MiB").format(bytes=byte_count(count), size=decimal(count / 1024 / 1024))
