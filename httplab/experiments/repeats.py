"""Repeat a request, watch the server's state, and judge what was observed.

An experiment sends the identical request several times and snapshots the state of the
lab's resources before and after every call (request counters and settings are not state:
a safe method may still be logged or counted). From the snapshots it says what this
server did: did any call change the state (``state_unchanged``)? Was the state after the
first call the same as after every later one (``same_after_repeats``)?

Those are observations. "Safe" and "idempotent" are properties of a *method* (RFC 9110
§9.2): a promise the server keeps or breaks, which one run can support or contradict but
never prove.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from httplab.client.models import Exchange
from httplab.display import render
from httplab.display.charts import Lane, state_chart
from httplab.experiments.calls import (
    Call,
    LabLike,
    check_times,
    exchange_to_dict,
    label_text,
    prepare,
    resources_state,
    state_size,
    yes_no,
)
from httplab.experiments.verdicts import (
    CAVEAT,
    IDEMPOTENT_METHODS,
    SAFE_METHODS,
    VERDICTS,
    Observation,
    incidental_fields,
    judge,
    promise_of,
    same_in_sent_fields,
)
from httplab.http.status import status_text
from httplab.i18n import _, ngettext, pgettext

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
    def state_unchanged(self) -> bool:
        """True when no call changed the state."""
        return self.observation.state_unchanged

    @property
    def same_after_repeats(self) -> bool:
        """True when the state after call 1 equals the state after every later call."""
        return self.observation.same_after_repeats

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
        """True when the observation contradicts the method's definition.

        That is: a safe method changed the state, or an idempotent method (PUT, DELETE or a
        safe one) did not leave the same state after repeats. A PUT whose repeats differ only
        in fields the client did not send (a server-stamped ``updated_at``) keeps its promise:
        idempotence is about the intended effect (RFC 9110 §9.2.2), see :attr:`unusual_but_allowed`.
        """
        method = self.call.method
        if method in SAFE_METHODS and self.changed_state:
            return True
        return method in IDEMPOTENT_METHODS and not self.same_after_repeats and not self.incidental_changes_only

    @property
    def incidental_changes_only(self) -> bool:
        """True for a PUT whose repeats changed only fields the client did not send; the rest stayed as sent."""
        sent = self.call.options.get("json")
        if self.call.method != "PUT" or self.same_after_repeats or not isinstance(sent, dict):
            return False
        return same_in_sent_fields(self.after, self.call.path, sent)

    @property
    def unusual_but_allowed(self) -> tuple[str, ...]:
        """Say what this run showed that is unusual but breaks no rule (empty when nothing was)."""
        notes = []
        if self.incidental_changes_only:
            fields = ", ".join(incidental_fields(self.after, self.call.path, self.call.options["json"]))
            notes.append(
                _(
                    "Unusual but allowed: between repeats only fields the client did not send changed ({fields}); "
                    "every field it sent stayed as sent. Idempotent is about the intended effect (RFC 9110 §9.2.2): "
                    "a server may stamp a time or keep a history of its own."
                ).format(fields=fields)
            )
        if self.call.method == "DELETE":
            changes = self.observation.changed_by_call
            quiet = [str(k + 1) for k, e in enumerate(self.exchanges) if e.ok and not changes[k]]
            if quiet:
                notes.append(
                    ngettext(
                        "Unusual but allowed: call {calls} answered 2xx though there was nothing to delete. "
                        "A 404 is more common, but the state is what a DELETE leaves either way (RFC 9110 §9.3.5).",
                        "Unusual but allowed: calls {calls} answered 2xx though there was nothing to delete. "
                        "A 404 is more common, but the state is what a DELETE leaves either way (RFC 9110 §9.3.5).",
                        len(quiet),
                    ).format(calls=", ".join(quiet))
                )
        return tuple(notes)

    @property
    def misleading_statuses(self) -> tuple[int, ...]:
        """The calls (numbered from 1) that answered 5xx although they changed the state."""
        return tuple(
            k + 1
            for k, (status, changed) in enumerate(zip(self.statuses, self.observation.changed_by_call, strict=True))
            if status is not None and status >= 500 and changed
        )

    @property
    def explanation(self) -> str:
        """Say in plain words what happened, what it suggests, and what it cannot prove."""
        return " ".join(_explain(self))

    def lane(self) -> Lane:
        """Return this run as one lane of a :func:`httplab.display.charts.state_chart`."""
        if self.state_unchanged:
            note, tone = _("flat: state unchanged"), "safe"
        elif self.same_after_repeats or self.incidental_changes_only:
            note, tone = _("changed once, then stayed"), "idempotent"
        else:
            note, tone = _(VERDICTS["kept-changing"]), "neither"
        return Lane(label_text(self.label), self.state_numbers, note, tone)

    def to_dict(self) -> dict[str, Any]:
        """Return everything as plain JSON-serialisable data, for checkers and tests."""
        return {
            "label": self.label,
            "call": self.call.to_dict(),
            "times": self.times,
            "statuses": list(self.statuses),
            "changed_by_call": list(self.observation.changed_by_call),
            "changed_state": self.changed_state,
            "state_unchanged": self.state_unchanged,
            "same_after_repeats": self.same_after_repeats,
            "state_numbers": list(self.state_numbers),
            "distinct_states": self.distinct_states,
            "state_sizes": [state_size(state) for state in self.after],
            "broken_promise": self.broken_promise,
            "unusual_but_allowed": list(self.unusual_but_allowed),
            "misleading_statuses": list(self.misleading_statuses),
            "promise": self.promise,
            "explanation": self.explanation,
            "before": list(self.before),
            "after": list(self.after),
            "setup": [exchange_to_dict(e) for e in self.setup],
            "exchanges": [exchange_to_dict(e) for e in self.exchanges],
        }

    def __repr__(self) -> str:
        codes = " ".join("---" if s is None else str(s) for s in self.statuses)
        return f"<RepeatResult {self.call.method} {self.call.path} ×{self.times} [{codes}] {_verdict(self)}>"

    def _repr_html_(self) -> str:
        rows = [
            (
                str(number),
                render.badges([exchange]),
                yes_no(changed),
                str(state_numbers_after),
                str(state_size(state)),
            )
            for number, (exchange, changed, state_numbers_after, state) in enumerate(
                zip(self.exchanges, self.observation.changed_by_call, self.state_numbers[1:], self.after, strict=True),
                start=1,
            )
        ]
        headings = (
            pgettext("column", "call"),
            pgettext("column", "response"),
            _("changed the state?"),
            _("state number after"),
            _("entries after"),
        )
        sent = ngettext("{request} sent {times} time", "{request} sent {times} times", self.times)
        return render.box(
            sent.format(request=render.request_line(self.call.method, self.call.path), times=self.times),
            _verdict_chips(self),
            render.table(headings, rows),
            state_chart([self.lane()], title=_("{label}: state after each call").format(label=label_text(self.label))),
            render.paragraph(self.explanation),
            render.json_block(_("state before the first call"), self.before[0]),
            render.json_block(_("state after each call"), list(self.after)),
            render.wire_block(_("every exchange on the wire"), (*self.setup, *self.exchanges)),
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
    >>> result.statuses, result.same_after_repeats
    ((201, 204, 204), True)

    """
    check_times(times)
    call = Call(method, path, **request)
    prepared = prepare(lab, setup, reset=reset)
    exchanges, before, after = [], [], []
    state = resources_state(lab.state())
    for _number in range(times):
        # Nothing is sent between one call's "after" and the next call's "before": one read serves both.
        before.append(state)
        exchanges.append(call.send(lab))
        state = resources_state(lab.state())
        after.append(state)
    return RepeatResult(call, tuple(exchanges), tuple(before), tuple(after), prepared, label)


