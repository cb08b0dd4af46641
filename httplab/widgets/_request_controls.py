"""The Playground's request form: the controls for method, path, header fields, content type, body, timeout."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.widgets._common import WIDE
from httplab.widgets._form import CONTENT_TYPES, METHODS, PATH_SUGGESTIONS

__all__ = ["LABEL", "request_controls"]

#: Every control's description gets the same width, so the form lines up.
LABEL = {"description_width": "7em"}


def request_controls() -> tuple[Any, Any, Any, Any, Any, Any]:
    """Build the form's controls: method, path, header fields, content type, body and timeout.

    Each has a description and a tooltip, so a screen reader names it and a pointer explains it.
    """
    method = widgets.Dropdown(
        options=METHODS, value="GET", description="Method", tooltip="The request method", style=LABEL
    )
    path = widgets.Combobox(
        continuous_update=False,
        value="/get",
        options=PATH_SUGGESTIONS,
        ensure_option=False,
        placeholder="/lab/items",
        description="Path",
        tooltip="Where to send it: /lab/... for the stateful items, other paths are httpbin's echo endpoints",
        style=LABEL,
        layout=widgets.Layout(width="32em"),
    )
    headers_editor = widgets.Textarea(
        continuous_update=False,
        value="",
        placeholder='One field per line, e.g.\nAccept: application/json\nIf-Match: "…"',
        description="Headers",
        tooltip="Request header fields, one per line as Name: value",
        rows=3,
        style=LABEL,
        layout=WIDE,
    )
    content_type = widgets.Dropdown(
        options=CONTENT_TYPES,
        value="",
        description="Content type",
        tooltip="The media type of the body (sent as Content-Type); none sends no body",
        style=LABEL,
        layout=widgets.Layout(width="32em"),
    )
    body_editor = widgets.Textarea(
        continuous_update=False,
        value="",
        placeholder='{"name": "apple"}',
        description="Body",
        tooltip="The request content; JSON types are checked before anything is sent",
        rows=5,
        style=LABEL,
        layout=WIDE,
    )
    timeout = widgets.BoundedFloatText(
        value=10.0,
        min=0.1,
        max=120.0,
        step=0.5,
        description="Timeout (s)",
        tooltip="Seconds to wait for the response before giving up",
        style=LABEL,
        layout=widgets.Layout(width="14em"),
    )
    return method, path, headers_editor, content_type, body_editor, timeout
