"""Status codes: reason phrases as RFC 9110 §15 names them (older Pythons still use RFC 7231's), and what each means."""

from __future__ import annotations

from http import HTTPStatus

__all__ = ["describe_status", "reason_phrase", "status_text"]

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


def status_text(status: int | None) -> str:
    """Return ``"201 Created"`` for 201, ``"no response"`` for None.

    >>> status_text(404)
    '404 Not Found'
    """
    if status is None:
        return "no response"
    return f"{status} {reason_phrase(status)}".strip()


_MEANINGS = {
    200: "OK: the request succeeded; the content is the result.",
    201: "Created: a new resource was made; the Location header says where.",
    202: "Accepted: the request was accepted for processing, which is not done yet and may still fail.",
    204: "No Content: the request succeeded and there is nothing more to send.",
    206: "Partial Content: part of the representation, as the Range header asked.",
    301: "Moved Permanently: the resource has a new URI (Location).",
    302: "Found: look at the URI in Location for now.",
    303: "See Other: fetch the result with GET from the URI in Location.",
    304: "Not Modified: a conditional GET or HEAD found your cached copy current (e.g. If-None-Match matched).",
    307: "Temporary Redirect: repeat the same request at the URI in Location.",
    308: "Permanent Redirect: repeat the same request at the URI in Location, from now on.",
    400: "Bad Request: the request itself is malformed (bad JSON, for example).",
    401: "Unauthorized: credentials are missing or wrong.",
    402: "Payment Required: reserved for future use.",
    403: "Forbidden: the server understood but refuses.",
    404: "Not Found: nothing is at this URI now (after a DELETE, that is the state asked for).",
    405: "Method Not Allowed: this resource does not support the method; Allow lists what it does.",
    406: "Not Acceptable: no representation matches your Accept header.",
    409: "Conflict: the request conflicts with the resource's current state.",
    410: "Gone: the resource was here and is permanently gone.",
    412: (
        "Precondition Failed: a condition was false (If-Match, or If-None-Match on a method other than GET "
        "or HEAD), so the request was not applied."
    ),
    413: "Content Too Large: the request content is bigger than the server accepts.",
    415: "Unsupported Media Type: the server does not accept this Content-Type here.",
    418: "I'm a teapot: an April Fools' joke code, unused in practice.",
    422: "Unprocessable Content: well-formed, but the server cannot process what it says.",
    428: "Precondition Required: this server wants a conditional request; read, then send If-Match.",
    408: "Request Timeout: the server gave up waiting for the rest of the request; send it again, on a new connection.",
    429: "Too Many Requests: wait before sending more (Retry-After may say how long).",
    500: "Internal Server Error: the server failed; the code alone does not say whether anything was applied.",
    501: "Not Implemented: the server does not recognise the method.",
    502: "Bad Gateway: an upstream server sent a bad response.",
    503: "Service Unavailable: the server cannot handle it now; try again later (Retry-After may say when).",
    504: "Gateway Timeout: an upstream server did not answer in time; it may still have applied the request.",
    507: "Insufficient Storage: the server has no room to store this.",
}


def describe_status(status: int | None) -> str:
    """Explain a status code in one line a learner understands.

    >>> describe_status(201)
    'Created: a new resource was made; the Location header says where.'
    """
    if status is None:
        return "No response arrived: the server may or may not have applied the request."
    if status in _MEANINGS:
        return _MEANINGS[status]
    classes = {
        1: "Informational",
        2: "Success",
        3: "Redirection",
        4: "Client error: something about the request",
        5: "Server error: something went wrong on the server",
    }
    return f"{status_text(status)} — {classes.get(status // 100, 'a non-standard code')}."
