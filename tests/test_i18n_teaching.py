"""The lessons' engine in French: banks keep every key, checkers and the quiz speak the learner's language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _english import english_words
from test_exercises import RIGHT, WRONG

from httplab.i18n import get_language, language, translate
from httplab.teaching import quizdata
from httplab.teaching.bank_text import PROTOCOL_KEYS, TEXT_KEYS, TEXT_MAPS, bank_files, bank_messages
from httplab.teaching.evidence import SortOutcome
from httplab.teaching.exercises import EXERCISES, CheckResult, check
from httplab.teaching.grading import answer_text, grade
from httplab.teaching.predictions import Outcome, prediction_ids, prediction_spec
from httplab.teaching.quiz import Quiz, bank_names, load_bank
from httplab.teaching.quizdata._model import Question

QUIZDATA = Path(quizdata.__file__).parent
#: "client" is a French word too (un client HTTP); the word list counts it as English.
FRENCH_TOO = frozenset({"client"})
#: Protocol text and code in a French sentence: paths, status lines, header and method names, Python values.
_PROTOCOL = re.compile(
    r"/[\w/.~-]*"  # paths such as /lab/items/tea
    r"|\b[1-5]\d\d(?: [A-Z][A-Za-z-]*)*"  # status codes and their reason phrases: 412 Precondition Failed
    r"|\b[A-Z][a-z]+(?:-[A-Z][a-z]+)+\b"  # header field names: If-None-Match, Idempotency-Key
    r"|'[^']*'|\"[^\"]*\"|\{[^{}]*\}|\[[^\[\]]*\]"  # Python values and JSON
    r"|\b\w+\([^()]*\)"  # calls: place_order(lab, order)
)


#: What the learner's own code said, quoted in the feedback: their words, in their language.
_LEARNERS_ERROR = re.compile(r"\b\w+Error: [^)]*")


def french_prose(text: str) -> list[str]:
    """Return the English words of *text* once its protocol text, code and the learner's own words are taken out."""
    return english_words(_PROTOCOL.sub(" ", _LEARNERS_ERROR.sub(" ", text)), FRENCH_TOO)


# ------------------------------------------------------------------------------------------- (a) banks


def _texts(question: Question, bank: str) -> dict[str, str]:
    """Every text a learner reads in *question*, by its catalogue context."""
    where = f"quizdata/{bank}/{question.id}"
    texts = {f"{where}:prompt": question.prompt, f"{where}:explanation": question.explanation}
    if question.hint:
        texts[f"{where}:hint"] = question.hint
    for option in question.options:
        texts[f"{where}/{option.id}:text"] = option.text
        texts[f"{where}/{option.id}:explanation"] = option.explanation
    for answer, explanation in question.wrong_answers:
        texts[f"{where}:wrong_answers[{answer}]"] = explanation
    return texts


def _keys(question: Question) -> tuple[object, ...]:
    """Everything in *question* that is not a text: ids, answers, requests."""
    return (
        question.id,
        question.kind,
        question.bank,
        question.misconceptions,
        tuple((option.id, option.correct) for option in question.options),
        question.answers,
        question.tolerance,
        tuple(answer for answer, _text in question.wrong_answers),
        question.observe,
        question.count_of,
        question.setup,
        question.request,
        question.times,
        question.also_right,
    )


@pytest.mark.parametrize("name", bank_names())
def test_a_french_bank_keeps_every_key_and_only_its_texts_change(name: str) -> None:
    english, french = load_bank(name, language="en"), load_bank(name, language="fr")
    assert (french.name, len(french.questions)) == (english.name, len(english.questions))
    assert [_keys(q) for q in french.questions] == [_keys(q) for q in english.questions]

    pairs = {f"quizdata/{name}:title": (english.title, french.title)}
    for en_question, fr_question in zip(english.questions, french.questions, strict=True):
        en_texts, fr_texts = _texts(en_question, name), _texts(fr_question, name)
        assert en_texts.keys() == fr_texts.keys()
        pairs.update({context: (en_texts[context], fr_texts[context]) for context in en_texts})
    for context, (en_text, fr_text) in pairs.items():
        wanted = translate(en_text, "fr", context=context)
        assert fr_text == wanted, context
        if wanted != en_text:  # translated in banks.po: the French bank shows the French text
            assert fr_text != en_text, context


