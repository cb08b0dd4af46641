"""Exercise checkers: a right solution passes, a typical wrong one gets specific feedback, nothing crashes."""

from __future__ import annotations

import uuid

import pytest

from httplab.exercises import EXERCISES, check

MERGE = {"Content-Type": "application/merge-patch+json"}


# --- right solutions -------------------------------------------------------------------------


def make_three(lab):
    for name in ("a", "b", "c"):
        lab.send("PUT", f"/lab/items/{name}", json={"name": name})


def rename(lab, item_id, new_name):
    lab.send("PATCH", f"/lab/items/{item_id}", json={"name": new_name}, headers=MERGE)


def place_order(lab, order):
    lab.send("POST", "/lab/items", json=order, headers={"Idempotency-Key": f"order-{order['order_id']}"})


def safe_update(lab, item_id, changes):
    while True:
        current = lab.send("GET", f"/lab/items/{item_id}")
        new = {**current.json, **changes}
        reply = lab.send(
            "PUT", f"/lab/items/{item_id}", json=new, headers={"If-Match": current.response.headers["ETag"]}
        )
        if reply.status != 412:
            return


def remove(lab, item_id):
    return lab.send("DELETE", f"/lab/items/{item_id}").status in (204, 404)


def create_once(lab, item_id, data):
    return lab.send("PUT", f"/lab/items/{item_id}", json=data, headers={"If-None-Match": "*"}).status == 201


def allowed_methods(lab, path):
    return {m.strip() for m in lab.send("OPTIONS", path).response.headers["Allow"].split(",")}


def fetch_if_changed(lab, item_id, etag):
    reply = lab.send("GET", f"/lab/items/{item_id}", headers={"If-None-Match": etag})
    return (False, None) if reply.status == 304 else (True, reply.json)


RIGHT = {
    "create-three": make_three,
    "change-one-field": rename,
    "safe-order": place_order,
    "lost-update": safe_update,
    "delete-twice": remove,
    "create-once": create_once,
    "allowed-methods": allowed_methods,
    "fetch-if-changed": fetch_if_changed,
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


def wrong_remove(lab, item_id):
    return lab.send("DELETE", f"/lab/items/{item_id}").status == 204


def wrong_create_once(lab, item_id, data):
    return lab.send("PUT", f"/lab/items/{item_id}", json=data).status == 201


def wrong_allowed_methods(lab, path):
    return {"GET", "POST", "PUT", "DELETE"}


def wrong_fetch_if_changed(lab, item_id, etag):
    return True, lab.send("GET", f"/lab/items/{item_id}").json


WRONG = {
    "create-three": (wrong_make_three, "POST"),
    "change-one-field": (wrong_rename, "PUT replaces the whole item"),
    "safe-order": (wrong_place_order, "Idempotency-Key derived from the order"),
    "lost-update": (wrong_safe_update, "lost update"),
    "delete-twice": (wrong_remove, "404 after DELETE"),
    "create-once": (wrong_create_once, "If-None-Match: *"),
    "allowed-methods": (wrong_allowed_methods, "Allow header"),
    "fetch-if-changed": (wrong_fetch_if_changed, "If-None-Match"),
}


def test_every_exercise_has_a_right_and_a_wrong_solution_here():
    assert set(RIGHT) == set(EXERCISES) == set(WRONG)
    assert len(EXERCISES) >= 8


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
    from httplab.exercises import CheckResult

    rendered = CheckResult("x", False, ("<script>alert(1)</script>",))._repr_html_()
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered


def test_check_result_text_and_dict_say_not_yet():
    result = check("create-three", {"make_three": wrong_make_three})
    assert result.to_dict()["passed"] is False
    assert str(result).startswith("✘ Not yet.")
