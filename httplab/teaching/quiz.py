"""Self-check quizzes: question banks shipped as package data, graded by pure functions.

A bank is a JSON file in ``httplab/teaching/quizdata``; it is validated when it loads, so a typo in a
bank fails loudly with the file, the question and the fix. The answer key lives only in those
files, never in a notebook: a notebook calls ``httplab.quiz.Quiz("02-post").show()``, the quiz of
:mod:`httplab.widgets.quiz`, which adds the view to this engine (the engine never imports a widget).

Five kinds of question: ``single`` and ``multiple`` choice, ``numeric`` (a status code, say),
``text`` (a header name, say) and ``predict``: the learner predicts what a few requests will do,
then the kit sends them to a lab and grades the prediction against what the server did. The
bank holds only the requests; the server is the answer key. Where the RFCs allow more than one
status for the same outcome (200 or 204 for a PUT that replaced), the bank lists the others in
``also_right``, and a prediction with any of them is right too.

>>> quiz = Quiz("03-put")
>>> quiz.answer("put-three-times-statuses", "201, 201, 201").correct
False
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from httplab.errors import QuizError
from httplab.i18n import _, ngettext
from httplab.lab import Lab
from httplab.teaching import report
from httplab.teaching.grading import Feedback, LabAnswer, answer_text, grade, observe, read_prediction
from httplab.teaching.quizdata._model import Bank, Option, Question, RequestSpec, bank_names, load_bank
from httplab.teaching.quizdata._schema import KINDS, MISCONCEPTIONS

__all__ = [
    "KINDS",
    "MISCONCEPTIONS",
    "Bank",
    "Feedback",
    "LabAnswer",
    "Option",
    "Question",
    "Quiz",
    "RequestSpec",
    "Score",
    "bank_names",
    "grade",
    "load_bank",
    "observe",
]


@dataclass(frozen=True)
class Score:
    """How a learner did on a quiz so far."""

    total: int
    answered: int
    correct: int
    first_try: int
    attempts: int
    revealed: int

    def __str__(self) -> str:
        attempts = ngettext("{count} attempt", "{count} attempts", self.attempts).format(count=self.attempts)
        return _(
            "{correct} of {total} correct ({first_try} on the first try), "
            "{answered} answered, {attempts}, {revealed} revealed"
        ).format(
            correct=self.correct,
            total=self.total,
            first_try=self.first_try,
            answered=self.answered,
            attempts=attempts,
            revealed=self.revealed,
        )

    def _repr_html_(self) -> str:
        label = html.escape(_("Score:"))
        return f"<div class='httplab-score'><b>{label}</b> {html.escape(str(self))}</div>"

    def __repr__(self) -> str:
        return f"<Score {self.correct}/{self.total} correct, {self.attempts} attempts>"


# ---------------------------------------------------------------------------------------- the quiz


@dataclass
class _Progress:
    attempts: int = 0
    solved_on: int | None = None
    revealed: bool = False
    last: Feedback | None = None


class Quiz:
    """A learner's run through one bank: answers, attempts, reveals and a score.

    Parameters
    ----------
    bank
        A shipped bank's name (``"02-post"``), a :class:`Bank`, or the path of a bank file.
    lab
        The lab predict questions send their requests to; it is **reset** before each one.
        By default the quiz uses its own in-process lab and leaves yours alone.
    shuffle
        Shuffle the questions and the options of choice questions.
    seed
        Make the shuffle reproducible (the same seed gives the same order).

    Examples
    --------
    >>> quiz = Quiz("05-delete")
    >>> quiz.answer("delete-three-times-statuses", [204, 204, 204]).correct
    False
    >>> quiz.score().attempts
    1

    """

    def __init__(
        self, bank: str | Path | Bank, *, lab: Lab | None = None, shuffle: bool = False, seed: int | None = None
    ) -> None:
        self.bank = bank if isinstance(bank, Bank) else load_bank(bank)
        self._lab = lab
        self._own_lab: Lab | None = None
        questions = list(self.bank.questions)
        if shuffle:
            rng = random.Random(seed)
            rng.shuffle(questions)
            questions = [_shuffled_options(q, rng) for q in questions]
        self.questions: tuple[Question, ...] = tuple(questions)
        self._progress = {q.id: _Progress() for q in self.questions}

    @property
    def title(self) -> str:
        """The bank's title."""
        return self.bank.title

    def question(self, qid: str) -> Question:
        """Return the question with this id.

        >>> Quiz("02-post").question("post-create-status").kind
        'numeric'
        """
        for question in self.questions:
            if question.id == qid:
                return question
        ids = ", ".join(q.id for q in self.questions)
        raise QuizError(_("This quiz has no question {qid!r}. Its questions are: {ids}.").format(qid=qid, ids=ids))

    def attempts(self, qid: str) -> int:
        """Return how many graded attempts the question has had.

        >>> Quiz("02-post").attempts("post-create-status")
        0
        """
        self.question(qid)
        return self._progress[qid].attempts

    def answer(self, qid: str, answer: Any) -> Feedback:
        """Grade an answer, count the attempt and return the feedback.

        An answer of the wrong shape raises :class:`QuizError` and is not counted.

        >>> Quiz("09-status-codes").answer("unknown-method-status", 405).correct
        False
        """
        question = self.question(qid)
        progress = self._progress[qid]
        lab = None
        if question.kind == "predict":
            read_prediction(question, answer)  # a badly shaped answer must fail before any request is sent
            lab = self._predict_lab()
        feedback = grade(question, answer, attempts=progress.attempts + 1, reveal=progress.revealed, lab=lab)
        progress.attempts += 1
        if feedback.correct and progress.solved_on is None and not progress.revealed:
            progress.solved_on = progress.attempts
        progress.last = feedback
        report.quiz_answer(self.bank.name, qid, answer, feedback.correct)  # the class view, on JupyterHub only
        return feedback

    def reveal(self, qid: str) -> Feedback:
        """Show the correct answer and why; allowed only after at least one attempt.

        Once revealed, a later right answer no longer counts towards the score.

        >>> quiz = Quiz("09-status-codes")
        >>> quiz.answer("unknown-method-status", 405).revealed is None
        True
        >>> quiz.reveal("unknown-method-status").revealed
        '501'
        """
        question = self.question(qid)
        progress = self._progress[qid]
        if progress.attempts == 0 or progress.last is None:
            raise QuizError(_("Have a go first: the answer is revealed only after at least one attempt."))
        progress.revealed = True
        last = progress.last
        explanation = last.explanation
        if question.kind != "predict" and question.explanation not in explanation:
            explanation = explanation + "\n" + _("Why: {explanation}").format(explanation=question.explanation)
        shown = last.revealed if last.revealed is not None else answer_text(question)
        return Feedback(qid, last.correct, explanation, shown, last.attempts, last.lab_answer)

    def score(self) -> Score:
        """Return the score so far.

        >>> Quiz("02-post").score().total >= 4
        True
        """
        states = self._progress.values()
        return Score(
            total=len(self.questions),
            answered=sum(1 for p in states if p.attempts),
            correct=sum(1 for p in states if p.solved_on is not None),
            first_try=sum(1 for p in states if p.solved_on == 1),
            attempts=sum(p.attempts for p in states),
            revealed=sum(1 for p in states if p.revealed),
        )

    def _predict_lab(self) -> Lab:
        if self._lab is not None:
            return self._lab
        if self._own_lab is None:
            self._own_lab = Lab(in_process=True)
        return self._own_lab

    def __repr__(self) -> str:
        return f"<Quiz {self.bank.name!r}: {len(self.questions)} questions, {self.score()}>"

    def _repr_html_(self) -> str:
        items = []
        for q in self.questions:
            extra = "".join(f"<li>{html.escape(o.text)}</li>" for o in q.options)
            steps = f"<pre>{html.escape(q.procedure)}</pre>" if q.procedure else ""
            how = _("Answer with {call}.").format(call=f"quiz.answer({q.id!r}, …)")
            items.append(
                f"<li><p>{html.escape(q.prompt)}</p>{steps}<ul>{extra}</ul>"
                f"<small>{html.escape(q.answer_format)} {html.escape(how, quote=False)}</small></li>"
            )
        return (
            f"<div class='httplab-quiz'><b>{html.escape(self.title)}</b> — {html.escape(str(self.score()))}"
            f"<ol>{''.join(items)}</ol></div>"
        )


def _shuffled_options(question: Question, rng: random.Random) -> Question:
    if not question.options:
        return question
    options = list(question.options)
    rng.shuffle(options)
    return replace(question, options=tuple(options))
