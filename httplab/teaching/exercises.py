"""Classroom exercises and their checkers: the lab's state is the answer key.

Each exercise asks the learner to write one function that takes a lab. ``check(name)`` finds that
function in the notebook, runs it against fresh in-process labs (so nothing the learner did before
can help or hurt), inspects the resulting state and the recorded exchanges, and answers with specific,
kind feedback. A checker never raises: a missing function, an exception or a wrong result all
become feedback.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from httplab.client.models import Exchange
from httplab.display import theme
from httplab.i18n import N_, _
from httplab.teaching import report
from httplab.teaching._audit_checks import check_audit
from httplab.teaching._checking import (
    MAX_REQUESTS,
    AcceptsDeletesForLater,
    _Failed,
    _Runaway,
    call,
    data,
    fresh_lab,
    header,
    items,
    methods,
)
from httplab.teaching._retry_checks import check_idempotent_retry
from httplab.teaching._update_checks import check_lost_update, check_update_loop

__all__ = ["EXERCISES", "CheckResult", "Exercise", "check"]


@dataclass(frozen=True)
class CheckResult:
    """What a checker found: passed or not, and feedback lines a learner can act on."""

    exercise: str
    passed: bool
    feedback: tuple[str, ...]

    def __repr__(self) -> str:
        verdict = "passed" if self.passed else "not yet"
        return f"<CheckResult {self.exercise}: {verdict}>"

    def __str__(self) -> str:
        head = _("✔ Well done — the checker accepts your solution.") if self.passed else _("✘ Not yet.")
        return "\n".join([head, *(f"- {line}" for line in self.feedback)])

    def _repr_html_(self) -> str:
        head = (
            _("✔ Passed — the checker accepts your solution.")
            if self.passed
            else _("✘ Not yet — here is what the checker saw:")
        )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.feedback)
        return (
            f"<div style='{theme.rule(theme.verdict_colour(self.passed))}'>"
            f"<b>{html.escape(head)}</b><ul>{items}</ul></div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary."""
        return {"exercise": self.exercise, "passed": self.passed, "feedback": list(self.feedback)}


@dataclass(frozen=True)
class Exercise:
    """One exercise: the function the learner writes and the checker that judges it.

    ``title`` and ``goal`` are the English texts (the teacher guide lists the titles);
    :attr:`shown_title` and :attr:`shown_goal` give them in the kit's language.
    """

    name: str
    title: str
    function: str
    signature: str
    goal: str
    checker: Callable[[Callable[..., Any]], list[str]] = field(repr=False)

    @property
    def shown_title(self) -> str:
        """The title in the kit's language."""
        return _(self.title)

    @property
    def shown_goal(self) -> str:
        """The goal in the kit's language."""
        return _(self.goal)


# ---------------------------------------------------------------------------- checkers


def _check_create_three(make_three: Callable[..., Any]) -> list[str]:
    with fresh_lab() as lab:
        call(make_three, lab)
        after_one = len(items(lab))
        call(make_three, lab)
        after_two = len(items(lab))
        used = methods(lab.history)
    sent = ", ".join(sorted(set(used)))
    if after_one != 3:
        raise _Failed(
            _("After one call the lab holds {count} items; it should hold exactly 3.").format(count=after_one)
        )
    if after_two != 3:
        raise _Failed(
            _(
                "After a second call the lab holds {count} items. Running the cell again must not add more: "
                "you sent {methods}. Each POST to /lab/items asks the server to create a new "
                "item; a PUT to a URI you choose leaves the same state however often it is sent."
            ).format(count=after_two, methods=sent)
        )
    return [
        _(
            "3 items after one call, still 3 after another: running it again is harmless, the state is what one run "
            "leaves."
        ),
        _("Methods you used: {methods}.").format(methods=sent),
    ]


def _check_change_one_field(rename: Callable[..., Any]) -> list[str]:
    original = {"name": "apple", "price": 3, "tags": ["fruit", "red"]}
    with fresh_lab() as lab:
        lab.send("PUT", "/lab/items/apple", json=original)
        lab.client.clear_history()
        call(rename, lab, "apple", "green apple")
        item = data(lab, "apple")
        used = methods(lab.history)
    expected = {**original, "name": "green apple"}
    if item is None:
        raise _Failed(_("The item /lab/items/apple is gone. Change one field; don't delete the item."))
    lost = sorted(set(original) - set(item))
    if lost:
        raise _Failed(
            _(
                "The item lost {fields}. PUT replaces the whole item, so fields you leave out are gone. "
                "Send a merge patch (PATCH with Content-Type: application/merge-patch+json) holding only the name, "
                "or PUT the complete item with the new name."
            ).format(fields=", ".join(lost))
        )
    if item != expected:
        raise _Failed(_("The item is now {item}; expected {expected}.").format(item=item, expected=expected))
    return [
        _("The name changed and nothing else did. You used {methods}.").format(
            methods=", ".join(used) or _("no request")
        )
    ]


