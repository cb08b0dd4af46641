"""A lesson rendered by Voila: no code on the page, and the widgets still talk to the kernel."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_voila_playground_post_renders_201_created(voila_page, pages):
    browser = voila_page.browser
    text = browser.page_text()
    assert "00 · Start here" in text  # the lesson's markdown is there
    for code in ("lab = httplab.start()", "from httplab.widgets import Playground"):
        assert code not in text  # its code is not

    playground = voila_page.widget_with_button("Send", "Playground")
    playground.wait_for_text("Nothing sent yet")
    browser.screenshot("1-rendered")

    pages.post_from_playground(playground, '{"name": "pear"}')
    playground.wait_for_text("POST /lab/items → 201 Created.")
    playground.wait_enabled("Send")
    assert pages.badges(playground) == ["201 Created"]
    browser.screenshot("2-post-201-created")
