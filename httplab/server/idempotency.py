"""Idempotency-Key on POST (an IETF httpapi draft, not part of HTTP): a retry with the same key gets the first response.

A client sends ``Idempotency-Key: <a unique value>`` with a POST. The first request with a
key is applied and its response remembered; the same request again with that key gets the
remembered response, marked ``Idempotent-Replayed: true`` (a header of the lab's own: the
draft defines no such field), and nothing is applied twice. The same key with a different
request is 422; a retry while the first is still being processed is 409.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from httplab.i18n import L_
from httplab.server._wsgi import HTTPProblem, Reply, WSGIEnviron, canonical_json, header

__all__ = ["IdempotencyKeys", "read_key"]


def read_key(environ: WSGIEnviron) -> str | None:
    """Return the request's Idempotency-Key (quotes removed), None without one; 400 when it is empty or too long."""
    raw = header(environ, "Idempotency-Key")
    if raw is None:
        return None
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > 255:
        raise HTTPProblem(400, L_("An Idempotency-Key must be 1 to 255 characters, for example a random UUID."))
    return key


@dataclass
class _Record:
    fingerprint: str
    reply: Reply | None = None  # None while the first request is still being processed


class IdempotencyKeys:
    """The keys a resource has seen, oldest first, at most *limit* of them (the oldest are forgotten first).

    Parameters
    ----------
    lock
        The lock that guards the resource's state; the keys are read and written under it.
    limit
        How many keys to remember.
    """

    def __init__(self, lock: threading.RLock, limit: int) -> None:
        self._lock = lock
        self.limit = limit
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def __len__(self) -> int:
        return len(self._records)

    def clear(self) -> None:
        """Forget every key (a request still running with one will not bring it back)."""
        with self._lock:
            self._records.clear()

    def once(self, key: str, request: Any, apply: Callable[[], Reply]) -> Reply:
        """Run *apply* for the first request with *key*; replay its reply for the same *request* again.

        *request* is what identifies the request (method, path and content); the same key with
        another one is refused with 422, and a retry while *apply* still runs with 409.
        """
        fingerprint = hashlib.sha256(canonical_json(request)).hexdigest()
        with self._lock:
            record = self._records.get(key)
            if record is not None:
                return _replay(record, fingerprint, key)
            record = self._records[key] = _Record(fingerprint)
            while len(self._records) > self.limit:
                self._records.popitem(last=False)
        try:
            reply = apply()
        except BaseException:
            with self._lock:
                if self._records.get(key) is record:
                    del self._records[key]
            raise
        with self._lock:
            # A reset while this request ran forgot every key; do not bring this one back.
            if self._records.get(key) is record:
                record.reply = reply
        return reply


def _replay(record: _Record, fingerprint: str, key: str) -> Reply:
    if record.fingerprint != fingerprint:
        raise HTTPProblem(
            422,
            L_(
                "The Idempotency-Key {key!r} was already used for a different request. "
                "Use a new key for a new request; reuse a key only to retry the very same request.",
                key=key,
            ),
        )
    if record.reply is None:
        raise HTTPProblem(
            409,
            L_(
                "A request with the Idempotency-Key {key!r} is still being processed. "
                "Wait for it to finish, then retry with the same key to get its response.",
                key=key,
            ),
        )
    headers = {**record.reply.headers, "Idempotent-Replayed": "true"}
    return replace(record.reply, headers=headers)
