"""What every exercise checker shares: fresh labs, the learner's call, guards, and labs that misbehave on purpose.

A checker hands the learner's function a lab, or a wrapper around one that plays another client
or loses chosen responses. The wrappers also guard the checker: a learner's loop that never ends
is stopped after a fixed number of requests (:class:`_Runaway`), so a check always finishes.
"""

from __future__ import annotations

import inspect
import os
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from httplab.client.models import Exchange, Headers, Request, Response
from httplab.http.faults import DROP_RESPONSE, FAULT_HEADER
from httplab.i18n import _
from httplab.lab import Lab

#: The httplab package (this file sits in httplab/teaching/): frames inside it are never the learner's.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
#: More requests than any of the exercises needs; a function that sends more is looping.
MAX_REQUESTS = 40
#: More attempts (or writes) than a bounded retry loop makes; more than this counts as "never stops".
MAX_ATTEMPTS = 10


class _Failed(Exception):
    """Raised inside a checker to stop with one feedback line."""


class _Runaway(BaseException):
    """Raised into the learner's code when it sends more requests than any solution needs.

    It derives from BaseException so that ``except Exception`` in the learner's loop does not
    swallow it; the wrapper also remembers it, in case a bare ``except:`` does.
    """


def fresh_lab(**options: Any) -> Lab:
    """Return a new in-process lab, independent of the learner's."""
    return Lab(in_process=True, **options)


def items(lab: Lab) -> list[dict[str, Any]]:
    """Return every item in the lab, as ``/lab/state`` lists them."""
    found: list[dict[str, Any]] = lab.state()["items"]
    return found


def data(lab: Lab, item_id: str) -> Any:
    """Return an item's data, or None when it does not exist."""
    reply = lab.send("GET", f"/lab/items/{item_id}", record=False)
    return reply.json if reply.status == 200 else None


def methods(history: tuple[Exchange, ...]) -> list[str]:
    """Return the method of every exchange, in order."""
    return [e.request.method for e in history]


def call(function: Callable[..., Any], *args: Any, when: str = "") -> Any:
    """Call the learner's function; an exception in it becomes feedback (said *when* it happened).

    *when* is a translated phrase such as "when the item was already deleted".
    """
    try:
        return function(*args)
    except _Runaway as runaway:
        raise _Failed(str(runaway)) from None
    except Exception as error:  # the learner's code: any failure becomes feedback
        raise _Failed(raised(error, when)) from None


def raised(error: BaseException, when: str = "") -> str:
    """Say which exception the learner's code raised, and on which line."""
    frames = traceback.extract_tb(error.__traceback__)
    # Point at the learner's line, not at the line inside httplab (or httpx) where the error surfaced.
    theirs = [f for f in frames if not f.filename.startswith(_PACKAGE_DIR) and "site-packages" not in f.filename]
    frame = (theirs or frames)[-1] if frames else None
    where = ""
    if frame is not None:
        line = (
            _("(line {number}: {code})").format(number=frame.lineno, code=frame.line)
            if frame.line
            else _("(line {number})").format(number=frame.lineno)
        )
        where = f" {line}"
    situation = f" {when}" if when else ""
    # Translators: {where} is empty or " (line 3: code)"; {situation} is empty or " when ..."; keep them glued.
    return _("Your function raised {error_type}: {error}{where}{situation}. Fix that first, then check again.").format(
        error_type=type(error).__name__, error=error, where=where, situation=situation
    )


def takes(function: Callable[..., Any], *args: Any) -> bool:
    """Tell whether *function* can be called with these positional arguments."""
    try:
        inspect.signature(function).bind(*args)
    except TypeError:
        return False
    except ValueError:  # no signature to read (a builtin): just try it
        return True
    return True


def header(headers: Any, name: str) -> str | None:
    """Return the value the learner gave for header field *name* (any case), or None."""
    if not headers:
        return None
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in pairs:
        if str(key).lower() == name.lower():
            return str(value)
    return None


def is_path(path: str, wanted: str) -> bool:
    """Tell whether *path* (a path or a full URL) names *wanted*, e.g. ``/lab/items``."""
    return path.split("?", 1)[0].split("#", 1)[0].rstrip("/").endswith(wanted)


