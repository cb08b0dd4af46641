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
    never_stops = (
        f"{when[:1].upper()}{when[1:]}, your function made more than {MAX_ATTEMPTS} attempts (or {MAX_REQUESTS} "
        "requests) without stopping. Stop when a response comes, and give up after a few attempts (say 5) by "
        "raising an error that says the order may or may not exist: a loop that only ends on success may never end."
    )
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
        why = (
            "Your POSTs carried no Idempotency-Key, so the server could not tell that the retry was the same order: "
            "it created a duplicate. POST is not idempotent (RFC 9110 §9.2.2)."
        )
    elif None in keys:
        why = "Some attempts carried no Idempotency-Key, so the server took them for new orders: a duplicate."
    elif len(set(keys)) > 1:
        why = (
            f"Each attempt carried a different Idempotency-Key ({', '.join(map(repr, keys))}), so the server took "
            "each retry for a new order: a duplicate. Make the key once, before the first attempt, and send that "
            "same key on every attempt of this order."
        )
    else:
        why = "The retries carried the same Idempotency-Key, yet the order was duplicated: look at what else changed."
    return _Failed(f"When {lost}, one call of place_order left {count} orders in the lab. {why}")


def _judge_delays(delays: list[Any], retries: int) -> None:
    if len(delays) < retries:
        raise _Failed(
            f"Your function tried {retries + 1} times but called sleep only {len(delays)} times: wait before each "
            "retry (backoff), so that a struggling server gets room to recover. Call the sleep you were given, "
            "e.g. sleep(0.5) — the checker's sleep records the delay instead of waiting."
        )
    if not all(isinstance(d, int | float) and not isinstance(d, bool) and d > 0 for d in delays):
        raise _Failed(f"Your function asked sleep for {delays}: give it a number of seconds greater than 0.")
    if len(delays) > 1 and (any(b < a for a, b in zip(delays, delays[1:], strict=False)) or delays[-1] <= delays[0]):
        raise _Failed(
            f"Your waits were {delays}: let them grow (for example double each time), so that a client that keeps "
            "failing asks less and less often."
        )


def check_idempotent_retry(place_order: Callable[..., Any]) -> list[str]:
    """Judge ``place_order(lab, order, sleep)``: one random key per order, bounded retries with growing waits."""
    if not takes(place_order, None, None, None):
        raise _Failed(
            f"Your function must take three parameters: {_SIGNATURE}. The checker passes its own sleep, "
            "which records each delay instead of waiting."
        )
    guard, _, result, error, orders = _run_order(place_order, lambda n: False, "when no response was lost")
    if error is not None:
        raise _Failed(raised(error, "when no response was lost"))
    if not guard.attempts:
        raise _Failed("Your function sent no POST to /lab/items. Send the order there with lab.send(...).")
    if len(orders) != 1:
        raise _Failed(f"With no response lost, one call of place_order left {len(orders)} orders; expected 1.")
    if orders[0]["data"] != _ORDER:
        raise _Failed(f"The lab stored {orders[0]['data']}; send the order you were given, {_ORDER}, as JSON.")
    if not isinstance(result, Exchange) or result.response is None:
        raise _Failed(
            f"Your function returned {result!r}. Return the exchange that got a response: what lab.send returned."
        )

    for lost, lose, retries in (
        ("the first response was lost", lambda n: n == 1, 1),
        ("the first two responses were lost", lambda n: n <= 2, 2),
    ):
        guard, sleeps, result, error, orders = _run_order(place_order, lose, f"when {lost}")
        if len(guard.attempts) <= retries:
            did = f"raised {type(error).__name__}" if error is not None else f"returned {result!r}"
            times = {0: "never", 1: "once", 2: "twice"}.get(len(guard.attempts), f"{len(guard.attempts)} times")
            raise _Failed(
                f"When {lost}, your function sent the order {times} and {did}. The order "
                "may or may not exist, and the caller cannot tell: send it again (a retry), a few times if need be."
            )
        if len(orders) > 1:
            raise _duplicate(len(orders), lost, guard)
        if error is not None:
            raise _Failed(raised(error, f"when {lost}"))
        if len(orders) != 1:
            raise _Failed(f"When {lost}, one call of place_order left {len(orders)} orders; expected 1.")
        if not isinstance(result, Exchange) or result.response is None:
            raise _Failed(
                f"When {lost}, your function returned {result!r}. Return the exchange that got a response."
            )
        _judge_delays(sleeps.delays, retries)
    grown = sleeps.delays

    guard, _, result, error, orders = _run_order(place_order, lambda n: True, "when every response was lost")
    if error is None:
        raise _Failed(
            f"Every response was lost, and your function returned {result!r} after {len(guard.attempts)} attempts. "
            "The caller would think the order went through, but nobody knows: raise an error that says so."
        )
    if len(orders) != 1:
        raise _duplicate(len(orders), "every response was lost", guard)
    gave_up = f"{type(error).__name__}: {str(error).rstrip('.')}"

    with fresh_lab() as lab:
        first, *_ = _run_order(place_order, lambda n: False, "when no response was lost", lab)
        second, _, _, error, orders = _run_order(place_order, lambda n: False, "when a second order came", lab)
    if error is not None:
        raise _Failed(raised(error, "when a second order came"))
    keys = [*first.keys()[:1], *second.keys()[:1]]
    if len(orders) < 2 or keys[0] == keys[1]:
        raise _Failed(
            f"Two separate orders with the same content left {len(orders)} order(s) in the lab: both carried the "
            f"Idempotency-Key {keys[0]!r}, so the server took the second order for a retry of the first. A key "
            "derived from the content (or kept from an earlier call) is not made once per operation: make a new "
            "one for every new order, and reuse it only for the retries of that order."
        )
    if any(key is None or len(key) < 16 for key in keys) or _differing(str(keys[0]), str(keys[1])) < 12:
        raise _Failed(
            f"Your keys were {keys[0]!r} and {keys[1]!r}. Keys like these can be guessed, and they collide: another "
            "order that gets the same key is taken for a retry of yours (or refused with 422). Make each key "
            "random, like a UUID (uuid.uuid4())."
        )
    return [
        "A lost response, then two: one order each time. Every attempt carried the same Idempotency-Key, so the "
        "server replayed its first response instead of creating a second order.",
        f"Your waits grew: {grown}.",
        f"With every response lost you stopped after a few attempts and said so ({gave_up}).",
        "Two separate orders that look alike got two different random keys, and made two orders.",
    ]
