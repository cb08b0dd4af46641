"""Checkers for the conditional-update exercises: lost-update (04) and update-loop (10).

The learner's function runs against labs where another client writes between the learner's read
and write (once, twice, or before every write), an item is missing, or the server requires a
precondition; the checker then reads the state. A loop that never ends is stopped by
:class:`httplab.teaching._checking.RivalWrites` and reported as such.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from httplab.client.models import Exchange
from httplab.i18n import _
from httplab.teaching._checking import MAX_ATTEMPTS, MAX_REQUESTS, RivalWrites, _Failed, call, data, fresh_lab

__all__ = ["check_lost_update", "check_update_loop"]

_MERGE = {"Content-Type": "application/merge-patch+json"}
_TEA: dict[str, Any] = {"name": "tea", "price": 4, "stock": 10}


def _sent_if_match(history: tuple[Exchange, ...]) -> bool:
    return any("If-Match" in e.request.headers for e in history if e.request.method in ("PUT", "PATCH"))


def _statuses(history: tuple[Exchange, ...]) -> list[int | None]:
    return [e.status for e in history]


def _never_stops(when: str) -> str:
    """Say that the learner's loop never stopped; *when* is a translated phrase such as "when the item ..."."""
    return _(
        "{when}, your function sent more than {writes} writes (or {requests} "
        "requests) without stopping. Give up after a few tries (say 5) and return False: a loop that only ends "
        "on success may never end."
    ).format(when=when[:1].upper() + when[1:], writes=MAX_ATTEMPTS, requests=MAX_REQUESTS)


# ---------------------------------------------------------------------------- 04 lost-update


def _sell_out(lab: Any) -> None:
    lab.send("PATCH", "/lab/items/tea", json={"stock": 0}, headers=_MERGE, record=False)


def _sell_one(lab: Any) -> None:
    stock = data(lab, "tea")["stock"]
    lab.send("PATCH", "/lab/items/tea", json={"stock": stock - 1}, headers=_MERGE, record=False)


def check_lost_update(safe_update: Callable[..., Any]) -> list[str]:
    """Judge ``safe_update(lab, item_id, changes)``: conditional, re-reads on 412, bounded, honest."""
    with fresh_lab() as lab:
        lab.send("PUT", "/lab/items/tea", json=_TEA)
        lab.client.clear_history()
        when = _("when another client wrote first")
        rival = RivalWrites(lab, "tea", _sell_out, times=1, runaway=_never_stops(when))
        result = call(safe_update, rival, "tea", {"price": 5}, when=when)
        if rival.ran_away:
            raise _Failed(_never_stops(when))
        item = data(lab, "tea")
        sent = lab.history
    if item is None:
        raise _Failed(_("The item /lab/items/tea is gone; update it, don't delete it."))
    if item.get("price") != 5:
        raise _Failed(_("The price is {price}, not 5: your update did not land.").format(price=item.get("price")))
    if item.get("stock") != 0:
        hint = (
            _("You sent If-Match, but then wrote again without it (or with a stale ETag).")
            if _sent_if_match(sent)
            else _("Send If-Match with the ETag you read; a 412 then tells you the item changed since you read it.")
        )
        raise _Failed(
            _(
                "Another client set stock to 0 between your read and your write, and your write silently overwrote it "
                "(stock is {stock}). That is a lost update."
            ).format(stock=item.get("stock"))
            + " "
            + hint
        )
    if 412 not in _statuses(sent):
        raise _Failed(_("The rival's change survived, but no 412 was seen: did your write use If-Match?"))
    if result is not True:
        raise _Failed(
            _("Your change is stored, but your function returned {result!r}. Return True when it is stored.").format(
                result=result
            )
        )

    with fresh_lab() as lab:
        when = _("when the item does not exist")
        guard = RivalWrites(lab, "ghost", _sell_out, times=0, runaway=_never_stops(when))
        missing = call(safe_update, guard, "ghost", {"price": 5}, when=when)
        if guard.ran_away:
            raise _Failed(_never_stops(when))
        created = data(lab, "ghost")
    if created is not None:
        raise _Failed(
            _(
                "There was no item /lab/items/ghost, and your function created one. A PUT to a missing item creates "
                "it; an update should stop when the GET answers 404 Not Found, and return False."
            )
        )
    if missing is not False:
        raise _Failed(
            _(
                "There is no item /lab/items/ghost (GET answers 404 Not Found), yet your function returned "
                "{result!r}. Nothing was updated: return False."
            ).format(result=missing)
        )

    with fresh_lab() as lab:
        lab.send("PUT", "/lab/items/tea", json=_TEA)
        lab.client.clear_history()
        when = _("when another client always wrote first")
        rival = RivalWrites(lab, "tea", _sell_one, times=None, runaway=_never_stops(when))
        busy = call(safe_update, rival, "tea", {"price": 5}, when=when)
        item = data(lab, "tea")
        if rival.ran_away:
            raise _Failed(_never_stops(when))
    if busy is True or (item or {}).get("price") == 5:
        raise _Failed(
            _(
                "The other client changed the item before every one of your writes, so none of them could be stored "
                "(the price is still {price}), yet your function returned {result!r}. "
                "Return False when you give up."
            ).format(price=(item or {}).get("price"), result=busy)
        )
    if busy is not False:
        raise _Failed(_gave_up(busy))
    return [
        _("Your first write got 412 Precondition Failed; you read again and wrote on top of the rival's change."),
        _("A missing item was not reported as updated, and not created either."),
        _stopped(rival.writes),
    ]


