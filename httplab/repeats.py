"""Repeat a request, watch the server's state, and judge what was observed.

An experiment sends the identical request several times and snapshots the state of the
lab's resources before and after every call (request counters and settings are not state:
a safe method may still be logged or counted). From the snapshots it judges what this
server did: did any call change the state (*safe* observed)? Was the state after the
first call the same as after every later one (*idempotent* observed)?

An observation is evidence about this server, not a proof about the method: a method's
semantics (RFC 9110 §9.2) are a promise the server keeps or breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from httplab import _render
from httplab._runner import Call, LabLike, check_times, exchange_to_dict, prepare, resources_state, state_size
from httplab.charts import Lane, state_chart
from httplab.models import Exchange, status_text
from httplab.verdicts import CAVEAT, IDEMPOTENT_METHODS, SAFE_METHODS, Observation, judge, promise_of

__all__ = ["RepeatResult", "repeat", "verdict_words"]


@dataclass(frozen=True)
class RepeatResult:
    """The outcome of sending one request several times: every exchange, snapshot and verdict.

    Attributes
    ----------
    call
        The request that was repeated.
    exchanges
        One exchange per call, in order (``exchange.response`` is None when none came).
    before, after
        The resources' state just before and just after each call.
    setup
        The exchanges that prepared the state before the first call.
    label
        A short name for the run, like ``"PATCH (merge patch)"``.

    """

    call: Call
    exchanges: tuple[Exchange, ...]
    before: tuple[dict[str, Any], ...]
    after: tuple[dict[str, Any], ...]
    setup: tuple[Exchange, ...] = ()
    label: str = ""
    observation: Observation = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "observation", judge(self.before, self.after))
        if not self.label:
            object.__setattr__(self, "label", f"{self.call.method} {self.call.path}")

    @property
    def times(self) -> int:
        """How many times the request was sent."""
        return len(self.exchanges)

    @property
    def statuses(self) -> tuple[int | None, ...]:
        """The status code of each call (None where no response came)."""
        return tuple(exchange.status for exchange in self.exchanges)

    @property
    def changed_state(self) -> bool:
        """True when at least one call changed the state."""
        return self.observation.changed_state

    @property
    def safe_observed(self) -> bool:
        """True when no call changed the state."""
        return self.observation.safe_observed

    @property
    def idempotent_observed(self) -> bool:
        """True when the state after call 1 equals the state after every later call."""
        return self.observation.idempotent_observed

    @property
    def state_numbers(self) -> tuple[int, ...]:
        """The starting state, then the state after each call, numbered by first appearance."""
        return self.observation.state_numbers

    @property
    def distinct_states(self) -> int:
        """How many different states the run went through, the starting one included."""
        return self.observation.distinct_states

    @property
    def promise(self) -> str:
        """What HTTP promises about this method, in one sentence."""
        return promise_of(self.call.method)

    @property
    def broken_promise(self) -> bool:
        """True when the observation contradicts the method's definition (a safe method changed state...)."""
        method = self.call.method
        if method in SAFE_METHODS and self.changed_state:
            return True
        return method in IDEMPOTENT_METHODS and not self.idempotent_observed

    @property
    def explanation(self) -> str:
        """Say in plain words what happened, what it suggests, and what it cannot prove."""
        return " ".join(_explain(self))

    def lane(self) -> Lane:
        """Return this run as one lane of a :func:`httplab.charts.state_chart`."""
        if self.safe_observed:
            note, tone = "flat: nothing changed", "safe"
        elif self.idempotent_observed:
            note, tone = "changed once, then stayed", "idempotent"
        else:
            note, tone = "kept changing: not idempotent", "neither"
        return Lane(self.label, self.state_numbers, note, tone)

    def to_dict(self) -> dict[str, Any]:
        """Return everything as plain JSON-serialisable data, for checkers and tests."""
        return {
            "label": self.label,
            "call": self.call.to_dict(),
            "times": self.times,
            "statuses": list(self.statuses),
            "changed_by_call": list(self.observation.changed_by_call),
            "changed_state": self.changed_state,
            "safe_observed": self.safe_observed,
            "idempotent_observed": self.idempotent_observed,
            "state_numbers": list(self.state_numbers),
            "distinct_states": self.distinct_states,
            "state_sizes": [state_size(state) for state in self.after],
            "broken_promise": self.broken_promise,
            "promise": self.promise,
            "explanation": self.explanation,
            "before": list(self.before),
            "after": list(self.after),
            "setup": [exchange_to_dict(e) for e in self.setup],
            "exchanges": [exchange_to_dict(e) for e in self.exchanges],
        }

    def __repr__(self) -> str:
        codes = " ".join("---" if s is None else str(s) for s in self.statuses)
        return f"<RepeatResult {self.call.method} {self.call.path} ×{self.times} [{codes}] {verdict_words(self)}>"

    def _repr_html_(self) -> str:
        rows = [
            (
                str(number),
                _render.badges([exchange]),
                "yes" if changed else "no",
                str(state_numbers_after),
                str(state_size(state)),
            )
            for number, (exchange, changed, state_numbers_after, state) in enumerate(
                zip(self.exchanges, self.observation.changed_by_call, self.state_numbers[1:], self.after, strict=True),
                start=1,
            )
        ]
        return _render.box(
            f"{_render.request_line(self.call.method, self.call.path)} sent {self.times} times",
            _verdict_chips(self),
            _render.table(("call", "response", "changed the state?", "state number after", "entries after"), rows),
            state_chart([self.lane()], title=f"{self.label}: state after each call"),
            _render.paragraph(self.explanation),
            _render.json_block("state before the first call", self.before[0]),
            _render.json_block("state after each call", list(self.after)),
            _render.wire_block("every exchange on the wire", (*self.setup, *self.exchanges)),
        )


