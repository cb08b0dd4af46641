"""Plant a lab's flaws: a thin layer in front of ``/lab`` that misbehaves in named, documented ways.

The resource API itself stays correct. :class:`FlawedResources` wraps it and, for each flaw in
the lab's set (described in :mod:`httplab.http.flaws`), changes one thing: a request on its way
in (a PUT body merged with the stored item, an If-Match dropped) or an answer on its way out (a
Location removed, a 204 turned into a 500). Two hooks reach into the store:
:meth:`~httplab.server.items.Items.data_of` and :meth:`~httplab.server.items.Items.change_data`.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from httplab.errors import FlawError
from httplab.http.flaws import FLAWS, unknown_flaw_message
from httplab.i18n import L_, negotiate
from httplab.server._wsgi import (
    JSON,
    PROBLEM_JSON,
    HTTPProblem,
    Reply,
    StartResponse,
    WSGIEnviron,
    canonical_json,
    header,
    path_info,
    read_body,
    respond,
    status_line,
)
from httplab.server.resources import ResourceApp

__all__ = ["FlawedResources", "check_flaws"]


def check_flaws(names: Iterable[str]) -> frozenset[str]:
    """Return *names* as a set, or raise :class:`~httplab.errors.FlawError` listing the catalogue."""
    chosen = frozenset(names)
    unknown = sorted(chosen - set(FLAWS))
    if unknown:
        raise FlawError(unknown_flaw_message(unknown))
    return chosen


class FlawedResources:
    """The resource API with *flaws* planted; every other request passes through untouched.

    Parameters
    ----------
    resources
        The lab's (correct) resource application.
    flaws
        Ids from :data:`httplab.http.flaws.FLAWS`.
    """

    def __init__(self, resources: ResourceApp, flaws: Iterable[str]) -> None:
        self.resources = resources
        self.flaws = check_flaws(flaws)
        self._clock_lock = threading.Lock()
        self._last_stamp = datetime.fromtimestamp(0, UTC)

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request under ``/lab``, with the planted flaws."""
        method = str(environ["REQUEST_METHOD"])
        parts = path_info(environ).strip("/").split("/")
        item_id = parts[1] if len(parts) == 2 and parts[0] == "items" else None
        on_item = item_id is not None and method in ("PUT", "PATCH", "DELETE")
        self._accept_own_tags(environ)
        if on_item and item_id is not None and "if-match-ignored" in self.flaws and "HTTP_IF_MATCH" in environ:
            # Whatever tag was sent, act as if it were the right one (or, for no item, as if none was asked).
            etag = self.resources.items.etag_of(item_id)
            if etag is None:
                environ.pop("HTTP_IF_MATCH")
                environ.setdefault("HTTP_IF_NONE_MATCH", "*")
            else:
                environ["HTTP_IF_MATCH"] = etag
        rewritten = False
        if item_id is not None and method == "PUT":
            try:
                rewritten = self._rewrite_put(environ, item_id)
            except HTTPProblem as problem:
                return respond(environ, start_response, Reply.problem_for(environ, problem))
        if item_id is not None and method == "GET" and "get-counts-views" in self.flaws:
            # Counted before the answer is made, so the answer (and its ETag) shows the new count.
            self.resources.items.change_data(item_id, lambda data: {**data, "views": int(data.get("views", 0)) + 1})
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return lambda data: None

        result = self.resources(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status = int(str(seen["status"])[:3])
        headers = dict(seen["headers"])
        status, headers, body = self._answer(method, parts, item_id, status, headers, body, rewritten, environ)
        start_response(status_line(status), list(headers.items()))
        return [body]

    # ------------------------------------------------------------------ on the way in

    def _accept_own_tags(self, environ: WSGIEnviron) -> None:
        """Let conditions carry the tags this flawed lab hands out (weak, or without quotes)."""
        for key in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"):
            value = environ.get(key)
            if value is None or str(value).strip() == "*":
                continue
            tags = [tag.strip() for tag in str(value).split(",") if tag.strip()]
            if "weak-etag-if-match" in self.flaws:
                # The flaw itself: If-Match compares weakly, so a weak tag matches its strong twin.
                tags = [tag.removeprefix("W/") for tag in tags]
            if "etag-unquoted" in self.flaws:
                tags = [tag if tag.startswith(('"', 'W/"')) else f'"{tag}"' for tag in tags]
            environ[key] = ", ".join(tags)

    def _rewrite_put(self, environ: WSGIEnviron, item_id: str) -> bool:
        """Read a PUT's body; merge, append or stamp it as the planted flaws say. Return whether it changed."""
        body = read_body(environ, self.resources.max_body_bytes)
        stored = body
        changes = self.flaws & {"put-merges", "put-appends", "put-stamps-updated-at"}
        try:
            sent = json.loads(body) if changes else None
        except ValueError:
            sent = None
        if isinstance(sent, dict):
            current = self.resources.items.data_of(item_id) or {}
            new = dict(sent)
            if "put-merges" in self.flaws:
                new = {**current, **sent}
            if "put-appends" in self.flaws:
                for name, value in sent.items():
                    if isinstance(value, list) and isinstance(current.get(name), list):
                        new[name] = current[name] + value
            if "put-stamps-updated-at" in self.flaws:
                new["updated_at"] = self._stamp()
            if new != sent:
                stored = canonical_json(new)
        environ["wsgi.input"] = io.BytesIO(stored)
        environ["CONTENT_LENGTH"] = str(len(stored))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return stored != body

    def _stamp(self) -> str:
        """Return the time now, always later than the last stamp (two quick PUTs get two stamps)."""
        with self._clock_lock:
            now = max(datetime.now(UTC), self._last_stamp + timedelta(microseconds=1))
            self._last_stamp = now
        return now.isoformat(timespec="microseconds").replace("+00:00", "Z")

    # ------------------------------------------------------------------ on the way out

    def _answer(
        self,
        method: str,
        parts: list[str],
        item_id: str | None,
        status: int,
        headers: dict[str, str],
        body: bytes,
        rewritten: bool,
        environ: WSGIEnviron,
    ) -> tuple[int, dict[str, str], bytes]:
        flaws = self.flaws
        if item_id is not None and method == "PUT" and rewritten:
            # The stored body is not what was sent, so a PUT answer carries no ETag (RFC 9110 §9.3.4).
            headers.pop("ETag", None)
        if method == "POST" and parts == ["items"] and status == 201 and "post-no-location" in flaws:
            headers.pop("Location", None)
            headers.pop("Content-Location", None)
        if item_id is not None and method == "DELETE":
            if status == 204 and "delete-500" in flaws:
                language = negotiate(header(environ, "Accept-Language"))
                problem = Reply.problem(HTTPProblem(500, L_("Oops.")), language)
                body = problem.body
                status, headers = 500, {"Content-Type": PROBLEM_JSON, "Content-Length": str(len(body))}
                headers.update({name: problem.headers[name] for name in ("Content-Language", "Vary")})
            elif status == 404 and "delete-missing-204" in flaws:
                status, headers, body = 204, {}, b""
        if status == 405 and "405-without-allow" in flaws:
            headers.pop("Allow", None)
        if status == 501 and "unknown-method-200" in flaws:
            body = canonical_json({"ok": True})
            status, headers = 200, {"Content-Type": JSON, "Content-Length": str(len(body))}
        if item_id is not None and method == "PUT" and status == 201 and "put-create-200" in flaws:
            status = 200
        if method == "HEAD" and status == 200 and "head-differs" in flaws:
            headers.pop("ETag", None)
            headers["Content-Type"] = "text/plain; charset=utf-8"
        if "ETag" in headers:
            tag = headers["ETag"]
            if "weak-etag-if-match" in flaws and not tag.startswith("W/"):
                tag = f"W/{tag}"
            if "etag-unquoted" in flaws:
                tag = tag.removeprefix("W/").strip('"')
            headers["ETag"] = tag
        return status, headers, body
