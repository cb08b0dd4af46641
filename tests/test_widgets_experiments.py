"""The experiment widgets (RepeatExplorer, MethodBoard, RetryLab, LostUpdateLab), driven from code."""

from __future__ import annotations

import time

import ipywidgets as widgets
import pytest

import httplab
from httplab.widgets import LostUpdateLab, MethodBoard, RepeatExplorer, RetryLab
from httplab.widgets._common import walk
from httplab.widgets.repeat_explorer import CUSTOM

WIDGETS = [RepeatExplorer, MethodBoard, RetryLab, LostUpdateLab]
CONTROLS = (widgets.Button, widgets.Dropdown, widgets.Combobox, widgets.Textarea, widgets.Text, widgets.IntSlider,
            widgets.Checkbox, widgets.ToggleButtons, widgets.Select)
SCRIPT = "<script>alert(1)</script>"


def custom(explorer: RepeatExplorer, method: str, path: str, body: str = "", headers: str = "") -> None:
    explorer.request.value = CUSTOM
    explorer.method.value = method
    explorer.path.value = path
    explorer.content_type.value = "application/json" if body else ""
    explorer.body_editor.value = body
    explorer.headers_editor.value = headers


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


# ---------------------------------------------------------------------- every experiment widget


@pytest.mark.parametrize("kind", WIDGETS, ids=lambda k: k.__name__)
def test_experiment_widget_controls_are_described(lab, kind):
    view = kind(lab)
    controls = [w for w in walk(view.widget) if isinstance(w, CONTROLS)]
    assert controls
    for control in controls:
        assert (control.description or "").strip() or (control.tooltip or "").strip(), control
        assert not getattr(control, "description_allow_html", False)


@pytest.mark.parametrize("kind", WIDGETS, ids=lambda k: k.__name__)
def test_experiment_widget_on_a_stopped_lab_offers_a_restart(kind):
    lab = httplab.Lab(in_process=True)
    view = kind(lab)
    lab.stop()
    view.run_button.click()
    assert view.wait(5)
    assert "not running" in view.message and view.message_level == "error"
    assert view.restart_button.layout.display != "none"
    try:
        view.restart_button.click()
        assert view.lab is not lab and view.lab.running
        assert view.restart_button.layout.display == "none"
        view.run_button.click()
        assert view.wait(10)
        assert view.message_level == "success", view.message
    finally:
        view.lab.stop()


@pytest.mark.parametrize("kind", WIDGETS, ids=lambda k: k.__name__)
def test_experiment_widget_errors_become_messages(lab, monkeypatch, kind):
    view = kind(lab)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(lab, "reset", broken)
    view.run_button.click()
    assert view.wait(5)
    assert view.message_level == "error" and "ZeroDivisionError: boom" in view.message
    assert "Traceback" in view.message_details
    assert not view.run_button.disabled and not view.running


# ---------------------------------------------------------------------- RepeatExplorer


def test_repeat_explorer_put_leaves_the_same_state_with_different_responses(lab):
    explorer = RepeatExplorer(lab)
    explorer.request.value = "PUT"
    result = explorer.run(times=3)
    assert result is not None
    assert explorer.badge_texts == ("201 Created", "204 No Content", "204 No Content")
    assert explorer.verdict == "changed once, then stayed the same"
    assert "not the response" in explorer.explanation
    assert len(explorer.states) == 4 and explorer.state_picker.max == 3
    assert explorer.chart_svg.startswith("<svg")
    assert "204 No Content" in explorer.timeline_html and "changed the state" in explorer.timeline_html
    assert explorer.message_level == "success"


def test_repeat_explorer_state_picker_shows_each_state(lab):
    explorer = RepeatExplorer(lab)
    explorer.request.value = "POST"
    explorer.run(times=3)
    sizes = [len(state["items"]) for state in explorer.states]
    assert sizes == [1, 2, 3, 4]
    explorer.state_picker.value = 0
    assert "before the first call" in explorer.html
    explorer.state_picker.value = 2
    assert "after call 2" in explorer.html


