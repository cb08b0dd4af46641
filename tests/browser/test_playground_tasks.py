"""Every lesson's Playground task, done in a real browser exactly as the lesson words it.

Each test opens a copy of a lesson in JupyterLab, runs it down to and including its Playground cell, checks that
the lesson still says what the test does (the instruction's own words), then does what the lesson tells the learner
in the widget and checks what the lesson and its instructor note say the learner will see: the status badge, the
line under the form, the Body and Response headers tabs, and the history list.

The steps live in ``do_lesson_*`` functions that take the kit's words as a parameter, so the French edition
(``test_french.py``) runs the same tasks on the French lessons with the catalogue's French labels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from httplab.widgets._form import JSON_CHOSEN

pytestmark = pytest.mark.browser

#: The kit's words in the lesson's language: ``words(english, context=None)``.
Words = Callable[..., str]

#: The needle that finds each lesson's Playground cell (the first code cell that holds it).
PLAYGROUND_CELL = "Playground(lab)"


def english(text: str, context: str | None = None) -> str:
    """The kit's English words, as they are."""
    return text


def lesson_text(notebook: Path) -> str:
    """The markdown of *notebook*, whitespace collapsed, so an instruction can be looked up in it."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = " ".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return " ".join(text.split())


def assert_lesson_says(notebook: Path, *instructions: str) -> None:
    """Fail unless the lesson still words each instruction this way: the test follows that wording."""
    text = lesson_text(notebook)
    for instruction in instructions:
        assert " ".join(instruction.split()) in text, f"{notebook.name} no longer says: {instruction!r}"


def _literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"


def status_code(history_line: str) -> int:
    """The status code at the end of a history line like ``3. GET /lab/items/1 → 404 Not Found``."""
    found = re.search(r"→ (\d{3})\b", history_line)
    assert found, f"no status code in the history line {history_line!r}"
    return int(found.group(1))


class LessonPlayground:
    """The Playground of an open lesson, filled and read as a learner does, in the lesson's language."""

    def __init__(self, lab_page: Any, pages: Any, words: Words) -> None:
        self.page = lab_page
        self.pages = pages
        self.words = words
        self.send_label = words("Send", "button")
        self.area = lab_page.widget_with_button(self.send_label, "Playground")
        self.area.wait_for_text(words("Nothing sent yet: fill in the request and press Send."))
        self.screens = 0

    # ------------------------------------------------------------------ the form

    def method(self, name: str) -> None:
        self.area.choose(self.words("Method"), name)

    def path(self, text: str) -> None:
        self.area.type(self.words("Path"), text)

    def content_type(self, label: str) -> None:
        """Pick the Content type menu's entry *label* (an English label; shown in the lesson's language)."""
        self.area.choose(self.words("Content type"), self.words(label))

    def body(self, text: str) -> None:
        self.area.type(self.words("Body"), text, tag="textarea")

    @property
    def content_type_shown(self) -> str:
        return str(self.area.control(self.words("Content type"), "select").get_attribute("value"))

    def send(self) -> str:
        """Press Send; wait until the answer is shown and Send is enabled again; return the new history line."""
        before = len(self.history())
        self.area.press(self.send_label)
        try:
            line = self.area.browser.wait(
                lambda: self.history()[before] if len(self.history()) > before else "",
                f"history entry {before + 1} after pressing {self.send_label!r}",
                30,
            )
            self.area.wait_enabled(self.send_label)
        except AssertionError as error:
            raise AssertionError(f"{error}\nThe Playground shows:\n{self.area.text}") from None
        assert line.startswith(f"{before + 1}. "), line
        return line

    def request(self, method: str, path: str) -> str:
        """Choose *method*, type *path*, press Send; return the history line."""
        self.method(method)
        self.path(path)
        return self.send()

    # ------------------------------------------------------------------ what it shows

    @property
    def text(self) -> str:
        return self.area.text

    @property
    def badges(self) -> list[str]:
        return list(self.pages.badges(self.area))

    def history(self) -> list[str]:
        select = self.area.control(self.words("History"), "select")
        # ipywidgets writes the options' spaces as no-break spaces; a learner reads plain ones.
        return [
            " ".join((option.get_attribute("textContent") or "").split())
            for option in select.find_elements("tag name", "option")
        ]

    def tab(self, english_title: str) -> None:
        """Open the result tab *english_title* (shown in the lesson's language)."""
        title = self.words(english_title)
        xpath = f".//li[contains(@class,'lm-TabBar-tab')][normalize-space()={_literal(title)}]"
        tab = self.area.browser.wait(lambda: self.area.element.find_element("xpath", xpath), f"the {title!r} tab")
        self.area.browser.click(tab, f"the {title!r} tab")
        self.area.browser.wait(
            lambda: "lm-mod-current" in (tab.get_attribute("class") or ""), f"the {title!r} tab to open"
        )

    def response_headers(self) -> dict[str, str]:
        """The header fields the Response headers tab shows (open it first)."""
        fields = {}
        for row in self.area.find_all("table tr"):
            if row.is_displayed():
                fields[row.find_element("tag name", "th").text] = row.find_element("tag name", "td").text
        assert fields, "the Response headers tab shows no header fields"
        return fields

    def expect(self, line: str, badge: str, number: int, request: str) -> None:
        """Check what one send showed: the history line, the badge, and the line under the form."""
        assert line.startswith(f"{number}. {request} → {badge.split()[0]} "), line
        assert self.badges == [badge], self.badges
        assert f"{request} → " in self.text

    def screenshot(self, step: str) -> None:
        self.screens += 1
        self.page.browser.screenshot(f"{self.screens}-{step}")


