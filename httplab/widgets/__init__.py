"""Notebook widgets over the lab: a playground for single requests and experiment explorers.

Import them from here (``httplab`` itself never imports widgets):

>>> from httplab.widgets import Playground
"""

from __future__ import annotations

from httplab.widgets.lost_update_lab import LostUpdateLab
from httplab.widgets.method_board import MethodBoard
from httplab.widgets.playground import Playground
from httplab.widgets.prediction import EvidenceSort, Prediction
from httplab.widgets.repeat_explorer import RepeatExplorer
from httplab.widgets.retry_lab import RetryLab

__all__ = ["EvidenceSort", "LostUpdateLab", "MethodBoard", "Playground", "Prediction", "RepeatExplorer", "RetryLab"]
