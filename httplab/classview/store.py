"""What the class view keeps: one row per report, plus which predictions the teacher has revealed.

SQLAlchemy Core (JupyterHub already depends on it), so the same code runs on the default SQLite file and on
PostgreSQL (``postgresql://...``) for a large hub. Learners are stored under a pseudonym, a keyed hash of
their hub name, unless the teacher's configuration turns names on (docs/deploy.md says what is stored).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from httplab.i18n import L_, LazyText

KINDS = ("prediction", "quiz", "check")

metadata = sa.MetaData()
events = sa.Table(
    "classview_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("lesson", sa.String(128), nullable=False),
    sa.Column("question", sa.String(128), nullable=False),
    sa.Column("learner", sa.String(128), nullable=False),
    sa.Column("answer", sa.String(256), nullable=True),
    sa.Column("before_demo", sa.Boolean, nullable=True),
    sa.Column("observed", sa.String(256), nullable=True),
    sa.Column("correct", sa.Boolean, nullable=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("classview_events_question", "kind", "question", "learner"),
)
reveals = sa.Table(
    "classview_reveals",
    metadata,
    sa.Column("question", sa.String(128), primary_key=True),
    sa.Column("revealed", sa.Boolean, nullable=False),
)
settings = sa.Table(
    "classview_settings",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)


@dataclass(frozen=True)
class Event:
    """One report from a learner's kernel, checked."""

    kind: str
    lesson: str
    question: str
    answer: str | None
    before_demo: bool | None
    observed: str | None
    correct: bool | None


class BadEvent(ValueError):
    """A report the class view cannot store; the message says what was wrong, in any language.

    ``str()`` reads it in the kit's language; :meth:`in_language` in the language a request asked for.
    """

    def __init__(self, detail: LazyText) -> None:
        super().__init__(detail)
        self.detail = detail

    def in_language(self, code: str | None = None) -> str:
        """Return what was wrong, in language *code* (the kit's language by default)."""
        return self.detail.in_language(code)

    def __str__(self) -> str:
        return self.in_language()


