"""The audit exercise's grading: found, cited, and the lawful oddities named as allowed."""

from __future__ import annotations

import pytest
from _audit import audit

from httplab.http.flaws import FLAWS, mystery_flaws
from httplab.teaching._audit_checks import AUDIT_SEEDS, grade_findings, section_of
from httplab.teaching._checking import _Failed
from httplab.teaching.exercises import check

PLANTED = ("delete-missing-204", "get-counts-views", "put-merges")
RIGHT = {"get-counts-views": "RFC 9110 §9.2.1", "put-merges": "RFC 9110 §9.3.4", "delete-missing-204": "allowed"}


def test_audit_seeds_together_plant_every_flaw() -> None:
    assert set().union(*(mystery_flaws(seed) for seed in AUDIT_SEEDS)) == set(FLAWS)


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("RFC 9110 §9.2.1", "RFC 9110 §9.2.1"),
        ("rfc9110 section 13.1.1", "RFC 9110 §13.1.1"),
        ("§9.3.4", "RFC 9110 §9.3.4"),
        ("9.1", "RFC 9110 §9.1"),
        ("the safe rule", None),
    ],
)
def test_audit_section_of_reads_the_usual_spellings(text: str, section: str | None) -> None:
    assert section_of(text) == section


def test_audit_grade_accepts_the_right_findings() -> None:
    assert grade_findings(RIGHT, PLANTED) == []


def test_audit_grade_names_a_missed_flaw_with_a_hint() -> None:
    problems = grade_findings({k: v for k, v in RIGHT.items() if k != "put-merges"}, PLANTED)
    assert problems == [f"Missed: this lab has a flaw you did not report. Hint: {FLAWS['put-merges'].observe}"]


def test_audit_grade_calls_accusing_a_lawful_behaviour_a_false_accusation() -> None:
    (problem,) = grade_findings({**RIGHT, "delete-missing-204": "RFC 9110 §9.3.5"}, PLANTED)
    assert problem.startswith("False accusation") and "allowed" in problem and "RFC 9110 §9.3.5" in problem


def test_audit_grade_refuses_an_accusation_of_a_flaw_the_lab_does_not_have() -> None:
    (problem,) = grade_findings({**RIGHT, "post-no-location": "RFC 9110 §9.3.3"}, PLANTED)
    assert problem.startswith("False accusation: this lab does not do this")


def test_audit_grade_wants_the_right_section() -> None:
    (problem,) = grade_findings({**RIGHT, "get-counts-views": "RFC 9110 §9.2.2"}, PLANTED)
    assert "cited 'RFC 9110 §9.2.2'" in problem and "§9.2.1" in problem


def test_audit_grade_wants_a_broken_rule_not_allowed() -> None:
    (problem,) = grade_findings({**RIGHT, "put-merges": "allowed"}, PLANTED)
    assert "breaks a rule" in problem


def test_audit_grade_needs_a_dict() -> None:
    with pytest.raises(_Failed, match="return a dict"):
        grade_findings(["put-merges"], PLANTED)


def test_audit_check_passes_the_reference_audit_and_fails_an_empty_one() -> None:
    assert check("audit", {"audit": audit}).passed
    result = check("audit", {"audit": lambda lab: {}})
    assert not result.passed and "Missed" in result.feedback[0]


def test_audit_every_catalogue_rule_reads_back_as_its_own_section() -> None:
    for flaw in FLAWS.values():
        assert section_of(flaw.rule.section) == flaw.rule.section, flaw.id
        assert flaw.rule.sentence.strip() and flaw.observe.strip() and flaw.title.strip(), flaw.id
