"""The class view service: reports in, the teacher's summary, reveal and CSV out; learners refused."""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("jupyterhub")

from httplab.classview.app import Teachers, TrustingAuth, make_app  # noqa: E402
from httplab.classview.store import BadEvent, Store, parse_event  # noqa: E402

PREFIX = "/services/httplab-classview/"


class Service:
    def __init__(self, store: Store, teachers: Teachers | None = None) -> None:
        self.store = store
        ready = threading.Event()
        self.loop = asyncio.new_event_loop()

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            app = make_app(store, prefix=PREFIX, hub_auth=TrustingAuth(admins={"teacher"}), teachers=teachers)
            self.server = app.listen(0, "127.0.0.1")
            self.port = next(iter(self.server._sockets.values())).getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"

    def as_user(self, name: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"token {name}"}, trust_env=False)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(Store(f"sqlite:///{tmp_path / 'classview.sqlite'}"))
    try:
        yield running
    finally:
        running.stop()


def _predict(name: str, choice: str | None, *, before: bool = True, observed: str = "3") -> dict[str, Any]:
    return {
        "kind": "prediction",
        "lesson": "02-post",
        "question": "02-post-three",
        "answer": choice,
        "before_demo": before,
        "observed": observed,
        "correct": before and choice == observed,
    }


pytestmark = pytest.mark.socket


def test_classview_counts_each_learners_latest_prediction(service: Service) -> None:
    for n, choice in enumerate(["1", "3", "3", "1", "3"]):
        with service.as_user(f"learner{n}") as learner:
            assert learner.post("api/events", json=_predict(f"learner{n}", choice)).status_code == 204
    with service.as_user("learner0") as learner:  # changed their mind and ran it again: counts once, as now
        assert learner.post("api/events", json=_predict("learner0", "3")).status_code == 204
    with service.as_user("late") as learner:  # ran the demo without locking in first
        assert learner.post("api/events", json=_predict("late", None, before=False)).status_code == 204
    with service.as_user("teacher") as teacher:
        summary = teacher.get("api/summary").json()
    [entry] = summary["predictions"]
    assert entry["counts"] == {"3": 4, "1": 1}
    assert (entry["demo_runs"], entry["locked"]) == (6, 5)
    assert entry["observed"] is None and entry["revealed"] is False  # hidden until the teacher reveals it
    assert [c["value"] for c in entry["choices"]] == ["1", "3", "0"]  # every choice, even one nobody picked
    assert summary["learners"] == 6 and summary["reports"] == 7
    assert "names" not in entry and summary["names_shown"] is False


def test_classview_reveal_shows_what_the_server_did(service: Service) -> None:
    with service.as_user("a") as learner:
        learner.post("api/events", json=_predict("a", "3"))
    with service.as_user("teacher") as teacher:
        assert teacher.post("api/reveal", json={"question": "02-post-three", "revealed": True}).status_code == 200
        entry = teacher.get("api/summary").json()["predictions"][0]
        assert (entry["revealed"], entry["observed"], entry["matched"]) == (True, "3", 1)
        teacher.post("api/reveal", json={"question": "02-post-three", "revealed": False})
        assert teacher.get("api/summary").json()["predictions"][0]["observed"] is None
        bad = teacher.post("api/reveal", json={"revealed": True})
        assert bad.status_code == 400 and "question" in bad.json()["detail"]


def test_classview_refuses_learners_and_strangers(service: Service) -> None:
    with service.as_user("learner01") as learner:
        assert learner.get("api/summary").status_code == 403
        assert learner.get("export.csv").status_code == 403
        assert learner.post("api/reveal", json={"question": "x"}).status_code == 403
        page = learner.get("")
        assert page.status_code == 403 and "teachers only" in page.text
    with httpx.Client(base_url=service.url, trust_env=False) as nobody:
        assert nobody.post("api/events", json=_predict("x", "1")).status_code == 403
        anonymous = nobody.get("api/summary")
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("token")
    assert service.store.count() == 0


def test_classview_teachers_by_group_not_only_admins(tmp_path: Path) -> None:
    teachers = Teachers(users=frozenset({"ms-lee"}), admins=False)
    running = Service(Store(f"sqlite:///{tmp_path / 'c.sqlite'}"), teachers)
    try:
        with running.as_user("ms-lee") as lee, running.as_user("teacher") as admin:
            assert lee.get("api/summary").status_code == 200
            assert admin.get("api/summary").status_code == 403  # admins turned off
    finally:
        running.stop()
    assert Teachers(groups=frozenset({"staff"})).allow({"name": "x", "groups": ["staff"]})
    assert not Teachers(groups=frozenset({"staff"})).allow({"name": "x", "groups": ["class-a"]})


def test_classview_rejects_a_bad_report_kindly(service: Service) -> None:
    with service.as_user("a") as learner:
        wrong = learner.post("api/events", json={"kind": "vote", "question": "q"})
        assert wrong.status_code == 400 and "prediction, quiz, check" in wrong.json()["detail"]
        assert learner.post("api/events", content=b"{not json").status_code == 400
    with pytest.raises(BadEvent, match="question"):
        parse_event({"kind": "quiz"})
    with pytest.raises(BadEvent, match="at most 256"):
        parse_event({"kind": "quiz", "question": "q", "answer": "x" * 300})


def test_classview_quiz_exercises_and_csv(service: Service) -> None:
    for name, right in [("a", True), ("b", False), ("c", True)]:
        with service.as_user(name) as learner:
            learner.post(
                "api/events",
                json={"kind": "quiz", "lesson": "02-post", "question": "q1", "answer": "201", "correct": right},
            )
            learner.post("api/events", json={"kind": "check", "question": "create-three", "correct": right})
    with service.as_user("teacher") as teacher:
        summary = teacher.get("api/summary").json()
        exported = teacher.get("export.csv")
    assert summary["quiz"][0]["correct"] == 2 and summary["quiz"][0]["learners"] == 3
    assert summary["exercises"] == [{"question": "create-three", "learners": 3, "passed": 2}]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv")
    assert len(rows) == 6 and {row["kind"] for row in rows} == {"quiz", "check"}
    # Anonymous by default: no hub name is stored, a stable pseudonym is.
    assert {row["learner"] for row in rows}.isdisjoint({"a", "b", "c"})
    assert len({row["learner"] for row in rows}) == 3


def test_classview_shows_names_only_when_configured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    named = Store(url, show_names=True)
    named.add("ada", parse_event(_predict("ada", "1")))
    assert named.summary()["predictions"][0]["names"] == {"ada": "1"}
    anonymous = Store(url)  # the pseudonym key is kept in the database: the same learner, the same pseudonym
    assert anonymous.learner_key("ada") == Store(url).learner_key("ada") != "ada"
