"""The lab's files resource: upload with POST or PUT and watch the difference.

Mounted at ``/lab/files`` by the server. The source page this kit grew from uses "uploading
a file" as its example for both POST and PUT; this resource shows exactly that:

``/lab/files``
    ``GET``/``HEAD`` list the files (name, href, size, media type, ETag; 304 on a matching
    ``If-None-Match``). ``POST`` a ``multipart/form-data`` body with one or more file parts:
    each file part becomes a **new** file with a name the server chooses (``1-cat.png``,
    ``2-cat.png``, ...), so POSTing the same file twice makes two files. The answer is
    ``201 Created`` with ``Location`` naming the first new file and a JSON body
    ``{"created": [...]}`` listing every new file (RFC 9110 §15.3.2 allows one ``Location``
    only; the body names the rest). Form fields without a file name are ignored.
    ``OPTIONS`` answers 204 with ``Allow``.
``/lab/files/{name}``
    ``PUT`` stores the raw request content under a name the client chooses, with its
    ``Content-Type`` (``application/octet-stream`` when none is sent): ``201`` with
    ``Location`` when it creates, ``204`` when it replaces, so PUTting the same file twice
    leaves one file; the bytes are stored exactly as sent, so the ``ETag`` on the PUT response
    is theirs (RFC 9110 §9.3.4). ``GET`` returns the bytes with the stored ``Content-Type``,
    ``Content-Length`` and a strong ``ETag`` (304 on a matching ``If-None-Match``); ``HEAD``
    sends the same header fields without the bytes.
    ``DELETE`` answers 204, then 404. ``OPTIONS`` answers 204 with ``Allow``.
    ``PATCH`` gets **405 with** ``Allow``: this resource does not support it, which is how
    HTTP says "not available for this module" (RFC 9110 §15.5.6).

Other known methods get 405 with ``Allow``; unrecognised methods get 501. ``If-Match`` and
``If-None-Match`` work as for items, in the order of RFC 9110 §13.2.2: a false ``If-Match``
is 412; a false ``If-None-Match`` is 304 on GET and HEAD and 412 on PUT and DELETE
(``If-None-Match: *`` on PUT creates only if absent). Names are 1 to 128 characters from letters, digits, ``.``, ``_``,
``~`` and ``-``, start with a letter or digit and never contain ``/`` or ``..`` (400
otherwise). A request may carry at most 1 MiB (413); the store holds at most 16 MiB and
1,000 files (507). Files live in memory only: multipart parts are parsed into memory, and
nothing is ever written to disk. Every request is counted in ``/lab/state``'s request
counts, and the files (without their bytes) appear there under ``"files"``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from httplab.i18n import L_, LazyText
from httplab.server._language import number
from httplab.server._uploads import DEFAULT_MEDIA_TYPE, MAX_NAME_LENGTH, check_name, name_stem, parse_multipart
from httplab.server._wsgi import (
    JSON,
    KNOWN_METHODS,
    MAX_BODY_BYTES,
    HTTPProblem,
    Reply,
    ReplyApp,
    WSGIEnviron,
    canonical_json,
    etag_for,
    header,
    media_type,
    path_info,
    read_body,
)
from httplab.server.preconditions import evaluate_preconditions, failed_precondition

__all__ = ["FileApp", "create_files_app"]

#: Where the server mounts the files resource; the snapshot's hrefs use it.
MOUNT = "/lab/files"
MAX_TOTAL_BYTES = 16 * 1024 * 1024
MAX_FILES = 1000
_COLLECTION_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
_FILE_METHODS = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")


@dataclass(frozen=True)
class _File:
    body: bytes
    media_type: str
    etag: str


class FileApp(ReplyApp):
    """A WSGI application holding uploaded files in memory; build it with :func:`create_files_app`.

    Parameters
    ----------
    max_body_bytes
        The most content one request may carry (413 beyond).
    max_total_bytes
        The most bytes all files together may hold (507 beyond).
    max_files
        The most files the store holds (507 beyond).
    count_request
        Called with the method of every request, so the lab's request counts include files.

    """

    def __init__(
        self,
        *,
        max_body_bytes: int = MAX_BODY_BYTES,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        max_files: int = MAX_FILES,
        count_request: Callable[[str], None] | None = None,
    ) -> None:
        self.max_body_bytes = max_body_bytes
        self.max_total_bytes = max_total_bytes
        self.max_files = max_files
        self._count = count_request
        self._lock = threading.RLock()
        self._files: dict[str, _File] = {}
        self._next_number = 1

    # ------------------------------------------------------------------ state

    def snapshot(self) -> list[dict[str, Any]]:
        """Return every file's name, href, size, media type and ETag (never the bytes).

        >>> create_files_app().snapshot()
        []
        """
        with self._lock:
            return [_entry(name, stored, MOUNT) for name, stored in self._files.items()]

    def reset(self) -> None:
        """Forget every file and start the server-chosen names from 1 again."""
        with self._lock:
            self._files = {}
            self._next_number = 1

    @property
    def total_bytes(self) -> int:
        """How many bytes all stored files hold together."""
        with self._lock:
            return sum(len(stored.body) for stored in self._files.values())

    # ------------------------------------------------------------------ WSGI

    def _dispatch(self, environ: WSGIEnviron) -> Reply:
        method = environ["REQUEST_METHOD"]
        if self._count is not None:
            self._count(method)
        path = path_info(environ)
        name = path[1:] if path.startswith("/") else path
        on_collection = name == ""
        allowed = _COLLECTION_METHODS if on_collection else _FILE_METHODS
        if method not in allowed:
            if method not in KNOWN_METHODS:
                raise HTTPProblem(
                    501,
                    L_(
                        "The lab does not recognise the method {method!r}. Use one of: {methods}.",
                        method=method,
                        methods=", ".join(sorted(KNOWN_METHODS)),
                    ),
                )
            if on_collection and path == "/" and method in ("PUT", "DELETE"):
                check_name(name)
            raise HTTPProblem(405, self._not_allowed(environ, method, on_collection), {"Allow": ", ".join(allowed)})
        if method == "OPTIONS":
            return Reply(204, {"Allow": ", ".join(allowed)})
        if on_collection:
            return self._list(environ) if method in ("GET", "HEAD") else self._post(environ)
        check_name(name)
        if method == "PUT":
            return self._put(environ, name)
        return self._read_or_delete(environ, name)

    @staticmethod
    def _prefix(environ: WSGIEnviron) -> str:
        return str(environ.get("SCRIPT_NAME", "")).rstrip("/")

    def _not_allowed(self, environ: WSGIEnviron, method: str, on_collection: bool) -> LazyText:
        prefix = self._prefix(environ)
        if on_collection:
            detail = L_(
                "{method} is a known method, but {where} (the list of files) does not support it. "
                "The Allow header lists what it does support: {allowed}.",
                method=method,
                where=prefix,
                allowed=", ".join(_COLLECTION_METHODS),
            )
            if method == "PUT":
                detail += " " + L_("To store a file under a name you choose, PUT it to {where}/<name>.", where=prefix)
            return detail
        if method == "PATCH":
            return L_(
                "PATCH is a known method, but the files resource does not support it: a file is replaced "
                "whole with PUT. This 405 and its Allow header are how HTTP says a method is "
                '"not available" for a resource. Allowed here: {allowed}.',
                allowed=", ".join(_FILE_METHODS),
            )
        return L_(
            "{method} is a known method, but a file does not support it. "
            "The Allow header lists what it does support: {allowed}.",
            method=method,
            allowed=", ".join(_FILE_METHODS),
        )

    # ------------------------------------------------------------------ routes

    def _list(self, environ: WSGIEnviron) -> Reply:
        prefix = self._prefix(environ)
        with self._lock:
            listing = [_entry(name, stored, prefix) for name, stored in self._files.items()]
        body = canonical_json(listing)
        etag = etag_for(body)
        status = evaluate_preconditions(environ, etag)
        if status == 304:
            return Reply(304, {"ETag": etag})
        if status == 412:
            raise HTTPProblem(
                412,
                L_(
                    "The precondition failed: If-Match does not hold for the list, whose current ETag is {etag}. "
                    "GET the list again without it to see what changed.",
                    etag=etag,
                ),
                {"ETag": etag},
            )
        return Reply(200, {"Content-Type": JSON, "ETag": etag}, body)

    def _post(self, environ: WSGIEnviron) -> Reply:
        kind = media_type(environ)
        prefix = self._prefix(environ)
        if kind != "multipart/form-data":
            example = f"lab.send('POST', '{prefix}', files={{'file': ('notes.txt', b'hello')}})"
            if kind:
                detail = L_(
                    "POST to {where} takes multipart/form-data (a form with file parts), not {media_type}. "
                    "With httplab: {example}. To store raw bytes under a name you choose, PUT them to {where}/<name>.",
                    where=prefix,
                    media_type=kind,
                    example=example,
                )
            else:
                detail = L_(
                    "POST to {where} takes multipart/form-data (a form with file parts), and this request has no "
                    "Content-Type. With httplab: {example}. To store raw bytes under a name you choose, PUT them to "
                    "{where}/<name>.",
                    where=prefix,
                    example=example,
                )
            raise HTTPProblem(415, detail)
        uploads = parse_multipart(header(environ, "Content-Type"), read_body(environ, self.max_body_bytes))
        with self._lock:
            self._check_room(sum(len(upload.body) for upload in uploads), added_files=len(uploads))
            created = []
            for upload in uploads:
                name = self._choose_name_locked(upload.filename)
                stored = _File(upload.body, upload.media_type, etag_for(upload.body))
                self._files[name] = stored
                created.append(_entry(name, stored, prefix))
        return Reply.json(201, {"created": created}, {"Location": created[0]["href"]})

    def _choose_name_locked(self, filename: str) -> str:
        base = name_stem(filename)
        while True:
            prefix = f"{self._next_number}-"
            self._next_number += 1
            name = prefix + base[: MAX_NAME_LENGTH - len(prefix)]
            if name not in self._files:
                return name

    def _put(self, environ: WSGIEnviron, name: str) -> Reply:
        with self._lock:
            current = self._files.get(name)
            if evaluate_preconditions(environ, current.etag if current else None) == 412:
                raise _precondition_failed(environ, current)
        body = read_body(environ, self.max_body_bytes)
        kind = header(environ, "Content-Type") or DEFAULT_MEDIA_TYPE
        stored = _File(body, kind, etag_for(body))
        with self._lock:
            current = self._files.get(name)
            # Evaluate again under the lock: another client may have written in between.
            if evaluate_preconditions(environ, current.etag if current else None) == 412:
                raise _precondition_failed(environ, current)
            self._check_room(len(body) - (len(current.body) if current else 0), added_files=current is None)
            self._files[name] = stored
        if current is None:
            entry = _entry(name, stored, self._prefix(environ))
            return Reply.json(201, entry, {"Location": entry["href"], "ETag": stored.etag})
        return Reply(204, {"ETag": stored.etag})

    def _read_or_delete(self, environ: WSGIEnviron, name: str) -> Reply:
        method = environ["REQUEST_METHOD"]
        with self._lock:
            stored = self._files.get(name)
            if stored is None:
                raise HTTPProblem(404, self._missing(environ, name, method))
            status = evaluate_preconditions(environ, stored.etag)
            if status == 412:
                raise _precondition_failed(environ, stored)
            if method == "DELETE":
                del self._files[name]
                return Reply(204)
        if status == 304:
            return Reply(304, {"ETag": stored.etag})
        # nosniff: a browser must not run an upload as HTML or script whatever its bytes look like.
        headers = {"Content-Type": stored.media_type, "ETag": stored.etag, "X-Content-Type-Options": "nosniff"}
        return Reply(200, headers, stored.body)

    # ------------------------------------------------------------------ helpers

    def _check_room(self, added_bytes: int, *, added_files: int) -> None:
        count = len(self._files) + added_files
        if count > self.max_files:
            raise HTTPProblem(
                507,
                L_(
                    "The lab holds at most {limit:,} files, and this upload would make {count:,}. "
                    "DELETE some files, or POST /lab/reset to start over. Nothing was stored.",
                    limit=number(self.max_files),
                    count=number(count),
                ),
            )
        total = sum(len(stored.body) for stored in self._files.values()) + added_bytes
        if total > self.max_total_bytes:
            raise HTTPProblem(
                507,
                L_(
                    "The lab keeps at most {limit:,} bytes of files in memory, and this upload would "
                    "bring the total to {total:,} bytes. DELETE some files, or POST /lab/reset to start over. "
                    "Nothing was stored.",
                    limit=number(self.max_total_bytes),
                    total=number(total),
                ),
            )

    def _missing(self, environ: WSGIEnviron, name: str, method: str) -> LazyText:
        where = f"{self._prefix(environ)}/{name}"
        if method == "DELETE":
            return L_(
                "No file at {where}. A 404 alone does not say who deleted it: if you sent a DELETE for it "
                "before, most likely that one did. Either way the file is gone, the state one DELETE leaves, "
                "so this 404 is no sign that the earlier DELETE failed.",
                where=where,
            )
        listing = self._prefix(environ)
        return L_("No file at {where}. GET {listing} lists the files there are.", where=where, listing=listing)


def _entry(name: str, stored: _File, prefix: str) -> dict[str, Any]:
    return {
        "name": name,
        "href": f"{prefix}/{name}",
        "size": len(stored.body),
        "media_type": stored.media_type,
        "etag": stored.etag,
    }


def _precondition_failed(environ: WSGIEnviron, current: _File | None) -> HTTPProblem:
    if current is None:
        return HTTPProblem(
            412, L_("The precondition failed: the file does not exist, so If-Match cannot match. Nothing was changed.")
        )
    failure = failed_precondition(environ, current.etag)
    if failure is not None and failure[1] == "If-None-Match":
        if (header(environ, "If-None-Match") or "").strip() == "*":
            detail = L_(
                "The precondition failed: If-None-Match: * means 'only if there is no file yet', and the file "
                "exists (ETag {etag}). Nothing was changed.",
                etag=current.etag,
            )
        else:
            detail = L_(
                "The precondition failed: If-None-Match lists the file's current ETag, {etag}. Nothing was changed.",
                etag=current.etag,
            )
        return HTTPProblem(412, detail, {"ETag": current.etag})
    return HTTPProblem(
        412,
        L_(
            "The precondition failed: If-Match does not match the file's current ETag, {etag}. The file "
            "changed since you read it: a 412 does not say whose write changed it (another client's, or an "
            "earlier attempt of yours whose response you never saw). Nothing was changed; GET it again, then "
            "decide.",
            etag=current.etag,
        ),
        {"ETag": current.etag},
    )


def create_files_app(
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_files: int = MAX_FILES,
    count_request: Callable[[str], None] | None = None,
) -> FileApp:
    """Build a fresh files resource with its own empty in-memory store.

    Parameters
    ----------
    max_body_bytes, max_total_bytes, max_files
        The limits: per request (413), for all files together and for their number (507).
    count_request
        Called with each request's method, e.g. :meth:`httplab.server.resources.ResourceApp.count_request`.

    Examples
    --------
    >>> files = create_files_app(max_total_bytes=1024)
    >>> files.snapshot(), files.max_total_bytes
    ([], 1024)

    """
    return FileApp(
        max_body_bytes=max_body_bytes,
        max_total_bytes=max_total_bytes,
        max_files=max_files,
        count_request=count_request,
    )