def test_repeat_explorer_run_button_is_disabled_while_running_and_progress_shows(lab):
    explorer = RepeatExplorer(lab)
    custom(explorer, "POST", "/lab/items", '{"n": 1}', headers="X-Lab-Delay: 0.1")
    explorer.times.value = 5
    explorer.run_button.click()
    assert explorer.running
    assert explorer.run_button.disabled and explorer.run_button.description == "Running…"
    assert explorer.reset_button.disabled
    explorer.run_button.click()
    assert "ignored" in explorer.message
    assert wait_for(lambda: len(explorer.badge_texts) >= 1)
    assert explorer.running and explorer.result is None
    assert explorer.wait(10)
    assert explorer.run_button.description == "Run" and not explorer.run_button.disabled
    assert explorer.badge_texts == ("201 Created",) * 5
    assert len(lab.state()["items"]) == 5


def test_repeat_explorer_refuses_one_call_and_sends_nothing(lab):
    explorer = RepeatExplorer(lab)
    assert explorer.run(times=1) is None
    assert "between 2 and 100" in explorer.message
    assert lab.history == ()


def test_repeat_explorer_slider_stays_within_what_experiments_accept(lab):
    explorer = RepeatExplorer(lab)
    explorer.times.value = 500
    assert explorer.times.value == 100
    explorer.times.value = 0
    assert explorer.times.value == 2


def test_repeat_explorer_invalid_json_points_at_it_and_sends_nothing(lab):
    explorer = RepeatExplorer(lab)
    custom(explorer, "PATCH", "/lab/items/apple", '{"colour":\n  red}')
    assert explorer.run(times=3) is None
    assert "line 2, column 3" in explorer.message
    assert lab.history == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [('{"name": "pear"}', "Choose “JSON (application/json)”"), ("pear", "not JSON")],
    ids=["json", "text"],
)
def test_repeat_explorer_body_with_type_none_says_what_to_choose(lab, body, expected):
    explorer = RepeatExplorer(lab)
    custom(explorer, "POST", "/lab/items", body)
    explorer.content_type.value = ""
    assert explorer.run(times=2) is None
    assert "content type is “none”" in explorer.message and expected in explorer.message
    assert lab.history == ()


def test_repeat_explorer_content_type_header_sends_the_body(lab):
    explorer = RepeatExplorer(lab)
    custom(explorer, "POST", "/lab/items", '{"name": "pear"}', headers="Content-Type: application/json")
    explorer.content_type.value = ""
    result = explorer.run(times=2)
    assert result is not None and result.statuses == (201, 201)


def test_repeat_explorer_escapes_learner_paths(lab):
    explorer = RepeatExplorer(lab)
    custom(explorer, "GET", "/anything/" + SCRIPT)
    assert explorer.run(times=2) is not None
    assert "<script" not in explorer.html.lower()
    assert "&lt;script&gt;" in explorer.html


def test_repeat_explorer_reset_empties_the_lab_and_the_view(lab):
    explorer = RepeatExplorer(lab)
    explorer.run(times=2)
    assert lab.state()["items"]
    explorer.reset_button.click()
    assert explorer.wait(5)
    assert lab.state()["items"] == []
    assert explorer.badge_texts == () and explorer.timeline_html == "" and explorer.result is None
    assert "empty again" in explorer.message


# ---------------------------------------------------------------------- MethodBoard


def test_method_board_one_click_compares_every_method(lab):
    board = MethodBoard(lab)
    board.times.value = 2
    board.run_button.click()
    assert board.wait(10)
    assert board.comparison is not None
    assert board.verdicts["GET"] == "state unchanged"
    assert board.verdicts["POST"] == "kept changing"
    assert board.verdicts["PATCH (merge patch)"] == "changed once, then stayed the same"
    assert board.verdicts["PATCH (JSON Patch append)"] == "kept changing"
    assert board.statuses["DELETE"] == ("204 No Content", "404 Not Found")
    assert "<table" in board.html and "<svg" in board.html and board.chart_svg.startswith("<svg")
    assert "same state after repeats?" in board.html
    assert "safe here" not in board.html and "idempotent here" not in board.html
    assert board.message_level == "success"


def test_method_board_refuses_bad_times(lab):
    board = MethodBoard(lab)
    assert board.run(times=0) is None
    assert "between 2 and 100" in board.message and board.message_level == "error"


# ---------------------------------------------------------------------- RetryLab


