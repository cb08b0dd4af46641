"""The recording client: every request becomes an immutable :class:`~httplab.client.models.Exchange`.

It never imports the server: what both sides share lives in :mod:`httplab.http`.
"""

from __future__ import annotations

from httplab.client.client import DEFAULT_HISTORY_SIZE, LabClient
from httplab.client.models import Exchange, Headers, Request, Response, Wire

__all__ = ["DEFAULT_HISTORY_SIZE", "Exchange", "Headers", "LabClient", "Request", "Response", "Wire"]
