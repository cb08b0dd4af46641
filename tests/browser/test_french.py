"""The French edition in a real browser: JupyterLab's menus in French (its language pack), a French lesson, and
the Playground answering a POST in French; then the Playground tasks of lessons 00, 01, 04 and 09 done as the French
lessons word them (the steps are test_playground_tasks.py's, the labels the catalogue's French)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, JupyterHome
from test_playground_tasks import (
    LessonPlayground,
    assert_lesson_says,
    do_lesson_00,
    do_lesson_00_untyped_json,
    do_lesson_01,
    do_lesson_04,
    do_lesson_09,
    open_playground,
)

from httplab.i18n import translate
from httplab.widgets._form import JSON_CHOSEN

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


# ---------------------------------------------------------------------------------------- the Playground tasks


def french(english: str, context: str | None = None) -> str:
    """The kit's word in French; a media type's name (JSON Patch, ...) is the same in every language."""
    return translate(english, "fr", context=context)


@pytest.fixture
def french_playground(lab_page, jupyter_lab, pages, request):
    """Open a copy of a French lesson, run it through its Playground cell, and return (copy, Playground)."""

    def open_lesson(name: str) -> tuple[Path, LessonPlayground]:
        folder = jupyter_lab.root / request.node.name
        folder.mkdir(exist_ok=True)
        notebook = folder / name
        shutil.copyfile(FRENCH_LESSONS / name, notebook)
        return notebook, open_playground(lab_page, pages, notebook, jupyter_lab.root, french)

    return open_lesson


def test_french_lesson_00_playground_tasks(french_playground):
    notebook, pg = french_playground("00-start-here.ipynb")
    # The lesson names the widget's controls by the catalogue's words.
    assert_lesson_says(
        notebook,
        f"appuyez sur **{_fr('Send', 'button')}**",
        "1. `GET /lab/items` — la liste des éléments ;",
        f"2. `POST /lab/items` : réglez **{_fr('Content type')}** sur *JSON (application/json)* et tapez "
        f"`{{\"name\": \"pear\"}}` dans **{_fr('Body')}** ; envoyez. Puis videz le corps, remettez le type de "
        "contenu sur *aucun*, et envoyez de nouveau `GET /lab/items` ;",
        "3. `GET /lab/items/1`, puis `DELETE /lab/items/1`, puis `GET /lab/items/1` encore une fois ;",
        "4. `GET /status/418`",
    )
    assert _fr("none (no body)").startswith("aucun")  # the menu entry the lesson calls *aucun*
    do_lesson_00(pg)


def test_french_lesson_00_post_with_content_type_left_on_none(french_playground):
    _, pg = french_playground("00-start-here.ipynb")
    assert _fr(JSON_CHOSEN)  # the note the Playground shows has its French
    do_lesson_00_untyped_json(pg)


def test_french_lesson_01_playground_head_get_and_options(french_playground):
    notebook, pg = french_playground("01-safe-methods.ipynb")
    assert_lesson_says(
        notebook,
        "Dans le bac à sable, envoyez `HEAD /get` et `GET /get` et comparez les champs d'en-tête des réponses "
        f"(l'onglet *{_fr('Response headers')}*). Puis envoyez `OPTIONS /lab/items`",
    )
    do_lesson_01(pg)


def test_french_lesson_04_playground_json_patch_operations_twice(french_playground):
    notebook, pg = french_playground("04-patch.ipynb")
    assert_lesson_says(
        notebook,
        f"choisissez la **{_fr('Method')}** `PATCH`, réglez **{_fr('Content type')}** sur *JSON Patch "
        "(application/json-patch+json)* et envoyez des opérations `remove`, `move` et `copy` à `/lab/items/apple`",
        "Envoyez chacune deux fois.",
    )
    do_lesson_04(pg)


def test_french_lesson_09_playground_status_200_or_503(french_playground):
    notebook, pg = french_playground("09-status-codes.ipynb")
    assert_lesson_says(
        notebook,
        "choisissez `GET`, tapez le chemin `/status/200:3,503:1`, et appuyez plusieurs fois sur "
        f"**{_fr('Send', 'button')}**",
    )
    do_lesson_09(pg)
