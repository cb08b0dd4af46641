"""The stateful resource API at /lab: routes, status codes, header fields, limits, state and faults."""

from __future__ import annotations

import json
from typing import Any

import pytest

import httplab
from httplab.client.models import Exchange
from httplab.server._wsgi import KNOWN_METHODS

MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}

#: Every route and the methods it supports, as its Allow header lists them.
ROUTES = {
    "/lab": ("GET", "HEAD", "OPTIONS"),
    "/lab/items": ("GET", "HEAD", "POST", "OPTIONS"),
    "/lab/items/1": ("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"),
    "/lab/state": ("GET", "HEAD", "OPTIONS"),
    "/lab/reset": ("POST", "OPTIONS"),
    "/lab/settings": ("GET", "HEAD", "PATCH", "OPTIONS"),
}
UNSUPPORTED = [(path, method) for path, allowed in ROUTES.items() for method in sorted(KNOWN_METHODS - set(allowed))]


def detail(exchange: Exchange) -> str:
    """Return the problem+json detail of an error response, checking its shape."""
    assert exchange.response is not None
    assert exchange.response.headers["Content-Type"] == "application/problem+json"
    body = exchange.json
    assert body["status"] == exchange.status
    assert body["type"] == "about:blank"
    assert body["title"]
    return str(body["detail"])


def items(lab: httplab.Lab) -> list[dict[str, Any]]:
    """Return the items in the lab's state snapshot."""
    return list(lab.state()["items"])


def create(lab: httplab.Lab, data: dict[str, Any] | None = None) -> Exchange:
    exchange = lab.send("POST", "/lab/items", json={"name": "apple"} if data is None else data)
    assert exchange.status == 201
    return exchange


# --------------------------------------------------------------------------- collection


def test_items_get_lists_nothing_at_first(lab):
    exchange = lab.send("GET", "/lab/items")
    assert (exchange.status, exchange.json) == (200, [])
    assert exchange.response.headers["Content-Type"] == "application/json"


def test_items_post_creates_with_201_location_and_etag(lab):
    exchange = lab.send("POST", "/lab/items", json={"name": "apple"})
    headers = exchange.response.headers
    assert exchange.status == 201
    assert headers["Location"] == "/lab/items/1"
    assert headers["ETag"].startswith('"') and headers["ETag"].endswith('"')
    assert exchange.json == {"name": "apple"}
    got = lab.send("GET", headers["Location"])
    assert got.json == {"name": "apple"}
    assert got.response.headers["ETag"] == headers["ETag"]


def test_items_post_twice_creates_two_items(lab):
    first, second = create(lab), create(lab)
    assert first.response.headers["Location"] != second.response.headers["Location"]
    listing = lab.send("GET", "/lab/items").json
    assert [entry["id"] for entry in listing] == ["1", "2"]
    assert listing[0] == {"id": "1", "href": "/lab/items/1", "etag": first.response.headers["ETag"],
                          "data": {"name": "apple"}}


def test_items_post_skips_ids_taken_by_put(lab):
    assert lab.send("PUT", "/lab/items/1", json={"by": "put"}).status == 201
    assert create(lab).response.headers["Location"] == "/lab/items/2"


def test_items_get_etag_changes_with_the_list(lab):
    before = lab.send("GET", "/lab/items").response.headers["ETag"]
    create(lab)
    after = lab.send("GET", "/lab/items").response.headers["ETag"]
    assert before != after


def test_items_get_answers_304_to_a_matching_if_none_match(lab):
    create(lab)
    etag = lab.send("GET", "/lab/items").response.headers["ETag"]
    exchange = lab.send("GET", "/lab/items", headers={"If-None-Match": etag})
    assert (exchange.status, exchange.response.body) == (304, b"")
    assert exchange.response.headers["ETag"] == etag


def test_items_get_answers_412_to_a_failing_if_match(lab):
    exchange = lab.send("GET", "/lab/items", headers={"If-Match": '"not-the-list"'})
    assert exchange.status == 412
    assert "If-Match" in detail(exchange)


