"""The French edition in a real browser: JupyterLab's menus in French (its language pack), a French lesson, and
the Playground answering a POST in French."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, JupyterHome

from httplab.i18n import translate

pytestmark = pytest.mark.browser

FRENCH_LESSONS = ROOT / "notebooks" / "fr"


def _language_pack() -> dict[str, list[str]]:
    import jupyterlab_language_pack_fr_FR as pack

    folder = Path(pack.__file__).parent / "locale" / "fr_FR" / "LC_MESSAGES"
    return json.loads((folder / "jupyterlab.json").read_text(encoding="utf-8"))


def _french_ui() -> dict[str, str]:
    """JupyterLab's words as its French language pack says them."""
    pack = _language_pack()
    ui = {}
    # (gettext's context, JupyterLab's English): a menu's title has the context "menu".
    for context, english in (("menu", "Run"), ("", "Run All Cells"), ("", "Run All Above Selected Cell"),
                             ("", "Run Selected Cell"), ("", "Idle"), ("", "Select Kernel")):
        entry = pack.get(f"{context}\x04{english}" if context else english)
        ui[english] = entry[0] if isinstance(entry, list) and entry and entry[0] else english
    return ui


@pytest.fixture(scope="module")
def jupyter_home(jupyter_home: JupyterHome, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterHome]:
    """The session's Jupyter home with the settings `make lab-fr` installs: JupyterLab in French."""
    root = tmp_path_factory.mktemp("jupyter-home-fr")
    settings = root / "lab-settings"
    shutil.copytree(Path(jupyter_home.env["JUPYTERLAB_SETTINGS_DIR"]), settings)
    shutil.copytree(ROOT / "tools" / "lab-settings" / "fr", settings, dirs_exist_ok=True)
    env = {**jupyter_home.env, "JUPYTERLAB_SETTINGS_DIR": str(settings), "HTTPLAB_LANG": "fr"}
    yield JupyterHome(jupyter_home.root, env)


@pytest.fixture
def lab_page(browser, jupyter_lab, request):
    from jupyter_pages import JupyterLabPage

    workspace = request.node.name.removeprefix("test_").replace("_", "-")
    page = JupyterLabPage(browser, jupyter_lab.url, jupyter_lab.token, workspace, ui=_french_ui())
    try:
        yield page
    finally:
        if browser.driver.current_url.startswith(jupyter_lab.url):
            page.shut_down_kernels()


def _fr(english: str, context: str | None = None) -> str:
    french = translate(english, "fr", context=context)
    assert french != english, f"no French for {english!r} in the catalogue"
    return french


def test_french_lesson_in_french_jupyterlab_posts_from_the_playground(lab_page, jupyter_lab):
    folder = jupyter_lab.root / "french-lesson"
    folder.mkdir(exist_ok=True)
    notebook = folder / "00-start-here.ipynb"
    shutil.copyfile(FRENCH_LESSONS / "00-start-here.ipynb", notebook)

    lab_page.open(notebook.relative_to(jupyter_lab.root).as_posix())
    menus = lab_page.browser.driver.find_element("css selector", "#jp-menu-panel, .lm-MenuBar").text
    ui = _french_ui()
    assert ui["Run"] != "Run" and ui["Run"] in menus, f"JupyterLab's menus are not in French: {menus!r}"
    lab_page.browser.screenshot("1-opened")

    lab_page.run_all_cells()
    send = _fr("Send", "button")
    playground = lab_page.widget_with_button(send, "Playground")
    playground.wait_for_text(_fr("Nothing sent yet: fill in the request and press Send."))
    playground.choose(_fr("Method"), "POST")
    playground.type(_fr("Path"), "/lab/items")
    playground.choose(_fr("Content type"), "JSON (application/json)")  # a media type's name, in every language
    playground.type(_fr("Body"), '{"name": "poire"}', tag="textarea")
    playground.press(send)
    playground.wait_for_text("201 Created")
    playground.wait_enabled(send)
    assert '"name": "poire"' in playground.text
    lab_page.browser.screenshot("2-post-201-created")
