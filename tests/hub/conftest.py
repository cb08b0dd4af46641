"""Fixtures for the classroom-scale test: a real JupyterHub on 127.0.0.1, started once per module.

Without jupyterhub or configurable-http-proxy the test skips and names the install command; with
``CI=true`` it fails instead, because CI installs both (``tests/hub/install-proxy.sh``).
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from hubkit import ARTIFACTS, IN_CI, INSTALL_PROXY, Hub, proxy_binary, start_hub, stop_hub

# What the test measured, printed once at the end of the run by pytest_terminal_summary.
REPORT: dict[str, Any] = {}


def _missing(what: str) -> None:
    """Fail in CI (where the hub test must run), skip elsewhere."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: the hub test may not be skipped)", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def classroom_report() -> dict[str, Any]:
    """A place for the hub test to leave its measurements for the end-of-run summary."""
    return REPORT


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Hub]:
    """Start a JupyterHub with an admin service token; stop it and every process below it afterwards.

    A test module may add configuration lines in a module-level ``HUB_CONFIG`` string (a service, say).
    """
    if importlib.util.find_spec("jupyterhub") is None:
        _missing("jupyterhub is not installed; install it with: .venv/bin/python -m pip install -e '.[test]'")
    proxy = proxy_binary()
    if proxy is None:
        _missing(f"configurable-http-proxy is not installed; install it with: {INSTALL_PROXY}")
    assert proxy is not None
    running = start_hub(tmp_path_factory.mktemp("jupyterhub"), proxy, getattr(request.module, "HUB_CONFIG", ""))
    try:
        yield running
    finally:
        killed = stop_hub(running)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(running.log_path, ARTIFACTS / "jupyterhub.log")
        assert not killed, "these processes outlived the hub's shutdown and had to be killed:\n" + "\n".join(killed)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what the hub test measured (it asserts no timing, so the figures are only reported)."""
    if REPORT.get("summary"):
        terminalreporter.section("classroom scale (JupyterHub)")
        for line in REPORT["summary"]:
            terminalreporter.write_line(line)