def test_items_post_with_failing_if_match_creates_nothing(lab):
    exchange = lab.send("POST", "/lab/items", json={"a": 1}, headers={"If-Match": '"stale"'})
    assert exchange.status == 412
    assert "Nothing was created" in detail(exchange)
    assert items(lab) == []


def test_items_post_with_matching_if_match_creates(lab):
    etag = lab.send("GET", "/lab/items").response.headers["ETag"]
    assert lab.send("POST", "/lab/items", json={"a": 1}, headers={"If-Match": etag}).status == 201


def test_items_post_accepts_json_with_a_charset_parameter(lab):
    exchange = lab.send("POST", "/lab/items", content=b'{"a": 1}',
                        headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert exchange.status == 201


# --------------------------------------------------------------------------- one item


def test_item_get_missing_is_404_with_a_message(lab):
    exchange = lab.send("GET", "/lab/items/42")
    assert exchange.status == 404
    assert "/lab/items/42" in detail(exchange)


def test_item_etag_is_strong_quoted_and_follows_the_content(lab):
    etag = create(lab, {"n": 1}).response.headers["ETag"]
    assert not etag.startswith("W/") and len(etag) > 2 and etag[0] == etag[-1] == '"'
    lab.send("PUT", "/lab/items/1", json={"n": 2})
    changed = lab.send("GET", "/lab/items/1").response.headers["ETag"]
    lab.send("PUT", "/lab/items/1", json={"n": 1})
    back = lab.send("GET", "/lab/items/1").response.headers["ETag"]
    assert changed != etag and back == etag


def test_item_put_creates_with_201_and_location(lab):
    exchange = lab.send("PUT", "/lab/items/apple", json={"name": "apple"})
    assert exchange.status == 201
    assert exchange.response.headers["Location"] == "/lab/items/apple"
    assert "ETag" in exchange.response.headers
    assert lab.send("GET", "/lab/items/apple").json == {"name": "apple"}


def test_item_put_replaces_the_whole_item_with_204(lab):
    create(lab, {"name": "apple", "colour": "red"})
    exchange = lab.send("PUT", "/lab/items/1", json={"name": "pear"})
    assert (exchange.status, exchange.response.body) == (204, b"")
    assert exchange.response.headers["ETag"] == lab.send("GET", "/lab/items/1").response.headers["ETag"]
    assert lab.send("GET", "/lab/items/1").json == {"name": "pear"}, "fields left out of a PUT are gone"


@pytest.mark.parametrize(
    "content",
    [b'{"name": "apple",  "tags": ["fruit"]}', b'{"b":1,"a":2}', '{\n  "name": "p\u00e9ar"\n}\n'.encode()],
    ids=["spaces", "key-order", "newlines-and-utf8"],
)
def test_item_put_stores_the_bytes_exactly_as_sent_and_its_etag_is_theirs(lab, content):
    headers = {"Content-Type": "application/json"}
    created = lab.send("PUT", "/lab/items/x", content=content, headers=headers)
    got = lab.send("GET", "/lab/items/x")
    assert created.status == 201 and created.response.body == content
    assert got.response.body == content
    assert created.response.headers["ETag"] == got.response.headers["ETag"]
    replaced = lab.send("PUT", "/lab/items/x", content=content + b" ", headers=headers)
    got = lab.send("GET", "/lab/items/x")
    assert replaced.status == 204 and got.response.body == content + b" "
    assert replaced.response.headers["ETag"] == got.response.headers["ETag"] != created.response.headers["ETag"]


def test_item_post_stores_the_bytes_exactly_as_sent(lab):
    content = b'{"name":  "pear"}'
    created = lab.send("POST", "/lab/items", content=content, headers={"Content-Type": "application/json"})
    got = lab.send("GET", created.response.headers["Location"])
    assert created.response.body == got.response.body == content
    assert created.response.headers["ETag"] == got.response.headers["ETag"]


def test_item_patch_result_carries_the_new_representation_and_its_etag(lab):
    lab.send("PUT", "/lab/items/x", content=b'{"name":"apple"}', headers={"Content-Type": "application/json"})
    patched = lab.send("PATCH", "/lab/items/x", json={"colour": "red"}, headers=MERGE)
    got = lab.send("GET", "/lab/items/x")
    assert patched.status == 200 and patched.response.body == got.response.body
    assert patched.json == {"name": "apple", "colour": "red"}
    assert patched.response.headers["ETag"] == got.response.headers["ETag"]


@pytest.mark.parametrize(
    ("patch", "headers"),
    [({"name": "apple"}, MERGE), ([{"op": "test", "path": "/name", "value": "apple"}], JSON_PATCH)],
    ids=["merge-same-value", "json-patch-test-only"],
)
def test_item_patch_that_changes_nothing_keeps_the_bytes_and_the_etag(lab, patch, headers):
    content = b'{"name":"apple"}'
    put = lab.send("PUT", "/lab/items/x", content=content, headers={"Content-Type": "application/json"})
    before = lab.state()["items"]
    patched = lab.send("PATCH", "/lab/items/x", json=patch, headers=headers)
    assert patched.status == 200 and patched.response.body == content
    assert patched.response.headers["ETag"] == put.response.headers["ETag"]
    assert lab.state()["items"] == before


def test_item_put_twice_leaves_the_same_state(lab):
    statuses = [lab.send("PUT", "/lab/items/x", json={"v": 1}).status for _ in range(3)]
    assert statuses == [201, 204, 204]
    assert [entry["data"] for entry in items(lab)] == [{"v": 1}]


@pytest.mark.parametrize("item_id", ["-start", "a b", "x" * 65, "é"], ids=["dash-first", "space", "too-long", "accent"])
def test_item_put_refuses_a_bad_id(lab, item_id):
    exchange = lab.send("PUT", f"/lab/items/{item_id}", json={"a": 1})
    assert exchange.status == 400
    assert "1 to 64 characters" in detail(exchange)
    assert items(lab) == []


def test_item_patch_merge_patch_returns_200_with_the_new_item(lab):
    create(lab, {"name": "apple", "colour": "red"})
    exchange = lab.send("PATCH", "/lab/items/1", json={"colour": None, "size": 3}, headers=MERGE)
    assert exchange.status == 200
    assert exchange.json == {"name": "apple", "size": 3}
    assert exchange.response.headers["ETag"] == lab.send("GET", "/lab/items/1").response.headers["ETag"]


def test_item_patch_json_patch_applies_every_operation(lab):
    create(lab, {"name": "apple", "tags": ["a"], "old": 1})
    patch = [
        {"op": "test", "path": "/name", "value": "apple"},
        {"op": "add", "path": "/tags/-", "value": "b"},
        {"op": "replace", "path": "/name", "value": "pear"},
        {"op": "move", "from": "/old", "path": "/new"},
        {"op": "copy", "from": "/tags", "path": "/copy"},
        {"op": "remove", "path": "/copy/0"},
    ]
    exchange = lab.send("PATCH", "/lab/items/1", json=patch, headers=JSON_PATCH)
    assert exchange.status == 200
    assert exchange.json == {"name": "pear", "tags": ["a", "b"], "new": 1, "copy": ["b"]}


def test_item_patch_json_patch_append_is_not_idempotent(lab):
    create(lab, {"tags": []})
    patch = [{"op": "add", "path": "/tags/-", "value": "x"}]
    for _ in range(2):
        lab.send("PATCH", "/lab/items/1", json=patch, headers=JSON_PATCH)
    assert lab.send("GET", "/lab/items/1").json == {"tags": ["x", "x"]}


@pytest.mark.parametrize(
    ("patch", "status", "message"),
    [
        ([{"op": "test", "path": "/n", "value": 2}, {"op": "replace", "path": "/n", "value": 9}], 409,
         "(test) failed"),
        ([{"op": "replace", "path": "/n", "value": 9}, {"op": "remove", "path": "/missing"}], 409,
         "/missing does not exist"),
        ([{"op": "replace", "path": "/n", "value": 9}, {"op": "fly", "path": "/n"}], 400, "malformed"),
        ({"op": "replace", "path": "/n", "value": 9}, 400, "JSON array of operations"),
        ([{"op": "replace", "path": "", "value": [1]}], 422, "JSON array"),
        ([{"op": "remove", "path": ""}], 422, "JSON null"),
    ],
    ids=["failed-test", "missing-target", "unknown-op", "not-a-list", "root-becomes-array", "root-removed"],
)
def test_item_patch_that_cannot_apply_changes_nothing(lab, patch, status, message):
    etag = create(lab, {"n": 1}).response.headers["ETag"]
    exchange = lab.send("PATCH", "/lab/items/1", json=patch, headers=JSON_PATCH)
    assert exchange.status == status
    assert message in detail(exchange)
    after = lab.send("GET", "/lab/items/1")
    assert (after.json, after.response.headers["ETag"]) == ({"n": 1}, etag)


@pytest.mark.parametrize("patch", [["not", "an", "object"], None, "text", 5],
                         ids=["array", "null", "string", "number"])
def test_item_merge_patch_that_is_not_an_object_is_422(lab, patch):
    create(lab, {"n": 1})
    exchange = lab.send("PATCH", "/lab/items/1", content=json.dumps(patch).encode(), headers=MERGE)
    assert exchange.status == 422
    assert "only JSON objects" in detail(exchange)
    assert lab.send("GET", "/lab/items/1").json == {"n": 1}


def test_item_patch_that_grows_too_deep_is_422(lab):
    create(lab, {"n": 1})
    patch = [{"op": "copy", "from": "", "path": "/n"} for _ in range(70)]
    exchange = lab.send("PATCH", "/lab/items/1", json=patch, headers=JSON_PATCH)
    assert exchange.status == 422
    assert "nested more than 64 levels" in detail(exchange)
    assert lab.send("GET", "/lab/items/1").json == {"n": 1}


def test_item_patch_that_doubles_the_item_is_stopped_with_422(lab, monkeypatch):
    monkeypatch.setattr("httplab.server.patch.MAX_NODES", 10_000)  # the same rule, reached sooner
    create(lab, {"n": 1})
    patch = [{"op": "copy", "from": "", "path": f"/k{i}"} for i in range(40)]
    exchange = lab.send("PATCH", "/lab/items/1", json=patch, headers=JSON_PATCH)
    assert exchange.status == 422
    assert "larger than" in detail(exchange)
    assert lab.send("GET", "/lab/items/1").json == {"n": 1}


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None],
                         ids=["plain-json", "text", "missing"])
