"""Grade one answer to a quiz question: pure functions, apart from a predict question's requests.

Choice, numeric and text answers are compared with the bank's answer key. A predict question
sends its requests to a lab (:func:`observe`) and grades the prediction against what the lab
answered (:class:`LabAnswer`); where the RFCs allow more than one status for the same outcome,
the bank's ``also_right`` lists the others.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from httplab.client.models import Exchange
from httplab.display import theme
from httplab.errors import BankError, QuizError
from httplab.http.status import status_text
from httplab.lab import Lab
from httplab.teaching.quizdata._model import Option, Question, one_line
from httplab.teaching.quizdata._schema import is_number, parse_number

__all__ = ["Feedback", "LabAnswer", "answer_text", "grade", "observe", "read_prediction"]


@dataclass(frozen=True)
class LabAnswer:
    """What the lab did when a predict question's requests ran."""

    statuses: tuple[int | None, ...]
    count: int
    exchanges: tuple[Exchange, ...] = field(default=(), repr=False, compare=False)

    def summary(self, question: Question) -> str:
        """Say what was observed, in the terms the question asked about.

        For statuses, it also names the other statuses the RFCs allow for the same outcome.
        """
        if question.observe == "count":
            return str(self.count)
        shown = ", ".join(status_text(status) for status in self.statuses)
        others = [
            f"{' or '.join(map(status_text, question.allowed(status)[1:]))} in place of {status_text(status)}"
            for status in dict.fromkeys(self.statuses)
            if len(question.allowed(status)) > 1
        ]
        return f"{shown} (also right: {'; '.join(others)})" if others else shown


