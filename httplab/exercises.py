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
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from httplab.lab import Lab
from httplab.models import Exchange

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
        head = "✔ Well done — the checker accepts your solution." if self.passed else "✘ Not yet."
        return "\n".join([head, *(f"- {line}" for line in self.feedback)])

    def _repr_html_(self) -> str:
        colour, head = (
            ("#1a7f37", "✔ Passed — the checker accepts your solution.")
            if self.passed
            else ("#bc4c00", "✘ Not yet — here is what the checker saw:")
        )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.feedback)
        return (
            f"<div style='border-left:4px solid {colour};padding:4px 10px'>"
            f"<b>{html.escape(head)}</b><ul>{items}</ul></div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary."""
        return {"exercise": self.exercise, "passed": self.passed, "feedback": list(self.feedback)}


class _Failed(Exception):
    """Raised inside a checker to stop with one feedback line."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: the function the learner writes and the checker that judges it."""

    name: str
    title: str
    function: str
    signature: str
    goal: str
    checker: Callable[[Callable[..., Any]], list[str]] = field(repr=False)


def _fresh_lab() -> Lab:
    return Lab(in_process=True)


def _items(lab: Lab) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = lab.state()["items"]
    return items


def _data(lab: Lab, item_id: str) -> Any:
    """Return an item's data, or None when it does not exist."""
    reply = lab.send("GET", f"/lab/items/{item_id}", record=False)
    return reply.json if reply.status == 200 else None


def _methods(history: tuple[Exchange, ...]) -> list[str]:
    return [e.request.method for e in history]


def _call(function: Callable[..., Any], *args: Any) -> Any:
    try:
        return function(*args)
    except Exception as error:  # the learner's code: any failure becomes feedback
        last = traceback.extract_tb(error.__traceback__)[-1]
        raise _Failed(
            f"Your function raised {type(error).__name__}: {error} (line {last.lineno}: {last.line}). "
            "Fix that first, then check again."
        ) from None


# ---------------------------------------------------------------------------- checkers


def _check_create_three(make_three: Callable[..., Any]) -> list[str]:
    with _fresh_lab() as lab:
        _call(make_three, lab)
        after_one = len(_items(lab))
        _call(make_three, lab)
        after_two = len(_items(lab))
        methods = _methods(lab.history)
    if after_one != 3:
        raise _Failed(f"After one call the lab holds {after_one} items; it should hold exactly 3.")
    if after_two != 3:
        raise _Failed(
            f"After a second call the lab holds {after_two} items. Running the cell again must not add more: "
            f"you sent {', '.join(sorted(set(methods)))}. POST asks the server to create something new every time; "
            "PUT to a URI you choose lands in the same state however often it is sent."
        )
    return [
        "3 items after one call, still 3 after another: your requests are idempotent.",
        f"Methods you used: {', '.join(sorted(set(methods)))}.",
    ]


def _check_change_one_field(rename: Callable[..., Any]) -> list[str]:
    original = {"name": "apple", "price": 3, "tags": ["fruit", "red"]}
    with _fresh_lab() as lab:
        lab.send("PUT", "/lab/items/apple", json=original)
        lab.client.clear_history()
        _call(rename, lab, "apple", "green apple")
        item = _data(lab, "apple")
        methods = _methods(lab.history)
    expected = {**original, "name": "green apple"}
    if item is None:
        raise _Failed("The item /lab/items/apple is gone. Change one field; don't delete the item.")
    lost = sorted(set(original) - set(item))
    if lost:
        raise _Failed(
            f"The item lost {', '.join(lost)}. PUT replaces the whole item, so fields you leave out are gone. "
            "Send a merge patch (PATCH with Content-Type: application/merge-patch+json) holding only the name, "
            "or PUT the complete item with the new name."
        )
    if item != expected:
        raise _Failed(f"The item is now {item}; expected {expected}.")
    return [f"The name changed and nothing else did. You used {', '.join(methods) or 'no request'}."]


def _check_safe_order(place_order: Callable[..., Any]) -> list[str]:
    order = {"order_id": "A-1001", "product": "tea", "quantity": 2}
    other = {"order_id": "A-1002", "product": "cake", "quantity": 1}
    with _fresh_lab() as lab:
        _call(place_order, lab, order)
        _call(place_order, lab, order)  # the same order, retried after a lost response
        count_same = len(_items(lab))
        _call(place_order, lab, other)
        count_all = len(_items(lab))
    if count_same == 0:
        raise _Failed("The lab holds no order after place_order ran. Send a request that creates one.")
    if count_same > 1:
        raise _Failed(
            f"Placing the same order twice (a retry after a lost response) left {count_same} orders. "
            "Make the retry harmless: send an Idempotency-Key derived from the order (the same order → the same "
            "key), or PUT the order to a URI named after its order_id."
        )
    if count_all != 2:
        raise _Failed(
            f"Two different orders should give two items; the lab holds {count_all}. "
            "Different orders need different keys (or URIs)."
        )
    return ["A retried order had no second effect, and a different order still got through."]


class _RivalWritesFirst:
    """A lab wrapper: just before the learner's first write reaches the server, a rival writes."""

    def __init__(self, lab: Lab, item_id: str) -> None:
        self._lab, self._item_id, self._done = lab, item_id, False

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        if not self._done and method.upper() in ("PUT", "PATCH", "DELETE"):
            self._done = True
            self._lab.send(
                "PATCH",
                f"/lab/items/{self._item_id}",
                json={"stock": 0},
                headers={"Content-Type": "application/merge-patch+json"},
                record=False,
            )
        return self._lab.send(method, path, **request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lab, name)


def _check_lost_update(safe_update: Callable[..., Any]) -> list[str]:
    with _fresh_lab() as lab:
        lab.send("PUT", "/lab/items/tea", json={"name": "tea", "price": 4, "stock": 10})
        lab.client.clear_history()
        rival = _RivalWritesFirst(lab, "tea")
        _call(safe_update, rival, "tea", {"price": 5})
        item = _data(lab, "tea")
        sent = lab.history
    if item is None:
        raise _Failed("The item /lab/items/tea is gone; update it, don't delete it.")
    if item.get("price") != 5:
        raise _Failed(f"The price is {item.get('price')}, not 5: your update did not land.")
    if item.get("stock") != 0:
        used_if_match = any("If-Match" in e.request.headers for e in sent)
        hint = (
            "You sent If-Match, but then wrote again without it (or with a stale ETag)."
            if used_if_match
            else "Send If-Match with the ETag you read; a 412 then tells you someone changed the item first."
        )
        raise _Failed(
            "Another client set stock to 0 between your read and your write, and your write silently overwrote it "
            f"(stock is {item.get('stock')}). That is a lost update. " + hint
        )
    if not any(e.status == 412 for e in sent):
        raise _Failed("The rival's change survived, but no 412 was seen: did your write use If-Match?")
    return ["Your first write got 412 Precondition Failed; you read again and wrote on top of the rival's change."]


def _check_delete_twice(remove: Callable[..., Any]) -> list[str]:
    with _fresh_lab() as lab:
        lab.send("PUT", "/lab/items/old", json={"name": "old"})
        first = _call(remove, lab, "old")
        second = _call(remove, lab, "old")
        statuses = [e.status for e in lab.history if e.request.method == "DELETE"]
        left = [i["id"] for i in _items(lab)]
    if "old" in left:
        raise _Failed("The item /lab/items/old is still there. Send DELETE to its URI.")
    if first is not True:
        raise _Failed(f"The first call returned {first!r}; return True when the item is gone.")
    if second is not True:
        raise _Failed(
            f"The second call returned {second!r} (the server answered {statuses[-1] if statuses else 'nothing'}). "
            "A 404 after DELETE means the item is already gone — which is what you wanted. Return True for 404 too."
        )
    return [f"DELETE answered {statuses}; both calls reported success, because the goal (no item) was reached."]


def _check_create_once(create_once: Callable[..., Any]) -> list[str]:
    with _fresh_lab() as lab:
        first = _call(create_once, lab, "pen", {"name": "pen", "colour": "blue"})
        second = _call(create_once, lab, "pen", {"name": "pen", "colour": "red"})
        item = _data(lab, "pen")
        statuses = [e.status for e in lab.history]
    if item is None:
        raise _Failed("No item at /lab/items/pen. PUT it there.")
    if item.get("colour") != "blue":
        raise _Failed(
            f"The pen is {item.get('colour')}: the second call overwrote the first. "
            "Send If-None-Match: * so the PUT only happens when nothing is there yet (412 otherwise)."
        )
    if (first, second) != (True, False):
        raise _Failed(f"Your function returned {first!r} then {second!r}; expected True (created) then False.")
    return [f"Statuses {statuses}: created once, refused the second time with 412, nothing overwritten."]


def _check_allowed_methods(allowed_methods: Callable[..., Any]) -> list[str]:
    cases = {"/lab/items": {"GET", "HEAD", "POST", "OPTIONS"},
             "/lab/items/x": {"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"},
             "/lab/reset": {"POST", "OPTIONS"}}
    with _fresh_lab() as lab:
        lab.send("PUT", "/lab/items/x", json={})
        for path, expected in cases.items():
            got = _call(allowed_methods, lab, path)
            if not isinstance(got, set | frozenset | list | tuple):
                raise _Failed(f"For {path} your function returned {got!r}; return a set of method names.")
            got_set = {str(m).strip().upper() for m in got}
            if got_set != expected:
                raise _Failed(
                    f"For {path} you found {sorted(got_set)}, but the server allows {sorted(expected)}. "
                    "Ask with OPTIONS and read the Allow header (split it on commas)."
                )
    return ["You read the Allow header: the server itself says which methods a resource supports."]


def _check_fetch_if_changed(fetch: Callable[..., Any]) -> list[str]:
    with _fresh_lab() as lab:
        created = lab.send("PUT", "/lab/items/note", json={"text": "v1"})
        etag = created.response.headers["ETag"] if created.response is not None else None
        unchanged = _call(fetch, lab, "note", etag)
        lab.send("PUT", "/lab/items/note", json={"text": "v2"}, record=False)
        changed = _call(fetch, lab, "note", etag)
        statuses = [e.status for e in lab.history if e.request.method == "GET"]
    if unchanged != (False, None):
        raise _Failed(
            f"With the current ETag your function returned {unchanged!r}; expected (False, None). "
            "Send If-None-Match with the ETag: a 304 Not Modified means your copy is still current."
        )
    if changed != (True, {"text": "v2"}):
        raise _Failed(f"After the item changed your function returned {changed!r}; expected (True, the new data).")
    if 304 not in statuses:
        raise _Failed("The right answers, but no 304 was seen: ask conditionally with If-None-Match.")
    return [f"GET statuses {statuses}: a 304 when nothing changed, a 200 with the new data when it did."]


EXERCISES: dict[str, Exercise] = {
    e.name: e
    for e in (
        Exercise("create-three", "Exactly three items", "make_three", "make_three(lab)",
                 "Leave exactly three items in the lab, however often the function runs.", _check_create_three),
        Exercise("change-one-field", "Change one field", "rename", "rename(lab, item_id, new_name)",
                 "Change an item's name without losing its other fields.", _check_change_one_field),
        Exercise("safe-order", "An order that is safe to retry", "place_order", "place_order(lab, order)",
                 "Create an order so that retrying after a lost response never creates a second one.",
                 _check_safe_order),
        Exercise("lost-update", "Stop a lost update", "safe_update", "safe_update(lab, item_id, changes)",
                 "Update an item without overwriting a change another client made after you read it.",
                 _check_lost_update),
        Exercise("delete-twice", "Delete, and delete again", "remove", "remove(lab, item_id)",
                 "Delete an item and report success, also when it was already gone.", _check_delete_twice),
        Exercise("create-once", "Create only if absent", "create_once", "create_once(lab, item_id, data)",
                 "Create an item at a URI only if nothing is there yet; never overwrite.", _check_create_once),
        Exercise("allowed-methods", "Which methods are allowed?", "allowed_methods", "allowed_methods(lab, path)",
                 "Find out which methods a resource supports, from the server itself.", _check_allowed_methods),
        Exercise("fetch-if-changed", "Fetch only if changed", "fetch_if_changed",
                 "fetch_if_changed(lab, item_id, etag)",
                 "Download an item only when it changed since you last saw it.", _check_fetch_if_changed),
    )
}


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
        return CheckResult(name, False, (f"There is no exercise called {name!r}. The exercises are: {known}.",))
    if namespace is None:
        frame = inspect.currentframe()
        caller = frame.f_back if frame is not None else None
        namespace = caller.f_globals if caller is not None else {}
    function = namespace.get(exercise.function)
    if not callable(function):
        return CheckResult(
            name,
            False,
            (f"Define a function {exercise.signature} in the cell above, run that cell, then check again.",),
        )
    try:
        feedback = exercise.checker(function)
    except _Failed as failure:
        return CheckResult(name, False, (str(failure),))
    except Exception as error:  # a checker must never crash in front of a learner
        return CheckResult(name, False, (f"The checker could not finish ({type(error).__name__}: {error}).",))
    return CheckResult(name, True, tuple(feedback))
