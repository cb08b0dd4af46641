"""The translatable texts of the quiz and prediction banks: one walk for extraction and for translation.

A bank file holds the English text *and* the answer keys. The catalogues (``locale/<lang>/LC_MESSAGES/banks.po``)
hold only texts, each under a context naming the bank, the place in the bank and the field, so a translation
can never change which answer is right.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from httplab.i18n import translate

__all__ = ["PROTOCOL_KEYS", "TEXT_KEYS", "TEXT_MAPS", "bank_files", "bank_messages", "translated_bank"]

#: The fields a learner reads; everything else (ids, values, answers, requests) is a key or protocol text.
TEXT_KEYS = frozenset({"title", "prompt", "explanation", "hint", "text"})
#: Maps from an answer (a key, kept as it is) to the text a learner reads when they give it.
TEXT_MAPS = frozenset({"wrong_answers"})
#: What a question sends to the lab: protocol data, never translated, though its JSON may hold a "text" member.
PROTOCOL_KEYS = frozenset({"request", "setup"})

_HERE = Path(__file__).parent


def bank_files() -> list[Path]:
    """Every quiz and prediction bank file, in a stable order."""
    return sorted([*(_HERE / "quizdata").glob("*.json"), *(_HERE / "predictdata").glob("*.json")])


def _walk(value: Any, where: str, visit: Callable[[str, str], str]) -> Any:
    if isinstance(value, dict):
        name = value.get("id") or value.get("value")
        here = f"{where}/{name}" if isinstance(name, str) and name else where
        return {key: _member(key, item, here, visit) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, f"{where}[{index}]" if not isinstance(item, dict) else where, visit)
                for index, item in enumerate(value)]
    return value


def _member(key: str, item: Any, here: str, visit: Callable[[str, str], str]) -> Any:
    if key in PROTOCOL_KEYS:
        return item
    if key in TEXT_KEYS and isinstance(item, str):
        return visit(f"{here}:{key}", item)
    if key in TEXT_MAPS and isinstance(item, dict):
        # The context names the answer, so each wrong answer keeps its own explanation in every language.
        return {
            answer: visit(f"{here}:{key}[{answer}]", text) if isinstance(text, str) else text
            for answer, text in item.items()
        }
    return _walk(item, here, visit)


def _bank_name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def bank_messages(path: Path) -> list[tuple[str, str]]:
    """Return ``(context, English text)`` for every text of the bank file *path*."""
    found: list[tuple[str, str]] = []

    def visit(context: str, text: str) -> str:
        found.append((context, text))
        return text

    _walk(json.loads(path.read_text(encoding="utf-8")), _bank_name(path), visit)
    return found


def translated_bank(path: Path, data: Any, language: str | None = None) -> Any:
    """Return the bank *data* read from *path* with its texts in *language* (the kit's language by default)."""
    return _walk(data, _bank_name(path), lambda context, text: translate(text, language, context=context))