def test_the_bank_contexts_are_the_ones_the_questions_read() -> None:
    """Every catalogue context names a text the loaded bank shows, so no translation is lost on the way."""
    shown: set[str] = set()
    for name in bank_names():
        bank = load_bank(name, language="en")
        shown.add(f"quizdata/{name}:title")
        for question in bank.questions:
            shown.update(_texts(question, name))
    quiz_contexts = {
        context for path in bank_files() if path.parent.name == "quizdata" for context, _text in bank_messages(path)
    }
    assert quiz_contexts == shown


def test_bank_texts_are_the_learners_fields_and_never_a_request() -> None:
    fields = {*TEXT_KEYS, *TEXT_MAPS}
    for path in bank_files():
        for context, _text in bank_messages(path):
            assert re.sub(r"\[.*\]$", "", context.rsplit(":", 1)[1]) in fields, context
    # A predict question's requests are sent as they are, in every language (this one's JSON holds a "text").
    raw = json.loads((QUIZDATA / "08-conditional-requests.json").read_text("utf-8"))
    assert any("text" in spec.get("json", {}) for q in raw["questions"] for spec in q.get("setup", []))
    assert PROTOCOL_KEYS == {"request", "setup"}


def test_a_french_bank_is_graded_with_the_english_answer_keys() -> None:
    for name in bank_names():
        for question in load_bank(name, language="fr").questions:
            if question.kind == "predict":
                continue
            right = [o.id for o in question.options if o.correct] if question.options else question.answers[0]
            answer = right[0] if question.kind == "single" else right
            assert grade(question, answer).correct, (name, question.id)


def test_a_bank_speaks_the_language_of_the_kit_when_it_loads() -> None:
    assert get_language() == "en"
    english = load_bank("02-post")
    raw = json.loads((QUIZDATA / "02-post.json").read_text("utf-8"))
    assert english.title == raw["title"]
    with language("fr"):
        french = load_bank("02-post")
        quiz = Quiz("02-post")
    assert french.title == translate(raw["title"], "fr", context="quizdata/02-post:title")
    assert quiz.title == french.title  # a quiz keeps the language it was made in
    assert load_bank("02-post").title == raw["title"]


def test_predictions_load_once_per_language_with_the_same_keys() -> None:
    for prediction_id in prediction_ids():
        english = prediction_spec(prediction_id)
        with language("fr"):
            french = prediction_spec(prediction_id)
        assert (french.id, french.lesson, french.measure, french.path) == (
            english.id,
            english.lesson,
            english.measure,
            english.path,
        )
        assert [c.value for c in french.choices] == [c.value for c in english.choices]
        where = f"predictdata/{english.lesson}/{english.id}"
        assert french.prompt == translate(english.prompt, "fr", context=f"{where}:prompt")
        for en_choice, fr_choice in zip(english.choices, french.choices, strict=True):
            assert fr_choice.text == translate(en_choice.text, "fr", context=f"{where}/{en_choice.value}:text")
    english = prediction_spec("02-post-three")
    with language("fr"):
        french = prediction_spec("02-post-three")
        assert prediction_spec("02-post-three") is french  # loaded once per language
    assert prediction_spec("02-post-three") is english and french is not english


# ------------------------------------------------------------------------------------------- (b) checkers


def test_the_checker_heads_have_their_french_wording() -> None:
    with language("fr"):
        passed, failed = CheckResult("x", True, ()), CheckResult("x", False, ())
        assert str(passed).startswith("✔ Bravo — le vérificateur accepte votre solution.")
        assert str(failed).startswith("✘ Pas encore.")
        assert "✔ Réussi — le vérificateur accepte votre solution." in passed._repr_html_()
        assert "✘ Pas encore — voici ce que le vérificateur a observé :" in failed._repr_html_()
        missing = check("create-three", {})
    assert missing.feedback == (
        "Définissez une fonction make_three(lab) dans la cellule ci-dessus, exécutez cette cellule, "
        "puis vérifiez à nouveau.",
    )


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_checker_tells_a_wrong_solution_in_french(name: str) -> None:
    function, _english_words = WRONG[name]
    with language("fr"):
        result = check(name, {EXERCISES[name].function: function})
        shown = str(result)
    assert not result.passed
    if name == "audit":  # a false accusation quotes the RFC's own English sentence, after its section
        shown = re.sub(r'§[\d.]+ : «[^»]*»', " ", shown)
    assert french_prose(shown) == [], shown


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_checker_praises_a_right_solution_in_french(name: str) -> None:
    with language("fr"):
        result = check(name, {EXERCISES[name].function: RIGHT[name]})
        shown = str(result)
    assert result.passed, result.feedback
    assert french_prose(shown) == [], shown


