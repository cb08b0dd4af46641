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
from httplab.i18n import _, pgettext
from httplab.lab import Lab
from httplab.teaching.quizdata._model import Option, Question, one_line
from httplab.teaching.quizdata._schema import is_number, parse_number

__all__ = ["Feedback", "LabAnswer", "answer_text", "either", "grade", "observe", "read_prediction"]


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
            _("{others} in place of {status}").format(
                others=either(map(status_text, question.allowed(status)[1:])), status=status_text(status)
            )
            for status in dict.fromkeys(self.statuses)
            if len(question.allowed(status)) > 1
        ]
        if not others:
            return shown
        return _("{statuses} (also right: {others})").format(statuses=shown, others="; ".join(others))


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
        verdict = _("Correct.") if self.correct else _("Not quite.")
        lines = [f"{verdict} {_attempt(self.attempts)}", self.explanation]
        if self.revealed is not None:
            lines.append(_("Answer: {answer}").format(answer=self.revealed))
        return "\n".join(line for line in lines if line)

    def _repr_html_(self) -> str:
        mark = _("✔ Correct") if self.correct else _("✘ Not quite")
        body = "".join(f"<p style='{theme.GAP}'>{html.escape(line)}</p>" for line in self.text.split("\n")[1:])
        return (
            f"<div class='httplab-feedback' style='{theme.rule(theme.verdict_colour(self.correct))}'>"
            f"<b>{html.escape(mark)}</b> <small>{html.escape(_attempt(self.attempts))}</small>{body}</div>"
        )


def _attempt(number: int) -> str:
    # Translators: which attempt this is, after the verdict: "Correct. (attempt 2)".
    return _("(attempt {number})").format(number=number)


def either(alternatives: Iterable[str]) -> str:
    """Join alternatives with "or" in the kit's language: ``"200 OK or 204 No Content"``."""
    said = ""
    for alternative in alternatives:
        said = alternative if not said else pgettext("alternatives", "{first} or {second}").format(
            first=said, second=alternative
        )
    return said


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
        raise QuizError(
            _("Question {qid!r} is a {kind} question; only predict questions observe.").format(
                qid=question.id, kind=question.kind
            )
        )
    lab.reset()
    for spec in question.setup:
        reply = spec.send(lab)
        if not reply.ok:
            raise BankError(
                _(
                    "Quiz bank {bank}.json, question {qid!r}: the setup request {request} got {status}; "
                    "setup requests must succeed."
                ).format(bank=question.bank, qid=question.id, request=one_line(spec), status=reply.status_text)
            )
    exchanges = tuple(question.request.send(lab) for _call in range(question.times))
    return LabAnswer(tuple(e.status for e in exchanges), _count(lab.state(), question), exchanges)


