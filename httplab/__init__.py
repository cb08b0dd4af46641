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

from httplab import quiz
from httplab.client import LabClient
from httplab.conflicts import EditRun, LostUpdateResult
from httplab.errors import HTTPLabError, InvalidRequestError, LabNotRunningError, NoResponseError
from httplab.exercises import check
from httplab.experiments import Call, Comparison, Scenario, SetupFailedError, method_scenarios
from httplab.lab import Lab, start
from httplab.models import Exchange, Headers, Request, Response, describe_status, status_text
from httplab.quiz import Quiz
from httplab.repeats import RepeatResult
from httplab.resources import create_app
from httplab.retries import RetryResult
from httplab.server import create_lab_app

__all__ = [
    "Call",
    "Comparison",
    "EditRun",
    "Exchange",
    "HTTPLabError",
    "Headers",
    "InvalidRequestError",
    "Lab",
    "LabClient",
    "LabNotRunningError",
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
    "create_app",
    "create_lab_app",
    "describe_status",
    "method_scenarios",
    "quiz",
    "start",
    "status_text",
]

__version__ = "0.1.0"
