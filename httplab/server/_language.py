"""The language a lab answer's words are read in: chosen per request from ``Accept-Language``.

A problem's detail is late-translated text (``L_("...")``, :mod:`httplab.i18n`): the server reads it in
the language each request asks for, and :class:`Inner` lets late text fill a field of other late text
so that the whole sentence is read in one language.
"""

from __future__ import annotations

from contextvars import ContextVar

from httplab.i18n import LazyText, get_language, negotiate

__all__ = ["Detail", "Inner", "Number", "in_language", "inner", "number", "request_language"]

#: A problem's detail: late-translated text (``L_``), read in each request's language, or plain text.
Detail = str | LazyText

#: The language a detail is being read in, so that the late text in its fields is read in it too.
_READING: ContextVar[str | None] = ContextVar("httplab_server_reading", default=None)


class Inner:
    """Late-translated text placed in a ``{field}`` of another: it is read in the language the whole is read in.

    >>> from httplab.i18n import L_
    >>> whole = L_("No item at {where}{why}.", where="/lab/items/1", why=inner(L_(" yet")))
    >>> str(whole), in_language(whole, "en")
    ('No item at /lab/items/1 yet.', 'No item at /lab/items/1 yet.')
    """

    __slots__ = ("text",)

    def __init__(self, text: Detail) -> None:
        self.text = text

    def __format__(self, spec: str) -> str:
        text = self.text.in_language(_READING.get()) if isinstance(self.text, LazyText) else str(self.text)
        return format(text, spec)

    def __str__(self) -> str:
        return self.__format__("")

    def __repr__(self) -> str:
        return f"inner({self.text!r})"


def inner(text: Detail) -> Inner:
    """Wrap *text* to fill a field of other late text, so that both are read in the same language."""
    return Inner(text)


#: How a language groups the digits of a large number, where it does not use a comma (in French, a comma
#: is the decimal separator; a narrow no-break space groups the thousands).
_GROUPING = {"fr": "\u202f"}


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
        text = format(self.value, spec)
        separator = _GROUPING.get(_READING.get() or get_language())
        return text.replace(",", separator) if separator and "," in spec else text

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


def request_language(accept_language: str | None) -> str:
    """Return the language to answer in, for a request's ``Accept-Language`` value (RFC 9110 §12.5.4).

    :func:`httplab.i18n.negotiate` chooses (``fr-CA`` is answered in French, as RFC 4647 §3.4's lookup does,
    unless French is named on its own). Without the field, or when it accepts none of the kit's
    languages, the answer is the kit's language.

    >>> request_language("fr-CA;q=0.9, en;q=0.8"), request_language("fr;q=0, fr-CA"), request_language(None)
    ('fr', 'en', 'en')
    """
    return negotiate(accept_language)
