"""The experiments, the client's errors and the command line in French: verdicts, summaries and messages."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from _english import english_words

import httplab
from httplab import i18n
from httplab.errors import FlawError, InvalidRequestError, LabNotRunningError, LabOptionsError, SetupFailedError
from httplab.experiments import Call, compare, method_scenarios, repeat
from httplab.experiments.repeats import verdict_words

# Protocol text is not English prose: reason phrases ("404 Not Found"), RFC 2119 keywords quoted
# after their French rendering ("NE DOIT PAS (MUST NOT)"), paths, header field names and identifiers.
_PROTOCOL = re.compile(
    r"\b\d{3}(?: [A-Z][A-Za-z']*)+"
    r"|\((?:MUST|SHOULD)(?: NOT)?\)"
    r"|/lab\S*"
    r"|\b[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+\b"
    r"|\b\w+_\w+\b"
)
# "client" is a French word too (le client HTTP).
_FRENCH_TOO = frozenset({"client"})


def english_in(text: str) -> list[str]:
    """Return the English words of *text* once its protocol text is set aside."""
    return english_words(_PROTOCOL.sub(" ", text), allowed=_FRENCH_TOO)


def screen_text(page: str) -> str:
    """Return what a notebook shows of an HTML result, without the wire text and the JSON blocks."""
    page = re.sub(r"<pre.*?</pre>|<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def french() -> Iterator[None]:
    with i18n.language("fr"):
        yield


@pytest.fixture
def fr_lab(french: None) -> Iterator[httplab.Lab]:
    lab = httplab.start(in_process=True)
    yield lab
    lab.stop()


# ---------------------------------------------------------------- verdicts and summaries


def test_a_repeated_post_reads_in_french(fr_lab):
    result = fr_lab.repeat("POST", "/lab/items", times=3, json={"name": "pomme"})
    assert result.statuses == (201, 201, 201)
    assert verdict_words(result) == "a continué de changer"
    assert "RFC 9110 définit POST comme une méthode ni sûre ni idempotente." in result.explanation
    for text in (verdict_words(result), result.explanation, result.promise, screen_text(result._repr_html_())):
        assert english_in(text) == [], text


def test_a_repeated_delete_reads_in_french(fr_lab):
    result = fr_lab.repeat("DELETE", "/lab/items/pomme", times=2, setup=[("PUT", "/lab/items/pomme", {"json": {}})])
    assert result.statuses == (204, 404)
    assert verdict_words(result) == "changé une fois, puis resté identique"
    assert "Les 404 ne sont pas des échecs" in result.explanation
    # The reason phrases stay as the wire says them.
    assert "204 No Content, 404 Not Found" in result.explanation
    for text in (verdict_words(result), result.explanation, screen_text(result._repr_html_())):
        assert english_in(text) == [], text


def test_a_delete_with_nothing_to_delete_is_unusual_but_allowed_in_french(french):
    with httplab.Lab(in_process=True, flaws=["delete-missing-204"]) as lab:
        result = repeat(lab, "DELETE", "/lab/items/absent", times=2)
    assert result.unusual_but_allowed
    assert result.unusual_but_allowed[0].startswith("Inhabituel mais autorisé : les appels")
    assert english_in(" ".join(result.unusual_but_allowed)) == []


def test_the_result_data_keeps_its_english_keys_and_labels(fr_lab):
    data = fr_lab.repeat("PUT", "/lab/items/a", times=2, json={"a": 1}).to_dict()
    assert data["label"] == "PUT /lab/items/a"
    assert data["same_after_repeats"] is True
    assert "idempotente mais pas sûre" in data["promise"]


def test_a_comparison_reads_in_french_and_its_rows_answer_to_both_labels(fr_lab):
    table = compare(fr_lab, method_scenarios(), times=2)
    assert table["PATCH (JSON Patch append)"] is table["PATCH (JSON Patch, ajout)"]
    assert "A continué de changer : POST, PATCH (JSON Patch, ajout)." in table.explanation
    assert english_in(table.explanation) == []
    assert english_in(screen_text(table._repr_html_())) == []


def test_a_retry_and_a_lost_update_read_in_french(fr_lab):
    retried = fr_lab.retry_after_lost_response("POST", "/lab/items", retry="always", json={"name": "poire"})
    assert retried.duplicated and "(1 entrée de plus dans l'état)" in retried.explanation
    edits = fr_lab.lost_update()
    assert edits.without_if_match.label == "without If-Match"  # a key: the screen shows it translated
    for text in (retried.explanation, edits.explanation, screen_text(retried._repr_html_()),
                 screen_text(edits._repr_html_())):
        assert english_in(text) == [], text


def test_a_status_explanation_is_french_after_its_reason_phrase(french):
    assert httplab.status_text(201) == "201 Created"
    assert httplab.describe_status(201).startswith("Created : une nouvelle ressource")
    assert httplab.status_text(None) == "pas de réponse"
    assert english_in(httplab.describe_status(412)) == []


# ---------------------------------------------------------------- errors a learner reads


def _message(error: pytest.ExceptionInfo[BaseException]) -> str:
    return str(error.value)


def test_a_bad_method_is_refused_in_french(fr_lab):
    with pytest.raises(InvalidRequestError) as refused:
        fr_lab.send("BAD METHOD", "/lab/items")
    assert _message(refused).startswith("'BAD METHOD' n'est pas un nom de méthode")
    with pytest.raises(InvalidRequestError) as too_few:
        fr_lab.repeat("GET", "/lab/items", times=1)
    with pytest.raises(InvalidRequestError) as not_a_call:
        Call.coerce(42)
    for raised in (refused, too_few, not_a_call):
        assert english_in(_message(raised)) == [], _message(raised)


def test_a_stopped_lab_says_so_in_french(french):
    lab = httplab.Lab(in_process=True)
    lab.stop()
    with pytest.raises(LabNotRunningError) as stopped:
        lab.send("GET", "/lab/items")
    assert "Ce labo a été arrêté" in _message(stopped)
    assert english_in(_message(stopped)) == []


def test_options_flaws_and_setup_errors_read_in_french(fr_lab):
    with pytest.raises(LabOptionsError) as option:
        httplab.Lab(prot=8000)
    with pytest.raises(FlawError) as flaw:
        httplab.Lab(in_process=True, flaws=["nope"])
    with pytest.raises(SetupFailedError) as setup:
        fr_lab.repeat("GET", "/lab/items", setup=[("GET", "/lab/items/absent")])
    assert "Un labo n'a pas d'option 'prot'" in _message(option)
    assert "Un labo ne connaît aucun défaut 'nope'" in _message(flaw)
    for raised in (option, flaw, setup):
        # The catalogue lists flaw ids (identifiers, English by design) before each French title.
        text = re.sub(r"^\s+[a-z0-9-]+ :", " ", _message(raised), flags=re.M)
        assert english_in(text) == [], text


def test_the_errors_stay_english_by_default():
    with httplab.Lab(in_process=True) as lab, pytest.raises(InvalidRequestError) as refused:
        lab.send("BAD METHOD", "/lab/items")
    assert _message(refused) == "'BAD METHOD' is not a method name. Use a word such as GET, POST, PUT, PATCH or DELETE."


# ---------------------------------------------------------------- the command line


def _cli(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != i18n.ENV_VAR}
    if lang is not None:
        env[i18n.ENV_VAR] = lang
    return subprocess.run(
        [sys.executable, "-m", "httplab", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_command_line_help_follows_httplab_lang():
    french = _cli("--help", lang="fr")
    assert french.returncode == 0
    assert "afficher cette aide et quitter" in french.stdout and "HTTPLAB_LANG" in french.stdout
    assert english_in(french.stdout.replace("httpbin's", "")) == [], french.stdout
    english = _cli("--help")
    assert "show this help message and exit" in english.stdout


def test_the_command_line_refuses_in_french_without_opening_a_socket():
    refused = _cli("--lang", "fr", "serve", "--host", "0.0.0.0")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "Le labo n'écoute que sur cette machine" in refused.stderr and "--allow-remote" in refused.stderr
    assert english_in(refused.stderr) == []
    bad_port = _cli("serve", "--port", "70000", lang="fr")
    assert bad_port.returncode == 2 and "n'est pas un numéro de port" in bad_port.stderr