def _gave_up(result: Any) -> str:
    return _("When you gave up, your function returned {result!r}; return False.").format(result=result)


def _stopped(writes: int) -> str:
    return _("When the other client always wrote first, you stopped after {tries} tries and returned False.").format(
        tries=writes
    )


# ---------------------------------------------------------------------------- 10 update-loop

_RIVAL_ADDS = 5
_ADD = 3


def _rival_adds(lab: Any) -> None:
    current = data(lab, "tea")
    lab.send("PUT", "/lab/items/tea", json={**current, "stock": current["stock"] + _RIVAL_ADDS}, record=False)


def _run_stock(
    add_stock: Callable[..., Any], *, times: int | None, item_id: str = "tea", when: str, **options: Any
) -> tuple[Any, dict[str, Any] | None, tuple[Exchange, ...], RivalWrites]:
    never_stops = _never_stops(when)
    with fresh_lab(**options) as lab:
        lab.send("PUT", "/lab/items/tea", json=_TEA, headers={"If-None-Match": "*"})
        lab.client.clear_history()
        rival = RivalWrites(lab, item_id, _rival_adds, times=times, runaway=never_stops)
        result = call(add_stock, rival, item_id, _ADD, when=when)
        if rival.ran_away:
            raise _Failed(never_stops)
        return result, data(lab, item_id), lab.history, rival


