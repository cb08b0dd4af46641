"""Experiments: repeat, compare, lost-response retries and lost updates, on a correct and a broken server."""

from __future__ import annotations

import json
from typing import Any

import pytest

import httplab
from httplab.client import LabClient
from httplab.experiments import (
    Call,
    Scenario,
    SetupFailedError,
    compare,
    judge,
    method_scenarios,
    promise_of,
    repeat,
)
from httplab.experiments.retries import retry_after_lost_response

APPLE = Call("PUT", "/lab/items/apple", json={"name": "apple", "tags": ["fruit"]})
SCENARIOS = {scenario.label: scenario for scenario in method_scenarios()}

# label -> (statuses, changed_state, state_unchanged, same_after_repeats, state numbers)
PREDICTED = {
    "GET": ((200, 200, 200), False, True, True, (0, 0, 0, 0)),
    "HEAD": ((200, 200, 200), False, True, True, (0, 0, 0, 0)),
    "OPTIONS": ((204, 204, 204), False, True, True, (0, 0, 0, 0)),
    "POST": ((201, 201, 201), True, False, False, (0, 1, 2, 3)),
    "PUT": ((201, 204, 204), True, False, True, (0, 1, 1, 1)),
    "PATCH (merge patch)": ((200, 200, 200), True, False, True, (0, 1, 1, 1)),
    "PATCH (JSON Patch append)": ((200, 200, 200), True, False, False, (0, 1, 2, 3)),
    "DELETE": ((204, 404, 404), True, False, True, (0, 1, 1, 1)),
}


def items(state: dict[str, Any]) -> dict[str, Any]:
    return {item["id"]: item["data"] for item in state["items"]}


# ---------------------------------------------------------------- scenarios on the real lab


def test_method_scenarios_cover_every_method_once():
    assert list(SCENARIOS) == list(PREDICTED)
    assert [s.call.method for s in method_scenarios()] == [
        "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "PATCH", "DELETE"
    ]


@pytest.mark.parametrize("label", list(PREDICTED))
def test_repeat_scenario_matches_what_rfc_9110_predicts(any_lab, label):
    statuses, changed, unchanged, same, numbers = PREDICTED[label]
    result = SCENARIOS[label].run(any_lab, times=3)
    assert result.statuses == statuses
    assert result.changed_state is changed
    assert result.state_unchanged is unchanged
    assert result.same_after_repeats is same
    assert result.state_numbers == numbers
    assert result.broken_promise is False
    assert len(result.exchanges) == len(result.before) == len(result.after) == 3


def test_repeat_post_creates_one_more_item_per_call(lab):
    result = SCENARIOS["POST"].run(lab, times=4)
    assert [len(state["items"]) for state in result.after] == [2, 3, 4, 5]
    assert [e.response.headers["Location"] for e in result.exchanges] == [f"/lab/items/{n}" for n in (1, 2, 3, 4)]


def test_repeat_json_patch_append_grows_the_array_each_time(lab):
    result = SCENARIOS["PATCH (JSON Patch append)"].run(lab, times=3)
    assert [items(state)["apple"]["tags"] for state in result.after] == [
        ["fruit", "x"], ["fruit", "x", "x"], ["fruit", "x", "x", "x"]
    ]


def test_repeat_merge_patch_leaves_the_same_item_every_time(lab):
    result = SCENARIOS["PATCH (merge patch)"].run(lab, times=3)
    assert {json.dumps(items(s), sort_keys=True) for s in result.after} == {
        json.dumps({"apple": {"name": "apple", "tags": ["fruit"], "colour": "red"}}, sort_keys=True)
    }


def test_repeat_head_gets_no_content_but_the_get_headers(lab):
    result = SCENARIOS["HEAD"].run(lab, times=2)
    assert all(e.response.body == b"" for e in result.exchanges)
    assert int(result.exchanges[0].response.headers["Content-Length"]) > 0


def test_repeat_safe_method_still_counts_requests_but_that_is_not_state(lab):
    result = lab.repeat("GET", "/lab/items/apple", times=3, setup=[APPLE])
    assert lab.state()["requests"]["GET"] == 3
    assert result.state_unchanged
    assert all("requests" not in s and "settings" not in s for s in (*result.before, *result.after))


def test_repeat_post_with_idempotency_key_is_same_after_repeats(any_lab):
    result = any_lab.repeat(
        "POST", "/lab/items", times=3, json={"name": "pear"}, headers={"Idempotency-Key": "k-1"}
    )
    assert result.statuses == (201, 201, 201)
    assert result.same_after_repeats and result.changed_state
    assert [e.response.headers.get("Idempotent-Replayed") for e in result.exchanges] == [None, "true", "true"]
    assert "neither safe nor idempotent" in result.explanation  # the promise is unchanged by one run


