"""What every experiment shares: the request it describes, the lab it runs on, its snapshots."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from httplab.client.models import Exchange
from httplab.errors import InvalidRequestError, NoResponseError, SetupFailedError
from httplab.i18n import _, pgettext

#: Top-level keys of ``lab.state()`` that describe the lab itself, not the resources' state.
NOT_STATE = frozenset({"requests", "settings"})


class LabLike(Protocol):
    """What an experiment needs from a lab: send a request, read the state, reset it."""

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        """Send one request and return the exchange."""

    def state(self) -> dict[str, Any]:
        """Return a snapshot of the lab."""

    def reset(self) -> None:
        """Empty the lab's store."""


@dataclass(frozen=True, init=False)
class Call:
    """One request an experiment sends: a method, a path and the options of ``lab.send``.

    Parameters
    ----------
    method
        GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS...
    path
        A path on the lab, like ``/lab/items/apple``.
    **options
        ``json=``, ``content=`` or ``headers=``, as :meth:`httplab.Lab.send` takes them.

    Examples
    --------
    >>> Call("PUT", "/lab/items/apple", json={"name": "apple"})
    <Call PUT /lab/items/apple>

    """

    method: str
    path: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, method: str, path: str, **options: Any) -> None:
        if not isinstance(method, str) or not method:
            raise InvalidRequestError(
                _("{method!r} is not a method name. Use a word such as GET, POST or PUT.").format(method=method)
            )
        object.__setattr__(self, "method", method.upper())
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "options", dict(options))

    @classmethod
    def coerce(cls, value: Call | Sequence[Any]) -> Call:
        """Accept a :class:`Call`, ``(method, path)`` or ``(method, path, {options})``."""
        if isinstance(value, Call):
            return value
        if isinstance(value, (tuple, list)) and len(value) in (2, 3):
            options = dict(value[2]) if len(value) == 3 else {}
            return cls(value[0], value[1], **options)
        raise InvalidRequestError(
            _(
                "{value!r} does not describe a request. Use Call('PUT', '/lab/items/x', json={{...}}) "
                "or a tuple like ('PUT', '/lab/items/x', {{'json': {{...}}}})."
            ).format(value=value)
        )

    @property
    def headers(self) -> dict[str, str]:
        """The request's extra header fields."""
        return dict(self.options.get("headers") or {})

    def with_headers(self, **extra: str) -> Call:
        """Return the same call with extra header fields (``X_Lab_Fault`` becomes ``X-Lab-Fault``)."""
        headers = self.headers
        for name, value in extra.items():
            headers[name.replace("_", "-")] = value
        return Call(self.method, self.path, **{**self.options, "headers": headers})

    def without_header(self, name: str) -> Call:
        """Return the same call without the header field *name* (matched case-insensitively)."""
        headers = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        return Call(self.method, self.path, **{**self.options, "headers": headers})

    def send(self, lab: LabLike) -> Exchange:
        """Send this call; a lost response comes back as an exchange with no response."""
        try:
            return lab.send(self.method, self.path, **self.options)
        except NoResponseError as error:
            if error.exchange is None:
                raise
            return error.exchange

    def to_dict(self) -> dict[str, Any]:
        """Return the call as plain JSON-friendly data."""
        return {"method": self.method, "path": self.path, "options": jsonable(dict(self.options))}

    def __repr__(self) -> str:
        return f"<Call {self.method} {self.path}>"


def label_text(label: str) -> str:
    """Return a run's label as a learner reads it: the kit's own labels translated, any other as given.

    A label is also a key (``comparison["PATCH (merge patch)"]``), so results keep the English one.
    """
    return _(label) if label else label


def join_and(words: Sequence[str]) -> str:
    """Join *words* as a sentence lists them: ``"a, b and c"`` (in the kit's language)."""
    if len(words) < 2:
        return "".join(words)
    return _("{words} and {last}").format(words=", ".join(words[:-1]), last=words[-1])


def join_or(words: Sequence[str]) -> str:
    """Join *words* as alternatives: ``"a, b or c"`` (in the kit's language)."""
    if len(words) < 2:
        return "".join(words)
    return _("{words} or {last}").format(words=", ".join(words[:-1]), last=words[-1])


def yes_no(value: bool) -> str:
    """Return "yes" or "no" for a table cell, in the kit's language."""
    return pgettext("verdict", "yes") if value else pgettext("verdict", "no")


def resources_state(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the state of the lab's resources (drop request counts and settings)."""
    return {key: value for key, value in snapshot.items() if key not in NOT_STATE}


def state_key(state: Mapping[str, Any]) -> str:
    """Return one canonical text for a state, so equal states compare equal."""
    return json.dumps(state, sort_keys=True, separators=(",", ":"), default=str)


def state_size(state: Mapping[str, Any]) -> int:
    """Count the entries in a state: items, plus entries of any other section."""
    total = 0
    for value in state.values():
        total += len(value) if isinstance(value, (list, dict)) else 1
    return total


def prepare(lab: LabLike, setup: Iterable[Call | Sequence[Any]], *, reset: bool) -> tuple[Exchange, ...]:
    """Reset the lab if asked, then send each setup call; raise if one of them fails."""
    if reset:
        lab.reset()
    done = []
    for value in setup:
        call = Call.coerce(value)
        exchange = call.send(lab)
        done.append(exchange)
        if not exchange.ok:
            raise SetupFailedError(
                _(
                    "The setup request {method} {path} answered {status}, so the experiment would not start "
                    "from the state you meant. Fix the setup request (or start from reset=True)."
                ).format(method=call.method, path=call.path, status=exchange.status_text)
            )
    return tuple(done)


def check_times(times: int, *, least: int = 2, most: int = 1000) -> None:
    """Refuse a number of repetitions an experiment cannot learn from."""
    if isinstance(times, bool) or not isinstance(times, int) or not least <= times <= most:
        raise InvalidRequestError(
            _(
                "times={times!r}: send the request between {least} and {most} times. "
                "It takes at least two calls to see what repeating a request does."
            ).format(times=times, least=least, most=most)
        )


def exchange_to_dict(exchange: Exchange) -> dict[str, Any]:
    """Return the parts of an exchange an exercise checker needs, as plain data."""
    response = exchange.response
    return {
        "method": exchange.request.method,
        "target": exchange.request.target,
        "status": exchange.status,
        "status_text": exchange.status_text,
        "error": exchange.error,
        "response_headers": [] if response is None else [list(pair) for pair in response.headers.fields],
        "json": jsonable(exchange.json),
    }


def jsonable(value: Any) -> Any:
    """Return *value* as something ``json.dumps`` accepts (bytes become text)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)
