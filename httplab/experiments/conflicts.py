"""Two clients edit the same item: the lost update, and the preconditions that prevent it.

Alice and Bob both read the item (same ETag), then each writes a whole new version with
PUT. Without ``If-Match`` the second write silently overwrites the first. With
``If-Match: <the ETag they read>`` the first write wins and the second gets 412
Precondition Failed, so Bob learns he must read again (RFC 9110 §13.1.1). ``If-None-Match: *``
on PUT means "create only if absent": the second creator gets 412 too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from httplab.client.models import Exchange
from httplab.display import render
from httplab.errors import InvalidRequestError
from httplab.experiments.calls import Call, LabLike, exchange_to_dict, label_text, prepare
from httplab.http.status import status_text
from httplab.i18n import N_, _, pgettext

__all__ = ["EditRun", "EditStep", "LostUpdateResult", "lost_update"]

# The runs' labels are keys too (a widget picks a run by label): English message ids, shown with _().
WITHOUT_IF_MATCH = N_("without If-Match")
WITH_IF_MATCH = N_("with If-Match")
CREATE_ONLY = N_("create only (If-None-Match: *)")


def _actor_text(actor: str) -> str:
    """Return who sent a step, as a learner reads it (Alice and Bob keep their names)."""
    shown = {"setup": pgettext("actor", "setup"), "anyone": pgettext("actor", "anyone")}
    return shown.get(actor, actor)


def _action_text(action: str) -> str:
    """Return what a step was for, as a learner reads it (the English action is the step's key)."""
    shown = {
        "store the original": pgettext("edit step", "store the original"),
        "read": pgettext("edit step", "read"),
        "first write": pgettext("edit step", "first write"),
        "second write": pgettext("edit step", "second write"),
        "first write (create)": pgettext("edit step", "first write (create)"),
        "second write (create)": pgettext("edit step", "second write (create)"),
        "make sure nothing is there": pgettext("edit step", "make sure nothing is there"),
        "read what is stored": pgettext("edit step", "read what is stored"),
    }
    return shown.get(action, action)


@dataclass(frozen=True)
class EditStep:
    """One request in a run: who sent it, what it was for, and the exchange."""

    actor: str
    action: str
    exchange: Exchange

    def to_dict(self) -> dict[str, Any]:
        """Return the step as plain data."""
        return {"actor": self.actor, "action": self.action, **exchange_to_dict(self.exchange)}


@dataclass(frozen=True)
class EditRun:
    """One way of letting two clients write: without a precondition, with If-Match, or create-only.

    Attributes
    ----------
    label
        ``"without If-Match"``, ``"with If-Match"`` or ``"create only (If-None-Match: *)"``.
    steps
        Every request in order; the last one reads what the server ended with.
    first_data, second_data
        What the first and the second writer sent.
    final
        The item the server holds at the end (None if there is none).

    """

    label: str
    steps: tuple[EditStep, ...]
    first_data: dict[str, Any]
    second_data: dict[str, Any]
    final: dict[str, Any] | None

    @property
    def first_write(self) -> Exchange:
        """The first writer's PUT."""
        return self._step("first write")

    @property
    def second_write(self) -> Exchange:
        """The second writer's PUT."""
        return self._step("second write")

    def _step(self, action: str) -> Exchange:
        return next(step.exchange for step in self.steps if step.action.startswith(action))

    @property
    def second_rejected(self) -> bool:
        """True when the server refused the second write with 412 Precondition Failed."""
        return self.second_write.status == 412

    @property
    def first_write_kept(self) -> bool:
        """True when the server ends with exactly what the first writer sent."""
        return self.final == self.first_data

    @property
    def lost_update(self) -> bool:
        """True when the first write succeeded but was silently replaced by the second."""
        return self.first_write.ok and self.second_write.ok and self.final == self.second_data

    @property
    def explanation(self) -> str:
        """Say what each writer saw and what the server kept."""
        first, second = status_text(self.first_write.status), status_text(self.second_write.status)
        if self.lost_update:
            return _(
                "Both writes succeeded ({first}, then {second}), and the server now holds only Bob's version: "
                "Alice's change is lost, and nobody was told. That is a lost update."
            ).format(first=first, second=second)
        if self.second_rejected and self.first_write_kept:
            return _(
                "Alice's write succeeded ({first}); Bob's got {second}, because the condition he sent did not "
                "hold. Nothing of his was stored, Alice's data is kept, and Bob knows to read the item again "
                "before deciding what to write."
            ).format(first=first, second=second)
        return _("Alice's write got {first}, Bob's got {second}; the server ends with {final!r}.").format(
            first=first, second=second, final=self.final
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the run as plain JSON-serialisable data."""
        return {
            "label": self.label,
            "steps": [step.to_dict() for step in self.steps],
            "first_data": self.first_data,
            "second_data": self.second_data,
            "final": self.final,
            "second_rejected": self.second_rejected,
            "first_write_kept": self.first_write_kept,
            "lost_update": self.lost_update,
            "explanation": self.explanation,
        }

    def __repr__(self) -> str:
        verdict = "lost update" if self.lost_update else ("first write kept" if self.first_write_kept else "mixed")
        first, second = status_text(self.first_write.status), status_text(self.second_write.status)
        return f"<EditRun {self.label}: {first}, then {second}: {verdict}>"

    def _repr_html_(self) -> str:
        rows = [
            (
                render.esc(_actor_text(step.actor)),
                render.esc(_action_text(step.action)),
                render.request_line(step.exchange.request.method, step.exchange.request.target)
                + _conditions(step.exchange),
                render.status_badge(step.exchange.status),
            )
            for step in self.steps
        ]
        return (
            f"<div style='margin:6px 0'><b>{render.esc(label_text(self.label))}</b>"
            + "<div>"
            + render.verdict_chip(_("lost update"), self.lost_update)
            + render.verdict_chip(_("first writer's data kept"), self.first_write_kept)
            + "</div>"
            + render.table(
                (
                    pgettext("column", "who"),
                    pgettext("column", "what for"),
                    pgettext("column", "request"),
                    pgettext("column", "response"),
                ),
                rows,
            )
            + render.paragraph(self.explanation)
            + render.json_block(_("what the server holds at the end"), self.final)
            + "</div>"
        )


def _conditions(exchange: Exchange) -> str:
    fields = [(k, v) for k, v in exchange.request.headers.fields if k.lower() in ("if-match", "if-none-match")]
    return "".join(f"<br><small><code>{render.esc(k)}: {render.esc(v)}</code></small>" for k, v in fields)


@dataclass(frozen=True)
class LostUpdateResult:
    """The same two-writer story three ways: without If-Match, with If-Match, and create-only.

    Attributes
    ----------
    path
        The item both clients edit.
    runs
        The three :class:`EditRun` objects, in that order.

    """

    path: str
    runs: tuple[EditRun, ...]

    @property
    def without_if_match(self) -> EditRun:
        """The unconditional run: the second write silently replaces the first."""
        return self.runs[0]

    @property
    def with_if_match(self) -> EditRun:
        """The conditional run: the second write gets 412."""
        return self.runs[1]

    @property
    def create_only(self) -> EditRun:
        """Both clients create with ``If-None-Match: *``: the second gets 412."""
        return self.runs[2]

    @property
    def explanation(self) -> str:
        """Contrast the three runs in plain words."""
        return _(
            "Without If-Match: {without} With If-Match: {with_if_match} Create only: {create_only} "
            "PUT being idempotent does not protect against concurrent writers: If-Match is what protects the "
            "first writer."
        ).format(
            without=self.without_if_match.explanation,
            with_if_match=self.with_if_match.explanation,
            create_only=self.create_only.explanation,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return every run as plain JSON-serialisable data."""
        return {"path": self.path, "runs": [run.to_dict() for run in self.runs], "explanation": self.explanation}

    def __repr__(self) -> str:
        inner = "; ".join(
            f"{run.label}: {status_text(run.second_write.status)} for the second writer" for run in self.runs
        )
        return f"<LostUpdateResult {self.path} ({inner})>"

    def _repr_html_(self) -> str:
        return render.box(
            _("Two clients edit {request}").format(request=render.request_line("PUT", self.path)),
            *(run._repr_html_() for run in self.runs),
        )


def lost_update(
    lab: LabLike,
    path: str = "/lab/items/note",
    *,
    original: dict[str, Any] | None = None,
    first: dict[str, Any] | None = None,
    second: dict[str, Any] | None = None,
    reset: bool = True,
) -> LostUpdateResult:
    """Let two clients read and write the same item, without and with preconditions.

    Parameters
    ----------
    lab
        The lab to run on.
    path
        The item both clients edit.
    original
        The item's content before the two clients read it.
    first, second
        The whole new versions Alice (first) and Bob (second) write with PUT.
    reset
        Empty the lab before the first run.

    Raises
    ------
    SetupFailedError
        Storing the original item did not succeed (for example, an invalid item id).

    Examples
    --------
    >>> import httplab
    >>> with httplab.Lab(in_process=True) as lab:
    ...     result = lost_update(lab)
    >>> result.without_if_match.lost_update, result.with_if_match.second_write.status
    (True, 412)

    """
    # The example list's words are the kit's language's; the JSON names stay as they are.
    shopping, milk = pgettext("example data", "shopping"), pgettext("example data", "milk")
    eggs, bread = pgettext("example data", "eggs"), pgettext("example data", "bread")
    original = {"title": shopping, "items": [milk]} if original is None else original
    first = {"title": shopping, "items": [milk, eggs]} if first is None else first
    second = {"title": shopping, "items": [milk, bread]} if second is None else second
    if first == second:
        raise InvalidRequestError(_("first and second must differ, or nobody could tell whose write was kept."))
    if reset:
        lab.reset()
    runs = (
        _edit(lab, path, original, first, second, conditional=False),
        _edit(lab, path, original, first, second, conditional=True),
        _create_only(lab, path, first, second),
    )
    return LostUpdateResult(path, runs)


def _edit(
    lab: LabLike,
    path: str,
    original: dict[str, Any],
    first: dict[str, Any],
    second: dict[str, Any],
    *,
    conditional: bool,
) -> EditRun:
    steps = [EditStep("setup", "store the original", prepare(lab, [Call("PUT", path, json=original)], reset=False)[0])]
    read_a = Call("GET", path).send(lab)
    read_b = Call("GET", path).send(lab)
    steps += [EditStep("Alice", "read", read_a), EditStep("Bob", "read", read_b)]
    for actor, action, read, data in (("Alice", "first write", read_a, first), ("Bob", "second write", read_b, second)):
        etag = read.response.headers.get("ETag") if read.response is not None else None
        headers = {"If-Match": etag} if conditional and etag else {}
        steps.append(EditStep(actor, action, Call("PUT", path, json=data, headers=headers).send(lab)))
    return _finish(lab, path, WITH_IF_MATCH if conditional else WITHOUT_IF_MATCH, steps, first, second)


def _create_only(lab: LabLike, path: str, first: dict[str, Any], second: dict[str, Any]) -> EditRun:
    steps = [EditStep("setup", "make sure nothing is there", Call("DELETE", path).send(lab))]
    for actor, action, data in (("Alice", "first write (create)", first), ("Bob", "second write (create)", second)):
        steps.append(EditStep(actor, action, Call("PUT", path, json=data, headers={"If-None-Match": "*"}).send(lab)))
    return _finish(lab, path, CREATE_ONLY, steps, first, second)


def _finish(
    lab: LabLike, path: str, label: str, steps: list[EditStep], first: dict[str, Any], second: dict[str, Any]
) -> EditRun:
    check = Call("GET", path).send(lab)
    steps.append(EditStep("anyone", "read what is stored", check))
    final = check.json if check.ok and isinstance(check.json, dict) else None
    return EditRun(label, tuple(steps), first, second, final)
