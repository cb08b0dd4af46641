"""The kit's languages: choosing one, the catalogues' completeness, negotiation and the compiled catalogues."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import httplab
from httplab import i18n
from httplab.errors import HTTPLabError, LanguageError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import catalogues  # noqa: E402


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


def test_english_is_the_default_and_french_is_spoken():
    assert httplab.get_language() == "en"
    assert httplab.LANGUAGES == {"en": "English", "fr": "Français"}
    assert httplab.set_language("fr") == "fr"
    assert httplab.get_language() == "fr"


@pytest.mark.parametrize("code", ["fr", "FR", "fr_FR", "fr-CA", "fr_FR.UTF-8", " fr "])
def test_regional_and_system_spellings_of_french_mean_french(code):
    assert httplab.set_language(code) == "fr"


@pytest.mark.parametrize("code", ["de", "", "english", "xx-FR", None, 42])
def test_an_unknown_language_is_refused_kindly_and_changes_nothing(code):
    httplab.set_language("fr")
    with pytest.raises(LanguageError) as raised:
        httplab.set_language(code)
    message = str(raised.value)
    assert isinstance(raised.value, HTTPLabError)
    assert '"en"' in message and '"fr"' in message and "set_language" in message
    assert httplab.get_language() == "fr"


def test_the_refusal_is_in_the_language_being_spoken():
    with pytest.raises(LanguageError) as english:
        httplab.set_language("de")
    httplab.set_language("fr")
    with pytest.raises(LanguageError) as french:
        httplab.set_language("de")
    assert str(english.value) != str(french.value)
    assert "langues" in str(french.value)


def test_the_language_block_restores_the_language_before_it():
    with i18n.language("fr"):
        assert httplab.get_language() == "fr"
    assert httplab.get_language() == "en"


def _language_in_subprocess(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, i18n.ENV_VAR: value}
    code = "import warnings, httplab; warnings.simplefilter('always'); print(httplab.get_language())"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_the_environment_variable_picks_the_language():
    assert _language_in_subprocess("fr_FR").stdout.strip() == "fr"


def test_an_unknown_environment_language_warns_and_speaks_english():
    result = _language_in_subprocess("klingon")
    assert result.stdout.strip() == "en"
    assert "HTTPLAB_LANG='klingon'" in result.stderr and "HTTPLAB_LANG=fr" in result.stderr


def test_a_missing_translation_falls_back_to_english_not_to_a_message_id():
    with i18n.language("fr"):
        assert i18n._("A sentence no catalogue holds.") == "A sentence no catalogue holds."
        assert i18n.pgettext("no/such:context", "Another one.") == "Another one."
        assert i18n.ngettext("{n} apple", "{n} apples", 2) == "{n} apples"


def test_late_text_is_read_in_each_readers_language():
    text = i18n.L_(
        "httplab does not speak {code!r}. The languages it speaks are: {spoken}. "
        'For example: httplab.set_language("fr").',
        code="de",
        spoken="en, fr",
    )
    english, french = text.in_language("en"), text.in_language("fr")
    assert english.startswith("httplab does not speak 'de'")
    assert "'de'" in french and french != english
    assert ("Note: " + text).in_language("fr") == "Note: " + french
    with i18n.language("fr"):
        assert str(text) == french


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr", "fr"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("en-GB,en;q=0.9", "en"),
        ("de, en;q=0.5", "en"),
        ("de", "en"),
        ("fr;q=0, en;q=0.1", "en"),
        ("", "en"),
        (None, "en"),
        ("en;q=0.4, fr;q=0.6", "fr"),
        ("fr-CA;q=0.9, en;q=0.8", "fr"),  # RFC 4647 lookup: fr-CA asks for French in general too
        ("fr;q=0, fr-CA", "en"),  # ... unless French is named on its own
        ("FR-be", "fr"),
        ("*", "en"),
        ("de, *;q=0.5", "en"),
    ],
)
def test_accept_language_is_negotiated_with_quality_values(header, expected):
    assert i18n.negotiate(header, default="en") == expected


def test_without_a_preference_the_kits_language_is_the_default():
    with i18n.language("fr"):
        assert i18n.negotiate(None) == "fr"
        assert i18n.negotiate("de") == "fr"
        assert i18n.negotiate("*") == "fr"  # a tie goes to the kit's language
        assert i18n.negotiate("en") == "en"


def test_late_text_in_a_field_is_read_in_the_sentences_language():
    spoken = i18n.L_(
        "httplab does not speak {code!r}. The languages it speaks are: {spoken}. "
        'For example: httplab.set_language("fr").',
        code="de",
        spoken="-",
    )
    outer = i18n.L_("{inner}", inner=spoken)
    assert outer.in_language("fr") == spoken.in_language("fr")
    assert outer.in_language("en") == spoken.in_language("en")


@pytest.mark.parametrize("domain", sorted(catalogues.TEMPLATES))
def test_every_english_sentence_has_its_french_translation(domain):
    problems = catalogues.problems(domain, "fr")
    assert problems == [], "\n".join(problems[:40]) + "\nrun: python tools/catalogues.py update, then translate"


def test_the_check_finds_a_new_english_sentence_without_french(tmp_path, monkeypatch):
    template = catalogues.code_template()
    template.add("A sentence added today, not yet translated.", None, [("httplab/new.py", 1)])
    monkeypatch.setitem(catalogues.TEMPLATES, "httplab", lambda: template)
    problems = catalogues.problems("httplab", "fr")
    assert any("A sentence added today" in line and "missing" in line for line in problems)


def test_the_check_finds_a_translation_that_lost_a_field():
    assert catalogues.fields("Sent {count} requests to {path}") == {"count", "path"}
    assert catalogues.fields('{"name": "apple"} and {{literal}}') == set()


def _translated_calls(tree: ast.AST) -> list[ast.Call]:
    names = {"_", "N_", "L_", "gettext", "ngettext", "pgettext"}
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
    ]


def test_no_translated_sentence_is_an_f_string_or_built_at_runtime():
    """gettext finds only literal strings: _(f"...") or _("..." + x) would never be translated.

    Translating a value (``_(self.label)``) is fine: the constant it holds was marked N_() where it was defined.
    """
    found = []
    for path in sorted((ROOT / "httplab").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _translated_calls(tree):
            if any(isinstance(arg, ast.JoinedStr | ast.BinOp) for arg in call.args[:2]):
                found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found == []


def test_no_translated_sentence_hides_inside_an_f_string():
    """Babel does not look inside f-strings: an f"{_('...')}" sentence would never reach the catalogue."""
    found = []
    for path in sorted((ROOT / "httplab").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for joined in (node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)):
            for value in joined.values:
                if isinstance(value, ast.FormattedValue):
                    found += [
                        f"{path.relative_to(ROOT)}:{call.lineno}"
                        for call in _translated_calls(value)
                        if any(isinstance(arg, ast.Constant) for arg in call.args)
                    ]
    assert found == [], "translate first, then format: x = _('...'); f'{x}'"


def test_the_build_compiles_every_catalogue(tmp_path):
    """hatch_build.py writes the .mo files; gettext reads them back to the same French."""
    for po in sorted((ROOT / "httplab" / "locale").glob("*/LC_MESSAGES/*.po")):
        import gettext
        import io

        compiled = gettext.GNUTranslations(io.BytesIO(i18n.compile_catalogue(po)))
        catalog = catalogues.read(po, "fr")
        translated = [m for m in catalog if m.id and m.string and not m.context and isinstance(m.id, str)]
        for message in translated[:50]:
            assert compiled.gettext(message.id) == message.string


def test_the_install_compiled_every_catalogue():
    """`pip install` (make's first step) runs hatch_build.py, which writes a .mo beside each .po."""
    catalogues_found = sorted((ROOT / "httplab" / "locale").glob("*/LC_MESSAGES/*.po"))
    assert [po.stem for po in catalogues_found] == ["banks", "httplab"]
    missing = [str(po.relative_to(ROOT)) for po in catalogues_found if not po.with_suffix(".mo").exists()]
    assert missing == [], "reinstall the kit (pip install -e .) so the build hook compiles the catalogues"
