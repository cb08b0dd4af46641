"""English words that a French screen must not show: the test for "no English sentence"."""

from __future__ import annotations

import re

#: Common English words that are not also French words (no "a", "on", "pour", "si", "plus", "test", "type"...).
ENGLISH = frozenset(
    """
    the and is are was were be been being this that these those with without from into onto about again
    you your yours we our they their them he she his her it its which what when where who whom why how
    not no yes can cannot could should would will shall may might must do does did done doing have has had
    send sent sends sending request requests response responses server client item items changed change
    state same each every one two three first second next then than there here now only also just still
    because while after before until lab's learner's try again click run running see shows showing would
    answer answers returned returns wrong right correct nothing something anything everything created deleted
    append appended
    """.split()
)

_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Return the English words in *text* (lower-cased, in order), leaving out *allowed* ones.

    Protocol text is not English prose: strip method names, header names, reason phrases, JSON and code
    from *text* before calling this when they are expected there.
    """
    return [word for word in (w.lower() for w in _WORD.findall(text)) if word in ENGLISH and word not in allowed]
