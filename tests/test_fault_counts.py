"""The counted lost-response fault: X-Lab-Fault: drop-response; times=N; id=TOKEN."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

import httplab
from httplab.http.faults import DROP_RESPONSE, FAULT_HEADER, DropResponse, Fault, FaultError, drop_first, parse_fault
from httplab.server import create_lab_app
from httplab.server.fault_counts import CountedFaults


def _post(lab: httplab.Lab, fault: str) -> int | None:
    try:
        return lab.send("POST", "/lab/items", json={"order": "tea"}, headers={FAULT_HEADER: fault}).status
    except httplab.NoResponseError:
        return None


@pytest.mark.parametrize("times", [1, 2, 3])
def test_counted_fault_loses_only_the_first_attempts(any_lab, times):
    fault = drop_first(times)
    statuses = [_post(any_lab, fault) for _ in range(times + 2)]
    assert statuses == [None] * times + [201, 201]
    # Every attempt was applied, lost or answered.
    assert len(any_lab.state()["items"]) == times + 2


def test_counted_fault_counts_each_id_on_its_own(lab):
    first, second = drop_first(1), drop_first(1)
    assert [_post(lab, first), _post(lab, second), _post(lab, first), _post(lab, second)] == [None, None, 201, 201]


def test_plain_fault_still_loses_every_response(lab):
    assert [_post(lab, DROP_RESPONSE) for _ in range(3)] == [None, None, None]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("drop-response; times=1", "go together"),
        ("drop-response; id=abc", "go together"),
        ("drop-response; times=0; id=abc", "from 1 to"),
        ("drop-response; times=many; id=abc", "whole number"),
        ("drop-response; times=1; id=a b", "id= must be"),
        ("drop-response; times=1; id=abc; colour=red", "not a parameter"),
        ("drop-response; times=1; times=2; id=abc", "not a parameter"),
        ("lose-everything", "Unknown"),
    ],
)
def test_counted_fault_refuses_a_bad_value_with_a_clear_message(lab, value, words):
    with pytest.raises(FaultError, match=words):
        parse_fault(value)
    reply = lab.send("POST", "/lab/items", json={}, headers={FAULT_HEADER: value})
    assert reply.status == 400 and words in reply.json["detail"]
    assert lab.state()["items"] == []


def test_fault_round_trips_through_its_text():
    fault = parse_fault(drop_first(3))
    assert fault.kind == DROP_RESPONSE and fault.times == 3 and fault.id
    assert parse_fault(str(fault)) == fault
    assert parse_fault(' Drop-Response ;TIMES=2; id="x-1" ') == Fault(DROP_RESPONSE, 2, "x-1")
    assert drop_first() != drop_first()  # a fresh id every time


def test_counted_faults_forget_the_oldest_id_first():
    app = CountedFaults(create_lab_app(), max_ids=2)
    client = Client(app)
    for token in ("a", "b", "c"):
        with pytest.raises(DropResponse):  # in front of a bare app, the lost response is this exception
            client.get("/lab/items", headers={FAULT_HEADER: f"drop-response; times=5; id={token}"})
    assert (app.seen("a"), app.seen("b"), app.seen("c")) == (0, 1, 1)
    assert app.resources is app.app.resources  # the wrapped app's attributes stay reachable


@pytest.mark.socket
def test_httplab_serve_honours_the_counted_fault():
    import subprocess
    import sys

    import httpx

    with subprocess.Popen(
        [sys.executable, "-m", "httplab", "serve"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as process:
        url = process.stdout.readline().strip()
        fault = {FAULT_HEADER: drop_first(1)}
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.post(url + "/lab/items", json={}, headers=fault)
        assert httpx.post(url + "/lab/items", json={}, headers=fault).status_code == 201
        assert len(httpx.get(url + "/lab/state").json()["items"]) == 2
        process.stdin.close()
        assert process.wait(timeout=10) == 0
