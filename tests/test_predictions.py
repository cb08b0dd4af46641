"""Predict, then fire: the prediction banks, the measures that read the server's answer, and the widgets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import httplab
from httplab.errors import PredictionError
from httplab.teaching.evidence import grade_sort
from httplab.teaching.predictions import (
    PATTERNS,
    Choice,
    PredictionSpec,
    measure,
    prediction_ids,
    prediction_spec,
)
from httplab.widgets import EvidenceSort, Prediction

ROOT = Path(__file__).resolve().parent.parent
# Both editions: notebooks/ (English) and notebooks/fr/ (French) use the same predictions.
def _lesson_id(path: Path) -> str:
    return str(path.relative_to(ROOT / "notebooks").with_suffix(""))


LESSONS = [path for edition in ("", "fr") for path in sorted((ROOT / "notebooks" / edition).glob("[0-9][0-9]*-*.py"))]


@pytest.fixture
def lab():
    with httplab.Lab(in_process=True) as lab:
        yield lab


def test_predictions_every_bank_loads_with_unique_ids():
    ids = prediction_ids()
    assert ids and len(ids) == len(set(ids))
    for prediction_id in ids:
        spec = prediction_spec(prediction_id)
        assert spec.prompt.strip() and spec.explanation.strip()
        assert len(spec.choices) >= 2


def test_predictions_unknown_id_lists_the_known_ones():
    with pytest.raises(PredictionError, match="02-post-three"):
        prediction_spec("no-such-prediction")


def test_predictions_pattern_measure_reads_each_shape_of_run(lab):
    spec = PredictionSpec("t", "t", "?", (Choice("once", "once"), Choice("unchanged", "none")), "pattern", "why")
    put = lab.repeat("PUT", "/lab/items/pear", json={"name": "pear"})
    post = lab.repeat("POST", "/lab/items", json={"name": "pear"})
    get = lab.repeat("GET", "/lab/items")
    assert (measure(spec, get), measure(spec, put), measure(spec, post)) == ("unchanged", "once", "kept-changing")


def test_predictions_items_measure_counts_what_the_server_holds(lab):
    spec = prediction_spec("02-post-three")
    result = lab.repeat("POST", "/lab/items", times=4, json={"name": "apple"})
    assert measure(spec, result) == "4"
    assert measure(spec, lab) == "4"


def test_predictions_measure_refuses_what_it_cannot_read():
    spec = prediction_spec("02-post-three")
    with pytest.raises(PredictionError, match="Pass the demo's result"):
        measure(spec, object())


@pytest.mark.parametrize("times, chosen, matched", [(3, "3", True), (3, "1", False)], ids=["right", "wrong"])
def test_prediction_locked_in_before_the_demo_is_graded(lab, times, chosen, matched):
    guess = httplab.predict("02-post-three")
    guess.choose(chosen).lock()
    assert guess.locked and guess.choices.disabled and "Now run the next cell" in guess.message
    outcome = guess.reveal(lab.repeat("POST", "/lab/items", times=times, json={"name": "apple"}))
    assert outcome.locked_before_demo and outcome.observed == "3" and outcome.matched is matched
    assert ("That is what happened" in outcome.text) is matched
    assert "RFC 9110" in outcome.text
    assert "You predicted" in guess._result.value


def test_prediction_revealed_without_locking_in_is_never_a_match(lab):
    guess = httplab.predict("02-post-three")
    guess.choose("3")  # chosen but never locked in: not a prediction
    outcome = guess.reveal(lab.repeat("POST", "/lab/items", times=3, json={"name": "apple"}))
    assert not outcome.locked_before_demo and not outcome.matched
    assert "No prediction was locked in" in outcome.text
    assert outcome.to_dict()["chosen"] is None


def test_prediction_lock_without_a_choice_says_what_to_do():
    guess = httplab.predict("02-post-three")
    guess.lock()
    assert not guess.locked and "Choose one answer first" in guess.message


def test_prediction_refuses_an_unknown_choice_and_a_change_after_locking():
    guess = Prediction(prediction_spec("02-post-three"))
    with pytest.raises(PredictionError, match="not one of this prediction's choices"):
        guess.choose("seven")
    guess.choose("1").lock()
    with pytest.raises(PredictionError, match="already locked in"):
        guess.choose("3")


def test_evidence_sort_grades_against_the_board_that_ran(lab):
    board = lab.compare()
    sorter = EvidenceSort(board)
    truth = {row.label: _pattern_of(row) for row in board.rows}
    for label, pattern in truth.items():
        sorter.place(label, pattern)
    assert sorter.check().correct
    # Put PATCH (JSON Patch append) with the merge patch: the evidence says otherwise.
    sorter.place("PATCH (JSON Patch append)", "once")
    outcome = sorter.check()
    assert not outcome.correct and outcome.wrong == ("PATCH (JSON Patch append)",)
    assert "state numbers" in outcome.text


def test_evidence_sort_unplaced_rows_are_named_and_bad_input_is_refused(lab):
    board = lab.compare([("GET", "/lab/items"), ("POST", "/lab/items", {"json": {"name": "a"}})])
    assert grade_sort(board, {"GET /lab/items": "unchanged"}).wrong == ("POST /lab/items",)
    with pytest.raises(PredictionError, match="not a row"):
        grade_sort(board, {"PUT /x": "once"})
    with pytest.raises(PredictionError, match="not a pattern"):
        EvidenceSort(board).place("GET /lab/items", "safe")


def _pattern_of(row) -> str:
    numbers = row.state_numbers
    if len(set(numbers)) == 1:
        return "unchanged"
    return "once" if len(set(numbers[1:])) == 1 else "kept-changing"


def test_patterns_never_call_an_observation_safe():
    assert all("safe" not in words for words in PATTERNS.values())


_PREDICT = re.compile(r"(\w+)\s*=\s*httplab\.predict\(\"([\w-]+)\"\)")


@pytest.mark.parametrize("path", LESSONS, ids=_lesson_id)
def test_lesson_predictions_exist_and_come_before_their_reveal(path):
    text = path.read_text()
    for match in _PREDICT.finditer(text):
        name, prediction_id = match.groups()
        assert prediction_spec(prediction_id).lesson == path.stem, f"{prediction_id} belongs to another lesson"
        reveal = text.find(f"{name}.reveal(", match.end())
        assert reveal > match.end(), f"{path.name}: {prediction_id} is never revealed after it is made"
        # The demo runs in a later cell than the prediction: a cell marker lies between them.
        assert "# %%" in text[match.end():reveal], f"{path.name}: {prediction_id}'s demo is in the same cell"


@pytest.mark.parametrize("path", [p for p in LESSONS if "00" < p.stem[:2]], ids=_lesson_id)
def test_every_lesson_after_00_predicts_before_its_key_demo(path):
    made = _PREDICT.findall(path.read_text())
    assert made, f"{path.name} has no `x = httplab.predict(...)` before a demo"
