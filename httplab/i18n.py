"""The kit's languages: English by default, French too, through standard gettext catalogues.

Every sentence a learner reads goes through this module. The English text is the message id; the
French catalogues live in ``httplab/locale/fr/LC_MESSAGES/*.po`` (one source, edited there and only there)
and are compiled to ``.mo`` files when the package is built or installed. A checkout without compiled
catalogues compiles them in memory with Babel, so a learner never sees a message id.

- ``_("...")`` translates now, into the kit's language (:func:`set_language`, or the ``HTTPLAB_LANG``
  environment variable read on first use).
- ``N_("...")`` only marks a module-level constant for extraction; translate it with ``_()`` where it is shown.
- ``L_("...", name=value)`` is text translated late, into the language of whoever reads it: the lab server
  answers each request in the language its ``Accept-Language`` asks for.

Protocol text stays as the protocol says: method names, header field names and reason phrases on the wire
are never translated.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from httplab.errors import LanguageError

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENV_VAR",
    "LANGUAGES",
    "L_",
    "LazyText",
    "N_",
    "_",
    "gettext",
    "get_language",
    "language",
    "format_number",
    "negotiate",
    "ngettext",
    "pgettext",
    "set_language",
    "translate",
    "translations",
]

#: The languages the kit speaks, by code, each named in itself.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
#: The environment variable that picks the language before any code runs (``HTTPLAB_LANG=fr``).
ENV_VAR = "HTTPLAB_LANG"

LOCALE_DIR = Path(__file__).with_name("locale")

_lock = threading.Lock()
_current: str | None = None


def _normalise(code: str) -> str | None:
    """Return the kit's code for *code* (``"fr"`` for ``"fr_FR.UTF-8"``, ``"FR"``, ``"fr-CA"``), or None."""
    if not isinstance(code, str):
        return None
    primary = code.strip().replace("_", "-").split(".")[0].split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def _unknown(code: object) -> LanguageError:
    spoken = ", ".join(f'"{key}" ({name})' for key, name in LANGUAGES.items())
    return LanguageError(
        _("httplab does not speak {code!r}. The languages it speaks are: {spoken}. "
          'For example: httplab.set_language("fr").').format(code=code, spoken=spoken)
    )


def set_language(code: str) -> str:
    """Speak *code* from now on (``"en"`` or ``"fr"``; ``"fr_FR"`` and ``"fr-CA"`` mean French) and return it.

    An unknown code raises :class:`~httplab.errors.LanguageError`, which lists the languages, and changes nothing.
    Widgets already on screen keep their language; the next ones use the new one.
    """
    global _current
    chosen = _normalise(code)
    if chosen is None:
        raise _unknown(code)
    with _lock:
        _current = chosen
    return chosen


