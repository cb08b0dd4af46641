"""The widgets in French: every word the widgets and the display layer write is French; English is unchanged.

A widget takes the kit's language when it is built, so ``httplab.i18n.language("fr")`` around the
constructor gives a French widget. Each check reads what a learner sees (descriptions, tooltips,
placeholders, options, tab titles, HTML and labels), leaves out protocol text (method names, header
fields, status lines, JSON, paths and URLs, code), and asks ``english_words`` for what is left.

Other layers write some of what a widget shows (the meaning of a status, an experiment's verdict and
explanation, a bank's questions, the quiz's feedback). The ``*_own_words`` tests remove exactly those
texts, computed by the same layers in the same language, so they check the widgets' own words on
their own; ``test_french_whole_screen`` checks everything on screen together.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import Any

import ipywidgets as widgets
import pytest
from _english import english_words

import httplab
from httplab.display.charts import Lane, state_chart
from httplab.display.render import exchange_html, verdict_chip
from httplab.http.status import describe_status, reason_phrase
from httplab.i18n import get_language, language
from httplab.teaching.predictions import outcome_html, prediction_spec
from httplab.widgets import EvidenceSort, LostUpdateLab, MethodBoard, Playground, Prediction, RepeatExplorer, RetryLab
from httplab.widgets._common import walk
from httplab.widgets.quiz import Quiz
from httplab.widgets.repeat_explorer import CUSTOM

#: French words that the English list also holds, and names that stay as they are.
ALLOWED = frozenset({"client", "second", "requests"})
#: Reason phrases stay as the wire says them ("Created"), alone or in a status line.
REASONS = re.compile(
    r"\b(?:[1-5]\d\d )?(?:"
    + "|".join(sorted({re.escape(p) for p in map(reason_phrase, range(100, 600)) if p}, key=len, reverse=True))
    + r")\b"
)


# ---------------------------------------------------------------------- reading a screen


def screen(root: Any) -> str:
    """Everything a learner can read on *root*: words on controls, hover text, options, HTML, code comments."""
    return "\n".join(_texts(root))


def _texts(root: Any) -> Iterator[str]:
    for widget in walk(root):
        for name in ("description", "tooltip", "placeholder"):
            value = getattr(widget, name, None)
            if isinstance(value, str) and value.strip("\u200b"):
                yield value
        yield from getattr(widget, "tooltips", None) or ()
        yield from getattr(widget, "titles", None) or ()
        labels = getattr(widget, "_options_labels", None)
        if labels and not isinstance(widget, widgets.Combobox):  # a combobox offers paths
            yield from labels
        if isinstance(widget, widgets.HTML | widgets.Label):
            yield str(widget.value)
        elif isinstance(widget, widgets.Textarea):  # code and JSON: only the code's comments are prose
            yield "\n".join(line for line in str(widget.value).splitlines() if line.startswith("#"))


def without(text: str, others: Iterable[str]) -> str:
    """Remove *others* (texts another layer wrote) from *text*, as written and as escaped HTML."""
    for other in sorted({o for o in others if o}, key=len, reverse=True):
        text = text.replace(html.escape(other, quote=True), " ").replace(other, " ")
    return text


def prose(text: str) -> str:
    """Leave out protocol text: wire text, JSON and code blocks, header values, status lines, paths, names."""
    text = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", " ", text, flags=re.S)
    text = re.sub(r"<td style='font-family:monospace[^>]*>.*?</td>", " ", text, flags=re.S)  # header values
    text = re.sub(r"\btitle='([^']*)'", r"> \1 <", text)  # hover text is read too
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = REASONS.sub(" ", text)  # "201 Created", "412 Precondition Failed", "Created"
    text = re.sub(r"\b(?:MUST|SHOULD|SHALL|MAY)(?: NOT)?\b", " ", text)  # RFC keywords, quoted as the RFC says
    text = re.sub(r"\{[^{}]*\}|\[[^\[\]]*\]", " ", text)  # JSON
    text = re.sub(r"\S*/\S*|\S+-\S+|\S+\(\)", " ", text)  # paths, URLs, media types, header names, calls
    return text


def english(text: str, others: Iterable[str] = ()) -> list[str]:
    return english_words(prose(without(text, others)), ALLOWED)


# ---------------------------------------------------------------------- widgets, built and used in French


def playground(lab: httplab.Lab) -> Playground:
    pg = Playground(lab, background=False)
    pg.method.value, pg.path.value = "POST", "/lab/items"
    pg.content_type.value, pg.body_editor.value = "application/json", '{"name": "apple"}'
    assert pg.send() is not None
    return pg


def playground_others(pg: Playground) -> list[str]:
    return [describe_status(e.status) for e in pg.history] + [e.wire_note or "" for e in pg.history]


def explorer(lab: httplab.Lab) -> RepeatExplorer:
    view = RepeatExplorer(lab, background=False)
    view.request.value = "PUT"
    assert view.run(times=3) is not None
    return view


def explorer_others(view: RepeatExplorer) -> list[str]:
    comparison = view.comparison
    assert view.result is not None and comparison is not None
    lanes = [row.lane() for row in comparison.rows]
    titles = re.findall(r"<title id='[^']*'>(.*?)</title>", view.chart_svg)  # the experiment names its chart
    return [
        view.verdict,
        view.explanation,
        *(html.unescape(t) for t in titles),
        *(lane.note for lane in lanes),
        *(row.label for row in comparison.rows),
        *(describe_status(e.status) for e in view.result.exchanges),
    ]


def prediction() -> Prediction:
    view = Prediction(prediction_spec("02-post-three"))
    view.choose("3").lock()
    view.reveal({"items": [{}, {}, {}]})
    return view


def prediction_others(view: Prediction) -> list[str]:
    assert view.outcome is not None and view.chosen is not None
    spec = view.spec
    return [outcome_html(view.outcome), spec.prompt, spec.words(view.chosen), *(c.text for c in spec.choices)]


def quiz() -> Any:
    view = Quiz("02-post").show()
    view.current.set_answer("3")
    assert view.current.check() is not None
    return view


def quiz_others(view: Any) -> list[str]:
    question = view.current.question
    options = [option.text for option in question.options]
    feedback = view.current.feedback_text.split("\n")
    return [view.quiz.title, question.prompt, question.answer_format, question.procedure or "", *options,
            *feedback, str(view.quiz.score())]


# ---------------------------------------------------------------------- the widgets' own words are French


def test_playground_in_french_own_words(lab):
    with language("fr"):
        pg = playground(lab)
        shown, others = screen(pg.widget), playground_others(pg)
    assert pg.send_button.description == "Envoyer" and pg.method.description == "Méthode"
    assert pg.history_labels == ("1. POST /lab/items → 201 Created",)  # protocol text stays as it is
    assert "Fait :" in pg.html and "201 Created" in pg.html
    assert "Ce labo tourne dans le processus" in pg.code_python
    assert english(shown, others) == []


def test_repeat_explorer_in_french_own_words(lab):
    with language("fr"):
        view = explorer(lab)
        shown, others = screen(view.widget), explorer_others(view)
    assert view.request.value == "PUT" and view.run_button.description == "Lancer"
    assert "Chronologie :" in view.timeline_html and "appel 3" in view.timeline_html
    assert "numéro d'appel" in html.unescape(view.chart_svg)
    assert english(shown, others) == []


def test_repeat_explorer_custom_request_keeps_its_value_in_french(lab):
    with language("fr"):
        view = RepeatExplorer(lab, background=False)
        view.request.value = CUSTOM
        assert dict(view.request.options)["votre propre requête…"] == CUSTOM
        view.method.value, view.path.value, view.body_editor.value = "POST", "/lab/items", '{"name": "pear"'
        assert view.run(times=2) is None
    assert view.message.startswith("Le corps n'est pas du JSON valide")
    assert english(view.message) == []


def test_prediction_in_french_own_words():
    with language("fr"):
        view = prediction()
        shown, others = screen(view.widget), prediction_others(view)
    assert view.lock_button.description == "Verrouiller ma prédiction"
    assert "Prédisez d'abord" in html.unescape(shown) and view.message.startswith("Verrouillé : ")
    assert english(shown, others) == []


def test_quiz_in_french_own_words():
    # The quiz's questions come from the bank and its feedback from the teaching engine: both are removed
    # here (they are translated with their own layers), and what is left is the widget's chrome.
    with language("fr"):
        view = quiz()
        shown, others = screen(view), quiz_others(view)
    current = view.current
    assert (current.check_button.description, current.reveal_button.description) == ("Vérifier", "Voir la réponse")
    assert current.attempts_label.value == "Tentatives : 1"
    assert "(tentative 1)" in current.feedback.value and view.score_text.startswith("Score : ")
    assert english(shown, others) == []


@pytest.mark.parametrize("kind", [MethodBoard, RetryLab, LostUpdateLab], ids=lambda k: k.__name__)
def test_experiment_widget_controls_in_french(lab, kind):
    with language("fr"):
        view = kind(lab, background=False)
        shown = screen(view.widget)
    assert english(shown) == []


def test_retry_lab_in_french_keeps_policy_values(lab):
    with language("fr"):
        view = RetryLab(lab, background=False)
        view.policy.value = "always"
        grid = view.run_grid()
        shown = view.html
    assert grid is not None and view.policy.label == "toujours"
    assert "<code>toujours</code>" in shown and "politique de nouvelle tentative" in shown
    assert view.message.startswith("6 combinaisons exécutées")


def test_lost_update_lab_in_french_keeps_run_values(lab):
    with language("fr"):
        view = LostUpdateLab(lab, background=False)
        assert '"lait"' in view.original.value
        view.shown_run.value = "without If-Match"
        result = view.run()
    assert result is not None and view.shown_run.label == "sans If-Match"
    assert view.shown is not None and view.shown.lost_update
    assert "mise à jour perdue" in view.html and "Écriture d'Alice" in html.unescape(view.html)


def test_playground_mistakes_in_french(lab):
    with language("fr"):
        pg = Playground(lab, background=False)
        pg.method.value, pg.path.value = "POST", "/lab/items"
        pg.content_type.value, pg.body_editor.value = "application/json", '{"name": "apple",\n "price" 3}'
        assert pg.send() is None
        bad_json, pointer = pg.message, pg.message_details
        pg.content_type.value, pg.body_editor.value = "", "pomme"
        assert pg.send() is None
        untyped = pg.message
        pg.method.value, pg.path.value = "PUT", "/lab/files/chat.png"
        pg.choose_file("chat.png", bytes(2048), "image/png")
        chosen = pg.file_text
    assert bad_json == (
        "Le corps n'est pas du JSON valide : deux-points (:) attendus à la ligne 2, colonne 10. "
        "Corrigez-le puis renvoyez ; rien n'a été envoyé."
    )
    assert pointer == 'ligne 2:  "price" 3}\n' + " " * 18 + "^"  # the caret sits under the mistake
    assert "« aucun »" in untyped
    assert chosen.startswith("Fichier choisi : chat.png (2\u202f048 octets, 2,0\u00a0Kio, image/png).")
    for text in (bad_json, untyped, chosen):
        assert english(text) == [], text


def test_stopped_lab_says_so_in_french():
    lab = httplab.Lab(in_process=True)
    with language("fr"):
        pg = Playground(lab, background=False)
        view = RepeatExplorer(lab, background=False)
        lab.stop()
        pg.send()
        view.run()
    assert pg.message.startswith("Le labo ne tourne pas") and "rien n'a été envoyé" in pg.message
    assert "l'expérience n'a pas été lancée" in view.message
    assert pg.restart_button.description == "Redémarrer le labo"
    assert english(pg.message) == english(view.message) == []


def test_display_pieces_in_french(lab):
    exchange = lab.send("GET", "/lab/items")
    with language("fr"):
        chart = state_chart([Lane("PUT /lab/items/pear", (0, 1, 1), "une fois, puis stable", "idempotent")])
        chip = verdict_chip("état changé", True)
        shown = exchange_html(exchange)
    assert "État après chaque appel" in chart and "finit dans l'état 1" in html.unescape(chart)
    assert chip.endswith("état changé : <b>oui</b></span>")
    assert "sur le réseau" in shown
    assert english(chart) == english(chip) == []
    assert english(shown, [exchange.wire_note or "", describe_status(exchange.status)]) == []


# ---------------------------------------------------------------------- the whole screen, other layers included


def _whole_screens(lab: httplab.Lab) -> dict[str, str]:
    with language("fr"):
        board = MethodBoard(lab, background=False)
        board.run(times=2)
        assert board.comparison is not None
        sort = EvidenceSort(board.comparison)
        for label in sort.menus:
            sort.place(label, "once")
        sort.check()
        retry = RetryLab(lab, background=False)
        retry.use_key.value = True
        retry.policy.value = "always"
        retry.run()
        single = screen(retry.widget)
        retry.run_grid()
        conflict = LostUpdateLab(lab, background=False)
        conflict.run()
        return {
            "Playground": screen(playground(lab).widget),
            "RepeatExplorer": screen(explorer(lab).widget),
            "Prediction": screen(prediction().widget),
            "Quiz": screen(quiz()),
            "MethodBoard": screen(board.widget),
            "EvidenceSort": screen(sort.widget),
            "RetryLab": single,
            "RetryLab grid": screen(retry.widget),
            "LostUpdateLab": screen(conflict.widget),
        }


def test_french_whole_screen(lab):
    # Everything on screen, whichever layer wrote it: the widgets' words and the other layers' (status
    # meanings, verdicts and explanations, bank questions, quiz feedback) are all French.
    found = {name: english(text) for name, text in _whole_screens(lab).items()}
    assert found == {name: [] for name in found}


# ---------------------------------------------------------------------- English is unchanged


def test_english_widgets_read_as_before(lab):
    pg = Playground(lab, background=False)
    assert (pg.send_button.description, pg.restart_button.description) == ("Send", "Restart the lab")
    assert (pg.method.description, pg.content_type.description, pg.timeout.description) == (
        "Method", "Content type", "Timeout (s)")
    assert pg.method.style.description_width == "7em"
    assert pg.content_type.options[0] == ("none (no body)", "")
    assert pg._tabs.titles == ("Body", "Response headers", "On the wire", "Python (httpx)", "curl")
    assert "Nothing sent yet: fill in the request and press Send." in pg.html
    assert "No file chosen: the body comes from the body editor." in pg.html
    view = RepeatExplorer(lab, background=False)
    assert view.request.options[-1] == (CUSTOM, CUSTOM) and view.run_button.description == "Run"
    assert RetryLab(lab).policy.options == (("never", "never"), ("idempotent-only", "idempotent-only"),
                                            ("always", "always"))
    conflict = LostUpdateLab(lab)
    assert all(label == value for label, value in conflict.shown_run.options)
    assert '"milk"' in conflict.original.value
    guess = prediction()
    assert guess.lock_button.description == "Lock in my prediction"
    assert verdict_chip("lost update", False).endswith("lost update: <b>no</b></span>")
    assert "call number (0 = before the first call)" in state_chart([Lane("GET /", (0, 0))])


def test_the_check_sees_the_widgets_own_english(lab):
    # The same reading, on the same widgets built in English, finds their own English words: the French
    # tests above pass because the words are French, not because the reading leaves everything out.
    pg, view, guess, questions = playground(lab), explorer(lab), prediction(), quiz()
    assert {"send", "request", "the"} <= set(english(screen(pg.widget), playground_others(pg)))
    assert {"run", "state", "after"} <= set(english(screen(view.widget), explorer_others(view)))
    assert {"run", "now"} <= set(english(screen(guess.widget), prediction_others(guess)))
    assert {"answer"} <= set(english(screen(questions), quiz_others(questions)))


def test_a_widget_keeps_the_language_it_was_built_in(lab):
    with language("fr"):
        french = Playground(lab, background=False)
    english_one = Playground(lab, background=False)
    assert french.send_button.description == "Envoyer" and english_one.send_button.description == "Send"
    french.send()  # sent after the language went back to English: the button still reads French
    assert french.send_button.description == "Envoyer"
    assert english(screen(english_one.widget)) != []  # the English widget is English


def test_set_language_before_building_gives_a_french_widget(lab):
    before = get_language()
    httplab.set_language("fr")
    try:
        board = MethodBoard(lab, background=False)
    finally:
        httplab.set_language(before)
    assert board.run_button.description == "Lancer toutes les méthodes"
    assert board.times.description == "Répétitions"
