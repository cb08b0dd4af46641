"""Real-browser fixtures: JupyterLab and Voila on 127.0.0.1, driven by headless Chromium through Selenium.

Everything runs in throwaway folders: Jupyter's config, data, runtime, settings and workspaces
folders, the browser profile, and copies of the lessons, so nothing in the repository changes.
Only the venv's kernelspec (under ``sys.prefix``) is shared. Screenshots go to
``test-artifacts/browser/``.

Without Chromium and its driver the tests skip and say how to install them; in CI (``CI=true``)
that is a failure instead, because CI installs them (``tests/browser/install-browser.sh``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
INSTALL = "sudo apt-get install chromium chromium-driver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1300",
    # Keep the page on this machine: Voila's template asks a CDN for an icon font, which is not needed.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
)
#: How long a server may take to start answering (cold imports take ~10 s here).
STARTUP_SECONDS = 90


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    """Skip on a laptop; fail in CI, where the browser must be installed."""
    if _in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class BrowserBinaries:
    chromium: str
    chromedriver: str


@pytest.fixture(scope="session")
def browser_binaries() -> BrowserBinaries:
    """Debian's Chromium and chromedriver, and Selenium; skip (fail in CI) when one is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver") if os.access(p, os.X_OK)), None
    )
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", chromedriver)) if path is None]
    if missing:
        _unavailable(
            f"{' and '.join(missing)} not found: the browser tests need Debian's Chromium; "
            f"install it with `{INSTALL}` (or run tests/browser/install-browser.sh)"
        )
    for module in ("selenium", "voila"):
        try:
            __import__(module)
        except ImportError:
            _unavailable(f"the Python package {module!r} is missing: install the test extras with "
                         f"`.venv/bin/pip install -e '.[test]'`")
    assert chromium is not None and chromedriver is not None
    return BrowserBinaries(chromium, chromedriver)


# ---------------------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """A server in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self._log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def wait_until(self, ready: Callable[[], bool], what: str) -> None:
        """Poll *ready* until it holds; fail with the server's log if it exits or the deadline passes."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: timed out waiting for {what}:\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self, ask: Callable[[], None] | None = None) -> None:
        """Ask the server to shut down (it then stops its kernels); end its process group if it will not."""
        try:
            if ask is not None and self.process.poll() is None:
                try:
                    ask()
                    self.process.wait(timeout=20)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, 9)
                    self.process.wait(timeout=10)
            # Kernels live in the server's process group; end any the server left behind.
            try:
                os.killpg(self.process.pid, 9)
            except ProcessLookupError:
                pass
        finally:
            self._log_file.close()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.log, ARTIFACTS / self.log.name)


def _answers(url: str, token: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass(frozen=True)
class JupyterHome:
    """Throwaway Jupyter folders and the environment that points at them."""

    root: Path
    env: dict[str, str]


@pytest.fixture(scope="session")
def jupyter_home(tmp_path_factory: pytest.TempPathFactory) -> JupyterHome:
    root = tmp_path_factory.mktemp("jupyter-home")
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",  # the venv's kernelspec stays findable under sys.prefix
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        "IPYTHONDIR": "ipython",
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "IPYTHON"))}
    for variable, name in folders.items():
        (root / name).mkdir()
        env[variable] = str(root / name)
    # No news or update pop-ups over the page.
    settings = root / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # The lessons' JupyterLab as make lab sets it up: nbgrader's teacher menus off.
    (root / "config" / "labconfig").mkdir()
    page_config = ROOT / "tools" / "lab-settings" / "page_config.json"
    shutil.copy(page_config, root / "config" / "labconfig" / "page_config.json")
    env["PYTHONUNBUFFERED"] = "1"
    return JupyterHome(root, env)


@pytest.fixture(scope="session")
def notebook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the servers serve; each test copies the lessons it needs into a folder of its own."""
    return tmp_path_factory.mktemp("notebooks")


@dataclass(frozen=True)
class JupyterLabServer:
    url: str
    token: str
    root: Path