def get_language() -> str:
    """Return the code of the language the kit speaks now."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = _from_environment()
    return _current


def _from_environment() -> str:
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return DEFAULT_LANGUAGE
    chosen = _normalise(value)
    if chosen is None:
        spoken = ", ".join(LANGUAGES)
        warnings.warn(
            f"{ENV_VAR}={value!r} is not a language httplab speaks ({spoken}); it speaks English. "
            f"Set {ENV_VAR}=fr for French, or unset it.",
            UserWarning,
            stacklevel=4,
        )
        return DEFAULT_LANGUAGE
    return chosen


@contextmanager
def language(code: str) -> Iterator[str]:
    """Speak *code* inside a ``with`` block, then the language spoken before."""
    previous = get_language()
    chosen = set_language(code)
    try:
        yield chosen
    finally:
        set_language(previous)


@cache
def translations(code: str) -> _gettext.NullTranslations:
    """Return the translations of every catalogue of language *code* (English has none: ids are English)."""
    if code == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    for po in sorted(folder.glob("*.po"), reverse=True):
        loaded = _load(po)
        loaded.add_fallback(chain)
        chain = loaded
    return chain


def _load(po: Path) -> _gettext.GNUTranslations:
    """Read the compiled catalogue next to *po*, or compile *po* in memory when it is missing or older."""
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    return _gettext.GNUTranslations(io.BytesIO(compile_catalogue(po)))


def compile_catalogue(po: Path) -> bytes:
    """Return the ``.mo`` bytes of the catalogue *po* (Babel; fuzzy entries are left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def translate(message: str, code: str | None = None, context: str | None = None) -> str:
    """Return *message* in language *code* (the kit's language by default), or in English when untranslated."""
    catalogue = translations(code or get_language())
    if context is None:
        return catalogue.gettext(message)
    return catalogue.pgettext(context, message)


def gettext(message: str) -> str:
    """Return *message* in the kit's language."""
    return translations(get_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural form for *n*, in the kit's language (French counts 0 and 1 as singular)."""
    return translations(get_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Return *message* in the kit's language, told apart from the same English text by *context*."""
    return translations(get_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark *message* for the catalogues without translating it (a constant, translated where shown)."""
    return message


def format_number(value: float, code: str | None = None, digits: int | None = None) -> str:
    """Write *value* as language *code* (the kit's language by default) writes numbers, with Babel's CLDR data.

    Whole numbers get the language's thousands separator; with *digits*, the value gets that many decimals and the
    language's decimal mark (and no grouping).

    >>> format_number(1048576, "en"), format_number(1048576, "fr"), format_number(2.0, "fr", digits=1)
    ('1,048,576', '1\u202f048\u202f576', '2,0')
    """
    from babel.numbers import format_decimal

    pattern = None if digits is None else "0." + "0" * digits if digits else "0"
    return str(format_decimal(value, format=pattern, locale=code or get_language()))


class LazyText:
    """A sentence translated when it is read, in the reader's language; ``str()`` gives the kit's language."""

    __slots__ = ("fields", "parts")

    def __init__(self, message: str | LazyText | tuple[Any, ...], /, **fields: Any) -> None:
        self.parts: tuple[Any, ...] = message if isinstance(message, tuple) else (message,)
        self.fields = fields

    def in_language(self, code: str | None = None) -> str:
        """Return the sentence in language *code* (the kit's language by default)."""
        out = []
        # Late text in a field is read in the same language as the sentence around it.
        fields = {
            name: value.in_language(code) if isinstance(value, LazyText) else value
            for name, value in self.fields.items()
        }
        for part in self.parts:
            if isinstance(part, LazyText):
                out.append(part.in_language(code))
            else:
                text = translate(str(part), code)
                out.append(text.format(**fields) if fields else text)
        return "".join(out)

    def __add__(self, other: str | LazyText) -> LazyText:
        return LazyText((self, other if isinstance(other, LazyText) else _Verbatim(other)))

    def __radd__(self, other: str) -> LazyText:
        return LazyText((_Verbatim(other), self))

    def __str__(self) -> str:
        return self.in_language()

    def __repr__(self) -> str:
        return f"L_({self.in_language(DEFAULT_LANGUAGE)!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, item: str) -> bool:
        return item in str(self)


class _Verbatim(LazyText):
    """Text that is already what it should be in every language (a path, a number, a name)."""

    def in_language(self, code: str | None = None) -> str:
        return "".join(str(part) for part in self.parts)


def L_(message: str, /, **fields: Any) -> LazyText:
    """Mark *message* for the catalogues and translate it late; ``{name}`` fields are filled after translating."""
    return LazyText(message, **fields)


def negotiate(accept_language: str | None, default: str | None = None) -> str:
    """Return the kit's language that best fits an ``Accept-Language`` field value (RFC 9110 §12.5.4).

    Each range is looked up as RFC 4647 §3.4 does: ``fr-CA`` asks for French in general too, unless ``fr``
    is named on its own (``fr;q=0, fr-CA`` refuses French). ``q=0`` refuses a language; ``*`` accepts any.
    Without the field, when it accepts none of the kit's languages, or on a tie, the answer is *default*
    (the kit's language when None).

    >>> negotiate("fr-CH, fr;q=0.9, en;q=0.8"), negotiate("fr-CA;q=0.9, en;q=0.8"), negotiate("de", default="en")
    ('fr', 'fr', 'en')
    """
    fallback = default or get_language()
    if not accept_language:
        return fallback
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    named: dict[str, float] = {}  # a language named on its own: "fr"
    regional: dict[str, float] = {}  # the best quality among its regional ranges: "fr-CA", "fr-BE"
    anything: float = 0.0
    for tag, quality in parse_accept_header(accept_language, LanguageAccept):
        tag = tag.strip().lower().replace("_", "-")
        if tag == "*":
            anything = max(anything, quality)
            continue
        primary = tag.split("-", 1)[0]
        ranges = named if primary == tag else regional
        ranges[primary] = max(quality, ranges.get(primary, 0.0))
    best, best_quality = fallback, 0.0
    for code in [fallback, *(code for code in LANGUAGES if code != fallback)]:
        quality = named.get(code, regional.get(code, anything))
        if quality > best_quality:
            best, best_quality = code, quality
    return best
