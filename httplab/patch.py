"""JSON Merge Patch (RFC 7396) and JSON Patch (RFC 6902), applied without side effects.

Both functions return a *new* document and never modify their input, so a patch that
fails half-way leaves nothing changed: JSON Patch is all-or-nothing (RFC 6902 §5).
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["PatchConflict", "PatchError", "apply_json_patch", "apply_merge_patch"]

_OPS = ("add", "remove", "replace", "move", "copy", "test")


class PatchError(ValueError):
    """The patch document itself is malformed (HTTP 400)."""


class PatchConflict(ValueError):
    """The patch is well formed but cannot apply to the current document (HTTP 409)."""


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7396 §2) and return the result.

    Members set to ``null`` are removed, objects merge recursively, anything else
    replaces what was there. Applying the same merge patch twice gives the same result.

    >>> apply_merge_patch({"a": 1, "b": 2}, {"b": None, "c": 3})
    {'a': 1, 'c': 3}
    """
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = apply_merge_patch(result.get(name), value)
    return result


def apply_json_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Patch (RFC 6902) and return the result; the input is never modified.

    Raises
    ------
    PatchError
        The patch document is malformed (not a list of operations, unknown ``op``,
        missing ``path``/``value``/``from``, a bad JSON Pointer).
    PatchConflict
        An operation cannot apply to the document (a missing member, an index out of
        range, a failed ``test``).

    >>> apply_json_patch({"tags": ["a"]}, [{"op": "add", "path": "/tags/-", "value": "b"}])
    {'tags': ['a', 'b']}

    """
    if not isinstance(patch, list):
        raise PatchError(
            "A JSON Patch document must be a JSON array of operations, "
            'like [{"op": "replace", "path": "/name", "value": "new"}].'
        )
    doc = copy.deepcopy(target)
    for number, operation in enumerate(patch, start=1):
        doc = _apply_operation(doc, operation, number)
    return doc


def _apply_operation(doc: Any, operation: Any, number: int) -> Any:
    where = f"operation {number}"
    if not isinstance(operation, dict):
        raise PatchError(f"{where} is not a JSON object; each operation looks like {{\"op\": ...}}.")
    op = operation.get("op")
    if op not in _OPS:
        raise PatchError(f"{where} has op {op!r}; it must be one of: {', '.join(_OPS)}.")
    path = _pointer(operation, "path", where)
    if op in ("add", "replace", "test") and "value" not in operation:
        raise PatchError(f"{where} ({op}) needs a \"value\" member.")
    if op == "add":
        return _add(doc, path, copy.deepcopy(operation["value"]), where)
    if op == "remove":
        return _remove(doc, path, where)[0]
    if op == "replace":
        doc, _ = _remove(doc, path, where)
        return _add(doc, path, copy.deepcopy(operation["value"]), where)
    if op == "test":
        actual = _get(doc, path, where)
        if not _json_equal(actual, operation["value"]):
            raise PatchConflict(
                f"{where} (test) failed: the value at {_show(path)} is {actual!r}, "
                f"not {operation['value']!r}. Nothing was changed."
            )
        return doc
    source = _pointer(operation, "from", where)
    if op == "move":
        if path[: len(source)] == source and len(path) > len(source):
            raise PatchError(f"{where} (move) cannot move a value into one of its own children.")
        doc, value = _remove(doc, source, where)
        return _add(doc, path, value, where)
    value = copy.deepcopy(_get(doc, source, where))
    return _add(doc, path, value, where)


def _pointer(operation: dict[str, Any], member: str, where: str) -> list[str]:
    text = operation.get(member)
    if not isinstance(text, str):
        raise PatchError(f"{where} needs a {member!r} member holding a JSON Pointer such as \"/name\".")
    if text == "":
        return []
    if not text.startswith("/"):
        raise PatchError(f"{where}: the JSON Pointer {text!r} must start with '/' (or be empty).")
    tokens = text[1:].split("/")
    for token in tokens:
        rest = token.replace("~0", "").replace("~1", "")
        if "~" in rest:
            raise PatchError(f"{where}: {text!r} has a '~' not followed by 0 or 1 (RFC 6901).")
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]


def _show(path: list[str]) -> str:
    return "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in path) if path else '""'


def _index(container: list[Any], token: str, where: str, *, for_add: bool) -> int:
    if for_add and token == "-":
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise PatchConflict(f"{where}: {token!r} is not a valid array index.")
    index = int(token)
    limit = len(container) if for_add else len(container) - 1
    if index > limit:
        raise PatchConflict(f"{where}: index {index} is out of range (the array has {len(container)} elements).")
    return index


def _parent(doc: Any, path: list[str], where: str) -> Any:
    node = doc
    for depth, token in enumerate(path[:-1]):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, where, for_add=False)]
        else:
            raise PatchConflict(f"{where}: {_show(path[: depth + 1])} does not exist.")
    return node


def _get(doc: Any, path: list[str], where: str) -> Any:
    if not path:
        return doc
    parent = _parent(doc, path, where)
    token = path[-1]
    if isinstance(parent, dict):
        if token not in parent:
            raise PatchConflict(f"{where}: {_show(path)} does not exist.")
        return parent[token]
    if isinstance(parent, list):
        return parent[_index(parent, token, where, for_add=False)]
    raise PatchConflict(f"{where}: {_show(path)} does not exist.")


def _add(doc: Any, path: list[str], value: Any, where: str) -> Any:
    if not path:
        return value
    parent = _parent(doc, path, where)
    token = path[-1]
    if isinstance(parent, dict):
        parent[token] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, token, where, for_add=True), value)
    else:
        raise PatchConflict(f"{where}: cannot add inside {_show(path[:-1])}, which is not an object or array.")
    return doc


def _remove(doc: Any, path: list[str], where: str) -> tuple[Any, Any]:
    if not path:
        return None, doc
    parent = _parent(doc, path, where)
    token = path[-1]
    if isinstance(parent, dict):
        if token not in parent:
            raise PatchConflict(f"{where}: {_show(path)} does not exist.")
        return doc, parent.pop(token)
    if isinstance(parent, list):
        return doc, parent.pop(_index(parent, token, where, for_add=False))
    raise PatchConflict(f"{where}: {_show(path)} does not exist.")


def _json_equal(a: Any, b: Any) -> bool:
    """Compare as JSON values: 1 == 1.0, but true is not 1 (RFC 6902 §4.6)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b
