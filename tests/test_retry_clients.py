"""Real client libraries on a lost response: each does what its own defaults say, read from the library."""

from __future__ import annotations

import inspect

import httpcore
import pytest
import requests
import requests.adapters
import urllib3
from urllib3.util import Retry

import httplab
from httplab.errors import InvalidRequestError
from httplab.experiments import CLIENTS, compare_clients, method_scenarios, retry_with_client
from httplab.experiments.libraries import GO_REPLAY_METHODS, client_setting, go_replays

pytestmark = pytest.mark.socket

SCENARIOS = {s.label: s for s in method_scenarios()}
NOTE = "/lab/items/note"
ORIGINAL = ("PUT", NOTE, {"json": {"text": "original"}})
THEIRS = ("PUT", NOTE, {"json": {"text": "written by another client"}})


def _urllib3_attempts(retry: Retry, method: str) -> int:
    """How many attempts urllib3's Retry makes when the first response is lost (a read error) and the retry works."""
    retries_reads = retry.total != 0 and retry.read is not False
    allowed = retry.allowed_methods is None or method in retry.allowed_methods
    return 2 if retries_reads and allowed else 1


def _expected(client: str, method: str, headers: dict[str, str]) -> int:
    if client == "requests":
        return _urllib3_attempts(requests.adapters.HTTPAdapter().max_retries, method)
    if client == "urllib3":
        return _urllib3_attempts(Retry.DEFAULT, method)
    if client == "urllib3-any-method":
        return _urllib3_attempts(Retry.DEFAULT.new(allowed_methods=None), method)
    if client == "httpx":
        # httpcore retries inside the connect step only; a lost response comes after a connect that worked.
        assert "retries_left" in inspect.getsource(httpcore.HTTPConnection._connect)
        assert "retries_left" not in inspect.getsource(httpcore.HTTPConnection.handle_request)
        return 1
    return 2 if go_replays(method, headers) else 1


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("label", list(SCENARIOS))
def test_each_library_retries_by_its_own_defaults(socket_lab, client, label):
    scenario = SCENARIOS[label]
    call = scenario.call
    result = retry_with_client(socket_lab, call.method, call.path, client=client, setup=scenario.setup, **call.options)
    expected = _expected(client, call.method, call.headers)
    assert result.received == expected
    assert result.retried is (expected > 1)
    if expected == 1:
        assert result.status is None and result.error  # the program saw an exception for an applied request
        assert result.client_saw.startswith("error: ")
    else:
        assert result.error is None and result.status is not None and result.status < 500
    assert result.final != result.before or call.method in ("GET", "HEAD", "OPTIONS")


def test_requests_default_is_no_retry_read_from_the_library(socket_lab):
    result = socket_lab.retry_after_lost_response("PUT", NOTE, client="requests", json={"text": "x"})
    assert requests.adapters.DEFAULT_RETRIES == 0 or requests.adapters.HTTPAdapter().max_retries.read is False
    assert result.received == 1 and result.error == requests.exceptions.ConnectionError.__name__
    assert str(requests.adapters.DEFAULT_RETRIES) in result.setting
    assert result.final["items"][0]["data"] == {"text": "x"}  # applied, although the program saw an error


def test_urllib3_setting_names_its_allowed_methods(socket_lab):
    assert all(method in client_setting("urllib3") for method in Retry.DEFAULT_ALLOWED_METHODS)
    post = socket_lab.retry_after_lost_response("POST", "/lab/items", client="urllib3", json={})
    assert post.error == urllib3.exceptions.ProtocolError.__name__
    assert len(post.final["items"]) == 1
    anything = socket_lab.retry_after_lost_response("POST", "/lab/items", client="urllib3-any-method", json={})
    assert anything.retried and len(anything.final["items"]) == 2  # the order was placed twice
    assert "SHOULD NOT" in anything.explanation and "§9.2.2" in anything.explanation


@pytest.mark.parametrize("header", ["Idempotency-Key", "X-Idempotency-Key"])
def test_go_rule_replays_a_post_that_carries_an_idempotency_key(socket_lab, header):
    assert "POST" not in GO_REPLAY_METHODS and "PUT" not in GO_REPLAY_METHODS
    result = socket_lab.retry_after_lost_response(
        "POST", "/lab/items", client="go", json={"order": "tea"}, headers={header: '"7c0e1a52-a2c1"'}
    )
    assert result.received == 2 and result.status == 201
    # The lab honours Idempotency-Key (not X-Idempotency-Key): one order, or two.
    assert len(result.final["items"]) == (1 if header == "Idempotency-Key" else 2)
    assert "model of Go" in result.setting and "not Go itself" in result.setting


def test_go_rule_replays_only_on_a_reused_connection(socket_lab):
    # Every attempt loses its response: the reused connection's failure is replayed once, on a fresh
    # connection, whose failure ends it (Go does not retry a request that failed on a new connection).
    from httplab.experiments.libraries import RUNNERS

    url = socket_lab.url
    status, error = RUNNERS["go"](
        url + "/lab/items/apple", url + "/lab/state", "GET", {"X-Lab-Fault": "drop-response"}, None, None
    )
    assert status is None and error is not None
    assert socket_lab.state()["requests"]["GET"] == 2