def _text(raw: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise BadEvent(L_("the report has no {key!r}: send it as a string", key=key))
        return None
    if not isinstance(value, str | int | float | bool):
        raise BadEvent(L_("{key!r} must be a string, not {type}", key=key, type=type(value).__name__))
    text = str(value)
    if len(text) > limit:
        raise BadEvent(
            L_("{key!r} is {length} characters long; at most {limit} are kept", key=key, length=len(text), limit=limit)
        )
    return text


def _flag(raw: dict[str, Any], key: str) -> bool | None:
    value = raw.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise BadEvent(L_("{key!r} must be true, false or absent, not {value!r}", key=key, value=value))


def parse_event(raw: Any) -> Event:
    """Check a report's JSON body and return it as an :class:`Event`; raise :class:`BadEvent` if it is wrong."""
    if not isinstance(raw, dict):
        raise BadEvent(L_("send one JSON object per report"))
    kind = _text(raw, "kind", 16, required=True)
    if kind not in KINDS:
        raise BadEvent(L_("'kind' is {kind!r}; it must be one of {kinds}", kind=kind, kinds=", ".join(KINDS)))
    question = _text(raw, "question", 128, required=True) or ""
    if not question:
        raise BadEvent(L_("'question' is empty: name the prediction, quiz question or exercise"))
    return Event(
        kind=kind,
        lesson=_text(raw, "lesson", 128) or "",
        question=question,
        answer=_text(raw, "answer", 256),
        before_demo=_flag(raw, "before_demo"),
        observed=_text(raw, "observed", 256),
        correct=_flag(raw, "correct"),
    )


def _sqlite_wal(connection: Any, _record: Any) -> None:
    # A write-ahead log with NORMAL sync: a class's burst of reports is not one disk flush per report, and the
    # teacher's page reads while learners write. A crash may lose the last reports, never corrupt the file.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    """The class view's database: reports in, per-question summaries out.

    Parameters
    ----------
    url
        A SQLAlchemy database URL: ``sqlite:///path/classview.sqlite`` (default) or ``postgresql://...``.
    show_names
        Store learners' hub names; otherwise a pseudonym (a keyed hash) is stored in their place.

    """

    def __init__(self, url: str, *, show_names: bool = False) -> None:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if url == "sqlite:///:memory:":
            kwargs["poolclass"] = sa.pool.StaticPool
            kwargs["connect_args"] = {"check_same_thread": False}
        self.engine = sa.create_engine(url, **kwargs)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            sa.event.listen(self.engine, "connect", _sqlite_wal)
        self.show_names = show_names
        metadata.create_all(self.engine)
        self._key = self._secret().encode()

    def _secret(self) -> str:
        with self.engine.begin() as db:
            found = db.execute(sa.select(settings.c.value).where(settings.c.name == "pseudonym-key")).scalar()
            if found is None:
                found = secrets.token_hex(32)
                db.execute(settings.insert().values(name="pseudonym-key", value=found))
            return str(found)

    def learner_key(self, name: str) -> str:
        """Return what is stored for the hub user ``name``: the name itself, or a stable pseudonym."""
        if self.show_names:
            return name[:128]
        return "learner-" + hmac.new(self._key, name.encode(), hashlib.sha256).hexdigest()[:12]

    def add(self, user: str, event: Event) -> None:
        """Store one report from the hub user ``user``."""
        row = {**event.__dict__, "learner": self.learner_key(user), "at": time.time()}
        with self.engine.begin() as db:
            db.execute(events.insert().values(**row))

    def count(self) -> int:
        """Return how many reports are stored."""
        with self.engine.connect() as db:
            return int(db.execute(sa.select(sa.func.count()).select_from(events)).scalar() or 0)

    def latest(self) -> list[sa.Row[Any]]:
        """Return each learner's latest report per question (a changed mind counts once, as it is now)."""
        last = (
            sa.select(sa.func.max(events.c.id).label("id"))
            .group_by(events.c.kind, events.c.question, events.c.learner)
            .subquery()
        )
        query = sa.select(events).join(last, events.c.id == last.c.id).order_by(events.c.id)
        with self.engine.connect() as db:
            return list(db.execute(query))

    def set_revealed(self, question: str, revealed: bool) -> None:
        """Record whether the teacher has revealed what the server did for ``question``."""
        with self.engine.begin() as db:
            updated = db.execute(reveals.update().where(reveals.c.question == question).values(revealed=revealed))
            if updated.rowcount == 0:
                db.execute(reveals.insert().values(question=question, revealed=revealed))

    def revealed(self) -> set[str]:
        """Return the questions the teacher has revealed."""
        with self.engine.connect() as db:
            return {row.question for row in db.execute(sa.select(reveals).where(reveals.c.revealed))}

    def summary(self) -> dict[str, Any]:
        """Return the class's picture: per prediction, quiz question and exercise, counts of learners."""
        rows = self.latest()
        shown = self.revealed()
        groups: dict[tuple[str, str], list[sa.Row[Any]]] = defaultdict(list)
        for row in rows:
            groups[(row.kind, row.question)].append(row)
        predictions, quiz, exercises = [], [], []
        for (kind, question), group in groups.items():
            lesson = group[-1].lesson
            if kind == "prediction":
                locked = [r for r in group if r.before_demo and r.answer is not None]
                observed = Counter(r.observed for r in group if r.observed is not None).most_common(1)
                entry: dict[str, Any] = {
                    "question": question,
                    "lesson": lesson,
                    "demo_runs": len(group),
                    "locked": len(locked),
                    "counts": dict(Counter(r.answer for r in locked)),
                    "revealed": question in shown,
                    "observed": observed[0][0] if observed and question in shown else None,
                    "matched": sum(1 for r in locked if r.correct) if question in shown else None,
                }
                if self.show_names:
                    entry["names"] = {r.learner: r.answer for r in locked}
                predictions.append(entry)
            elif kind == "quiz":
                quiz.append(
                    {
                        "question": question,
                        "lesson": lesson,
                        "learners": len(group),
                        "correct": sum(1 for r in group if r.correct),
                        "counts": dict(Counter(r.answer for r in group)),
                    }
                )
            else:
                exercises.append(
                    {"question": question, "learners": len(group), "passed": sum(1 for r in group if r.correct)}
                )
        order = lambda entry: (entry.get("lesson", ""), entry["question"])  # noqa: E731
        return {
            "predictions": sorted(predictions, key=order),
            "quiz": sorted(quiz, key=order),
            "exercises": sorted(exercises, key=order),
            "learners": len({row.learner for row in rows}),
            "reports": self.count(),
            "names_shown": self.show_names,
        }

    def rows_for_export(self) -> list[dict[str, Any]]:
        """Return every stored report, oldest first, as plain rows for a CSV file."""
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(sa.select(events).order_by(events.c.id))]
