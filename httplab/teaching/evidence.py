"""Sort the evidence: a learner groups a comparison's rows by what repeating each request did to the state.

The grouping is graded against what the board observed, never against what RFC 9110 defines:
comparing the two is the lesson's next step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from httplab.errors import PredictionError
from httplab.experiments import label_text
from httplab.i18n import _
from httplab.teaching.predictions import PATTERNS, observed_pattern

__all__ = ["SortOutcome", "grade_sort"]


@dataclass(frozen=True)
class SortOutcome:
    """A learner's sorting of a comparison's rows into patterns, graded against what was observed.

    Attributes
    ----------
    placed
        The learner's pattern for each row label (rows not yet placed are absent).
    observed
        The pattern each row really showed.

    """

    placed: Mapping[str, str]
    observed: Mapping[str, str] = field(repr=False)

    @property
    def wrong(self) -> tuple[str, ...]:
        """The labels placed in a pattern the run did not show, or not placed at all."""
        return tuple(label for label, pattern in self.observed.items() if self.placed.get(label) != pattern)

    @property
    def correct(self) -> bool:
        """True when every row sits under the pattern it really showed."""
        return not self.wrong

    @property
    def text(self) -> str:
        """Say how the sorting went, row by row where it went wrong, without giving away the rest."""
        if self.correct:
            return _(
                "✔ All {count} rows sorted by what you observed. Now compare your groups with "
                "what RFC 9110 defines for each method (next cell)."
            ).format(count=len(self.observed))
        lines = [
            _("✘ {wrong} of {count} rows are not where the evidence puts them:").format(
                wrong=len(self.wrong), count=len(self.observed)
            )
        ]
        for label in self.wrong:
            mine = self.placed.get(label)
            lines.append(
                _("- {label}: not placed yet.").format(label=label_text(label)) if mine is None
                else _("- {label}: you chose “{pattern}”. Look at its state numbers on the board again.").format(
                    label=label_text(label), pattern=_(PATTERNS[mine])
                )
            )
        return "\n".join(lines)


def grade_sort(comparison: Any, placed: Mapping[str, str]) -> SortOutcome:
    """Grade a learner's sorting of a comparison's rows (``label → pattern``) against the observations.

    Parameters
    ----------
    comparison
        A :class:`httplab.experiments.Comparison` (anything with ``rows`` of repeat results).
    placed
        For each row label, one of ``unchanged``, ``once`` or ``kept-changing``.

    Raises
    ------
    PredictionError
        A label is not a row of the comparison, or a pattern is unknown.

    """
    observed = {row.label: observed_pattern(row) for row in comparison.rows}
    for label, pattern in placed.items():
        if label not in observed:
            raise PredictionError(
                _("{label!r} is not a row of this board. The rows are: {rows}.").format(
                    label=label, rows=", ".join(observed)
                )
            )
        if pattern not in PATTERNS:
            raise PredictionError(
                _("{pattern!r} is not a pattern. Choose one of: {patterns}.").format(
                    pattern=pattern, patterns=", ".join(PATTERNS)
                )
            )
    return SortOutcome(dict(placed), observed)