def test_item_patch_other_media_type_is_415_with_accept_patch(lab, content_type):
    create(lab, {"n": 1})
    headers = {"Content-Type": content_type} if content_type else {}
    exchange = lab.send("PATCH", "/lab/items/1", content=b'{"n": 2}', headers=headers)
    assert exchange.status == 415
    assert exchange.response.headers["Accept-Patch"] == "application/merge-patch+json, application/json-patch+json"
    assert "application/merge-patch+json" in detail(exchange)
    assert lab.send("GET", "/lab/items/1").json == {"n": 1}


def test_item_patch_missing_item_is_404_and_creates_nothing(lab):
    exchange = lab.send("PATCH", "/lab/items/9", json={"a": 1}, headers=MERGE)
    assert exchange.status == 404
    assert "use PUT to create" in detail(exchange)
    assert items(lab) == []


def test_item_delete_is_204_then_404(lab):
    create(lab)
    first = lab.send("DELETE", "/lab/items/1")
    second = lab.send("DELETE", "/lab/items/1")
    assert (first.status, first.response.body) == (204, b"")
    assert second.status == 404
    assert "A 404 alone does not say who deleted it" in detail(second)
    assert "most likely that one did" in detail(second)
    assert items(lab) == []


def test_item_delete_removes_only_its_item(lab):
    create(lab, {"n": 1})
    create(lab, {"n": 2})
    lab.send("DELETE", "/lab/items/1")
    assert [entry["id"] for entry in items(lab)] == ["2"]


