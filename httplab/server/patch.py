"""JSON Merge Patch (RFC 7396) and JSON Patch (RFC 6902), applied without side effects.

Both functions return a *new* document and never modify their input, so a patch that
fails half-way leaves nothing changed: JSON Patch is all-or-nothing (RFC 6902 §5).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from httplab.i18n import L_, LazyText
from httplab.server._language import Number

__all__ = ["PatchConflict", "PatchError", "PatchTooLarge", "apply_json_patch", "apply_merge_patch"]

_OPS = ("add", "remove", "replace", "move", "copy", "test")

#: An array index in a JSON Pointer: ASCII digits, no leading zero (RFC 6901 §4).
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
#: A '~' that does not start one of the two escapes ~0 and ~1 (RFC 6901 §3).
_BAD_ESCAPE = re.compile(r"~(?![01])")

#: How many JSON values (objects, arrays and scalars) a patched document may hold. A few
#: ``copy`` operations that each copy the whole document double it every time, so without
#: a bound a patch of a few hundred bytes could exhaust the server's memory.
MAX_NODES = 1_000_000


class PatchError(ValueError):
    """The patch document itself is malformed (HTTP 400).

    Its one argument is late-translated text (``str(error)`` reads it in the kit's language).
    """

    @property
    def detail(self) -> LazyText:
        """What is wrong, to be read in the language of whoever reads it."""
        return self.args[0]  # type: ignore[no-any-return]


class PatchConflict(ValueError):
    """The patch is well formed but cannot apply to the current document (HTTP 409)."""

    @property
    def detail(self) -> LazyText:
        """What is wrong, to be read in the language of whoever reads it."""
        return self.args[0]  # type: ignore[no-any-return]


class PatchTooLarge(PatchConflict):
    """Applying the patch would make the document larger than :data:`MAX_NODES` values (HTTP 422)."""


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
            L_(
                "A JSON Patch document must be a JSON array of operations, like {example}.",
                example='[{"op": "replace", "path": "/name", "value": "new"}]',
            )
        )
    doc = copy.deepcopy(target)
    # An upper bound on the document's size: what adds and copies bring in is counted,
    # what removes take away is not, so the bound is cheap and never too small.
    budget = _count_nodes(doc)
    for number, operation in enumerate(patch, start=1):
        if isinstance(operation, dict) and operation.get("op") in ("add", "replace", "copy"):
            budget += _count_nodes(_incoming(doc, operation, number))
            if budget > MAX_NODES:
                raise PatchTooLarge(
                    L_(
                        "operation {number} ({op}) would make the document larger than the {limit:,} values the "
                        "lab handles. Copy or add smaller parts. Nothing was changed.",
                        number=number,
                        op=operation["op"],
                        limit=Number(MAX_NODES),
                    )
                )
        doc = _apply_operation(doc, operation, number)
    return doc


def _incoming(doc: Any, operation: dict[str, Any], number: int) -> Any:
    """Return the value an add, replace or copy operation brings into the document."""
    if operation["op"] != "copy":
        return operation.get("value")
    return _get(doc, _pointer(operation, "from", number), number)


def _count_nodes(value: Any) -> int:
    count, stack = 0, [value]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            break
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def _apply_operation(doc: Any, operation: Any, number: int) -> Any:
    where = number
    if not isinstance(operation, dict):
        raise PatchError(
            L_(
                "operation {number} is not a JSON object; each operation looks like {example}.",
                number=number,
                example='{"op": ...}',
            )
        )
    op = operation.get("op")
    if op not in _OPS:
        raise PatchError(
            L_("operation {number} has op {op!r}; it must be one of: {ops}.", number=number, op=op, ops=", ".join(_OPS))
        )
    path = _pointer(operation, "path", where)
    if op in ("add", "replace", "test") and "value" not in operation:
        raise PatchError(L_('operation {number} ({op}) needs a "value" member.', number=number, op=op))
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
                L_(
                    "operation {number} (test) failed: the value at {path} is {actual}, not {expected}. "
                    "Nothing was changed.",
                    number=number,
                    path=_show(path),
                    actual=_json_text(actual),
                    expected=_json_text(operation["value"]),
                )
            )
        return doc
    source = _pointer(operation, "from", where)
    if op == "move":
        if path[: len(source)] == source and len(path) > len(source):
            raise PatchError(
                L_("operation {number} (move) cannot move a value into one of its own children.", number=number)
            )
        doc, value = _remove(doc, source, where)
        return _add(doc, path, value, where)
    value = copy.deepcopy(_get(doc, source, where))
    return _add(doc, path, value, where)


def _pointer(operation: dict[str, Any], member: str, where: int) -> list[str]:
    text = operation.get(member)
    if not isinstance(text, str):
        raise PatchError(
            L_(
                'operation {number} needs a {member!r} member holding a JSON Pointer such as "/name".',
                number=where,
                member=member,
            )
        )
    if text == "":
        return []
    if not text.startswith("/"):
        raise PatchError(
            L_(
                "operation {number}: the JSON Pointer {pointer!r} must start with '/' (or be empty).",
                number=where,
                pointer=text,
            )
        )
    if _BAD_ESCAPE.search(text):
        raise PatchError(
            L_(
                "operation {number}: the JSON Pointer {pointer!r} has a '~' not followed by 0 or 1. "
                "Write ~0 for '~' and ~1 for '/' inside a name (RFC 6901).",
                number=where,
                pointer=text,
            )
        )
    tokens = text[1:].split("/")
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]


def _json_text(value: Any) -> str:
    """Show a value as JSON (true, null, "text"), the way the learner wrote it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def _show(path: list[str]) -> str:
    return "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in path) if path else '""'


def _index(container: list[Any], token: str, where: int, *, for_add: bool) -> int:
    if for_add and token == "-":
        return len(container)
    if token == "-":
        raise PatchConflict(
            L_(
                "operation {number}: '-' means the position after the last element, where only add can put a value.",
                number=where,
            )
        )
    if not _ARRAY_INDEX.fullmatch(token):
        raise PatchConflict(
            L_(
                "operation {number}: {token!r} is not a valid array index; use 0, 1, 2, ... without leading zeros.",
                number=where,
                token=token,
            )
        )
    index = int(token)
    limit = len(container) if for_add else len(container) - 1
    if index > limit:
        raise PatchConflict(
            L_(
                "operation {number}: index {index} is out of range (the array has {length} elements).",
                number=where,
                index=index,
                length=len(container),
            )
        )
    return index


def _missing(where: int, path: list[str]) -> PatchConflict:
    return PatchConflict(L_("operation {number}: {path} does not exist.", number=where, path=_show(path)))


def _parent(doc: Any, path: list[str], where: int) -> Any:
    node = doc
    for depth, token in enumerate(path[:-1]):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, where, for_add=False)]
        else:
            raise _missing(where, path[: depth + 1])
    return node


def _get(doc: Any, path: list[str], where: int) -> Any:
    if not path:
        return doc
    parent = _parent(doc, path, where)
    token = path[-1]
    if isinstance(parent, dict):
        if token not in parent:
            raise _missing(where, path)
        return parent[token]
    if isinstance(parent, list):
        return parent[_index(parent, token, where, for_add=False)]
    raise _missing(where, path)


def _add(doc: Any, path: list[str], value: Any, where: int) -> Any:
    if not path:
        return value
    parent = _parent(doc, path, where)
    token = path[-1]
    if isinstance(parent, dict):
        parent[token] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, token, where, for_add=True), value)
    else:
        raise PatchConflict(
            L_(
                "operation {number}: cannot add inside {path}, which is not an object or array.",
                number=where,
                path=_show(path[:-1]),
            )
        )
    return doc


def _remove(doc: Any, path: list[str], where: int) -> tuple[Any, Any]:
    if not path:
        return None, doc
    parent = _parent(doc, path, where)
    token = path[-1]
    if isinstance(parent, dict):
        if token not in parent:
            raise _missing(where, path)
        return doc, parent.pop(token)
    if isinstance(parent, list):
        return doc, parent.pop(_index(parent, token, where, for_add=False))
    raise _missing(where, path)


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