def repeat(
    lab: LabLike,
    method: str,
    path: str,
    *,
    times: int = 3,
    setup: Iterable[Call | Sequence[Any]] = (),
    reset: bool = True,
    label: str = "",
    **request: Any,
) -> RepeatResult:
    """Send the identical request *times* times and snapshot the state around every call.

    Parameters
    ----------
    lab
        The lab to run on (anything with ``send``, ``state`` and ``reset``).
    method, path
        The request to repeat, e.g. ``"PUT", "/lab/items/apple"``.
    times
        How many times to send it (2 to 100).
    setup
        Requests sent first, so the run starts from a known state (each must succeed).
    reset
        Empty the lab before the setup requests.
    label
        A short name for the run.
    **request
        ``json=``, ``content=`` or ``headers=``, as :meth:`httplab.Lab.send` takes them.

    Raises
    ------
    SetupFailedError
        A setup request did not get a 2xx response.

    Examples
    --------
    >>> import httplab
    >>> with httplab.Lab(in_process=True) as lab:
    ...     result = repeat(lab, "PUT", "/lab/items/apple", json={"name": "apple"})
    >>> result.statuses, result.idempotent_observed
    ((201, 204, 204), True)

    """
    check_times(times)
    call = Call(method, path, **request)
    prepared = prepare(lab, setup, reset=reset)
    exchanges, before, after = [], [], []
    state = resources_state(lab.state())
    for _ in range(times):
        # Nothing is sent between one call's "after" and the next call's "before": one read serves both.
        before.append(state)
        exchanges.append(call.send(lab))
        state = resources_state(lab.state())
        after.append(state)
    return RepeatResult(call, tuple(exchanges), tuple(before), tuple(after), prepared, label)


def verdict_words(result: RepeatResult) -> str:
    """Say the verdict in a few words, e.g. ``"changed once (idempotent here)"``."""
    if result.safe_observed:
        return "no change (safe here)"
    if result.idempotent_observed:
        return "changed once (idempotent here)"
    return "changed on repeats (not idempotent here)"


def _verdict_chips(result: RepeatResult) -> str:
    return (
        "<div>"
        + _render.verdict_chip("changed state", result.changed_state, "yes", "no")
        + _render.verdict_chip("safe (observed)", result.safe_observed)
        + _render.verdict_chip("idempotent (observed)", result.idempotent_observed)
        + (_render.verdict_chip("promise kept", False, no="no: broken") if result.broken_promise else "")
        + "</div>"
    )


def _explain(result: RepeatResult) -> list[str]:
    times, method = result.times, result.call.method
    parts = []
    if result.safe_observed:
        parts.append(f"None of the {times} calls changed the state.")
    elif result.idempotent_observed:
        first = "The first call changed the state" if result.observation.changed_by_call[0] else "The state changed"
        parts.append(f"{first}; after every later call it was the same as after call 1.")
    else:
        parts.append(f"Repeating it changed the state again: after call {times} it differs from after call 1.")
    codes = {status_text(s) for s in result.statuses}
    if result.idempotent_observed and len(codes) > 1:
        parts.append(
            f"The responses differed ({', '.join(status_text(s) for s in result.statuses)}), "
            "yet the state did not: idempotent is about the effect on the state, not the response."
        )
    if not any(exchange.ok for exchange in result.exchanges):
        parts.append("No call got a 2xx response, so this run shows little about what the method does when it works.")
    if method == "DELETE" and result.exchanges[0].ok and 404 in result.statuses[1:]:
        parts.append("The later 404s mean the item was already gone: the first DELETE did its job.")
    parts.append(result.promise)
    if result.broken_promise:
        parts.append("This server broke that promise: HTTP cannot enforce it, the server has to keep it.")
    elif method == "PATCH":
        parts.append("Whether a PATCH is idempotent depends on the patch document, not on the method.")
    if method in SAFE_METHODS:
        parts.append("Request counters are not counted as state: a safe request may still be logged or counted.")
    parts.append(CAVEAT)
    return parts