# --------------------------------------------------------------------------- HEAD and OPTIONS

HEAD_TARGETS = ["/lab", "/lab/items", "/lab/items/1", "/lab/state", "/lab/settings", "/lab/items/404"]


@pytest.mark.parametrize("path", HEAD_TARGETS, ids=lambda p: p.strip("/").replace("/", "-"))
def test_head_has_the_get_status_and_header_fields_without_content(lab, path):
    create(lab, {"name": "apple"})
    get = lab.send("GET", path)
    head = lab.send("HEAD", path)
    assert head.status == get.status
    assert head.response.body == b""
    assert get.response.body != b""
    assert int(head.response.headers["Content-Length"]) == len(get.response.body)
    assert dict(head.response.headers) == dict(get.response.headers)


def test_head_answers_304_like_get(lab):
    etag = create(lab).response.headers["ETag"]
    assert lab.send("HEAD", "/lab/items/1", headers={"If-None-Match": etag}).status == 304


@pytest.mark.parametrize("path", list(ROUTES), ids=lambda p: p.strip("/").replace("/", "-"))
def test_options_lists_allowed_methods(lab, path):
    exchange = lab.send("OPTIONS", path)
    assert exchange.status in (200, 204)
    assert [m.strip() for m in exchange.response.headers["Allow"].split(",")] == list(ROUTES[path])


