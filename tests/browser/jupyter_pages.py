"""What a learner does in a browser, as small steps: open a notebook, run it, fill a widget, click, read.

Every wait is on a real condition (the kernel's status, an element's text, a button being enabled),
polled until it holds or the deadline passes; a timeout says what was awaited and leaves a screenshot.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

T = TypeVar("T")

#: Errors that mean "the page is still changing": keep polling.
_TRANSIENT = (
    NoSuchElementException,
    StaleElementReferenceException,
    ElementClickInterceptedException,
    ElementNotInteractableException,
)
_POLL = 0.1
_EXECUTED_PROMPT = re.compile(r"^\[\d+\]:$")


class Browser:
    """A WebDriver plus a place for screenshots, with waits that explain themselves on timeout."""

    def __init__(self, driver: WebDriver, artifacts: Path, prefix: str, timeout: float = 60.0) -> None:
        self.driver = driver
        self.artifacts = artifacts
        self.prefix = prefix
        self.timeout = timeout

    def wait(self, condition: Callable[[], T], what: str, timeout: float | None = None) -> T:
        """Poll *condition* until it returns something truthy; fail with *what* after *timeout* seconds."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        last_error: Exception | None = None
        while True:
            try:
                value = condition()
            except _TRANSIENT as error:
                value, last_error = None, error  # type: ignore[assignment]
            if value:
                return value
            if time.monotonic() > deadline:
                shot = self.screenshot(f"timeout-{_slug(what)}")
                detail = f" (last error: {type(last_error).__name__})" if last_error else ""
                raise AssertionError(f"Timed out waiting for {what}{detail}; screenshot: {shot}")
            time.sleep(_POLL)

    def screenshot(self, step: str) -> Path:
        """Save the viewport as ``<prefix>-<step>.png`` under the artifacts folder."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{self.prefix}-{step}.png"
        self.driver.save_screenshot(str(path))
        return path

    def scroll_to(self, element: WebElement) -> None:
        """Scroll *element* to the top of its scrolling area, so a screenshot shows it."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", element)

    def click(self, element: WebElement, what: str) -> None:
        """Click *element* once it is displayed and enabled (an overlay may cover it for a moment)."""
        self.wait(lambda: element.is_displayed() and element.is_enabled(), f"{what} to be enabled")

        def attempt() -> bool:
            element.click()
            return True

        self.wait(attempt, f"a click on {what} to land")

    def page_text(self) -> str:
        """The text the page shows."""
        return str(self.driver.find_element(By.TAG_NAME, "body").text)