def open_playground(lab_page: Any, pages: Any, notebook: Path, root: Path, words: Words) -> LessonPlayground:
    """Open *notebook*, run every cell above its Playground cell, then that cell; return its Playground."""
    lab_page.open(notebook.relative_to(root).as_posix())
    lab_page.run_up_to(PLAYGROUND_CELL)
    lab_page.run_selected()
    return LessonPlayground(lab_page, pages, words)


# ---------------------------------------------------------------------------------------- the lessons' tasks


def do_lesson_00(pg: LessonPlayground) -> None:
    """Lesson 00, section 6: the four things to try, in order (the apple of section 5 is item 1)."""
    words = pg.words
    # 1. GET /lab/items — the list: one item, the apple.
    line = pg.request("GET", "/lab/items")
    pg.expect(line, "200 OK", 1, "GET /lab/items")
    assert '"name": "apple"' in pg.text and '"href": "/lab/items/1"' in pg.text
    assert "/lab/items/2" not in pg.text
    pg.screenshot("get-items-lists-the-apple")

    # 2. POST /lab/items: Content type JSON (application/json), {"name": "pear"} in Body; send.
    pg.method("POST")
    pg.path("/lab/items")
    pg.content_type("JSON (application/json)")
    pg.body('{"name": "pear"}')
    line = pg.send()
    pg.expect(line, "201 Created", 2, "POST /lab/items")
    assert words(JSON_CHOSEN) not in pg.text  # the learner chose the type: nothing to say about it
    pg.tab("Response headers")
    headers = pg.response_headers()
    assert headers.get("Location") == "/lab/items/2", headers
    pg.screenshot("post-pear-201-location")

    # ... then clear the Body, set Content type back to none, and send GET /lab/items again: apple and pear.
    pg.body("")
    pg.content_type("none (no body)")
    line = pg.request("GET", "/lab/items")
    pg.expect(line, "200 OK", 3, "GET /lab/items")
    pg.tab("Body")
    assert '"name": "apple"' in pg.text and '"name": "pear"' in pg.text
    pg.screenshot("get-items-lists-apple-and-pear")

    # 3. GET /lab/items/1, then DELETE /lab/items/1, then GET /lab/items/1 once more.
    pg.expect(pg.request("GET", "/lab/items/1"), "200 OK", 4, "GET /lab/items/1")
    assert '"name": "apple"' in pg.text
    pg.expect(pg.request("DELETE", "/lab/items/1"), "204 No Content", 5, "DELETE /lab/items/1")
    pg.expect(pg.request("GET", "/lab/items/1"), "404 Not Found", 6, "GET /lab/items/1")
    pg.screenshot("get-delete-get-200-204-404")

    # 4. GET /status/418 — httpbin answers with whatever code you ask for.
    pg.expect(pg.request("GET", "/status/418"), "418 I'm a Teapot", 7, "GET /status/418")
    assert [status_code(line) for line in pg.history()] == [200, 201, 200, 200, 204, 404, 418]
    pg.screenshot("status-418-and-history")