def test_options_on_an_item_advertises_both_patch_formats(lab):
    exchange = lab.send("OPTIONS", "/lab/items/1")
    accepted = {t.strip() for t in exchange.response.headers["Accept-Patch"].split(",")}
    assert accepted == {"application/merge-patch+json", "application/json-patch+json"}


def test_options_on_items_has_no_accept_patch(lab):
    assert "Accept-Patch" not in lab.send("OPTIONS", "/lab/items").response.headers


# --------------------------------------------------------------------------- 405, 501, 404


@pytest.mark.parametrize(("path", "method"), UNSUPPORTED,
                         ids=[f"{p.strip('/').replace('/', '-')}-{m}" for p, m in UNSUPPORTED])
def test_unsupported_known_method_is_405_with_allow(lab, path, method):
    create(lab)
    exchange = lab.send(method, path, json={"a": 1} if method in ("PUT", "PATCH", "POST") else None)
    assert exchange.status == 405
    assert [m.strip() for m in exchange.response.headers["Allow"].split(",")] == list(ROUTES[path])
    if method != "HEAD":
        assert method in detail(exchange)
    assert [entry["data"] for entry in items(lab)] == [{"name": "apple"}]


@pytest.mark.parametrize("method", ["BREW", "PURGE"])
@pytest.mark.parametrize("path", ["/lab/items", "/lab/items/1"], ids=["items", "item"])
def test_unrecognised_method_is_501(lab, method, path):
    create(lab)
    exchange = lab.send(method, path)
    assert exchange.status == 501
    assert "does not recognise the method" in detail(exchange)
    assert "Allow" not in exchange.response.headers
    assert len(items(lab)) == 1


@pytest.mark.parametrize("method", ["get", "Delete"], ids=["lowercase-get", "mixed-case-delete"])
def test_unrecognised_method_is_case_sensitive(lab, method):
    # httpx upper-cases method names, so call the WSGI application directly.
    from werkzeug.test import Client

    create(lab)
    response = Client(lab.app).open("/lab/items/1", method=method)
    assert response.status_code == 501
    assert "case-sensitive" in response.get_json()["detail"]
    assert len(items(lab)) == 1


@pytest.mark.parametrize("path", ["/lab/nothing", "/lab/items/1/extra", "/lab/state/x"],
                         ids=["unknown", "too-deep", "under-state"])
def test_unknown_lab_path_is_404_with_a_hint(lab, path):
    exchange = lab.send("GET", path)
    assert exchange.status == 404
    assert "/lab/items" in detail(exchange)


def test_index_lists_the_routes(lab):
    exchange = lab.send("GET", "/lab")
    assert exchange.status == 200
    assert set(exchange.json["routes"]) >= {"/lab/items", "/lab/items/<id>", "/lab/state", "/lab/reset"}


# --------------------------------------------------------------------------- bad bodies: 415, 400, 422


