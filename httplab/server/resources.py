"""The lab's stateful resource API under ``/lab``: the items, the state, the settings, a reset.

Mounted under ``/lab`` by the server. Every rule follows RFC 9110 (methods, status codes,
preconditions), RFC 5789 (PATCH), RFC 7396 (merge patch), RFC 6902 (JSON Patch), RFC 6585
(428) and the IETF draft for ``Idempotency-Key``. The store lives in memory behind one lock;
nothing is global, so every :func:`create_resource_app` call gives a fresh, independent lab.
This module routes the requests and keeps the state a learner inspects; the items themselves
are :mod:`httplab.server.items`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from httplab.i18n import L_, LazyText
from httplab.server._wsgi import (
    JSON,
    KNOWN_METHODS,
    MAX_BODY_BYTES,
    HTTPProblem,
    Reply,
    ReplyApp,
    WSGIEnviron,
    canonical_json,
    media_type,
    parse_json,
    path_info,
    read_body,
)
from httplab.server.items import ACCEPT_PATCH, MERGE_PATCH, Items
from httplab.server.openapi import openapi_document

__all__ = ["LabSettings", "ResourceApp", "create_resource_app"]

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
        #: What ``/lab/state`` says of planted flaws: None for a faithful lab, their ids, or "hidden".
        self.flaws_shown: list[str] | str | None = None
        self.max_body_bytes = max_body_bytes
        self._lock = threading.RLock()
        self.items = Items(
            self._lock, max_items=max_items, max_body_bytes=max_body_bytes, max_idempotency_keys=max_idempotency_keys
        )
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

    @property
    def max_items(self) -> int:
        """How many items the store holds before answering 507."""
        return self.items.max_items

    def add_section(self, name: str, snapshot: Callable[[], Any], reset: Callable[[], None]) -> None:
        """Let another resource (such as files) appear in ``/lab/state`` and be emptied by ``/lab/reset``."""
        self._sections[name] = (snapshot, reset)

    def snapshot(self) -> dict[str, Any]:
        """Return the state a learner inspects: items, request counts per method, settings."""
        with self._lock:
            state: dict[str, Any] = {
                "items": self.items.entries(),
                "requests": dict(sorted(self._counts.items())),
                "settings": self._settings_view(),
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

    def _settings_view(self) -> dict[str, Any]:
        view: dict[str, Any] = {"require_precondition": self._settings.require_precondition}
        if self.flaws_shown is not None:
            view["flaws"] = self.flaws_shown
        return view

    def _reset_locked(self) -> None:
        self.items.clear()
        self._counts: Counter[str] = Counter()
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
            where = self._prefix(environ) + "/" + path
            hint = self._route_hint(environ)
            raise HTTPProblem(404, L_("There is nothing at {where}. {hint}", where=where, hint=hint))
        allowed, handler = self._routes[route]
        if route.startswith("items"):
            self.count_request(method)
        if method not in allowed:
            if method in KNOWN_METHODS:
                raise HTTPProblem(
                    405,
                    L_(
                        "{method} is a known method, but this resource does not support it. "
                        "The Allow header lists what it does support: {allowed}.",
                        method=method,
                        allowed=", ".join(allowed),
                    ),
                    {"Allow": ", ".join(allowed)},
                )
            raise HTTPProblem(
                501,
                L_(
                    "The lab does not recognise the method {method!r}: it is not one HTTP defines "
                    "(method names are case-sensitive). This resource supports: {allowed}.",
                    method=method,
                    allowed=", ".join(allowed),
                ),
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

    def _route_hint(self, environ: WSGIEnviron) -> LazyText:
        return L_(
            "Try {prefix}/items, {prefix}/items/<id>, {prefix}/state or {prefix}/reset.", prefix=self._prefix(environ)
        )

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
        return self.items.collection(environ)

    def _item(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        return self.items.item(environ, args[0], precondition_required=self._settings.require_precondition)

    def _state(self, environ: WSGIEnviron, args: list[str]) -> Reply:
        return Reply(200, {"Content-Type": JSON, "Cache-Control": "no-store"}, self.state_body())

    def state_body(self) -> bytes:
        """Return ``canonical_json(self.snapshot())``, assembled from entries encoded when items were stored.

        Experiments read the state after every call, so this stays linear in the number of
        items with a small constant: no copying and no re-encoding of stored documents.
        """
        with self._lock:
            parts = {
                "items": self.items.state_bytes(),
                "requests": canonical_json(dict(sorted(self._counts.items()))),
                "settings": canonical_json(self._settings_view()),
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
                    L_(
                        "Send the new settings as {media_type}, for example {example}.",
                        media_type=MERGE_PATCH,
                        example='{"require_precondition": true}',
                    ),
                    {"Accept-Patch": MERGE_PATCH},
                )
            patch = parse_json(read_body(environ, self.max_body_bytes))
            known = {"require_precondition"}
            if not isinstance(patch, dict) or not set(patch) <= known:
                members = ", ".join(sorted(known))
                raise HTTPProblem(422, L_("Settings are a JSON object with these members: {members}.", members=members))
            value = patch.get("require_precondition", self._settings.require_precondition)
            if value is None:
                # In a merge patch, null removes a member: back to the value the lab started with.
                value = self._initial_settings.require_precondition
            if not isinstance(value, bool):
                raise HTTPProblem(422, L_("require_precondition must be true or false."))
            with self._lock:
                self._settings = LabSettings(require_precondition=value)
        return Reply.json(200, {"require_precondition": self._settings.require_precondition})


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
