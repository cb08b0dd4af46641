"""The quiz a notebook shows: the teaching engine's :class:`~httplab.teaching.quiz.Quiz`, with a view.

``httplab.quiz`` is this module, so every lesson ends with ``httplab.quiz.Quiz("02-post").show()``.
:class:`Quiz` adds only :meth:`Quiz.show` to the engine; :class:`QuizWidget` is the ipywidgets view:
answer, check, reveal, see the score.

The view holds no grading logic: every button calls the quiz. Everything it does can also be
driven from code (set an input's value, ``check_button.click()``, read ``feedback_text``), which
is how the tests use it without a browser. Feedback always starts with a word ("Correct",
"Not quite"), so colour is never the only signal.

>>> view = Quiz("09-status-codes").show()
>>> view.current.set_answer("501")
>>> view.current.check_button.click()
>>> view.current.feedback_text.splitlines()[0]
'Correct. (attempt 1)'
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from httplab.display import theme
from httplab.errors import QuizError
from httplab.i18n import N_, _
from httplab.teaching import quiz as engine
from httplab.teaching.quiz import Feedback, Question

__all__ = ["QuestionView", "Quiz", "QuizWidget"]

_MARKS = {True: N_("✔ Correct"), False: N_("✘ Not quite")}


# ipywidgets ships no type information, so mypy sees VBox as Any.
class QuestionView(widgets.VBox):  # type: ignore[misc]
    """One question: its prompt, an input, Check and Reveal buttons, and the feedback.

    Parameters
    ----------
    quiz
        The quiz that grades the answers.
    question
        The question to show.
    number, total
        Where the question sits in the quiz, for the heading.
    on_graded
        Called after every check or reveal (the quiz view refreshes its score with it).

    Examples
    --------
    >>> quiz = Quiz("05-delete")
    >>> view = QuestionView(quiz, quiz.question("delete-safe"))
    >>> view.reveal_button.disabled
    True

    """

    def __init__(
        self,
        quiz: engine.Quiz,
        question: Question,
        number: int = 1,
        total: int = 1,
        on_graded: Callable[[], None] | None = None,
    ) -> None:
        self.quiz = quiz
        self.question = question
        self._on_graded = on_graded
        self.feedback_text = ""
        self.prompt = widgets.HTML(self._prompt_html(number, total))
        self.checkboxes: dict[str, Any] = {}
        self.input = self._make_input()
        self.check_button = widgets.Button(
            description=_("Check"), button_style="primary", tooltip=_("Grade my answer")
        )
        self.reveal_button = widgets.Button(
            description=_("Reveal answer"), disabled=True, tooltip=_("Available after your first attempt")
        )
        self._reveal_tooltip = _("Show the answer and why")
        self._attempts_text = _("Attempts: {count}")
        self.attempts_label = widgets.Label(self._attempts_text.format(count=0))
        self.feedback = widgets.HTML("")
        self.check_button.on_click(lambda _event: self.check())
        self.reveal_button.on_click(lambda _event: self.reveal())
        buttons = widgets.HBox([self.check_button, self.reveal_button, self.attempts_label])
        super().__init__([self.prompt, self.input, buttons, self.feedback])

    # ------------------------------------------------------------------ inputs

    def _make_input(self) -> Any:
        q = self.question
        if q.kind == "single":
            return widgets.RadioButtons(
                options=[(o.text, o.id) for o in q.options], index=None, layout=widgets.Layout(width="auto")
            )
        if q.kind == "multiple":
            for option in q.options:
                self.checkboxes[option.id] = widgets.Checkbox(
                    value=False, description=option.text, indent=False, layout=widgets.Layout(width="auto")
                )
            return widgets.VBox(list(self.checkboxes.values()))
        placeholder = _("e.g. 200, 404") if q.observe == "statuses" else _("your answer")
        return widgets.Text(placeholder=placeholder, description=_("Answer:"), continuous_update=False)

    def answer_value(self) -> Any:
        """Return what the learner has entered, in the shape :meth:`Quiz.answer` takes."""
        if self.question.kind == "single":
            return self.input.value
        if self.question.kind == "multiple":
            return [oid for oid, box in self.checkboxes.items() if box.value]
        return self.input.value

    def set_answer(self, value: Any) -> None:
        """Fill the input from code: an option id, a list of ids, or text.

        >>> quiz = Quiz("06-idempotency-lab")
        >>> view = QuestionView(quiz, quiz.question("which-idempotent"))
        >>> view.set_answer(["a", "b"])
        >>> view.answer_value()
        ['a', 'b']
        """
        if self.question.kind == "single":
            self.input.value = value
        elif self.question.kind == "multiple":
            chosen = {value} if isinstance(value, str) else set(value)
            for oid, box in self.checkboxes.items():
                box.value = oid in chosen
        else:
            self.input.value = str(value) if not isinstance(value, list | tuple) else ", ".join(map(str, value))

    # ------------------------------------------------------------------ actions

    def check(self) -> Feedback | None:
        """Grade the current answer and show the feedback (what the Check button does)."""
        value = self.answer_value()
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            self._show_notice(_("Choose or type an answer first; nothing was graded."))
            return None
        try:
            feedback = self.quiz.answer(self.question.id, value)
        except QuizError as error:
            self._show_notice(_("{error} Nothing was graded.").format(error=error))
            return None
        self._show(feedback)
        return feedback

    def reveal(self) -> Feedback | None:
        """Show the answer and why (what the Reveal button does; only after an attempt)."""
        try:
            feedback = self.quiz.reveal(self.question.id)
        except QuizError as error:
            self._show_notice(str(error))
            return None
        self._show(feedback)
        return feedback

    def _show(self, feedback: Feedback) -> None:
        self.feedback_text = feedback.text
        lines = feedback.text.split("\n")
        colour = theme.verdict_colour(feedback.correct)
        body = "".join(f"<div style='margin:2px 0'>{html.escape(line)}</div>" for line in lines[1:])
        attempt = _("(attempt {number})").format(number=feedback.attempts)
        self.feedback.value = (
            f"<div role='status' style='{theme.rule(colour, '4px 8px')};{theme.GAP}'>"
            f"<b>{html.escape(_(_MARKS[feedback.correct]))}</b> "
            f"<small>{html.escape(attempt)}</small>{body}</div>"
        )
        attempts = self.quiz.attempts(self.question.id)
        self.attempts_label.value = self._attempts_text.format(count=attempts)
        self.reveal_button.disabled = attempts == 0
        self.reveal_button.tooltip = self._reveal_tooltip
        if self._on_graded is not None:
            self._on_graded()

    def _show_notice(self, text: str) -> None:
        self.feedback_text = text
        self.feedback.value = f"<div role='status' style='padding:4px 8px'>ⓘ {html.escape(text)}</div>"

    def _prompt_html(self, number: int, total: int) -> str:
        q = self.question
        steps = f"<pre style='margin:4px 0'>{html.escape(q.procedure)}</pre>" if q.procedure else ""
        position = _("Question {number} of {total}").format(number=number, total=total)
        return (
            f"<div><small>{html.escape(position)}</small>"
            f"<p style='margin:4px 0'><b>{html.escape(q.prompt)}</b></p>{steps}"
            f"<small>{html.escape(q.answer_format)}</small></div>"
        )


# ipywidgets ships no type information, so mypy sees VBox as Any.
class QuizWidget(widgets.VBox):  # type: ignore[misc]
    """A whole quiz: one question at a time (with Previous/Next) or all at once, and a score.

    Parameters
    ----------
    quiz
        The quiz to show (any :class:`~httplab.teaching.quiz.Quiz`); ``Quiz(...).show()`` builds one.
    one_at_a_time
        Show a single question with navigation buttons (the default), or every question.

    Examples
    --------
    >>> view = QuizWidget(Quiz("02-post"), one_at_a_time=False)
    >>> len(view.views) == len(view.quiz.questions)
    True

    """

    def __init__(self, quiz: engine.Quiz, *, one_at_a_time: bool = True) -> None:
        self.quiz = quiz
        self.one_at_a_time = one_at_a_time
        self.index: int = 0
        total = len(quiz.questions)
        self.views = [QuestionView(quiz, q, n, total, self._refresh_score) for n, q in enumerate(quiz.questions, 1)]
        self.title = widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(quiz.title)}</h3>")
        self.score_label = widgets.HTML("")
        self.previous_button = widgets.Button(description=_("◀ Previous"), tooltip=_("Previous question"))
        self.next_button = widgets.Button(description=_("Next ▶"), tooltip=_("Next question"))
        self._score_text = _("Score: {score}")
        self.position = widgets.Label("")
        self.previous_button.on_click(lambda _event: self.go(self.index - 1))
        self.next_button.on_click(lambda _event: self.go(self.index + 1))
        self.body = widgets.VBox([])
        parts = [self.title, self.body]
        if one_at_a_time:
            parts.append(widgets.HBox([self.previous_button, self.position, self.next_button]))
        super().__init__([*parts, self.score_label])
        self.go(0)
        self._refresh_score()

    @property
    def current(self) -> QuestionView:
        """The question on screen (the first one when all are shown)."""
        return self.views[self.index]

    @property
    def score_text(self) -> str:
        """The score summary as plain text."""
        return self._score_text.format(score=self.quiz.score())

    def view(self, qid: str) -> QuestionView:
        """Return the view of the question with this id."""
        self.quiz.question(qid)  # raises a helpful QuizError for an unknown id
        return next(v for v in self.views if v.question.id == qid)

    def go(self, index: int) -> None:
        """Show question *index* (counted from 0); out-of-range indexes stop at the ends."""
        self.index = max(0, min(index, len(self.views) - 1))
        self.body.children = [self.current] if self.one_at_a_time else list(self.views)
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.views) - 1
        self.position.value = f"{self.index + 1} / {len(self.views)}"

    def _refresh_score(self) -> None:
        self.score_label.value = f"<p style='margin:6px 0'><b>{html.escape(self.score_text)}</b></p>"


class Quiz(engine.Quiz):
    """A learner's run through one bank, as :class:`httplab.teaching.quiz.Quiz`, that can show itself.

    Parameters
    ----------
    bank, lab, shuffle, seed
        As :class:`httplab.teaching.quiz.Quiz` takes them.

    Examples
    --------
    >>> quiz = Quiz("02-post")
    >>> quiz.answer("post-create-status", 201).correct
    True

    """

    def show(self, *, one_at_a_time: bool = True) -> QuizWidget:
        """Return an interactive view of this quiz (needs ipywidgets, as in Jupyter).

        Parameters
        ----------
        one_at_a_time
            Show one question with Previous/Next buttons, or all questions at once.

        Examples
        --------
        >>> view = Quiz("02-post").show()
        >>> view.current.question.id
        'post-repeat-count'

        """
        return QuizWidget(self, one_at_a_time=one_at_a_time)
