"""The checker of the idempotent-retry exercise (09): a client that retries a POST after lost responses.

The learner's function runs against labs that lose chosen responses (the server applies the
request and never answers): the first, the first two, every one. The checker counts the orders
left behind, reads the Idempotency-Key of every attempt, and the delays asked of a stand-in
``sleep``. A loop that never ends is stopped by :class:`httplab.teaching._checking.LosesResponses`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from httplab.client.models import Exchange
from httplab.i18n import _
from httplab.teaching._checking import (
    MAX_ATTEMPTS,
    MAX_REQUESTS,
    LosesResponses,
    RecordsSleeps,
    _Failed,
    _Runaway,
    fresh_lab,
    items,
    raised,
    takes,
)

__all__ = ["check_idempotent_retry"]


def _outcome(function: Callable[..., Any], *args: Any) -> tuple[Any, Exception | None]:
    """Call the learner's function; return what it returned, or the exception it raised."""
    try:
        return function(*args), None
    except _Runaway as runaway:
        raise _Failed(str(runaway)) from None
    except Exception as error:  # the learner's code: judged by the caller
        return None, error


_ORDER = {"product": "green tea", "quantity": 2}
_SIGNATURE = "place_order(lab, order, sleep=time.sleep)"


def _differing(first: str, second: str) -> int:
    """Count the positions where two keys differ (a longer key's extra characters all count)."""
    return sum(a != b for a, b in zip(first, second, strict=False)) + abs(len(first) - len(second))


def _run_order(
    place_order: Callable[..., Any], lose: Callable[[int], bool], when: str, lab: Any = None
) -> tuple[LosesResponses, RecordsSleeps, Any, Exception | None, list[dict[str, Any]]]:
    """Run the learner's function once; *when* is a translated phrase such as "when no response was lost"."""
    never_stops = _(
        "{when}, your function made more than {attempts} attempts (or {requests} "
        "requests) without stopping. Stop when a response comes, and give up after a few attempts (say 5) by "
        "raising an error that says the order may or may not exist: a loop that only ends on success may never end."
    ).format(when=when[:1].upper() + when[1:], attempts=MAX_ATTEMPTS, requests=MAX_REQUESTS)
    owned = lab is None
    lab = fresh_lab() if owned else lab
    try:
        guard = LosesResponses(lab, lose, runaway=never_stops)
        sleeps = RecordsSleeps(guard)
        result, error = _outcome(place_order, guard, copy.deepcopy(_ORDER), sleeps)
        if guard.ran_away:
            raise _Failed(never_stops)
        return guard, sleeps, result, error, items(lab)
    finally:
        if owned:
            lab.stop()


def _duplicate(count: int, lost: str, guard: LosesResponses) -> _Failed:
    keys = guard.keys()
    if all(key is None for key in keys):
        why = _(
            "Your POSTs carried no Idempotency-Key, so the server could not tell that the retry was the same order: "
            "it created a duplicate. POST is not idempotent (RFC 9110 §9.2.2)."
        )
    elif None in keys:
        why = _("Some attempts carried no Idempotency-Key, so the server took them for new orders: a duplicate.")
    elif len(set(keys)) > 1:
        why = _(
            "Each attempt carried a different Idempotency-Key ({keys}), so the server took "
            "each retry for a new order: a duplicate. Make the key once, before the first attempt, and send that "
            "same key on every attempt of this order."
        ).format(keys=", ".join(map(repr, keys)))
    else:
        why = _(
            "The retries carried the same Idempotency-Key, yet the order was duplicated: look at what else changed."
        )
    # Translators: {lost} is a phrase such as "the first response was lost".
    return _Failed(
        _("When {lost}, one call of place_order left {count} orders in the lab. {why}").format(
            lost=lost, count=count, why=why
        )
    )


def _judge_delays(delays: list[Any], retries: int) -> None:
    if len(delays) < retries:
        raise _Failed(
            _(
                "Your function tried {tries} times but called sleep only {sleeps} times: wait before each "
                "retry (backoff), so that a struggling server gets room to recover. Call the sleep you were given, "
                "e.g. sleep(0.5) — the checker's sleep records the delay instead of waiting."
            ).format(tries=retries + 1, sleeps=len(delays))
        )
    if not all(isinstance(d, int | float) and not isinstance(d, bool) and d > 0 for d in delays):
        raise _Failed(
            _("Your function asked sleep for {delays}: give it a number of seconds greater than 0.").format(
                delays=delays
            )
        )
    if len(delays) > 1 and (any(b < a for a, b in zip(delays, delays[1:], strict=False)) or delays[-1] <= delays[0]):
        raise _Failed(
            _(
                "Your waits were {delays}: let them grow (for example double each time), so that a client that keeps "
                "failing asks less and less often."
            ).format(delays=delays)
        )


