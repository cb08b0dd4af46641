"""Status codes: reason phrases as RFC 9110 §15 names them (older Pythons still use RFC 7231's), and what each means."""

from __future__ import annotations

from http import HTTPStatus

from httplab.i18n import N_, _

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
        return _("no response")
    return f"{status} {reason_phrase(status)}".strip()


# Reason phrases stay English (the wire says them); the explanations after them are translated where shown.
_MEANINGS = {
    200: N_("OK: the request succeeded; the content is the result."),
    201: N_("Created: a new resource was made; the Location header says where."),
    202: N_("Accepted: the request was accepted for processing, which is not done yet and may still fail."),
    204: N_("No Content: the request succeeded and there is nothing more to send."),
    206: N_("Partial Content: part of the representation, as the Range header asked."),
    301: N_("Moved Permanently: the resource has a new URI (Location)."),
    302: N_("Found: look at the URI in Location for now."),
    303: N_("See Other: fetch the result with GET from the URI in Location."),
    304: N_("Not Modified: a conditional GET or HEAD found your cached copy current (e.g. If-None-Match matched)."),
    307: N_("Temporary Redirect: repeat the same request at the URI in Location."),
    308: N_("Permanent Redirect: repeat the same request at the URI in Location, from now on."),
    400: N_("Bad Request: the request itself is malformed (bad JSON, for example)."),
    401: N_("Unauthorized: credentials are missing or wrong."),
    402: N_("Payment Required: reserved for future use."),
    403: N_("Forbidden: the server understood but refuses."),
    404: N_("Not Found: nothing is at this URI now (after a DELETE, that is the state asked for)."),
    405: N_("Method Not Allowed: this resource does not support the method; Allow lists what it does."),
    406: N_("Not Acceptable: no representation matches your Accept header."),
    409: N_("Conflict: the request conflicts with the resource's current state."),
    410: N_("Gone: the resource was here and is permanently gone."),
    412: N_(
        "Precondition Failed: a condition was false (If-Match, or If-None-Match on a method other than GET "
        "or HEAD), so the request was not applied."
    ),
    413: N_("Content Too Large: the request content is bigger than the server accepts."),
    415: N_("Unsupported Media Type: the server does not accept this Content-Type here."),
    418: N_("I'm a teapot: an April Fools' joke code, unused in practice."),
    422: N_("Unprocessable Content: well-formed, but the server cannot process what it says."),
    428: N_("Precondition Required: this server wants a conditional request; read, then send If-Match."),
    408: N_(
        "Request Timeout: the server gave up waiting for the rest of the request; send it again, on a new connection."
    ),
    429: N_("Too Many Requests: wait before sending more (Retry-After may say how long)."),
    500: N_("Internal Server Error: the server failed; the code alone does not say whether anything was applied."),
    501: N_("Not Implemented: the server does not recognise the method."),
    502: N_("Bad Gateway: an upstream server sent a bad response."),
    503: N_("Service Unavailable: the server cannot handle it now; try again later (Retry-After may say when)."),
    504: N_("Gateway Timeout: an upstream server did not answer in time; it may still have applied the request."),
    507: N_("Insufficient Storage: the server has no room to store this."),
}


def describe_status(status: int | None) -> str:
    """Explain a status code in one line a learner understands.

    >>> describe_status(201)
    'Created: a new resource was made; the Location header says where.'
    """
    if status is None:
        return _("No response arrived: the server may or may not have applied the request.")
    if status in _MEANINGS:
        return _(_MEANINGS[status])
    classes = {
        1: N_("Informational"),
        2: N_("Success"),
        3: N_("Redirection"),
        4: N_("Client error: something about the request"),
        5: N_("Server error: something went wrong on the server"),
    }
    unknown = N_("a non-standard code")
    kind = _(classes.get(status // 100, unknown))
    return _("{status} — {kind}.").format(status=status_text(status), kind=kind)
