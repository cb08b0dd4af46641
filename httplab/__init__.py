"""httplab: see what HTTP request methods do to a server's state.

Start a local lab (httpbin's echo endpoints plus a stateful resource API), send requests,
and look at every exchange and at the state they leave behind.

>>> import httplab
>>> lab = httplab.start(in_process=True)
>>> lab.send("POST", "/lab/items", json={"name": "apple"}).status_text
'201 Created'
>>> lab.stop()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from httplab.client import LabClient
from httplab.client.models import Exchange, Headers, Request, Response
from httplab.errors import HTTPLabError, InvalidRequestError, LabNotRunningError, NoResponseError, SetupFailedError
from httplab.http.status import describe_status, status_text
from httplab.i18n import LANGUAGES, get_language, set_language
from httplab.lab import Lab, start
from httplab.options import LabOptions
from httplab.server import create_lab_app
from httplab.server.resources import create_resource_app

if TYPE_CHECKING:
    from httplab.experiments import (
        Call,
        Comparison,
        EditRun,
        LostUpdateResult,
        RepeatResult,
        RetryResult,
        Scenario,
        method_scenarios,
    )
    from httplab.teaching.exercises import check
    from httplab.widgets import quiz
    from httplab.widgets.prediction import Prediction
    from httplab.widgets.quiz import Quiz

# Experiments, exercises and quizzes load on first use: `import httplab; httplab.start()` stays quick.
# httplab.quiz is the quiz a notebook shows (the teaching engine's, with its widget view).
_LAZY = {
    "Call": "httplab.experiments",
    "Comparison": "httplab.experiments",
    "EditRun": "httplab.experiments",
    "LostUpdateResult": "httplab.experiments",
    "Quiz": "httplab.widgets.quiz",
    "RepeatResult": "httplab.experiments",
    "RetryResult": "httplab.experiments",
    "Scenario": "httplab.experiments",
    "check": "httplab.teaching.exercises",
    "method_scenarios": "httplab.experiments",
}


def predict(prediction_id: str) -> Prediction:
    """Show a prediction to lock in before a lesson's demo runs; reveal it with the demo's result.

    >>> guess = predict("02-post-three")      # in a notebook this shows the choices
    >>> guess.choose("3").lock()
    >>> guess.reveal({"items": [{}, {}, {}]}).matched
    True
    """
    from httplab.widgets.prediction import predict as _predict

    return _predict(prediction_id)


def __getattr__(name: str) -> Any:
    import importlib

    if name == "quiz":
        return importlib.import_module("httplab.widgets.quiz")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'httplab' has no attribute {name!r}")


__all__ = [
    "Call",
    "Comparison",
    "EditRun",
    "Exchange",
    "HTTPLabError",
    "Headers",
    "InvalidRequestError",
    "LANGUAGES",
    "Lab",
    "LabClient",
    "LabNotRunningError",
    "LabOptions",
    "LostUpdateResult",
    "NoResponseError",
    "Quiz",
    "RepeatResult",
    "Request",
    "Response",
    "RetryResult",
    "Scenario",
    "SetupFailedError",
    "check",
    "create_lab_app",
    "create_resource_app",
    "describe_status",
    "get_language",
    "method_scenarios",
    "predict",
    "quiz",
    "set_language",
    "start",
    "status_text",
]

__version__ = "0.1.0"
