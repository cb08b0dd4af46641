"""Reason phrases as RFC 9110 §15 names them (older Pythons still use RFC 7231's names)."""

from __future__ import annotations

from http import HTTPStatus

_RFC9110_NAMES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def reason_phrase(status: int) -> str:
    """Return the RFC 9110 reason phrase for *status*, or "" for an unregistered code.

    >>> reason_phrase(422)
    'Unprocessable Content'
    """
    if status in _RFC9110_NAMES:
        return _RFC9110_NAMES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
