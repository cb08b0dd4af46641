"""Shared fixtures: a fresh lab per test (Flask tutorial style); only httpbin is session-wide."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import httplab


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
