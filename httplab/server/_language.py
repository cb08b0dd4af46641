"""The language a lab answer's words are read in: chosen per request from ``Accept-Language``.

A problem's detail is late-translated text (``L_("...")``, :mod:`httplab.i18n`): the server reads it in
the language each request asks for (:func:`httplab.i18n.negotiate`); late text in a field of other late text is
read in the same language, and :class:`Number` groups a number's digits as that language does.
"""

from __future__ import annotations

from contextvars import ContextVar

from httplab.i18n import LazyText, format_number, get_language

__all__ = ["Detail", "Number", "in_language", "number"]

#: A problem's detail: late-translated text (``L_``), read in each request's language, or plain text.
Detail = str | LazyText

#: The language a detail is being read in, so that the numbers in its fields are grouped as that language does.
_READING: ContextVar[str | None] = ContextVar("httplab_server_reading", default=None)


class Number:
    """A whole number in a field of late text, its digits grouped as the reader's language groups them.

    >>> from httplab.i18n import L_
    >>> in_language(L_("{limit:,} bytes", limit=number(1048576)), "en")
    '1,048,576 bytes'
    """

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if spec == ",":  # grouped: as the reader's language groups digits (a narrow space in French)
            return format_number(self.value, _READING.get() or get_language())
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"number({self.value!r})"


def number(value: int) -> Number:
    """Wrap *value* to fill a ``{name:,}`` field: 1,048,576 in English, 1 048 576 in French."""
    return Number(value)


def in_language(text: Detail, code: str | None = None) -> str:
    """Return *text* read in language *code* (the kit's language by default), its inner parts included."""
    if not isinstance(text, LazyText):
        return str(text)
    token = _READING.set(code)
    try:
        return text.in_language(code)
    finally:
        _READING.reset(token)
