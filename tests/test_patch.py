"""Unit tests of httplab.server.patch: JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7396), no HTTP."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from httplab.server.patch import (
    MAX_NODES,
    PatchConflict,
    PatchError,
    PatchTooLarge,
    apply_json_patch,
    apply_merge_patch,
)

# --------------------------------------------------------------------------- RFC 6902 Appendix A

# (id, document, patch, expected result) for every Appendix A example that succeeds.
APPENDIX_A_SUCCESS = [
    ("A.1-add-object-member", {"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}],
     {"baz": "qux", "foo": "bar"}),
    ("A.2-add-array-element", {"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}],
     {"foo": ["bar", "qux", "baz"]}),
    ("A.3-remove-object-member", {"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}],
     {"foo": "bar"}),
    ("A.4-remove-array-element", {"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}],
     {"foo": ["bar", "baz"]}),
    ("A.5-replace-value", {"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}],
     {"baz": "boo", "foo": "bar"}),
    ("A.6-move-value",
     {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ("A.7-move-array-element", {"foo": ["all", "grass", "cows", "eat"]},
     [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ("A.8-test-success", {"baz": "qux", "foo": ["a", 2, "c"]},
     [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ("A.10-add-nested-member", {"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ("A.11-ignore-unknown-members", {"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}],
     {"foo": "bar", "baz": "qux"}),
    ("A.14-escape-ordering", {"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}],
     {"/": 9, "~1": 10}),
    ("A.16-add-array-value", {"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
     {"foo": ["bar", ["abc", "def"]]}),
]


@pytest.mark.parametrize(
    ("document", "patch", "expected"),
    [case[1:] for case in APPENDIX_A_SUCCESS],
    ids=[case[0] for case in APPENDIX_A_SUCCESS],
)
def test_json_patch_rfc6902_appendix_a_examples(document: Any, patch: Any, expected: Any) -> None:
    before = copy.deepcopy(document)
    assert apply_json_patch(document, patch) == expected
    assert document == before, "the input document must not change"


@pytest.mark.parametrize(
    ("document", "patch", "message"),
    [
        ({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}], '/baz is "qux", not "bar"'),
        ({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}], "/baz does not exist"),
        ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": "10"}], "/~01 is 10, not \"10\""),
    ],
    ids=["A.9-test-error", "A.12-add-to-nonexistent-target", "A.15-string-is-not-number"],
)
def test_json_patch_rfc6902_appendix_a_errors(document: Any, patch: Any, message: str) -> None:
    before = copy.deepcopy(document)
    with pytest.raises(PatchConflict) as caught:
        apply_json_patch(document, patch)
    assert message in str(caught.value)
    assert document == before


# --------------------------------------------------------------------------- each operation


def test_json_patch_add_replaces_an_existing_member() -> None:
    assert apply_json_patch({"a": 1}, [{"op": "add", "path": "/a", "value": 2}]) == {"a": 2}


def test_json_patch_add_at_array_end_index_appends() -> None:
    assert apply_json_patch({"t": [1]}, [{"op": "add", "path": "/t/1", "value": 2}]) == {"t": [1, 2]}


def test_json_patch_add_past_array_end_is_a_conflict() -> None:
    with pytest.raises(PatchConflict, match="index 2 is out of range"):
        apply_json_patch({"t": [1]}, [{"op": "add", "path": "/t/2", "value": 2}])


def test_json_patch_add_to_the_root_replaces_the_document() -> None:
    assert apply_json_patch({"a": 1}, [{"op": "add", "path": "", "value": {"b": 2}}]) == {"b": 2}


def test_json_patch_add_appends_on_every_application() -> None:
    patch = [{"op": "add", "path": "/tags/-", "value": "x"}]
    once = apply_json_patch({"tags": []}, patch)
    twice = apply_json_patch(once, patch)
    assert (once, twice) == ({"tags": ["x"]}, {"tags": ["x", "x"]})


def test_json_patch_add_inside_a_scalar_is_a_conflict() -> None:
    with pytest.raises(PatchConflict, match="not an object or array"):
        apply_json_patch({"a": 1}, [{"op": "add", "path": "/a/b", "value": 2}])


def test_json_patch_remove_missing_member_is_a_conflict() -> None:
    with pytest.raises(PatchConflict, match="/nope does not exist"):
        apply_json_patch({"a": 1}, [{"op": "remove", "path": "/nope"}])


def test_json_patch_remove_dash_is_a_conflict() -> None:
    with pytest.raises(PatchConflict, match="only add"):
        apply_json_patch({"t": [1]}, [{"op": "remove", "path": "/t/-"}])


def test_json_patch_replace_requires_the_target_to_exist() -> None:
    with pytest.raises(PatchConflict, match="/b does not exist"):
        apply_json_patch({"a": 1}, [{"op": "replace", "path": "/b", "value": 2}])


def test_json_patch_replace_array_element_keeps_position() -> None:
    result = apply_json_patch({"t": [1, 2, 3]}, [{"op": "replace", "path": "/t/1", "value": "two"}])
    assert result == {"t": [1, "two", 3]}


def test_json_patch_move_into_own_child_is_rejected() -> None:
    with pytest.raises(PatchError, match="its own children"):
        apply_json_patch({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a/b/c"}])


def test_json_patch_move_to_the_same_place_changes_nothing() -> None:
    assert apply_json_patch({"a": 1}, [{"op": "move", "from": "/a", "path": "/a"}]) == {"a": 1}


def test_json_patch_move_from_missing_member_is_a_conflict() -> None:
    with pytest.raises(PatchConflict, match="/x does not exist"):
        apply_json_patch({"a": 1}, [{"op": "move", "from": "/x", "path": "/y"}])


def test_json_patch_copy_makes_an_independent_copy() -> None:
    result = apply_json_patch(
        {"a": {"n": 1}},
        [{"op": "copy", "from": "/a", "path": "/b"}, {"op": "replace", "path": "/b/n", "value": 2}],
    )
    assert result == {"a": {"n": 1}, "b": {"n": 2}}


def test_json_patch_copy_into_an_array() -> None:
    result = apply_json_patch({"a": 1, "t": [0]}, [{"op": "copy", "from": "/a", "path": "/t/0"}])
    assert result == {"a": 1, "t": [1, 0]}


def test_json_patch_value_is_copied_not_shared() -> None:
    value = {"n": 1}
    result = apply_json_patch({}, [{"op": "add", "path": "/v", "value": value}])
    result["v"]["n"] = 2
    assert value == {"n": 1}


# --------------------------------------------------------------------------- JSON Pointer


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a~1b", {"a/b": 1}),
        ("/m~0n", {"m~n": 1}),
        ("/~01", {"~1": 1}),
        ("/~10", {"/0": 1}),
        ("/", {"": 1}),
        ("/ ", {" ": 1}),
    ],
    ids=["tilde-one-is-slash", "tilde-zero-is-tilde", "tilde-zero-then-one", "tilde-one-then-zero",
         "empty-name", "space-name"],
)
def test_json_patch_pointer_unescapes_names(path: str, expected: dict[str, int]) -> None:
    assert apply_json_patch({}, [{"op": "add", "path": path, "value": 1}]) == expected


@pytest.mark.parametrize("path", ["/a~", "/a~2", "/~~01", "a", "/a/~x"],
                         ids=["trailing-tilde", "tilde-two", "double-tilde", "no-leading-slash", "tilde-x"])
def test_json_patch_pointer_rejects_malformed_paths(path: str) -> None:
    with pytest.raises(PatchError, match="JSON Pointer"):
        apply_json_patch({}, [{"op": "add", "path": path, "value": 1}])


@pytest.mark.parametrize("token", ["01", "-1", "+1", "1.0", "²", "١", "a", ""],
                         ids=["leading-zero", "negative", "plus", "decimal", "superscript", "arabic-digit",
                              "letter", "empty"])
def test_json_patch_pointer_rejects_non_ascii_or_odd_array_indexes(token: str) -> None:
    with pytest.raises(PatchConflict, match="not a valid array index"):
        apply_json_patch({"t": [0, 1, 2]}, [{"op": "add", "path": f"/t/{token}", "value": 9}])


def test_json_patch_pointer_walks_through_arrays() -> None:
    result = apply_json_patch({"t": [{"n": 1}]}, [{"op": "replace", "path": "/t/0/n", "value": 2}])
    assert result == {"t": [{"n": 2}]}


# --------------------------------------------------------------------------- test operation equality


@pytest.mark.parametrize(
    ("actual", "value"),
    [
        (1, 1.0),
        ({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}),
        ([1, {"x": None}], [1.0, {"x": None}]),
        ("é", "é"),
        (None, None),
    ],
    ids=["int-equals-float", "object-member-order-ignored", "nested", "unicode", "null"],
)
def test_json_patch_test_passes_for_equal_json_values(actual: Any, value: Any) -> None:
    assert apply_json_patch({"v": actual}, [{"op": "test", "path": "/v", "value": value}]) == {"v": actual}


@pytest.mark.parametrize(
    ("actual", "value"),
    [
        (True, 1),
        (0, False),
        (1, "1"),
        ([1, 2], [2, 1]),
        ({"a": 1}, {"a": 1, "b": 2}),
        (None, False),
        ([1], [1, 1]),
    ],
    ids=["true-is-not-1", "0-is-not-false", "number-is-not-string", "array-order-matters",
         "extra-member", "null-is-not-false", "array-length"],
)
def test_json_patch_test_fails_for_different_json_values(actual: Any, value: Any) -> None:
    with pytest.raises(PatchConflict, match=r"\(test\) failed"):
        apply_json_patch({"v": actual}, [{"op": "test", "path": "/v", "value": value}])


def test_json_patch_test_message_shows_json_values() -> None:
    with pytest.raises(PatchConflict) as caught:
        apply_json_patch({"v": True}, [{"op": "test", "path": "/v", "value": None}])
    assert "is true, not null" in str(caught.value)


def test_json_patch_test_on_missing_path_is_a_conflict() -> None:
    with pytest.raises(PatchConflict, match="/nope does not exist"):
        apply_json_patch({}, [{"op": "test", "path": "/nope", "value": 1}])


# --------------------------------------------------------------------------- all-or-nothing, malformed


def test_json_patch_is_all_or_nothing() -> None:
    document = {"a": 1, "tags": ["x"]}
    patch = [
        {"op": "replace", "path": "/a", "value": 2},
        {"op": "add", "path": "/tags/-", "value": "y"},
        {"op": "test", "path": "/a", "value": 1},
    ]
    with pytest.raises(PatchConflict, match="operation 3"):
        apply_json_patch(document, patch)
    assert document == {"a": 1, "tags": ["x"]}


def test_json_patch_malformed_later_operation_changes_nothing() -> None:
    document = {"a": 1}
    with pytest.raises(PatchError, match="operation 2"):
        apply_json_patch(document, [{"op": "remove", "path": "/a"}, {"op": "jump", "path": "/a"}])
    assert document == {"a": 1}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"op": "add", "path": "/a", "value": 1}, "JSON array of operations"),
        (["add"], "not a JSON object"),
        ([{"path": "/a"}], "op None"),
        ([{"op": "ADD", "path": "/a", "value": 1}], "op 'ADD'"),
        ([{"op": "add", "value": 1}], "'path' member"),
        ([{"op": "add", "path": 5, "value": 1}], "'path' member"),
        ([{"op": "add", "path": "/a"}], '"value" member'),
        ([{"op": "replace", "path": "/a"}], '"value" member'),
        ([{"op": "test", "path": "/a"}], '"value" member'),
        ([{"op": "move", "path": "/b"}], "'from' member"),
        ([{"op": "copy", "path": "/b"}], "'from' member"),
    ],
    ids=["not-a-list", "operation-not-object", "missing-op", "op-is-case-sensitive", "missing-path",
         "path-not-string", "add-without-value", "replace-without-value", "test-without-value",
         "move-without-from", "copy-without-from"],
)
def test_json_patch_malformed_document_is_a_patch_error(patch: Any, message: str) -> None:
    with pytest.raises(PatchError) as caught:
        apply_json_patch({"a": 1}, patch)
    assert message in str(caught.value)


def test_json_patch_test_with_null_value_is_well_formed() -> None:
    assert apply_json_patch({"a": None}, [{"op": "test", "path": "/a", "value": None}]) == {"a": None}


def test_json_patch_empty_patch_returns_an_equal_copy() -> None:
    document = {"a": [1]}
    result = apply_json_patch(document, [])
    assert result == document and result is not document and result["a"] is not document["a"]


def test_json_patch_doubling_copies_stop_at_the_size_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each copy of the whole document doubles it (2 values, 4, 8, ...): the 9th would make 1,024.
    monkeypatch.setattr("httplab.server.patch.MAX_NODES", 1000)
    patch = [{"op": "copy", "from": "", "path": f"/k{i}"} for i in range(64)]
    with pytest.raises(PatchTooLarge, match="operation 9 \\(copy\\).*1,000 values"):
        apply_json_patch({"a": 1}, patch)


def test_json_patch_size_bound_allows_documents_as_big_as_a_request_body() -> None:
    # A 1 MiB body like [0,0,...] holds about 524,288 values; patching it must still work.
    assert MAX_NODES > 1024 * 1024 // 2
    document = {"t": [0] * 1000}
    assert apply_json_patch(document, [{"op": "copy", "from": "/t", "path": "/u"}])["u"] == [0] * 1000


def test_json_patch_too_large_is_a_conflict_subclass() -> None:
    assert issubclass(PatchTooLarge, PatchConflict)


# --------------------------------------------------------------------------- RFC 7396 Appendix A

MERGE_APPENDIX_A = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(
    ("target", "patch", "expected"), MERGE_APPENDIX_A, ids=[f"row-{n}" for n in range(1, len(MERGE_APPENDIX_A) + 1)]
)
def test_merge_patch_rfc7396_appendix_a_examples(target: Any, patch: Any, expected: Any) -> None:
    before = copy.deepcopy(target)
    assert apply_merge_patch(target, patch) == expected
    assert target == before, "the input document must not change"


@pytest.mark.parametrize(("target", "patch", "expected"), MERGE_APPENDIX_A,
                         ids=[f"row-{n}" for n in range(1, len(MERGE_APPENDIX_A) + 1)])
def test_merge_patch_applied_twice_gives_the_same_result(target: Any, patch: Any, expected: Any) -> None:
    assert apply_merge_patch(apply_merge_patch(target, patch), patch) == expected


def test_merge_patch_result_shares_nothing_with_the_patch() -> None:
    patch = {"a": {"b": [1]}}
    result = apply_merge_patch({}, patch)
    result["a"]["b"].append(2)
    assert patch == {"a": {"b": [1]}}