def do_lesson_00_untyped_json(pg: LessonPlayground) -> None:
    """Lesson 00's POST with Content type left on *none*: the Playground picks application/json and says so."""
    assert pg.content_type_shown == pg.words("none (no body)")
    pg.method("POST")
    pg.path("/lab/items")
    pg.body('{"name": "pear"}')
    line = pg.send()
    pg.expect(line, "201 Created", 1, "POST /lab/items")
    assert pg.content_type_shown == "JSON (application/json)"  # the menu shows the choice it made
    assert pg.words(JSON_CHOSEN) in pg.text
    assert '"name": "pear"' in pg.text
    pg.screenshot("post-pear-content-type-chosen-for-you")


def do_lesson_01(pg: LessonPlayground) -> None:
    """Lesson 01, section 5: HEAD /get and GET /get, header fields compared; then OPTIONS and Allow."""
    words = pg.words
    pg.expect(pg.request("HEAD", "/get"), "200 OK", 1, "HEAD /get")
    assert (
        words(
            "(no content: a HEAD response never has content; it normally carries the header fields a GET "
            "would, though RFC 9110 §9.3.2 lets a server leave some out, Content-Length among them)"
        )
        in pg.text
    )
    pg.tab("Response headers")
    head = pg.response_headers()
    pg.screenshot("head-get-response-headers")

    pg.expect(pg.request("GET", "/get"), "200 OK", 2, "GET /get")
    get = pg.response_headers()  # the Response headers tab stays open
    pg.screenshot("get-get-response-headers")
    # The instructor note: same status, the same header fields, Content-Length included; Date may differ by a second.
    assert sorted(head) == sorted(get), (head, get)
    assert {k: v for k, v in head.items() if k != "Date"} == {k: v for k, v in get.items() if k != "Date"}
    assert int(head["Content-Length"]) > 0
    pg.tab("Body")
    assert '"url":' in pg.text  # GET has the content HEAD left out

    # Then OPTIONS /lab/items: what the collection allows, and what the item /lab/items/apple does not.
    pg.expect(pg.request("OPTIONS", "/lab/items"), "204 No Content", 3, "OPTIONS /lab/items")
    pg.tab("Response headers")
    collection = pg.response_headers()["Allow"]
    pg.screenshot("options-collection-allow")
    pg.expect(pg.request("OPTIONS", "/lab/items/apple"), "204 No Content", 4, "OPTIONS /lab/items/apple")
    item = pg.response_headers()["Allow"]
    pg.screenshot("options-item-allow")
    assert collection == "GET, HEAD, POST, OPTIONS"
    assert item == "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"
    assert [m for m in collection.split(", ") if m not in item.split(", ")] == ["POST"]


def do_lesson_04(pg: LessonPlayground) -> None:
    """Lesson 04, section 7: PATCH with JSON Patch documents, each sent twice (bodies from the instructor note)."""
    pg.method("PATCH")
    pg.path("/lab/items/apple")
    pg.content_type("JSON Patch (application/json-patch+json)")
    number = 0

    def twice(body: str, first: str, second: str) -> list[str]:
        nonlocal number
        pg.body(body)
        shown = []
        for badge in (first, second):
            number += 1
            pg.expect(pg.send(), badge, number, "PATCH /lab/items/apple")
            shown.append(pg.text)
        return shown

    # copy to a named member: 200 both times, the second leaves the item as the first did.
    one, two = twice('[{"op": "copy", "from": "/name", "path": "/nickname"}]', "200 OK", "200 OK")
    assert '"nickname": "apple"' in one and '"nickname": "apple"' in two
    pg.screenshot("copy-twice-200-200")

    # copy to /tags/- appends every time: it keeps changing the item.
    one, two = twice('[{"op": "copy", "from": "/name", "path": "/tags/-"}]', "200 OK", "200 OK")
    assert one.count('"apple"') + 1 == two.count('"apple"'), "a second append did not add another tag"
    pg.screenshot("copy-to-end-of-tags-keeps-changing")

    # remove a member: 200, then 409 Conflict (the member is gone; the second patch changes nothing).
    one, two = twice('[{"op": "remove", "path": "/price"}]', "200 OK", "409 Conflict")
    assert '"price"' not in one
    assert "/price does not exist" in two or '"status": 409' in two
    pg.screenshot("remove-twice-200-409")

    # move a member: 200, then 409 (/nickname no longer exists).
    one, two = twice('[{"op": "move", "from": "/nickname", "path": "/alias"}]', "200 OK", "409 Conflict")
    assert '"alias": "apple"' in one and '"nickname"' not in one
    assert '"status": 409' in two
    pg.screenshot("move-twice-200-409")
    assert [status_code(line) for line in pg.history()] == [200, 200, 200, 200, 200, 409, 200, 409]


