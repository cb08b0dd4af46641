"""The MethodBoard: one click runs one scenario per method and puts them side by side."""

from __future__ import annotations

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.experiments import Comparison, compare, method_scenarios
from httplab.experiments.calls import check_times
from httplab.experiments.repeats import verdict_words
from httplab.i18n import _
from httplab.lab import Lab
from httplab.widgets._base import MAX_CALLS, ExperimentWidget, Watch
from httplab.widgets._common import esc, label_style

__all__ = ["MethodBoard"]


class MethodBoard(ExperimentWidget):
    """Run every method's scenario (see :func:`httplab.experiments.method_scenarios`) and compare them.

    Shows the comparison's table (responses, state numbers, verdicts, what HTTP promises)
    and its state chart, both exactly as :class:`httplab.experiments.Comparison` renders them.

    Parameters
    ----------
    lab
        The lab to run on; each scenario starts from an empty lab.
    background
        Run from a worker thread when the button is clicked (:meth:`run` always waits).

    Examples
    --------
    >>> import httplab
    >>> from httplab.widgets import MethodBoard
    >>> lab = httplab.Lab(in_process=True)
    >>> board = MethodBoard(lab)
    >>> board.run(times=2) is not None
    True
    >>> board.verdicts["PUT"]
    'changed once, then stayed the same'
    >>> lab.stop()

    """

    def __init__(self, lab: Lab, *, background: bool = True) -> None:
        super().__init__(lab, background=background, run_label=_("Run every method"),
                         run_tooltip=_("Repeat one scenario per method from an empty lab and compare them"))
        self._comparison: Comparison | None = None
        self.times = widgets.IntSlider(
            value=3, min=2, max=10, description=_("Times each"), continuous_update=False,
            tooltip=_("How many identical calls per method (2 to 10)"), style=label_style(7),
        )
        invitation = _("Press “Run every method” to compare GET, HEAD, OPTIONS, POST, PUT, PATCH and DELETE.")
        self._board = widgets.HTML(value=f"<i>{esc(invitation)}</i>")
        self.widget = widgets.VBox([
            widgets.HBox([self.times, self.run_button]),
            self._message.widget,
            self.restart_button,
            self._board,
        ])

    def run(self, times: int | None = None) -> Comparison | None:
        """Run every scenario *times* times (default: the slider) and show the comparison."""
        count = int(self.times.value) if times is None else times
        return self._execute(lambda: self._run(count))

    @property
    def comparison(self) -> Comparison | None:
        """The last comparison shown."""
        return self._comparison

    @property
    def verdicts(self) -> dict[str, str]:
        """Each scenario's verdict in a few words, by label."""
        rows = () if self._comparison is None else self._comparison.rows
        return {row.label: verdict_words(row) for row in rows}

    @property
    def statuses(self) -> dict[str, tuple[str, ...]]:
        """Each scenario's status texts, by label, as the badges show them."""
        rows = () if self._comparison is None else self._comparison.rows
        return {row.label: tuple(e.status_text for e in row.exchanges) for row in rows}

    @property
    def html(self) -> str:
        """The board's HTML: the comparison table, chart and explanation."""
        return f"{self._message.widget.value}\n{self._board.value}"

    @property
    def chart_svg(self) -> str:
        """The comparison's state chart (inline SVG)."""
        return "" if self._comparison is None else self._comparison.chart()

    def _from_controls(self) -> object:
        return self._run(int(self.times.value))

    def _run(self, times: int) -> Comparison:
        check_times(times, most=MAX_CALLS)
        scenarios = method_scenarios()
        done = [0]

        def on_reset() -> None:
            if done[0] < len(scenarios):
                self._message.show(
                    _("Running {label} ({number} of {total})…").format(
                        label=scenarios[done[0]].label, number=done[0] + 1, total=len(scenarios)
                    )
                )
            done[0] += 1

        comparison = compare(Watch(self.lab, on_reset=on_reset), scenarios, times=times)
        self._comparison = comparison
        self._board.value = comparison._repr_html_()
        self._message.show(
            _("Ran {count} scenarios, {times} calls each.").format(count=len(comparison.rows), times=times), "success"
        )
        return comparison
