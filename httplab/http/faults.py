"""The lab's fault contract: the header fields a request uses to make the server misbehave on purpose.

Both sides share these names. The client sends them (experiments and checkers lose a response
to show what a retry does); the server honours them. Neither is part of HTTP: they exist so a
lesson can make a failure happen when it wants one.

``X-Lab-Fault: drop-response``
    Apply the request in full, then close the connection without answering: a lost response.
    Every request that carries it loses its response, retries included.
``X-Lab-Fault: drop-response; times=N; id=TOKEN``
    The same, but only for the first *N* requests that carry this *id*; later requests with
    the same field are answered normally, as if they carried no fault. A client library that
    retries resends the same header fields, so this is how a lab loses the first attempt's
    response and answers the retry. Take a fresh random *id* (:func:`drop_first`) for every
    experiment; the server remembers the most recent ids only (:data:`MAX_TRACKED_IDS`).
``X-Lab-Delay: <seconds>``
    Wait that long (0 to :data:`MAX_DELAY_SECONDS`) before applying the request.

>>> {FAULT_HEADER: DROP_RESPONSE}
{'X-Lab-Fault': 'drop-response'}
>>> parse_fault("drop-response; times=1; id=abc")
Fault(kind='drop-response', times=1, id='abc')
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from httplab.i18n import L_, LazyText

__all__ = [
    "DELAY_HEADER",
    "DROP_RESPONSE",
    "FAULTS",
    "FAULT_HEADER",
    "MAX_DELAY_SECONDS",
    "MAX_TIMES",
    "MAX_TRACKED_IDS",
    "DropResponse",
    "Fault",
    "FaultError",
    "drop_first",
    "parse_fault",
]

#: The request header field that asks for a fault.
FAULT_HEADER = "X-Lab-Fault"
#: Its one kind: apply the request, then lose the response.
DROP_RESPONSE = "drop-response"
#: Every kind :data:`FAULT_HEADER` may name.
FAULTS = (DROP_RESPONSE,)
#: The largest ``times=`` a counted fault takes.
MAX_TIMES = 100
#: How many counted-fault ids the server remembers; the oldest is forgotten first.
MAX_TRACKED_IDS = 1024

#: The request header field that makes the server slow on purpose.
DELAY_HEADER = "X-Lab-Delay"
#: The longest delay the server accepts, in seconds.
MAX_DELAY_SECONDS = 10.0

_ID = re.compile(r"[A-Za-z0-9._~-]{1,64}")


class DropResponse(Exception):
    """Raised after a request was applied, so the connection closes unanswered (not an error of the kit)."""


class FaultError(ValueError):
    """An ``X-Lab-Fault`` value the lab does not understand; the message says what to send instead.

    Its one argument is late-translated text: the lab answers it in each request's language,
    and ``str(error)`` reads it in the kit's language.
    """


def _usage() -> LazyText:
    return L_(
        "Send {header}: {kind}, or {kind}; times=1; id=<a random token>.", header=FAULT_HEADER, kind=DROP_RESPONSE
    )


@dataclass(frozen=True)
class Fault:
    """One parsed ``X-Lab-Fault`` value.

    Attributes
    ----------
    kind
        ``"drop-response"``.
    times
        Drop only this many requests carrying :attr:`id`; None: drop every one.
    id
        The token that ties the attempts of one request together, or None.

    """

    kind: str
    times: int | None = None
    id: str | None = None

    def __str__(self) -> str:
        if self.times is None:
            return self.kind
        return f"{self.kind}; times={self.times}; id={self.id}"


def parse_fault(value: str) -> Fault:
    """Read an ``X-Lab-Fault`` value.

    Raises
    ------
    FaultError
        The value names an unknown fault or parameter, or ``times``/``id`` are missing or wrong.

    >>> parse_fault("DROP-RESPONSE")
    Fault(kind='drop-response', times=None, id=None)
    """
    kind, *params = (part.strip() for part in value.split(";"))
    kind = kind.lower()
    if kind not in FAULTS:
        raise FaultError(
            L_(
                "Unknown {header} {value!r}. The lab knows: {faults}.",
                header=FAULT_HEADER,
                value=value,
                faults=", ".join(FAULTS),
            )
            + " "
            + _usage()
        )
    found: dict[str, str] = {}
    for param in params:
        name, equals, text = param.partition("=")
        name = name.strip().lower()
        if not equals or name not in ("times", "id") or name in found:
            raise FaultError(
                L_(
                    "{header} {value!r}: {param!r} is not a parameter the lab knows (times=, id=, once each).",
                    header=FAULT_HEADER,
                    value=value,
                    param=param,
                )
                + " "
                + _usage()
            )
        found[name] = text.strip().strip('"')
    if not found:
        return Fault(kind)
    times, token = found.get("times"), found.get("id")
    if times is None or token is None:
        raise FaultError(
            L_("{header} {value!r}: times= and id= go together.", header=FAULT_HEADER, value=value) + " " + _usage()
        )
    if not times.isdigit() or not 1 <= int(times) <= MAX_TIMES:
        raise FaultError(
            L_(
                "{header} {value!r}: times= must be a whole number from 1 to {limit}.",
                header=FAULT_HEADER,
                value=value,
                limit=MAX_TIMES,
            )
        )
    if not _ID.fullmatch(token):
        raise FaultError(
            L_(
                "{header} {value!r}: id= must be 1 to 64 letters, digits, '.', '_', '~' or '-' "
                "(a random UUID is a good id).",
                header=FAULT_HEADER,
                value=value,
            )
        )
    return Fault(kind, int(times), token)


def drop_first(times: int = 1) -> str:
    """Return an ``X-Lab-Fault`` value that loses the response of the first *times* attempts only.

    Each call makes a fresh random id, so the attempts of one experiment are counted together
    and no other experiment's.

    >>> parse_fault(drop_first(2)).times
    2
    """
    return str(Fault(DROP_RESPONSE, times, uuid.uuid4().hex))
