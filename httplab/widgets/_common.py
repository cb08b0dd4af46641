"""Pieces every widget shares: safe HTML, the message line, error guards, lab restarts."""

from __future__ import annotations

import html
import json
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.client.models import Response
from httplab.display import theme
from httplab.i18n import N_, _, format_number, get_language, ngettext, pgettext
from httplab.lab import Lab

# "auto" fills the row; "100%" plus the widget's margin overflowed into a scroll bar.
WIDE = widgets.Layout(width="auto")

__all__ = [
    "BODY_LIMIT",
    "MessageLine",
    "body_text",
    "byte_count",
    "decimal",
    "esc",
    "headers_table",
    "integer",
    "lab_is_down",
    "label_style",
    "pre",
    "restart_button",
    "restarting",
    "walk",
]

#: Characters of a response body shown in a widget; the rest is cut with a note.
BODY_LIMIT = 20_000
#: Characters of one header value shown in a widget.
HEADER_VALUE_LIMIT = 2_000

STOPPED = N_(
    "The lab is not running (it was stopped, or its server ended), so nothing was sent. "
    "Press “Restart the lab” to start a fresh one; its store starts empty."
)
#: The same, for an experiment widget's Run button.
STOPPED_EXPERIMENT = N_(
    "The lab is not running (it was stopped, or its server ended), so the experiment did not run. "
    "Press “Restart the lab” to start a fresh one; its store starts empty."
)

#: The word that starts a message at each level: the level never depends on colour.
_LEVELS = {"info": N_("Note:"), "success": N_("Done:"), "warning": N_("Careful:"), "error": N_("Problem:")}
#: How much wider a control's description is in each language than in English (French labels run longer).
_LABEL_SCALE = {"fr": 1.3}


def label_style(width_em: float) -> dict[str, str]:
    """Return a control's style with a description *width_em* wide in English, wider where the language needs it."""
    return {"description_width": f"{width_em * _LABEL_SCALE.get(get_language(), 1):g}em"}


def integer(count: int) -> str:
    """Write *count* with thousands separated as the kit's language does ("1,048,576"; "1 048 576" in French)."""
    return format_number(count)


def decimal(value: float, digits: int = 1) -> str:
    """Write *value* with *digits* decimals, with the kit's language's decimal mark ("2.0"; "2,0" in French)."""
    return format_number(value, digits=digits)


def byte_count(count: int) -> str:
    """Say how many bytes *count* is ("2,048 bytes"), in the kit's language."""
    return ngettext("{count} byte", "{count} bytes", count).format(count=integer(count))


def esc(value: object) -> str:
    """Escape *value* for HTML so it always shows as text, never as markup."""
    return html.escape(str(value), quote=True)


def pre(text: str) -> str:
    """Wrap escaped *text* in a ``<pre>`` block that wraps long lines."""
    return f"<pre style='{theme.PRE}'>{esc(text)}</pre>"


def cut(text: str, limit: int, total_bytes: int | None = None) -> str:
    """Cut *text* at *limit* characters and say so."""
    if len(text) <= limit:
        return text
    if total_bytes is not None:
        note = _("… ({size} in all; only the first {limit} characters are shown)").format(
            size=byte_count(total_bytes), limit=integer(limit)
        )
    else:
        note = _("… ({count} characters in all; only the first {limit} characters are shown)").format(
            count=integer(len(text)), limit=integer(limit)
        )
    return text[:limit] + "\n" + note


def body_text(response: Response | None, method: str = "GET") -> str:
    """Return a response body as text a learner can read: pretty JSON, text, or a note on binary data."""
    if response is None:
        return ""
    if not response.body:
        if method.upper() == "HEAD":
            return _(
                "(no content: a HEAD response never has content; it normally carries the header fields a GET "
                "would, though RFC 9110 §9.3.2 lets a server leave some out, Content-Length among them)"
            )
        return _("(no content)")
    if response.json is not None:
        pretty = json.dumps(response.json, indent=2, ensure_ascii=False)
        return cut(pretty, BODY_LIMIT, len(response.body))
    try:
        text = response.body.decode("utf-8")
    except UnicodeDecodeError:
        kind = response.headers.get("Content-Type")
        if kind is None:
            kind = _("unknown type")
        return _("<{size} of binary data ({kind}) not shown>").format(size=byte_count(len(response.body)), kind=kind)
    return cut(text, BODY_LIMIT, len(response.body))


def headers_table(fields: tuple[tuple[str, str], ...]) -> str:
    """Render header fields as an HTML table, every name and value escaped."""
    if not fields:
        none = _("(no header fields)")
        return f"<i>{esc(none)}</i>"
    rows = "".join(
        f"<tr><th scope='row' style='text-align:left;padding-right:1em;vertical-align:top'>{esc(name)}</th>"
        f"<td style='font-family:monospace;word-break:break-all'>{esc(cut(value, HEADER_VALUE_LIMIT))}</td></tr>"
        for name, value in fields
    )
    return f"<table>{rows}</table>"


