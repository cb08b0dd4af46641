"""The LostUpdateLab: two clients edit one item, without If-Match, with it, and create-only."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.display.render import status_badge
from httplab.experiments import label_text
from httplab.experiments.conflicts import EditRun, LostUpdateResult, lost_update
from httplab.i18n import N_, _, pgettext
from httplab.lab import Lab
from httplab.widgets._base import ExperimentWidget
from httplab.widgets._common import WIDE, esc, label_style
from httplab.widgets._form import FormError, check_json

__all__ = ["RUNS", "LostUpdateLab"]

#: The runs to choose from, in the order the experiment makes them (the buttons show them translated).
RUNS = (N_("without If-Match"), N_("with If-Match"), N_("create only (If-None-Match: *)"))


def _editor(value: dict[str, Any], description: str, tooltip: str) -> Any:
    return widgets.Textarea(
        continuous_update=False,
        value=json.dumps(value, ensure_ascii=False),
        description=description,
        tooltip=tooltip,
        rows=2,
        style=label_style(9),
        layout=WIDE,
    )


def _list(*entries: str) -> dict[str, Any]:
    """Return the example shopping list with *entries*, in the kit's language (the JSON names stay English)."""
    return {"title": pgettext("example data", "shopping"), "items": list(entries)}


class LostUpdateLab(ExperimentWidget):
    """Let Alice and Bob both read an item and write a new version, and see whose write survives.

    Runs :func:`httplab.experiments.conflicts.lost_update`: without ``If-Match`` Bob silently overwrites
    Alice; with ``If-Match`` Bob gets 412 Precondition Failed; with ``If-None-Match: *`` only
    the first creator succeeds.

    Parameters
    ----------
    lab
        The lab to run on; each run starts from an empty lab.
    background
        Run from a worker thread when the button is clicked (:meth:`run` always waits).

    Attributes
    ----------
    path, original, first, second
        The item both edit, its starting content, Alice's and Bob's new versions (JSON objects).
    shown_run
        Which run is shown in detail (one of :data:`RUNS`).

    Examples
    --------
    >>> import httplab
    >>> from httplab.widgets import LostUpdateLab
    >>> lab = httplab.Lab(in_process=True)
    >>> conflict = LostUpdateLab(lab)
    >>> conflict.run().with_if_match.second_write.status
    412
    >>> conflict.shown_run.value = "without If-Match"
    >>> conflict.shown.lost_update
    True
    >>> lab.stop()

    """

    def __init__(self, lab: Lab, *, background: bool = True) -> None:
        super().__init__(
            lab,
            background=background,
            run_label=_("Let Alice and Bob both edit"),
            run_tooltip=_("Both read the item, then both write a whole new version with PUT"),
        )
        milk, eggs = pgettext("example data", "milk"), pgettext("example data", "eggs")
        bread = pgettext("example data", "bread")
        self._result: LostUpdateResult | None = None
        self.path = widgets.Text(
            continuous_update=False,
            value="/lab/items/note",
            description=_("Item"),
            style=label_style(9),
            tooltip=_("The item both clients edit, under /lab/items/"),
        )
        self.original = _editor(
            _list(milk), _("Original"), _("The item's content before both clients read it (a JSON object)")
        )
        self.first = _editor(
            _list(milk, eggs), _("Alice writes"), _("Alice's whole new version, written first (a JSON object)")
        )
        self.second = _editor(
            _list(milk, bread), _("Bob writes"), _("Bob's whole new version, written second (a JSON object)")
        )
        self.shown_run = widgets.ToggleButtons(
            options=[(_(run), run) for run in RUNS],
            value="with If-Match",
            description=_("Show"),
            tooltips=[
                _("Plain PUTs: the second silently replaces the first"),
                _("Each PUT carries If-Match with the ETag its writer read"),
                _("Both create with If-None-Match: * (create only if absent)"),
            ],
            style=label_style(9),
        )
        self._summary = widgets.HTML(value="")
        self._detail = widgets.HTML(value="")
        self.widget = widgets.VBox(
            [
                self.path,
                self.original,
                self.first,
                self.second,
                self.run_button,
                self._message.widget,
                self.restart_button,
                self._summary,
                self.shown_run,
                self._detail,
            ]
        )
        showing = pgettext("while", "showing that run")
        self.shown_run.observe(lambda _event: self._message.guard(self._show_detail, showing), names="value")

    def run(self) -> LostUpdateResult | None:
        """Run all three ways with the contents in the editors; None if it did not run."""
        return self._execute(self._run)

    @property
    def result(self) -> LostUpdateResult | None:
        """The last result."""
        return self._result

    @property
    def shown(self) -> EditRun | None:
        """The run shown in detail."""
        if self._result is None:
            return None
        return self._result.runs[RUNS.index(str(self.shown_run.value))]

    @property
    def second_writer_saw(self) -> dict[str, str]:
        """What Bob's write got in each run, by run label, like ``{"with If-Match": "412 Precondition Failed"}``."""
        runs = () if self._result is None else self._result.runs
        return {run.label: run.second_write.status_text for run in runs}

    @property
    def explanation(self) -> str:
        """The experiment's explanation of all three runs."""
        return "" if self._result is None else self._result.explanation

    @property
    def html(self) -> str:
        """All the HTML on display, joined."""
        return "\n".join(str(part.value) for part in (self._message.widget, self._summary, self._detail))

    def _from_controls(self) -> object:
        return self._run()

    def _object(self, editor: Any, who: str) -> dict[str, Any]:
        text = str(editor.value)
        check_json(text)
        value = json.loads(text)
        if not isinstance(value, dict):
            example = json.dumps({"title": pgettext("example data", "shopping")}, ensure_ascii=False)
            raise FormError(_("{who} must be a JSON object, like {example}. Nothing was sent.").format(
                who=who, example=example
            ))
        return value

    def _run(self) -> LostUpdateResult:
        path = str(self.path.value).strip()
        if not path.startswith("/lab/items/"):
            raise FormError(
                _("{path} is not an item. Use a path like /lab/items/note. Nothing was sent.").format(path=repr(path))
            )
        contents = [
            self._object(editor, who)
            for editor, who in (
                (self.original, _("The original")),
                (self.first, _("Alice's version")),
                (self.second, _("Bob's version")),
            )
        ]
        result = lost_update(self.lab, path, original=contents[0], first=contents[1], second=contents[2])
        self._result = result
        yes, no, neither = pgettext("verdict", "yes"), pgettext("verdict", "no"), pgettext("whose data", "neither")
        rows = "".join(
            f"<tr><th scope='row' style='text-align:left;padding-right:1em'>{esc(label_text(run.label))}</th>"
            f"<td>{status_badge(run.first_write.status)}</td><td>{status_badge(run.second_write.status)}</td>"
            f"<td>{esc('Alice' if run.first_write_kept else ('Bob' if run.final == run.second_data else neither))}</td>"
            f"<td><b>{esc(yes if run.lost_update else no)}</b></td></tr>"
            for run in result.runs
        )
        heads = "".join(
            f"<th scope='col' style='text-align:left;padding-right:1em'>{esc(h)}</th>"
            for h in ("", _("Alice's write"), _("Bob's write"), _("whose data the server keeps"), _("lost update"))
        )
        self._summary.value = f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        self._show_detail()
        lost = result.without_if_match.lost_update
        self._message.show(
            _("Without If-Match, Bob silently overwrote Alice; with If-Match, Bob got {status}.").format(
                status=result.with_if_match.second_write.status_text
            )
            if lost
            else _("Done: see each run below."),
            "success",
        )
        return result

    def _show_detail(self) -> None:
        run = self.shown
        self._detail.value = "" if run is None else run._repr_html_()