def test_another_clients_write_is_undone_by_a_retried_put(socket_lab):
    result = socket_lab.retry_after_lost_response(
        "PUT", NOTE, client="urllib3", json={"text": "mine"}, setup=[ORIGINAL], other_write=THEIRS
    )
    assert result.retried and result.status in (200, 204)
    assert result.after_other["items"][0]["data"] == {"text": "written by another client"}
    assert result.final["items"][0]["data"] == {"text": "mine"}
    assert result.other_write_undone and "undo someone else's change" in result.explanation


def test_if_match_keeps_another_clients_write_the_retry_gets_412(socket_lab):
    result = socket_lab.retry_after_lost_response(
        "PUT", NOTE, client="urllib3", json={"text": "mine"}, setup=[ORIGINAL], other_write=THEIRS, if_match=True
    )
    assert result.if_match and result.if_match.startswith('"')
    assert result.retried and result.status == 412
    assert result.final["items"][0]["data"] == {"text": "written by another client"}
    assert not result.other_write_undone and "GET the item" in result.explanation


def test_a_library_that_does_not_retry_keeps_the_other_write(socket_lab):
    result = socket_lab.retry_after_lost_response(
        "PUT", NOTE, client="requests", json={"text": "mine"}, setup=[ORIGINAL], other_write=THEIRS
    )
    assert not result.retried and not result.other_write_undone
    assert result.final["items"][0]["data"] == {"text": "written by another client"}
    assert "no retry followed" in result.explanation


def test_compare_clients_grid(socket_lab):
    grid = compare_clients(socket_lab, [SCENARIOS["POST"], SCENARIOS["GET"]], clients=("requests", "go"))
    assert grid["POST", "go"].received == 1 and grid["GET", "go"].received == 2
    assert set(grid.to_dict()) == {"POST", "GET"}
    assert grid.retry_counts == {"POST": 0, "GET": 1}
    html = grid._repr_html_()
    assert "requests" in html and "Go" in html and "check what your library does" in html.lower()


def test_result_renders_and_turns_into_data(socket_lab):
    result = socket_lab.retry_after_lost_response("DELETE", "/lab/items/apple", client="urllib3",
                                                  setup=[("PUT", "/lab/items/apple", {"json": {}})])
    data = result.to_dict()
    assert data["received"] == result.received and data["client_saw"] == result.client_saw
    assert "DELETE" in repr(result) and "urllib3" in result._repr_html_()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"client": "curl"}, "not a library the lab runs"),
        ({"client": "requests", "retry": "always"}, "not both"),
        ({"if_match": True}, "go with client="),
        ({"client": "requests", "path": "/anything"}, "not under /lab/items"),
        ({"client": "requests", "if_match": True}, "needs an item"),
        ({"client": "requests", "data": {"a": "b"}}, "not supported"),
    ],
)
def test_library_runs_refuse_bad_input_kindly(socket_lab, kwargs, words):
    path = kwargs.pop("path", NOTE)
    with pytest.raises(InvalidRequestError, match=words):
        socket_lab.retry_after_lost_response("PUT", path, **kwargs)


def test_library_runs_need_a_socket(lab):
    with pytest.raises(InvalidRequestError, match="needs a lab with a socket"):
        lab.retry_after_lost_response("GET", NOTE, client="httpx")
    assert isinstance(lab, httplab.Lab)


# ---------------------------------------------------------------------- RetryLab's library choice


def test_retry_lab_offers_every_library_and_the_lab_policy(lab):
    from httplab.widgets import RetryLab
    from httplab.widgets.retry_lab import OWN_POLICY

    view = RetryLab(lab)
    values = [value for _, value in view.library.options]
    assert values == [OWN_POLICY, *CLIENTS]
    assert view.library.value == OWN_POLICY


@pytest.mark.parametrize("client", CLIENTS)
def test_retry_lab_runs_a_library_from_code(socket_lab, client):
    from httplab.widgets import RetryLab

    view = RetryLab(socket_lab)
    view.request.value = "PUT"
    view.library.value = client
    result = view.run()
    assert result is not None and result.client == client
    assert result.received == _expected(client, "PUT", {})
    assert view.badge_texts == (result.client_saw,)
    assert client in view.message and result.client_saw in view.message
    assert "first response lost" in view.html


def test_retry_lab_library_with_key_goes_to_the_library(socket_lab):
    from httplab.widgets import RetryLab

    view = RetryLab(socket_lab)
    view.library.value = "go"
    view.use_key.value = True
    result = view.run()
    assert result is not None and result.received == 2  # Go's rule replays a POST that carries Idempotency-Key
    assert len(result.final["items"]) == 2  # the setup's item and one order: the lab replayed the first response


def test_retry_lab_library_on_an_in_process_lab_says_what_to_do(lab):
    from httplab.widgets import RetryLab

    view = RetryLab(lab)
    view.library.value = "requests"
    assert view.run() is None
    assert "needs a lab with a socket" in view.message and view.message_level == "error"
    assert lab.state()["requests"] == {}