def test_promise_of_patch_says_the_method_is_not_idempotent():
    promise = promise_of("PATCH")
    assert "neither safe nor idempotent" in promise and "RFC 5789 §2" in promise
    assert "a proxy MUST NOT and a generic client SHOULD NOT repeat a PATCH" in promise
    assert "merge patch that sets values" in promise and "JSON Patch that appends" in promise
    assert "guaranteed" not in promise and "depends on the patch" not in promise


def test_repeat_merge_patch_is_idempotent_in_effect_but_patch_is_not_an_idempotent_method(lab):
    result = SCENARIOS["PATCH (merge patch)"].run(lab, times=3)
    assert result.same_after_repeats and not result.broken_promise
    assert "This PATCH was idempotent in effect" in result.explanation
    assert "That does not make PATCH an idempotent method" in result.explanation


def test_repeat_json_patch_append_explains_a_new_effect_every_call(lab):
    result = SCENARIOS["PATCH (JSON Patch append)"].run(lab, times=3)
    assert "neither safe nor idempotent" in result.explanation
    assert "did something new on every call" in result.explanation
    assert "This PATCH was idempotent in effect" not in result.explanation


def test_repeat_delete_says_a_404_alone_does_not_say_who_deleted_it(lab):
    result = SCENARIOS["DELETE"].run(lab, times=3)
    assert "A 404 alone does not say who deleted it" in result.explanation
    assert "the snapshots show it disappeared with call 1, so the first DELETE did it" in result.explanation


@pytest.mark.parametrize("label", list(PREDICTED))
def test_no_observation_is_called_safe_or_idempotent(lab, label):
    result = SCENARIOS[label].run(lab, times=2)
    shown = " ".join(
        (repr(result), result._repr_html_(), result.explanation, json.dumps(result.to_dict()), lab.compare(
            [SCENARIOS[label]], times=2)._repr_html_())
    )
    for wrong in ("safe here", "idempotent here", "(observed)", "safe to retry", "guaranteed", "safe_observed",
                  "idempotent_observed"):
        assert wrong not in shown


def test_repeat_resets_first_unless_told_not_to(lab):
    lab.send("POST", "/lab/items", json={"name": "old"})
    kept = lab.repeat("GET", "/lab/items", times=2, reset=False)
    assert len(kept.before[0]["items"]) == 1
    fresh = lab.repeat("GET", "/lab/items", times=2)
    assert fresh.before[0]["items"] == []


def test_repeat_records_a_lost_response_as_no_response(lab):
    result = lab.repeat("POST", "/lab/items", times=2, json={}, headers={"X-Lab-Fault": "drop-response"})
    assert result.statuses == (None, None)
    assert [len(s["items"]) for s in result.after] == [1, 2]
    assert "No call got a 2xx response" in result.explanation


def test_repeat_refuses_a_failing_setup(lab):
    with pytest.raises(SetupFailedError, match="PATCH /lab/items/ghost answered 404 Not Found"):
        lab.repeat("GET", "/lab/items/ghost", setup=[("PATCH", "/lab/items/ghost", {"json": {}})])


@pytest.mark.parametrize("times", [0, 1, 1001, True, 2.5])
def test_repeat_refuses_times_it_cannot_learn_from(lab, times):
    with pytest.raises(httplab.InvalidRequestError, match="times="):
        lab.repeat("GET", "/lab/items", times=times)


def test_call_accepts_tuples_and_refuses_nonsense():
    assert Call.coerce(("put", "/lab/items/a", {"json": {}})) == Call("PUT", "/lab/items/a", json={})
    assert Call.coerce(("GET", "/lab/items")).options == {}
    with pytest.raises(httplab.InvalidRequestError, match="does not describe a request"):
        Call.coerce("GET /lab/items")  # type: ignore[arg-type]


# ---------------------------------------------------------------- verdict logic on made-up snapshots

A, B, C = {"items": [{"id": "1"}]}, {"items": [{"id": "2"}]}, {"items": []}