@pytest.mark.parametrize(("method", "path"), [("POST", "/lab/items"), ("PUT", "/lab/items/1")],
                         ids=["POST", "PUT"])
@pytest.mark.parametrize(
    ("content", "content_type", "status", "message"),
    [
        (b'{"a": 1}', "text/plain", 415, "Content-Type is text/plain"),
        (b'{"a": 1}', None, 415, "Content-Type is missing"),
        (b'{"a": 1}', "application/merge-patch+json", 415, "Send the body with Content-Type: application/json"),
        (b'{"a": 1,}', "application/json", 400, "Invalid JSON at line 1, column 9"),
        (b'{"a":\n  tru}', "application/json", 400, "Invalid JSON at line 2, column 3"),
        (b"", "application/json", 400, "has no content"),
        (b'{"a": NaN}', "application/json", 400, "NaN is not allowed"),
        (b'{"a": 1, "a": 2}', "application/json", 400, "appears twice"),
        (b'{"a": "\xff"}', "application/json", 400, "not valid UTF-8 (bad byte at position 7)"),
        (b"[" * 70 + b"]" * 70, "application/json", 400, "nested too deeply"),
        (b"[" * 100_000, "application/json", 400, "nested too deeply"),
        (b"[1, 2]", "application/json", 422, "this body is a JSON array"),
        (b'"apple"', "application/json", 422, "this body is a JSON string"),
        (b"null", "application/json", 422, "this body is a JSON null"),
    ],
    ids=["text-plain", "no-content-type", "merge-patch-type", "trailing-comma", "bad-literal-line-2", "empty",
         "nan", "duplicate-member", "bad-utf8", "too-deep", "deep-unclosed", "array", "string", "null"],
)
def test_bad_body_gets_its_code_a_message_and_changes_nothing(lab, method, path, content, content_type, status,
                                                             message):
    lab.send("PUT", "/lab/items/1", json={"keep": True})
    before = lab.state()["items"]
    headers = {"Content-Type": content_type} if content_type else {}
    exchange = lab.send(method, path, content=content, headers=headers)
    assert exchange.status == status
    assert message in detail(exchange)
    assert lab.state()["items"] == before


def test_bad_patch_body_is_400_and_changes_nothing(lab):
    create(lab, {"n": 1})
    exchange = lab.send("PATCH", "/lab/items/1", content=b'{"n": ', headers=MERGE)
    assert exchange.status == 400
    assert "Invalid JSON at line 1, column 7" in detail(exchange)
    assert lab.send("GET", "/lab/items/1").json == {"n": 1}


@pytest.mark.parametrize("value", ["abc", "-5"], ids=["not-a-number", "negative"])
def test_bad_content_length_is_400(lab, value):
    exchange = lab.client._http.request("POST", lab.url + "/lab/items", content=b"{}",
                                        headers={"Content-Type": "application/json", "Content-Length": value})
    assert exchange.status_code == 400
    assert "Content-Length" in exchange.json()["detail"]


@pytest.mark.parametrize("delay", ["soon", "-1", "11", "nan"], ids=["word", "negative", "too-long", "nan"])
def test_bad_lab_delay_is_400_and_changes_nothing(lab, delay):
    exchange = lab.send("POST", "/lab/items", json={"a": 1}, headers={"X-Lab-Delay": delay})
    assert exchange.status == 400
    assert "X-Lab-Delay" in detail(exchange)
    assert items(lab) == []


# --------------------------------------------------------------------------- limits


def test_body_over_one_mib_is_413_and_changes_nothing(lab):
    body = b'{"x": "' + b"a" * (1024 * 1024) + b'"}'
    exchange = lab.send("POST", "/lab/items", content=body, headers={"Content-Type": "application/json"})
    assert exchange.status == 413
    assert "1,048,576 bytes" in detail(exchange)
    assert items(lab) == []


