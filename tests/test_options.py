"""One configuration object (LabOptions) and Lab.restart(), which restarts only the lab it is called on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import httplab
from httplab.errors import HTTPLabError, LabOptionsError
from httplab.lab import start
from httplab.options import LabOptions
from httplab.widgets import Playground, RepeatExplorer


@pytest.fixture
def kernel_lab() -> Iterator[httplab.Lab]:
    """The kernel's lab, as a lesson's ``httplab.start()`` makes it (stopped afterwards)."""
    lab = start(in_process=True)
    yield lab
    start(in_process=True).stop()


def test_lab_options_are_built_by_keyword_and_read_as_a_mapping():
    options = LabOptions(in_process=True, max_items=5)
    assert (options.in_process, options.max_items, options.port) == (True, 5, 0)
    assert dict(options)["max_items"] == 5 and set(options) == set(vars(options))
    with pytest.raises(TypeError):
        LabOptions(True)  # positional: which option would True be?
    with pytest.raises(AttributeError):
        options.max_items = 6


def test_lab_takes_options_keywords_or_both_and_gives_them_back():
    with httplab.Lab(LabOptions(in_process=True), max_items=2) as lab:
        assert lab.options == LabOptions(in_process=True, max_items=2)
        assert lab.in_process and lab.options["max_items"] == 2
        lab.send("POST", "/lab/items", json={})
        lab.send("POST", "/lab/items", json={})
        assert lab.send("POST", "/lab/items", json={}).status == 507


@pytest.mark.parametrize("build", [httplab.Lab, start, LabOptions().replace], ids=["Lab", "start", "replace"])
def test_lab_options_unknown_name_is_refused_with_the_known_ones(build):
    with pytest.raises(LabOptionsError) as caught:
        build(in_process=True, prot=8000)
    message = str(caught.value)
    assert "'prot'" in message and "port" in message and "history_size" in message
    assert isinstance(caught.value, HTTPLabError) and isinstance(caught.value, TypeError)


def test_start_takes_a_labs_options_back(kernel_lab):
    assert start(kernel_lab.options) is kernel_lab
    assert start(**kernel_lab.options) is kernel_lab


def test_lab_restart_gives_a_running_lab_like_it_with_an_empty_store():
    old = httplab.Lab(in_process=True, require_precondition=True, history_size=4)
    old.send("PUT", "/lab/items/a", json={}, headers={"If-None-Match": "*"})
    new = old.restart()
    try:
        assert new is not old and not old.running and new.running
        assert new.options == old.options
        assert new.state()["items"] == [] and new.history == ()
        assert new.send("PUT", "/lab/items/a", json={}).status == 428  # the same settings
    finally:
        new.stop()


def test_lab_restart_of_the_kernels_lab_becomes_the_kernels_lab(kernel_lab):
    fresh = kernel_lab.restart()
    assert not kernel_lab.running
    assert start(in_process=True) is fresh


def test_lab_restart_of_another_lab_leaves_the_kernels_lab_alone(kernel_lab):
    kernel_lab.send("POST", "/lab/items", json={"owner": "learner"})
    with httplab.Lab(in_process=True) as own:
        fresh = own.restart()
        fresh.stop()
    assert kernel_lab.running and start(in_process=True) is kernel_lab
    assert len(kernel_lab.state()["items"]) == 1


@pytest.mark.parametrize("kind", [Playground, RepeatExplorer], ids=lambda k: k.__name__)
def test_widget_restart_on_a_teachers_lab_never_stops_the_learners_lab(kernel_lab, kind):
    teachers = httplab.Lab(in_process=True, max_items=3)
    view = kind(teachers)
    teachers.stop()
    view.restart_lab()
    try:
        assert view.lab is not teachers and view.lab.running
        assert view.lab.options == teachers.options
        assert kernel_lab.running and start(in_process=True) is kernel_lab
    finally:
        view.lab.stop()
