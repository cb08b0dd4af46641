"""The Playground, driven from code the way a learner would click it."""

from __future__ import annotations

import base64
import contextlib
import io
import shutil
import subprocess
import sys
import threading

import ipywidgets as widgets
import pytest

import httplab
import httplab.widgets
from httplab.widgets import Playground
from httplab.widgets._common import BODY_LIMIT, walk

CONTROLS = (widgets.Button, widgets.Dropdown, widgets.Combobox, widgets.Textarea, widgets.Select,
            widgets.BoundedFloatText, widgets.Text, widgets.IntSlider, widgets.BoundedIntText, widgets.Checkbox,
            widgets.ToggleButtons, widgets.RadioButtons)


def fill(pg: Playground, method: str, path: str, body: str = "", content_type: str = "", headers: str = "") -> None:
    pg.method.value = method
    pg.path.value = path
    pg.content_type.value = content_type
    pg.body_editor.value = body
    pg.headers_editor.value = headers


def all_html(pg: Playground) -> str:
    return "\n".join(str(w.value) for w in walk(pg.widget) if isinstance(w, widgets.HTML))


def test_widgets_public_names_are_sorted_and_not_imported_by_httplab():
    assert httplab.widgets.__all__ == sorted(httplab.widgets.__all__)
    for name in httplab.widgets.__all__:
        assert hasattr(httplab.widgets, name), name
    probe = "import sys, httplab; print('httplab.widgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.socket
def test_playground_reports_an_error_status_plainly_with_the_badges_words(socket_lab):
    """A 503 from httpbin: httpbin's own reason phrase ("SERVICE UNAVAILABLE") stays in the wire view; the message
    and the history use the badge's words, and "Done" in green is kept for successes."""
    pg = Playground(socket_lab)
    fill(pg, "GET", "/status/503", "", "")
    exchange = pg.send()
    assert exchange is not None and exchange.status == 503
    assert pg.badge_text == "503 Service Unavailable"
    assert "GET /status/503 → 503 Service Unavailable." in pg.message and pg.message_level == "info"
    assert pg.history_labels[-1] == "1. GET /status/503 → 503 Service Unavailable"
    assert pg.raw_response.startswith("HTTP/1.1 503 SERVICE UNAVAILABLE")


def test_playground_post_shows_badge_meaning_and_history(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"name": "apple"}', "application/json")
    exchange = pg.send()
    assert exchange is not None and exchange.status == 201
    assert pg.badge_text == "201 Created"
    assert "201 Created" in all_html(pg)
    assert pg.meaning.startswith("Created:")
    assert pg.elapsed_text.endswith(" ms")
    assert pg.message_level == "success"
    assert '"name": "apple"' in pg.body_text
    assert pg.response_headers is not None and pg.response_headers["Location"] == "/lab/items/1"
    assert pg.raw_request.startswith("POST /lab/items HTTP/1.1")
    assert pg.raw_response.startswith("HTTP/1.1 201 Created")
    assert pg.history_labels == ("1. POST /lab/items → 201 Created",)
    assert [item["data"] for item in lab.state()["items"]] == [{"name": "apple"}]


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_playground_every_method_gets_a_badge_with_text(lab, method):
    pg = Playground(lab)
    fill(pg, method, "/anything")
    exchange = pg.send()
    assert exchange is not None
    assert pg.badge_text == exchange.status_text
    assert pg.badge_text.split()[0].isdigit()
    if method == "HEAD":
        assert "HEAD response" in pg.body_text


def test_playground_invalid_json_names_line_and_column_and_sends_nothing(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"name": "apple",\n "price" 3}', "application/json")
    assert pg.send() is None
    assert "line 2, column 10" in pg.message
    assert pg.message_level == "error"
    assert "^" in pg.message_details
    assert lab.history == () and pg.history == ()
    assert pg.code_python.startswith("# Fix the form first")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ("Accept application/json", "Header line 1"),
        ("Accept: */*\n: empty", "Header line 2"),
        ("Bad Name: x", "not a valid header name"),
    ],
    ids=["no-colon", "no-name", "space-in-name"],
)
def test_playground_bad_header_lines_send_nothing(lab, headers, expected):
    pg = Playground(lab)
    fill(pg, "GET", "/get", headers=headers)
    assert pg.send() is None
    assert expected in pg.message and "Nothing was sent" in pg.message
    assert lab.history == ()


def test_playground_first_click_json_body_with_type_none_chooses_json_and_sends(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"name": "pear"}')
    assert pg.content_type.value == ""
    pg.send_button.click()
    assert pg.wait(5)
    assert pg.badge_text == "201 Created"
    assert pg.content_type.value == "application/json", "the menu shows the type that was chosen"
    assert pg.history[-1].request.headers["Content-Type"] == "application/json"
    assert "You typed JSON, so the content type was set to application/json" in pg.message
    assert "change it in the menu" in pg.message and pg.message_level == "info"
    assert [item["data"] for item in lab.state()["items"]] == [{"name": "pear"}]
    assert "application/json" in pg.code_python and "application/json" in pg.code_curl