def test_body_of_exactly_one_mib_is_accepted(lab):
    filler = 1024 * 1024 - len(b'{"x": ""}')
    body = b'{"x": "' + b"a" * filler + b'"}'
    assert len(body) == 1024 * 1024
    exchange = lab.send("POST", "/lab/items", content=body, headers={"Content-Type": "application/json"})
    assert exchange.status == 201


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_body_over_one_mib_is_413_before_a_failing_precondition(lab, method):
    create(lab)
    kind = "application/json" if method == "PUT" else "application/merge-patch+json"
    exchange = lab.send(method, "/lab/items/1", content=b"{" + b" " * (1024 * 1024) + b"}",
                        headers={"Content-Type": kind, "If-Match": '"stale"'})
    assert exchange.status == 413


def test_store_full_is_507_for_post_and_put():
    with httplab.Lab(in_process=True, max_items=3) as lab:
        for n in range(3):
            create(lab, {"n": n})
        post = lab.send("POST", "/lab/items", json={"n": 4})
        put = lab.send("PUT", "/lab/items/new", json={"n": 4})
        assert (post.status, put.status) == (507, 507)
        assert "at most 3 items" in detail(post)
        assert len(items(lab)) == 3
        assert lab.send("PUT", "/lab/items/1", json={"n": "replaced"}).status == 204, "replacing needs no room"
        lab.send("DELETE", "/lab/items/1")
        assert lab.send("POST", "/lab/items", json={"n": 5}).status == 201


# --------------------------------------------------------------------------- state and reset


def test_state_shows_items_counts_and_settings(lab):
    create(lab, {"n": 1})
    lab.send("GET", "/lab/items/1")
    lab.send("GET", "/lab/items")
    lab.send("DELETE", "/lab/items/9")
    state = lab.state()
    assert state["items"] == [{"id": "1", "href": "/lab/items/1", "data": {"n": 1},
                               "etag": lab.send("GET", "/lab/items/1").response.headers["ETag"]}]
    assert state["requests"] == {"POST": 1, "GET": 2, "DELETE": 1}
    assert state["settings"] == {"require_precondition": False}


def test_state_is_not_cacheable(lab):
    assert lab.send("GET", "/lab/state").response.headers["Cache-Control"] == "no-store"


def test_state_snapshot_does_not_share_the_store(lab):
    create(lab, {"n": 1})
    snapshot = lab.app.resources.snapshot()
    snapshot["items"][0]["data"]["n"] = 99
    assert lab.send("GET", "/lab/items/1").json == {"n": 1}


def test_reset_empties_the_store_and_counts(lab):
    create(lab)
    lab.send("PATCH", "/lab/settings", json={"require_precondition": True}, headers=MERGE)
    exchange = lab.send("POST", "/lab/reset")
    assert (exchange.status, exchange.response.body) == (204, b"")
    state = lab.state()
    assert (state["items"], state["requests"]) == ([], {})
    assert state["settings"] == {"require_precondition": False}
    assert create(lab).response.headers["Location"] == "/lab/items/1", "ids start again at 1"


def test_reset_keeps_the_settings_the_lab_started_with():
    with httplab.Lab(in_process=True, require_precondition=True) as lab:
        lab.send("PATCH", "/lab/settings", json={"require_precondition": False}, headers=MERGE)
        lab.send("POST", "/lab/reset")
        assert lab.state()["settings"] == {"require_precondition": True}


def test_reset_forgets_idempotency_keys(lab):
    key = {"Idempotency-Key": "k1"}
    lab.send("POST", "/lab/items", json={"a": 1}, headers=key)
    lab.send("POST", "/lab/reset")
    second = lab.send("POST", "/lab/items", json={"b": 2}, headers=key)
    assert second.status == 201 and "Idempotent-Replayed" not in second.response.headers
    assert [entry["data"] for entry in items(lab)] == [{"b": 2}]


# --------------------------------------------------------------------------- settings


def test_settings_read_and_change(lab):
    assert lab.send("GET", "/lab/settings").json == {"require_precondition": False}
    exchange = lab.send("PATCH", "/lab/settings", json={"require_precondition": True}, headers=MERGE)
    assert (exchange.status, exchange.json) == (200, {"require_precondition": True})
    assert lab.state()["settings"] == {"require_precondition": True}