@pytest.fixture(scope="module")  # stopped once the module's tests are done, not at the end of the whole suite
def jupyter_lab(
    browser_binaries: BrowserBinaries, jupyter_home: JupyterHome, notebook_root: Path
) -> Iterator[JupyterLabServer]:
    """JupyterLab on 127.0.0.1 with a token, no browser, no news, and throwaway settings."""
    token = secrets.token_hex(16)
    port = _free_port()
    argv = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={notebook_root}",
        "--ServerApp.allow_root=True",  # CI runs as root
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        # The server settings `make lab` and Binder install (the lessons' .py sources hidden from the file browser).
        f"--config={ROOT / 'tools' / 'lab-settings' / 'jupyter_server_config.json'}",
    ]
    server = ServerProcess("JupyterLab", argv, jupyter_home.env, notebook_root, jupyter_home.root / "jupyterlab.log")
    url = f"http://127.0.0.1:{port}"

    def shutdown() -> None:
        request = urllib.request.Request(f"{url}/api/shutdown", method="POST",
                                         headers={"Authorization": f"token {token}"})
        urllib.request.urlopen(request, timeout=10).close()

    try:
        server.wait_until(lambda: _answers(f"{url}/api/status", token), "/api/status to answer")
        yield JupyterLabServer(url, token, notebook_root)
    finally:
        server.stop(shutdown)


@dataclass(frozen=True)
class VoilaServer:
    url: str
    notebook: Path


@pytest.fixture
def voila_lesson(
    browser_binaries: BrowserBinaries, jupyter_home: JupyterHome, lesson_copy: Callable[[str], Path]
) -> Iterator[VoilaServer]:
    """Voila serving a copy of lesson 00 on 127.0.0.1 (sources stripped, as Voila does by default)."""
    notebook = lesson_copy("00-start-here.ipynb")
    token = secrets.token_hex(16)
    port = _free_port()
    argv = [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=True",
    ]
    server = ServerProcess("Voila", argv, jupyter_home.env, notebook.parent, jupyter_home.root / "voila.log")
    try:
        server.wait_until(lambda: "Voilà is running at" in server.log.read_text(errors="replace"),
                          "Voila to say it is running")
        yield VoilaServer(f"http://127.0.0.1:{port}/?token={token}", notebook)
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------- lessons


@pytest.fixture
def lesson_copy(notebook_root: Path, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Copy a lesson into this test's own folder under the served root; return the copy's path."""
    folder = notebook_root / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(exist_ok=True)

    def copy(name: str) -> Path:
        target = folder / name
        shutil.copyfile(LESSONS / name, target)
        return target

    return copy


# ---------------------------------------------------------------------------------------- browser


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """Remember each phase's report on the test, so the browser fixture knows if the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser(
    browser_binaries: BrowserBinaries, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """Headless Chromium with a fresh profile; on failure it leaves a screenshot and the console log."""
    from jupyter_pages import Browser, console_log
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_binaries.chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=browser_binaries.chromedriver, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    prefix = request.node.name.removeprefix("test_")
    try:
        yield Browser(driver, ARTIFACTS, prefix)
    finally:
        try:
            report = getattr(request.node, "report_call", None)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            if report is not None and report.failed:
                driver.save_screenshot(str(ARTIFACTS / f"FAILED-{prefix}.png"))
            (ARTIFACTS / f"{prefix}-console.log").write_text(console_log(driver))
        finally:
            driver.quit()


@pytest.fixture
def lab_page(browser: Any, jupyter_lab: JupyterLabServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """JupyterLab in the browser; the kernels the test started are shut down afterwards."""
    from jupyter_pages import JupyterLabPage

    workspace = request.node.name.removeprefix("test_").replace("_", "-")
    page = JupyterLabPage(browser, jupyter_lab.url, jupyter_lab.token, workspace)
    try:
        yield page
    finally:
        if browser.driver.current_url.startswith(jupyter_lab.url):
            page.shut_down_kernels()


@pytest.fixture
def voila_page(browser: Any, voila_lesson: VoilaServer) -> Any:
    """The Voila rendering of lesson 00, loaded and run."""
    from jupyter_pages import VoilaPage

    page = VoilaPage(browser, voila_lesson.url)
    page.open()
    return page


@pytest.fixture
def pages(browser_binaries: BrowserBinaries) -> Any:
    """The page helpers module (imported late, so a missing Selenium skips instead of breaking collection)."""
    import jupyter_pages

    return jupyter_pages
