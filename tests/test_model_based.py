"""Model-based testing: random request sequences against the lab and a small reference model.

Hypothesis drives a ``RuleBasedStateMachine`` that sends GET, HEAD, POST, PUT, PATCH (merge
and JSON Patch), DELETE and OPTIONS to an in-process lab, with and without preconditions
(If-Match with the current, a stale or a garbage ETag, If-None-Match: * or the current
ETag) and Idempotency-Keys, and flips the require-precondition switch. The model is
written from HTTP_SEMANTICS.md, not from the lab's code. After every step:

* the server's items equal the model's;
* an item's ETag changed exactly when its representation changed: the bytes a GET returns,
  which are the bytes POST or PUT sent (RFC 9110 §9.3.4) or the lab's JSON of a patch result;
* safe methods (GET, HEAD, OPTIONS) never changed the state;
* an idempotent request (PUT, DELETE, merge PATCH) sent twice in a row left the state
  as the first one did;
* a failed patch or precondition (any 4xx) changed nothing.

Budget: ``tests/_budget.py`` (``HTTPLAB_FUZZ=long`` for a long run).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import hypothesis.strategies as st
from _budget import examples, profile
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import httplab

IDS = ("1", "2", "a")  # few ids, so POST-chosen and PUT-chosen ids collide
KEYS = ("key-1", "key-2", "key-3")
GARBAGE = ("garbage", '"unterminated', "W/", "")
NEVER_SEEN = '"0000000000000000"'
CONDITIONS = ("none", "match-current", "match-stale", "match-garbage", "match-star", "none-match-star",
              "none-match-current")
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}

names = st.text(alphabet="abc", max_size=3)
values = st.one_of(names, st.integers(-3, 3))
items = st.fixed_dictionaries(
    {}, optional={"name": names, "n": st.integers(-3, 3), "tags": st.lists(names, max_size=3)}
)
merge_patches = st.one_of(
    st.fixed_dictionaries({}, optional={"name": st.none() | names, "n": st.none() | st.integers(-3, 3),
                                        "tags": st.none() | st.lists(names, max_size=2)}),
    st.just([1]),  # not an object: the result would not be an object, so 422
)
operations = st.one_of(
    st.builds(lambda v: {"op": "add", "path": "/tags/-", "value": v}, names),
    st.builds(lambda v: {"op": "add", "path": "/name", "value": v}, names),
    st.just({"op": "remove", "path": "/tags/0"}),
    st.just({"op": "remove", "path": "/name"}),
    st.builds(lambda v: {"op": "replace", "path": "/n", "value": v}, values),
    st.builds(lambda v: {"op": "test", "path": "/name", "value": v}, names),
    st.builds(lambda v: {"op": "add", "path": "/tags", "value": v}, st.lists(names, max_size=2)),
    st.just({"op": "frobnicate", "path": "/name"}),  # malformed: 400
)


class _Conflict(Exception):
    pass


class _Malformed(Exception):
    pass


def reference_json_patch(doc: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply the few operations the machine generates, all or nothing (RFC 6902)."""
    result = copy.deepcopy(doc)
    for op in ops:
        kind, path, value = op["op"], op["path"], op.get("value")
        if kind not in ("add", "remove", "replace", "test"):
            raise _Malformed
        if path in ("/tags/-", "/tags/0"):
            tags = result.get("tags")
            if not isinstance(tags, list) or (path == "/tags/0" and not tags):
                raise _Conflict
            if kind == "add":
                tags.append(value)
            else:
                tags.pop(0)
            continue
        member = path[1:]
        if kind in ("remove", "replace", "test") and member not in result:
            raise _Conflict
        if kind == "test":
            if result[member] != value or type(result[member]) is not type(value):
                raise _Conflict
        elif kind == "remove":
            del result[member]
        else:
            result[member] = value
    return result


def reference_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 §2, as written there."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = reference_merge_patch(result.get(name), value)
    return result