@pytest.mark.parametrize(
    ("policy", "use_key", "seen", "duplicated"),
    [
        ("never", False, ("no response",), False),
        ("idempotent-only", False, ("no response",), False),
        ("always", False, ("no response", "201 Created"), True),
        ("always", True, ("no response", "201 Created"), False),
    ],
    ids=["never", "idempotent-only", "always", "always-with-key"],
)
def test_retry_lab_post_after_a_lost_response(lab, policy, use_key, seen, duplicated):
    retry = RetryLab(lab)
    retry.policy.value = policy
    retry.use_key.value = use_key
    result = retry.run()
    assert result is not None
    assert retry.badge_texts == seen
    assert result.duplicated is duplicated
    assert result.replayed is use_key
    assert retry.message_level == ("warning" if duplicated else "success")
    assert "no response" in retry.html


def test_retry_lab_retried_delete_ending_in_404_was_most_likely_done_by_the_first(lab):
    retry = RetryLab(lab)
    retry.request.value = "DELETE"
    retry.run()
    assert retry.badge_texts == ("no response", "404 Not Found")
    assert "already gone" in retry.explanation and "does not say who deleted it" in retry.explanation


def test_retry_lab_empty_key_sends_nothing(lab):
    retry = RetryLab(lab)
    retry.use_key.value = True
    retry.key.value = "  "
    assert retry.run() is None
    assert "Idempotency-Key is empty" in retry.message
    assert lab.history == ()


def test_retry_lab_new_key_button_changes_the_key(lab):
    retry = RetryLab(lab)
    old = retry.key.value
    retry.new_key_button.click()
    assert retry.key.value != old and len(retry.key.value) == 36


def test_retry_lab_grid_shows_every_policy_with_and_without_key(lab):
    retry = RetryLab(lab)
    retry.grid_button.click()
    assert retry.wait(10)
    grid = retry.grid
    assert [(r.policy, r.idempotency_key is not None) for r in grid] == [
        (p, k) for p in ("never", "idempotent-only", "always") for k in (False, True)
    ]
    assert [r.duplicated for r in grid] == [False, False, False, False, True, False]
    assert "duplicate effect" in retry.html and "1 duplicated" in retry.message
    assert "a header of this lab&#x27;s own" in retry.html and "check what yours does" in retry.html


# ---------------------------------------------------------------------- LostUpdateLab


def test_lost_update_lab_shows_the_lost_update_and_the_412(lab):
    conflict = LostUpdateLab(lab)
    result = conflict.run()
    assert result is not None
    assert conflict.second_writer_saw == {
        "without If-Match": "204 No Content",
        "with If-Match": "412 Precondition Failed",
        "create only (If-None-Match: *)": "412 Precondition Failed",
    }
    assert conflict.shown is result.with_if_match
    assert "412 Precondition Failed" in conflict.html and "If-Match" in conflict.html
    conflict.shown_run.value = "without If-Match"
    assert conflict.shown is not None and conflict.shown.lost_update
    assert "silently" in conflict.message


@pytest.mark.parametrize(
    ("editor", "text", "expected"),
    [
        ("first", '{"title": "x",\n "items": [}', "line 2, column 12"),
        ("second", "[1, 2]", "Bob's version must be a JSON object"),
        ("second", '{"title": "shopping", "items": ["milk", "eggs"]}', "must differ"),
    ],
    ids=["invalid-json", "not-an-object", "same-versions"],
)
def test_lost_update_lab_bad_contents_become_messages(lab, editor, text, expected):
    conflict = LostUpdateLab(lab)
    getattr(conflict, editor).value = text
    assert conflict.run() is None
    assert expected in conflict.message and conflict.message_level == "error"
    assert lab.history == ()


def test_lost_update_lab_refuses_a_path_that_is_not_an_item(lab):
    conflict = LostUpdateLab(lab)
    conflict.path.value = "/get"
    assert conflict.run() is None
    assert "not an item" in conflict.message


def test_lost_update_lab_escapes_what_the_writers_send(lab):
    conflict = LostUpdateLab(lab)
    conflict.second.value = '{"title": "' + SCRIPT.replace("/", "\\/") + '"}'
    conflict.shown_run.value = "without If-Match"
    conflict.run()
    assert "<script" not in conflict.html.lower()
    assert "&lt;script&gt;" in conflict.html