class WidgetArea:
    """One widget view on the page (a notebook output or a Voila cell), found by a button it holds."""

    def __init__(self, browser: Browser, element: WebElement, name: str) -> None:
        self.browser = browser
        self.element = element
        self.name = name

    @property
    def text(self) -> str:
        """The text the widget shows."""
        return str(self.element.text)

    def _labelled(self, label: str, tag: str) -> WebElement:
        xpath = (
            f".//div[contains(@class,'widget-inline-hbox')][./label[normalize-space()={_xpath_literal(label)}]]"
            f"//{tag}"
        )
        return self.element.find_element(By.XPATH, xpath)

    def control(self, label: str, tag: str = "input") -> WebElement:
        """The *tag* element of the control whose description is *label*."""
        return self.browser.wait(lambda: self._labelled(label, tag), f"the {label!r} control in the {self.name}")

    def choose(self, label: str, option: str) -> None:
        """Pick *option* (its value, as ipywidgets writes it) in the dropdown labelled *label*."""
        select = self.control(label, "select")
        choice = select.find_element(By.XPATH, f".//option[@value={_xpath_literal(option)}]")
        self.browser.click(select, f"the {label!r} dropdown")
        choice.click()
        self.browser.wait(lambda: select.get_attribute("value") == option, f"{label!r} to show {option!r}")

    def type(self, label: str, text: str, tag: str = "input") -> None:
        """Replace what the text control labelled *label* holds by *text*, typing it as a learner would."""
        field = self.control(label, tag)
        self.browser.click(field, f"the {label!r} field")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.DELETE)
        field.send_keys(text)
        self.browser.wait(lambda: field.get_attribute("value") == text, f"{label!r} to hold {text!r}")

    def pick(self, option: str) -> None:
        """Click the radio button (or checkbox) whose label is *option*."""
        xpath = f".//label[normalize-space()={_xpath_literal(_normal(option))}]"
        label = self.browser.wait(lambda: self.element.find_element(By.XPATH, xpath), f"the choice {option!r}")
        self.browser.click(label, f"the choice {option!r}")
        box = label.find_element(By.TAG_NAME, "input")
        self.browser.wait(box.is_selected, f"the choice {option!r} to be selected")

    def button(self, text: str) -> WebElement:
        """The button whose caption is *text*."""
        xpath = f".//button[normalize-space()={_xpath_literal(text)}]"
        return self.browser.wait(lambda: self.element.find_element(By.XPATH, xpath), f"the {text!r} button")

    def press(self, text: str) -> None:
        """Click the button *text* once it is enabled."""
        self.browser.click(self.button(text), f"the {text!r} button in the {self.name}")

    def wait_for_text(self, needle: str, what: str | None = None, timeout: float | None = None) -> str:
        """Wait until the widget shows *needle*; return all its text."""
        return self.browser.wait(
            lambda: self.text if needle in self.text else "", what or f"{needle!r} in the {self.name}", timeout
        )

    def wait_enabled(self, text: str) -> None:
        """Wait until the button *text* is enabled again (a run or a send has finished)."""
        self.browser.wait(lambda: self.button(text).is_enabled(), f"the {text!r} button to be enabled again")

    def find_all(self, css: str) -> list[WebElement]:
        """Every element in the widget that matches *css*."""
        return list(self.element.find_elements(By.CSS_SELECTOR, css))

    def show(self) -> None:
        """Scroll the widget into view."""
        self.browser.scroll_to(self.element)


#: The JupyterLab words the page objects look for; a French page maps each through the French language pack.
UI_ENGLISH = {
    "Run": "Run",
    "Run All Cells": "Run All Cells",
    "Run All Above Selected Cell": "Run All Above Selected Cell",
    "Run Selected Cell": "Run Selected Cell",
    "Idle": "Idle",
    "Select Kernel": "Select Kernel",
}


