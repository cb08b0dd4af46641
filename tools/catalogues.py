"""The French catalogues: extract the kit's English sentences, update the .po files, check them, compile them.

    python tools/catalogues.py update    # after adding or changing English text: new entries appear, untranslated
    python tools/catalogues.py update MORE.po ...   # ... and fill entries from other .po files (same msgid, context)
    python tools/catalogues.py check     # every entry translated, every {field} kept (the test suite runs this)
    python tools/catalogues.py compile   # .po -> .mo (the build does this; a checkout compiles in memory)

Two catalogues per language, one source each: ``httplab.po`` holds the package's sentences (found in the code
by Babel), ``banks.po`` the quiz and prediction banks' texts (found in the bank files, each entry's context
naming the bank, the question and the field, so the answer keys stay only in the English bank files).
"""

from __future__ import annotations

import fcntl
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "httplab"
LOCALE = PACKAGE / "locale"
TRANSLATED = ("fr",)
PLURALS = {"fr": (2, "(n > 1)")}

#: gettext's keywords plus the kit's late translation, L_ (httplab/i18n.py).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "L_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}")


def code_template() -> Catalog:
    """Every sentence the package's code marks for translation."""
    catalog = Catalog(project="httplab", fuzzy=False)
    method_map = [("**/locale/**", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"httplab/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def bank_template() -> Catalog:
    """Every text of the quiz and prediction banks, each with its context (bank, question, field)."""
    sys.path.insert(0, str(ROOT))
    from httplab.teaching.bank_text import bank_files, bank_messages

    catalog = Catalog(project="httplab", fuzzy=False)
    for path in bank_files():
        for context, text in bank_messages(path):
            catalog.add(text, None, [(str(path.relative_to(ROOT)), 0)], context=context)
    return catalog


TEMPLATES = {"httplab": code_template, "banks": bank_template}


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, language: str) -> Catalog:
    if not path.exists():
        catalog = Catalog(locale=language, project="httplab", fuzzy=False)
        # gettext's classic French rule (0 and 1 are singular), not CLDR's three forms.
        catalog._num_plurals, catalog._plural_expr = PLURALS[language]
        return catalog
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@contextmanager
def _locked() -> Iterator[None]:
    """One writer at a time: several people may update the catalogues in one checkout."""
    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def update(sources: list[Path] | None = None) -> None:
    """Bring every catalogue up to date with the English text; fill entries from the *sources* .po files too."""
    with _locked():
        _update(sources or [])


def _update(sources: list[Path]) -> None:
    known: dict[tuple[str | None, Any], Any] = {}
    for source in sources:
        for message in read(source, TRANSLATED[0]):
            if message.id and message.string and not message.fuzzy:
                known[(message.context, message.id)] = message.string
    for domain, template_of in TEMPLATES.items():
        template = template_of()
        for language in TRANSLATED:
            path = po_path(language, domain)
            catalog = read(path, language)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            for message in catalog:
                if message.id and (message.context, message.id) in known:
                    message.string = known[(message.context, message.id)]
                    message.flags.discard("fuzzy")
            path.parent.mkdir(parents=True, exist_ok=True)
            out = io.BytesIO()
            write_po(out, catalog, width=120, sort_output=False, ignore_obsolete=True, include_previous=False)
            # Only the extraction date changed: keep the file as it is, so a diff shows real changes only.
            if not path.exists() or _undated(path.read_bytes()) != _undated(out.getvalue()):
                path.write_bytes(out.getvalue())
            print(f"{path.relative_to(ROOT)}: {len(catalog)} entries, {len(problems(domain, language))} to do")


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", po)


def fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def _strings(message_id: str | tuple[str, ...], message_str: str | tuple[str, ...]) -> Iterator[tuple[str, str]]:
    ids = message_id if isinstance(message_id, tuple) else (message_id,)
    strs = message_str if isinstance(message_str, tuple) else (message_str,)
    for index, text in enumerate(strs):
        yield ids[min(index, len(ids) - 1)], text


def problems(domain: str, language: str) -> list[str]:
    """What stops the *language* catalogue of *domain* from being complete, one line each."""
    template = TEMPLATES[domain]()
    catalog = read(po_path(language, domain), language)
    found = []
    for message in template:
        if not message.id:
            continue
        where = f"{domain}.po: {message.context + ' | ' if message.context else ''}{str(message.id)[:70]!r}"
        entry = catalog.get(message.id, context=message.context)
        if entry is None:
            found.append(f"{where}: missing (run python tools/catalogues.py update)")
            continue
        if entry.fuzzy:
            found.append(f"{where}: fuzzy (check the translation, then remove the fuzzy flag)")
        for english, translated in _strings(message.id, entry.string):
            if not translated.strip():
                found.append(f"{where}: not translated")
            elif fields(english) != fields(translated):
                found.append(f"{where}: fields {sorted(fields(english))} became {sorted(fields(translated))}")
    return found


def check() -> int:
    found = [line for domain in TEMPLATES for language in TRANSLATED for line in problems(domain, language)]
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)")
    return 1 if found else 0


def compile_all() -> None:
    sys.path.insert(0, str(ROOT))
    from httplab.i18n import compile_catalogue

    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compile_catalogue(po))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update([Path(name) for name in sys.argv[2:]])
    elif command == "compile":
        compile_all()
    elif command == "check":
        raise SystemExit(check())
    else:
        raise SystemExit(f"unknown command {command!r}: use update, check or compile")
