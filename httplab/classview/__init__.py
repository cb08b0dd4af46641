"""The teacher's class view: a JupyterHub service that shows the class's predictions as they arrive.

Run by the hub as a managed service (``python -m httplab.classview``; docs/deploy.md, "The teacher's class
view"). Learners' kernels report to it through :mod:`httplab.teaching.report`, which speaks HTTP and never
imports this package: nothing else in httplab imports it either (an import-linter contract says so).
"""

from __future__ import annotations
