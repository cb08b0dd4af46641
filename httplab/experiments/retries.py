"""Lose a response on purpose, retry by one of three policies, and see what the server ends with.

The first attempt carries ``X-Lab-Fault: drop-response``: the server applies it in full and
closes the connection without answering. The client cannot know whether the request was
applied. What it does next depends on its retry policy:

``"never"``
    Give up and report the error (what requests does by default).
``"idempotent-only"``
    Retry only GET, HEAD, PUT, DELETE, OPTIONS and TRACE. That is the method list of
    urllib3's ``Retry`` for *read* errors, like this lost response; urllib3 retries
    *connect* errors for every method, since nothing reached the server.
``"always"``
    Retry whatever the method. RFC 9110 §9.2.2: a client SHOULD NOT automatically retry a
    request with a non-idempotent method unless it knows the request is idempotent in
    effect or can detect that the original was never applied; a proxy MUST NOT.

Real clients follow no single rule: requests retries nothing by default, urllib3 and
requests' ``HTTPAdapter(max_retries=3)`` retry read errors for the methods above, httpx's
``retries=`` retries only failed connections, Go's net/http replays some requests on a
reused connection, and browsers have resent POSTs. Check what your library does — or watch it:
:mod:`httplab.experiments.retry_clients` runs the real libraries on the same lost response.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from httplab.client.models import Exchange
from httplab.display import render
from httplab.errors import InvalidRequestError
from httplab.experiments.calls import (
    Call,
    LabLike,
    exchange_to_dict,
    prepare,
    resources_state,
    state_key,
    state_size,
    yes_no,
)
from httplab.experiments.verdicts import CAVEAT, IDEMPOTENT_METHODS
from httplab.http.faults import DROP_RESPONSE, FAULT_HEADER
from httplab.http.status import status_text
from httplab.i18n import _, ngettext, pgettext

__all__ = ["RETRY_POLICIES", "URLLIB3_RETRY_METHODS", "RetryResult", "retry_after_lost_response"]

RetryPolicy = Literal["never", "idempotent-only", "always"]
RETRY_POLICIES: tuple[str, ...] = ("never", "idempotent-only", "always")
#: urllib3's ``Retry.DEFAULT_ALLOWED_METHODS``: the methods it retries after a read error
#: (connect errors it retries for every method).
URLLIB3_RETRY_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class RetryResult:
    """What happened when a response was lost and the client followed a retry policy.

    Attributes
    ----------
    call
        The request (without the fault header).
    policy
        ``"never"``, ``"idempotent-only"`` or ``"always"``.
    idempotency_key
        The ``Idempotency-Key`` sent with both attempts, or None.
    first
        The first attempt: the server applied it and sent no response.
    retry
        The retried attempt, or None when the policy did not retry.
    before, after_first, final
        The resources' state before the first attempt, after it, and at the end.
    setup
        The exchanges that prepared the state.

    """

    call: Call
    policy: str
    idempotency_key: str | None
    first: Exchange
    retry: Exchange | None
    before: dict[str, Any]
    after_first: dict[str, Any]
    final: dict[str, Any]
    setup: tuple[Exchange, ...] = ()

    @property
    def retried(self) -> bool:
        """True when the client sent the request a second time."""
        return self.retry is not None

    @property
    def first_applied(self) -> bool:
        """True when the first attempt changed the state, although its response was lost."""
        return state_key(self.before) != state_key(self.after_first)

    @property
    def duplicated(self) -> bool:
        """True when the retry had an effect of its own: the request took effect twice."""
        return self.retried and state_key(self.after_first) != state_key(self.final)

    @property
    def statuses(self) -> tuple[int | None, ...]:
        """The first attempt's status (None: no response), then the retry's if there was one."""
        return (self.first.status,) if self.retry is None else (self.first.status, self.retry.status)

    @property
    def replayed(self) -> bool:
        """True when the server answered the retry by replaying the first response (Idempotency-Key).

        The lab marks a replay with ``Idempotent-Replayed: true``, a header of its own: the
        Idempotency-Key draft defines no such field.
        """
        response = None if self.retry is None else self.retry.response
        return response is not None and response.headers.get("Idempotent-Replayed", "").lower() == "true"

    @property
    def explanation(self) -> str:
        """Say what the server did, what the client knew, and what the retry cost."""
        method = self.call.method
        if self.first.response is not None:
            first = _("The first attempt got {status}; the response was not lost.").format(
                status=status_text(self.first.status)
            )
        elif self.first_applied:
            first = _(
                "The server applied the first attempt (the state changed) and closed the connection without a "
                "response, so the client could not know whether it was applied."
            )
        else:
            first = _(
                "The first attempt left the state as it was, and its response was lost: the client could not tell "
                "either way."
            )
        parts = [first]
        if self.first.response is None:
            parts.append(_policy_sentence(self.policy, method, self.retried))
        if self.idempotency_key is not None and not self.retried and self.first.response is None:
            parts.append(
                _(
                    "With an Idempotency-Key, retrying even a POST can be harmless, if the server honours the key: "
                    "this lab replays the first response instead of applying the request again. Idempotency-Key is "
                    "an IETF draft, not part of HTTP, and a client cannot assume a server honours it."
                )
            )
        if self.retry is None:
            if self.first_applied:
                parts.append(_("Without a retry the client reports an error, yet the change happened on the server."))
        elif self.duplicated:
            extra = state_size(self.final) - state_size(self.after_first)
            if extra > 0:
                parts.append(
                    ngettext(
                        "The retry took effect a second time ({extra} more entry in the state): the state after it "
                        "differs from the state the first attempt left. Retrying a request whose effect is not "
                        "idempotent can duplicate that effect.",
                        "The retry took effect a second time ({extra} more entries in the state): the state after it "
                        "differs from the state the first attempt left. Retrying a request whose effect is not "
                        "idempotent can duplicate that effect.",
                        extra,
                    ).format(extra=extra)
                )
            else:
                parts.append(
                    _(
                        "The retry took effect a second time: the state after it differs from the state the first "
                        "attempt left. Retrying a request whose effect is not idempotent can duplicate that effect."
                    )
                )
        else:
            parts.append(
                _(
                    "The retry got {status} and changed nothing more: the final state is what one request leaves."
                ).format(status=status_text(self.retry.status))
            )
            if self.replayed:
                parts.append(
                    _(
                        "The server recognised the Idempotency-Key and replayed the first response without a second "
                        "effect; it said so with Idempotent-Replayed: true, a header of this lab's own, not part of "
                        "the draft. Idempotency-Key is an IETF draft, not part of HTTP itself."
                    )
                )
            if method == "DELETE" and self.retry.status == 404 and self.first_applied:
                parts.append(
                    _(
                        "That 404 says the item was already gone. A 404 alone does not say who deleted it: most "
                        "likely the first attempt did, and here the state read right after the first attempt shows "
                        "the item already gone, so it was the first attempt. The retry left the state one DELETE "
                        "leaves."
                    )
                )
        parts.append(_(CAVEAT))
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return everything as plain JSON-serialisable data, for checkers and tests."""
        return {
            "call": self.call.to_dict(),
            "policy": self.policy,
            "idempotency_key": self.idempotency_key,
            "statuses": list(self.statuses),
            "retried": self.retried,
            "first_applied": self.first_applied,
            "duplicated": self.duplicated,
            "replayed": self.replayed,
            "explanation": self.explanation,
            "before": self.before,
            "after_first": self.after_first,
            "final": self.final,
            "first": exchange_to_dict(self.first),
            "retry": None if self.retry is None else exchange_to_dict(self.retry),
            "setup": [exchange_to_dict(e) for e in self.setup],
        }

    def __repr__(self) -> str:
        shown = " → ".join(status_text(s) for s in self.statuses)
        outcome = "duplicated" if self.duplicated else ("no duplicate" if self.retried else "not retried")
        return f"<RetryResult {self.call.method} {self.call.path} {self.policy}: {shown}, {outcome}>"

    def _repr_html_(self) -> str:
        rows = [(_("1 (response lost)"), render.badges([self.first]), yes_no(self.first_applied))]
        if self.retry is not None:
            rows.append((_("2 (retry)"), render.badges([self.retry]), yes_no(self.duplicated)))
        request = render.request_line(self.call.method, self.call.path)
        policy = f"<code>{render.esc(self.policy)}</code>"
        if self.idempotency_key is None:
            title = _("{request}, retry policy {policy}").format(request=request, policy=policy)
        else:
            title = _("{request} with Idempotency-Key {key}, retry policy {policy}").format(
                request=request, key=f"<code>{render.esc(self.idempotency_key)}</code>", policy=policy
            )
        return render.box(
            title,
            "<div>"
            + render.verdict_chip(_("first attempt applied"), self.first_applied)
            + render.verdict_chip(pgettext("verdict", "retried"), self.retried)
            + render.verdict_chip(_("duplicate effect"), self.duplicated)
            + "</div>",
            render.table((pgettext("column", "attempt"), _("response the client saw"), _("changed the state?")), rows),
            render.paragraph(self.explanation),
            render.json_block(_("state before"), self.before),
            render.json_block(_("state after the lost response"), self.after_first),
            render.json_block(_("state at the end"), self.final),
            render.wire_block(
                _("every exchange on the wire"), (*self.setup, self.first, *([self.retry] if self.retry else []))
            ),
        )


