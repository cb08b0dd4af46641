"""Conditional requests on the resource API: If-Match, If-None-Match, 304 vs 412, 428, lost updates."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import httplab
from httplab.client.models import Exchange

MERGE = {"Content-Type": "application/merge-patch+json"}

#: One request per unsafe method that would succeed on item 1 without conditions.
UNSAFE: dict[str, dict[str, Any]] = {
    "PUT": {"json": {"name": "pear"}},
    "PATCH": {"json": {"name": "pear"}, "headers": MERGE},
    "DELETE": {},
}


def unsafe(lab: httplab.Lab, method: str, conditions: dict[str, str], path: str = "/lab/items/1") -> Exchange:
    request = dict(UNSAFE[method])
    request["headers"] = {**request.get("headers", {}), **conditions}
    return lab.send(method, path, **request)


def seed(lab: httplab.Lab) -> str:
    """Create item 1 and return its ETag."""
    exchange = lab.send("POST", "/lab/items", json={"name": "apple"})
    assert exchange.status == 201
    return str(exchange.response.headers["ETag"])


def stored(lab: httplab.Lab) -> list[Any]:
    return [entry["data"] for entry in lab.state()["items"]]


def detail(exchange: Exchange) -> str:
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    return str(exchange.json["detail"])


methods = pytest.mark.parametrize("method", list(UNSAFE))


# --------------------------------------------------------------------------- If-Match


@methods
def test_if_match_current_etag_lets_the_change_through(lab, method):
    etag = seed(lab)
    exchange = unsafe(lab, method, {"If-Match": etag})
    assert exchange.status in (200, 204)
    assert stored(lab) == ([] if method == "DELETE" else [{"name": "pear"}])


@methods
def test_if_match_stale_etag_is_412_and_changes_nothing(lab, method):
    etag = seed(lab)
    exchange = unsafe(lab, method, {"If-Match": '"stale"'})
    assert exchange.status == 412
    assert exchange.response.headers["ETag"] == etag, "a 412 tells the client the current ETag"
    message = detail(exchange)
    assert '"stale"' in message and etag in message and "Nothing was changed" in message
    assert "a 412 does not say whose write changed it" in message
    assert stored(lab) == [{"name": "apple"}]


@methods
def test_if_match_weak_tag_never_matches(lab, method):
    etag = seed(lab)
    exchange = unsafe(lab, method, {"If-Match": f"W/{etag}"})
    assert exchange.status == 412
    assert "weak tag" in detail(exchange)
    assert stored(lab) == [{"name": "apple"}]


@methods
@pytest.mark.parametrize(
    "shape",
    ["{other}, {etag}", "{etag},{other}", "{other} ,  {etag}", "{other}, W/{other}, {etag}"],
    ids=["last", "first-no-space", "spaces", "with-weak"],
)
def test_if_match_list_containing_the_current_etag_matches(lab, method, shape):
    etag = seed(lab)
    value = shape.format(etag=etag, other='"other"')
    assert unsafe(lab, method, {"If-Match": value}).status in (200, 204)


@methods
def test_if_match_list_without_the_current_etag_is_412(lab, method):
    seed(lab)
    assert unsafe(lab, method, {"If-Match": '"a", "b", W/"c"'}).status == 412
    assert stored(lab) == [{"name": "apple"}]


@methods
def test_if_match_star_matches_any_existing_item(lab, method):
    seed(lab)
    assert unsafe(lab, method, {"If-Match": "*"}).status in (200, 204)


def test_if_match_star_on_put_does_not_create(lab):
    exchange = lab.send("PUT", "/lab/items/new", json={"a": 1}, headers={"If-Match": "*"})
    assert exchange.status == 412
    assert "no item at /lab/items/new" in detail(exchange)
    assert stored(lab) == []


def test_if_match_on_get_follows_the_strong_comparison(lab):
    etag = seed(lab)
    assert lab.send("GET", "/lab/items/1", headers={"If-Match": etag}).status == 200
    assert lab.send("GET", "/lab/items/1", headers={"If-Match": f"W/{etag}"}).status == 412


@pytest.mark.parametrize("value", ["abc", '"unterminated', "W/abc", '"a", *', ""],
                         ids=["unquoted", "unterminated", "weak-unquoted", "star-in-list", "empty"])
@pytest.mark.parametrize("name", ["If-Match", "If-None-Match"])
def test_malformed_entity_tags_are_400_and_change_nothing(lab, name, value):
    seed(lab)
    exchange = lab.send("PUT", "/lab/items/1", json={"name": "pear"}, headers={name: value})
    assert exchange.status == 400
    assert '"abc"' in detail(exchange), "the message shows what a quoted entity tag looks like"
    assert stored(lab) == [{"name": "apple"}]


# --------------------------------------------------------------------------- If-None-Match


def test_if_none_match_star_on_put_creates_only_if_absent(lab):
    first = lab.send("PUT", "/lab/items/x", json={"v": 1}, headers={"If-None-Match": "*"})
    second = lab.send("PUT", "/lab/items/x", json={"v": 2}, headers={"If-None-Match": "*"})
    assert (first.status, second.status) == (201, 412)
    assert "already exists" in detail(second)
    assert stored(lab) == [{"v": 1}]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("shape", ["{etag}", "W/{etag}", '"other", {etag}', "*"],
                         ids=["same", "weak-same", "in-list", "star"])
def test_if_none_match_on_safe_method_is_304(lab, method, shape):
    etag = seed(lab)
    exchange = lab.send(method, "/lab/items/1", headers={"If-None-Match": shape.format(etag=etag)})
    assert (exchange.status, exchange.response.body) == (304, b"")
    assert exchange.response.headers["ETag"] == etag
    assert "Content-Length" not in exchange.response.headers


def test_if_none_match_other_etag_on_get_is_200(lab):
    seed(lab)
    exchange = lab.send("GET", "/lab/items/1", headers={"If-None-Match": '"other", W/"older"'})
    assert (exchange.status, exchange.json) == (200, {"name": "apple"})


@methods
@pytest.mark.parametrize("shape", ["{etag}", "W/{etag}", "*"], ids=["same", "weak-same", "star"])
def test_if_none_match_on_unsafe_method_is_412_not_304(lab, method, shape):
    etag = seed(lab)
    exchange = unsafe(lab, method, {"If-None-Match": shape.format(etag=etag)})
    assert exchange.status == 412
    assert "If-None-Match" in detail(exchange)
    assert stored(lab) == [{"name": "apple"}]


@methods
def test_if_none_match_other_etag_lets_an_unsafe_method_through(lab, method):
    seed(lab)
    assert unsafe(lab, method, {"If-None-Match": '"other"'}).status in (200, 204)


# --------------------------------------------------------------------------- order (RFC 9110 §13.2.2)


def test_order_if_match_is_evaluated_before_if_none_match(lab):
    etag = seed(lab)
    # Both conditions fail; If-Match comes first, so the answer is 412, not 304.
    exchange = lab.send("GET", "/lab/items/1", headers={"If-Match": '"stale"', "If-None-Match": etag})
    assert exchange.status == 412


def test_order_passing_if_match_then_matching_if_none_match_is_304(lab):
    etag = seed(lab)
    exchange = lab.send("GET", "/lab/items/1", headers={"If-Match": etag, "If-None-Match": etag})
    assert exchange.status == 304


@methods
def test_order_passing_if_match_then_matching_if_none_match_on_unsafe_is_412(lab, method):
    etag = seed(lab)
    exchange = unsafe(lab, method, {"If-Match": etag, "If-None-Match": "*"})
    assert exchange.status == 412
    assert "If-None-Match" in detail(exchange)
    assert stored(lab) == [{"name": "apple"}]


def test_order_modification_dates_are_ignored_without_last_modified(lab):
    etag = seed(lab)
    exchange = lab.send("PUT", "/lab/items/1", json={"name": "pear"},
                        headers={"If-Match": etag, "If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    assert exchange.status == 204


# --------------------------------------------------------------------------- ignored (RFC 9110 §13.2.1)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_ignored_on_a_missing_item_the_answer_is_404(lab, method):
    request = {"json": {"a": 1}, "headers": {**MERGE, "If-Match": '"x"'}} if method == "PATCH" else {
        "headers": {"If-Match": '"x"'}}
    assert lab.send(method, "/lab/items/9", **request).status == 404


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_ignored_when_the_media_type_is_wrong_the_answer_is_415(lab, method):
    seed(lab)
    exchange = lab.send(method, "/lab/items/1", content=b'{"a": 1}',
                        headers={"Content-Type": "text/plain", "If-Match": '"stale"'})
    assert exchange.status == 415
    assert stored(lab) == [{"name": "apple"}]


def test_ignored_for_an_unsupported_method_the_answer_is_405(lab):
    seed(lab)
    assert lab.send("PUT", "/lab/items", json={}, headers={"If-Match": '"stale"'}).status == 405


def test_ignored_for_an_unknown_method_the_answer_is_501(lab):
    seed(lab)
    assert lab.send("BREW", "/lab/items/1", headers={"If-Match": '"stale"'}).status == 501


def test_precondition_comes_before_parsing_the_content(lab):
    seed(lab)
    exchange = lab.send("PUT", "/lab/items/1", content=b"{broken",
                        headers={"Content-Type": "application/json", "If-Match": '"stale"'})
    assert exchange.status == 412


# --------------------------------------------------------------------------- 428


@methods
def test_required_precondition_missing_is_428_and_changes_nothing(lab, method):
    seed(lab)
    lab.send("PATCH", "/lab/settings", json={"require_precondition": True}, headers=MERGE)
    exchange = unsafe(lab, method, {})
    assert exchange.status == 428
    assert "If-Match" in detail(exchange) and "lost updates" in detail(exchange)
    assert stored(lab) == [{"name": "apple"}]


@methods
def test_required_precondition_present_lets_the_change_through(lab, method):
    etag = seed(lab)
    lab.send("PATCH", "/lab/settings", json={"require_precondition": True}, headers=MERGE)
    assert unsafe(lab, method, {"If-Match": etag}).status in (200, 204)


def test_required_precondition_from_the_lab_option():
    with httplab.Lab(in_process=True, require_precondition=True) as lab:
        assert lab.send("PUT", "/lab/items/a", json={"v": 1}).status == 428
        assert lab.send("PUT", "/lab/items/a", json={"v": 1}, headers={"If-None-Match": "*"}).status == 201
        assert lab.send("GET", "/lab/items/a").status == 200, "safe methods need no precondition"
        assert lab.send("POST", "/lab/items", json={"v": 2}).status == 201, "POST is not covered"


def test_required_precondition_can_be_switched_off_again(lab):
    seed(lab)
    lab.send("PATCH", "/lab/settings", json={"require_precondition": True}, headers=MERGE)
    lab.send("PATCH", "/lab/settings", json={"require_precondition": False}, headers=MERGE)
    assert lab.send("DELETE", "/lab/items/1").status == 204


# --------------------------------------------------------------------------- lost updates


def test_lost_update_second_writer_with_if_match_gets_412(lab):
    e0 = seed(lab)
    alice = lab.send("PUT", "/lab/items/1", json={"name": "apple", "by": "alice"}, headers={"If-Match": e0})
    bob = lab.send("PUT", "/lab/items/1", json={"name": "apple", "by": "bob"}, headers={"If-Match": e0})
    assert alice.status == 204 and alice.response.headers["ETag"] != e0
    assert bob.status == 412
    assert bob.response.headers["ETag"] == alice.response.headers["ETag"]
    assert stored(lab) == [{"name": "apple", "by": "alice"}]
    retry = lab.send("PUT", "/lab/items/1", json={"name": "apple", "by": "bob"},
                     headers={"If-Match": bob.response.headers["ETag"]})
    assert retry.status == 204


def test_lost_update_without_if_match_the_second_writer_silently_wins(lab):
    seed(lab)
    alice = lab.send("PUT", "/lab/items/1", json={"name": "apple", "by": "alice"})
    bob = lab.send("PUT", "/lab/items/1", json={"name": "apple", "by": "bob"})
    assert (alice.status, bob.status) == (204, 204)
    assert stored(lab) == [{"name": "apple", "by": "bob"}], "alice's update is lost"


def test_lost_update_conditional_patch_makes_a_retry_harmless(lab):
    lab.send("PUT", "/lab/items/1", json={"tags": []})
    etag = lab.send("GET", "/lab/items/1").response.headers["ETag"]
    append = [{"op": "add", "path": "/tags/-", "value": "x"}]
    headers = {"Content-Type": "application/json-patch+json", "If-Match": etag}
    first = lab.send("PATCH", "/lab/items/1", json=append, headers=headers)
    retry = lab.send("PATCH", "/lab/items/1", json=append, headers=headers)
    assert (first.status, retry.status) == (200, 412)
    assert stored(lab) == [{"tags": ["x"]}]


@pytest.mark.socket
def test_lost_update_concurrent_conditional_puts_let_exactly_one_win(socket_lab):
    e0 = seed(socket_lab)
    statuses: list[int | None] = []

    def writer(name: str) -> None:
        exchange = socket_lab.send("PUT", "/lab/items/1", json={"by": name},
                                   headers={"If-Match": e0, "X-Lab-Delay": "0.3"})
        statuses.append(exchange.status)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("alice", "bob", "carol")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(statuses) == [204, 412, 412]
    assert len(stored(socket_lab)) == 1
