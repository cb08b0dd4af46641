"""The lab's stateful resource API: items you can create, replace, patch and delete.

Mounted under ``/lab`` by the server. Every rule follows RFC 9110 (methods, status codes,
preconditions), RFC 5789 (PATCH), RFC 7396 (merge patch), RFC 6902 (JSON Patch), RFC 6585
(428) and the IETF draft for ``Idempotency-Key``. The store lives in memory behind one lock;
nothing is global, so every :func:`create_resource_app` call gives a fresh, independent lab.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from httplab.http.faults import DELAY_HEADER, MAX_DELAY_SECONDS
from httplab.server._wsgi import (
    JSON,
    KNOWN_METHODS,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    HTTPProblem,
    Reply,
    ReplyApp,
    WSGIEnviron,
    _depth,
    canonical_json,
    etag_for,
    evaluate_preconditions,
    failed_precondition,
    header,
    media_type,
    parse_etags,
    parse_json,
    path_info,
    read_body,
)
from httplab.server.openapi import openapi_document
from httplab.server.patch import PatchConflict, PatchError, PatchTooLarge, apply_json_patch, apply_merge_patch

__all__ = ["LabSettings", "ResourceApp", "create_resource_app"]

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
ACCEPT_PATCH = f"{MERGE_PATCH}, {JSON_PATCH}"

_ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,63}")
_ID_RULE = (
    "An item id is 1 to 64 characters: letters, digits, '.', '_', '~' or '-', "
    "starting with a letter or digit."
)
_MAX_METHOD_NAMES = 32
_MAX_METHOD_NAME = 20
_OTHER_METHODS = "(other)"

Handler = Callable[[WSGIEnviron, list[str]], Reply]


@dataclass(frozen=True)
class LabSettings:
    """Switches a teacher can flip at run time through ``PATCH /lab/settings``.

    Attributes
    ----------
    require_precondition
        When true, PUT, PATCH and DELETE on an item without ``If-Match`` or
        ``If-None-Match`` get 428 Precondition Required (RFC 6585 §3).

    """

    require_precondition: bool = False


@dataclass
class _Item:
    data: Any
    body: bytes
    etag: str
    entry: bytes = b""  # this item's entry in /lab/state, encoded once when it is stored


@dataclass
class _KeyRecord:
    fingerprint: str
    reply: Reply | None = None  # None while the first request is still being processed


class ResourceApp(ReplyApp):
    """A WSGI application holding the lab's items; build it with :func:`create_resource_app`."""

    def __init__(
        self,
        *,
        settings: LabSettings | None = None,
        max_items: int = 10_000,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_idempotency_keys: int = 10_000,
    ) -> None:
        self._initial_settings = settings or LabSettings()
        self.max_items = max_items
        self.max_body_bytes = max_body_bytes
        self.max_idempotency_keys = max_idempotency_keys
        self._lock = threading.RLock()
        self._sections: dict[str, tuple[Callable[[], Any], Callable[[], None]]] = {}
        self._reset_locked()
        self._routes: dict[str, tuple[tuple[str, ...], Handler]] = {
            "": (("GET", "HEAD", "OPTIONS"), self._index),
            "items": (("GET", "HEAD", "POST", "OPTIONS"), self._collection),
            "items/*": (("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"), self._item),
            "state": (("GET", "HEAD", "OPTIONS"), self._state),
            "reset": (("POST", "OPTIONS"), self._reset),
            "settings": (("GET", "HEAD", "PATCH", "OPTIONS"), self._settings_route),
            "openapi.json": (("GET", "HEAD", "OPTIONS"), self._openapi),
        }

    # ------------------------------------------------------------------ public helpers

    @property
    def settings(self) -> LabSettings:
        """The settings in force now."""
        return self._settings

    def add_section(self, name: str, snapshot: Callable[[], Any], reset: Callable[[], None]) -> None:
        """Let another resource (such as files) appear in ``/lab/state`` and be emptied by ``/lab/reset``."""
        self._sections[name] = (snapshot, reset)

    def snapshot(self) -> dict[str, Any]:
        """Return the state a learner inspects: items, request counts per method, settings."""
        with self._lock:
            state: dict[str, Any] = {
                "items": [copy.deepcopy(self._entry(item_id, item)) for item_id, item in self._items.items()],
                "requests": dict(sorted(self._counts.items())),
                "settings": {"require_precondition": self._settings.require_precondition},
            }
        for name, (section, _) in self._sections.items():
            state[name] = section()
        return state

    def reset(self) -> None:
        """Empty the store (and every added section) and restore the settings the lab started with."""
        with self._lock:
            self._reset_locked()
        for _, reset in self._sections.values():
            reset()

    def count_request(self, method: str) -> None:
        """Count one request to a resource route, for the per-method counts in the snapshot.

        Unrecognised method names are counted by name too, up to a few; beyond that (or when
        a name is long) they share one count, so that made-up names cannot fill the memory.
        """
        with self._lock:
            if method not in KNOWN_METHODS and method not in self._counts and (
                len(method) > _MAX_METHOD_NAME or len(self._counts) >= _MAX_METHOD_NAMES
            ):
                method = _OTHER_METHODS
            self._counts[method] += 1

    def _reset_locked(self) -> None:
        self._items: dict[str, _Item] = {}
        self._next_id = 1
        self._counts: Counter[str] = Counter()
        self._keys: OrderedDict[str, _KeyRecord] = OrderedDict()
        self._settings = self._initial_settings

    # ------------------------------------------------------------------ WSGI

    def _dispatch(self, environ: WSGIEnviron) -> Reply:
        method = environ["REQUEST_METHOD"]
        path = path_info(environ).strip("/")
        parts = path.split("/") if path else []
        if len(parts) == 2 and parts[0] == "items":
            route, args = "items/*", [parts[1]]
        else:
            route, args = path, []
        if route not in self._routes:
            raise HTTPProblem(404, f"There is nothing at {self._prefix(environ)}/{path}. {self._route_hint(environ)}")
        allowed, handler = self._routes[route]
        if route.startswith("items"):
            self.count_request(method)
        if method not in allowed:
            if method in KNOWN_METHODS:
                raise HTTPProblem(
                    405,
                    f"{method} is a known method, but this resource does not support it. "
                    f"The Allow header lists what it does support: {', '.join(allowed)}.",
                    {"Allow": ", ".join(allowed)},
                )
            raise HTTPProblem(
                501,
                f"The lab does not recognise the method {method!r}: it is not one HTTP defines "
                f"(method names are case-sensitive). This resource supports: {', '.join(allowed)}.",
            )
        if method == "OPTIONS":
            headers = {"Allow": ", ".join(allowed)}
            if "PATCH" in allowed:
                headers["Accept-Patch"] = ACCEPT_PATCH if route == "items/*" else MERGE_PATCH
            return Reply(204, headers)
        return handler(environ, args)

    @staticmethod
    def _prefix(environ: WSGIEnviron) -> str:
        return str(environ.get("SCRIPT_NAME", "")).rstrip("/")

    def _route_hint(self, environ: WSGIEnviron) -> str:
        prefix = self._prefix(environ)
        return f"Try {prefix}/items, {prefix}/items/<id>, {prefix}/state or {prefix}/reset."

    def _entry(self, item_id: str, item: _Item, prefix: str = "/lab") -> dict[str, Any]:
        return {"id": item_id, "href": f"{prefix}/items/{item_id}", "etag": item.etag, "data": item.data}

    # ------------------------------------------------------------------ routes

    def _index(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        prefix = self._prefix(environ)
        return Reply.json(
            200,
            {
                "about": "httplab's stateful resource API. Repeat a request and watch what happens to the state.",
                "routes": {
                    f"{prefix}/items": "GET the list, POST a JSON object to create an item",
                    f"{prefix}/items/<id>": "GET, PUT (replace or create), PATCH, DELETE one item",
                    f"{prefix}/state": "GET a snapshot of every item and the request counts",
                    f"{prefix}/reset": "POST to empty the store",
                    f"{prefix}/settings": "GET or PATCH the lab's switches",
                    f"{prefix}/files": "GET the list of files, POST a multipart form to upload",
                    f"{prefix}/openapi.json": "GET the OpenAPI 3.1 description of these routes",
                },
            },
        )

    def _collection(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        if environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            with self._lock:
                body, etag = self._listing_locked(environ)
            failure = failed_precondition(environ, etag)
            if failure is not None and failure[0] == 304:
                return Reply(304, {"ETag": etag})
            if failure is not None:
                raise HTTPProblem(
                    412,
                    f"The precondition failed: {failure[1]} does not hold for the list, whose current ETag "
                    f"is {etag}. GET the list again without it to see what changed.",
                    {"ETag": etag},
                )
            return Reply(200, {"Content-Type": JSON, "ETag": etag}, body)
        return self._post(environ)

    def _listing_locked(self, environ: WSGIEnviron) -> tuple[bytes, str]:
        prefix = self._prefix(environ)
        body = canonical_json([self._entry(i, item, prefix) for i, item in self._items.items()])
        return body, etag_for(body)

    def _post(self, environ: WSGIEnviron) -> Reply:
        self._require_media_type(environ)
        body = read_body(environ, self.max_body_bytes)
        data = self._json_object(body)
        key = self._idempotency_key(environ)
        for name in ("If-Match", "If-None-Match"):
            value = header(environ, name)
            if value is not None:
                # A malformed condition is 400 like a malformed body, even when a key would replay.
                parse_etags(value)
        if key is None:
            self._delay(environ)
            with self._lock:
                return self._create_locked(environ, data, body)
        fingerprint = hashlib.sha256(canonical_json(["POST", environ.get("PATH_INFO"), data])).hexdigest()
        with self._lock:
            record = self._keys.get(key)
            if record is not None:
                return self._replay(record, fingerprint, key)
            record = self._keys[key] = _KeyRecord(fingerprint)
            while len(self._keys) > self.max_idempotency_keys:
                self._keys.popitem(last=False)
        try:
            self._delay(environ)
            with self._lock:
                reply = self._create_locked(environ, data, body)
        except BaseException:
            with self._lock:
                if self._keys.get(key) is record:
                    del self._keys[key]
            raise
        with self._lock:
            # A reset while this request ran forgot every key; do not bring this one back.
            if self._keys.get(key) is record:
                record.reply = reply
        return reply

    def _replay(self, record: _KeyRecord, fingerprint: str, key: str) -> Reply:
        if record.fingerprint != fingerprint:
            raise HTTPProblem(
                422,
                f"The Idempotency-Key {key!r} was already used for a different request. "
                "Use a new key for a new request; reuse a key only to retry the very same request.",
            )
        if record.reply is None:
            raise HTTPProblem(
                409,
                f"A request with the Idempotency-Key {key!r} is still being processed. "
                "Wait for it to finish, then retry with the same key to get its response.",
            )
        headers = {**record.reply.headers, "Idempotent-Replayed": "true"}
        return replace(record.reply, headers=headers)

    def _create_locked(self, environ: WSGIEnviron, data: dict[str, Any], body: bytes) -> Reply:
        if header(environ, "If-Match") is not None or header(environ, "If-None-Match") is not None:
            # A condition on POST is about the list it appends to (RFC 9110 §13.1.1).
            _, etag = self._listing_locked(environ)
            failure = failed_precondition(environ, etag)
            if failure is not None:
                raise HTTPProblem(
                    412,
                    f"The precondition failed: {failure[1]} does not hold for the list, whose current ETag is "
                    f"{etag}. Nothing was created; GET {self._prefix(environ)}/items again, then decide.",
                    {"ETag": etag},
                )
        self._check_capacity()
        while str(self._next_id) in self._items:
            self._next_id += 1
        item_id = str(self._next_id)
        self._next_id += 1
        item = self._store_locked(item_id, data, body)
        location = f"{self._prefix(environ)}/items/{item_id}"
        return Reply(
            201,
            {"Content-Type": JSON, "Location": location, "Content-Location": location, "ETag": item.etag},
            item.body,
        )

    def _item(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        method = environ["REQUEST_METHOD"]
        item_id = args[0]
        valid_id = _ITEM_ID.fullmatch(item_id) is not None
        if not valid_id and method == "PUT":
            raise HTTPProblem(400, f"{item_id!r} cannot be an item id. {_ID_RULE}")
        if method in ("PUT", "PATCH", "DELETE") and self._settings.require_precondition:
            if header(environ, "If-Match") is None and header(environ, "If-None-Match") is None:
                raise HTTPProblem(
                    428,
                    f"This lab requires a precondition for {method} (RFC 6585 §3): send If-Match with the ETag "
                    "you last saw (or If-None-Match: * to create only if absent). That protects you from lost "
                    "updates.",
                )
        if method == "PUT":
            return self._put(environ, item_id)
        if method == "PATCH":
            return self._patch(environ, item_id)
        with self._lock:
            item = self._items.get(item_id) if valid_id else None
            if item is None:
                raise HTTPProblem(404, self._missing(environ, item_id, method))
            status = evaluate_preconditions(environ, item.etag)
            if status == 412:
                raise self._precondition_failed(environ, item_id, item)
            if method == "DELETE":
                del self._items[item_id]
                return Reply(204)
        if status == 304:
            return Reply(304, {"ETag": item.etag})
        return Reply(200, {"Content-Type": JSON, "ETag": item.etag}, item.body)

    def _put(self, environ: WSGIEnviron, item_id: str) -> Reply:
        # 415 and 413 come from the request's header fields alone, so they win over a
        # failed precondition (RFC 9110 §13.2.1); parsing the content comes after.
        self._require_media_type(environ)
        body = read_body(environ, self.max_body_bytes)
        with self._lock:
            self._check_preconditions(environ, item_id, self._items.get(item_id))
        data = self._json_object(body)
        self._delay(environ)
        with self._lock:
            current = self._items.get(item_id)
            # Evaluate again under the lock: another client may have written in between.
            self._check_preconditions(environ, item_id, current)
            if current is None:
                self._check_capacity()
            # Stored exactly as sent, so the ETag below is the ETag of what was sent (RFC 9110 §9.3.4).
            item = self._store_locked(item_id, data, body)
        if current is None:
            location = f"{self._prefix(environ)}/items/{item_id}"
            return Reply(201, {"Content-Type": JSON, "Location": location, "ETag": item.etag}, item.body)
        return Reply(204, {"ETag": item.etag})

    def _patch(self, environ: WSGIEnviron, item_id: str) -> Reply:
        with self._lock:
            if item_id not in self._items:
                raise HTTPProblem(404, self._missing(environ, item_id, "PATCH"))
        # 415 and 413 come from the request's header fields alone, so they win over a
        # failed precondition (RFC 9110 §13.2.1); parsing the content comes after.
        kind = media_type(environ)
        if kind not in (MERGE_PATCH, JSON_PATCH):
            shown = f"Content-Type: {kind}" if kind else "no Content-Type"
            raise HTTPProblem(
                415,
                f"PATCH needs a patch document with its own media type, and this request has {shown}. "
                f"Send Content-Type: {MERGE_PATCH} (a partial object) or {JSON_PATCH} (a list of operations).",
                {"Accept-Patch": ACCEPT_PATCH},
            )
        body = read_body(environ, self.max_body_bytes)
        with self._lock:
            current = self._items.get(item_id)
            if current is None:
                raise HTTPProblem(404, self._missing(environ, item_id, "PATCH"))
            self._check_preconditions(environ, item_id, current)
        patch = parse_json(body)
        self._delay(environ)
        with self._lock:
            current = self._items.get(item_id)
            if current is None:
                raise HTTPProblem(404, self._missing(environ, item_id, "PATCH"))
            self._check_preconditions(environ, item_id, current)
            try:
                if kind == MERGE_PATCH:
                    result = apply_merge_patch(current.data, patch)
                else:
                    result = apply_json_patch(current.data, patch)
            except PatchError as error:
                raise HTTPProblem(400, f"The JSON Patch is malformed: {error} Nothing was changed.") from None
            except PatchTooLarge as error:
                raise HTTPProblem(422, f"The patch cannot be applied: {error}") from None
            except PatchConflict as error:
                raise HTTPProblem(409, f"The patch cannot apply to the item as it is now: {error}") from None
            if not isinstance(result, dict):
                raise HTTPProblem(
                    422,
                    f"The patch would turn the item into a JSON {_json_kind(result)}, but the lab stores only "
                    "JSON objects. Nothing was changed.",
                )
            self._check_storable(result)
            if canonical_json(result) == canonical_json(current.data):
                # The patch changed nothing (a test-only JSON Patch, a merge patch setting the values
                # there already): the representation, and so its ETag, stay exactly as they were.
                item = current
            else:
                item = self._store_locked(item_id, result)
        return Reply(200, {"Content-Type": JSON, "ETag": item.etag}, item.body)

    def _state(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        return Reply(200, {"Content-Type": JSON, "Cache-Control": "no-store"}, self.state_body())

    def state_body(self) -> bytes:
        """Return ``canonical_json(self.snapshot())``, assembled from entries encoded when items were stored.

        Experiments read the state after every call, so this stays linear in the number of
        items with a small constant: no copying and no re-encoding of stored documents.
        """
        with self._lock:
            parts = {
                "items": b"[" + b", ".join(item.entry for item in self._items.values()) + b"]",
                "requests": canonical_json(dict(sorted(self._counts.items()))),
                "settings": canonical_json({"require_precondition": self._settings.require_precondition}),
            }
        for name, (section, _) in self._sections.items():
            parts[name] = canonical_json(section())
        return b"{" + b", ".join(canonical_json(key) + b": " + parts[key] for key in sorted(parts)) + b"}"

    def _openapi(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        return Reply.json(200, openapi_document(self._prefix(environ)))

    def _reset(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        self.reset()
        return Reply(204)

    def _settings_route(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        if environ["REQUEST_METHOD"] == "PATCH":
            if media_type(environ) not in (MERGE_PATCH, JSON):
                raise HTTPProblem(
                    415,
                    f"Send the new settings as {MERGE_PATCH}, for example {{\"require_precondition\": true}}.",
                    {"Accept-Patch": MERGE_PATCH},
                )
            patch = parse_json(read_body(environ, self.max_body_bytes))
            known = {"require_precondition"}
            if not isinstance(patch, dict) or not set(patch) <= known:
                raise HTTPProblem(422, f"Settings are a JSON object with these members: {', '.join(sorted(known))}.")
            value = patch.get("require_precondition", self._settings.require_precondition)
            if value is None:
                # In a merge patch, null removes a member: back to the value the lab started with.
                value = self._initial_settings.require_precondition
            if not isinstance(value, bool):
                raise HTTPProblem(422, "require_precondition must be true or false.")
            with self._lock:
                self._settings = LabSettings(require_precondition=value)
        return Reply.json(200, {"require_precondition": self._settings.require_precondition})

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _require_media_type(environ: WSGIEnviron) -> None:
        kind = media_type(environ)
        if kind != JSON:
            raise HTTPProblem(
                415,
                f"The lab's items are JSON, but this request's Content-Type is {kind or 'missing'}. "
                f"Send the body with Content-Type: {JSON}.",
            )

    @staticmethod
    def _json_object(body: bytes) -> dict[str, Any]:
        value = parse_json(body)
        if not isinstance(value, dict):
            raise HTTPProblem(
                422, f"An item is a JSON object like {{\"name\": \"apple\"}}; this body is a JSON {_json_kind(value)}."
            )
        return value

    def _idempotency_key(self, environ: WSGIEnviron) -> str | None:
        raw = header(environ, "Idempotency-Key")
        if raw is None:
            return None
        key = raw.strip()
        if len(key) >= 2 and key[0] == key[-1] == '"':
            key = key[1:-1]
        if not key or len(key) > 255:
            raise HTTPProblem(400, "An Idempotency-Key must be 1 to 255 characters, for example a random UUID.")
        return key

    def _delay(self, environ: WSGIEnviron) -> None:
        """Honour ``X-Lab-Delay: <seconds>``, which makes the server slow on purpose."""
        raw = header(environ, DELAY_HEADER)
        if raw is None:
            return
        try:
            seconds = float(raw)
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds <= MAX_DELAY_SECONDS:
            raise HTTPProblem(400, f"{DELAY_HEADER} must be a number of seconds from 0 to {MAX_DELAY_SECONDS:g}.")
        time.sleep(seconds)

    def _check_capacity(self) -> None:
        if len(self._items) >= self.max_items:
            raise HTTPProblem(
                507,
                f"The lab holds at most {self.max_items:,} items. Delete some, or POST /lab/reset to start over.",
            )

    def _check_storable(self, data: dict[str, Any]) -> None:
        """Refuse a patched item the lab would not have accepted in a request body."""
        if _depth(data) > MAX_JSON_DEPTH:
            raise HTTPProblem(
                422,
                f"The patched item would be nested more than {MAX_JSON_DEPTH} levels deep, more than the lab "
                "stores. Nothing was changed.",
            )
        size = len(canonical_json(data))
        if size > self.max_body_bytes:
            raise HTTPProblem(
                422,
                f"The patched item would take {size:,} bytes, more than the {self.max_body_bytes:,} the lab "
                "stores. Nothing was changed.",
            )

    def _store_locked(self, item_id: str, data: dict[str, Any], body: bytes | None = None) -> _Item:
        """Store *data* with *body* as its representation: the bytes a client sent, or else the lab's own JSON.

        POST and PUT keep the bytes exactly as sent, so a GET returns them and the ETag is theirs;
        a patch result has no such bytes and is serialised by :func:`canonical_json`.
        """
        body = canonical_json(data) if body is None else body
        item = _Item(data=data, body=body, etag=etag_for(body))
        item.entry = canonical_json(self._entry(item_id, item))
        self._items[item_id] = item
        return item

    def _check_preconditions(self, environ: WSGIEnviron, item_id: str, current: _Item | None) -> None:
        if evaluate_preconditions(environ, current.etag if current else None) == 412:
            raise self._precondition_failed(environ, item_id, current)

    def _precondition_failed(self, environ: WSGIEnviron, item_id: str, current: _Item | None) -> HTTPProblem:
        where = f"{self._prefix(environ)}/items/{item_id}"
        if current is None:
            return HTTPProblem(
                412,
                f"The precondition failed: If-Match asks for an existing item, but there is no item at {where}. "
                "Nothing was changed. To create it, send PUT without If-Match (or with If-None-Match: *).",
            )
        failure = failed_precondition(environ, current.etag)
        if failure is not None and failure[1] == "If-None-Match":
            sent = header(environ, "If-None-Match") or ""
            why = (
                "If-None-Match: * means 'only if there is no item yet', and the item already exists"
                if sent.strip() == "*"
                else "If-None-Match lists the item's current ETag"
            )
            return HTTPProblem(
                412,
                f"The precondition failed: {why} (ETag {current.etag}). Nothing was changed.",
                {"ETag": current.etag},
            )
        sent = header(environ, "If-Match") or ""
        weak = " If-Match compares strongly, so a weak tag (W/...) never matches." if "W/" in sent else ""
        return HTTPProblem(
            412,
            f"The precondition failed: If-Match sent {sent.strip()}, but the item's current ETag is {current.etag}."
            f"{weak} The item changed since you read it: a 412 does not say whose write changed it (another "
            "client's, or an earlier attempt of yours whose response you never saw). Nothing was changed. "
            "GET it again, apply your change to what you get, and send its ETag.",
            {"ETag": current.etag},
        )

    def _missing(self, environ: WSGIEnviron, item_id: str, method: str) -> str:
        where = f"{self._prefix(environ)}/items/{item_id}"
        if method == "DELETE":
            return (
                f"No item at {where}. A 404 alone does not say who deleted it: if you sent a DELETE for it "
                "before, most likely that one did. Either way the item is gone, the state one DELETE leaves, "
                "so this 404 is no sign that the earlier DELETE failed."
            )
        if method == "PATCH":
            return f"No item at {where} to patch. PATCH changes an existing item; use PUT to create one at this URI."
        return f"No item at {where}."


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def create_resource_app(
    *,
    require_precondition: bool = False,
    max_items: int = 10_000,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> ResourceApp:
    """Build a fresh resource application with its own empty store.

    >>> app = create_resource_app()
    >>> app.snapshot()["items"]
    []
    """
    return ResourceApp(
        settings=LabSettings(require_precondition=require_precondition),
        max_items=max_items,
        max_body_bytes=max_body_bytes,
    )