def retry_after_lost_response(
    lab: LabLike,
    method: str,
    path: str,
    *,
    retry: RetryPolicy = "idempotent-only",
    idempotency_key: str | None = None,
    setup: Iterable[Call | Sequence[Any]] = (),
    reset: bool = True,
    **request: Any,
) -> RetryResult:
    """Send a request whose response the server drops, then follow a retry policy.

    Parameters
    ----------
    lab
        The lab to run on.
    method, path
        The request, e.g. ``"POST", "/lab/items"``.
    retry
        ``"never"``, ``"idempotent-only"`` (urllib3's method list for read errors) or ``"always"``.
    idempotency_key
        Send this ``Idempotency-Key`` with both attempts.
    setup
        Requests sent first (each must succeed), e.g. a PUT that creates the item to DELETE.
    reset
        Empty the lab before the setup requests.
    **request
        ``json=``, ``content=`` or ``headers=``, as :meth:`httplab.Lab.send` takes them.

    Examples
    --------
    >>> import httplab
    >>> with httplab.Lab(in_process=True) as lab:
    ...     result = retry_after_lost_response(lab, "POST", "/lab/items", retry="always", json={"name": "a"})
    >>> result.statuses, result.duplicated
    ((None, 201), True)

    """
    if retry not in RETRY_POLICIES:
        raise InvalidRequestError(
            _("retry={retry!r} is not a retry policy. Use one of: {policies}.").format(
                retry=retry, policies=", ".join(RETRY_POLICIES)
            )
        )
    call = Call(method, path, **request).without_header(FAULT_HEADER).without_header("Idempotency-Key")
    if idempotency_key is not None:
        call = call.with_headers(Idempotency_Key=idempotency_key)
    prepared = prepare(lab, setup, reset=reset)
    before = resources_state(lab.state())
    first = call.with_headers(**{FAULT_HEADER: DROP_RESPONSE}).send(lab)
    after_first = resources_state(lab.state())
    again = first.response is None and _policy_retries(retry, call.method)
    second = call.send(lab) if again else None
    final = resources_state(lab.state()) if again else after_first
    return RetryResult(call, retry, idempotency_key, first, second, before, after_first, final, prepared)


