"""Lessons in JupyterLab, in a real browser: run every cell, then use the widgets as a learner would."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

import httplab
from httplab.widgets import RepeatExplorer

pytestmark = pytest.mark.browser

LESSONS = Path(__file__).resolve().parents[2] / "notebooks"


def test_playground_post_to_items_renders_201_created(lab_page, lesson_copy, jupyter_lab, pages):
    notebook = lesson_copy("00-start-here.ipynb")
    lab_page.open(notebook.relative_to(jupyter_lab.root).as_posix())
    lab_page.browser.screenshot("1-opened")

    lab_page.run_all_cells()
    playground = lab_page.widget_with_button("Send", "Playground")
    playground.wait_for_text("Nothing sent yet")
    lab_page.browser.screenshot("2-ran-all-cells")

    pages.post_from_playground(playground, '{"name": "pear"}')
    playground.wait_for_text("POST /lab/items → 201 Created.")
    playground.wait_enabled("Send")
    assert pages.badges(playground) == ["201 Created"]
    assert "1. POST /lab/items → 201 Created" in playground.text  # the history list
    assert '"name": "pear"' in playground.text  # the Body tab shows the created item
    lab_page.browser.screenshot("3-post-201-created")


def test_repeat_explorer_renders_timeline_and_verdict(lab_page, lesson_copy, jupyter_lab, pages):
    with httplab.Lab(in_process=True) as lab:  # what the Python API shows for the same default run
        expected = RepeatExplorer(lab, background=False)
        expected.run()
    notebook = lesson_copy("02-post.ipynb")
    lab_page.open(notebook.relative_to(jupyter_lab.root).as_posix())
    lab_page.run_all_cells()
    explorer = lab_page.widget_with_button("Run", "RepeatExplorer")
    lab_page.browser.screenshot("1-ran-all-cells")

    explorer.press("Run")
    explorer.wait_for_text("Verdict:")
    explorer.wait_enabled("Run")
    text = explorer.text
    assert "Timeline: POST, sent 5 times" in text
    assert [f"call {n}" in text for n in range(1, 6)] == [True] * 5
    assert pages.badges(explorer) == list(expected.badge_texts)
    assert f"Verdict: {expected.verdict}" in text
    assert expected.explanation in text
    assert explorer.find_all("svg"), "the state chart is missing"
    lab_page.browser.screenshot("2-timeline-and-verdict")
    explorer.browser.scroll_to(explorer.find_all("svg")[0])
    lab_page.browser.screenshot("3-state-chart")


def test_quiz_question_shows_feedback(lab_page, lesson_copy, jupyter_lab):
    expected = httplab.quiz.Quiz("00-start-here")  # lesson 00 ends with this quiz
    question = expected.questions[0]
    wrong = next(option for option in question.options if not option.correct)
    right = next(option for option in question.options if option.correct)
    wrong_feedback = expected.answer(question.id, wrong.id).text.splitlines()
    right_feedback = expected.answer(question.id, right.id).text.splitlines()

    notebook = lesson_copy("00-start-here.ipynb")
    lab_page.open(notebook.relative_to(jupyter_lab.root).as_posix())
    lab_page.run_all_cells()
    quiz = lab_page.widget_with_button("Check", "quiz")
    quiz.wait_for_text(f"Question 1 of {len(expected.questions)}")
    assert question.prompt in quiz.text
    assert not quiz.button("Reveal answer").is_enabled()
    lab_page.browser.screenshot("1-question")

    quiz.pick(wrong.text)
    quiz.press("Check")
    quiz.wait_for_text("✘ Not quite")
    assert wrong_feedback[1] in quiz.text
    quiz.browser.wait(lambda: quiz.button("Reveal answer").is_enabled(), "Reveal to be enabled after an attempt")
    lab_page.browser.screenshot("2-wrong-answer-feedback")

    quiz.pick(right.text)
    quiz.press("Check")
    quiz.wait_for_text("✔ Correct")
    text = quiz.wait_for_text(f"Score: {expected.score()}")  # the score is the last thing a check updates
    assert "(attempt 2)" in text and "Attempts: 2" in text
    assert all(line in text for line in right_feedback[1:])
    lab_page.browser.screenshot("3-right-answer-feedback")


def test_file_browser_lists_each_lesson_once(jupyter_lab):
    # The py:percent sources sit beside the notebooks; a learner should see each lesson once.
    folder = jupyter_lab.root / "listing"
    folder.mkdir(exist_ok=True)
    for name in ("02-post.ipynb", "02-post.py", "jupytext.toml"):
        shutil.copyfile(LESSONS / name, folder / name)
    (folder / "my-notes.py").write_text("# a learner's own file stays visible\n")
    request = urllib.request.Request(f"{jupyter_lab.url}/api/contents/listing",
                                     headers={"Authorization": f"token {jupyter_lab.token}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        listed = sorted(entry["name"] for entry in json.load(reply)["content"])
    assert listed == ["02-post.ipynb", "my-notes.py"]
