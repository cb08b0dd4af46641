"""Exercise checkers: a right solution passes, a typical wrong one gets specific feedback, nothing crashes."""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid

import pytest
from _audit import accusing_audit, audit

import httplab
from httplab.teaching.exercises import EXERCISES, CheckResult, check

MERGE = {"Content-Type": "application/merge-patch+json"}


# --- right solutions -------------------------------------------------------------------------


def make_three(lab):
    for name in ("a", "b", "c"):
        lab.send("PUT", f"/lab/items/{name}", json={"name": name})


def rename(lab, item_id, new_name):
    lab.send("PATCH", f"/lab/items/{item_id}", json={"name": new_name}, headers=MERGE)


def place_order(lab, order):
    lab.send("PUT", f"/lab/items/{order['order_id']}", json=order)


def safe_update(lab, item_id, changes, tries=5):
    for _ in range(tries):
        current = lab.send("GET", f"/lab/items/{item_id}")
        if current.status != 200:
            return False
        reply = lab.send(
            "PUT", f"/lab/items/{item_id}", json={**current.json, **changes},
            headers={"If-Match": current.response.headers["ETag"]},
        )
        if reply.status != 412:
            return reply.ok
    return False


def remove(lab, item_id):
    return lab.send("DELETE", f"/lab/items/{item_id}").status in (200, 204, 404)


def create_once(lab, item_id, data):
    return lab.send("PUT", f"/lab/items/{item_id}", json=data, headers={"If-None-Match": "*"}).status == 201


def allowed_methods(lab, path):
    return {m.strip() for m in lab.send("OPTIONS", path).response.headers["Allow"].split(",")}


def fetch_if_changed(lab, item_id, etag):
    reply = lab.send("GET", f"/lab/items/{item_id}", headers={"If-None-Match": etag})
    return (False, None) if reply.status == 304 else (True, reply.json)


def retrying_order(lab, order, sleep, attempts=5):
    key = f'"{uuid.uuid4()}"'
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            return lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": key})
        except httplab.NoResponseError:
            if attempt == attempts:
                raise RuntimeError(f"No response after {attempts} attempts; the order may or may not exist.") from None
            sleep(delay)
            delay *= 2


def add_stock(lab, item_id, amount, tries=5):
    for _ in range(tries):
        current = lab.send("GET", f"/lab/items/{item_id}")
        if current.status != 200:
            return False
        item = current.json
        reply = lab.send(
            "PUT", f"/lab/items/{item_id}", json={**item, "stock": item["stock"] + amount},
            headers={"If-Match": current.response.headers["ETag"]},
        )
        if reply.status != 412:
            return reply.ok
    return False


RIGHT = {
    "create-three": make_three,
    "change-one-field": rename,
    "safe-order": place_order,
    "lost-update": safe_update,
    "delete-twice": remove,
    "create-once": create_once,
    "allowed-methods": allowed_methods,
    "fetch-if-changed": fetch_if_changed,
    "idempotent-retry": retrying_order,
    "update-loop": add_stock,
    "audit": audit,
}


# --- typical wrong solutions, with what the feedback must mention -------------------------------


def wrong_make_three(lab):
    for name in ("a", "b", "c"):
        lab.send("POST", "/lab/items", json={"name": name})


def wrong_rename(lab, item_id, new_name):
    lab.send("PUT", f"/lab/items/{item_id}", json={"name": new_name})


def wrong_place_order(lab, order):
    lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": str(uuid.uuid4())})


def wrong_safe_update(lab, item_id, changes):
    current = lab.send("GET", f"/lab/items/{item_id}")
    lab.send("PUT", f"/lab/items/{item_id}", json={**current.json, **changes})
    return True


def wrong_remove(lab, item_id):
    return lab.send("DELETE", f"/lab/items/{item_id}").status == 204


def wrong_create_once(lab, item_id, data):
    return lab.send("PUT", f"/lab/items/{item_id}", json=data).status == 201


def wrong_allowed_methods(lab, path):
    return {"GET", "POST", "PUT", "DELETE"}


def wrong_fetch_if_changed(lab, item_id, etag):
    return True, lab.send("GET", f"/lab/items/{item_id}").json


def retrying_without_key(lab, order, sleep, attempts=5):
    for attempt in range(attempts):
        try:
            return lab.send("POST", "/lab/items", json=order)
        except httplab.NoResponseError:
            sleep(0.5 * 2**attempt)
    raise RuntimeError("no response")


def wrong_add_stock(lab, item_id, amount):
    current = lab.send("GET", f"/lab/items/{item_id}")
    if current.status != 200:
        return False
    item = current.json
    return lab.send("PUT", f"/lab/items/{item_id}", json={**item, "stock": item["stock"] + amount}).ok


