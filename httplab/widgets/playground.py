"""The Playground: build any request, send it to the lab, and see everything that came back."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.client.models import Exchange
from httplab.errors import InvalidRequestError, LabNotRunningError, NoResponseError
from httplab.http.status import status_text
from httplab.i18n import N_, _, pgettext
from httplab.lab import Lab
from httplab.widgets._code import curl_command, python_code
from httplab.widgets._common import (
    STOPPED,
    WIDE,
    LabWidget,
    MessageLine,
    button,
    hide,
    lab_is_down,
    restart_button,
    restarting,
)
from httplab.widgets._exchange_view import ExchangeView
from httplab.widgets._form import (
    JSON_CHOSEN,
    FormError,
    FormRequest,
    read_request,
    type_for_untyped_body,
)
from httplab.widgets._request_controls import label, request_controls
from httplab.widgets._upload import FilePicker, file_request

__all__ = ["Playground"]

_IN_PROCESS_NOTE = N_(
    "This lab runs in-process (no socket), so {url} answers only through httplab.\n"
    "Start a lab with httplab.start() and put its URL here to run this code elsewhere."
)


class Playground(ExchangeView, LabWidget):
    """Send any request to the lab and see the status, header fields, body, wire text and code.

    Every control is an attribute you can set from code, every action a method, and
    everything shown can be read back, so a notebook (or a test) can drive it without a browser.

    Parameters
    ----------
    lab
        The lab to talk to, such as ``httplab.start()``.
    background
        Send from a worker thread when the Send button is clicked, so the notebook stays
        responsive and a second click while waiting is ignored. :meth:`send` always waits.
    history_size
        How many exchanges the history list keeps.

    Attributes
    ----------
    method, path, headers_editor, content_type, body_editor, timeout
        The form's controls; set their ``.value`` to fill the form.
    file_picker
        The file picker (``.upload`` is the ``FileUpload``, ``.clear_button`` forgets the file);
        :meth:`choose_file` and :meth:`clear_file` do the same from code.
    send_button, restart_button, history_select
        The buttons and the history list (``.click()`` a button; set the list's ``.value``).
    widget
        The whole widget, to place it inside another layout.

    Examples
    --------
    >>> import httplab
    >>> from httplab.widgets import Playground
    >>> lab = httplab.Lab(in_process=True)
    >>> pg = Playground(lab)
    >>> pg.method.value, pg.path.value = "POST", "/lab/items"
    >>> pg.content_type.value, pg.body_editor.value = "application/json", '{"name": "apple"}'
    >>> pg.send().status
    201
    >>> pg.badge_text
    '201 Created'
    >>> lab.stop()

    """

    def __init__(self, lab: Lab, *, background: bool = True, history_size: int = 200) -> None:
        super().__init__()
        self.lab = lab
        self.background = background
        self.history_size = history_size
        self._lock = threading.Lock()
        self._busy = False
        self._thread: threading.Thread | None = None
        self._restart_hint = _("Press Send to try again.")
        self._send_label, self._sending_label = pgettext("button", "Send"), _("Sending…")
        self._entries: list[tuple[FormRequest, Exchange]] = []
        self._shown_spec: FormRequest | None = None
        self._quiet = False

        self.method, self.path, self.headers_editor, self.content_type, self.body_editor, self.timeout = (
            request_controls()
        )
        self.send_button = button(self._send_label, _("Send this request to the lab"), "primary")
        self.restart_button = restart_button()
        self._message = MessageLine()
        self.file_picker = FilePicker(self._on_file_change)
        self.history_select = widgets.Select(
            options=[],
            rows=6,
            description=_("History"),
            tooltip=_("Exchanges sent from this playground; pick one to show it again (nothing is re-sent)"),
            style=label(),
            layout=WIDE,
        )
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.method, self.path, self.send_button]),
                self.headers_editor,
                widgets.HBox([self.content_type, self.timeout]),
                self.body_editor,
                self.file_picker.widget,
                self._message.widget,
                self.restart_button,
                self._summary,
                self._tabs,
                self.history_select,
            ]
        )

        self.send_button.on_click(self._on_send_click)
        self.restart_button.on_click(lambda _event: self._message.guard(self.restart_lab, restarting()))
        self.history_select.observe(self._on_pick, names="value")
        for control in (self.method, self.path, self.headers_editor, self.content_type, self.body_editor, self.timeout):
            control.observe(self._on_form_change, names="value")
        self._refresh_code()

    # ------------------------------------------------------------------ actions

    def send(self) -> Exchange | None:
        """Send the request in the form, show what came back, and return the exchange.

        Returns None when nothing could be sent (the form is invalid, the lab is not running,
        or another request from this playground is still in flight); :attr:`message` says why.
        """
        if not self._begin():
            return None
        return self._finish()

    def choose_file(self, name: str, data: bytes, media_type: str = "") -> None:
        """Choose a file to send, as the "Choose file" button does; it replaces the body editor.

        POST then uploads it as ``multipart/form-data`` (``files={"file": ...}``) and PUT sends
        its bytes with its media type (``application/octet-stream`` when *media_type* is "").

        >>> import httplab
        >>> lab = httplab.Lab(in_process=True)
        >>> pg = Playground(lab)
        >>> pg.method.value, pg.path.value = "PUT", "/lab/files/hello.txt"
        >>> pg.choose_file("hello.txt", b"hello", "text/plain")
        >>> pg.file_text.split(". ")[0]
        'Chosen file: hello.txt (5 bytes, text/plain)'
        >>> pg.send().status
        201
        >>> lab.stop()
        """
        self.file_picker.choose(name, data, media_type)

    def clear_file(self) -> None:
        """Forget the chosen file, as "Clear file" does; the body editor sets the body again."""
        self.file_picker.clear()

    def show(self, index: int) -> Exchange:
        """Show history entry *index* again (0 is the oldest, -1 the newest); nothing is sent."""
        spec, exchange = self._entries[index]
        position = index % len(self._entries)
        self._display(spec, exchange)
        self._message.show(
            _("Showing exchange {number} of {count} again; nothing was sent now.").format(
                number=position + 1, count=len(self._entries)
            ),
            "info",
        )
        return exchange

    def _after_restart(self) -> None:
        self._refresh_code()

    # ------------------------------------------------------------------ read back what is shown

    @property
    def sending(self) -> bool:
        """True while a request is in flight (the Send button then says "Sending…" and is disabled)."""
        return self._busy

    @property
    def file_text(self) -> str:
        """The line saying which file is chosen (name, size, media type), as shown."""
        return self.file_picker.text

    @property
    def history(self) -> tuple[Exchange, ...]:
        """The exchanges sent from this playground, oldest first."""
        return tuple(exchange for _, exchange in self._entries)

    @property
    def history_labels(self) -> tuple[str, ...]:
        """The history list's lines, as shown."""
        return tuple(label for label, _ in self.history_select.options)

    @property
    def html(self) -> str:
        """All the HTML on display, joined (for checking that nothing is rendered as markup)."""
        return f"{self._message.widget.value}\n{self.file_picker.line.value}\n{super().html}"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ internals

    def _begin(self) -> bool:
        with self._lock:
            busy = self._busy
            self._busy = True
        if busy:
            self._message.show(
                _("A request is already on its way; this click was ignored so nothing is sent twice."), "info"
            )
            return False
        self.send_button.disabled = True
        self.send_button.description = self._sending_label
        return True

    def _end(self) -> None:
        self.send_button.description = self._send_label
        self.send_button.disabled = False
        with self._lock:
            self._busy = False

    def _on_send_click(self, _event: Any) -> None:
        self._message.guard(self._click, pgettext("while", "starting the request"))

    def _click(self) -> None:
        if not self._begin():
            return
        if not self.background:
            self._finish()
            return
        try:
            self._thread = threading.Thread(target=self._finish, name="httplab-playground", daemon=True)
            self._thread.start()
        except BaseException:
            self._end()
            raise

    def _finish(self) -> Exchange | None:
        result: list[Exchange | None] = [None]

        def attempt() -> None:
            result[0] = self._send_form()

        try:
            self._message.guard(attempt, pgettext("while", "sending the request"))
        finally:
            self._end()
        return result[0]

    def _send_form(self) -> Exchange | None:
        self._message.clear()
        hide(self.restart_button)
        if lab_is_down(self.lab):
            self._stopped()
            return None
        chosen = self._choose_json_for_a_typed_body()
        try:
            spec = self._read_form()
        except FormError as error:
            self._message.show(str(error), "error", error.details)
            return None
        if chosen:
            spec = replace(spec, notes=(_(JSON_CHOSEN), *spec.notes))
        try:
            exchange = self.lab.send(spec.method, spec.path, **spec.send_arguments())
        except InvalidRequestError as error:
            self._message.show(_("{error} Nothing was sent.").format(error=error), "error")
            return None
        except LabNotRunningError as error:
            self._stopped(str(error))
            return None
        except NoResponseError as error:
            lost = error.exchange
            if lost is not None:
                self._remember(spec, lost)
            self._message.show(str(error), "warning")
            return lost
        except RuntimeError:
            if lab_is_down(self.lab):
                self._stopped()
                return None
            raise
        self._remember(spec, exchange)
        # The standard reason phrase, as on the badge (the wire view shows the one the server sent).
        summary = f"{spec.method} {exchange.request.target} → {status_text(exchange.status)}."
        # "Done" in green only for a success: a 4xx or 5xx answer is reported plainly, its badge gives the colour.
        level = "success" if (exchange.status or 0) < 400 and not spec.notes else "info"
        self._message.show(" ".join((summary, *spec.notes)), level)
        return exchange

    def _stopped(self, detail: str = "") -> None:
        self._message.show(_(STOPPED), "error", detail)
        hide(self.restart_button, False)

    def _choose_json_for_a_typed_body(self) -> bool:
        """Set the menu to JSON when a JSON body was typed with the content type "none"; True if it did.

        The menu then shows the choice, so the learner sees it and can change it.
        """
        if self.file_picker.chosen is not None:
            return False
        kind = type_for_untyped_body(
            str(self.content_type.value), str(self.headers_editor.value), str(self.body_editor.value)
        )
        if kind is None:
            return False
        self.content_type.value = kind
        return True

    def _read_form(self) -> FormRequest:
        target = (str(self.method.value), str(self.path.value), str(self.headers_editor.value))
        timeout = float(self.timeout.value)
        chosen = self.file_picker.chosen
        if chosen is not None:
            return file_request(*target, chosen, timeout)
        return read_request(*target, str(self.content_type.value), str(self.body_editor.value), timeout)

    def _url(self, path: str) -> str:
        if "://" in path:
            return path
        return self.lab.url + (path if path.startswith("/") else "/" + path)

    def _write_code(self, spec: FormRequest) -> None:
        url = self._url(spec.path)
        note = _(_IN_PROCESS_NOTE).format(url=self.lab.url) if self.lab.in_process and "://" not in spec.path else None
        args = (spec.method, url, spec.headers, spec.body)
        options: dict[str, Any] = {"timeout": spec.timeout, "note": note, "file": spec.file}
        self._show_code(python_code(*args, **options), curl_command(*args, **options))

    def _refresh_code(self) -> None:
        try:
            spec = self._read_form()
        except FormError as error:
            fix = "# " + _("Fix the form first: {error}").format(error=error)
            self._show_code(fix, fix)
            return
        self._write_code(spec)

    def _on_file_change(self) -> None:
        # The file replaces the body editor, so those controls are disabled instead of ignored silently.
        chosen = self.file_picker.chosen is not None
        self.body_editor.disabled = self.content_type.disabled = chosen
        self._message.clear()
        self._on_form_change(None)

    def _on_form_change(self, _event: Any) -> None:
        self._message.guard(self._refresh_code, pgettext("while", "writing the request as code"))

    def _remember(self, spec: FormRequest, exchange: Exchange) -> None:
        self._entries.append((spec, exchange))
        del self._entries[: -self.history_size]
        labels = [
            (f"{n}. {s.method} {_short(e.request.target)} → {status_text(e.status)}", n - 1)
            for n, (s, e) in enumerate(self._entries, start=1)
        ]
        self._quiet = True
        try:
            self.history_select.options = labels
            self.history_select.value = len(labels) - 1
        finally:
            self._quiet = False
        self._display(spec, exchange)

    def _on_pick(self, change: Any) -> None:
        index = change.get("new")
        if self._quiet or index is None:
            return
        self._message.guard(lambda: self.show(int(index)), pgettext("while", "showing that exchange"))

    def _display(self, spec: FormRequest, exchange: Exchange) -> None:
        self._shown_spec = spec
        self._show_exchange(exchange)
        self._write_code(spec)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
