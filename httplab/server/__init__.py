"""The lab server: httpbin's echo endpoints and the stateful resource API on one local origin.

It never imports the client, the experiments, the display, the teaching layer, the widgets or
:mod:`httplab.lab`; what it shares with the client lives in :mod:`httplab.http`.
"""

from __future__ import annotations

from httplab.server.app import LabApp, LabServer, create_lab_app, is_loopback

__all__ = ["LabApp", "LabServer", "create_lab_app", "is_loopback"]