WRONG = {
    "create-three": (wrong_make_three, "POST"),
    "change-one-field": (wrong_rename, "PUT replaces the whole item"),
    "safe-order": (wrong_place_order, "a different one"),
    "lost-update": (wrong_safe_update, "lost update"),
    "delete-twice": (wrong_remove, "most likely your first attempt deleted it"),
    "create-once": (wrong_create_once, "If-None-Match: *"),
    "allowed-methods": (wrong_allowed_methods, "Allow header"),
    "fetch-if-changed": (wrong_fetch_if_changed, "If-None-Match"),
    "idempotent-retry": (retrying_without_key, "duplicate"),
    "update-loop": (wrong_add_stock, "If-Match"),
    "audit": (accusing_audit, "False accusation"),
}


def test_every_exercise_has_a_right_and_a_wrong_solution_here():
    assert set(RIGHT) == set(EXERCISES) == set(WRONG)
    assert len(EXERCISES) >= 10


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_checker_accepts_a_right_solution(name):
    exercise = EXERCISES[name]
    result = check(name, {exercise.function: RIGHT[name]})
    assert result.passed, result.feedback
    assert result.feedback


@pytest.mark.parametrize("name", sorted(WRONG))
def test_checker_rejects_a_typical_mistake_with_specific_feedback(name):
    exercise = EXERCISES[name]
    function, expected_words = WRONG[name]
    result = check(name, {exercise.function: function})
    assert not result.passed
    assert expected_words in " ".join(result.feedback)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_checker_asks_for_the_function_when_it_is_missing(name):
    result = check(name, {})
    assert not result.passed
    assert EXERCISES[name].signature in result.feedback[0]
    assert result.feedback[0].startswith("Define a function")


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_checker_asks_for_a_function_when_the_name_holds_something_else(name):
    result = check(name, {EXERCISES[name].function: "# Your code here"})
    assert not result.passed
    assert result.feedback[0].startswith("Define a function")


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_checker_reports_an_exception_in_the_learners_code(name):
    def broken(*args):
        raise KeyError("ETag")

    result = check(name, {EXERCISES[name].function: broken})
    assert not result.passed
    assert "KeyError" in result.feedback[0]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_checker_survives_a_function_that_does_nothing(name):
    result = check(name, {EXERCISES[name].function: lambda *args: None})
    assert not result.passed
    assert result.feedback


def test_check_finds_the_function_in_the_callers_globals():
    assert check("create-three").passed  # make_three is defined at module level here


def test_check_names_the_exercises_when_the_name_is_wrong():
    result = check("no-such-thing", {})
    assert not result.passed
    assert "create-three" in result.feedback[0]


def test_check_result_escapes_feedback_in_html():
    rendered = CheckResult("x", False, ("<script>alert(1)</script>",))._repr_html_()
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered


def test_check_result_text_and_dict_say_not_yet():
    result = check("create-three", {"make_three": wrong_make_three})
    assert result.to_dict()["passed"] is False
    assert str(result).startswith("✘ Not yet.")


def _feedback(name, function):
    result = check(name, {EXERCISES[name].function: function})
    assert not result.passed
    return " ".join(result.feedback)


# --- 03 safe-order: a retry must be recognisable, and keys must not be guessable -----------------

_KEYS: dict[str, str] = {}


def test_safe_order_accepts_a_random_key_kept_for_each_order():
    def place_order(lab, order):
        key = _KEYS.setdefault(order["order_id"], str(uuid.uuid4()))  # made once per order, then kept
        lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": f'"{key}"'})

    result = check("safe-order", {"place_order": place_order})
    assert result.passed, result.feedback
    assert "Idempotency-Key" in result.feedback[0]


def test_safe_order_names_the_duplicate_of_a_post_without_a_key():
    def place_order(lab, order):
        lab.send("POST", "/lab/items", json=order)

    assert "could not tell the retry from a new order" in _feedback("safe-order", place_order)


def test_safe_order_refuses_a_key_built_from_the_order_id():
    def place_order(lab, order):
        lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": f"order-{order['order_id']}"})

    assert "can be guessed" in _feedback("safe-order", place_order)


# --- 04 lost-update: bounded, and honest about a missing item ----------------------------------


def test_lost_update_stops_a_loop_that_never_gives_up():
    def safe_update(lab, item_id, changes):
        while True:
            current = lab.send("GET", f"/lab/items/{item_id}")
            if current.status == 404:
                return False
            reply = lab.send(
                "PUT", f"/lab/items/{item_id}", json={**current.json, **changes},
                headers={"If-Match": current.response.headers["ETag"]},
            )
            if reply.status != 412:
                return reply.ok

    text = _feedback("lost-update", safe_update)
    assert "always wrote first" in text and "without stopping" in text


