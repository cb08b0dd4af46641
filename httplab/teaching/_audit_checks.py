"""The audit exercise's checker: grade a learner's findings against the flaws a mystery lab planted.

The learner writes ``audit(lab)``, which runs experiments on a lab and returns what it found as
a dict: flaw id → the RFC section the behaviour breaks (``"RFC 9110 §9.2.1"``), or ``"allowed"``
for a behaviour that is unusual but breaks no rule. The checker hands it several mystery labs
whose seeds it knows, so together they plant every flaw of the catalogue, and compares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from httplab.http.flaws import ALLOWED, FLAWS
from httplab.teaching._checking import _Failed, call, fresh_lab

__all__ = ["AUDIT_SEEDS", "check_audit", "grade_findings", "section_of"]

#: The mystery labs the checker audits: together they plant every flaw of the catalogue.
AUDIT_SEEDS = (1, 2, 31, 37)

_SECTION = re.compile(r"(?:RFC\s*(\d{4})\s*)?(?:§|section\s*|sec\.?\s*)?\s*(\d+(?:\.\d+)*)", re.IGNORECASE)


def section_of(text: str) -> str | None:
    """Read ``"RFC 9110 §9.2.1"``, ``"9110 section 9.2.1"`` or ``"§9.2.1"`` as ``"RFC 9110 §9.2.1"``.

    A bare section number is taken as RFC 9110's. Returns None when *text* names no section.

    >>> section_of("rfc9110 section 13.1.1"), section_of("§9.3.4"), section_of("the GET rule")
    ('RFC 9110 §13.1.1', 'RFC 9110 §9.3.4', None)
    """
    match = _SECTION.search(text)
    if match is None:
        return None
    return f"RFC {match.group(1) or '9110'} §{match.group(2)}"


def grade_findings(findings: Any, planted: tuple[str, ...]) -> list[str]:
    """Compare *findings* with the *planted* flaws; return one problem per line (empty: all right)."""
    if not isinstance(findings, Mapping):
        raise _Failed(
            f"audit(lab) returned {type(findings).__name__}; return a dict like "
            "{'get-counts-views': 'RFC 9110 §9.2.1', 'delete-missing-204': 'allowed'}."
        )
    problems: list[str] = []
    unknown = sorted(str(name) for name in findings if name not in FLAWS)
    if unknown:
        problems.append(
            f"{', '.join(repr(name) for name in unknown)} is not a flaw id. Use the ids of "
            "httplab.http.flaws.FLAWS, like 'put-merges'."
        )
    for flaw_id in planted:
        flaw = FLAWS[flaw_id]
        said = findings.get(flaw_id)
        if flaw.lawful:
            if said is None:
                problems.append(f"You did not say what you made of this: {flaw.title.lower()}. Is it a fault?")
            elif str(said).strip().lower() != ALLOWED:
                problems.append(
                    f"False accusation: {flaw.title.lower()} breaks no rule. {flaw.rule.section}: "
                    f"\"{flaw.rule.sentence}\" Report it as 'allowed'."
                )
            continue
        if said is None:
            problems.append(f"Missed: this lab has a flaw you did not report. Hint: {flaw.observe}")
        elif str(said).strip().lower() == ALLOWED:
            problems.append(f"{flaw_id} is not merely unusual: it breaks a rule. Which section of the RFC says so?")
        elif section_of(str(said)) != flaw.rule.section:
            problems.append(
                f"You found {flaw_id}, but cited {said!r}. Look for the rule it breaks near {flaw.rule.section}."
            )
    for flaw_id in sorted(set(findings) & set(FLAWS) - set(planted)):
        if str(findings[flaw_id]).strip().lower() != ALLOWED:
            problems.append(
                f"False accusation: this lab does not do this: {FLAWS[flaw_id].title.lower()}. "
                "Report only what an experiment showed."
            )
    return problems


def check_audit(audit: Callable[..., Any]) -> list[str]:
    """Run the learner's ``audit(lab)`` on each mystery lab of :data:`AUDIT_SEEDS` and grade its findings."""
    feedback: list[str] = []
    for number, seed in enumerate(AUDIT_SEEDS, start=1):
        with fresh_lab(flaws="mystery", seed=seed) as lab:
            findings = call(audit, lab, when=f"on mystery lab {number}")
            planted = lab.options.planted_flaws
        problems = grade_findings(findings, planted)
        if problems:
            raise _Failed(f"Mystery lab {number} of {len(AUDIT_SEEDS)}: " + " ".join(problems))
        broken = sum(not FLAWS[f].lawful for f in planted)
        feedback.append(
            f"Mystery lab {number}: all {broken} broken rules found and cited, "
            "and the lawful oddity named as allowed."
        )
    return feedback
