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
from httplab.i18n import _
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
            _("audit(lab) returned {type}; return a dict like {example}.").format(
                type=type(findings).__name__,
                example="{'get-counts-views': 'RFC 9110 §9.2.1', 'delete-missing-204': 'allowed'}",
            )
        )
    problems: list[str] = []
    unknown = sorted(str(name) for name in findings if name not in FLAWS)
    if unknown:
        problems.append(
            _("{names} is not a flaw id. Use the ids of httplab.http.flaws.FLAWS, like 'put-merges'.").format(
                names=", ".join(repr(name) for name in unknown)
            )
        )
    for flaw_id in planted:
        flaw = FLAWS[flaw_id]
        said = findings.get(flaw_id)
        if flaw.lawful:
            if said is None:
                problems.append(
                    _("You did not say what you made of this: {behaviour}. Is it a fault?").format(
                        behaviour=_title(flaw_id)
                    )
                )
            elif str(said).strip().lower() != ALLOWED:
                # Translators: {sentence} is the RFC's own sentence; 'allowed' is what the learner's dict must hold.
                problems.append(
                    _("False accusation: {behaviour} breaks no rule. {section}: \"{sentence}\" Report it as 'allowed'.")
                    .format(behaviour=_title(flaw_id), section=flaw.rule.section, sentence=flaw.rule.sentence)
                )
            continue
        if said is None:
            problems.append(
                _("Missed: this lab has a flaw you did not report. Hint: {hint}").format(hint=_(str(flaw.observe)))
            )
        elif str(said).strip().lower() == ALLOWED:
            problems.append(
                _("{flaw} is not merely unusual: it breaks a rule. Which section of the RFC says so?").format(
                    flaw=flaw_id
                )
            )
        elif section_of(str(said)) != flaw.rule.section:
            problems.append(
                _("You found {flaw}, but cited {said!r}. Look for the rule it breaks near {section}.").format(
                    flaw=flaw_id, said=said, section=flaw.rule.section
                )
            )
    for flaw_id in sorted(set(findings) & set(FLAWS) - set(planted)):
        if str(findings[flaw_id]).strip().lower() != ALLOWED:
            problems.append(
                _(
                    "False accusation: this lab does not do this: {behaviour}. Report only what an experiment showed."
                ).format(behaviour=_title(flaw_id))
            )
    return problems


def _title(flaw_id: str) -> str:
    """Return a flaw's title for inside a sentence, in the kit's language where the catalogues translate it."""
    title = _(str(FLAWS[flaw_id].title))
    # Only the first letter: "A PUT stores..." reads "a PUT stores..." in a sentence; protocol names keep their case.
    return title[:1].lower() + title[1:]


def check_audit(audit: Callable[..., Any]) -> list[str]:
    """Run the learner's ``audit(lab)`` on each mystery lab of :data:`AUDIT_SEEDS` and grade its findings."""
    feedback: list[str] = []
    for number, seed in enumerate(AUDIT_SEEDS, start=1):
        with fresh_lab(flaws="mystery", seed=seed) as lab:
            findings = call(audit, lab, when=_("on mystery lab {number}").format(number=number))
            planted = lab.options.planted_flaws
        problems = grade_findings(findings, planted)
        if problems:
            raise _Failed(
                _("Mystery lab {number} of {count}: {problems}").format(
                    number=number, count=len(AUDIT_SEEDS), problems=" ".join(problems)
                )
            )
        broken = sum(not FLAWS[f].lawful for f in planted)
        feedback.append(
            _(
                "Mystery lab {number}: all {broken} broken rules found and cited, "
                "and the lawful oddity named as allowed."
            ).format(number=number, broken=broken)
        )
    return feedback