def test_lost_update_does_not_take_a_missing_item_for_updated():
    def safe_update(lab, item_id, changes, tries=5):
        for _ in range(tries):
            current = lab.send("GET", f"/lab/items/{item_id}")
            if current.status == 404:
                return True  # wrong: nothing was updated
            reply = lab.send(
                "PUT", f"/lab/items/{item_id}", json={**current.json, **changes},
                headers={"If-Match": current.response.headers["ETag"]},
            )
            if reply.status != 412:
                return reply.ok
        return False

    assert "404 Not Found), yet your function returned True" in _feedback("lost-update", safe_update)


def test_lost_update_does_not_accept_a_missing_item_created_by_the_update():
    def safe_update(lab, item_id, changes, tries=5):
        for _ in range(tries):
            current = lab.send("GET", f"/lab/items/{item_id}")
            etag = current.response.headers.get("ETag")
            headers = {"If-Match": etag} if etag else {}
            reply = lab.send("PUT", f"/lab/items/{item_id}", json={**(current.json or {}), **changes}, headers=headers)
            if reply.status != 412:
                return reply.ok
        return False

    assert "your function created one" in _feedback("lost-update", safe_update)


# --- 05 delete-twice: 202 is accepted, not done -------------------------------------------------


def test_delete_twice_does_not_take_202_accepted_for_gone():
    def remove(lab, item_id):
        return lab.send("DELETE", f"/lab/items/{item_id}").status in (200, 202, 204, 404)

    text = _feedback("delete-twice", remove)
    assert "202 means accepted, not done" in text and "RFC 9110 §15.3.3" in text


def test_delete_twice_says_a_404_does_not_tell_who_deleted_it():
    text = _feedback("delete-twice", wrong_remove)
    assert "does not say who did" in text


# --- 09 retrying-client: one random key per order, bounded, growing waits -----------------------


def _retrying(make_key, *, attempts=5, delays=lambda n: 0.5 * 2**n, stop=True):
    """Build a variant of the right solution with one part changed."""

    def place_order(lab, order, sleep):
        key = make_key(order) if make_key else None
        tries = itertools.count() if not stop else range(attempts)
        for attempt in tries:
            headers = {"Idempotency-Key": key(attempt) if callable(key) else key} if make_key else {}
            try:
                return lab.send("POST", "/lab/items", json=order, headers=headers)
            except httplab.NoResponseError:
                delay = delays(attempt)
                if delay is not None:
                    sleep(delay)
        raise RuntimeError("no response: the order may or may not exist")

    return place_order


RANDOM_KEY = lambda order: str(uuid.uuid4())  # noqa: E731
_counter = itertools.count(1)

RETRYING_MISTAKES = {
    "no key": (_retrying(None), "no Idempotency-Key"),
    "a new key for every attempt": (
        _retrying(lambda order: lambda attempt: str(uuid.uuid4())),
        "different Idempotency-Key",
    ),
    "a key from the content": (
        _retrying(lambda order: hashlib.sha256(json.dumps(order, sort_keys=True).encode()).hexdigest()),
        "derived from the content",
    ),
    "a counter for a key": (_retrying(lambda order: f"order-{next(_counter)}"), "can be guessed"),
    "an unbounded loop": (_retrying(RANDOM_KEY, stop=False), "without stopping"),
    "no backoff": (_retrying(RANDOM_KEY, delays=lambda n: None), "called sleep only 0 times"),
    "waits that do not grow": (_retrying(RANDOM_KEY, delays=lambda n: 1.0), "let them grow"),
    "no retry at all": (_retrying(RANDOM_KEY, attempts=1), "send it again"),
}


@pytest.mark.parametrize("mistake", sorted(RETRYING_MISTAKES))
def test_retrying_client_names_each_mistake(mistake):
    function, expected_words = RETRYING_MISTAKES[mistake]
    assert expected_words in _feedback("idempotent-retry", function)


def test_retrying_client_wants_an_error_when_every_response_is_lost():
    def place_order(lab, order, sleep):
        key = str(uuid.uuid4())
        for attempt in range(5):
            try:
                return lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": key})
            except httplab.NoResponseError:
                sleep(0.5 * 2**attempt)
        return None  # wrong: the caller would think the order went through

    assert "raise an error that says so" in _feedback("idempotent-retry", place_order)


def test_retrying_client_asks_for_the_sleep_parameter():
    def place_order(lab, order):
        return lab.send("POST", "/lab/items", json=order)

    assert "three parameters" in _feedback("idempotent-retry", place_order)


