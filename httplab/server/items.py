"""The lab's items: ``/lab/items`` (list, POST to create) and ``/lab/items/<id>`` (GET, PUT, PATCH, DELETE).

Every item is a JSON object stored with the bytes that represent it and a strong ETag of
those bytes. POST and PUT keep the bytes exactly as sent (RFC 9110 §9.3.4); a patch result
(RFC 5789, RFC 7396, RFC 6902) is stored in the lab's canonical JSON. Conditions follow
:mod:`httplab.server.preconditions`; a POST may carry an Idempotency-Key
(:mod:`httplab.server.idempotency`).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from httplab.i18n import L_
from httplab.server._item_checks import (
    ACCEPT_PATCH,
    JSON_PATCH,
    MERGE_PATCH,
    bad_id,
    check_id,
    delay,
    json_kind,
    json_object,
    missing,
    patch_failed,
    patch_media_type,
    require_json,
)
from httplab.server._language import number
from httplab.server._wsgi import (
    JSON,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    HTTPProblem,
    Reply,
    WSGIEnviron,
    _depth,
    canonical_json,
    etag_for,
    header,
    parse_json,
    read_body,
)
from httplab.server.idempotency import IdempotencyKeys, read_key
from httplab.server.patch import PatchConflict, PatchError, apply_json_patch, apply_merge_patch
from httplab.server.preconditions import (
    check_item,
    evaluate_preconditions,
    failed_precondition,
    has_precondition,
    item_failed,
    list_failed,
    parse_etags,
    require_precondition,
)

__all__ = ["ACCEPT_PATCH", "JSON_PATCH", "MERGE_PATCH", "Items"]



@dataclass
class _Item:
    data: Any
    body: bytes
    etag: str
    entry: bytes = b""  # this item's entry in /lab/state, encoded once when it is stored


class Items:
    """The items of one lab and the requests that read and change them.

    Parameters
    ----------
    lock
        The lab's lock: every read and write of the items happens under it.
    max_items
        How many items the store holds before answering 507.
    max_body_bytes
        The largest request content (and stored item) accepted.
    max_idempotency_keys
        How many Idempotency-Keys are remembered.
    """

    def __init__(
        self,
        lock: threading.RLock,
        *,
        max_items: int = 10_000,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_idempotency_keys: int = 10_000,
    ) -> None:
        self._lock = lock
        self.max_items = max_items
        self.max_body_bytes = max_body_bytes
        self.keys = IdempotencyKeys(lock, max_idempotency_keys)
        self.clear()

    def clear(self) -> None:
        """Delete every item, start the ids at 1 again and forget every Idempotency-Key."""
        with self._lock:
            self._items: dict[str, _Item] = {}
            self._next_id = 1
            self.keys.clear()

    def entries(self, prefix: str = "/lab") -> list[dict[str, Any]]:
        """Return every item as ``/lab/state`` lists it: id, href, etag and data."""
        with self._lock:
            return [copy.deepcopy(_entry(item_id, item, prefix)) for item_id, item in self._items.items()]

    def state_bytes(self) -> bytes:
        """Return ``canonical_json(self.entries())``, assembled from entries encoded when items were stored."""
        with self._lock:
            return b"[" + b", ".join(item.entry for item in self._items.values()) + b"]"

    def data_of(self, item_id: str) -> dict[str, Any] | None:
        """Return a copy of one item's data, or None when there is no such item."""
        with self._lock:
            item = self._items.get(item_id)
            return None if item is None else copy.deepcopy(item.data)

    def etag_of(self, item_id: str) -> str | None:
        """Return one item's current ETag, or None when there is no such item."""
        with self._lock:
            return _etag(self._items.get(item_id))

    def change_data(self, item_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Store ``change(data)`` as the item's new data (a flawed lab's hook); nothing when it is missing."""
        with self._lock:
            item = self._items.get(item_id)
            if item is not None:
                self._store_locked(item_id, change(copy.deepcopy(item.data)))

    # ------------------------------------------------------------------ /lab/items

    def collection(self, environ: WSGIEnviron) -> Reply:
        """Answer GET or HEAD (the list, conditional on its ETag) or POST (create an item)."""
        if environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            with self._lock:
                body, etag = self._listing_locked(environ)
            failure = failed_precondition(environ, etag)
            if failure is not None and failure[0] == 304:
                return Reply(304, {"ETag": etag})
            if failure is not None:
                raise list_failed(failure, etag, L_("GET the list again without it to see what changed."))
            return Reply(200, {"Content-Type": JSON, "ETag": etag}, body)
        return self._post(environ)

    def _listing_locked(self, environ: WSGIEnviron) -> tuple[bytes, str]:
        prefix = _prefix(environ)
        body = canonical_json([_entry(i, item, prefix) for i, item in self._items.items()])
        return body, etag_for(body)

    def _post(self, environ: WSGIEnviron) -> Reply:
        require_json(environ)
        body = read_body(environ, self.max_body_bytes)
        data = json_object(body)
        key = read_key(environ)
        for name in ("If-Match", "If-None-Match"):
            value = header(environ, name)
            if value is not None:
                # A malformed condition is 400 like a malformed body, even when a key would replay.
                parse_etags(value)

        def create() -> Reply:
            delay(environ)
            with self._lock:
                return self._create_locked(environ, data, body)

        if key is None:
            return create()
        return self.keys.once(key, ["POST", environ.get("PATH_INFO"), data], create)

    def _create_locked(self, environ: WSGIEnviron, data: dict[str, Any], body: bytes) -> Reply:
        if has_precondition(environ):
            # A condition on POST is about the list it appends to (RFC 9110 §13.1.1).
            _, etag = self._listing_locked(environ)
            failure = failed_precondition(environ, etag)
            if failure is not None:
                where = _prefix(environ) + "/items"
                next_step = L_("Nothing was created; GET {where} again, then decide.", where=where)
                raise list_failed(failure, etag, next_step)
        self._check_capacity()
        while str(self._next_id) in self._items:
            self._next_id += 1
        item_id = str(self._next_id)
        self._next_id += 1
        item = self._store_locked(item_id, data, body)
        location = f"{_prefix(environ)}/items/{item_id}"
        return Reply(
            201,
            {"Content-Type": JSON, "Location": location, "Content-Location": location, "ETag": item.etag},
            item.body,
        )

    # ------------------------------------------------------------------ /lab/items/<id>

    def item(self, environ: WSGIEnviron, item_id: str, *, precondition_required: bool = False) -> Reply:
        """Answer GET, HEAD, PUT, PATCH or DELETE on one item (428 without a condition when one is required)."""
        method = environ["REQUEST_METHOD"]
        valid_id = check_id(item_id)
        if not valid_id and method == "PUT":
            raise bad_id(item_id)
        if method in ("PUT", "PATCH", "DELETE") and precondition_required:
            require_precondition(environ, method)
        if method == "PUT":
            return self._put(environ, item_id)
        if method == "PATCH":
            return self._patch(environ, item_id)
        with self._lock:
            item = self._items.get(item_id) if valid_id else None
            if item is None:
                raise missing(_where(environ, item_id), method)
            status = evaluate_preconditions(environ, item.etag)
            if status == 412:
                raise item_failed(environ, _where(environ, item_id), item.etag)
            if method == "DELETE":
                del self._items[item_id]
                return Reply(204)
        if status == 304:
            return Reply(304, {"ETag": item.etag})
        return Reply(200, {"Content-Type": JSON, "ETag": item.etag}, item.body)

    def _put(self, environ: WSGIEnviron, item_id: str) -> Reply:
        # 415 and 413 come from the request's header fields alone, so they win over a
        # failed precondition (RFC 9110 §13.2.1); parsing the content comes after.
        require_json(environ)
        body = read_body(environ, self.max_body_bytes)
        where = _where(environ, item_id)
        with self._lock:
            check_item(environ, where, _etag(self._items.get(item_id)))
        data = json_object(body)
        delay(environ)
        with self._lock:
            current = self._items.get(item_id)
            # Evaluate again under the lock: another client may have written in between.
            check_item(environ, where, _etag(current))
            if current is None:
                self._check_capacity()
            # Stored exactly as sent, so the ETag below is the ETag of what was sent (RFC 9110 §9.3.4).
            item = self._store_locked(item_id, data, body)
        if current is None:
            return Reply(201, {"Content-Type": JSON, "Location": where, "ETag": item.etag}, item.body)
        return Reply(204, {"ETag": item.etag})

    def _patch(self, environ: WSGIEnviron, item_id: str) -> Reply:
        where = _where(environ, item_id)
        with self._lock:
            if item_id not in self._items:
                raise missing(where, "PATCH")
        # 415 and 413 come from the request's header fields alone, so they win over a
        # failed precondition (RFC 9110 §13.2.1); parsing the content comes after.
        kind = patch_media_type(environ)
        body = read_body(environ, self.max_body_bytes)
        with self._lock:
            current = self._items.get(item_id)
            if current is None:
                raise missing(where, "PATCH")
            check_item(environ, where, current.etag)
        patch = parse_json(body)
        delay(environ)
        with self._lock:
            current = self._items.get(item_id)
            if current is None:
                raise missing(where, "PATCH")
            check_item(environ, where, current.etag)
            try:
                if kind == MERGE_PATCH:
                    result = apply_merge_patch(current.data, patch)
                else:
                    result = apply_json_patch(current.data, patch)
            except (PatchError, PatchConflict) as error:
                raise patch_failed(error) from None
            if not isinstance(result, dict):
                raise HTTPProblem(
                    422,
                    L_(
                        "The patch would turn the item into {kind}, but the lab stores only JSON objects. "
                        "Nothing was changed.",
                        kind=json_kind(result),
                    ),
                )
            self._check_storable(result)
            if canonical_json(result) == canonical_json(current.data):
                # The patch changed nothing (a test-only JSON Patch, a merge patch setting the values
                # there already): the representation, and so its ETag, stay exactly as they were.
                item = current
            else:
                item = self._store_locked(item_id, result)
        return Reply(200, {"Content-Type": JSON, "ETag": item.etag}, item.body)

    # ------------------------------------------------------------------ the store

    def _check_capacity(self) -> None:
        if len(self._items) >= self.max_items:
            raise HTTPProblem(
                507,
                L_(
                    "The lab holds at most {limit:,} items. Delete some, or POST /lab/reset to start over.",
                    limit=number(self.max_items),
                ),
            )

    def _check_storable(self, data: dict[str, Any]) -> None:
        """Refuse a patched item the lab would not have accepted in a request body."""
        if _depth(data) > MAX_JSON_DEPTH:
            raise HTTPProblem(
                422,
                L_(
                    "The patched item would be nested more than {levels} levels deep, more than the lab "
                    "stores. Nothing was changed.",
                    levels=MAX_JSON_DEPTH,
                ),
            )
        size = len(canonical_json(data))
        if size > self.max_body_bytes:
            raise HTTPProblem(
                422,
                L_(
                    "The patched item would take {size:,} bytes, more than the {limit:,} the lab "
                    "stores. Nothing was changed.",
                    size=number(size),
                    limit=number(self.max_body_bytes),
                ),
            )

    def _store_locked(self, item_id: str, data: dict[str, Any], body: bytes | None = None) -> _Item:
        """Store *data* with *body* as its representation: the bytes a client sent, or else the lab's own JSON.

        POST and PUT keep the bytes exactly as sent, so a GET returns them and the ETag is theirs;
        a patch result has no such bytes and is serialised by :func:`canonical_json`.
        """
        body = canonical_json(data) if body is None else body
        item = _Item(data=data, body=body, etag=etag_for(body))
        item.entry = canonical_json(_entry(item_id, item))
        self._items[item_id] = item
        return item


def _entry(item_id: str, item: _Item, prefix: str = "/lab") -> dict[str, Any]:
    return {"id": item_id, "href": f"{prefix}/items/{item_id}", "etag": item.etag, "data": item.data}


def _etag(item: _Item | None) -> str | None:
    return None if item is None else item.etag


def _prefix(environ: WSGIEnviron) -> str:
    return str(environ.get("SCRIPT_NAME", "")).rstrip("/")


def _where(environ: WSGIEnviron, item_id: str) -> str:
    return f"{_prefix(environ)}/items/{item_id}"