def check_idempotent_retry(place_order: Callable[..., Any]) -> list[str]:
    """Judge ``place_order(lab, order, sleep)``: one random key per order, bounded retries with growing waits."""
    if not takes(place_order, None, None, None):
        raise _Failed(
            _(
                "Your function must take three parameters: {signature}. The checker passes its own sleep, "
                "which records each delay instead of waiting."
            ).format(signature=_SIGNATURE)
        )
    none_lost = _("when no response was lost")
    guard, _sleeps, result, error, orders = _run_order(place_order, lambda n: False, none_lost)
    if error is not None:
        raise _Failed(raised(error, none_lost))
    if not guard.attempts:
        raise _Failed(_("Your function sent no POST to /lab/items. Send the order there with lab.send(...)."))
    if len(orders) != 1:
        raise _Failed(
            _("With no response lost, one call of place_order left {count} orders; expected 1.").format(
                count=len(orders)
            )
        )
    if orders[0]["data"] != _ORDER:
        raise _Failed(
            _("The lab stored {stored}; send the order you were given, {order}, as JSON.").format(
                stored=orders[0]["data"], order=_ORDER
            )
        )
    if not isinstance(result, Exchange) or result.response is None:
        raise _Failed(
            _("Your function returned {result!r}. Return the exchange that got a response: what lab.send returned.")
            .format(result=result)
        )

    for lost, lose, retries in (
        (_("the first response was lost"), lambda n: n == 1, 1),
        (_("the first two responses were lost"), lambda n: n <= 2, 2),
    ):
        # Translators: {lost} is a phrase such as "the first response was lost".
        when = _("when {lost}").format(lost=lost)
        guard, sleeps, result, error, orders = _run_order(place_order, lose, when)
        if len(guard.attempts) <= retries:
            did = (
                _("raised {error_type}").format(error_type=type(error).__name__)
                if error is not None
                else _("returned {result!r}").format(result=result)
            )
            raise _Failed(_sent_too_few(lost, len(guard.attempts), did))
        if len(orders) > 1:
            raise _duplicate(len(orders), lost, guard)
        if error is not None:
            raise _Failed(raised(error, when))
        if len(orders) != 1:
            raise _Failed(
                _("When {lost}, one call of place_order left {count} orders; expected 1.").format(
                    lost=lost, count=len(orders)
                )
            )
        if not isinstance(result, Exchange) or result.response is None:
            raise _Failed(
                _("When {lost}, your function returned {result!r}. Return the exchange that got a response.").format(
                    lost=lost, result=result
                )
            )
        _judge_delays(sleeps.delays, retries)
    grown = sleeps.delays

    guard, _sleeps, result, error, orders = _run_order(
        place_order, lambda n: True, _("when every response was lost")
    )
    if error is None:
        raise _Failed(
            _(
                "Every response was lost, and your function returned {result!r} after {attempts} attempts. "
                "The caller would think the order went through, but nobody knows: raise an error that says so."
            ).format(result=result, attempts=len(guard.attempts))
        )
    if len(orders) != 1:
        raise _duplicate(len(orders), _("every response was lost"), guard)
    gave_up = f"{type(error).__name__}: {str(error).rstrip('.')}"

    second_order = _("when a second order came")
    with fresh_lab() as lab:
        first, *_rest = _run_order(place_order, lambda n: False, none_lost, lab)
        second, _sleeps, _result, error, orders = _run_order(place_order, lambda n: False, second_order, lab)
    if error is not None:
        raise _Failed(raised(error, second_order))
    keys = [*first.keys()[:1], *second.keys()[:1]]
    if len(orders) < 2 or keys[0] == keys[1]:
        raise _Failed(
            _(
                "Two separate orders with the same content left {count} order(s) in the lab: both carried the "
                "Idempotency-Key {key!r}, so the server took the second order for a retry of the first. A key "
                "derived from the content (or kept from an earlier call) is not made once per operation: make a new "
                "one for every new order, and reuse it only for the retries of that order."
            ).format(count=len(orders), key=keys[0])
        )
    if any(key is None or len(key) < 16 for key in keys) or _differing(str(keys[0]), str(keys[1])) < 12:
        raise _Failed(
            _(
                "Your keys were {first!r} and {second!r}. Keys like these can be guessed, and they collide: another "
                "order that gets the same key is taken for a retry of yours (or refused with 422). Make each key "
                "random, like a UUID (uuid.uuid4())."
            ).format(first=keys[0], second=keys[1])
        )
    return [
        _(
            "A lost response, then two: one order each time. Every attempt carried the same Idempotency-Key, so the "
            "server replayed its first response instead of creating a second order."
        ),
        _("Your waits grew: {delays}.").format(delays=grown),
        _("With every response lost you stopped after a few attempts and said so ({error}).").format(error=gave_up),
        _("Two separate orders that look alike got two different random keys, and made two orders."),
    ]


def _sent_too_few(lost: str, attempts: int, did: str) -> str:
    """Say that the learner's function gave up too soon: it sent the order *attempts* times, then *did*."""
    if attempts == 0:
        head = _("When {lost}, your function never sent the order and {did}.")
    elif attempts == 1:
        head = _("When {lost}, your function sent the order once and {did}.")
    elif attempts == 2:
        head = _("When {lost}, your function sent the order twice and {did}.")
    else:
        head = _("When {lost}, your function sent the order {count} times and {did}.")
    tail = _(
        "The order may or may not exist, and the caller cannot tell: send it again (a retry), a few times if need be."
    )
    return head.format(lost=lost, did=did, count=attempts) + " " + tail