@pytest.mark.parametrize(
    ("before", "after", "changed", "unchanged", "same", "numbers"),
    [
        pytest.param([A, A, A], [A, A, A], False, True, True, (0, 0, 0, 0), id="nothing-changes"),
        pytest.param([A, B, B], [B, B, B], True, False, True, (0, 1, 1, 1), id="changes-once"),
        pytest.param([A, B, C], [B, C, A], True, False, False, (0, 1, 2, 0), id="new-state-each-time"),
        pytest.param([A, B, A], [B, A, B], True, False, False, (0, 1, 0, 1), id="toggles"),
        pytest.param([A, A], [A, B], True, False, False, (0, 0, 1), id="second-call-changes"),
    ],
)
def test_judge_on_synthetic_snapshots(before, after, changed, unchanged, same, numbers):
    observation = judge(before, after)
    assert (observation.changed_state, observation.state_unchanged, observation.same_after_repeats) == (
        changed,
        unchanged,
        same,
    )
    assert observation.state_numbers == numbers


def test_judge_ignores_key_order_but_not_values():
    assert judge([{"a": 1, "b": 2}], [{"b": 2, "a": 1}]).state_unchanged
    assert not judge([{"a": 1}], [{"a": 1.5}]).state_unchanged


def test_judge_needs_one_before_and_after_per_call():
    with pytest.raises(ValueError, match="one 'before' and one 'after'"):
        judge([A, A], [A])


@pytest.mark.parametrize(
    ("method", "words"),
    [("GET", "safe (and so idempotent)"), ("DELETE", "idempotent but not safe"),
     ("PATCH", "PATCH as neither safe nor idempotent"), ("POST", "neither safe nor idempotent"),
     ("TRACE", "TRACE as safe (and so idempotent)")],
)
def test_promise_of_states_rfc_9110(method, words):
    assert words in promise_of(method)


# ---------------------------------------------------------------- a deliberately broken server


def broken_app() -> Any:
    """A tiny WSGI server that breaks two promises: GET counts visits in the item, PUT appends."""
    store: dict[str, list[Any]] = {"x": []}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        status, body = "200 OK", b"{}"
        if path == "/state":
            body = json.dumps({"items": [{"id": "x", "data": store["x"]}], "requests": {}}).encode()
        elif path == "/reset":
            store["x"] = []
        elif method == "GET":
            store["x"] = [*store["x"], "visit"]
        elif method == "PUT":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            store["x"] = [*store["x"], json.loads(environ["wsgi.input"].read(length))]
            status = "204 No Content"
            body = b""
        start_response(status, [("Content-Type", "application/json")])
        return [body]

    return app


class FakeLab:
    def __init__(self) -> None:
        self.client = LabClient("http://broken.local", app=broken_app())

    def send(self, method: str, path: str, **request: Any) -> httplab.Exchange:
        return self.client.send(method, path, **request)

    def state(self) -> dict[str, Any]:
        return dict(self.client.send("GET", "/state", record=False).json)

    def reset(self) -> None:
        self.client.send("POST", "/reset", record=False)


def test_verdict_detects_a_get_that_changes_state():
    result = repeat(FakeLab(), "GET", "/items/x", times=3)
    assert result.statuses == (200, 200, 200)
    assert not result.state_unchanged and not result.same_after_repeats
    assert result.broken_promise
    assert "broke that promise" in result.explanation


def test_verdict_detects_a_put_that_appends():
    result = repeat(FakeLab(), "PUT", "/items/x", times=3, json={"v": 1})
    assert result.statuses == (204, 204, 204)
    assert not result.same_after_repeats and result.broken_promise
    assert result.state_numbers == (0, 1, 2, 3)
    assert compare(FakeLab(), [("PUT", "/items/x", {"json": {}})]).rows[0].broken_promise


# ---------------------------------------------------------------- compare


def test_compare_runs_each_request_from_a_fresh_lab(any_lab):
    comparison = any_lab.compare(times=3)
    assert [row.label for row in comparison.rows] == list(PREDICTED)
    assert comparison["POST"].distinct_states == 4 and comparison["PUT"].distinct_states == 2
    assert comparison["DELETE /lab/items/apple"].statuses == (204, 404, 404)
    with pytest.raises(KeyError, match="No row is labelled 'TRACE'"):
        comparison["TRACE"]


def test_compare_explanation_groups_the_requests(lab):
    text = compare(lab, method_scenarios(), times=2).explanation
    assert "State unchanged: GET, HEAD, OPTIONS." in text
    assert "Changed once, then stayed the same: PUT, PATCH (merge patch), DELETE." in text
    assert "Kept changing: POST, PATCH (JSON Patch append)." in text
    assert "PATCH (merge patch): idempotent in effect in this run, yet PATCH is not an idempotent method." in text
    assert "evidence about this server, not a proof about the method" in text


