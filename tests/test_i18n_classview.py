"""The class view speaks each teacher's language: Accept-Language per request, the kit's language by default."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("jupyterhub")

from _english import english_words  # noqa: E402
from test_classview import Service  # noqa: E402

from httplab.classview.__main__ import main, parse  # noqa: E402
from httplab.classview.store import BadEvent, Store, parse_event  # noqa: E402
from httplab.i18n import language  # noqa: E402
from httplab.teaching.predictions import prediction_spec  # noqa: E402

pytestmark = pytest.mark.socket

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"}  # what a French browser sends
PREDICTION = {
    "kind": "prediction",
    "lesson": "02-post",
    "question": "02-post-three",
    "answer": "3",
    "before_demo": True,
    "observed": "3",
    "correct": True,
}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(Store(f"sqlite:///{tmp_path / 'classview.sqlite'}"))
    try:
        yield running
    finally:
        running.stop()


def _visible(page: str) -> str:
    """The page's text as a browser shows it before its script runs: no style, no script, no tags."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _page_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S)
    assert found, "the page carries its script's words as JSON"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def _texts(data: dict[str, Any]) -> list[str]:
    """Every sentence the page's script may show, a plural's forms included."""
    out: list[str] = []
    for value in data["texts"].values():
        out.extend(value if isinstance(value, list) else [value])
    return out


def _prose(text: str) -> str:
    """Leave out {fields}: they are names of values, not words a teacher reads."""
    return re.sub(r"\{\w+\}", " ", text)


def _says_french(response: httpx.Response) -> None:
    assert response.headers["content-language"] == "fr"
    assert "accept-language" in response.headers.get("vary", "").lower()


def test_a_french_browser_gets_the_page_in_french(service: Service) -> None:
    with service.as_user("teacher") as teacher:
        response = teacher.get("", headers=FRENCH)
    assert response.status_code == 200
    _says_french(response)
    assert '<html lang="fr">' in response.text
    shown = _visible(response.text)
    assert "Vue de classe" in shown and "Aucune prédiction pour l'instant." in shown
    assert english_words(shown) == [], shown
    data = _page_data(response.text)
    assert data["lang"] == "fr"
    words = _texts(data)
    assert english_words(_prose(" ".join(words))) == [], words
    # French counts 0 and 1 as singular: one learner "a prédit", two "ont prédit".
    assert data["texts"]["matched"] == [
        "{matched} sur {locked} a prédit ce qu'a fait le serveur.",
        "{matched} sur {locked} ont prédit ce qu'a fait le serveur.",
    ]
    assert "Number((n > 1))" in response.text  # the script's plural rule is French's


def test_the_summary_gives_the_prediction_bank_in_the_browsers_language(service: Service) -> None:
    with service.as_user("a") as learner:
        assert learner.post("api/events", json=PREDICTION).status_code == 204
    with service.as_user("teacher") as teacher:
        french = teacher.get("api/summary", headers=FRENCH)
        english = teacher.get("api/summary")
    _says_french(french)
    [entry] = french.json()["predictions"]
    with language("fr"):
        spec = prediction_spec("02-post-three")
    assert entry["prompt"] == spec.prompt
    assert entry["choices"] == [{"value": c.value, "text": c.text} for c in spec.choices]
    [plain] = english.json()["predictions"]
    assert plain["prompt"] == prediction_spec("02-post-three").prompt != spec.prompt
    assert [c["value"] for c in plain["choices"]] == [c["value"] for c in entry["choices"]]  # values are keys
    assert english.headers["content-language"] == "en"


def test_without_accept_language_the_page_stays_english(service: Service) -> None:
    with service.as_user("teacher") as teacher:
        response = teacher.get("")
    assert response.headers["content-language"] == "en"
    assert "accept-language" in response.headers["vary"].lower()
    assert '<html lang="en">' in response.text and "<title>httplab — class view</title>" in response.text
    shown = _visible(response.text)
    for words in ("Class view", "Download every report (CSV)", "Quiz answers", "No exercise checked yet."):
        assert words in shown
    texts = _page_data(response.text)["texts"]
    assert texts["reveal"] == "Reveal the answer" and texts["learners"] == ["{n} learner", "{n} learners"]
    assert "Number((n != 1))" in response.text


