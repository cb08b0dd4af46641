"""Predict, then fire, in a real browser: lock in a prediction, run the demo, read the two side by side."""

from __future__ import annotations

import pytest

from httplab.teaching.predictions import prediction_spec

pytestmark = pytest.mark.browser


def test_prediction_locked_in_then_revealed_beside_the_server(lab_page, lesson_copy, jupyter_lab):
    spec = prediction_spec("02-post-three")
    right = next(c for c in spec.choices if c.value == "3")
    notebook = lesson_copy("02-post.ipynb")
    lab_page.open(notebook.relative_to(jupyter_lab.root).as_posix())

    lab_page.run_up_to('result = lab.repeat("POST"')  # the prediction shows; the demo has not run
    guess = lab_page.widget_with_button("Lock in my prediction", "prediction")
    assert spec.prompt in guess.text
    lab_page.browser.screenshot("1-prediction-open")

    guess.pick(right.text)
    guess.press("Lock in my prediction")
    guess.wait_for_text("Locked in")
    assert not guess.button("Lock in my prediction").is_enabled()
    lab_page.browser.screenshot("2-locked-in")

    lab_page.run_selected()  # fire
    guess.wait_for_text("The server did")
    assert "Your prediction matched what the server did" in guess.text
    assert "3 items" in guess.text and "RFC 9110" in guess.text
    lab_page.browser.screenshot("3-revealed")


def test_sorting_step_checks_the_board_the_learner_ran(lab_page, lesson_copy, jupyter_lab):
    notebook = lesson_copy("06-idempotency-lab.ipynb")
    lab_page.open(notebook.relative_to(jupyter_lab.root).as_posix())
    lab_page.run_all_cells()
    sorter = lab_page.widget_with_button("Check my sorting", "evidence sort")
    sorter.press("Check my sorting")  # nothing placed yet: every row is named, none is given away
    text = sorter.wait_for_text("not placed yet")
    rows = text.count("not placed yet")
    assert rows >= 5 and f"{rows} of {rows} rows are not where the evidence puts them" in text
    lab_page.browser.screenshot("1-unsorted-feedback")