def test_compare_to_dict_is_json_and_carries_the_verdicts(lab):
    data = json.loads(json.dumps(lab.compare(times=2).to_dict()))
    post = data["rows"][3]
    assert (post["label"], post["statuses"], post["same_after_repeats"]) == ("POST", [201, 201], False)
    assert post["state_sizes"] == [2, 3]


def test_compare_html_has_a_table_a_chart_and_text_badges(lab):
    page = lab.compare(times=3)._repr_html_()
    assert page.count("<svg") == 1 and "<table" in page
    for text in ("201 Created", "204 No Content", "404 Not Found", "200 OK"):
        assert text in page
    assert "<script" not in page and "https://" not in page


def test_html_escapes_what_the_learner_supplied(lab):
    evil = "<img src=x onerror=alert(1)>"
    comparison = compare(lab, [Scenario(evil, Call("GET", "/lab/items?q=<b>"))], times=2)
    page = comparison._repr_html_() + comparison.rows[0]._repr_html_()
    assert evil not in page and "q=<b>" not in page
    assert "q=&lt;b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# ---------------------------------------------------------------- the result objects


def test_repeat_result_repr_html_and_dict(lab):
    result = lab.repeat("PUT", "/lab/items/pear", times=3, json={"name": "pear"})
    assert repr(result) == (
        "<RepeatResult PUT /lab/items/pear ×3 [201 204 204] changed once, then stayed the same>"
    )
    page = result._repr_html_()
    assert "201 Created" in page and "<svg" in page
    assert "state changed: <b>yes</b>" in page and "same state after repeats: <b>yes</b>" in page
    assert "not the response" in result.explanation and "a promise the server keeps or breaks" in result.explanation
    data = json.loads(json.dumps(result.to_dict()))
    assert data["statuses"] == [201, 204, 204] and data["same_after_repeats"] is True
    with pytest.raises(AttributeError):
        result.label = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------- retries after a lost response


@pytest.mark.parametrize(
    ("method", "path", "policy", "options", "statuses", "duplicated", "final_items"),
    [
        pytest.param("POST", "/lab/items", "never", {"json": {"n": 1}}, (None,), False, 2, id="post-never"),
        pytest.param("POST", "/lab/items", "idempotent-only", {"json": {"n": 1}}, (None,), False, 2, id="post-urllib3"),
        pytest.param("POST", "/lab/items", "always", {"json": {"n": 1}}, (None, 201), True, 3, id="post-always"),
        pytest.param("PUT", "/lab/items/pear", "idempotent-only", {"json": {}}, (None, 204), False, 2, id="put"),
        pytest.param("DELETE", "/lab/items/apple", "idempotent-only", {}, (None, 404), False, 0, id="delete"),
        pytest.param("GET", "/lab/items/apple", "idempotent-only", {}, (None, 200), False, 1, id="get"),
    ],
)
def test_retry_after_lost_response_follows_the_policy(any_lab, method, path, policy, options, statuses, duplicated,
                                                       final_items):
    result = any_lab.retry_after_lost_response(method, path, retry=policy, setup=[APPLE], **options)
    assert result.statuses == statuses
    assert result.duplicated is duplicated
    assert result.first_applied is (method != "GET")
    assert len(result.final["items"]) == final_items
    assert result.first.response is None and result.first.error


def test_retry_of_a_delete_that_ends_in_404_says_who_most_likely_deleted_it(lab):
    result = lab.retry_after_lost_response("DELETE", "/lab/items/apple", setup=[APPLE])
    assert result.final["items"] == [] and result.retry is not None and result.retry.status == 404
    assert "A 404 alone does not say who deleted it: most likely the first attempt did" in result.explanation
    assert "has succeeded" not in result.explanation


def test_retry_with_idempotency_key_makes_no_duplicate(any_lab):
    result = any_lab.retry_after_lost_response(
        "POST", "/lab/items", retry="always", idempotency_key="order-7", json={"name": "pear"}
    )
    assert result.statuses == (None, 201)
    assert result.replayed and not result.duplicated
    assert [item["data"] for item in result.final["items"]] == [{"name": "pear"}]
    assert "IETF draft" in result.explanation
    assert "Idempotent-Replayed: true, a header of this lab's own, not part of the draft" in result.explanation


