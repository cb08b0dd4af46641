"""What the items resource checks in a request before it touches the store, and the words of its refusals.

Each check raises :class:`~httplab.server._wsgi.HTTPProblem` with a detail a learner can act on,
late-translated so that every request reads it in its own language.
"""

from __future__ import annotations

import re
import time
from typing import Any

from httplab.http.faults import DELAY_HEADER, MAX_DELAY_SECONDS
from httplab.i18n import L_, LazyText
from httplab.server._wsgi import JSON, HTTPProblem, WSGIEnviron, header, media_type, parse_json
from httplab.server.patch import PatchConflict, PatchError, PatchTooLarge

__all__ = [
    "ACCEPT_PATCH",
    "JSON_PATCH",
    "MERGE_PATCH",
    "bad_id",
    "check_id",
    "delay",
    "json_kind",
    "json_object",
    "missing",
    "patch_failed",
    "patch_media_type",
    "require_json",
]

MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
ACCEPT_PATCH = f"{MERGE_PATCH}, {JSON_PATCH}"

_ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,63}")


def check_id(item_id: str) -> bool:
    """Tell whether *item_id* can name an item."""
    return _ITEM_ID.fullmatch(item_id) is not None


def bad_id(item_id: str) -> HTTPProblem:
    """Return the 400 for a PUT to a name that cannot be an item id."""
    return HTTPProblem(
        400,
        L_(
            "{id!r} cannot be an item id. An item id is 1 to 64 characters: letters, digits, '.', '_', '~' or '-', "
            "starting with a letter or digit.",
            id=item_id,
        ),
    )


def missing(where: str, method: str) -> HTTPProblem:
    """Return the 404 for *method* on the item at *where*, which does not exist."""
    if method == "DELETE":
        detail = L_(
            "No item at {where}. A 404 alone does not say who deleted it: if you sent a DELETE for it "
            "before, most likely that one did. Either way the item is gone, the state one DELETE leaves, "
            "so this 404 is no sign that the earlier DELETE failed.",
            where=where,
        )
    elif method == "PATCH":
        detail = L_(
            "No item at {where} to patch. PATCH changes an existing item; use PUT to create one at this URI.",
            where=where,
        )
    else:
        detail = L_("No item at {where}.", where=where)
    return HTTPProblem(404, detail)


def require_json(environ: WSGIEnviron) -> None:
    """Answer 415 unless the request's content is ``application/json``."""
    kind = media_type(environ)
    if kind == JSON:
        return
    if kind:
        detail = L_(
            "The lab's items are JSON, but this request's Content-Type is {media_type}. "
            "Send the body with Content-Type: {json}.",
            media_type=kind,
            json=JSON,
        )
    else:
        detail = L_(
            "The lab's items are JSON, but this request's Content-Type is missing. "
            "Send the body with Content-Type: {json}.",
            json=JSON,
        )
    raise HTTPProblem(415, detail)


def patch_media_type(environ: WSGIEnviron) -> str:
    """Return the media type of a PATCH request's patch document; 415 unless the lab knows it."""
    kind = media_type(environ)
    if kind in (MERGE_PATCH, JSON_PATCH):
        return kind
    if kind:
        detail = L_(
            "PATCH needs a patch document with its own media type, and this request has Content-Type: "
            "{media_type}. Send Content-Type: {merge} (a partial object) or {json_patch} (a list of "
            "operations).",
            media_type=kind,
            merge=MERGE_PATCH,
            json_patch=JSON_PATCH,
        )
    else:
        detail = L_(
            "PATCH needs a patch document with its own media type, and this request has no Content-Type. "
            "Send Content-Type: {merge} (a partial object) or {json_patch} (a list of operations).",
            merge=MERGE_PATCH,
            json_patch=JSON_PATCH,
        )
    raise HTTPProblem(415, detail, {"Accept-Patch": ACCEPT_PATCH})


def patch_failed(error: PatchError | PatchConflict) -> HTTPProblem:
    """Return the answer to a patch that cannot apply: 400 malformed, 422 too large, 409 a conflict."""
    if isinstance(error, PatchError):
        return HTTPProblem(
            400, L_("The JSON Patch is malformed: {problem} Nothing was changed.", problem=error.detail)
        )
    if isinstance(error, PatchTooLarge):
        return HTTPProblem(422, L_("The patch cannot be applied: {problem}", problem=error.detail))
    return HTTPProblem(
        409, L_("The patch cannot apply to the item as it is now: {problem}", problem=error.detail)
    )


def json_object(body: bytes) -> dict[str, Any]:
    """Parse *body* as the JSON object an item is; 400 for bad JSON, 422 for another JSON value."""
    value = parse_json(body)
    if not isinstance(value, dict):
        raise HTTPProblem(
            422,
            L_(
                "An item is a JSON object like {example}; this body is {kind}.",
                example='{"name": "apple"}',
                kind=json_kind(value),
            ),
        )
    return value


def json_kind(value: Any) -> LazyText:
    """Name the kind of a JSON value that is not an object, with its article ("a JSON array")."""
    if isinstance(value, list):
        return L_("a JSON array")
    if isinstance(value, str):
        return L_("a JSON string")
    if isinstance(value, bool):
        return L_("a JSON boolean")
    if value is None:
        return L_("a JSON null")
    return L_("a JSON number")


def delay(environ: WSGIEnviron) -> None:
    """Honour ``X-Lab-Delay: <seconds>``, which makes the server slow on purpose."""
    raw = header(environ, DELAY_HEADER)
    if raw is None:
        return
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_DELAY_SECONDS:
        raise HTTPProblem(
            400,
            L_(
                "{header} must be a number of seconds from 0 to {limit:g}.",
                header=DELAY_HEADER,
                limit=MAX_DELAY_SECONDS,
            ),
        )
    time.sleep(seconds)