#: Lesson 09's "several times": at least this many sends, and more until both a 200 and a 503 came back.
LEAST_SENDS, MOST_SENDS = 4, 40


def do_lesson_09(pg: LessonPlayground) -> None:
    """Lesson 09, section 8: GET /status/200:3,503:1 sent several times: 200s and the odd 503, at random."""
    pg.method("GET")
    pg.path("/status/200:3,503:1")
    seen: list[int] = []
    # Three 200s to one 503 at random: 40 sends all alike happens about once in 100,000 runs.
    while len(seen) < LEAST_SENDS or (set(seen) != {200, 503} and len(seen) < MOST_SENDS):
        line = pg.send()
        code = status_code(line)
        assert code in (200, 503), line
        assert pg.badges == ["200 OK" if code == 200 else "503 Service Unavailable"], pg.badges
        assert line.startswith(f"{len(seen) + 1}. GET /status/200:3,503:1 → ")
        seen.append(code)
        if code == 503 and seen.count(503) == 1:
            pg.screenshot("status-503-service-unavailable")
    assert set(seen) == {200, 503}, f"{len(seen)} sends, never both a 200 and a 503: {seen}"
    assert [status_code(line) for line in pg.history()] == seen
    pg.screenshot("status-200-and-503-history")


# ---------------------------------------------------------------------------------------- English lessons


@pytest.fixture
def playground(lab_page, lesson_copy, jupyter_lab, pages) -> Callable[[str], tuple[Path, LessonPlayground]]:
    def open_lesson(name: str) -> tuple[Path, LessonPlayground]:
        notebook = lesson_copy(name)
        return notebook, open_playground(lab_page, pages, notebook, jupyter_lab.root, english)

    return open_lesson


def test_lesson_00_playground_tasks(playground):
    notebook, pg = playground("00-start-here.ipynb")
    assert_lesson_says(
        notebook,
        "press **Send**",
        "1. `GET /lab/items` — the list of items;",
        '2. `POST /lab/items`: set **Content type** to *JSON (application/json)* and type `{"name": "pear"}` in '
        "**Body**; send it. Then clear the Body, set Content type back to *none*, and send `GET /lab/items` again;",
        "3. `GET /lab/items/1`, then `DELETE /lab/items/1`, then `GET /lab/items/1` once more;",
        "4. `GET /status/418`",
    )
    assert pg.words("none (no body)").startswith("none")  # the menu entry the lesson calls *none*
    do_lesson_00(pg)


def test_lesson_00_post_with_content_type_left_on_none(playground):
    _, pg = playground("00-start-here.ipynb")
    do_lesson_00_untyped_json(pg)


def test_lesson_01_playground_head_get_and_options(playground):
    notebook, pg = playground("01-safe-methods.ipynb")
    assert_lesson_says(
        notebook,
        "In the Playground, send `HEAD /get` and `GET /get` and compare the response header fields (the *Response "
        "headers* tab). Then send `OPTIONS /lab/items`: which methods does the *collection* allow, and which of them "
        "does the item `/lab/items/apple` not allow?",
    )
    do_lesson_01(pg)


def test_lesson_04_playground_json_patch_operations_twice(playground):
    notebook, pg = playground("04-patch.ipynb")
    assert_lesson_says(
        notebook,
        "In the Playground, choose **Method** `PATCH`, set **Content type** to *JSON Patch "
        "(application/json-patch+json)* and send `remove`, `move` and `copy` operations to `/lab/items/apple`",
        '`[{"op": "copy", "from": "/name", "path": "/nickname"}]`. Send each one twice.',
        "What status does a second `remove` of the same member get",
    )
    do_lesson_04(pg)


def test_lesson_09_playground_status_200_or_503(playground):
    notebook, pg = playground("09-status-codes.ipynb")
    assert_lesson_says(
        notebook,
        "In the Playground below, choose `GET`, type the path `/status/200:3,503:1`, and press **Send** several times",
    )
    do_lesson_09(pg)
