"""Notebook widgets over the lab: a playground for single requests and experiment explorers.

Import them from here (``httplab`` itself never imports widgets):

>>> from httplab.widgets import Playground
"""

from __future__ import annotations

from httplab.widgets.playground import Playground

__all__ = ["Playground"]