def test_a_learners_exception_is_reported_in_french() -> None:
    def broken(lab):
        raise KeyError("ETag")

    with language("fr"):
        result = check("create-three", {"make_three": broken})
    assert result.feedback[0].startswith("Votre fonction a levé KeyError : 'ETag' (ligne ")
    assert result.feedback[0].endswith("Corrigez d'abord cela, puis vérifiez à nouveau.")


def test_exercise_titles_stay_english_and_show_in_the_learners_language() -> None:
    exercise = EXERCISES["create-three"]
    assert (exercise.title, exercise.shown_title) == ("Exactly three items", "Exactly three items")
    with language("fr"):
        assert exercise.shown_title == "Exactement trois éléments"
        assert all(french_prose(e.shown_title + " " + e.shown_goal) == [] for e in EXERCISES.values())


# ------------------------------------------------------------------------------------------- (c) the quiz


def test_quiz_feedback_in_french() -> None:
    with language("fr"):
        quiz = Quiz("09-status-codes")
        feedback = quiz.answer("unknown-method-status", 405)
        text, shown = feedback.text, feedback._repr_html_()
        revealed = quiz.reveal("unknown-method-status").text
        score = str(quiz.score())
    assert text.startswith("Pas tout à fait. (tentative 1)\n")
    assert "✘ Pas tout à fait" in shown and "(tentative 1)" in shown
    assert revealed.startswith("Pas tout à fait. (tentative 1)\n")
    assert revealed.endswith("Réponse : 501")
    assert "\nPourquoi : " in revealed
    assert score == "0 sur 7 réussies (0 du premier coup), 1 avec réponse, 1 tentative, réponses révélées : 1"
    assert french_prose(text) == [] and french_prose(revealed) == []


def test_quiz_choice_and_predict_feedback_in_french() -> None:
    with language("fr"):
        quiz = Quiz("05-delete")
        multiple = next(q for q in quiz.questions if q.kind == "multiple")
        wrong = [o.id for o in multiple.options if not o.correct][:1]
        summary = quiz.answer(multiple.id, wrong).text.split("\n")[1]
        predict = next(q for q in quiz.questions if q.kind == "predict" and q.observe == "statuses")
        said = quiz.answer(predict.id, [200] * predict.times).text
        answer_format, procedure = predict.answer_format, predict.procedure
    assert summary.startswith("Choix justes : 0 sur 1 ; affirmations vraies pas encore choisies : ")
    assert "appel 1 : vous avez dit 200, le labo a répondu " in said
    assert answer_format.startswith(f"Tapez {predict.times} codes d'état, un par appel")
    assert procedure.startswith("1. Réinitialiser le labo (aucun élément).")
    assert french_prose(said) == [] and french_prose(answer_format + procedure) == []


def test_quiz_errors_and_answers_in_french() -> None:
    with language("fr"):
        quiz = Quiz("03-put")
        with pytest.raises(Exception, match="Tapez un nombre, comme 200 ; 'abc' n'en est pas un."):
            quiz.answer("put-replace-status", "abc")
        with pytest.raises(Exception, match="Essayez d'abord"):
            quiz.reveal("put-replace-status")
        both = answer_text(quiz.question("put-replace-status"))
    assert both == "200 ou 204"


def test_predictions_and_evidence_speak_french() -> None:
    spec = prediction_spec("02-post-three")
    with language("fr"):
        french = prediction_spec("02-post-three")
        missed = Outcome(french, "1", True, "3").text
        sorted_wrong = SortOutcome({"a": "once"}, {"a": "unchanged", "b": "once"}).text
    assert missed.startswith("✘ Votre prédiction : ")
    assert "\nLe serveur : " in missed
    assert french.explanation in missed and french.explanation != spec.explanation
    assert sorted_wrong.startswith("✘ 2 ligne(s) sur 2 ne sont pas là où les observations les placent :")
    assert "« changé une fois, puis resté identique »" in sorted_wrong
    assert french_prose(missed) == [] and french_prose(sorted_wrong) == []


def test_a_french_learner_who_predicts_bobs_list_is_right():
    """The lost-update demo's data is French in French ("lait, pain"); the choice values stay the bank's keys."""
    import httplab
    from httplab.teaching.predictions import measure

    with language("fr"):
        lab = httplab.start(in_process=True)
        try:
            spec = prediction_spec("08-lost-update-blind")
            observed = measure(spec, lab.lost_update())
        finally:
            lab.stop()
    assert observed == "milk, bread"
    with language("fr"):
        assert spec.words(observed).startswith("lait, pain")