def lab_is_down(lab: Lab) -> bool:
    """Tell whether *lab* can no longer answer (its server ended, or it was stopped)."""
    return not lab.running


def walk(widget: Any) -> Iterator[Any]:
    """Yield *widget* and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


class LabWidget:
    """What the Playground and the experiment widgets share: a message line, a lab, work started by a click.

    It reads back the message line, restarts the lab, and waits for the click's work. A widget
    sets ``lab``, ``restart_button``, ``_thread`` (the click's background thread, if any) and
    ``_busy`` (True while work is in progress), and says in ``_restart_hint`` what to do once a
    fresh lab runs.
    """

    _message: MessageLine
    lab: Lab
    restart_button: Any
    _thread: threading.Thread | None
    _busy: bool
    _restart_hint: str

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for work a click started (a request or an experiment); True once nothing is in progress."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self._busy

    def restart_lab(self) -> Lab:
        """Start a fresh lab like this widget's (same options) and use it from now on; its store starts empty.

        Only the widget's own lab restarts (:meth:`httplab.Lab.restart`): a widget built on a teacher's
        ``Lab(...)`` leaves the kernel's ``start()`` lab alone.
        """
        self.lab = self.lab.restart()
        hide(self.restart_button)
        if self.lab.in_process:
            running = _("A fresh lab is running in-process; its store is empty.")
        else:
            running = _("A fresh lab is running at {url}; its store is empty.").format(url=self.lab.url)
        self._message.show(f"{running} {self._restart_hint}", "success")
        self._after_restart()
        return self.lab

    def _after_restart(self) -> None:
        """Bring what the widget shows up to date with the fresh lab (nothing by default)."""

    @property
    def message(self) -> str:
        """The message line's text ("" when there is none)."""
        return self._message.text

    @property
    def message_level(self) -> str:
        """The message's level: info, success, warning, error, or ""."""
        return self._message.level

    @property
    def message_details(self) -> str:
        """The details behind the message (a traceback or a pointer into the body), or ""."""
        return self._message.details


class MessageLine:
    """One line telling the learner what happened, with details on demand.

    The level is written out in words ("Problem:") so it never depends on colour, and the
    line is an ARIA live region so screen readers announce it.
    """

    def __init__(self) -> None:
        self.widget = widgets.HTML(value="", layout=widgets.Layout(min_height="1.5em"))
        self.text = ""
        self.level = ""
        self.details = ""

    def show(self, text: str, level: str = "info", details: str = "") -> None:
        """Show *text* at *level* (info, success, warning or error), with optional *details*."""
        shown = level if level in _LEVELS else "info"
        label, colour = _(_LEVELS[shown]), theme.LEVEL_COLOURS[shown]
        summary = _("Details")
        more = f"<details><summary>{esc(summary)}</summary>{pre(details)}</details>" if details else ""
        self.text, self.level, self.details = text, level, details
        self.widget.value = (
            f"<div role='status' aria-live='polite' style='{theme.rule(colour, '0 0 0 6px')}'>"
            f"<b>{esc(label)}</b> {esc(text)}{more}</div>"
        )

    def clear(self) -> None:
        """Remove the message."""
        self.text = self.level = self.details = ""
        self.widget.value = ""

    def guard(self, action: Callable[[], object], what: str) -> bool:
        """Run *action*; turn any exception into a message instead of letting it escape.

        *what* names the action, already translated (``pgettext("while", "sending the request")``).
        Returns True when *action* finished without an exception.
        """
        try:
            action()
        except Exception as error:  # a callback must never raise into the notebook
            self.show(
                # Translators: {what} is an action such as "sending the request" (context "while").
                _("Something went wrong while {what}: {kind}: {error}").format(
                    what=what, kind=type(error).__name__, error=error
                ),
                "error",
                "".join(traceback.format_exception(error)),
            )
            return False
        return True


def button(description: str, tooltip: str, style: str = "") -> Any:
    """Build a button whose purpose is in its text and its tooltip."""
    return widgets.Button(description=description, tooltip=tooltip, button_style=style,
                          layout=widgets.Layout(width="auto"))


def restart_button() -> Any:
    """Build the "Restart the lab" button every widget offers once its lab has stopped (hidden until then)."""
    restart = button(
        _("Restart the lab"), _("Start a fresh lab like this one (same options); its store starts empty"), "warning"
    )
    hide(restart)
    return restart


def restarting() -> str:
    """Return what the restart button does, in words for :meth:`MessageLine.guard`."""
    return pgettext("while", "restarting the lab")


def hide(widget: Any, hidden: bool = True) -> None:
    """Show or hide *widget* without removing it from the layout tree."""
    widget.layout.display = "none" if hidden else None
