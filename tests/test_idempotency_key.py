"""Idempotency-Key on POST /lab/items (IETF httpapi draft): replay, 422, 409 in flight, one effect."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import httplab
from httplab.client.models import Exchange


def post(lab: httplab.Lab, data: Any, key: str | None, **headers: str) -> Exchange:
    fields = dict(headers)
    if key is not None:
        fields["Idempotency-Key"] = key
    return lab.send("POST", "/lab/items", json=data, headers=fields)


def stored(lab: httplab.Lab) -> list[Any]:
    return [entry["data"] for entry in lab.state()["items"]]


def detail(exchange: Exchange) -> str:
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    return str(exchange.json["detail"])


def test_idempotency_key_repeat_replays_the_first_response(lab):
    first = post(lab, {"name": "apple"}, "key-1")
    second = post(lab, {"name": "apple"}, "key-1")
    assert (first.status, second.status) == (201, 201)
    for name in ("Location", "ETag", "Content-Type"):
        assert second.response.headers[name] == first.response.headers[name]
    assert second.response.body == first.response.body
    assert second.response.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.response.headers
    assert stored(lab) == [{"name": "apple"}]


def test_idempotency_key_many_repeats_have_one_effect(lab):
    statuses = {post(lab, {"n": 1}, "same").status for _ in range(5)}
    assert statuses == {201}
    assert stored(lab) == [{"n": 1}]


def test_idempotency_key_same_json_written_differently_is_the_same_request(lab):
    post(lab, {"a": 1, "b": 2}, "k")
    again = lab.send("POST", "/lab/items", content=b'{ "b":2,\n"a":1 }',
                     headers={"Content-Type": "application/json", "Idempotency-Key": "k"})
    assert again.status == 201 and again.response.headers["Idempotent-Replayed"] == "true"
    assert len(stored(lab)) == 1


def test_idempotency_key_quoted_form_names_the_same_key(lab):
    post(lab, {"n": 1}, "abc")
    assert post(lab, {"n": 1}, '"abc"').response.headers["Idempotent-Replayed"] == "true"
    assert len(stored(lab)) == 1


def test_idempotency_key_with_a_different_payload_is_422(lab):
    post(lab, {"name": "apple"}, "key-1")
    exchange = post(lab, {"name": "pear"}, "key-1")
    assert exchange.status == 422
    message = detail(exchange)
    assert "'key-1'" in message and "Use a new key" in message
    assert stored(lab) == [{"name": "apple"}]


def test_idempotency_key_different_keys_are_different_requests(lab):
    post(lab, {"n": 1}, "a")
    post(lab, {"n": 1}, "b")
    assert stored(lab) == [{"n": 1}, {"n": 1}]


def test_idempotency_key_absent_means_every_post_creates(lab):
    post(lab, {"n": 1}, None)
    post(lab, {"n": 1}, None)
    assert len(stored(lab)) == 2


@pytest.mark.parametrize("key", ["", "   ", '""', "x" * 256], ids=["empty", "blank", "empty-quoted", "too-long"])
def test_idempotency_key_malformed_is_400(lab, key):
    exchange = post(lab, {"n": 1}, key)
    assert exchange.status == 400
    assert "1 to 255 characters" in detail(exchange)
    assert stored(lab) == []


def test_idempotency_key_failed_first_request_is_not_remembered():
    with httplab.Lab(in_process=True, max_items=1) as lab:
        post(lab, {"n": 0}, None)
        assert post(lab, {"n": 1}, "k").status == 507
        lab.send("DELETE", "/lab/items/1")
        retry = post(lab, {"n": 1}, "k")
        assert retry.status == 201 and "Idempotent-Replayed" not in retry.response.headers
        assert stored(lab) == [{"n": 1}]


def test_idempotency_key_bad_body_is_not_remembered(lab):
    bad = lab.send("POST", "/lab/items", content=b"{", headers={"Content-Type": "application/json",
                                                                 "Idempotency-Key": "k"})
    assert bad.status == 400
    assert post(lab, {"n": 1}, "k").status == 201
    assert stored(lab) == [{"n": 1}]


def test_idempotency_key_makes_retry_after_a_lost_response_safe(any_lab):
    with pytest.raises(httplab.NoResponseError):
        post(any_lab, {"order": 7}, "order-7", **{"X-Lab-Fault": "drop-response"})
    retry = post(any_lab, {"order": 7}, "order-7")
    assert retry.status == 201
    assert retry.response.headers["Idempotent-Replayed"] == "true"
    assert stored(any_lab) == [{"order": 7}]


@pytest.mark.socket
def test_idempotency_key_repeat_while_in_flight_is_409(socket_lab):
    results: dict[str, Exchange] = {}
    first = threading.Thread(
        target=lambda: results.setdefault("first", post(socket_lab, {"n": 1}, "slow", **{"X-Lab-Delay": "2"}))
    )
    first.start()
    time.sleep(0.5)  # well inside the first request's 2 s, even on a busy machine
    during = post(socket_lab, {"n": 1}, "slow")
    first.join(10)
    after = post(socket_lab, {"n": 1}, "slow")
    assert during.status == 409
    message = detail(during)
    assert "still being processed" in message and "retry with the same key" in message
    assert results["first"].status == 201
    assert after.status == 201 and after.response.headers["Idempotent-Replayed"] == "true"
    assert after.response.headers["Location"] == results["first"].response.headers["Location"]
    assert stored(socket_lab) == [{"n": 1}]


@pytest.mark.socket
def test_idempotency_key_concurrent_duplicates_create_exactly_one_item(socket_lab):
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def send() -> None:
        barrier.wait()
        exchange = post(socket_lab, {"n": 1}, "dup", **{"X-Lab-Delay": "0.3"})
        replayed = exchange.response.headers.get("Idempotent-Replayed") == "true"
        with lock:
            outcomes.append(f"{exchange.status}{' replayed' if replayed else ''}")

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    # Exactly one request was applied; a duplicate that arrived while it was in flight got 409,
    # and one that a slow machine scheduled after it finished got the first response replayed.
    assert outcomes.count("201") == 1
    assert set(outcomes) <= {"201", "409", "201 replayed"}
    assert stored(socket_lab) == [{"n": 1}]


@pytest.mark.socket
def test_idempotency_key_concurrent_different_payload_is_422_while_in_flight(socket_lab):
    # The first request stays in flight for 2 s; the second starts 0.5 s in, a wide margin on a busy machine.
    first = threading.Thread(target=post, args=(socket_lab, {"n": 1}, "k"), kwargs={"X-Lab-Delay": "2"})
    first.start()
    time.sleep(0.5)
    other = post(socket_lab, {"n": 2}, "k")
    first.join(10)
    assert other.status == 422
    assert stored(socket_lab) == [{"n": 1}]