class _GuardedLab:
    """A lab wrapper that counts the learner's requests and stops a loop that never ends."""

    def __init__(self, lab: Lab, *, runaway: str) -> None:
        self._lab = lab
        self._runaway_message = runaway
        self.requests = 0
        self.ran_away = False

    def _count(self) -> None:
        self.requests += 1
        if self.requests > MAX_REQUESTS or self.ran_away:
            self.stop()

    def stop(self, message: str | None = None) -> None:
        """Stop the learner's loop, and remember that it had to be stopped."""
        self.ran_away = True
        raise _Runaway(message or self._runaway_message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lab, name)


class RivalWrites(_GuardedLab):
    """A lab where another client writes just before some of the learner's writes reach the server.

    Parameters
    ----------
    lab
        The lab to wrap.
    item_id
        The item both clients edit.
    rival
        What the other client does to the lab, just before a write of the learner's.
    times
        Before how many of the learner's writes the rival writes; None: before every one.
    runaway
        The feedback when the learner's function does not stop.

    """

    def __init__(
        self, lab: Lab, item_id: str, rival: Callable[[Lab], None], *, times: int | None, runaway: str
    ) -> None:
        super().__init__(lab, runaway=runaway)
        self._item_id, self._rival, self._times = item_id, rival, times
        self.writes = 0
        self.rival_writes = 0

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        """Send the learner's request; before a write to the item, let the rival write first."""
        self._count()
        if method.upper() in ("PUT", "PATCH", "DELETE") and is_path(path, f"/lab/items/{self._item_id}"):
            self.writes += 1
            if self.writes > MAX_ATTEMPTS:
                self.stop()
            if self._times is None or self.writes <= self._times:
                self._rival(self._lab)
                self.rival_writes += 1
        return self._lab.send(method, path, **request)


class LosesResponses(_GuardedLab):
    """A lab that loses the response to chosen POST attempts: the server applies them and never answers.

    Parameters
    ----------
    lab
        The lab to wrap.
    lose
        Which attempts (1, 2, …) lose their response.
    runaway
        The feedback when the learner's function does not stop.

    """

    def __init__(self, lab: Lab, lose: Callable[[int], bool], *, runaway: str) -> None:
        super().__init__(lab, runaway=runaway)
        self._lose = lose
        self.attempts: list[Any] = []  # the header fields the learner gave each POST attempt
        self.other: list[str] = []  # every other request, as "METHOD path"

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        """Send the learner's request; a chosen POST attempt is applied, and its response lost."""
        self._count()
        if method.upper() != "POST" or not is_path(path, "/lab/items"):
            self.other.append(f"{method.upper()} {path}")
            return self._lab.send(method, path, **request)
        given = request.get("headers")
        self.attempts.append(given)
        if len(self.attempts) > MAX_ATTEMPTS:
            self.stop()
        if self._lose(len(self.attempts)):
            fields = dict(given.items() if isinstance(given, Mapping) else (given or ()))
            fields = {k: v for k, v in fields.items() if str(k).lower() != "x-lab-fault"}
            request = {**request, "headers": {**fields, FAULT_HEADER: DROP_RESPONSE}}
        return self._lab.send(method, path, **request)

    def keys(self) -> list[str | None]:
        """Return the Idempotency-Key of every attempt (quotes removed), None where there was none."""
        found = []
        for given in self.attempts:
            key = header(given, "Idempotency-Key")
            found.append(None if key is None else key.strip().strip('"'))
        return found


class AcceptsDeletesForLater(_GuardedLab):
    """A lab whose items answer DELETE with 202 Accepted and delete nothing yet, like a server with a work queue."""

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        """Answer a DELETE of an item with 202 Accepted; send everything else to the lab."""
        self._count()
        if method.upper() != "DELETE" or not is_path(path.rsplit("/", 1)[0], "/lab/items"):
            return self._lab.send(method, path, **request)
        body = b'{"status": "queued: the item will be deleted later"}'
        return Exchange(
            Request("DELETE", self._lab.url + path, Headers(dict(request.get("headers") or {}))),
            Response(202, "Accepted", Headers([("Content-Type", "application/json")]), body),
            0.0,
        )


class RecordsSleeps:
    """A stand-in for ``time.sleep`` that waits for nothing and remembers every delay it was asked for."""

    def __init__(self, guard: _GuardedLab) -> None:
        self.delays: list[Any] = []
        self._guard = guard

    def __call__(self, seconds: Any = None) -> None:
        """Record *seconds* instead of waiting."""
        self.delays.append(seconds)
        if len(self.delays) > MAX_REQUESTS:
            self._guard.stop()
