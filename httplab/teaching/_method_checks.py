"""The checkers of the first exercises (01-08 but the lost update): each runs the learner's function on fresh labs.

A checker returns its feedback lines when the solution passes and raises ``_Failed`` with the reason when not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from httplab.client.models import Exchange
from httplab.i18n import _
from httplab.teaching._checking import (
    MAX_REQUESTS,
    AcceptsDeletesForLater,
    _Failed,
    call,
    data,
    fresh_lab,
    header,
    items,
    methods,
)

__all__ = [
    "check_allowed_methods",
    "check_change_one_field",
    "check_create_once",
    "check_create_three",
    "check_delete_twice",
    "check_fetch_if_changed",
    "check_safe_order",
]


def check_create_three(make_three: Callable[..., Any]) -> list[str]:
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


def check_change_one_field(rename: Callable[..., Any]) -> list[str]:
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


def check_safe_order(place_order: Callable[..., Any]) -> list[str]:
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


def check_delete_twice(remove: Callable[..., Any]) -> list[str]:
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


def check_create_once(create_once: Callable[..., Any]) -> list[str]:
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


def check_allowed_methods(allowed_methods: Callable[..., Any]) -> list[str]:
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


def check_fetch_if_changed(fetch: Callable[..., Any]) -> list[str]:
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
