"""The Playground's request form: the controls for method, path, header fields, content type, body, timeout."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.i18n import _
from httplab.widgets._common import WIDE, label_style
from httplab.widgets._form import METHODS, PATH_SUGGESTIONS, content_type_options

__all__ = ["LABEL", "label", "request_controls"]

#: Every control's description gets the same width, so the form lines up (:func:`label` widens it for French).
LABEL = {"description_width": "7em"}


def label() -> dict[str, str]:
    """Return the form's description style, as wide as the kit's language needs."""
    return label_style(7)


def request_controls() -> tuple[Any, Any, Any, Any, Any, Any]:
    """Build the form's controls: method, path, header fields, content type, body and timeout.

    Each has a description and a tooltip, so a screen reader names it and a pointer explains it.
    """
    style = label()
    method = widgets.Dropdown(
        options=METHODS, value="GET", description=_("Method"), tooltip=_("The request method"), style=style
    )
    path = widgets.Combobox(
        continuous_update=False,
        value="/get",
        options=PATH_SUGGESTIONS,
        ensure_option=False,
        placeholder="/lab/items",
        description=_("Path"),
        tooltip=_("Where to send it: /lab/... for the stateful items, other paths are httpbin's echo endpoints"),
        style=style,
        layout=widgets.Layout(width="32em"),
    )
    headers_editor = widgets.Textarea(
        continuous_update=False,
        value="",
        placeholder=_("One field per line, e.g.") + '\nAccept: application/json\nIf-Match: "…"',
        description=_("Headers"),
        tooltip=_("Request header fields, one per line as Name: value"),
        rows=3,
        style=style,
        layout=WIDE,
    )
    content_type = widgets.Dropdown(
        options=content_type_options(),
        value="",
        description=_("Content type"),
        tooltip=_("The media type of the body (sent as Content-Type); none sends no body"),
        style=style,
        layout=widgets.Layout(width="32em"),
    )
    body_editor = widgets.Textarea(
        continuous_update=False,
        value="",
        placeholder='{"name": "apple"}',
        description=_("Body"),
        tooltip=_("The request content; JSON types are checked before anything is sent"),
        rows=5,
        style=style,
        layout=WIDE,
    )
    timeout = widgets.BoundedFloatText(
        value=10.0,
        min=0.1,
        max=120.0,
        step=0.5,
        description=_("Timeout (s)"),
        tooltip=_("Seconds to wait for the response before giving up"),
        style=style,
        layout=widgets.Layout(width="14em"),
    )
    return method, path, headers_editor, content_type, body_editor, timeout