class JupyterLabPage:
    """A notebook open in JupyterLab, as a learner sees it.

    Each page has a *workspace* of its own: JupyterLab reopens whatever a workspace had open,
    so sharing one would bring back the previous test's notebooks.
    """

    def __init__(
        self, browser: Browser, base_url: str, token: str, workspace: str, ui: dict[str, str] | None = None
    ) -> None:
        #: JupyterLab's own words the page looks for, in the interface's language (English unless told).
        self.ui = {**UI_ENGLISH, **(ui or {})}
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.workspace = workspace

    @property
    def driver(self) -> WebDriver:
        return self.browser.driver

    def open(self, path: str) -> None:
        """Open the notebook at *path* (relative to the server's root) and wait for an idle kernel."""
        url = f"{self.base_url}/lab/workspaces/{self.workspace}/tree/{path}?token={self.token}"
        self.driver.get(url)
        self.browser.wait(lambda: self._find_css(".jp-Notebook .jp-Cell"), "the notebook's cells to appear", 90)
        self.wait_kernel_idle(timeout=90)
        self._collapse_left_sidebar()

    def wait_kernel_idle(self, timeout: float | None = None) -> None:
        """Wait for the kernel to be connected and idle, choosing the kernel if JupyterLab asks for one."""

        def idle() -> bool:
            self._accept_kernel_dialog()
            indicator = self._find_css(".jp-Notebook-ExecutionIndicator")
            if not indicator or indicator[0].get_attribute("data-status") != "idle":
                return False
            # The toolbar indicator alone can read idle before a kernel is attached; the status bar names it.
            status = self._find_css(".jp-StatusBar-Widget")
            return any(f"Python 3 (ipykernel) | {self.ui['Idle']}" in (item.text or "") for item in status)

        self.browser.wait(idle, "the kernel status indicator to say idle", timeout)

    def _accept_kernel_dialog(self) -> None:
        for dialog in self._find_css(".jp-Dialog"):
            header = dialog.find_elements(By.CSS_SELECTOR, ".jp-Dialog-header")
            if header and self.ui["Select Kernel"] in header[0].text:
                select = dialog.find_elements(By.CSS_SELECTOR, "select")
                if select:
                    wanted = select[0].find_elements(
                        By.XPATH, ".//option[contains(normalize-space(), 'Python 3')]"
                    )
                    if wanted:
                        wanted[0].click()
                dialog.find_element(By.CSS_SELECTOR, ".jp-Dialog-button.jp-mod-accept").click()

    def _collapse_left_sidebar(self) -> None:
        # The file browser takes a quarter of the width; close it so screenshots show the lesson.
        current = self._find_css("#jp-left-stack:not(.lm-mod-hidden)")
        if current:
            tab = self._find_css(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
            if tab:
                tab[0].click()
                self.browser.wait(lambda: not self._find_css("#jp-left-stack:not(.lm-mod-hidden)"),
                                  "the left sidebar to close", 10)

    def run_all_cells(self) -> None:
        """Run every cell from the menu (Run → Run All Cells) and wait until each has run and the kernel is idle."""
        self._menu("Run", "Run All Cells")
        self.browser.wait(self._all_cells_ran, "every code cell to show an execution count", 120)
        self.wait_kernel_idle()
        self.assert_no_errors()

    def run_up_to(self, needle: str) -> None:
        """Run every cell above the first code cell containing *needle* (Run → Run All Above Selected Cell).

        The cell itself is left selected and not run: a learner can act on what the cells above showed
        (lock in a prediction, say) and then run it with :meth:`run_selected`.
        """
        cells = self._find_css(".jp-Notebook .jp-CodeCell")
        target = next((c for c in cells if needle in (c.get_attribute("textContent") or "")), None)
        assert target is not None, f"no code cell contains {needle!r}"
        prompt = target.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt")
        self.browser.scroll_to(prompt)
        self.browser.click(prompt, f"the cell with {needle!r}")
        self._menu("Run", "Run All Above Selected Cell")
        above = cells[: cells.index(target)]

        def ran() -> bool:
            prompts = [c.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt") for c in above]
            texts = [(p.get_attribute("textContent") or "").strip().replace("\xa0", "") for p in prompts]
            return all(_EXECUTED_PROMPT.match(t) for t in texts)

        self.browser.wait(ran, f"every cell above the one with {needle!r} to run", 120)
        self.wait_kernel_idle()
        self.assert_no_errors()
        self._selected = target

    def run_selected(self) -> None:
        """Run the cell :meth:`run_up_to` left selected (Run → Run Selected Cell) and wait until it has run."""
        target = self._selected
        self.browser.click(target.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt"), "the selected cell")
        self._menu("Run", "Run Selected Cell")
        prompt = target.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt")
        self.browser.wait(
            lambda: _EXECUTED_PROMPT.match((prompt.get_attribute("textContent") or "").strip().replace("\xa0", "")),
            "the selected cell to run",
            60,
        )
        self.wait_kernel_idle()
        self.assert_no_errors()

    def _menu(self, menu_name: str, item_label: str) -> None:
        menu_name, item_label = self.ui.get(menu_name, menu_name), self.ui.get(item_label, item_label)
        menu = self.browser.wait(
            lambda: self.driver.find_element(
                By.XPATH,
                f"//li[contains(@class,'lm-MenuBar-item')][.//div[normalize-space()={_xpath_literal(menu_name)}]]",
            ),
            f"the {menu_name} menu",
        )
        self.browser.click(menu, f"the {menu_name} menu")
        item = self.browser.wait(
            lambda: self.driver.find_element(
                By.XPATH,
                "//li[contains(@class,'lm-Menu-item')]"
                f"[.//div[contains(@class,'lm-Menu-itemLabel') and normalize-space()={_xpath_literal(item_label)}]]",
            ),
            f"the {item_label} menu item",
        )
        self.browser.click(item, f"{menu_name} → {item_label}")

    def _all_cells_ran(self) -> bool:
        prompts = [p.get_attribute("textContent") or "" for p in self._find_css(".jp-CodeCell .jp-InputArea-prompt")]
        return bool(prompts) and all(_EXECUTED_PROMPT.match(p.strip().replace("\xa0", "")) for p in prompts)

    def assert_no_errors(self) -> None:
        """Fail if any cell printed a traceback or a widget could not be displayed."""
        errors = [
            e.get_attribute("textContent") or ""
            for e in self._find_css("[data-mime-type='application/vnd.jupyter.error']")
        ]
        assert errors == [], f"cells raised errors: {errors}"
        text = self.browser.page_text()
        assert "Error displaying widget" not in text, "a widget could not be displayed"

    def widget_with_button(self, caption: str, name: str) -> WidgetArea:
        """The rendered widget view (an output) that holds a button captioned *caption*."""
        xpath = (
            "//div[contains(@class,'jp-OutputArea-output')]"
            f"[.//button[normalize-space()={_xpath_literal(caption)}]]"
        )
        element = self.browser.wait(lambda: self.driver.find_element(By.XPATH, xpath), f"the {name} to render")
        area = WidgetArea(self.browser, element, name)
        area.show()
        return area

    def shut_down_kernels(self) -> None:
        """Close the notebook's kernel through the REST API, so the server holds no stray kernels."""
        script = (
            "const done = arguments[arguments.length - 1];"
            "const auth = {headers: {Authorization: 'token ' + arguments[0]}};"
            "fetch('/api/sessions', auth).then(r => r.json()).then(sessions => Promise.all(sessions.map("
            "  s => fetch('/api/sessions/' + s.id, {method: 'DELETE', ...auth}))))"
            ".then(() => done(true), error => done(String(error)));"
        )
        result = self.driver.execute_async_script(script, self.token)
        assert result is True, f"could not shut the kernels down: {result}"

    def _find_css(self, css: str) -> list[WebElement]:
        return list(self.driver.find_elements(By.CSS_SELECTOR, css))


class VoilaPage:
    """A notebook rendered by Voila: outputs only, widgets live."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser = browser
        self.url = url

    def open(self) -> None:
        """Load the page and wait until Voila has run every cell."""
        self.browser.driver.get(self.url)

        def rendered() -> bool:
            body = self.browser.driver.find_element(By.TAG_NAME, "body")
            # Voila's templates show a spinner (#loading) while cells execute and remove it when done.
            spinners = self.browser.driver.find_elements(By.CSS_SELECTOR, "#loading")
            return bool(body.text.strip()) and not any(s.is_displayed() for s in spinners)

        self.browser.wait(rendered, "Voila to finish running the notebook", 120)

    def widget_with_button(self, caption: str, name: str) -> WidgetArea:
        """The widget view that holds a button captioned *caption*."""
        xpath = (
            "//div[contains(@class,'widget-vbox')][not(ancestor::div[contains(@class,'widget-vbox')])]"
            f"[.//button[normalize-space()={_xpath_literal(caption)}]]"
        )
        element = self.browser.wait(
            lambda: self.browser.driver.find_element(By.XPATH, xpath), f"the {name} to render"
        )
        area = WidgetArea(self.browser, element, name)
        area.show()
        return area


def console_log(driver: WebDriver) -> str:
    """The browser console's messages, one JSON object a line (empty when the driver keeps none)."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # some drivers keep no log; the log is only a help for debugging
        return ""
    return "\n".join(json.dumps(entry) for entry in entries)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in parts) + ")"


def post_from_playground(playground: WidgetArea, body: str) -> None:
    """Fill the Playground as a learner would for ``POST /lab/items`` with a JSON *body*, and press Send."""
    playground.choose("Method", "POST")
    playground.type("Path", "/lab/items")
    playground.choose("Content type", "JSON (application/json)")
    playground.type("Body", body, tag="textarea")
    # The Path and Body boxes sync when they lose focus (continuous_update=False), so clicking Send right
    # after typing sends the text first and the click second, in order: no stale form, however busy the kernel.
    playground.press("Send")


def badges(area: WidgetArea) -> list[str]:
    """The text of every status badge the widget shows, in page order."""
    return [badge.text for badge in area.find_all(".httplab-badge")]