class LabMachine(RuleBasedStateMachine):
    """The lab and its model, side by side."""

    def __init__(self) -> None:
        super().__init__()
        self.lab = httplab.Lab(in_process=True)
        self.items: dict[str, dict[str, Any]] = {}
        self.etags: dict[str, str] = {}
        self.bodies: dict[str, bytes] = {}
        self.seen_etags: set[str] = set()
        self.keys: dict[str, tuple[dict[str, Any], str]] = {}
        self.require = False

    def teardown(self) -> None:
        self.lab.stop()

    # ------------------------------------------------------------------ helpers

    def stored(self) -> dict[str, Any]:
        snapshot = self.lab.app.resources.snapshot()
        return {"items": snapshot["items"], "settings": snapshot["settings"]}

    def send(self, method: str, path: str, **request: Any) -> Any:
        exchange = self.lab.send(method, path, **request)
        assert exchange.status is not None and exchange.status < 500, exchange.raw_response
        etag = exchange.response.headers.get("ETag")
        if etag:
            self.seen_etags.add(etag)
        return exchange

    def condition(self, kind: str, item_id: str, data: st.DataObject) -> dict[str, str]:
        current = self.etags.get(item_id)
        stale = sorted(self.seen_etags - {current}) or [NEVER_SEEN]
        if kind == "match-current":
            return {"If-Match": current or NEVER_SEEN}
        if kind == "match-stale":
            return {"If-Match": data.draw(st.sampled_from(stale), label="stale")}
        if kind == "match-garbage":
            return {"If-Match": data.draw(st.sampled_from(GARBAGE), label="garbage")}
        if kind == "match-star":
            return {"If-Match": "*"}
        if kind == "none-match-star":
            return {"If-None-Match": "*"}
        if kind == "none-match-current":
            return {"If-None-Match": current or NEVER_SEEN}
        return {}

    def expected_condition(self, headers: dict[str, str], item_id: str, method: str) -> int | None:
        """RFC 9110 §13.2.2: If-Match first, then If-None-Match; a garbage tag is 400."""
        current = self.etags.get(item_id) if item_id in self.items else None
        if "If-Match" in headers:
            value = headers["If-Match"]
            if value in GARBAGE:
                return 400
            if current is None or (value != "*" and value != current):
                return 412
        if "If-None-Match" in headers:
            value = headers["If-None-Match"]
            if current is not None and (value == "*" or value == current):
                return 304 if method in ("GET", "HEAD") else 412
        return None

    def check_unchanged(self, before: dict[str, Any], exchange: Any) -> None:
        assert self.stored() == before, f"{exchange!r} changed the state"

    def record_write(self, item_id: str, new: dict[str, Any], etag: str | None, body: bytes) -> None:
        old_body, old_etag = self.bodies.get(item_id), self.etags.get(item_id)
        server_etag = etag or next(e["etag"] for e in self.stored()["items"] if e["id"] == item_id)
        if old_body is not None and old_etag is not None:
            assert (server_etag == old_etag) == (old_body == body), "the ETag must change exactly with the bytes"
        assert json.loads(body) == new
        self.items[item_id] = new
        self.etags[item_id] = server_etag
        self.bodies[item_id] = body

    # ------------------------------------------------------------------ rules

    @initialize()
    def start_empty(self) -> None:
        assert self.stored()["items"] == []

    @rule(item_id=st.sampled_from(IDS), kind=st.sampled_from(CONDITIONS), method=st.sampled_from(["GET", "HEAD"]),
          data=st.data())
    def read_item(self, item_id: str, kind: str, method: str, data: st.DataObject) -> None:
        headers = self.condition(kind, item_id, data)
        before = self.stored()
        exchange = self.send(method, f"/lab/items/{item_id}", headers=headers)
        self.check_unchanged(before, exchange)
        if item_id not in self.items:
            assert exchange.status == 404
            return
        expected = self.expected_condition(headers, item_id, method) or 200
        assert exchange.status == expected, (headers, exchange.status)
        if expected in (200, 304):
            assert exchange.response.headers["ETag"] == self.etags[item_id]
        if expected == 200:
            body = exchange.response.body
            assert body == (b"" if method == "HEAD" else self.bodies[item_id])

    @rule(method=st.sampled_from(["GET", "HEAD", "OPTIONS"]),
          path=st.sampled_from(["/lab/items", "/lab/state", "/lab/settings", "/lab", "/lab/items/1"]))
    def safe_request(self, method: str, path: str) -> None:
        before = self.stored()
        exchange = self.send(method, path)
        self.check_unchanged(before, exchange)
        if method == "OPTIONS":
            assert exchange.status == 204 and "Allow" in exchange.response.headers
        elif path == "/lab/items" and method == "GET":
            assert {e["id"]: e["data"] for e in exchange.json} == self.items

    @rule(body=items, key=st.none() | st.sampled_from(KEYS), create_only=st.booleans())
    def post(self, body: dict[str, Any], key: str | None, create_only: bool) -> None:
        headers = {} if key is None else {"Idempotency-Key": key}
        if create_only:
            headers["If-None-Match"] = "*"  # the list always exists: 412
        before = self.stored()
        exchange = self.send("POST", "/lab/items", json=body, headers=headers)
        if key is not None and key in self.keys:
            first_body, location = self.keys[key]
            if first_body == body:
                assert exchange.status == 201 and exchange.response.headers["Location"] == location
                assert exchange.response.headers["Idempotent-Replayed"] == "true"
            else:
                assert exchange.status == 422
            self.check_unchanged(before, exchange)
            return
        if create_only:
            assert exchange.status == 412
            self.check_unchanged(before, exchange)
            return
        assert exchange.status == 201
        location = exchange.response.headers["Location"]
        item_id = location.rsplit("/", 1)[1]
        assert item_id not in self.items, "POST must create a new item, never overwrite one"
        # POST stores the representation exactly as sent, and the 201 shows it.
        assert exchange.response.body == exchange.request.body
        self.record_write(item_id, body, exchange.response.headers["ETag"], exchange.request.body)
        if key is not None:
            self.keys[key] = (body, location)

    @rule(item_id=st.sampled_from(IDS), body=items, kind=st.sampled_from(CONDITIONS), twice=st.booleans(),
          data=st.data())
    def put(self, item_id: str, body: dict[str, Any], kind: str, twice: bool, data: st.DataObject) -> None:
        headers = self.condition(kind, item_id, data)
        before = self.stored()
        exchange = self.send("PUT", f"/lab/items/{item_id}", json=body, headers=headers)
        expected = self.expected_write(headers, item_id, "PUT")
        if expected is None:
            expected = 204 if item_id in self.items else 201
        assert exchange.status == expected, (headers, exchange.status, exchange.json)
        if expected >= 400:
            self.check_unchanged(before, exchange)
            return
        # A PUT response carries an ETag only because the bytes sent are stored as they are (RFC 9110 §9.3.4).
        self.record_write(item_id, body, exchange.response.headers["ETag"], exchange.request.body)
        if twice:
            self.repeat_leaves_state(exchange, "PUT", f"/lab/items/{item_id}", json=body, headers=headers)

    @rule(item_id=st.sampled_from(IDS), patch=merge_patches, kind=st.sampled_from(CONDITIONS),
          twice=st.booleans(), data=st.data())
    def merge_patch(self, item_id: str, patch: Any, kind: str, twice: bool, data: st.DataObject) -> None:
        headers = {**self.condition(kind, item_id, data), **MERGE}
        before = self.stored()
        exchange = self.send("PATCH", f"/lab/items/{item_id}", content=json.dumps(patch), headers=headers)
        expected = self.expected_patch(headers, item_id)
        result = None
        if expected is None:
            result = reference_merge_patch(self.items[item_id], patch)
            expected = 200 if isinstance(result, dict) else 422
        assert exchange.status == expected, (headers, exchange.status, exchange.json)
        if expected != 200:
            self.check_unchanged(before, exchange)
            return
        assert exchange.json == result
        self.record_write(item_id, result, exchange.response.headers["ETag"], exchange.response.body)
        if twice:
            # A merge patch is idempotent (RFC 7396), although PATCH in general is not.
            self.repeat_leaves_state(exchange, "PATCH", f"/lab/items/{item_id}", content=json.dumps(patch),
                                     headers=headers)

    @rule(item_id=st.sampled_from(IDS), ops=st.lists(operations, min_size=1, max_size=3),
          kind=st.sampled_from(CONDITIONS), data=st.data())
    def json_patch(self, item_id: str, ops: list[dict[str, Any]], kind: str, data: st.DataObject) -> None:
        headers = {**self.condition(kind, item_id, data), **JSON_PATCH}
        before = self.stored()
        exchange = self.send("PATCH", f"/lab/items/{item_id}", json=ops, headers=headers)
        expected = self.expected_patch(headers, item_id)
        result = None
        if expected is None:
            try:
                result = reference_json_patch(self.items[item_id], ops)
                expected = 200
            except _Malformed:
                expected = 400
            except _Conflict:
                expected = 409
        assert exchange.status == expected, (ops, headers, exchange.status, exchange.json)
        if expected != 200:
            self.check_unchanged(before, exchange)
            return
        assert exchange.json == result
        self.record_write(item_id, result, exchange.response.headers["ETag"], exchange.response.body)

    @rule(item_id=st.sampled_from(IDS), kind=st.sampled_from(CONDITIONS), twice=st.booleans(), data=st.data())
    def delete(self, item_id: str, kind: str, twice: bool, data: st.DataObject) -> None:
        headers = self.condition(kind, item_id, data)
        before = self.stored()
        exchange = self.send("DELETE", f"/lab/items/{item_id}", headers=headers)
        expected = self.expected_patch(headers, item_id) or 204
        assert exchange.status == expected, (headers, exchange.status)
        if expected != 204:
            self.check_unchanged(before, exchange)
            return
        del self.items[item_id]
        del self.etags[item_id]
        del self.bodies[item_id]
        if twice:
            self.repeat_leaves_state(exchange, "DELETE", f"/lab/items/{item_id}", headers=headers)

    @rule(flag=st.booleans())
    def require_precondition(self, flag: bool) -> None:
        assert self.lab.settings(require_precondition=flag) == {"require_precondition": flag}
        self.require = flag

    @precondition(lambda self: len(self.items) > 3)
    @rule()
    def reset(self) -> None:
        assert self.send("POST", "/lab/reset").status == 204
        self.items, self.etags, self.bodies, self.keys, self.require = {}, {}, {}, {}, False

    # ------------------------------------------------------------------ expectations

    def expected_write(self, headers: dict[str, str], item_id: str, method: str) -> int | None:
        conditional = "If-Match" in headers or "If-None-Match" in headers
        if self.require and not conditional:
            return 428
        return self.expected_condition(headers, item_id, method)

    def expected_patch(self, headers: dict[str, str], item_id: str) -> int | None:
        """PATCH and DELETE: 428 first, then 404 for a missing item, then the conditions."""
        conditional = "If-Match" in headers or "If-None-Match" in headers
        if self.require and not conditional:
            return 428
        if item_id not in self.items:
            return 404
        return self.expected_condition(headers, item_id, "PATCH")

    def repeat_leaves_state(self, first: Any, method: str, path: str, **request: Any) -> None:
        after_first = self.stored()
        again = self.send(method, path, **request)
        assert again.status < 500
        assert self.stored() == after_first, f"repeating {first!r} changed the state again ({again!r})"

    # ------------------------------------------------------------------ invariants

    @invariant()
    def server_state_equals_the_model(self) -> None:
        entries = self.stored()["items"]
        assert {e["id"]: e["data"] for e in entries} == self.items
        assert {e["id"]: e["etag"] for e in entries} == self.etags
        assert self.stored()["settings"] == {"require_precondition": self.require}

    @invariant()
    def etags_are_strong_quoted_and_follow_the_content(self) -> None:
        by_body: dict[bytes, str] = {}
        for item_id, body in self.bodies.items():
            etag = self.etags[item_id]
            assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
            assert by_body.setdefault(body, etag) == etag, "equal representations must have equal ETags"
        assert len(set(by_body.values())) == len(by_body), "different representations must have different ETags"


LabMachine.TestCase.settings = settings(
    profile(), max_examples=examples(150, 2000), stateful_step_count=examples(40, 80)
)
test_lab_matches_its_model = LabMachine.TestCase