def test_retrying_client_asks_for_post():
    def place_order(lab, order, sleep):
        return lab.send("PUT", f"/lab/items/{uuid.uuid4()}", json=order)

    assert "sent no POST" in _feedback("idempotent-retry", place_order)


def test_retrying_client_stops_a_loop_that_swallows_every_exception():
    def place_order(lab, order, sleep):
        key = str(uuid.uuid4())
        for attempt in range(15):
            try:
                return lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": key})
            except BaseException:  # noqa: B036 - the mistake under test
                sleep(0.5 * 2**attempt)
        raise RuntimeError("gave up")

    assert "without stopping" in _feedback("idempotent-retry", place_order)


def test_retrying_client_never_really_waits():
    import time

    started = time.perf_counter()
    assert check("idempotent-retry", {"place_order": retrying_order}).passed
    assert time.perf_counter() - started < 5  # the right solution asks for 7.5 s of waits per lost run


# --- 10 add-stock: every increment kept, bounded, honest ----------------------------------------


def _adding(*, if_match=True, on_412="retry", on_404=False, tries=5, reread=True):
    """Build a variant of the right solution with one part changed."""

    def add_stock(lab, item_id, amount):
        current = lab.send("GET", f"/lab/items/{item_id}")
        attempts = itertools.count() if tries is None else range(tries)
        for _ in attempts:
            if current.status == 404:
                return on_404
            item, etag = current.json, current.response.headers["ETag"]
            headers = {"If-Match": etag} if if_match else {}
            reply = lab.send("PUT", f"/lab/items/{item_id}", json={**item, "stock": item["stock"] + amount},
                             headers=headers)
            if reply.status == 412:
                if on_412 == "done":
                    return True
                if on_412 == "give up":
                    return False
                if reread:
                    current = lab.send("GET", f"/lab/items/{item_id}")
                else:  # keeps the old data, takes only the new ETag
                    current = type(current)(current.request, type(current.response)(
                        200, "OK", reply.response.headers, current.response.body), 0.0)
                continue
            return reply.status != 412 if on_412 == "428 too" else reply.ok
        return False

    return add_stock


ADD_STOCK_MISTAKES = {
    "no If-Match": (_adding(if_match=False), "428 Precondition Required"),
    "treats 428 as done": (_adding(if_match=False, on_412="428 too"), "a 428 stores nothing"),
    "treats 412 as done": (_adding(on_412="done"), "412 Precondition Failed — nothing was stored — yet"),
    "gives up at the first 412": (_adding(on_412="give up"), "One 412 is not the end"),
    "treats 404 as done": (_adding(on_404=True), "404 Not Found), yet your function returned True"),
    "an unbounded loop": (_adding(tries=None), "without stopping"),
    "writes old data with a new ETag": (_adding(reread=False), "read the item again"),
}


@pytest.mark.parametrize("mistake", sorted(ADD_STOCK_MISTAKES))
def test_add_stock_names_each_mistake(mistake):
    function, expected_words = ADD_STOCK_MISTAKES[mistake]
    assert expected_words in _feedback("update-loop", function)


def test_add_stock_keeps_the_fields_a_put_replaces():
    def add_stock(lab, item_id, amount):
        current = lab.send("GET", f"/lab/items/{item_id}")
        new = {"stock": current.json["stock"] + amount}
        etag = current.response.headers["ETag"]
        return lab.send("PUT", f"/lab/items/{item_id}", json=new, headers={"If-Match": etag}).ok

    assert "The item lost name, price" in _feedback("update-loop", add_stock)


def test_add_stock_accepts_a_conditional_merge_patch():
    def add_stock(lab, item_id, amount):
        for _ in range(5):
            current = lab.send("GET", f"/lab/items/{item_id}")
            if current.status != 200:
                return False
            reply = lab.send(
                "PATCH", f"/lab/items/{item_id}", json={"stock": current.json["stock"] + amount},
                headers={**MERGE, "If-Match": current.response.headers["ETag"]},
            )
            if reply.status != 412:
                return reply.ok
        return False

    result = check("update-loop", {"add_stock": add_stock})
    assert result.passed, result.feedback


def test_feedback_on_an_exception_quotes_the_learners_line_and_the_situation():
    def add_stock(lab, item_id, amount):
        current = lab.send("GET", f"/lab/items/{item_id}")
        etag = current.response.headers["ETag"]  # a 404 has no ETag
        item = {**current.json, "stock": current.json["stock"] + amount}
        return lab.send("PUT", f"/lab/items/{item_id}", json=item, headers={"If-Match": etag}).ok

    text = _feedback("update-loop", add_stock)
    assert "KeyError" in text
    assert 'etag = current.response.headers["ETag"]' in text
    assert "when the item does not exist" in text