def test_settings_null_restores_the_starting_value(lab):
    lab.send("PATCH", "/lab/settings", json={"require_precondition": True}, headers=MERGE)
    exchange = lab.send("PATCH", "/lab/settings", json={"require_precondition": None}, headers=MERGE)
    assert exchange.json == {"require_precondition": False}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        ({"require_precondition": "yes"}, "application/merge-patch+json", 422, "true or false"),
        ({"strict": True}, "application/merge-patch+json", 422, "require_precondition"),
        ([1], "application/merge-patch+json", 422, "JSON object"),
        ({"require_precondition": True}, "text/plain", 415, "application/merge-patch+json"),
    ],
    ids=["not-a-boolean", "unknown-member", "not-an-object", "wrong-media-type"],
)
def test_settings_bad_patch_changes_nothing(lab, body, content_type, status, message):
    exchange = lab.send("PATCH", "/lab/settings", content=json.dumps(body), headers={"Content-Type": content_type})
    assert exchange.status == status
    assert message in detail(exchange)
    assert lab.state()["settings"] == {"require_precondition": False}


# --------------------------------------------------------------------------- lost response, 402


def test_dropped_response_applies_the_request(any_lab):
    with pytest.raises(httplab.NoResponseError) as caught:
        any_lab.send("POST", "/lab/items", json={"lost": True}, headers={"X-Lab-Fault": "drop-response"})
    exchange = caught.value.exchange
    assert exchange.response is None and exchange.request.method == "POST"
    assert [entry["data"] for entry in items(any_lab)] == [{"lost": True}]


def test_dropped_response_retry_of_post_duplicates_but_put_does_not(lab):
    for method, path in [("POST", "/lab/items"), ("PUT", "/lab/items/p")]:
        with pytest.raises(httplab.NoResponseError):
            lab.send(method, path, json={"via": method}, headers={"X-Lab-Fault": "drop-response"})
        lab.send(method, path, json={"via": method})
    assert sorted(entry["data"]["via"] for entry in items(lab)) == ["POST", "POST", "PUT"]


def test_dropped_response_delete_retry_sees_404(lab):
    create(lab)
    with pytest.raises(httplab.NoResponseError):
        lab.send("DELETE", "/lab/items/1", headers={"X-Lab-Fault": "drop-response"})
    assert lab.send("DELETE", "/lab/items/1").status == 404
    assert items(lab) == []


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_httpbin_402_is_overridden_with_a_neutral_body(lab, method):
    exchange = lab.send(method, "/status/402")
    assert exchange.status == 402
    get_body = lab.send("GET", "/status/402").response.body
    assert b"reserved for future use" in get_body
    assert b"fuck" not in get_body.lower()
    assert int(exchange.response.headers["Content-Length"]) == len(get_body)
    assert exchange.response.body == (b"" if method == "HEAD" else get_body)


@pytest.mark.socket
def test_socket_lab_serves_the_same_resource_api(socket_lab):
    created = socket_lab.send("POST", "/lab/items", json={"n": 1})
    etag = created.response.headers["ETag"]
    assert created.status == 201
    head = socket_lab.send("HEAD", "/lab/items/1")
    assert (head.status, head.response.body, head.response.headers["ETag"]) == (200, b"", etag)
    assert head.response.headers["Content-Length"] == str(len(b'{"n": 1}'))
    assert socket_lab.send("PUT", "/lab/items", json={}).status == 405
    assert socket_lab.send("BREW", "/lab/items").status == 501


def test_state_body_is_the_canonical_encoding_of_the_snapshot(lab):
    from httplab.server._wsgi import canonical_json

    lab.send("PUT", "/lab/items/b", json={"z": [1, {"é": None}], "a": "x"})
    lab.send("POST", "/lab/items", json={"n": 1})
    lab.send("PUT", "/lab/files/f.txt", content=b"hi", headers={"Content-Type": "text/plain"})
    resources = lab.app.resources
    assert resources.state_body() == canonical_json(resources.snapshot())
    assert lab.send("GET", "/lab/state").response.body == resources.state_body()
