"""The catalogue of flaws a lab can plant on purpose: what each one does and which rule it breaks.

A flawed lab (``Lab(flaws=[...])``, ``start(flaws="mystery", seed=...)``) misbehaves in named,
documented ways, so that a learner can audit a server they did not write. This module holds the
*descriptions* both sides read: the server plants the behaviour, the lessons and the audit
exercise grade against it. Two entries break **no** rule (``lawful=True``): they look odd, and
telling them apart from real faults is the point of the audit.

>>> FLAWS["get-counts-views"].rule.section
'RFC 9110 §9.2.1'
>>> sorted(flaw.id for flaw in FLAWS.values() if flaw.lawful)
['delete-missing-204', 'put-stamps-updated-at']
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from httplab.i18n import N_, _

__all__ = [
    "ALLOWED",
    "CONFLICTS",
    "FLAWS",
    "MYSTERY",
    "MYSTERY_BROKEN",
    "MYSTERY_LAWFUL",
    "Flaw",
    "Rule",
    "catalogue_text",
    "conflict",
    "mystery_flaws",
    "unknown_flaw_message",
]

#: The value of ``flaws=`` that plants a hidden subset chosen from the seed.
MYSTERY = "mystery"
#: How many rule-breaking flaws, and how many lawful oddities, a mystery lab plants.
MYSTERY_BROKEN = 3
MYSTERY_LAWFUL = 1
#: What an audit says about a behaviour that is unusual but breaks no rule.
ALLOWED = "allowed"


@dataclass(frozen=True)
class Rule:
    """A rule of HTTP: where it is written and the sentence that says it."""

    section: str
    sentence: str


@dataclass(frozen=True)
class Flaw:
    """One misbehaviour a lab can plant.

    Attributes
    ----------
    id
        The name to pass in ``flaws=[...]``.
    title
        What the server does, in a few words (an English message id: show it with ``_(flaw.title)``).
    rule
        The rule it breaks, or for a lawful one the rule that allows it (the RFC's own English words).
    observe
        How a learner sees it with the kit's own experiments (a message id too: ``_(flaw.observe)``).
    lawful
        True for the two behaviours that look odd but break no rule.
    """

    id: str
    title: str
    rule: Rule
    observe: str
    lawful: bool = False

    def __repr__(self) -> str:
        kind = "lawful" if self.lawful else "breaks"
        return f"<Flaw {self.id} ({kind} {self.rule.section})>"


_CATALOGUE = (
    Flaw(
        "get-counts-views",
        N_("A GET stores a view counter in the item it reads"),
        Rule(
            "RFC 9110 §9.2.1",
            "Request methods are considered \"safe\" if their defined semantics are essentially read-only; "
            "i.e., the client does not request, and does not expect, any state change on the origin server "
            "as a result of applying a safe method to a target resource.",
        ),
        N_(
            "lab.repeat('GET', '/lab/items/x', setup=[...]) : the state changes with every GET (a counter in the "
            "item, not a log line)."
        ),
    ),
    Flaw(
        "put-merges",
        N_("A PUT keeps the fields the client left out (it merges instead of replacing)"),
        Rule(
            "RFC 9110 §9.3.4",
            "The PUT method requests that the state of the target resource be created or replaced with the "
            "state defined by the representation enclosed in the request message content.",
        ),
        N_("PUT {name, color}, then PUT {name}: lab.state() still shows color."),
    ),
    Flaw(
        "put-appends",
        N_("A PUT appends list values to the stored lists instead of replacing them"),
        Rule(
            "RFC 9110 §9.2.2",
            "A request method is considered \"idempotent\" if the intended effect on the server of multiple "
            "identical requests with that method is the same as the effect for a single such request.",
        ),
        N_("lab.repeat('PUT', '/lab/items/x', json={'tags': ['a']}) : the list grows with every call."),
    ),
    Flaw(
        "delete-500",
        N_("A DELETE deletes the item, then answers 500 Internal Server Error"),
        Rule(
            "RFC 9110 §15.6.1",
            "The 500 (Internal Server Error) status code indicates that the server encountered an unexpected "
            "condition that prevented it from fulfilling the request.",
        ),
        N_("lab.repeat('DELETE', '/lab/items/x', setup=[...]) : call 1 answers 500, yet the item is gone after it."),
    ),
    Flaw(
        "post-no-location",
        N_("A POST that creates an item answers 201 without Location"),
        Rule(
            "RFC 9110 §9.3.3",
            "If one or more resources has been created on the origin server as a result of successfully "
            "processing a POST request, the origin server SHOULD send a 201 (Created) response containing a "
            "Location header field that provides an identifier for the primary resource created …",
        ),
        N_("lab.send('POST', '/lab/items', json={...}) : a 201 with no Location header field."),
    ),
    Flaw(
        "if-match-ignored",
        N_("PUT, PATCH and DELETE ignore If-Match, so a lost update goes unnoticed"),
        Rule(
            "RFC 9110 §13.1.1",
            "An origin server MUST NOT perform the requested method if a received If-Match condition "
            "evaluates to false.",
        ),
        N_("PUT with If-Match: \"not-the-etag\" : a 2xx where 412 was due; lab.lost_update() loses the first write."),
    ),
    Flaw(
        "405-without-allow",
        N_("A 405 Method Not Allowed without an Allow header field"),
        Rule(
            "RFC 9110 §15.5.6",
            "The origin server MUST generate an Allow header field in a 405 response containing a list of the "
            "target resource's currently supported methods.",
        ),
        N_("lab.send('POST', '/lab/items/x') : 405, and no Allow."),
    ),
    Flaw(
        "unknown-method-200",
        N_("A method the server does not know gets 200 OK instead of 501"),
        Rule(
            "RFC 9110 §9.1",
            "An origin server that receives a request method that is unrecognized or not implemented SHOULD "
            "respond with the 501 (Not Implemented) status code.",
        ),
        N_("lab.send('BREW', '/lab/items') : 200 OK."),
    ),
    Flaw(
        "head-differs",
        N_("HEAD answers with other header fields than GET (no ETag, another Content-Type)"),
        Rule(
            "RFC 9110 §9.3.2",
            "The server SHOULD send the same header fields in response to a HEAD request as it would have sent "
            "if the request method had been GET.",
        ),
        N_("Send GET and HEAD to the same item and compare the header fields."),
    ),
    Flaw(
        "etag-unquoted",
        N_("ETags are sent without their double quotes"),
        Rule(
            "RFC 9110 §8.8.3",
            "An entity-tag consists of an opaque quoted string, possibly prefixed by a weakness indicator.",
        ),
        N_("lab.send('GET', '/lab/items/x').headers['ETag'] : abc123 instead of \"abc123\"."),
    ),
    Flaw(
        "weak-etag-if-match",
        N_("ETags are weak, and If-Match accepts a weak tag"),
        Rule(
            "RFC 9110 §13.1.1",
            "An origin server MUST use the strong comparison function when comparing entity tags for If-Match "
            "(Section 8.8.3.2), since the client intends this precondition to prevent the method from being "
            "applied if there have been any changes to the representation data.",
        ),
        N_("GET gives ETag: W/\"...\"; a PUT with If-Match: that weak tag answers 2xx instead of 412."),
    ),
    Flaw(
        "put-create-200",
        N_("A PUT that creates an item answers 200 OK instead of 201 Created"),
        Rule(
            "RFC 9110 §9.3.4",
            "If the target resource does not have a current representation and the PUT successfully creates "
            "one, then the origin server MUST inform the user agent by sending a 201 (Created) response.",
        ),
        N_("lab.repeat('PUT', '/lab/items/new', json={...}) : the first call, which created the item, answers 200."),
    ),
    Flaw(
        "put-stamps-updated-at",
        N_("A PUT stores an updated_at time the client did not send"),
        Rule(
            "RFC 9110 §9.2.2",
            "Like the definition of safe, the idempotent property only applies to what has been requested by "
            "the user; a server is free to log each request separately, retain a revision control history, or "
            "implement other non-idempotent side effects for each idempotent request.",
        ),
        N_(
            "lab.repeat('PUT', ...) : only updated_at differs between repeats; every field the client sent stays "
            "as sent. Unusual but allowed."
        ),
        lawful=True,
    ),
    Flaw(
        "delete-missing-204",
        N_("A DELETE of a missing item answers 204 instead of 404"),
        Rule(
            "RFC 9110 §9.3.5",
            "If a DELETE method is successfully applied, the origin server SHOULD send a 202 (Accepted) status "
            "code if the action will likely succeed but has not yet been enacted, a 204 (No Content) status "
            "code if the action has been enacted and no further information is to be supplied, or a 200 (OK) "
            "status code if the action has been enacted and the response message includes a representation "
            "describing the status.",
        ),
        N_(
            "lab.send('DELETE', '/lab/items/never-there') : 204; the state is what a DELETE leaves (no item). "
            "Unusual but allowed."
        ),
        lawful=True,
    ),
)

#: Every flaw a lab can plant, by id.
FLAWS: dict[str, Flaw] = {flaw.id: flaw for flaw in _CATALOGUE}


def catalogue_text() -> str:
    """Return the catalogue as lines ``id: title`` (for error messages and lessons)."""
    lines = []
    for flaw in _CATALOGUE:
        line = _("{id}: {title} (lawful)") if flaw.lawful else _("{id}: {title}")
        lines.append("  " + line.format(id=flaw.id, title=_(flaw.title)))
    return "\n".join(lines)


def unknown_flaw_message(names: list[str]) -> str:
    """Say which flaw names are unknown, and list the catalogue."""
    shown = ", ".join(repr(name) for name in names)
    return _(
        'A lab knows no flaw {names}. Use flaws="mystery" (with seed=...) for a hidden set, '
        "or a list of these ids:\n{catalogue}"
    ).format(names=shown, catalogue=catalogue_text())


#: Pairs of flaws that hide each other, so a lab never plants both.
CONFLICTS: dict[frozenset[str], str] = {
    frozenset({"etag-unquoted", "weak-etag-if-match"}): N_(
        "etag-unquoted strips the W/ that shows weak-etag-if-match, so one would hide the other"
    ),
}


def conflict(names: tuple[str, ...] | list[str]) -> str | None:
    """Say why these flaws cannot be planted together, or None when they can.

    >>> conflict(["etag-unquoted", "put-merges"]) is None
    True
    """
    chosen = set(names)
    for pair, why in CONFLICTS.items():
        if pair <= chosen:
            first, second = sorted(pair)
            return _("Plant only one of {first} and {second}: {why}. The catalogue:\n{catalogue}").format(
                first=first, second=second, why=_(why), catalogue=catalogue_text()
            )
    return None


def mystery_flaws(seed: int) -> tuple[str, ...]:
    """Pick the flaws a mystery lab plants from *seed*: the same seed always gives the same set.

    >>> mystery_flaws(7) == mystery_flaws(7)
    True
    >>> sum(FLAWS[name].lawful for name in mystery_flaws(7))
    1
    """
    rng = random.Random(f"httplab-mystery-{seed}")
    broken = sorted(flaw.id for flaw in _CATALOGUE if not flaw.lawful)
    lawful = sorted(flaw.id for flaw in _CATALOGUE if flaw.lawful)
    while True:
        chosen = rng.sample(broken, MYSTERY_BROKEN) + rng.sample(lawful, MYSTERY_LAWFUL)
        if conflict(chosen) is None:
            return tuple(sorted(chosen))