def test_a_browser_asking_for_neither_language_gets_the_kits(service: Service) -> None:
    with service.as_user("teacher") as teacher:
        german = teacher.get("", headers={"Accept-Language": "de-DE, de;q=0.9"})
        assert german.headers["content-language"] == "en"
        with language("fr"):  # HTTPLAB_LANG=fr on the hub's service: the page's default is French
            unasked = teacher.get("")
            english = teacher.get("", headers={"Accept-Language": "en-GB"})
    _says_french(unasked)
    assert english.headers["content-language"] == "en" and '<html lang="en">' in english.text


def test_problem_details_are_negotiated_the_same_way(service: Service) -> None:
    with service.as_user("learner01") as learner:
        refused = learner.get("api/summary", headers=FRENCH)
        page = learner.get("", headers=FRENCH)
        bad = learner.post("api/events", json={"kind": "vote", "question": "q"}, headers=FRENCH)
        not_json = learner.post("api/events", content=b"{not json", headers=FRENCH)
        english = learner.get("api/summary")
    with httpx.Client(base_url=service.url, trust_env=False, headers=FRENCH) as nobody:
        anonymous = nobody.get("api/summary")
        tokenless = nobody.post("api/events", json=PREDICTION)
    with service.as_user("teacher") as teacher:
        reveal = teacher.post("api/reveal", json={"revealed": True}, headers=FRENCH)
    for response, status in [(refused, 403), (anonymous, 401), (tokenless, 403), (bad, 400), (not_json, 400)]:
        assert response.status_code == status
        _says_french(response)
        detail = response.json()["detail"]
        assert english_words(detail) == [], detail
    assert (
        refused.json()["detail"]
        == "La vue de classe est réservée aux enseignants ; vos propres réponses restent les vôtres."
    )
    assert bad.json()["detail"] == (
        "Ce rapport n'a pas été enregistré : 'kind' vaut 'vote' ; il doit valoir l'un de prediction, quiz, check."
    )
    assert not_json.json()["detail"] == "Ce rapport n'a pas été enregistré : le corps n'est pas du JSON."
    assert reveal.status_code == 400 and '"question"' in reveal.json()["detail"]
    _says_french(reveal)
    # The learner's page: French, and their name is shown as text, never as markup.
    assert page.status_code == 403 and '<html lang="fr">' in page.text
    _says_french(page)
    assert "réservé aux enseignants" in page.text and "learner01" in page.text
    assert english_words(_visible(page.text).replace("learner01", "")) == []
    # Without the header: English, as before.
    assert english.headers["content-language"] == "en"
    assert english.json()["detail"] == "The class view is for teachers only; your own answers stay yours."


def test_a_bad_report_says_what_was_wrong_in_any_language() -> None:
    with pytest.raises(BadEvent) as caught:
        parse_event({"kind": "quiz", "question": "q", "answer": "x" * 300})
    assert str(caught.value) == "'answer' is 300 characters long; at most 256 are kept"
    assert caught.value.in_language("fr") == "'answer' fait 300 caractères ; 256 au plus sont conservés"
    with language("fr"):
        assert "doit valoir true, false ou être absent" in str(_bad({"kind": "quiz", "question": "q", "correct": 1}))


def _bad(raw: dict[str, Any]) -> BadEvent:
    try:
        parse_event(raw)
    except BadEvent as error:
        return error
    raise AssertionError(f"{raw} was taken")


def test_the_command_line_speaks_the_kits_language(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    with language("fr"), pytest.raises(SystemExit):
        parse(["--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("usage : ") and "le préfixe d'URL du service" in shown
    # Option names, metavars and environment variables are not prose.
    prose = re.sub(r"--?[\w-]+|\b[A-Z_]{2,}\b|\S*://\S*", " ", shown)
    assert english_words(prose) == [], prose
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    with language("fr"), pytest.raises(SystemExit) as stopped:
        main([])
    assert str(stopped.value.code).startswith("La vue de classe tourne comme un service JupyterHub")
    with pytest.raises(SystemExit) as stopped:
        main([])
    assert str(stopped.value.code).startswith("The class view runs as a JupyterHub service")
