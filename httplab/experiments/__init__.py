"""Experiments on HTTP methods: repeat a request, compare methods, lose a response, race two writers.

Every experiment returns a frozen result that renders in a notebook (``_repr_html_``),
explains itself in plain words (``.explanation``) and turns into plain data (``.to_dict()``).
Results describe observations ("state unchanged", "changed once, then stayed the same").
"Safe" and "idempotent" are properties of a method (RFC 9110 §9.2): a promise the server
keeps or breaks, which an observation can support or contradict but never prove.
"""

from __future__ import annotations

from httplab.errors import SetupFailedError
from httplab.experiments.calls import Call, LabLike, label_text
from httplab.experiments.client_grid import ClientGrid, compare_clients
from httplab.experiments.compare import Comparison, Scenario, compare, method_scenarios
from httplab.experiments.conflicts import EditRun, LostUpdateResult, lost_update
from httplab.experiments.libraries import CLIENTS
from httplab.experiments.repeats import RepeatResult, repeat
from httplab.experiments.retries import RetryResult, retry_after_lost_response
from httplab.experiments.retry_clients import ClientRetryResult, retry_with_client
from httplab.experiments.verdicts import Observation, judge, promise_of

__all__ = [
    "CLIENTS",
    "Call",
    "ClientGrid",
    "ClientRetryResult",
    "Comparison",
    "EditRun",
    "LabLike",
    "LostUpdateResult",
    "Observation",
    "RepeatResult",
    "RetryResult",
    "Scenario",
    "SetupFailedError",
    "compare",
    "compare_clients",
    "judge",
    "label_text",
    "lost_update",
    "method_scenarios",
    "promise_of",
    "repeat",
    "retry_after_lost_response",
    "retry_with_client",
]
