"""Counted faults: ``X-Lab-Fault: drop-response; times=N; id=TOKEN`` loses only the first N responses.

A client library that retries sends the same header fields again, so a fault that lost every
response would lose the retry's too. :class:`CountedFaults` sits in front of the lab's
application and counts, per ``id``, the requests that carried a counted fault: the first *N*
reach the application with a plain ``drop-response`` (applied, then unanswered), the later ones
reach it with no fault at all (applied and answered). A plain ``drop-response`` passes through
untouched. The contract itself is in :mod:`httplab.http.faults`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from httplab.http.faults import FAULT_HEADER, MAX_TRACKED_IDS, FaultError, parse_fault
from httplab.server._wsgi import HTTPProblem, Reply, StartResponse, WSGIApp, WSGIEnviron, header, respond

__all__ = ["CountedFaults"]

_KEY = "HTTP_" + FAULT_HEADER.upper().replace("-", "_")


class CountedFaults:
    """Honour ``times=`` and ``id=`` on ``X-Lab-Fault`` in front of *app*, which knows only plain faults.

    Parameters
    ----------
    app
        The lab's application.
    max_ids
        How many ids to remember; the oldest is forgotten first.

    Examples
    --------
    >>> from httplab.server import create_lab_app
    >>> app = CountedFaults(create_lab_app())
    >>> app.seen("abc")
    0

    """

    def __init__(self, app: WSGIApp, *, max_ids: int = MAX_TRACKED_IDS) -> None:
        self.app = app
        self._max_ids = max_ids
        self._seen: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        # Everything else (``resources``, ``mount``) is the wrapped application's.
        return getattr(self.app, name)

    def seen(self, fault_id: str) -> int:
        """Return how many requests carrying this fault id have arrived so far."""
        with self._lock:
            return self._seen.get(fault_id, 0)

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        """Pass the request on, turning a counted fault into a plain one or into none."""
        value = header(environ, FAULT_HEADER)
        if value is None:
            return self.app(environ, start_response)
        try:
            fault = parse_fault(value)
        except FaultError as error:
            return respond(environ, start_response, Reply.problem_for(environ, HTTPProblem(400, error.args[0])))
        if fault.times is None or fault.id is None:
            return self.app(environ, start_response)
        with self._lock:
            count = self._seen.pop(fault.id, 0) + 1
            self._seen[fault.id] = count
            while len(self._seen) > self._max_ids:
                self._seen.popitem(last=False)
        passed = dict(environ)
        if count <= fault.times:
            passed[_KEY] = fault.kind
        else:
            del passed[_KEY]
        return self.app(passed, start_response)