def _count(state: Any, question: Question) -> int:
    value = state
    for part in question.count_of.strip("/").split("/") if question.count_of != "/" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        try:
            value = value[int(part)] if isinstance(value, list) else value[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise BankError(
                _(
                    "Quiz bank {bank}.json, question {qid!r}: 'count_of' {pointer!r} points at nothing in the "
                    "lab's state after the requests."
                ).format(bank=question.bank, qid=question.id, pointer=question.count_of)
            ) from None
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # a counter, such as the lab's count of GET requests
    if not isinstance(value, list | dict):
        raise BankError(
            _(
                "Quiz bank {bank}.json, question {qid!r}: 'count_of' must point at a list, an object or a whole number."
            ).format(bank=question.bank, qid=question.id)
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
        explanation = explanation + "\n" + _("Why: {explanation}").format(explanation=question.explanation)
    revealed = answer_text(question) if right or reveal else None
    return Feedback(question.id, right, explanation, revealed, attempts)


def _grade_single(question: Question, answer: Any) -> tuple[bool, str]:
    chosen = _option(question, answer)
    return chosen.correct, chosen.explanation


def _grade_multiple(question: Question, answer: Any) -> tuple[bool, str]:
    items = answer.split(",") if isinstance(answer, str) else answer
    if not isinstance(items, Iterable):
        raise QuizError(
            _("Answer a multiple-choice question with a list of option ids, like {example}.").format(
                example="['a', 'c']"
            )
        )
    chosen = {_option(question, item).id for item in items if not (isinstance(item, str) and not item.strip())}
    if not chosen:
        raise QuizError(_("Choose at least one option before checking."))
    right = {option.id for option in question.options if option.correct}
    # Translators: one chosen option and what it teaches, as "option text: explanation".
    lines = [_("• {option}: {explanation}").format(option=o.text, explanation=o.explanation)
             for o in question.options if o.id in chosen]
    if chosen == right:
        return True, "\n".join(lines)
    missing, good = len(right - chosen), len(chosen & right)
    if missing:
        summary = _(
            "{right} of your {chosen} choice(s) are right, and {missing} true statement(s) are not chosen yet."
        )
    else:
        summary = _("{right} of your {chosen} choice(s) are right.")
    summary = summary.format(right=good, chosen=len(chosen), missing=missing)
    return False, "\n".join([summary, *lines])


def _grade_numeric(question: Question, answer: Any) -> tuple[bool, str]:
    value = answer if is_number(answer) else parse_number(answer)
    if value is None:
        raise QuizError(_("Type a number, such as 200; {answer!r} is not one.").format(answer=answer))
    if any(abs(value - float(a)) <= question.tolerance for a in question.answers):
        return True, ""
    wrong = {float(k): v for k, v in question.wrong_answers}
    return False, wrong.get(float(value), question.hint)


def _grade_text(question: Question, answer: Any) -> tuple[bool, str]:
    if not isinstance(answer, str) or not answer.strip():
        raise QuizError(_("Type an answer first, for example a header name."))
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
        said = _("You predicted {predicted}; the lab counted {count}.").format(
            predicted=predicted[0], count=lab_answer.count
        )
    else:
        right = all(p in question.allowed(s) for p, s in zip(predicted, lab_answer.statuses, strict=True))
        calls = [
            _("call {number}: you said {predicted}, the lab answered {status} ({verdict})").format(
                number=n, predicted=p, status=status_text(s), verdict=_verdict(question, p, s)
            )
            for n, (p, s) in enumerate(zip(predicted, lab_answer.statuses, strict=True), 1)
        ]
        said = "\n".join(calls)
    explanation = f"{said}\n{question.explanation}"
    return Feedback(question.id, right, explanation, lab_answer.summary(question), attempts, lab_answer)


def _verdict(question: Question, predicted: int, observed: int | None) -> str:
    if predicted == observed:
        # Translators: a predicted status beside the lab's: the same one.
        return pgettext("prediction", "same")
    if predicted in question.allowed(observed):
        return _("also right: another status for the same outcome")
    # Translators: a predicted status beside the lab's: another one.
    return pgettext("prediction", "different")


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
            raise QuizError(
                _("{answer_format} {part!r} is not a whole number.").format(
                    answer_format=question.answer_format, part=part
                )
            )
        numbers.append(int(value))
    wanted = question.times if question.observe == "statuses" else 1
    if len(numbers) != wanted:
        raise QuizError(
            _("{answer_format} You gave {count}.").format(answer_format=question.answer_format, count=len(numbers))
        )
    return tuple(numbers)


def _option(question: Question, answer: Any) -> Option:
    key = answer.id if isinstance(answer, Option) else str(answer).strip().lower()
    for option in question.options:
        if option.id == key:
            return option
    ids = ", ".join(o.id for o in question.options)
    raise QuizError(_("{answer!r} is not one of this question's options; choose one of: {ids}.").format(
        answer=answer, ids=ids
    ))


def answer_text(question: Question) -> str:
    """Return the right answer to a choice, numeric or text question, as the feedback shows it."""
    if question.kind in ("single", "multiple"):
        return "; ".join(o.text for o in question.options if o.correct)
    if question.kind == "numeric":
        return either(f"{float(a):g}" for a in question.answers)
    if len(question.answers) == 1:
        return question.answers[0]
    also = _("(also accepted: {answers})").format(answers=", ".join(question.answers[1:]))
    return f"{question.answers[0]} {also}"


def _normal(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip().strip("`'\"").casefold()