def test_retry_of_an_appending_json_patch_adds_a_second_element(any_lab):
    result = any_lab.retry_after_lost_response(
        "PATCH",
        "/lab/items/apple",
        retry="always",
        setup=[APPLE],
        json=[{"op": "add", "path": "/tags/-", "value": "x"}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert result.duplicated
    assert items(result.after_first)["apple"]["tags"] == ["fruit", "x"]
    assert items(result.final)["apple"]["tags"] == ["fruit", "x", "x"]


def test_retry_explains_urllib3_policy_and_the_rfc(lab):
    post = lab.retry_after_lost_response("POST", "/lab/items", json={})
    assert "the list urllib3's Retry uses for read errors" in post.explanation
    assert "POST is not one of them, so it did not retry" in post.explanation
    assert "check what yours does" in post.explanation
    assert "yet the change happened on the server" in post.explanation
    always = lab.retry_after_lost_response("POST", "/lab/items", retry="always", json={})
    assert "a client SHOULD NOT retry it automatically unless it knows" in always.explanation
    assert "a proxy MUST NOT" in always.explanation
    assert "safe to retry" not in post.explanation + always.explanation
    assert repr(always) == "<RetryResult POST /lab/items always: no response → 201 Created, duplicated>"


def test_retry_result_html_and_dict(lab):
    result = retry_after_lost_response(lab, "PUT", "/lab/items/<x>", retry="always", json={})
    assert result.statuses == (None, 400)
    page = result._repr_html_()
    assert "no response" in page and "400 Bad Request" in page and "&lt;x&gt;" in page and "<x>" not in page
    data = json.loads(json.dumps(result.to_dict()))
    assert data["statuses"] == [None, 400] and data["first"]["error"]


def test_retry_refuses_an_unknown_policy(lab):
    with pytest.raises(httplab.InvalidRequestError, match="never, idempotent-only, always"):
        lab.retry_after_lost_response("GET", "/lab/items", retry="sometimes")  # type: ignore[arg-type]


# ---------------------------------------------------------------- lost updates


def test_lost_update_without_if_match_silently_overwrites(any_lab):
    run = any_lab.lost_update().without_if_match
    assert (run.first_write.status, run.second_write.status) == (204, 204)
    assert run.lost_update and not run.first_write_kept
    assert run.final == {"title": "shopping", "items": ["milk", "bread"]}
    assert "lost update" in run.explanation


def test_lost_update_with_if_match_gives_412_and_keeps_the_first_write(any_lab):
    run = any_lab.lost_update().with_if_match
    reads = [s.exchange for s in run.steps if s.action == "read"]
    assert reads[0].response.headers["ETag"] == reads[1].response.headers["ETag"]
    assert run.first_write.request.headers["If-Match"] == reads[0].response.headers["ETag"]
    assert (run.first_write.status, run.second_write.status) == (204, 412)
    assert run.second_rejected and run.first_write_kept and not run.lost_update


def test_lost_update_create_only_with_if_none_match_star(any_lab):
    run = any_lab.lost_update(first={"v": 1}, second={"v": 2}).create_only
    assert (run.first_write.status, run.second_write.status) == (201, 412)
    assert run.final == {"v": 1}


def test_lost_update_result_repr_html_and_dict(lab):
    with pytest.raises(SetupFailedError, match="PUT /lab/items/<note> answered 400 Bad Request"):
        lab.lost_update("/lab/items/<note>")
    good = lab.lost_update("/lab/items/note")
    assert repr(good).startswith("<LostUpdateResult /lab/items/note (without If-Match: 204 No Content")
    page = good._repr_html_()
    assert "412 Precondition Failed" in page and "If-Match: &quot;" in page
    data = json.loads(json.dumps(good.to_dict()))
    assert [run["lost_update"] for run in data["runs"]] == [True, False, False]
    with pytest.raises(httplab.InvalidRequestError, match="must differ"):
        lab.lost_update(first={"a": 1}, second={"a": 1})


def test_every_section_but_requests_and_settings_counts_as_state():
    from httplab.experiments.calls import resources_state

    snapshot = {"items": [], "files": [{"name": "a.txt"}], "requests": {"GET": 3}, "settings": {"x": True}}
    assert resources_state(snapshot) == {"items": [], "files": [{"name": "a.txt"}]}
    assert not judge([{"files": []}], [{"files": [{"name": "a.txt"}]}]).state_unchanged


def test_repeat_runs_a_thousand_calls_with_one_state_read_between_calls(lab):
    reads = []
    original = lab.state

    def counting_state():
        reads.append(1)
        return original()

    lab.state = counting_state
    result = lab.repeat("PUT", "/lab/items/a", times=1000, json={"n": 1})
    assert result.statuses[:2] == (201, 204) and len(result.statuses) == 1000
    assert result.same_after_repeats
    assert len(reads) == 1001  # one before the first call, then one after each call
