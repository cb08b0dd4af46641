"""Tell the teacher's class view what a learner predicted, answered and checked — on JupyterHub only.

A learner's kernel reports here when, and only when, both are set in its environment:

``JUPYTERHUB_API_TOKEN``
    Set by JupyterHub in every single-user server (kernels inherit it). The class view asks the hub
    whose token it is, so a learner can only ever report as themselves.
``HTTPLAB_CLASSVIEW_URL``
    The class view's address, e.g. ``http://127.0.0.1:10101/services/httplab-classview/``, set by the
    hub's ``c.Spawner.environment`` (docs/deploy.md, "The teacher's class view").

Outside JupyterHub (a laptop, Binder, CI) nothing is queued, no thread starts and nothing is sent.
Under JupyterHub each report goes into a bounded queue and one background thread posts it, with a
2-second timeout: the learner's cell never waits for the network, and a class view that is down or slow
costs a log line (logger ``httplab.classview``), never an error in a cell. When the queue is full (a view
that has been unreachable for a long while) new reports are dropped, also with a log line.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

URL_ENV = "HTTPLAB_CLASSVIEW_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
#: Seconds one report may take to reach the class view before it is given up.
TIMEOUT = 2.0
#: Reports waiting to be sent; beyond this new ones are dropped (and logged).
QUEUE_SIZE = 256

log = logging.getLogger("httplab.classview")
_R = TypeVar("_R")

_queue: queue.Queue[tuple[str, str, dict[str, Any]]] = queue.Queue(maxsize=QUEUE_SIZE)
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def target() -> tuple[str, str] | None:
    """Return (events URL, token) when this kernel should report, else None.

    >>> import os; os.environ.pop("HTTPLAB_CLASSVIEW_URL", None) and None
    >>> target() is None
    True
    """
    url = os.environ.get(URL_ENV, "").strip()
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not url or not token:
        return None
    return url.rstrip("/") + "/api/events", token


def _post_forever() -> None:
    with httpx.Client(timeout=TIMEOUT, trust_env=False) as client:
        while True:
            url, token, event = _queue.get()
            try:
                response = client.post(url, json=event, headers={"Authorization": f"token {token}"})
                if response.status_code >= 300:
                    log.warning("the class view refused a report (%s): %s", response.status_code, response.text[:200])
            except Exception as error:  # a report must never reach the learner's cell
                log.warning("the class view did not take a report (%s: %s)", type(error).__name__, error)
            finally:
                _queue.task_done()


def _ensure_worker() -> None:
    global _worker
    if _worker is not None and _worker.is_alive():
        return
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_post_forever, name="httplab-classview-report", daemon=True)
            _worker.start()


def send(event: Mapping[str, Any]) -> bool:
    """Queue ``event`` for the class view; return whether it was queued (never raises, never blocks).

    Parameters
    ----------
    event
        A JSON-ready mapping with ``kind`` ("prediction", "quiz" or "check"), ``lesson`` and ``question``.

    Examples
    --------
    >>> import os; os.environ.pop("HTTPLAB_CLASSVIEW_URL", None) and None
    >>> send({"kind": "check", "lesson": "", "question": "create-three", "correct": True})
    False
    """
    where = target()
    if where is None:
        return False
    try:
        _ensure_worker()
        _queue.put_nowait((where[0], where[1], dict(event)))
    except queue.Full:
        log.warning("the class view is not keeping up; a %s report was dropped", event.get("kind"))
        return False
    except Exception as error:  # pragma: no cover - a report must never reach the learner's cell
        log.warning("could not queue a report for the class view (%s)", error)
        return False
    return True


def prediction(outcome: Mapping[str, Any]) -> bool:
    """Report a revealed prediction (:meth:`Outcome.to_dict`): the choice, whether it was locked in, the result."""
    return send(
        {
            "kind": "prediction",
            "lesson": outcome.get("lesson", ""),
            "question": outcome.get("prediction", ""),
            "answer": outcome.get("chosen"),
            "before_demo": bool(outcome.get("locked_before_demo")),
            "observed": outcome.get("observed"),
            "correct": bool(outcome.get("matched")),
        }
    )


def quiz_answer(bank: str, question: str, answer: Any, correct: bool) -> bool:
    """Report one graded quiz answer."""
    return send({"kind": "quiz", "lesson": bank, "question": question, "answer": _text(answer), "correct": correct})


def check_result(result: Mapping[str, Any]) -> bool:
    """Report one ``httplab.check`` result (:meth:`CheckResult.to_dict`); the feedback lines stay in the kernel."""
    exercise, passed = result.get("exercise", ""), bool(result.get("passed"))
    return send({"kind": "check", "lesson": "", "question": exercise, "correct": passed})


def flush(timeout: float = 5.0) -> bool:
    """Wait until every queued report has been sent or given up; return False if ``timeout`` passed first."""
    deadline = time.monotonic() + timeout
    while _queue.unfinished_tasks:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _text(answer: Any) -> str:
    if isinstance(answer, list | tuple):
        return ", ".join(str(part) for part in answer)
    return str(answer)


def reports_check(check: Callable[[str, Mapping[str, Any] | None], _R]) -> Callable[..., _R]:
    """Wrap ``httplab.check`` so each result is also reported; the learner's namespace stays the caller's."""

    @functools.wraps(check)
    def checked(name: str, namespace: Mapping[str, Any] | None = None) -> _R:
        if namespace is None:  # the wrapped check would otherwise look in this module's globals
            frame = inspect.currentframe()
            caller = frame.f_back if frame is not None else None
            namespace = caller.f_globals if caller is not None else {}
        result = check(name, namespace)
        to_dict = getattr(result, "to_dict", None)
        if callable(to_dict):
            check_result(to_dict())
        return result

    return checked
