"""The lab's fault contract: the header fields a request uses to make the server misbehave on purpose.

Both sides share these names. The client sends them (experiments and checkers lose a response
to show what a retry does); the server honours them. Neither is part of HTTP: they exist so a
lesson can make a failure happen when it wants one.

``X-Lab-Fault: drop-response``
    Apply the request in full, then close the connection without answering: a lost response.
``X-Lab-Delay: <seconds>``
    Wait that long (0 to :data:`MAX_DELAY_SECONDS`) before applying the request.

>>> {FAULT_HEADER: DROP_RESPONSE}
{'X-Lab-Fault': 'drop-response'}
"""

from __future__ import annotations

__all__ = ["DELAY_HEADER", "DROP_RESPONSE", "FAULTS", "FAULT_HEADER", "MAX_DELAY_SECONDS", "DropResponse"]

#: The request header field that asks for a fault.
FAULT_HEADER = "X-Lab-Fault"
#: Its one value: apply the request, then lose the response.
DROP_RESPONSE = "drop-response"
#: Every value :data:`FAULT_HEADER` may take.
FAULTS = (DROP_RESPONSE,)

#: The request header field that makes the server slow on purpose.
DELAY_HEADER = "X-Lab-Delay"
#: The longest delay the server accepts, in seconds.
MAX_DELAY_SECONDS = 10.0


class DropResponse(Exception):
    """Raised after a request was applied, so the connection closes unanswered (not an error of the kit)."""
