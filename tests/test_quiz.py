"""The quiz engine: bank validation, grading of every question type, predict-then-observe, the widget."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import httplab
from httplab.errors import BankError, QuizError
from httplab.http.status import status_text
from httplab.teaching.quiz import (
    KINDS,
    MISCONCEPTIONS,
    Feedback,
    Quiz,
    Score,
    bank_names,
    grade,
    load_bank,
    observe,
)
from httplab.widgets.quiz import QuizWidget

ALL_BANKS = [load_bank(name) for name in bank_names()]
ALL_QUESTIONS = [q for bank in ALL_BANKS for q in bank.questions]
REPO = Path(__file__).resolve().parents[1]

# What RFC 9110 (and RFC 5789/6902/7396/6585, the Idempotency-Key draft) says each predict question
# must observe on this RFC-correct lab. Written here independently of the banks, which hold no answers.
EXPECTED_OBSERVATIONS: dict[str, tuple[int, ...] | int] = {
    "typo-path-count": 1,  # nothing at /lab/item: 404 (§15.5.5), nothing created
    "get-by-name-status": (404,),  # POST put the item at a URI the server chose (§9.3.3), not /lab/items/pear
    "head-status": (404,),  # HEAD gets the status GET would get (§9.3.2)
    "get-counter-count": 3,  # safe (§9.2.1), yet every GET is counted: an incidental effect
    "post-repeat-count": 6,  # 2 items + 4 POSTs, one item per call (§9.3.3)
    "post-three-times-statuses": (201, 201, 201),  # each creates: 201 Created SHOULD (§9.3.3)
    "put-three-times-statuses": (204, 204, 204),  # every call replaces: 200 or 204 MUST (§9.3.4); the lab uses 204
    "put-three-times-count": 2,  # the POSTed plum is at /lab/items/1; PUT creates /lab/items/plum once
    "put-partial-fields": 1,  # PUT replaces the whole state: only the field sent remains
    "merge-patch-three-times": 2,  # RFC 7396: null removes colour, ripe is set; repeats change nothing
    "json-patch-remove-twice": 1,  # RFC 6902: /tags/0 is whatever is first now; two of three removed
    "json-patch-test-guard": (200, 409, 409),  # a failing "test" applies nothing (RFC 6902 §5; RFC 5789 §2.2 409)
    "delete-three-times-statuses": (204, 404, 404),  # §9.3.5; the later calls find nothing
    "delete-three-times-count": 1,  # item 1 is untouched
    "put-same-state-statuses": (204, 204),  # replacements (§9.3.4), state unchanged
    "post-created-put-count": 2,  # PUT replaces item 2 whoever made it
    "idempotency-key-count": 2,  # the draft: repeats with the same key replay, no second effect
    "idempotency-key-statuses": (422, 422),  # the draft: same key, different payload
    "if-none-match-star-twice": (201, 412),  # create only if absent (§13.1.2), after a DELETE
    "stale-if-match": (412,),  # §13.1.1
    "precondition-required": (428,),  # RFC 6585 §3
    "delete-if-match-twice": (204, 404),  # the gone item: preconditions ignored, 404 not 412 (§13.2.1)
    "remove-twice-statuses": (200, 409),  # the member is gone: the patch cannot apply (RFC 6902 §4.2, RFC 5789 §2.2)
    "delete-collection-count": 2,  # 405 twice (§15.5.6): nothing deleted
}

# For the same outcome, the other statuses the RFCs allow besides the lab's own: a prediction with
# any of them is right. Every statuses question not listed here has exactly one right status per call.
RFC_ALSO_ALLOWED: dict[str, dict[int, set[int]]] = {
    "put-three-times-statuses": {204: {200}},  # replace: 200 or 204 (§9.3.4)
    "put-same-state-statuses": {204: {200}},  # replace: 200 or 204 (§9.3.4)
    "json-patch-test-guard": {200: {204}},  # a successful PATCH: 200 with the representation, or 204 (RFC 5789 §2)
    "delete-three-times-statuses": {204: {200}, 404: {410}},  # done: 204 or 200 (§9.3.5); gone: 404 or 410
    "delete-if-match-twice": {204: {200}, 404: {410}},
    "remove-twice-statuses": {200: {204}},
}

# The demos the lessons run just before their quiz: a predict question that sends the same request
# (method and target), as often, from no more setup, replays what the learner has just watched.
LESSON_DEMOS: list[tuple[str, str, set[int], int]] = [  # (method, target pattern, times, most setup requests)
    ("POST", r"/lab/items", {3, 5}, 0),
    ("PUT", r"/lab/items/pear", {3, 5}, 0),
    ("PATCH", r"/lab/items/apple", {3, 5}, 1),
    ("DELETE", r"/lab/items/[^/]+", {2}, 1),
]


def _bank(tmp_path: Path, questions: list[dict[str, Any]], name: str = "broken") -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"bank": name, "title": "A broken bank", "questions": questions}), encoding="utf-8")
    return path


def _single(**changes: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "id": "bad-q",
        "type": "single",
        "prompt": "Which?",
        "explanation": "Because.",
        "misconceptions": [],
        "options": [
            {"id": "a", "text": "A", "correct": True, "explanation": "Yes."},
            {"id": "b", "text": "B", "correct": False, "explanation": "No."},
        ],
    }
    question.update(changes)
    return question


def _predict(**changes: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "id": "bad-q",
        "type": "predict",
        "prompt": "How many?",
        "explanation": "Because.",
        "misconceptions": [],
        "request": {"method": "POST", "path": "/lab/items", "json": {"name": "apple"}},
        "times": 2,
        "observe": "count",
    }
    question.update(changes)
    return question


# ---------------------------------------------------------------------------------------- banks


@pytest.mark.parametrize("name", bank_names())
def test_quiz_every_shipped_bank_loads(name: str) -> None:
    bank = load_bank(name)
    assert bank.name == name
    assert len(bank.questions) >= 4
    assert len({q.id for q in bank.questions}) == len(bank.questions)


def test_quiz_banks_hold_enough_questions_of_every_kind() -> None:
    assert len(ALL_BANKS) >= 10
    assert len(ALL_QUESTIONS) >= 40
    kinds = [q.kind for q in ALL_QUESTIONS]
    assert {kind: kinds.count(kind) >= 1 for kind in KINDS} == dict.fromkeys(KINDS, True)
    assert kinds.count("predict") >= 6


def test_quiz_every_misconception_is_confronted() -> None:
    tagged = {tag for q in ALL_QUESTIONS for tag in q.misconceptions}
    assert set(MISCONCEPTIONS) - tagged == set()


def test_quiz_every_predict_question_has_an_rfc_expectation() -> None:
    predict_ids = {q.id for q in ALL_QUESTIONS if q.kind == "predict"}
    assert predict_ids == set(EXPECTED_OBSERVATIONS)
    assert set(RFC_ALSO_ALLOWED) <= {q.id for q in ALL_QUESTIONS if q.observe == "statuses"}


def test_quiz_question_ids_are_unique_across_banks() -> None:
    ids = [q.id for q in ALL_QUESTIONS]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def _prompt_key(question: Any) -> str:
    return " ".join(question.prompt.casefold().split())


def _predict_key(question: Any) -> tuple[Any, ...]:
    return (str(question.request), question.times, tuple(map(str, question.setup)), question.observe, question.count_of)


def _duplicates(keys: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    seen: dict[Any, str] = {}
    pairs = []
    for name, key in keys:
        if key in seen:
            pairs.append((seen[key], name))
        seen.setdefault(key, name)
    return pairs


def test_quiz_no_two_questions_ask_the_same_thing() -> None:
    def label(question: Any) -> str:
        return f"{question.bank}/{question.id}"

    same_prompt = _duplicates([(label(q), _prompt_key(q)) for q in ALL_QUESTIONS])
    predicts = [q for q in ALL_QUESTIONS if q.kind == "predict"]
    same_requests = _duplicates([(label(q), _predict_key(q)) for q in predicts])
    assert (same_prompt, same_requests) == ([], [])


def test_quiz_duplicate_check_catches_a_copied_question_in_another_bank() -> None:
    original = _q("put-three-times-count")
    copy = replace(original, bank="99-copy", prompt=original.prompt.upper())
    assert _duplicates([("a", _prompt_key(original)), ("b", _prompt_key(copy))]) == [("a", "b")]
    reworded = replace(original, bank="99-copy", prompt="Guess the number of items.")
    assert _duplicates([("a", _predict_key(original)), ("b", _predict_key(reworded))]) == [("a", "b")]


def _replays_a_demo(question: Any) -> bool:
    request = question.request
    extra_headers = {name.lower() for name, _ in request.headers} - {"content-type"}
    return not extra_headers and any(
        request.method == method
        and re.fullmatch(target, request.path)
        and question.times in times
        and len(question.setup) <= setup
        for method, target, times, setup in LESSON_DEMOS
    )


def test_quiz_predict_questions_vary_the_lessons_demos() -> None:
    replays = [q.id for q in ALL_QUESTIONS if q.kind == "predict" and _replays_a_demo(q)]
    assert replays == []
    demo = replace(_q("delete-three-times-statuses"), times=2, setup=())
    assert _replays_a_demo(demo)  # DELETE an item twice: what lesson 05 shows


_UUID_KEY = re.compile(r'"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"')


def test_quiz_idempotency_keys_are_random_and_one_per_operation() -> None:
    keys: dict[str, set[str]] = {}
    for question in ALL_QUESTIONS:
        for spec in (*question.setup, *([question.request] if question.request else [])):
            for name, value in spec.headers:
                if name.lower() == "idempotency-key":
                    assert _UUID_KEY.fullmatch(value), f"{question.id}: {value!r} is not a quoted random UUID"
                    keys.setdefault(value, set()).add(question.id)
    assert keys, "no bank sends an Idempotency-Key"
    assert {key: ids for key, ids in keys.items() if len(ids) > 1} == {}


def _bank_text(question: Any) -> str:
    parts = [question.prompt, question.explanation, question.hint, *(v for _, v in question.wrong_answers)]
    parts += [text for option in question.options for text in (option.text, option.explanation)]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"not guaranteed", "PATCH is not idempotent (RFC 5789 §2); a given patch may be idempotent in effect"),
        (r"safe to (retry|repeat)", "'safe' is a property of a method: say 'harmless to retry'"),
        (r"\border-\d+\b", "guessable Idempotency-Keys leak and collide: use random ones"),
        (r"PATCH is never idempotent", "not a misconception on the list: the RFC says PATCH is not idempotent"),
    ],
)
def test_quiz_banks_avoid_known_false_or_misleading_wording(pattern: str, why: str) -> None:
    found = [q.id for q in ALL_QUESTIONS if re.search(pattern, _bank_text(q), re.IGNORECASE)]
    assert found == [], why


def test_quiz_lab_only_header_is_called_the_labs_own() -> None:
    mentions = [q for q in ALL_QUESTIONS if "Idempotent-Replayed" in _bank_text(q)]
    assert mentions and all("lab's own" in _bank_text(q) for q in mentions)


def test_quiz_hints_do_not_give_the_answer_away() -> None:
    for question in ALL_QUESTIONS:
        hint = question.hint.casefold()
        if question.kind == "numeric":
            for answer in question.answers:
                code = int(float(answer))
                assert str(code) not in hint, question.id
                assert status_text(code).split(" ", 1)[1].casefold() not in hint, question.id
        if question.kind == "text":
            assert not [a for a in question.answers if a.casefold() in hint], question.id


def test_quiz_every_explanation_cites_its_source() -> None:
    sources = re.compile(r"RFC \d+|§\d|draft|HTML standard|Fetch standard")
    uncited = [q.id for q in ALL_QUESTIONS if not sources.search(q.explanation)]
    assert uncited == []


def test_quiz_broken_bank_names_the_file_the_question_and_the_problem(tmp_path: Path) -> None:
    options = [
        {"id": "a", "text": "A", "correct": True, "explanation": "Yes."},
        {"id": "b", "text": "B", "correct": True, "explanation": "Also yes."},
    ]
    path = _bank(tmp_path, [_single(), _single(id="two-right", options=options, optoins=[])])
    with pytest.raises(BankError) as caught:
        load_bank(path)
    message = str(caught.value)
    assert "broken.json" in message
    assert "question 'two-right'" in message
    assert "exactly 1 correct option; it has 2" in message
    assert "unknown key 'optoins'" in message
    assert "'bad-q'" not in message  # the valid question is not blamed


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param({k: v for k, v in _single().items() if k != "prompt"}, "needs 'prompt'", id="missing-prompt"),
        pytest.param(_single(type="essay"), "'type' must be one of", id="unknown-type"),
        pytest.param(_single(id="Bad Id"), "'id' must be lower-case", id="bad-id"),
        pytest.param(_single(misconceptions=["get-is-slow"]), "unknown misconception 'get-is-slow'", id="tag"),
        pytest.param(_single(options=[_single()["options"][0]]), "at least 2 options", id="one-option"),
        pytest.param(_predict(answers=[2]), "the server is the answer key", id="predict-with-answer"),
        pytest.param(_predict(times=0), "'times' must be a whole number from 1", id="times-zero"),
        pytest.param(_predict(request={"method": "post", "path": "/lab/items"}), "upper-case method", id="method"),
        pytest.param(_predict(request={"method": "GET", "path": "lab"}), "'path' must start with '/'", id="path"),
        pytest.param(_predict(observe="colour"), "'observe' must be", id="observe"),
        pytest.param(_predict(also_right={"204": [200]}), "only for observe: statuses", id="also-right-count"),
        pytest.param(_predict(observe="statuses", also_right={}), "'also_right' maps a status", id="also-right-empty"),
        pytest.param(
            _predict(observe="statuses", also_right={"2O4": [200]}), "'2O4' is not a status code", id="also-right-key"
        ),
        pytest.param(
            _predict(observe="statuses", also_right={"204": "200"}), "must be a non-empty list", id="also-right-value"
        ),
        pytest.param(
            _predict(observe="statuses", also_right={"204": [200, 204]}),
            "must list other statuses",
            id="also-right-self",
        ),
        pytest.param(
            {"id": "bad-q", "type": "numeric", "prompt": "?", "explanation": "!", "answers": ["two hundred"]},
            "'answers' must be a non-empty list of numbers",
            id="numeric-answer",
        ),
        pytest.param(
            {"id": "bad-q", "type": "text", "prompt": "?", "explanation": "!", "answers": ["Allow"],
             "wrong_answers": {"Accept": ""}},
            "'wrong_answers' must map",
            id="text-wrong-answers",
        ),
    ],
)
def test_quiz_broken_question_is_reported(tmp_path: Path, question: dict[str, Any], expected: str) -> None:
    with pytest.raises(BankError, match="broken.json") as caught:
        load_bank(_bank(tmp_path, [question]))
    assert f"question {question['id']!r}" in str(caught.value)
    assert expected in str(caught.value)


def test_quiz_duplicate_ids_and_wrong_bank_name_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"bank": "yours", "title": "T", "questions": [_single(), _single()]}))
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert "'bank' must be 'mine'" in str(caught.value)
    assert "used twice" in str(caught.value)


def test_quiz_invalid_json_and_unknown_bank_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "typo.json"
    path.write_text('{"bank": "typo",')
    with pytest.raises(BankError, match=r"typo\.json is not valid JSON"):
        load_bank(path)
    with pytest.raises(BankError, match="no quiz bank called '99-nothing'.*02-post"):
        load_bank("99-nothing")


def test_quiz_failing_setup_request_is_reported_as_a_bank_error(tmp_path: Path) -> None:
    broken = _predict(setup=[{"method": "DELETE", "path": "/lab/items/ghost"}])
    question = load_bank(_bank(tmp_path, [broken])).questions[0]
    with httplab.Lab(in_process=True) as lab, pytest.raises(BankError, match="'bad-q'.*404 Not Found"):
        observe(question, lab)


def test_quiz_count_of_may_point_at_a_counter_but_not_at_a_flag(tmp_path: Path) -> None:
    counter = _predict(count_of="/requests/POST")
    flag = _predict(id="flag-q", count_of="/settings/require_precondition")
    first, second = load_bank(_bank(tmp_path, [counter, flag])).questions
    with httplab.Lab(in_process=True) as lab:
        assert observe(first, lab).count == 2
        with pytest.raises(BankError, match="'flag-q'.*a list, an object or a whole number"):
            observe(second, lab)


# ---------------------------------------------------------------------------------------- grading


def _q(qid: str) -> Any:
    return next(q for q in ALL_QUESTIONS if q.id == qid)


def test_quiz_single_choice_graded_right_and_wrong() -> None:
    question = _q("idempotent-not-safe")
    right = grade(question, "b")
    wrong = grade(question, "a", attempts=2)
    assert (right.correct, wrong.correct) == (True, False)
    assert "PUT asks for a change" in right.explanation
    assert "GET is both safe and idempotent" in wrong.explanation  # the chosen option's explanation
    assert right.revealed == "PUT" and wrong.revealed is None
    assert wrong.attempts == 2


def test_quiz_multiple_choice_needs_exactly_the_true_options() -> None:
    question = _q("which-idempotent")
    assert grade(question, ["a", "b", "c"]).correct
    assert grade(question, "c, b, a").correct
    partial = grade(question, ["a", "b"])
    assert not partial.correct
    assert "2 of your 2 choice(s) are right, and 1 true statement(s) are not chosen yet" in partial.explanation
    extra = grade(question, ["a", "b", "c", "e"])
    assert not extra.correct
    assert "neither safe nor idempotent" in extra.explanation
    assert extra.revealed is None


def test_quiz_numeric_accepts_numbers_and_digits_and_explains_known_wrong_answers() -> None:
    question = _q("unknown-method-status")
    assert grade(question, 501).correct
    assert grade(question, " 501 ").correct
    assert grade(question, 501.0).correct
    wrong = grade(question, "405")
    assert not wrong.correct
    assert "knows but this resource does not support" in wrong.explanation
    assert grade(question, 418).explanation == question.hint
    assert grade(_q("put-replace-status"), 200).correct and grade(_q("put-replace-status"), 204).correct


def test_quiz_text_is_trimmed_case_insensitive_and_takes_alternatives() -> None:
    question = _q("content-type-header")
    for typed in ["Content-Type", "  content-type ", "CONTENT-TYPE:", "`Content-Type`"]:
        assert grade(question, typed).correct, typed
    wrong = grade(question, "accept")
    assert not wrong.correct and "Accept goes in a request" in wrong.explanation
    assert grade(question, "Content-Size").explanation == question.hint
    assert grade(_q("allow-header"), "allow:").correct


@pytest.mark.parametrize(
    ("qid", "answer", "message"),
    [
        ("idempotent-not-safe", "z", "not one of this question's options; choose one of: a, b, c, d"),
        ("which-idempotent", [], "Choose at least one option"),
        ("unknown-method-status", "five hundred", "Type a number"),
        ("content-type-header", "   ", "Type an answer first"),
        ("delete-three-times-statuses", "204", "Type 3 status codes"),
        ("delete-three-times-statuses", "204, gone", "'gone' is not a whole number"),
    ],
)
def test_quiz_badly_shaped_answers_raise_a_kind_error(qid: str, answer: Any, message: str) -> None:
    with pytest.raises(QuizError, match=message):
        grade(_q(qid), answer)


def test_quiz_badly_shaped_answer_counts_no_attempt() -> None:
    quiz = Quiz("05-delete")
    with pytest.raises(QuizError):
        quiz.answer("delete-three-times-statuses", "204")
    assert quiz.attempts("delete-three-times-statuses") == 0


def test_quiz_question_repr_and_html_give_no_answer_away() -> None:
    quiz = Quiz("03-put")
    page = quiz._repr_html_()
    for question in quiz.questions:
        assert "correct" not in repr(question)
        assert question.explanation not in page
        for option in question.options:
            assert option.explanation not in page
    assert "<Question 03-put/put-creates (single)>" in repr(quiz.questions)


# ---------------------------------------------------------------------------------------- predict


@pytest.mark.parametrize("qid", sorted(EXPECTED_OBSERVATIONS))
def test_quiz_predict_question_observes_what_the_rfcs_require(lab: httplab.Lab, qid: str) -> None:
    question = _q(qid)
    expected = EXPECTED_OBSERVATIONS[qid]
    observation = observe(question, lab)
    truth = observation.statuses if question.observe == "statuses" else observation.count
    assert truth == expected
    prediction = ", ".join(map(str, expected)) if isinstance(expected, tuple) else expected
    assert grade(question, prediction, lab_answer=observation).correct
    assert not grade(question, _wrong_prediction(qid, expected), lab_answer=observation).correct


def _allowed(qid: str, status: int) -> set[int]:
    return {status} | RFC_ALSO_ALLOWED.get(qid, {}).get(status, set())


def _wrong_prediction(qid: str, expected: tuple[int, ...] | int) -> Any:
    if isinstance(expected, int):
        return expected + 1
    last = next(code for code in (200, 204, 400, 500) if code not in _allowed(qid, expected[-1]))
    return [*expected[:-1], last]


@pytest.mark.parametrize("qid", sorted(q for q, e in EXPECTED_OBSERVATIONS.items() if isinstance(e, tuple)))
def test_quiz_status_prediction_takes_every_status_the_rfcs_allow_and_no_other(qid: str) -> None:
    question = _q(qid)
    expected = EXPECTED_OBSERVATIONS[qid]
    assert isinstance(expected, tuple)
    with httplab.Lab(in_process=True) as lab:
        observation = observe(question, lab)
    per_call = [sorted(_allowed(qid, status)) for status in expected]
    assert [sorted(question.allowed(status)) for status in expected] == per_call
    for prediction in itertools.product(*per_call):
        assert grade(question, list(prediction), lab_answer=observation).correct, prediction
    for call, allowed in enumerate(per_call):
        off = next(code for code in (200, 201, 204, 404, 409, 412) if code not in allowed)
        prediction = [*expected[:call], off, *expected[call + 1 :]]
        assert not grade(question, prediction, lab_answer=observation).correct, prediction


def test_quiz_predict_says_which_other_statuses_are_also_right() -> None:
    question = _q("delete-three-times-statuses")
    assert "each of them counts" in question.answer_format
    assert "each of them counts" not in _q("if-none-match-star-twice").answer_format
    feedback = grade(question, "200, 410, 404")
    assert feedback.correct
    assert "call 1: you said 200, the lab answered 204 No Content (also right" in feedback.explanation
    assert "call 3: you said 404, the lab answered 404 Not Found (same)" in feedback.explanation
    assert feedback.revealed == (
        "204 No Content, 404 Not Found, 404 Not Found "
        "(also right: 200 OK in place of 204 No Content; 410 Gone in place of 404 Not Found)"
    )


def test_quiz_predict_fires_real_requests_at_the_given_lab_after_a_reset(lab: httplab.Lab) -> None:
    lab.send("POST", "/lab/items", json={"name": "left over"})
    quiz = Quiz("03-put", lab=lab)
    feedback = quiz.answer("put-three-times-statuses", [201, 204, 204])
    assert not feedback.correct
    assert feedback.revealed is not None
    assert feedback.revealed.startswith("204 No Content, 204 No Content, 204 No Content")
    assert "call 1: you said 201, the lab answered 204 No Content (different)" in feedback.explanation
    assert [item["id"] for item in lab.state()["items"]] == ["fig"]  # reset first: the left-over item is gone
    assert [e.request.method for e in lab.history[-4:]] == ["PUT", "PUT", "PUT", "PUT"]  # setup, then 3 calls
    assert quiz.answer("put-three-times-statuses", "200, 204, 200").correct


def test_quiz_predict_uses_a_private_lab_by_default() -> None:
    feedback = grade(_q("post-repeat-count"), "6")
    assert feedback.correct
    assert feedback.lab_answer is not None and feedback.lab_answer.statuses == (201, 201, 201, 201)


# ---------------------------------------------------------------------------------------- the quiz


def test_quiz_reveals_only_after_an_attempt_and_a_revealed_answer_scores_nothing() -> None:
    quiz = Quiz("09-status-codes")
    with pytest.raises(QuizError, match="only after at least one attempt"):
        quiz.reveal("unknown-method-status")
    wrong = quiz.answer("unknown-method-status", 405)
    assert wrong.revealed is None and wrong.attempts == 1
    shown = quiz.reveal("unknown-method-status")
    assert shown.revealed == "501"
    assert "Why: 501 Not Implemented" in shown.explanation
    assert quiz.answer("unknown-method-status", 501).correct
    score = quiz.score()
    assert (score.correct, score.answered, score.attempts, score.revealed) == (0, 1, 2, 1)


def test_quiz_score_counts_first_tries_and_later_successes() -> None:
    quiz = Quiz("05-delete")
    quiz.answer("second-delete-404", "a")
    quiz.answer("delete-safe", "b")
    quiz.answer("delete-safe", "a")
    score = quiz.score()
    assert (score.total, score.answered, score.correct, score.first_try, score.attempts) == (5, 2, 2, 1, 3)
    assert str(score) == "2 of 5 correct (1 on the first try), 2 answered, 3 attempts, 0 revealed"
    assert str(Score(6, 1, 1, 1, 1, 0)).endswith("1 answered, 1 attempt, 0 revealed")
    assert isinstance(quiz.answer("delete-safe", "a"), Feedback)


def test_quiz_unknown_question_lists_the_real_ones() -> None:
    with pytest.raises(QuizError, match="no question 'nope'.*post-create-status"):
        Quiz("02-post").answer("nope", 1)


def test_quiz_seeded_shuffle_is_reproducible() -> None:
    def order(quiz: Quiz) -> list[tuple[str, tuple[str, ...]]]:
        return [(q.id, tuple(o.id for o in q.options)) for q in quiz.questions]

    first, again = Quiz("04-patch", shuffle=True, seed=7), Quiz("04-patch", shuffle=True, seed=7)
    assert order(first) == order(again)
    plain = order(Quiz("04-patch"))
    assert [qid for qid, _ in plain] == [q.id for q in load_bank("04-patch").questions]
    assert any(order(Quiz("04-patch", shuffle=True, seed=seed)) != plain for seed in range(3))
    assert len({tuple(order(Quiz("04-patch", shuffle=True, seed=seed))) for seed in range(5)}) > 1


def test_quiz_shuffled_options_keep_their_ids_so_answers_stay_valid() -> None:
    quiz = Quiz("06-idempotency-lab", shuffle=True, seed=3)
    assert [o.id for o in quiz.question("idempotent-not-safe").options] != ["a", "b", "c", "d"]
    assert quiz.answer("idempotent-not-safe", "b").correct


def test_quiz_core_does_not_import_ipywidgets() -> None:
    code = "import sys, httplab.teaching.quiz; print('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_quiz_no_notebook_holds_an_answer_key() -> None:
    secrets = [q.explanation for q in ALL_QUESTIONS] + [o.explanation for q in ALL_QUESTIONS for o in q.options]
    notebooks = [p for p in (REPO / "notebooks").rglob("*") if p.suffix in (".ipynb", ".py", ".md")]
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        assert '"correct": true' not in text.replace("\\", ""), path
        assert not [s for s in secrets if s in text], path


# ---------------------------------------------------------------------------------------- the widget


def test_quiz_widget_single_choice_check_then_reveal() -> None:
    view = QuizWidget(Quiz("00-start-here"))
    question = view.view("method-is-a-promise")
    assert question.reveal_button.disabled
    question.check_button.click()
    assert question.feedback_text.startswith("Choose or type an answer first")
    question.set_answer("b")
    question.check_button.click()
    assert question.feedback_text.startswith("Not quite. (attempt 1)")
    assert "✘ Not quite" in question.feedback.value  # a word and a mark, never colour alone
    assert "Answer:" not in question.feedback_text
    assert not question.reveal_button.disabled
    question.reveal_button.click()
    assert "Answer: What the client wants done to the target resource." in question.feedback_text
    assert question.attempts_label.value == "Attempts: 1"
    assert view.score_text.startswith(f"Score: 0 of {len(view.quiz.questions)} correct")


def test_quiz_widget_multiple_text_numeric_and_predict_questions() -> None:
    view = QuizWidget(Quiz("06-idempotency-lab"), one_at_a_time=False)
    multiple = view.view("which-idempotent")
    multiple.set_answer(["a", "b", "c"])
    multiple.check_button.click()
    assert multiple.feedback_text.startswith("Correct. (attempt 1)")
    same_state = view.view("put-same-state-statuses")
    same_state.set_answer("200, 204")
    same_state.check_button.click()
    assert same_state.feedback_text.startswith("Correct.")
    assert view.score_text.startswith(f"Score: 2 of {len(view.quiz.questions)} correct (2 on the first try)")

    text = QuizWidget(Quiz("00-start-here")).view("content-type-header")
    text.set_answer(" content-type ")
    text.check_button.click()
    assert text.feedback_text.startswith("Correct.")

    numeric = QuizWidget(Quiz("09-status-codes")).view("unsupported-method-status")
    numeric.set_answer("501")
    numeric.check_button.click()
    assert "PUT is known" in numeric.feedback_text

    predict = QuizWidget(Quiz("03-put")).view("put-three-times-statuses")
    assert "3 × PUT /lab/items/fig" in predict.prompt.value
    assert "each of them counts" in predict.prompt.value
    predict.set_answer([204, 200, 204])
    predict.check_button.click()
    assert predict.feedback_text.startswith("Correct.")
    assert "Answer: 204 No Content, 204 No Content, 204 No Content (also right: 200 OK" in predict.feedback_text
    predict.set_answer("201")
    predict.check_button.click()
    assert "Type 3 status codes" in predict.feedback_text and "Nothing was graded" in predict.feedback_text


def test_quiz_widget_shows_one_question_at_a_time_and_navigates() -> None:
    quiz = httplab.quiz.Quiz("02-post")
    view = quiz.show()
    assert isinstance(view, QuizWidget)
    assert view.body.children == (view.views[0],)
    assert view.previous_button.disabled and not view.next_button.disabled
    view.next_button.click()
    assert view.current is view.views[1] and view.position.value == f"2 / {len(quiz.questions)}"
    view.go(99)
    assert view.current is view.views[-1] and view.next_button.disabled
    everything = quiz.show(one_at_a_time=False)
    assert len(everything.body.children) == len(quiz.questions)
