"""Predict before you fire: a prediction to lock in, and a sorting step graded against a board's evidence."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.display import theme
from httplab.errors import PredictionError
from httplab.experiments import label_text
from httplab.i18n import _, pgettext
from httplab.teaching import report
from httplab.teaching.evidence import SortOutcome, grade_sort
from httplab.teaching.predictions import PATTERNS, Outcome, PredictionSpec, measure, outcome_html, prediction_spec
from httplab.widgets._common import MessageLine, button, esc

__all__ = ["EvidenceSort", "Prediction"]


class Prediction:
    """Choose what you think the next demo will do, lock it in, then reveal it beside what the server did.

    Every action is callable from code: :meth:`choose`, :meth:`lock`, :meth:`reveal`.

    Parameters
    ----------
    spec
        The prediction (see :func:`httplab.teaching.predictions.prediction_spec`).

    Examples
    --------
    >>> guess = Prediction(prediction_spec("02-post-three"))
    >>> guess.choose("3").lock()
    >>> guess.reveal({"items": [{}, {}, {}]}).matched
    True

    """

    def __init__(self, spec: PredictionSpec) -> None:
        self.spec = spec
        self.outcome: Outcome | None = None
        self._locked = False
        self._message = MessageLine()
        self.choices = widgets.RadioButtons(
            options=[(choice.text, choice.value) for choice in spec.choices],
            value=None,
            layout=widgets.Layout(width="auto"),
            style={"description_width": "0px"},
        )
        self.lock_button = button(
            _("Lock in my prediction"), _("Commit to your choice before the demo runs"), "primary"
        )
        locking = pgettext("while", "locking in the prediction")
        self.lock_button.on_click(lambda _event: self._message.guard(self.lock, locking))
        self._result = widgets.HTML(value="")
        heading = _("Predict first")
        self.widget = widgets.VBox(
            [
                widgets.HTML(value=f"<div style='font-weight:600'>{esc(heading)}</div>"
                                   f"<p style='margin:2px 0'>{esc(spec.prompt)}</p>"),
                self.choices,
                self.lock_button,
                self._message.widget,
                self._result,
            ],
            layout=widgets.Layout(**theme.FRAME),
        )
        self.widget.add_class("httplab-prediction")

    @property
    def chosen(self) -> str | None:
        """The value currently chosen, or None."""
        value = self.choices.value
        return None if value is None else str(value)

    @property
    def locked(self) -> bool:
        """True once a choice is locked in."""
        return self._locked

    @property
    def message(self) -> str:
        """The message line's text."""
        return self._message.text

    def choose(self, value: str) -> Prediction:
        """Select the choice whose value is *value* (as a click would)."""
        if self._locked:
            raise PredictionError(_("This prediction is already locked in; run the demo cell next."))
        if self.spec.choice(str(value)) is None:
            values = ", ".join(repr(c.value) for c in self.spec.choices)
            raise PredictionError(
                _("{value} is not one of this prediction's choices: {values}.").format(value=repr(value), values=values)
            )
        self.choices.value = str(value)
        return self

    def lock(self) -> None:
        """Lock the current choice in; without a choice, say what to do."""
        if self._locked:
            return
        if self.chosen is None:
            self._message.show(_("Choose one answer first, then lock it in."), "warning")
            return
        self._locked = True
        self.choices.disabled = True
        self.lock_button.disabled = True
        self._message.show(
            _("Locked in: {choice}. Now run the next cell.").format(choice=self.spec.words(self.chosen)), "success"
        )

    def reveal(self, result: Any) -> Outcome:
        """Put the locked-in prediction beside what the server did in *result*, with the explanation.

        Parameters
        ----------
        result
            The demo's result (a repeat, a retry, a lost update, an exchange, the lab itself) or the
            observed value itself.

        """
        observed = measure(self.spec, result)
        self.outcome = Outcome(self.spec, self.chosen if self._locked else None, self._locked, observed)
        self.choices.disabled = True
        self.lock_button.disabled = True
        self._result.value = outcome_html(self.outcome)
        report.prediction(self.outcome.to_dict())  # the class view, on JupyterHub only
        return self.outcome

    def __repr__(self) -> str:
        state = "locked" if self._locked else "open"
        return f"<Prediction {self.spec.id} ({state})>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


