"""Conditional requests at the origin server: If-Match, If-None-Match (RFC 9110 §13) and 428 (RFC 6585 §3).

The lab's items and files carry strong entity tags and no Last-Modified, so If-Unmodified-Since
and If-Modified-Since are ignored (RFC 9110 §13.1.3, §13.1.4). A failed condition changes
nothing, and its message says what failed and what to do next.
"""

from __future__ import annotations

from httplab.i18n import L_
from httplab.server._language import Detail
from httplab.server._wsgi import HTTPProblem, WSGIEnviron, header

__all__ = [
    "check_item",
    "evaluate_preconditions",
    "failed_precondition",
    "has_precondition",
    "item_failed",
    "list_failed",
    "parse_etags",
    "require_precondition",
]


def parse_etags(value: str) -> list[str] | None:
    """Split an If-Match / If-None-Match value into entity tags; None means ``*``."""
    if value.strip() == "*":
        return None
    tags: list[str] = []
    rest = value
    while rest.strip():
        rest = rest.strip().lstrip(",").strip()
        if not rest:
            break
        weak = rest.startswith("W/")
        if weak:
            rest = rest[2:]
        if not rest.startswith('"') or '"' not in rest[1:]:
            raise HTTPProblem(
                400,
                L_(
                    "{value!r} is not a list of entity tags. Entity tags are quoted, like {example} (RFC 9110 §8.8.3).",
                    value=value,
                    example='"abc"',
                ),
            )
        end = rest.index('"', 1)
        tags.append(("W/" if weak else "") + rest[: end + 1])
        rest = rest[end + 1 :]
    if not tags:
        raise HTTPProblem(
            400,
            L_(
                "An If-Match or If-None-Match header is empty. Send an ETag such as {example}, or *, or leave it out.",
                example='"abc"',
            ),
        )
    return tags


def evaluate_preconditions(environ: WSGIEnviron, current_etag: str | None) -> int | None:
    """Evaluate If-Match then If-None-Match in RFC 9110 §13.2.2 order.

    Returns 412 or 304 when a condition fails, None when the request may proceed.
    ``current_etag`` is None when the target has no current representation. The lab
    sends no Last-Modified, so If-Unmodified-Since and If-Modified-Since are ignored
    (RFC 9110 §13.1.3, §13.1.4).
    """
    failure = failed_precondition(environ, current_etag)
    return None if failure is None else failure[0]


def failed_precondition(environ: WSGIEnviron, current_etag: str | None) -> tuple[int, str] | None:
    """Return ``(status, header name)`` for the first condition that fails, or None.

    If-Match uses the strong comparison, so a weak tag never matches (RFC 9110 §13.1.1);
    If-None-Match uses the weak comparison (§13.1.2).
    """
    method = environ["REQUEST_METHOD"]
    if_match = header(environ, "If-Match")
    if if_match is not None:
        tags = parse_etags(if_match)
        if current_etag is None or (tags is not None and not _strong_match(current_etag, tags)):
            return 412, "If-Match"
    if_none_match = header(environ, "If-None-Match")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        if current_etag is not None and (tags is None or _weak_match(current_etag, tags)):
            return (304 if method in ("GET", "HEAD") else 412), "If-None-Match"
    return None


def _strong_match(etag: str, tags: list[str]) -> bool:
    return not etag.startswith("W/") and etag in tags


def _weak_match(etag: str, tags: list[str]) -> bool:
    bare = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == bare for tag in tags)


def has_precondition(environ: WSGIEnviron) -> bool:
    """Tell whether the request carries If-Match or If-None-Match."""
    return header(environ, "If-Match") is not None or header(environ, "If-None-Match") is not None


def require_precondition(environ: WSGIEnviron, method: str) -> None:
    """Answer 428 to a write that carries no precondition, when the lab demands one (RFC 6585 §3)."""
    if not has_precondition(environ):
        raise HTTPProblem(
            428,
            L_(
                "This lab requires a precondition for {method} (RFC 6585 §3): send If-Match with the ETag "
                "you last saw (or If-None-Match: * to create only if absent). That protects you from lost "
                "updates.",
                method=method,
            ),
        )


def list_failed(failure: tuple[int, str], etag: str, next_step: Detail) -> HTTPProblem:
    """Return the 412 for a condition on a list, whose current ETag is *etag*; *next_step* says what to do."""
    return HTTPProblem(
        412,
        L_(
            "The precondition failed: {condition} does not hold for the list, whose current ETag is {etag}. "
            "{next_step}",
            condition=failure[1],
            etag=etag,
            next_step=next_step,
        ),
        {"ETag": etag},
    )


def check_item(environ: WSGIEnviron, where: str, current_etag: str | None) -> None:
    """Raise the 412 :func:`item_failed` explains when a condition on the item at *where* is false."""
    if evaluate_preconditions(environ, current_etag) == 412:
        raise item_failed(environ, where, current_etag)


def item_failed(environ: WSGIEnviron, where: str, current_etag: str | None) -> HTTPProblem:
    """Return the 412 for a false condition on the item at *where*, saying which one and why."""
    if current_etag is None:
        return HTTPProblem(
            412,
            L_(
                "The precondition failed: If-Match asks for an existing item, but there is no item at {where}. "
                "Nothing was changed. To create it, send PUT without If-Match (or with If-None-Match: *).",
                where=where,
            ),
        )
    failure = failed_precondition(environ, current_etag)
    if failure is not None and failure[1] == "If-None-Match":
        sent = header(environ, "If-None-Match") or ""
        if sent.strip() == "*":
            detail = L_(
                "The precondition failed: If-None-Match: * means 'only if there is no item yet', and the item "
                "already exists (ETag {etag}). Nothing was changed.",
                etag=current_etag,
            )
        else:
            detail = L_(
                "The precondition failed: If-None-Match lists the item's current ETag (ETag {etag}). "
                "Nothing was changed.",
                etag=current_etag,
            )
        return HTTPProblem(412, detail, {"ETag": current_etag})
    sent = header(environ, "If-Match") or ""
    detail = L_(
        "The precondition failed: If-Match sent {sent}, but the item's current ETag is {etag}.",
        sent=sent.strip(),
        etag=current_etag,
    )
    if "W/" in sent:
        detail += " " + L_("If-Match compares strongly, so a weak tag (W/...) never matches.")
    detail += " " + L_(
        "The item changed since you read it: a 412 does not say whose write changed it (another "
        "client's, or an earlier attempt of yours whose response you never saw). Nothing was changed. "
        "GET it again, apply your change to what you get, and send its ETag."
    )
    return HTTPProblem(412, detail, {"ETag": current_etag})
