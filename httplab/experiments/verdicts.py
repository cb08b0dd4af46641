"""Judge what repeated calls did to the state, from snapshots alone, and say what HTTP promises.

These functions are pure: they see states (plain dicts), never a server, so they can be
checked on made-up snapshots as well as on real runs. An observation says whether the
state changed and whether it stayed the same after repeats; "safe" and "idempotent" are
properties of a *method* (RFC 9110 §9.2), never of one observation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from httplab.display.charts import state_numbers
from httplab.experiments.calls import state_key
from httplab.i18n import N_, _

__all__ = [
    "CAVEAT",
    "IDEMPOTENT_METHODS",
    "SAFE_METHODS",
    "VERDICTS",
    "Observation",
    "incidental_fields",
    "judge",
    "promise_of",
    "same_in_sent_fields",
]

#: Methods RFC 9110 §9.2.1 defines as safe.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: Methods RFC 9110 §9.2.2 defines as idempotent (every safe method, plus PUT and DELETE).
IDEMPOTENT_METHODS = SAFE_METHODS | {"PUT", "DELETE"}

#: Said after every verdict (an English message id: show it with ``_(CAVEAT)``).
CAVEAT = N_(
    "An observation is evidence about this server, not a proof about the method: "
    "a method's semantics are a promise the server keeps or breaks."
)


#: What a run did to the state, in a few words, by kind (English message ids, shown with ``_()``).
VERDICTS = {
    "unchanged": N_("state unchanged"),
    "incidental": N_("changed once, then only server-set fields changed"),
    "once": N_("changed once, then stayed the same"),
    "kept-changing": N_("kept changing"),
}


def promise_of(method: str) -> str:
    """Say what HTTP defines about *method*: safe, idempotent, or neither (RFC 9110 §9.2, RFC 5789 §2).

    >>> promise_of("PUT")
    'RFC 9110 defines PUT as idempotent but not safe.'
    """
    method = method.upper()
    if method in SAFE_METHODS:
        return _("RFC 9110 defines {method} as safe (and so idempotent).").format(method=method)
    if method in IDEMPOTENT_METHODS:
        return _("RFC 9110 defines {method} as idempotent but not safe.").format(method=method)
    if method == "PATCH":
        return _(
            "RFC 5789 §2 defines PATCH as neither safe nor idempotent. The method is usually all a client, "
            "library or proxy sees, so a proxy MUST NOT and a generic client SHOULD NOT repeat a PATCH on its own. "
            "A particular patch can still be idempotent in effect: a merge patch that sets values gives the same "
            "state twice, a JSON Patch that appends to a list does not."
        )
    if method == "POST":
        return _("RFC 9110 defines POST as neither safe nor idempotent.")
    return _("{method} makes no safe or idempotent promise that this kit knows of.").format(method=method)


@dataclass(frozen=True)
class Observation:
    """What a run of identical calls did to the state, judged from snapshots alone.

    Attributes
    ----------
    changed_by_call
        For each call, whether the state after it differed from the state before it.
    changed_state
        True when at least one call changed the state.
    state_unchanged
        True when no call changed the state (an observation: "safe" is a property of the method).
    same_after_repeats
        True when the state after the first call equals the state after every later call (an
        observation: "idempotent" is a property of the method).
    state_numbers
        The state before the first call, then after each call, numbered by first appearance.

    """

    changed_by_call: tuple[bool, ...]
    changed_state: bool
    state_unchanged: bool
    same_after_repeats: bool
    state_numbers: tuple[int, ...]

    @property
    def distinct_states(self) -> int:
        """How many different states the run went through, the starting one included."""
        return len(set(self.state_numbers))


def judge(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> Observation:
    """Judge from the state before and after each call whether it changed, and whether repeats changed it.

    Parameters
    ----------
    before, after
        ``before[k]`` and ``after[k]`` are the state just before and just after call *k*.

    Examples
    --------
    >>> o = judge([{"n": 0}, {"n": 1}], [{"n": 1}, {"n": 2}])
    >>> o.state_unchanged, o.same_after_repeats
    (False, False)

    """
    if len(before) != len(after) or not after:
        raise ValueError(_("judge() needs one 'before' and one 'after' state per call, for at least one call."))
    before_keys = [state_key(state) for state in before]
    after_keys = [state_key(state) for state in after]
    changed = tuple(b != a for b, a in zip(before_keys, after_keys, strict=True))
    return Observation(
        changed_by_call=changed,
        changed_state=any(changed),
        state_unchanged=not any(changed),
        same_after_repeats=all(key == after_keys[0] for key in after_keys[1:]),
        state_numbers=state_numbers([before_keys[0], *after_keys]),
    )



# A PUT asks for the state the client sent (RFC 9110 §9.3.4); idempotence is about that intended effect
# (§9.2.2), and "a server is free to ... implement other non-idempotent side effects". So when repeated
# PUTs leave states that differ only in fields the client never sent (a server-stamped updated_at, a
# revision number), the verdict calls that unusual but allowed, not a broken promise. Fields the client
# did send must stay as sent, and everything else in the lab (other items, other sections) must not move.


def _sent_view(state: Mapping[str, Any], path: str, sent: Mapping[str, Any]) -> dict[str, Any]:
    """Return *state* with the item at *path* cut down to the fields the client sent (its ETag dropped)."""
    view = dict(state)
    entries = state.get("items")
    if isinstance(entries, list):
        view["items"] = [
            {"id": e.get("id"), "href": path, "data": {k: e["data"][k] for k in sent if k in e["data"]}}
            if isinstance(e, Mapping) and e.get("href") == path and isinstance(e.get("data"), Mapping)
            else e
            for e in entries
        ]
    return view


def same_in_sent_fields(after: Sequence[Mapping[str, Any]], path: str, sent: Mapping[str, Any]) -> bool:
    """Tell whether the states after each PUT are equal once the fields the client did not send are set aside.

    >>> after = [{"items": [{"href": "/x", "data": {"n": 1, "at": t}}]} for t in (1, 2)]
    >>> same_in_sent_fields(after, "/x", {"n": 1})
    True
    """
    keys = [state_key(_sent_view(state, path, sent)) for state in after]
    return all(key == keys[0] for key in keys[1:])


def incidental_fields(after: Sequence[Mapping[str, Any]], path: str, sent: Mapping[str, Any]) -> list[str]:
    """Name the fields of the item at *path* that the client did not send and that differ between the states.

    >>> after = [{"items": [{"href": "/x", "data": {"n": 1, "at": t}}]} for t in (1, 2)]
    >>> incidental_fields(after, "/x", {"n": 1})
    ['at']
    """
    seen: list[dict[str, Any]] = []
    for state in after:
        for entry in state.get("items") or []:
            if isinstance(entry, Mapping) and entry.get("href") == path and isinstance(entry.get("data"), Mapping):
                seen.append(dict(entry["data"]))
    names = {name for data in seen for name in data if name not in sent}
    return sorted(name for name in names if len({state_key({"v": d.get(name)}) for d in seen}) > 1)