def _policy_retries(policy: str, method: str) -> bool:
    return policy == "always" or (policy == "idempotent-only" and method in URLLIB3_RETRY_METHODS)


def _policy_sentence(policy: str, method: str, retried: bool) -> str:
    if policy == "never":
        return _("The client's policy is never to retry, so it sent nothing more.")
    if policy == "always":
        if method in IDEMPOTENT_METHODS:
            return _(
                "The client retries every method, so it sent {method} again. {method} is idempotent, so repeating "
                "it should leave the state one request leaves (unless another client wrote in between)."
            ).format(method=method)
        return _(
            "The client retries every method, so it sent {method} again. {method} is not defined as idempotent, "
            "and RFC 9110 §9.2.2 says a client SHOULD NOT retry it automatically unless it knows the request is "
            "idempotent in effect or can tell that the first attempt was never applied; a proxy MUST NOT."
        ).format(method=method)
    listed = method in URLLIB3_RETRY_METHODS
    if listed and retried:
        sentence = _(
            "This client retries a lost response only for GET, HEAD, PUT, DELETE, OPTIONS and TRACE, the list "
            "urllib3's Retry uses for read errors; {method} is one of them, so it retried. Other libraries "
            "follow other rules: check what yours does."
        )
    elif listed:
        sentence = _(
            "This client retries a lost response only for GET, HEAD, PUT, DELETE, OPTIONS and TRACE, the list "
            "urllib3's Retry uses for read errors; {method} is one of them, so it did not retry. Other libraries "
            "follow other rules: check what yours does."
        )
    elif retried:
        sentence = _(
            "This client retries a lost response only for GET, HEAD, PUT, DELETE, OPTIONS and TRACE, the list "
            "urllib3's Retry uses for read errors; {method} is not one of them, so it retried. Other libraries "
            "follow other rules: check what yours does."
        )
    else:
        sentence = _(
            "This client retries a lost response only for GET, HEAD, PUT, DELETE, OPTIONS and TRACE, the list "
            "urllib3's Retry uses for read errors; {method} is not one of them, so it did not retry. Other "
            "libraries follow other rules: check what yours does."
        )
    return sentence.format(method=method)
