"""Shared fixtures: a fresh lab per test (Flask tutorial style); only httpbin is session-wide."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import httplab
from httplab.server.app import _httpbin_app

# pytest-httpbin imports httpbin when it loads; import it quietly first, then load the plugin
# (it is disabled in pyproject's addopts so that it loads here, after this import).
_httpbin_app()
pytest_plugins = ["pytest_httpbin.plugin"]


@pytest.fixture
def lab() -> Iterator[httplab.Lab]:
    """A fresh in-process lab: no socket, empty store."""
    with httplab.Lab(in_process=True) as fresh:
        yield fresh


@pytest.fixture
def socket_lab() -> Iterator[httplab.Lab]:
    """A fresh lab served over a real loopback socket."""
    with httplab.Lab() as fresh:
        yield fresh


@pytest.fixture(params=["in-process", "socket"])
def any_lab(request: pytest.FixtureRequest) -> Iterator[httplab.Lab]:
    """The same test over both transports."""
    with httplab.Lab(in_process=request.param == "in-process") as fresh:
        yield fresh
