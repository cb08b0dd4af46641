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

from httplab.display import theme
from httplab.i18n import N_, _
from httplab.teaching import report
from httplab.teaching._audit_checks import check_audit
from httplab.teaching._checking import (
    _Failed,
    _Runaway,
)
from httplab.teaching._method_checks import (
    check_allowed_methods,
    check_change_one_field,
    check_create_once,
    check_create_three,
    check_delete_twice,
    check_fetch_if_changed,
    check_safe_order,
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




EXERCISES: dict[str, Exercise] = {
    e.name: e
    for e in (
        Exercise("create-three", N_("Exactly three items"), "make_three", "make_three(lab)",
                 N_("Leave exactly three items in the lab, however often the function runs."), check_create_three),
        Exercise("change-one-field", N_("Change one field"), "rename", "rename(lab, item_id, new_name)",
                 N_("Change an item's name without losing its other fields."), check_change_one_field),
        Exercise("safe-order", N_("An order that is harmless to retry"), "place_order", "place_order(lab, order)",
                 N_("Create an order so that retrying after a lost response never creates a second one."),
                 check_safe_order),
        Exercise("lost-update", N_("Stop a lost update"), "safe_update", "safe_update(lab, item_id, changes)",
                 N_("Update an item without overwriting a change another client made after you read it, and say "
                    "truthfully whether your update was stored."),
                 check_lost_update),
        Exercise("delete-twice", N_("Delete, and delete again"), "remove", "remove(lab, item_id)",
                 N_("Delete an item and report whether it is gone: also when it was already gone, and not when the "
                    "server only accepted the deletion for later."), check_delete_twice),
        Exercise("create-once", N_("Create only if absent"), "create_once", "create_once(lab, item_id, data)",
                 N_("Create an item at a URI only if nothing is there yet; never overwrite."), check_create_once),
        Exercise("allowed-methods", N_("Which methods are allowed?"), "allowed_methods",
                 "allowed_methods(lab, path)",
                 N_("Find out which methods a resource supports, from the server itself."), check_allowed_methods),
        Exercise("fetch-if-changed", N_("Fetch only if changed"), "fetch_if_changed",
                 "fetch_if_changed(lab, item_id, etag)",
                 N_("Download an item only when it changed since you last saw it."), check_fetch_if_changed),
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