def test_playground_chosen_json_type_can_be_changed_back_in_the_menu(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"name": "pear"}')
    assert pg.send().status == 201
    pg.content_type.value = "text/plain"
    exchange = pg.send()
    assert exchange is not None and exchange.request.headers["Content-Type"] == "text/plain"
    assert exchange.status == 415 and "You typed JSON" not in pg.message


def test_playground_text_body_with_type_none_says_what_to_choose(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/post", "pear, please")
    assert pg.send() is None
    assert "content type is “none”" in pg.message and "not JSON" in pg.message
    assert "plain text" in pg.message and "clear the body" in pg.message
    assert pg.content_type.value == "" and pg.message_level == "error"
    assert lab.history == ()


def test_playground_json_body_with_a_content_type_header_keeps_the_header(lab):
    pg = Playground(lab)
    fill(pg, "PATCH", "/lab/items/1", '{"a": 1}', headers="Content-Type: application/merge-patch+json")
    exchange = pg.send()
    assert exchange is not None and exchange.request.headers["Content-Type"] == "application/merge-patch+json"
    assert pg.content_type.value == "" and "You typed JSON" not in pg.message


def test_playground_content_type_from_headers_editor_wins(lab):
    pg = Playground(lab)
    fill(pg, "PATCH", "/lab/items/1", "not json", "application/json", headers="Content-Type: text/plain")
    exchange = pg.send()
    assert exchange is not None and exchange.request.headers["Content-Type"] == "text/plain"


def test_playground_body_on_get_is_sent_with_a_note(lab):
    pg = Playground(lab)
    fill(pg, "GET", "/anything", '{"a": 1}', "application/json")
    assert pg.send() is not None
    assert "no defined meaning" in pg.message


def test_playground_never_renders_server_or_learner_html(lab):
    pg = Playground(lab)
    script = "<script>alert(1)</script>"
    fill(pg, "GET", "/base64/" + base64.urlsafe_b64encode(script.encode()).decode())
    pg.send()
    assert script in pg.body_text
    fill(pg, "POST", "/anything", script, "text/plain", headers=f"X-Note: {script}")
    pg.send()
    fill(pg, "GET", "/response-headers?X-Evil=%3Cscript%3Ealert(1)%3C/script%3E")
    pg.send()
    assert pg.response_headers is not None and pg.response_headers["X-Evil"] == script
    page = all_html(pg)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    pg.show(1)
    assert "<script" not in all_html(pg).lower()


def test_playground_binary_response_is_described_not_dumped(lab):
    pg = Playground(lab)
    fill(pg, "GET", "/bytes/4096")
    pg.send()
    assert pg.body_text.startswith("<4,096 bytes of binary data")
    assert "binary data" in pg.raw_response


def test_playground_large_response_is_cut_with_a_note(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/anything", "x" * 100_000, "text/plain")
    pg.send()
    assert "only the first" in pg.body_text
    assert len(pg.body_text) < BODY_LIMIT + 200
    assert len(all_html(pg)) < 4 * BODY_LIMIT + 20_000


def test_playground_non_json_text_is_shown_as_text(lab):
    pg = Playground(lab)
    fill(pg, "GET", "/html")
    pg.send()
    assert pg.badge_text == "200 OK"
    assert "<h1>" in pg.body_text and "&lt;h1&gt;" in all_html(pg)


def test_playground_lost_response_says_the_server_may_have_applied_it(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"n": 1}', "application/json", headers="X-Lab-Fault: drop-response")
    exchange = pg.send()
    assert exchange is not None and exchange.response is None
    assert pg.badge_text == "no response"
    assert pg.message_level == "warning" and "may or may not" in pg.message
    assert len(pg.history) == 1 and len(lab.state()["items"]) == 1


@pytest.mark.socket
def test_playground_timeout_shows_no_response(socket_lab):
    pg = Playground(socket_lab)
    fill(pg, "POST", "/lab/items", '{"n": 1}', "application/json", headers="X-Lab-Delay: 0.6")
    pg.timeout.value = 0.2
    pg.send()
    assert pg.badge_text == "no response"
    assert "time limit" in pg.message
    assert "no response" in pg.raw_response


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "socket"])
def test_playground_stopped_lab_offers_a_restart(in_process):
    lab = httplab.Lab(in_process=in_process)
    pg = Playground(lab)
    lab.stop()
    assert pg.send() is None
    assert "not running" in pg.message and pg.message_level == "error"
    assert pg.restart_button.layout.display != "none"
    try:
        pg.restart_button.click()
        assert pg.lab is not lab and pg.lab.running
        assert pg.restart_button.layout.display == "none"
        assert "fresh lab" in pg.message
        exchange = pg.send()
        assert exchange is not None and pg.badge_text == "200 OK"
    finally:
        pg.lab.stop()