@dataclass(frozen=True)
class Feedback:
    """The result of grading one attempt.

    Attributes
    ----------
    question_id
        Which question was graded.
    correct
        Whether the answer was right.
    explanation
        Why, in words; for choice questions it explains the options the learner chose.
    revealed
        The correct answer, or None: it is only shown when asked for after an attempt, or once
        the answer is right. A predict question always shows what the lab did.
    attempts
        How many graded attempts this question has had, this one included.
    lab_answer
        For predict questions, what the lab did.

    """

    question_id: str
    correct: bool
    explanation: str
    revealed: str | None
    attempts: int
    lab_answer: LabAnswer | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The whole feedback as plain text: a verdict word first, never colour alone."""
        verdict = "Correct." if self.correct else "Not quite."
        lines = [f"{verdict} (attempt {self.attempts})", self.explanation]
        if self.revealed is not None:
            lines.append(f"Answer: {self.revealed}")
        return "\n".join(line for line in lines if line)

    def _repr_html_(self) -> str:
        mark = "✔ Correct" if self.correct else "✘ Not quite"
        body = "".join(f"<p style='{theme.GAP}'>{html.escape(line)}</p>" for line in self.text.split("\n")[1:])
        return (
            f"<div class='httplab-feedback' style='{theme.rule(theme.verdict_colour(self.correct))}'>"
            f"<b>{mark}</b> <small>(attempt {self.attempts})</small>{body}</div>"
        )


def observe(question: Question, lab: Lab) -> LabAnswer:
    """Run a predict question's requests against *lab* and record what happened.

    The lab is reset first (its items are lost), then the setup requests run, then the
    question's request is sent ``times`` times.

    Parameters
    ----------
    question
        A ``predict`` question.
    lab
        The lab to send the requests to.

    Examples
    --------
    >>> from httplab.teaching.quiz import load_bank
    >>> question = next(q for q in load_bank("05-delete").questions if q.kind == "predict")
    >>> with Lab(in_process=True) as lab:
    ...     observe(question, lab).statuses
    (204, 404, 404)

    """
    if question.request is None:
        raise QuizError(f"Question {question.id!r} is a {question.kind} question; only predict questions observe.")
    lab.reset()
    for spec in question.setup:
        reply = spec.send(lab)
        if not reply.ok:
            raise BankError(
                f"Quiz bank {question.bank}.json, question {question.id!r}: the setup request {one_line(spec)} "
                f"got {reply.status_text}; setup requests must succeed."
            )
    exchanges = tuple(question.request.send(lab) for _ in range(question.times))
    return LabAnswer(tuple(e.status for e in exchanges), _count(lab.state(), question), exchanges)


def _count(state: Any, question: Question) -> int:
    value = state
    for part in question.count_of.strip("/").split("/") if question.count_of != "/" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        try:
            value = value[int(part)] if isinstance(value, list) else value[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise BankError(
                f"Quiz bank {question.bank}.json, question {question.id!r}: 'count_of' {question.count_of!r} "
                "points at nothing in the lab's state after the requests."
            ) from None
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # a counter, such as the lab's count of GET requests
    if not isinstance(value, list | dict):
        raise BankError(
            f"Quiz bank {question.bank}.json, question {question.id!r}: 'count_of' must point at a list, "
            "an object or a whole number."
        )
    return len(value)


def grade(
    question: Question,
    answer: Any,
    *,
    attempts: int = 1,
    reveal: bool = False,
    lab: Lab | None = None,
    lab_answer: LabAnswer | None = None,
) -> Feedback:
    """Grade one answer to *question*; pure apart from a predict question's requests.

    Parameters
    ----------
    question
        The question, from :func:`load_bank` or :attr:`Quiz.questions`.
    answer
        An option id (``"b"``) for single choice; a list of ids (or ``"a, c"``) for multiple
        choice; a number for numeric; a string for text; for predict, a list of status codes
        (or ``"201, 204"``) or a whole number, as the question asks. A predicted status is right
        when it is the lab's, or one the question's ``also_right`` allows for the same outcome.
    attempts
        The attempt number this is (1 for the first); it is copied into the feedback.
    reveal
        Include the correct answer in the feedback even when this answer is wrong.
    lab, lab_answer
        For predict questions: the lab to send the requests to (a private in-process lab when
        omitted), or an answer the lab already gave.

    Raises
    ------
    QuizError
        The answer has the wrong shape (no attempt should be counted).

    Examples
    --------
    >>> from httplab.teaching.quiz import load_bank
    >>> question = load_bank("09-status-codes").questions[0]
    >>> grade(question, question.answers[0]).correct
    True

    """
    if question.kind == "predict":
        return _grade_predict(question, answer, attempts, lab, lab_answer)
    right, explanation = _GRADERS[question.kind](question, answer)
    if right and question.explanation not in explanation:
        explanation = f"{explanation}\n{question.explanation}".strip()
    elif reveal:
        explanation = f"{explanation}\nWhy: {question.explanation}"
    revealed = answer_text(question) if right or reveal else None
    return Feedback(question.id, right, explanation, revealed, attempts)


def _grade_single(question: Question, answer: Any) -> tuple[bool, str]:
    chosen = _option(question, answer)
    return chosen.correct, chosen.explanation


def _grade_multiple(question: Question, answer: Any) -> tuple[bool, str]:
    items = answer.split(",") if isinstance(answer, str) else answer
    if not isinstance(items, Iterable):
        raise QuizError("Answer a multiple-choice question with a list of option ids, like ['a', 'c'].")
    chosen = {_option(question, item).id for item in items if not (isinstance(item, str) and not item.strip())}
    if not chosen:
        raise QuizError("Choose at least one option before checking.")
    right = {option.id for option in question.options if option.correct}
    lines = [f"• {o.text}: {o.explanation}" for o in question.options if o.id in chosen]
    if chosen == right:
        return True, "\n".join(lines)
    missing = len(right - chosen)
    summary = f"{len(chosen & right)} of your {len(chosen)} choice(s) are right"
    summary += f", and {missing} true statement(s) are not chosen yet." if missing else "."
    return False, "\n".join([summary, *lines])


def _grade_numeric(question: Question, answer: Any) -> tuple[bool, str]:
    value = answer if is_number(answer) else parse_number(answer)
    if value is None:
        raise QuizError(f"Type a number, such as 200; {answer!r} is not one.")
    if any(abs(value - float(a)) <= question.tolerance for a in question.answers):
        return True, ""
    wrong = {float(k): v for k, v in question.wrong_answers}
    return False, wrong.get(float(value), question.hint)


def _grade_text(question: Question, answer: Any) -> tuple[bool, str]:
    if not isinstance(answer, str) or not answer.strip():
        raise QuizError("Type an answer first, for example a header name.")
    typed = _normal(answer)
    if typed in {_normal(a) for a in question.answers}:
        return True, ""
    wrong = {_normal(k): v for k, v in question.wrong_answers}
    return False, wrong.get(typed, question.hint)


_GRADERS = {"single": _grade_single, "multiple": _grade_multiple, "numeric": _grade_numeric, "text": _grade_text}


def _grade_predict(
    question: Question, answer: Any, attempts: int, lab: Lab | None, lab_answer: LabAnswer | None
) -> Feedback:
    predicted = read_prediction(question, answer)
    if lab_answer is None:
        if lab is None:
            with Lab(in_process=True) as private:
                lab_answer = observe(question, private)
        else:
            lab_answer = observe(question, lab)
    if question.observe == "count":
        right = predicted == (lab_answer.count,)
        said = f"You predicted {predicted[0]}; the lab counted {lab_answer.count}."
    else:
        right = all(p in question.allowed(s) for p, s in zip(predicted, lab_answer.statuses, strict=True))
        calls = [
            f"call {n}: you said {p}, the lab answered {status_text(s)} ({_verdict(question, p, s)})"
            for n, (p, s) in enumerate(zip(predicted, lab_answer.statuses, strict=True), 1)
        ]
        said = "\n".join(calls)
    explanation = f"{said}\n{question.explanation}"
    return Feedback(question.id, right, explanation, lab_answer.summary(question), attempts, lab_answer)


def _verdict(question: Question, predicted: int, observed: int | None) -> str:
    if predicted == observed:
        return "same"
    if predicted in question.allowed(observed):
        return "also right: another status for the same outcome"
    return "different"


def read_prediction(question: Question, answer: Any) -> tuple[int, ...]:
    """Read a predict question's answer as status codes (or one count); QuizError when its shape is wrong."""
    if isinstance(answer, str):
        parts = [p for p in re.split(r"[\s,;]+", answer.strip()) if p]
    elif isinstance(answer, Sequence):
        parts = list(answer)
    else:
        parts = [answer]
    numbers: list[int] = []
    for part in parts:
        value: Any = parse_number(part) if isinstance(part, str) else part
        if not is_number(value) or float(value) != int(value):
            raise QuizError(f"{question.answer_format} {part!r} is not a whole number.")
        numbers.append(int(value))
    wanted = question.times if question.observe == "statuses" else 1
    if len(numbers) != wanted:
        raise QuizError(f"{question.answer_format} You gave {len(numbers)}.")
    return tuple(numbers)


def _option(question: Question, answer: Any) -> Option:
    key = answer.id if isinstance(answer, Option) else str(answer).strip().lower()
    for option in question.options:
        if option.id == key:
            return option
    ids = ", ".join(o.id for o in question.options)
    raise QuizError(f"{answer!r} is not one of this question's options; choose one of: {ids}.")


def answer_text(question: Question) -> str:
    """Return the right answer to a choice, numeric or text question, as the feedback shows it."""
    if question.kind in ("single", "multiple"):
        return "; ".join(o.text for o in question.options if o.correct)
    if question.kind == "numeric":
        return " or ".join(f"{float(a):g}" for a in question.answers)
    extra = f" (also accepted: {', '.join(question.answers[1:])})" if len(question.answers) > 1 else ""
    return question.answers[0] + extra


def _normal(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip().strip("`'\"").casefold()