class EvidenceSort:
    """Sort a board's rows by what repeating them did to the state, then check against the evidence.

    Parameters
    ----------
    comparison
        The :class:`httplab.experiments.Comparison` the learner ran (e.g. ``MethodBoard(lab).run()``).

    Examples
    --------
    >>> import httplab
    >>> lab = httplab.Lab(in_process=True)
    >>> board = lab.compare([("GET", "/lab/items"), ("POST", "/lab/items", {"json": {"name": "a"}})])
    >>> sorter = EvidenceSort(board)
    >>> sorter.place("GET /lab/items", "unchanged").place("POST /lab/items", "kept-changing").check().correct
    True
    >>> lab.stop()

    """

    def __init__(self, comparison: Any) -> None:
        self.comparison = comparison
        self.outcome: SortOutcome | None = None
        self._message = MessageLine()
        options = [(_("(choose)"), "")] + [(_(str(words)), key) for key, words in PATTERNS.items()]
        self.menus: dict[str, Any] = {}
        rows = []
        for row in comparison.rows:
            menu = widgets.Dropdown(options=options, value="", layout=widgets.Layout(width="22em"))
            self.menus[row.label] = menu
            shown = label_text(row.label)  # an English key, read in the kit's language
            rows.append(widgets.HBox([widgets.HTML(value=f"<code>{esc(shown)}</code>",
                                                   layout=widgets.Layout(width="16em")), menu]))
        self.check_button = button(
            _("Check my sorting"), _("Compare your groups with what the board observed"), "primary"
        )
        checking = pgettext("while", "checking the sorting")
        self.check_button.on_click(lambda _event: self._message.guard(self.check, checking))
        self._feedback = widgets.HTML(value="")
        heading = _("Sort the evidence")
        question = _("For each request on the board, what did sending it again and again do to the state?")
        self.widget = widgets.VBox(
            [
                widgets.HTML(value=f"<div style='font-weight:600'>{esc(heading)}</div>"
                                   f"<p style='margin:2px 0'>{esc(question)}</p>"),
                *rows,
                self.check_button,
                self._message.widget,
                self._feedback,
            ],
            layout=widgets.Layout(**theme.FRAME),
        )
        self.widget.add_class("httplab-evidence-sort")

    @property
    def placed(self) -> dict[str, str]:
        """The pattern chosen for each row so far."""
        return {label: menu.value for label, menu in self.menus.items() if menu.value}

    @property
    def message(self) -> str:
        """The message line's text."""
        return self._message.text

    def place(self, label: str, pattern: str) -> EvidenceSort:
        """Put the row *label* under *pattern* (``unchanged``, ``once`` or ``kept-changing``)."""
        if label not in self.menus:
            raise PredictionError(
                _("{label} is not a row of this board. The rows are: {rows}.").format(
                    label=repr(label), rows=", ".join(self.menus)
                )
            )
        if pattern not in PATTERNS:
            raise PredictionError(
                _("{pattern} is not a pattern. Choose one of: {patterns}.").format(
                    pattern=repr(pattern), patterns=", ".join(PATTERNS)
                )
            )
        self.menus[label].value = pattern
        return self

    def check(self) -> SortOutcome:
        """Grade the sorting against the board and show which rows to look at again."""
        self.outcome = grade_sort(self.comparison, self.placed)
        lines = self.outcome.text.split("\n")
        colour = theme.verdict_colour(self.outcome.correct)
        self._feedback.value = (
            f"<div style='{theme.rule(colour, '0 0 0 8px')}'><b>{esc(lines[0])}</b>"
            + "".join(f"<div>{esc(line)}</div>" for line in lines[1:])
            + "</div>"
        )
        return self.outcome

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def predict(prediction_id: str) -> Prediction:
    """Show the prediction called *prediction_id* (used by :func:`httplab.predict`)."""
    return Prediction(prediction_spec(prediction_id))
