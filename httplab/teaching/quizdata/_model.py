"""Question banks as records: load a bank file, validate it against the schema, build its questions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from httplab.errors import BankError
from httplab.i18n import _, get_language, ngettext
from httplab.teaching.bank_text import translated_bank
from httplab.teaching.quizdata._schema import Kind, bank_problems

if TYPE_CHECKING:
    from httplab.client.models import Exchange
    from httplab.lab import Lab

__all__ = ["Bank", "Option", "Question", "RequestSpec", "bank_names", "load_bank", "one_line"]

_DATA_PACKAGE = "httplab.teaching.quizdata"


@dataclass(frozen=True)
class Option:
    """One choice of a single- or multiple-choice question, with what it teaches."""

    id: str
    text: str
    correct: bool = field(repr=False)
    explanation: str = field(repr=False)


@dataclass(frozen=True)
class RequestSpec:
    """A request a predict-then-observe question sends to the lab."""

    method: str
    path: str
    json: Any = None
    content: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    has_json: bool = False

    def send(self, lab: Lab) -> Exchange:
        """Send this request to *lab* and return the exchange."""
        request: dict[str, Any] = {"headers": dict(self.headers)} if self.headers else {}
        if self.has_json:
            request["json"] = self.json
        elif self.content is not None:
            request["content"] = self.content
        return lab.send(self.method, self.path, **request)

    def __str__(self) -> str:
        lines = [f"{self.method} {self.path}"] + [f"{name}: {value}" for name, value in self.headers]
        if self.has_json:
            lines.append(json.dumps(self.json, ensure_ascii=False))
        elif self.content is not None:
            lines.append(self.content)
        return "\n".join(lines)


@dataclass(frozen=True, repr=False)
class Question:
    """One question of a bank; build it with :func:`load_bank`, never by hand.

    The ``repr`` shows no answer, so displaying a question in a notebook gives nothing away.
    """

    id: str
    kind: Kind
    prompt: str
    explanation: str
    bank: str = ""
    misconceptions: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    answers: tuple[str, ...] = ()
    tolerance: float = 0.0
    wrong_answers: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    observe: Literal["statuses", "count"] | None = None
    count_of: str = "/items"
    setup: tuple[RequestSpec, ...] = ()
    request: RequestSpec | None = None
    times: int = 1
    also_right: tuple[tuple[int, tuple[int, ...]], ...] = ()

    def allowed(self, observed: int | None) -> tuple[int, ...]:
        """Return every status that counts as right when the lab answered *observed*.

        The lab's own status first, then the others the RFCs allow for the same outcome
        (the bank's ``also_right``): a PUT that replaced an item answers 204 here, and 200
        is just as right (RFC 9110 §9.3.4).

        >>> question = next(q for q in load_bank("03-put").questions if q.id == "put-three-times-statuses")
        >>> question.allowed(204)
        (204, 200)
        """
        if observed is None:
            return ()
        return (observed, *dict(self.also_right).get(observed, ()))

    @property
    def answer_format(self) -> str:
        """Say in words what shape of answer this question takes."""
        if self.kind == "single":
            return _("Choose one option.")
        if self.kind == "multiple":
            return _("Choose every option that is true.")
        if self.kind == "numeric":
            return _("Type a number.")
        if self.kind == "text":
            return _("Type a short answer (capital letters do not matter).")
        if self.observe == "statuses":
            codes = ngettext(
                "Type {times} status code, one per call, separated by commas.",
                "Type {times} status codes, one per call, separated by commas.",
                self.times,
            ).format(times=self.times)
            if self.also_right:
                codes += " " + _("Where the RFCs allow more than one status for the same outcome, each of them counts.")
            return codes
        return _("Type a whole number.")

    @property
    def procedure(self) -> str:
        """Describe the requests a predict question sends (empty for other kinds)."""
        if self.request is None:
            return ""
        steps = [_("{number}. Reset the lab (no items).").format(number=1)]
        steps += [
            _("{number}. Setup: {request}").format(number=n, request=one_line(spec))
            for n, spec in enumerate(self.setup, 2)
        ]
        steps.append(
            _("{number}. Send {times} × {request}").format(
                number=len(steps) + 1, times=self.times, request=one_line(self.request)
            )
        )
        return "\n".join(steps)

    def __repr__(self) -> str:
        return f"<Question {self.bank}/{self.id} ({self.kind})>"


@dataclass(frozen=True)
class Bank:
    """A validated question bank."""

    name: str
    title: str
    questions: tuple[Question, ...] = field(repr=False)

    def __repr__(self) -> str:
        return f"<Bank {self.name!r}: {self.title} ({len(self.questions)} questions)>"


def bank_names() -> tuple[str, ...]:
    """Return the names of the banks shipped with httplab, sorted.

    >>> bank_names()[:2]
    ('00-start-here', '01-safe-methods')
    """
    folder = resources.files(_DATA_PACKAGE)
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json")))


def load_bank(name: str | Path, *, language: str | None = None) -> Bank:
    """Load and validate a question bank: a shipped bank's name, or the path of a JSON file.

    The texts a learner reads come in *language* (the kit's language by default) where the catalogues
    translate them; ids, answers and requests are the bank file's own, in every language.

    Parameters
    ----------
    name
        ``"02-post"`` for a shipped bank, or a :class:`~pathlib.Path` to any bank file.
    language
        The language of the texts, ``"en"`` or ``"fr"``; the kit's language when None.

    Raises
    ------
    BankError
        The bank is missing or broken; the message names the file, the question and the fix.

    Examples
    --------
    >>> load_bank("02-post").name
    '02-post'

    """
    if isinstance(name, Path):
        filename, stem, path = name.name, name.stem, name
        try:
            text = name.read_text(encoding="utf-8")
        except OSError as error:
            raise BankError(
                _("Quiz bank {filename}: cannot read it ({reason}).").format(filename=filename, reason=error.strerror)
            ) from None
    else:
        filename, stem = f"{name}.json", name
        entry = resources.files(_DATA_PACKAGE) / filename
        if not entry.is_file():
            raise BankError(
                _("There is no quiz bank called {name!r}. The banks are: {banks}.").format(
                    name=name, banks=", ".join(bank_names())
                )
            )
        path = Path(str(entry))
        text = entry.read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise BankError(
            _("Quiz bank {filename} is not valid JSON: {error}.").format(filename=filename, error=error)
        ) from None
    return _parse_bank(raw, filename, stem, path, language or get_language())


def _parse_bank(raw: Any, filename: str, stem: str, path: Path, language: str) -> Bank:
    problems = bank_problems(raw, stem)
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise BankError(
            ngettext(
                "Quiz bank {filename} is broken ({count} problem(s)):\n{listing}",
                "Quiz bank {filename} is broken ({count} problem(s)):\n{listing}",
                len(problems),
            ).format(filename=filename, count=len(problems), listing=listing)
        )
    # The bank is checked in English, where its answer keys are; only then do its texts change language.
    raw = translated_bank(path, raw, language)
    return Bank(stem, raw["title"], tuple(_build_question(item, stem) for item in raw["questions"]))


def _build_question(item: dict[str, Any], bank: str) -> Question:
    kind: Kind = item["type"]
    options = tuple(Option(o["id"], o["text"], o["correct"], o["explanation"]) for o in item.get("options", []))
    return Question(
        id=item["id"],
        kind=kind,
        prompt=item["prompt"],
        explanation=item["explanation"],
        bank=bank,
        misconceptions=tuple(item.get("misconceptions", [])),
        options=options,
        answers=tuple(str(a) for a in item.get("answers", [])),
        tolerance=float(item.get("tolerance", 0)),
        wrong_answers=tuple((str(k), str(v)) for k, v in item.get("wrong_answers", {}).items()),
        hint=item.get("hint", ""),
        observe=item.get("observe"),
        count_of=item.get("count_of", "/items"),
        setup=tuple(_build_request(spec) for spec in item.get("setup", [])),
        request=_build_request(item["request"]) if "request" in item else None,
        times=item.get("times", 1),
        also_right=tuple((int(k), tuple(v)) for k, v in item.get("also_right", {}).items()),
    )


def _build_request(spec: dict[str, Any]) -> RequestSpec:
    headers = tuple((str(k), str(v)) for k, v in spec.get("headers", {}).items())
    return RequestSpec(spec["method"], spec["path"], spec.get("json"), spec.get("content"), headers, "json" in spec)


def one_line(spec: RequestSpec) -> str:
    """Show a request on one line, as the quiz lists the steps of a predict question."""
    return str(spec).replace("\n", " | ")