def _key_of(exchanges: tuple[Exchange, ...]) -> list[str]:
    """Return the Idempotency-Key of every request in *exchanges* that sent one (quotes removed)."""
    keys = (header(e.request.headers.fields, "Idempotency-Key") for e in exchanges)
    return [key.strip().strip('"') for key in keys if key is not None]


def _alnum(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _check_safe_order(place_order: Callable[..., Any]) -> list[str]:
    order = {"order_id": "A-1001", "product": "tea", "quantity": 2}
    other = {"order_id": "A-1002", "product": "cake", "quantity": 1}
    with fresh_lab() as lab:
        call(place_order, lab, dict(order))
        first = lab.history
        call(place_order, lab, dict(order), when=_("when the same order was placed again"))
        retry = lab.history[len(first):]
        count_same = len(items(lab))
        call(place_order, lab, dict(other), when=_("when a different order came"))
        count_all = len(items(lab))
        used = set(methods(lab.history))
    keys, retry_keys = _key_of(first), _key_of(retry)
    if count_same == 0:
        raise _Failed(_("The lab holds no order after place_order ran. Send a request that creates one."))
    if count_same > 1 and keys and retry_keys and set(keys) != set(retry_keys):
        raise _Failed(
            _(
                "Placing the same order twice (a retry after a lost response) left {count} orders. Both calls sent "
                "an Idempotency-Key, but a different one ({first!r}, then {second!r}), so the server saw two "
                "orders. A key belongs to one operation: make it once for this order, keep it, and send the same key "
                "again when you retry."
            ).format(count=count_same, first=keys[0], second=retry_keys[0])
        )
    if count_same > 1:
        raise _Failed(
            _(
                "Placing the same order twice (a retry after a lost response) left {count} orders: the server "
                "could not tell the retry from a new order. POST is not idempotent (RFC 9110 §9.2.2). Make the retry "
                "recognisable: send the order to a URI of its own that your shop chooses, or give the order an "
                "Idempotency-Key that its retry sends again."
            ).format(count=count_same)
        )
    if count_all != 2:
        raise _Failed(
            _(
                "Two different orders should give two items; the lab holds {count}. "
                "Different orders need different keys (or URIs)."
            ).format(count=count_all)
        )
    guessable = [k for k in keys if len(k) < 16 or _alnum(str(order["order_id"])) in _alnum(k)]
    if guessable:
        raise _Failed(
            _(
                "Your Idempotency-Key {key!r} can be guessed: anyone who knows the order can send the same "
                "key, and another client's order with the same id would collide with yours. Make the key random, "
                "like a UUID (uuid.uuid4()), once per order, and keep it for that order's retries."
            ).format(key=guessable[0])
        )
    if keys:
        how = _(
            "Your retry sent the same random Idempotency-Key, so the server replayed its first response instead of "
            "creating a second order."
        )
    else:
        how = _(
            "You used {methods}: the retry landed on the order's own URI and left the state one request leaves."
        ).format(methods=", ".join(sorted(used)))
    return [how, _("A different order still got through.")]


def _check_delete_twice(remove: Callable[..., Any]) -> list[str]:
    with fresh_lab() as lab:
        lab.send("PUT", "/lab/items/old", json={"name": "old"})
        first = call(remove, lab, "old")
        second = call(remove, lab, "old", when=_("when the item was already deleted"))
        statuses = [e.status for e in lab.history if e.request.method == "DELETE"]
        left = [i["id"] for i in items(lab)]
    if "old" in left:
        raise _Failed(_("The item /lab/items/old is still there. Send DELETE to its URI."))
    if first is not True:
        raise _Failed(
            _("The first call returned {result!r} (the server answered {status}); return True when the item is gone.")
            .format(result=first, status=statuses[0] if statuses else _("nothing"))
        )
    if second is not True:
        raise _Failed(
            _(
                "The second call returned {result!r} (the server answered {status}). "
                "A 404 to a repeated DELETE says there is no item now: most likely your first attempt deleted it (a "
                "404 alone does not say who did). Either way the goal, no item, is reached: return True for 404 too."
            ).format(result=second, status=statuses[-1] if statuses else _("nothing"))
        )
    never_stops = _(
        "When the server answered 202 Accepted, your function sent more than {count} requests without "
        "stopping. The deletion may happen much later: don't wait for it in a loop here, report that the item "
        "is not gone yet."
    ).format(count=MAX_REQUESTS)
    with fresh_lab() as lab:
        lab.send("PUT", "/lab/items/queued", json={"name": "queued"})
        queue = AcceptsDeletesForLater(lab, runaway=never_stops)
        later = call(remove, queue, "queued", when=_("when the server answered 202 Accepted"))
        if queue.ran_away:
            raise _Failed(never_stops)
        still_there = data(lab, "queued") is not None
    if later is not False and still_there:
        raise _Failed(
            _(
                "A server answered your DELETE with 202 Accepted, and your function returned {result!r}. 202 means "
                "accepted, not done: the deletion will happen later, or maybe not at all (RFC 9110 §15.3.3), and the "
                "item is still there. Return True only when the item is gone, False otherwise."
            ).format(result=later)
        )
    return [
        _("DELETE answered {statuses}; both calls reported success, because the goal (no item) was reached.").format(
            statuses=statuses
        ),
        _("A 202 Accepted was not taken for done: the item was still there."),
    ]


def _check_create_once(create_once: Callable[..., Any]) -> list[str]:
    with fresh_lab() as lab:
        first = call(create_once, lab, "pen", {"name": "pen", "colour": "blue"})
        second = call(create_once, lab, "pen", {"name": "pen", "colour": "red"})
        item = data(lab, "pen")
        statuses = [e.status for e in lab.history]
    if item is None:
        raise _Failed(_("No item at /lab/items/pen. PUT it there."))
    if item.get("colour") != "blue":
        raise _Failed(
            _(
                "The pen is {colour}: the second call overwrote the first. "
                "Send If-None-Match: * so the PUT only happens when nothing is there yet (412 otherwise)."
            ).format(colour=item.get("colour"))
        )
    if (first, second) != (True, False):
        raise _Failed(
            _("Your function returned {first!r} then {second!r}; expected True (created) then False.").format(
                first=first, second=second
            )
        )
    return [
        _("Statuses {statuses}: created once, refused the second time with 412, nothing overwritten.").format(
            statuses=statuses
        )
    ]


def _check_allowed_methods(allowed_methods: Callable[..., Any]) -> list[str]:
    cases = {"/lab/items": {"GET", "HEAD", "POST", "OPTIONS"},
             "/lab/items/x": {"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"},
             "/lab/reset": {"POST", "OPTIONS"}}
    with fresh_lab() as lab:
        lab.send("PUT", "/lab/items/x", json={})
        for path, expected in cases.items():
            got = call(allowed_methods, lab, path)
            if not isinstance(got, set | frozenset | list | tuple):
                raise _Failed(
                    _("For {path} your function returned {result!r}; return a set of method names.").format(
                        path=path, result=got
                    )
                )
            got_set = {str(m).strip().upper() for m in got}
            if got_set != expected:
                raise _Failed(
                    _(
                        "For {path} you found {found}, but the server allows {allowed}. "
                        "Ask with OPTIONS and read the Allow header (split it on commas)."
                    ).format(path=path, found=sorted(got_set), allowed=sorted(expected))
                )
    return [_("You read the Allow header: the server itself says which methods a resource supports.")]


def _check_fetch_if_changed(fetch: Callable[..., Any]) -> list[str]:
    with fresh_lab() as lab:
        created = lab.send("PUT", "/lab/items/note", json={"text": "v1"})
        etag = created.response.headers["ETag"] if created.response is not None else None
        unchanged = call(fetch, lab, "note", etag)
        lab.send("PUT", "/lab/items/note", json={"text": "v2"}, record=False)
        changed = call(fetch, lab, "note", etag)
        statuses = [e.status for e in lab.history if e.request.method == "GET"]
    if unchanged != (False, None):
        raise _Failed(
            _(
                "With the current ETag your function returned {result!r}; expected (False, None). "
                "Send If-None-Match with the ETag: a 304 Not Modified means your copy is still current."
            ).format(result=unchanged)
        )
    if changed != (True, {"text": "v2"}):
        raise _Failed(
            _("After the item changed your function returned {result!r}; expected (True, the new data).").format(
                result=changed
            )
        )
    if 304 not in statuses:
        raise _Failed(_("The right answers, but no 304 was seen: ask conditionally with If-None-Match."))
    return [
        _("GET statuses {statuses}: a 304 when nothing changed, a 200 with the new data when it did.").format(
            statuses=statuses
        )
    ]


EXERCISES: dict[str, Exercise] = {
    e.name: e
    for e in (
        Exercise("create-three", N_("Exactly three items"), "make_three", "make_three(lab)",
                 N_("Leave exactly three items in the lab, however often the function runs."), _check_create_three),
        Exercise("change-one-field", N_("Change one field"), "rename", "rename(lab, item_id, new_name)",
                 N_("Change an item's name without losing its other fields."), _check_change_one_field),
        Exercise("safe-order", N_("An order that is harmless to retry"), "place_order", "place_order(lab, order)",
                 N_("Create an order so that retrying after a lost response never creates a second one."),
                 _check_safe_order),
        Exercise("lost-update", N_("Stop a lost update"), "safe_update", "safe_update(lab, item_id, changes)",
                 N_("Update an item without overwriting a change another client made after you read it, and say "
                    "truthfully whether your update was stored."),
                 check_lost_update),
        Exercise("delete-twice", N_("Delete, and delete again"), "remove", "remove(lab, item_id)",
                 N_("Delete an item and report whether it is gone: also when it was already gone, and not when the "
                    "server only accepted the deletion for later."), _check_delete_twice),
        Exercise("create-once", N_("Create only if absent"), "create_once", "create_once(lab, item_id, data)",
                 N_("Create an item at a URI only if nothing is there yet; never overwrite."), _check_create_once),
        Exercise("allowed-methods", N_("Which methods are allowed?"), "allowed_methods",
                 "allowed_methods(lab, path)",
                 N_("Find out which methods a resource supports, from the server itself."), _check_allowed_methods),
        Exercise("fetch-if-changed", N_("Fetch only if changed"), "fetch_if_changed",
                 "fetch_if_changed(lab, item_id, etag)",
                 N_("Download an item only when it changed since you last saw it."), _check_fetch_if_changed),
        Exercise("idempotent-retry", N_("A client that retries with an Idempotency-Key"), "place_order",
                 "place_order(lab, order, sleep=time.sleep)",
                 N_("POST an order over a network that loses responses: retry a few times, waiting longer each "
                    "time, and never create the order twice."),
                 check_idempotent_retry),
        Exercise("update-loop", N_("A conditional-update loop"), "add_stock", "add_stock(lab, item_id, amount)",
                 N_("Add to an item's stock while other clients write too: keep every change, give up after a few "
                    "tries, and never report a refused write as done."), check_update_loop),
        Exercise("audit", N_("Audit a mystery server"), "audit", "audit(lab)",
                 N_("Find which rules a mystery lab breaks, cite each rule's RFC section, and name what is only "
                    "unusual as allowed."), check_audit),
    )
}


@report.reports_check  # the class view, on JupyterHub only
def check(name: str, namespace: Mapping[str, Any] | None = None) -> CheckResult:
    """Check the learner's solution to exercise *name* and return kind, specific feedback.

    Parameters
    ----------
    name
        The exercise, e.g. ``"create-three"``; ``EXERCISES`` lists them all.
    namespace
        Where to find the learner's function; by default the caller's globals (the notebook).

    Examples
    --------
    >>> def make_three(lab):
    ...     for name in ("a", "b", "c"):
    ...         lab.send("PUT", f"/lab/items/{name}", json={"name": name})
    >>> check("create-three", {"make_three": make_three}).passed
    True
    """
    exercise = EXERCISES.get(name)
    if exercise is None:
        known = ", ".join(sorted(EXERCISES))
        return CheckResult(
            name, False, (_("There is no exercise called {name!r}. The exercises are: {known}.").format(
                name=name, known=known
            ),)
        )
    if namespace is None:
        frame = inspect.currentframe()
        caller = frame.f_back if frame is not None else None
        namespace = caller.f_globals if caller is not None else {}
    function = namespace.get(exercise.function)
    if not callable(function):
        return CheckResult(
            name,
            False,
            (
                _("Define a function {signature} in the cell above, run that cell, then check again.").format(
                    signature=exercise.signature
                ),
            ),
        )
    try:
        feedback = exercise.checker(function)
    except _Failed as failure:
        return CheckResult(name, False, (str(failure),))
    except _Runaway as runaway:  # a learner's loop that never ends, stopped by a lab wrapper
        return CheckResult(name, False, (str(runaway),))
    except Exception as error:  # a checker must never crash in front of a learner
        return CheckResult(
            name,
            False,
            (_("The checker could not finish ({error_type}: {error}).").format(
                error_type=type(error).__name__, error=error
            ),),
        )
    return CheckResult(name, True, tuple(feedback))
