"""The RepeatExplorer: send one request N times and watch what each call does to the state."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.client.models import Exchange
from httplab.display import theme
from httplab.display.render import status_badge
from httplab.experiments import Call, Comparison, RepeatResult, Scenario, compare, label_text, method_scenarios
from httplab.experiments.calls import check_times, resources_state
from httplab.experiments.repeats import verdict_words
from httplab.i18n import N_, _, pgettext
from httplab.lab import Lab
from httplab.widgets._base import MAX_CALLS, ExperimentWidget, Watch
from httplab.widgets._common import WIDE, button, esc, hide, label_style, pre
from httplab.widgets._form import (
    METHODS,
    PATH_SUGGESTIONS,
    UNTYPED_BODY,
    FormError,
    check_json,
    content_type_options,
    is_json,
    parse_header_lines,
    type_for_untyped_body,
)

__all__ = ["CUSTOM", "RepeatExplorer"]

#: The request choice that reveals the controls for a request of your own (the menu shows it translated).
CUSTOM = N_("your own request…")


class RepeatExplorer(ExperimentWidget):
    """Repeat one request N times, with a badge per call, the state after each call and a verdict.

    The experiment itself is :func:`httplab.experiments.compare` over one scenario, so the
    verdict and chart are exactly the ones the experiments module gives.

    Parameters
    ----------
    lab
        The lab to run on, such as ``httplab.start()``.
    background
        Run from a worker thread when the Run button is clicked (:meth:`run` always waits).

    Attributes
    ----------
    request, times, fresh
        Which request (a scenario label or :data:`CUSTOM`), how many calls (2 to 100, the
        range the experiments accept), and whether to start from an empty lab.
    method, path, content_type, body_editor, headers_editor
        The custom request's controls (shown when ``request.value == CUSTOM``).
    state_picker
        Which call's "state after" is shown (0 = before the first call).
    run_button, reset_button, restart_button
        The actions.

    Examples
    --------
    >>> import httplab
    >>> from httplab.widgets import RepeatExplorer
    >>> lab = httplab.Lab(in_process=True)
    >>> explorer = RepeatExplorer(lab)
    >>> explorer.request.value = "PUT"
    >>> explorer.run(times=3).statuses
    (201, 204, 204)
    >>> explorer.verdict
    'changed once, then stayed the same'
    >>> lab.stop()

    """

    def __init__(self, lab: Lab, *, background: bool = True) -> None:
        super().__init__(
            lab,
            background=background,
            run_label=pgettext("button", "Run"),
            run_tooltip=_("Send the chosen request N times and watch the state after each call"),
        )
        style = label_style(10)
        self._scenarios = {scenario.label: scenario for scenario in method_scenarios()}
        self._result: RepeatResult | None = None
        self._comparison: Comparison | None = None
        self._calls: list[tuple[Exchange, bool, int | None]] = []
        self._states: list[dict[str, Any]] = []

        self.request = widgets.Dropdown(
            options=[*((label_text(label), label) for label in self._scenarios), (_(CUSTOM), CUSTOM)],
            value="POST",
            description=_("Request"),
            tooltip=_("Which request to repeat; each scenario starts from the item /lab/items/apple"),
            style=style,
        )
        self.times = widgets.IntSlider(
            value=5,
            min=2,
            max=100,
            description=_("Times (N)"),
            continuous_update=False,
            tooltip=_("How many identical calls to send (2 to 100); arrow keys change it"),
            style=style,
        )
        self.fresh = widgets.Checkbox(
            value=True,
            description=_("Start from an empty lab"),
            indent=False,
            tooltip=_("Reset the lab before the scenario's setup, so runs do not affect each other"),
        )
        self.method = widgets.Dropdown(
            options=METHODS, value="POST", description=_("Method"), tooltip=_("The request method"), style=style
        )
        self.path = widgets.Combobox(
            continuous_update=False,
            value="/lab/items",
            options=PATH_SUGGESTIONS,
            ensure_option=False,
            description=_("Path"),
            tooltip=_("Where to send it, e.g. /lab/items"),
            style=style,
            layout=widgets.Layout(width="32em"),
        )
        self.content_type = widgets.Dropdown(
            options=content_type_options(),
            value="application/json",
            description=_("Content type"),
            style=style,
            tooltip=_("The media type of the body; none sends no body"),
        )
        self.body_editor = widgets.Textarea(
            continuous_update=False,
            value='{"name": "pear"}',
            description=_("Body"),
            rows=3,
            style=style,
            tooltip=_("The body sent with every call"),
            layout=WIDE,
        )
        self.headers_editor = widgets.Textarea(
            continuous_update=False,
            value="",
            description=_("Headers"),
            rows=2,
            style=style,
            placeholder=_("Name: value, one per line"),
            tooltip=_("Extra header fields sent with every call"),
            layout=WIDE,
        )
        self._custom = widgets.VBox([self.method, self.path, self.content_type, self.body_editor, self.headers_editor])
        hide(self._custom)
        self.reset_button = button(_("Reset the lab"), _("Empty the lab's store: items, counts and idempotency keys"))
        self._actions.append(self.reset_button)
        self.state_picker = widgets.IntSlider(
            value=0,
            min=0,
            max=0,
            description=_("State after call"),
            style=style,
            tooltip=_("Pick a call to see the state it left (0 = before the first call)"),
        )
        self._timeline = widgets.HTML(value="")
        self._state_view = widgets.HTML(value="")
        self._verdict = widgets.HTML(value="")
        self._chart = widgets.HTML(value="")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.request, self.times]),
                self.fresh,
                self._custom,
                widgets.HBox([self.run_button, self.reset_button]),
                self._message.widget,
                self.restart_button,
                self._timeline,
                self.state_picker,
                self._state_view,
                self._verdict,
                self._chart,
            ]
        )
        self.request.observe(lambda change: hide(self._custom, change["new"] != CUSTOM), names="value")
        showing = pgettext("while", "showing the state")
        self.state_picker.observe(lambda _event: self._message.guard(self._show_state, showing), names="value")
        self._bind(self.reset_button, self._reset)

    # ------------------------------------------------------------------ actions

    def run(self, times: int | None = None) -> RepeatResult | None:
        """Run the chosen request *times* times (default: the slider) and show it; None if it did not run."""
        count = int(self.times.value) if times is None else times
        return self._execute(lambda: self._run(count))

    def reset_lab(self) -> None:
        """Empty the lab's store and clear the view."""
        self._execute(self._reset)

    # ------------------------------------------------------------------ read back

    @property
    def result(self) -> RepeatResult | None:
        """The last completed run."""
        return self._result

    @property
    def comparison(self) -> Comparison | None:
        """The comparison the verdict and chart come from (one row)."""
        return self._comparison

    @property
    def badge_texts(self) -> tuple[str, ...]:
        """The text of each call's badge on the timeline, like ``("201 Created", ...)``."""
        return tuple(exchange.status_text for exchange, _, _ in self._calls)

    @property
    def states(self) -> tuple[dict[str, Any], ...]:
        """The state of the lab's resources before the first call, then after each call shown."""
        return tuple(self._states)

    @property
    def verdict(self) -> str:
        """The verdict in a few words, like ``"changed once, then stayed the same"``."""
        return "" if self._result is None else verdict_words(self._result)

    @property
    def explanation(self) -> str:
        """The experiment's explanation of what was observed."""
        return "" if self._result is None else self._result.explanation

    @property
    def chart_svg(self) -> str:
        """The state chart (inline SVG) from :meth:`Comparison.chart`."""
        return str(self._chart.value)

    @property
    def timeline_html(self) -> str:
        """The timeline of per-call badges, as HTML."""
        return str(self._timeline.value)

    @property
    def html(self) -> str:
        """All the HTML on display, joined."""
        parts = (self._message.widget, self._timeline, self._state_view, self._verdict, self._chart)
        return "\n".join(str(part.value) for part in parts)

    # ------------------------------------------------------------------ internals

    def _from_controls(self) -> object:
        return self._run(int(self.times.value))

    def _scenario(self) -> Scenario:
        label = str(self.request.value)
        if label != CUSTOM:
            return self._scenarios[label]
        method, path = str(self.method.value), str(self.path.value).strip()
        if not path:
            raise FormError(_("Type a path, such as /lab/items. Nothing was sent."))
        headers_text = str(self.headers_editor.value)
        headers = parse_header_lines(headers_text)
        text, kind = str(self.body_editor.value), str(self.content_type.value)
        declared = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
        options: dict[str, Any] = {}
        if text and (kind or declared is not None):
            media_type = kind if declared is None else declared
            if is_json(media_type):
                check_json(text)
            headers.setdefault("Content-Type", media_type)
            options["content"] = text.encode("utf-8")
        elif text.strip():
            if type_for_untyped_body(kind, headers_text, text) is not None:
                raise FormError(
                    _(
                        "The body is JSON, but the content type is “none”, so nothing was sent. Choose "
                        "“JSON (application/json)” in the Content type menu (or a patch type for PATCH), then run "
                        "again."
                    )
                )
            raise FormError(_(UNTYPED_BODY))
        if headers:
            options["headers"] = headers
        return Scenario(f"{method} {path}", Call(method, path, **options))

    def _run(self, times: int) -> RepeatResult:
        check_times(times, most=MAX_CALLS)
        scenario = self._scenario()
        self._clear()
        armed: list[bool] = [False]
        pending: list[Exchange | None] = [None]
        before: list[dict[str, Any]] = [{}]

        def on_reset() -> None:
            armed[0], pending[0] = False, None

        def on_send(exchange: Exchange) -> None:
            if armed[0]:
                pending[0] = exchange

        def on_state(snapshot: dict[str, Any]) -> None:
            state = resources_state(snapshot)
            if not armed[0]:
                armed[0] = True
                self._states.append(state)
            exchange = pending[0]
            if exchange is None:
                before[0] = state
                return
            pending[0] = None
            self._calls.append((exchange, state != before[0], None))
            self._states.append(state)
            self._draw_progress(times)

        sending = _("Sending {label} {times} times…").format(label=label_text(scenario.label), times=times)
        self._message.show(sending, "info")
        watch = Watch(self.lab, on_send=on_send, on_state=on_state, on_reset=on_reset)
        comparison = compare(watch, [scenario], times=times, reset=bool(self.fresh.value))
        self._show(comparison)
        return comparison.rows[0]

    def _reset(self) -> None:
        self.lab.reset()
        self._clear()
        self._message.show(_("The lab's store is empty again."), "success")

    def _clear(self) -> None:
        self._result = self._comparison = None
        self._calls, self._states = [], []
        for view in (self._timeline, self._state_view, self._verdict, self._chart):
            view.value = ""
        self.state_picker.max = 0

    def _draw_progress(self, times: int) -> None:
        progress = _("{done} of {times} calls").format(done=len(self._calls), times=times)
        self._timeline.value = _timeline(self._calls, progress)
        self.state_picker.max = len(self._states) - 1
        self.state_picker.value = len(self._states) - 1
        self._show_state()

    def _show(self, comparison: Comparison) -> None:
        result = comparison.rows[0]
        self._comparison, self._result = comparison, result
        changed = result.observation.changed_by_call
        self._calls = [
            (exchange, changed[i], result.state_numbers[i + 1]) for i, exchange in enumerate(result.exchanges)
        ]
        self._states = [result.before[0], *result.after]
        caption = _("{label}, sent {times} times").format(label=label_text(result.label), times=result.times)
        self._timeline.value = _timeline(self._calls, caption)
        self.state_picker.max = len(self._states) - 1
        self.state_picker.value = len(self._states) - 1
        self._show_state()
        promise, verdict = _("this server broke its promise"), _("Verdict:")
        broken = f" — <b>{esc(promise)}</b>" if result.broken_promise else ""
        self._verdict.value = (
            f"<div><b>{esc(verdict)}</b> {esc(verdict_words(result))}{broken}</div>"
            f"<p style='margin:4px 0'>{esc(result.explanation)}</p>"
        )
        self._chart.value = comparison.chart()
        self._message.show(
            _("{label} sent {times} times: {verdict}.").format(
                label=label_text(result.label), times=result.times, verdict=verdict_words(result)
            ),
            "success",
        )

    def _show_state(self) -> None:
        index = int(self.state_picker.value)
        if not self._states or index >= len(self._states):
            self._state_view.value = ""
            return
        if index == 0:
            heading = _("State before the first call")
        else:
            heading = _("State after call {number}").format(number=index)
        text = json.dumps(self._states[index], indent=2, sort_keys=True, ensure_ascii=False, default=str)
        self._state_view.value = f"<div><b>{esc(heading)}</b></div>{pre(text)}"


def _timeline(calls: list[tuple[Exchange, bool, int | None]], caption: str) -> str:
    cells = []
    for number, (exchange, changed, state_number) in enumerate(calls, start=1):
        effect = _("changed the state") if changed else _("no change")
        after = ""
        if state_number is not None:
            state = _("state {number}").format(number=state_number)
            after = f"<br><small>{esc(state)}</small>"
        call = esc(_("call {number}").format(number=number))
        cells.append(
            f"<div style='{theme.TILE}'><small>{call}</small><br>{status_badge(exchange.status)}"
            f"<br><small>{esc(effect)}</small>{after}</div>"
        )
    heading = _("Timeline:")
    return f"<div><div><b>{esc(heading)}</b> {esc(caption)}</div>" + "".join(cells) + "</div>"