def check_update_loop(add_stock: Callable[..., Any]) -> list[str]:
    """Judge ``add_stock(lab, item_id, amount)``: every increment kept, bounded, and honest about failure."""
    start: int = _TEA["stock"]
    result, item, sent, _rival = _run_stock(add_stock, times=0, when=_("with no other client writing"))
    if item is None:
        raise _Failed(_("The item /lab/items/tea is gone. Add to its stock; don't delete it."))
    lost = sorted(set(_TEA) - set(item))
    if lost:
        raise _Failed(
            _(
                "The item lost {fields}: PUT replaces the whole item, so write back everything you read, "
                "with the new stock."
            ).format(fields=", ".join(lost))
        )
    if item["stock"] != start + _ADD:
        raise _Failed(
            _(
                "With no one else writing, {call} left the stock at {stock}; "
                "it was {start}, so expected {expected}. Add the amount to the stock you read."
            ).format(call=f"add_stock(lab, 'tea', {_ADD})", stock=item["stock"], start=start, expected=start + _ADD)
        )
    if result is not True:
        raise _Failed(
            _("Your increase is stored, but your function returned {result!r}. Return True when it is.").format(
                result=result
            )
        )

    result, item, _sent, _rival = _run_stock(
        add_stock, times=0, item_id="ghost", when=_("when the item does not exist")
    )
    if item is not None:
        raise _Failed(
            _(
                "There was no item /lab/items/ghost, and your function created one. When the GET answers "
                "404 Not Found there is no stock to add to: stop, and return False."
            )
        )
    if result is not False:
        raise _Failed(
            _(
                "There is no item /lab/items/ghost (GET answers 404 Not Found), yet your function returned "
                "{result!r}. Nothing was stored: return False."
            ).format(result=result)
        )

    result, item, sent, _rival = _run_stock(
        add_stock, times=0, when=_("when the server requires a precondition"), require_precondition=True
    )
    stored = item is not None and item.get("stock") == start + _ADD
    if not stored and 428 in _statuses(sent):
        claim = (
            _("yet your function returned True: a 428 stores nothing.")
            if result is True
            else _("so nothing was stored.")
        )
        # Translators: {claim} is "so nothing was stored." or "yet your function returned True: ...".
        raise _Failed(
            _(
                "This lab requires a precondition on writes, and it answered your write with 428 Precondition "
                "Required (RFC 6585 §3), {claim} Send If-Match with the ETag of your GET: without it, a change "
                "another client makes between your read and your write is silently overwritten."
            ).format(claim=claim)
        )
    if not stored or result is not True:
        raise _Failed(
            _(
                "In a lab that requires If-Match, your function returned {result!r} and left {item}; "
                "expected True and stock {expected}."
            ).format(result=result, item=item, expected=start + _ADD)
        )

    for rivals in (1, 2):
        expected = start + rivals * _RIVAL_ADDS + _ADD
        when = _("when another client wrote first") if rivals == 1 else _("when another client wrote first, twice")
        result, item, sent, _rival = _run_stock(add_stock, times=rivals, when=when)
        stock = (item or {}).get("stock")
        story = (
            _(
                "Another client added {added} between your read and your write. Expected stock {expected} = "
                "{start} + {theirs} (theirs) + {yours} (yours); the lab holds {stock}."
            )
            if rivals == 1
            else _(
                "Another client added {added} before each of your first two writes. Expected stock {expected} = "
                "{start} + {theirs} (theirs) + {yours} (yours); the lab holds {stock}."
            )
        ).format(
            added=_RIVAL_ADDS, expected=expected, start=start, theirs=rivals * _RIVAL_ADDS, yours=_ADD, stock=stock
        )
        if stock == expected:
            if result is not True:
                raise _Failed(
                    story
                    + " "
                    + _("That is right, but your function returned {result!r}: return True.").format(result=result)
                )
            continue
        if stock is not None and stock < expected and not _sent_if_match(sent):
            raise _Failed(
                story
                + " "
                + _("Your write overwrote their change: a lost update. Send If-Match with the ETag you read.")
            )
        if stock == start + rivals * _RIVAL_ADDS and result is True:
            raise _Failed(
                story
                + " "
                + _(
                    "Your write got 412 Precondition Failed — nothing was stored — yet your function returned "
                    "True. A 412 says the item changed since you read it: read it again and try again."
                )
            )
        if stock == start + rivals * _RIVAL_ADDS:
            raise _Failed(
                story
                + " "
                + _(
                    "Your increase never landed, and your function returned {result!r}. One 412 is not the "
                    "end: read the item again, add to what you read now, and try again (a few times)."
                ).format(result=result)
            )
        if stock is not None and stock < expected:
            raise _Failed(
                story
                + " "
                + _(
                    "Their change was overwritten although you sent If-Match: after a 412, read the item "
                    "again and add to the stock you read then, with the ETag you got then."
                )
            )
        raise _Failed(story + " " + _("Add your amount once, to the stock you read last."))

    result, item, _sent, rival = _run_stock(add_stock, times=None, when=_("when another client always wrote first"))
    stock = (item or {}).get("stock")
    if stock != start + rival.rival_writes * _RIVAL_ADDS or result is True:
        raise _Failed(
            _(
                "The other client wrote before every one of your writes, so none of yours could be stored. "
                "Your function returned {result!r} and the stock is {stock}; expected False and "
                "{expected} (only their {increases} increases)."
            ).format(
                result=result,
                stock=stock,
                expected=start + rival.rival_writes * _RIVAL_ADDS,
                increases=rival.rival_writes,
            )
        )
    if result is not False:
        raise _Failed(_gave_up(result))
    return [
        _(
            "Alone, with a rival once, and twice: every increase was kept (your {yours} and each of their "
            "{theirs}s), because each 412 sent you back to read again."
        ).format(yours=_ADD, theirs=_RIVAL_ADDS),
        _(
            "A missing item (404) was not reported as done, and in a lab that requires a precondition (428 without "
            "one) your write carried it."
        ),
        _stopped(rival.writes),
    ]