def test_playground_double_click_sends_a_post_once(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"n": 1}', "application/json", headers="X-Lab-Delay: 0.4")
    pg.send_button.click()
    assert pg.sending
    assert pg.send_button.disabled and pg.send_button.description == "Sending…"
    pg.send_button.click()
    assert "ignored" in pg.message
    assert pg.send() is None
    assert pg.wait(5)
    assert not pg.send_button.disabled and pg.send_button.description == "Send"
    assert len(pg.history) == 1 and len(lab.history) == 1
    assert len(lab.state()["items"]) == 1
    assert pg.badge_text == "201 Created"


@pytest.mark.parametrize("background", [True, False], ids=["thread", "inline"])
def test_playground_callback_errors_become_messages(lab, monkeypatch, background):
    pg = Playground(lab, background=background)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(lab, "send", broken)
    pg.send_button.click()
    assert pg.wait(5)
    assert pg.message_level == "error" and "ZeroDivisionError: boom" in pg.message
    assert "Traceback" in pg.message_details
    assert not pg.send_button.disabled


def test_playground_history_pick_shows_an_exchange_again_without_sending(lab):
    pg = Playground(lab)
    fill(pg, "POST", "/lab/items", '{"n": 1}', "application/json")
    pg.send()
    fill(pg, "GET", "/lab/items/99")
    pg.send()
    assert pg.badge_text == "404 Not Found"
    pg.history_select.value = 0
    assert pg.badge_text == "201 Created"
    assert "Showing exchange 1 of 2" in pg.message
    assert '"POST"' in pg.code_python and "application/json" in pg.code_curl
    assert len(lab.history) == 2


def test_playground_code_follows_the_form(lab):
    pg = Playground(lab)
    fill(pg, "DELETE", "/lab/items/7", headers='If-Match: "abc"')
    assert '"DELETE"' in pg.code_python and "If-Match" in pg.code_python
    assert "--request DELETE" in pg.code_curl and "If-Match" in pg.code_curl
    assert "in-process" in pg.code_python.splitlines()[0]


def test_playground_controls_are_described_for_keyboard_and_screen_readers(lab):
    pg = Playground(lab)
    controls = [w for w in walk(pg.widget) if isinstance(w, CONTROLS)]
    assert len(controls) >= 9
    for control in controls:
        assert (control.description or "").strip() or (control.tooltip or "").strip(), control
    for child in walk(pg.widget):
        assert not getattr(child, "description_allow_html", False)


CODE_CASES = [
    ("POST", "/lab/items", '{\n  "name": "apple",\n  "tags": ["a", "b"]\n}', "application/json", ""),
    ("PUT", "/lab/items/pear", '{"name": "pear", "note": "it\'s \\"ripe\\""}', "application/json",
     "If-None-Match: *"),
]


def _state_after(lab, run):
    lab.reset()
    run()
    state = lab.state()
    return state["items"], state["requests"]


@pytest.mark.socket
@pytest.mark.parametrize("case", CODE_CASES, ids=["post-multiline-json", "put-quotes-if-none-match"])
def test_playground_python_code_reproduces_the_request(socket_lab, case):
    pg = Playground(socket_lab)
    fill(pg, *case)
    sent = _state_after(socket_lab, pg.send)
    assert sent[0], pg.message
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        replayed = _state_after(socket_lab, lambda: exec(pg.code_python, {}))
    assert replayed == sent
    assert printed.getvalue().startswith("201 Created")


@pytest.mark.socket
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed, so the curl command cannot be run")
@pytest.mark.parametrize("case", CODE_CASES, ids=["post-multiline-json", "put-quotes-if-none-match"])
def test_playground_curl_command_reproduces_the_request(socket_lab, case):
    pg = Playground(socket_lab)
    fill(pg, *case)
    sent = _state_after(socket_lab, pg.send)
    output: list[str] = []

    def run_curl() -> None:
        done = subprocess.run(["sh", "-c", pg.code_curl], capture_output=True, text=True, timeout=20, check=True)
        output.append(done.stdout)

    replayed = _state_after(socket_lab, run_curl)
    assert replayed == sent
    assert output[0].startswith("HTTP/1.1 201 Created")


def test_playground_send_is_safe_from_another_thread(lab):
    pg = Playground(lab)
    fill(pg, "GET", "/get")
    results = []
    threads = [threading.Thread(target=lambda: results.append(pg.send())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [r for r in results if r is not None]
    assert len(sent) == len(pg.history) == len(lab.history) >= 1