def verdict_words(result: RepeatResult) -> str:
    """Say what was observed in a few words, e.g. ``"changed once, then stayed the same"``.

    The words describe this run's effect on the state; they never call the method safe or
    idempotent, which are properties of the method (RFC 9110 §9.2).
    """
    return _(_verdict(result))


def _verdict(result: RepeatResult) -> str:
    """Return the verdict's English words (the message id :func:`verdict_words` translates)."""
    if result.state_unchanged:
        return VERDICTS["unchanged"]
    if result.incidental_changes_only:
        return VERDICTS["incidental"]
    if result.same_after_repeats:
        return VERDICTS["once"]
    return VERDICTS["kept-changing"]


def _verdict_chips(result: RepeatResult) -> str:
    # Without an incidental change the chip says render's own "no".
    incidental = {"no": _("only server-set fields differ")} if result.incidental_changes_only else {}
    return (
        "<div>"
        + render.verdict_chip(_("state changed"), result.changed_state)
        + render.verdict_chip(_("same state after repeats"), result.same_after_repeats, **incidental)
        + (render.verdict_chip(_("method's promise kept"), False, no=_("no: broken")) if result.broken_promise else "")
        + "</div>"
    )


def _explain(result: RepeatResult) -> list[str]:
    times, method = result.times, result.call.method
    parts = []
    if result.state_unchanged:
        parts.append(_("None of the {times} calls changed the state.").format(times=times))
    elif result.same_after_repeats:
        if result.observation.changed_by_call[0]:
            parts.append(_("The first call changed the state; after every later call it was the same as after call 1."))
        else:
            parts.append(_("The state changed; after every later call it was the same as after call 1."))
    else:
        parts.append(
            _("Repeating it changed the state again: after call {times} it differs from after call 1.").format(
                times=times
            )
        )
    codes = {status_text(s) for s in result.statuses}
    if result.same_after_repeats and len(codes) > 1:
        parts.append(
            _(
                "The responses differed ({statuses}), yet the state did not: idempotent is about the effect on "
                "the state, not the response."
            ).format(statuses=", ".join(status_text(s) for s in result.statuses))
        )
    if not any(exchange.ok for exchange in result.exchanges):
        parts.append(
            _("No call got a 2xx response, so this run shows little about what the method does when it works.")
        )
    if method == "DELETE" and result.exchanges[0].ok and 404 in result.statuses[1:]:
        parts.append(_delete_404(result))
    for call_number in result.misleading_statuses:
        parts.append(
            _(
                "Call {number} answered {status}, yet the state changed: a 5xx says the server erred or could not "
                "perform the request (RFC 9110 §15.6), so a client may wrongly conclude that nothing happened. "
                "That breaks a rule about status codes, not the method's promise."
            ).format(number=call_number, status=status_text(result.statuses[call_number - 1]))
        )
    parts.extend(result.unusual_but_allowed)
    parts.append(result.promise)
    if result.broken_promise:
        parts.append(_("This server broke that promise: HTTP cannot enforce it, the server has to keep it."))
    elif method not in IDEMPOTENT_METHODS and result.changed_state and result.same_after_repeats:
        parts.append(
            _(
                "This {method} was idempotent in effect: repeating it left the same state. That does not make "
                "{method} an idempotent method: a client, library or proxy that sees only the method cannot know "
                "it, so a generic client should not, and a proxy must not, repeat such a request on its own."
            ).format(method=method)
        )
    elif method == "PATCH" and not result.same_after_repeats:
        parts.append(_("This patch did something new on every call, the way a JSON Patch that appends does."))
    if method in SAFE_METHODS:
        parts.append(_("Request counters are not counted as state: a safe request may still be logged or counted."))
    parts.append(_(CAVEAT))
    return parts


def _delete_404(result: RepeatResult) -> str:
    """Say what the 404s after a successful DELETE show, and what a 404 alone cannot show."""
    if result.observation.changed_by_call[0]:
        return _(
            "The later 404s say the item was already gone. A 404 alone does not say who deleted it; here the "
            "snapshots show it disappeared with call 1, so the first DELETE did it. The 404s are not failures: "
            "the state is what one DELETE leaves."
        )
    return _(
        "The later 404s say the item was already gone. A 404 alone does not say who deleted it: most likely the "
        "first DELETE did. The 404s are not failures."
    )
