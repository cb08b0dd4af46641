"""Compare requests side by side: one scenario per method, repeated, in one table and one chart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from httplab.display import render
from httplab.display.charts import state_chart
from httplab.experiments.calls import Call, LabLike, check_times, join_and, join_or, label_text
from httplab.experiments.repeats import RepeatResult, _verdict, repeat
from httplab.experiments.verdicts import CAVEAT, IDEMPOTENT_METHODS
from httplab.i18n import N_, _, ngettext, pgettext

__all__ = ["Comparison", "Scenario", "compare", "method_scenarios"]


@dataclass(frozen=True)
class Scenario:
    """A request to repeat and the setup it needs, with a short label.

    >>> Scenario("DELETE", Call("DELETE", "/lab/items/apple")).call.method
    'DELETE'
    """

    label: str
    call: Call
    setup: tuple[Call, ...] = ()

    def run(self, lab: LabLike, *, times: int = 3, reset: bool = True) -> RepeatResult:
        """Run this scenario with :func:`repeat`."""
        return repeat(
            lab,
            self.call.method,
            self.call.path,
            times=times,
            setup=self.setup,
            reset=reset,
            label=self.label,
            **self.call.options,
        )


def method_scenarios() -> tuple[Scenario, ...]:
    """Return one sensible scenario per method, each starting from one existing item.

    The item is ``/lab/items/apple`` = ``{"name": "apple", "tags": ["fruit"]}``. The
    scenarios: GET, HEAD and OPTIONS on it; POST a new item; PUT a new item at
    ``/lab/items/pear``; PATCH it with a merge patch; PATCH it with a JSON Patch that
    appends to ``tags``; DELETE it.

    >>> [s.label for s in method_scenarios()][:3]
    ['GET', 'HEAD', 'OPTIONS']
    """
    item = "/lab/items/apple"
    start = (Call("PUT", item, json={"name": "apple", "tags": ["fruit"]}),)
    return (
        Scenario("GET", Call("GET", item), start),
        Scenario("HEAD", Call("HEAD", item), start),
        Scenario("OPTIONS", Call("OPTIONS", item), start),
        Scenario("POST", Call("POST", "/lab/items", json={"name": "pear"}), start),
        Scenario("PUT", Call("PUT", "/lab/items/pear", json={"name": "pear"}), start),
        Scenario(
            N_("PATCH (merge patch)"),
            Call("PATCH", item, json={"colour": "red"}, headers={"Content-Type": "application/merge-patch+json"}),
            start,
        ),
        Scenario(
            N_("PATCH (JSON Patch append)"),
            Call(
                "PATCH",
                item,
                json=[{"op": "add", "path": "/tags/-", "value": "x"}],
                headers={"Content-Type": "application/json-patch+json"},
            ),
            start,
        ),
        Scenario("DELETE", Call("DELETE", item), start),
    )


@dataclass(frozen=True)
class Comparison:
    """Several repeated requests side by side: a table and a chart of the state after each call.

    Attributes
    ----------
    rows
        One :class:`RepeatResult` per request, in the order given.

    """

    rows: tuple[RepeatResult, ...]

    def __getitem__(self, label: str) -> RepeatResult:
        """Return the row whose label (or ``"METHOD path"``) is *label*, in English or as shown."""
        for row in self.rows:
            if label in (row.label, label_text(row.label), f"{row.call.method} {row.call.path}"):
                return row
        raise KeyError(
            _("No row is labelled {label!r}. The labels are: {labels}.").format(
                label=label, labels=", ".join(r.label for r in self.rows)
            )
        )

    @property
    def explanation(self) -> str:
        """Group the requests by what was observed, and say what that can and cannot show."""
        def labels(rows: list[RepeatResult]) -> str:
            return ", ".join(label_text(r.label) for r in rows)

        groups = (
            (_("State unchanged"), [r for r in self.rows if r.state_unchanged]),
            (
                _("Changed once, then stayed the same"),
                [r for r in self.rows if r.changed_state and r.same_after_repeats],
            ),
            (
                _("Changed once, then only server-set fields changed"),
                [r for r in self.rows if r.incidental_changes_only],
            ),
            (
                _("Kept changing"),
                [r for r in self.rows if not r.same_after_repeats and not r.incidental_changes_only],
            ),
        )
        parts = [_("{title}: {labels}.").format(title=title, labels=labels(rows)) for title, rows in groups if rows]
        broken = [r for r in self.rows if r.broken_promise]
        if broken:
            parts.append(_("These broke the promise their method makes: {labels}.").format(labels=labels(broken)))
        parts.extend(
            _("{label}: {note}").format(label=label_text(r.label), note=note)
            for r in self.rows
            for note in r.unusual_but_allowed
        )
        parts.append(
            _(
                "Idempotent is about the state, not the response: a repeated PUT may answer 201 then 204, "
                "a repeated DELETE 204 then 404."
            )
        )
        in_effect = [
            r for r in self.rows if r.call.method not in IDEMPOTENT_METHODS and r.changed_state and r.same_after_repeats
        ]
        if in_effect:
            methods = sorted({r.call.method for r in in_effect})
            parts.append(
                ngettext(
                    "{labels}: idempotent in effect in this run, yet {methods} is not an idempotent method. "
                    "The method is usually all a client, library or proxy sees, so a generic client should not, "
                    "and a proxy must not, repeat such a request on its own.",
                    "{labels}: idempotent in effect in this run, yet {methods} are not idempotent methods. "
                    "The method is usually all a client, library or proxy sees, so a generic client should not, "
                    "and a proxy must not, repeat such a request on its own.",
                    len(methods),
                ).format(labels=labels(in_effect), methods=join_and(methods))
            )
        parts.append(_(CAVEAT))
        return " ".join(parts)

    def chart(self) -> str:
        """Return the inline SVG chart: one lane per request, the state number after each call."""
        return state_chart([row.lane() for row in self.rows], title=_("State after each call, one lane per request"))

    def to_dict(self) -> dict[str, Any]:
        """Return every row as plain JSON-serialisable data."""
        return {"rows": [row.to_dict() for row in self.rows], "explanation": self.explanation}

    def __repr__(self) -> str:
        inner = ", ".join(f"{row.label}: {_verdict(row)}" for row in self.rows)
        return f"<Comparison {len(self.rows)} requests ({inner})>"

    def _repr_html_(self) -> str:
        rows = [
            (
                f"<b>{render.esc(label_text(row.label))}</b><br>{render.request_line(row.call.method, row.call.path)}",
                render.badges(row.exchanges),
                render.esc(" → ".join(map(str, row.state_numbers))),
                render.verdict_chip(_("state changed"), row.changed_state),
                render.verdict_chip(
                    _("same after repeats"),
                    row.same_after_repeats,
                    # Without an incidental change the chip says render's own "no".
                    **({"no": _("only server-set fields differ")} if row.incidental_changes_only else {}),
                ),
                render.esc(row.promise),
            )
            for row in self.rows
        ]
        headings = (
            pgettext("column", "request"),
            pgettext("column", "responses"),
            _("state numbers"),
            _("state changed?"),
            _("same state after repeats?"),
            _("HTTP says"),
        )
        times = sorted({row.times for row in self.rows})
        sent = join_or([str(n) for n in times])
        return render.box(
            ngettext(
                "{count} request, each sent {times} times", "{count} requests, each sent {times} times", len(self.rows)
            ).format(count=len(self.rows), times=render.esc(sent)),
            render.table(headings, rows),
            self.chart(),
            render.paragraph(self.explanation),
        )


def compare(
    lab: LabLike,
    requests: Iterable[Scenario | Call | Sequence[Any]],
    *,
    times: int = 3,
    reset: bool = True,
) -> Comparison:
    """Repeat each request *times* times (from a fresh lab by default) and put the runs side by side.

    Parameters
    ----------
    lab
        The lab to run on.
    requests
        :class:`Scenario` objects (see :func:`method_scenarios`), :class:`Call` objects, or
        ``(method, path)`` / ``(method, path, {options})`` tuples.
    times
        How many times to send each request.
    reset
        Empty the lab before each request's run, so the runs do not affect each other.

    Examples
    --------
    >>> import httplab
    >>> with httplab.Lab(in_process=True) as lab:
    ...     table = compare(lab, method_scenarios(), times=3)
    >>> table["POST"].distinct_states, table["PUT"].distinct_states
    (4, 2)

    """
    check_times(times)
    rows = []
    for value in requests:
        scenario = value if isinstance(value, Scenario) else _scenario_of(Call.coerce(value))
        rows.append(scenario.run(lab, times=times, reset=reset))
    return Comparison(tuple(rows))


def _scenario_of(call: Call) -> Scenario:
    return Scenario(f"{call.method} {call.path}", call)


