"""Predict, then fire, then explain: a learner commits to a prediction before a lesson's demo runs.

A prediction is a small question with a few choices, stored as package data beside the lesson it
belongs to (``httplab/teaching/predictdata/NN-lesson.json``). The notebook shows it *before* the demo cell;
the learner chooses and locks in; the demo runs; :meth:`Prediction.reveal` reads what the server did
from the demo's result and puts the prediction beside it, with the explanation. The bank holds no
answer: the server is the answer key, read by a named *measure*:

``items``
    How many items the lab holds at the end.
``statuses`` / ``status``
    Every call's status code, or the first one.
``pattern``
    What repeating did to the state: ``unchanged``, ``once`` (changed by the first call, then
    stayed the same) or ``kept-changing``.
``attr``
    Any value of the result, named by a dotted ``path`` such as ``with_if_match.final.price``.

>>> spec = prediction_spec("02-post-three")
>>> spec.measure
'items'
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from httplab.display import theme
from httplab.errors import PredictionError
from httplab.i18n import N_, _, get_language, pgettext
from httplab.teaching.bank_text import translated_bank

__all__ = [
    "MEASURES",
    "PATTERNS",
    "Choice",
    "Outcome",
    "PredictionSpec",
    "measure",
    "observed_pattern",
    "prediction_ids",
    "prediction_spec",
    "prediction_specs",
]

MEASURES = ("items", "statuses", "status", "pattern", "attr")
#: What repeating a request did to the state, in the words the lessons use (English: show them with ``_()``).
PATTERNS: Mapping[str, str] = {
    "unchanged": N_("state unchanged"),
    "once": N_("changed once, then stayed the same"),
    "kept-changing": N_("kept changing"),
}
_DATA = "httplab.teaching.predictdata"


@dataclass(frozen=True)
class Choice:
    """One answer a learner can lock in: the value the measure gives, and the words shown."""

    value: str
    text: str


@dataclass(frozen=True)
class PredictionSpec:
    """One prediction: the question, its choices, how to read the server's answer, and why.

    Attributes
    ----------
    id
        Unique across every lesson, e.g. ``"02-post-three"``.
    lesson
        The lesson notebook's stem, e.g. ``"02-post"``.
    prompt
        The question, naming the exact requests the demo will send.
    choices
        What the learner picks from.
    measure
        How :func:`measure` reads the answer from the demo's result (see the module docstring).
    explanation
        Why the server did what it did, citing the RFC where it states a rule.
    path
        For the ``attr`` measure: a dotted path into the result.

    """

    id: str
    lesson: str
    prompt: str
    choices: tuple[Choice, ...]
    measure: str
    explanation: str
    path: str = ""

    def choice(self, value: str) -> Choice | None:
        """Return the choice whose value is *value*, or None."""
        return next((c for c in self.choices if c.value == value), None)

    def words(self, value: str) -> str:
        """Say a value in the words of its choice (or as itself when no choice has it)."""
        found = self.choice(value)
        return found.text if found else value


def _spec_from(raw: Mapping[str, Any], lesson: str, where: str) -> PredictionSpec:
    required = {"id", "prompt", "choices", "measure", "explanation"}
    missing = required - set(raw)
    extra = set(raw) - required - {"path"}
    if missing or extra:
        raise PredictionError(
            f"{where}: a prediction needs the keys {sorted(required)} (and 'path' for the attr measure); "
            f"missing {sorted(missing)}, unknown {sorted(extra)}."
        )
    if raw["measure"] not in MEASURES:
        raise PredictionError(f"{where}: measure {raw['measure']!r} is not one of {', '.join(MEASURES)}.")
    if raw["measure"] == "attr" and not raw.get("path"):
        raise PredictionError(f"{where}: the attr measure needs a 'path' such as 'with_if_match.final.price'.")
    choices = tuple(Choice(str(c["value"]), str(c["text"])) for c in raw["choices"])
    if len(choices) < 2 or len({c.value for c in choices}) != len(choices):
        raise PredictionError(f"{where}: give at least two choices with different values.")
    return PredictionSpec(
        id=str(raw["id"]),
        lesson=lesson,
        prompt=str(raw["prompt"]),
        choices=choices,
        measure=str(raw["measure"]),
        explanation=str(raw["explanation"]),
        path=str(raw.get("path", "")),
    )


@cache
def _all_specs(language: str) -> dict[str, PredictionSpec]:
    """Every prediction, with its texts in *language* (one load per language: ids and values are the same in all)."""
    specs: dict[str, PredictionSpec] = {}
    for entry in sorted(resources.files(_DATA).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        lesson = entry.name.removesuffix(".json")
        bank = translated_bank(Path(str(entry)), json.loads(entry.read_text(encoding="utf-8")), language)
        for number, raw in enumerate(bank["predictions"]):
            spec = _spec_from(raw, lesson, f"{entry.name}, prediction {number + 1}")
            if spec.id in specs:
                raise PredictionError(f"{entry.name}: the id {spec.id!r} is used twice; ids must be unique.")
            specs[spec.id] = spec
    return specs


def prediction_specs(language: str | None = None) -> dict[str, PredictionSpec]:
    """Return every prediction by id, its texts in *language* (the kit's language by default)."""
    return dict(_all_specs(language or get_language()))


def prediction_ids() -> tuple[str, ...]:
    """Return every prediction's id, lesson by lesson."""
    return tuple(_all_specs(get_language()))


def prediction_spec(prediction_id: str) -> PredictionSpec:
    """Return the prediction called *prediction_id*, its texts in the kit's language.

    Raises
    ------
    PredictionError
        No prediction has that id; the message lists the ones there are.

    """
    specs = _all_specs(get_language())
    if prediction_id not in specs:
        raise PredictionError(
            _("There is no prediction called {name!r}. The predictions are: {names}.").format(
                name=prediction_id, names=", ".join(specs)
            )
        )
    return specs[prediction_id]


# ------------------------------------------------------------------------------ measures


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, (dict,)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _final_state(result: Any) -> Mapping[str, Any]:
    for name in ("final", "after"):
        value = getattr(result, name, None)
        if isinstance(value, Mapping):
            return value
        if isinstance(value, Sequence) and value and isinstance(value[-1], Mapping):
            return value[-1]
    if isinstance(result, Mapping) and "items" in result:
        return result
    state = getattr(result, "state", None)
    if callable(state):  # a lab
        snapshot: Mapping[str, Any] = state()
        return snapshot
    raise PredictionError(
        _(
            "Cannot read the lab's items from a {type}. "
            "Pass the demo's result (from lab.repeat, lab.retry_after_lost_response) or the lab itself."
        ).format(type=type(result).__name__)
    )


def _statuses(result: Any) -> tuple[int | None, ...]:
    statuses = getattr(result, "statuses", None)
    if statuses is not None:
        return tuple(statuses)
    if hasattr(result, "status") and hasattr(result, "request"):  # one exchange
        return (result.status,)
    raise PredictionError(
        _("Cannot read status codes from a {type}. Pass the demo's result or an exchange.").format(
            type=type(result).__name__
        )
    )


def observed_pattern(result: Any) -> str:
    """Say what repeating did to the state in *result*: ``unchanged``, ``once`` or ``kept-changing``."""
    numbers = getattr(result, "state_numbers", None)
    if not numbers:
        raise PredictionError(
            _("Cannot tell what repeating did from a {type}. Pass the result of lab.repeat(...).").format(
                type=type(result).__name__
            )
        )
    if len(set(numbers)) == 1:
        return "unchanged"
    if len(set(numbers[1:])) == 1:
        return "once"
    return "kept-changing"


def _walk(result: Any, path: str) -> Any:
    value = result
    for step in path.split("."):
        if isinstance(value, Mapping):
            if step not in value:
                raise PredictionError(_("The result has no {step!r} (path {path!r}).").format(step=step, path=path))
            value = value[step]
        elif isinstance(value, Sequence) and not isinstance(value, str) and step.lstrip("-").isdigit():
            value = value[int(step)]
        elif hasattr(value, step):
            value = getattr(value, step)
        else:
            raise PredictionError(_("The result has no {step!r} (path {path!r}).").format(step=step, path=path))
    return value


def measure(spec: PredictionSpec, result: Any) -> str:
    """Read what the server did from a demo's *result*, as the value a choice would have.

    A plain ``str``, ``int`` or ``bool`` is taken as the observed value itself.

    >>> spec = prediction_spec("02-post-three")
    >>> measure(spec, {"items": [{}, {}, {}]})
    '3'
    """
    if isinstance(result, (str, int, bool)):
        return _plain(result)
    if spec.measure == "items":
        return str(len(_final_state(result).get("items", ())))
    if spec.measure == "statuses":
        return _plain(_statuses(result))
    if spec.measure == "status":
        return _plain(_statuses(result)[0])
    if spec.measure == "pattern":
        return observed_pattern(result)
    return _as_choice_value(spec, _plain(_walk(result, spec.path)))


def _as_choice_value(spec: PredictionSpec, observed: str) -> str:
    """Return the choice value *observed* stands for.

    An experiment's example data is in the kit's language ("lait, pain" in French), while the choices' values
    are the bank's English keys ("milk, bread").
    """
    for choice in spec.choices:
        words = [pgettext("example data", word) for word in choice.value.split(", ")]
        if ", ".join(words) == observed:
            return choice.value
    return observed


# ------------------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class Outcome:
    """A prediction beside what the server did.

    Attributes
    ----------
    spec
        The prediction.
    chosen
        The value the learner chose, or None.
    locked_before_demo
        True when the learner locked the choice in before the demo's result was revealed.
    observed
        What the server did, as a choice value.

    """

    spec: PredictionSpec
    chosen: str | None
    locked_before_demo: bool
    observed: str

    @property
    def matched(self) -> bool:
        """True when the locked-in prediction is what the server did."""
        return self.locked_before_demo and self.chosen == self.observed

    @property
    def text(self) -> str:
        """The whole outcome as plain text: what was predicted, what happened, and why."""
        did = _("The server: {observed}.").format(observed=self.spec.words(self.observed))
        if not self.locked_before_demo or self.chosen is None:
            head = _(
                "No prediction was locked in before the demo ran. Next time, choose and lock in first: "
                "a guess made after seeing the answer teaches nothing."
            )
        elif self.matched:
            head = _("✔ Your prediction: {chosen}. That is what happened.").format(chosen=self.spec.words(self.chosen))
        else:
            head = _(
                "✘ Your prediction: {chosen}. The server did something else — a surprise is where learning starts."
            ).format(chosen=self.spec.words(self.chosen))
        return "\n".join([head, did, self.spec.explanation])

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome as plain data (for a teacher's class view, say)."""
        return {
            "prediction": self.spec.id,
            "lesson": self.spec.lesson,
            "chosen": self.chosen,
            "locked_before_demo": self.locked_before_demo,
            "observed": self.observed,
            "matched": self.matched,
        }

    def __repr__(self) -> str:
        verdict = "matched" if self.matched else ("no prediction" if not self.locked_before_demo else "differed")
        return f"<Outcome {self.spec.id}: predicted {self.chosen!r}, observed {self.observed!r} ({verdict})>"

    def _repr_html_(self) -> str:
        return outcome_html(self)


def outcome_html(outcome: Outcome) -> str:
    """Render an outcome: the prediction and the server side by side, then the explanation."""
    esc = html.escape
    spec = outcome.spec
    predicted = (
        spec.words(outcome.chosen) if outcome.chosen and outcome.locked_before_demo else _("(none locked in)")
    )
    if not outcome.locked_before_demo or outcome.chosen is None:
        colour, verdict = theme.ATTENTION, _("No prediction locked in before the demo")
    elif outcome.matched:
        colour, verdict = theme.SUCCESS, _("✔ Your prediction matched what the server did")
    else:
        colour, verdict = theme.SEVERE, _("✘ The server did something else than you predicted")
    cell = f"style='{theme.CELL}'"
    you, server = esc(_("You predicted")), esc(_("The server did"))
    return (
        f"<div class='httplab-outcome' style='{theme.rule(colour)};{theme.GAP}'>"
        f"<b>{esc(verdict)}</b>"
        f"<table style='{theme.TABLE}'><tr><th {cell}>{you}</th>"
        f"<th {cell}>{server}</th></tr><tr><td {cell}>{esc(predicted)}</td>"
        f"<td {cell}>{esc(spec.words(outcome.observed))}</td></tr></table>"
        f"<p style='{theme.GAP}'>{esc(spec.explanation)}</p></div>"
    )
