"""Concurrency over a real socket: no lost or duplicated item, one effect per Idempotency-Key.

``THREADS`` clients each send ``REQUESTS_PER_THREAD`` mixed requests (POST, PUT, merge
PATCH, DELETE, GET) at the same socket lab at once, counting what every response says it
did. Afterwards the store must hold exactly what those answers add up to: every 201 of a
POST is a new item with an id no other answer used, every 204 of a DELETE removed one.

The default is 8 threads x 500 requests (about 10 s here). On a slow machine, lower
``REQUESTS_PER_THREAD`` (keep THREADS at 8 so the requests still interleave).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

import httplab

THREADS = 8
REQUESTS_PER_THREAD = 500
SHARED_IDS = tuple(f"shared-{n}" for n in range(4))

pytestmark = [pytest.mark.socket, pytest.mark.slow]


@dataclass
class Tally:
    """What one client's responses say it did."""

    created: list[str] = field(default_factory=list)  # ids from POST 201 Location
    deleted: list[str] = field(default_factory=list)  # ids whose DELETE answered 204
    put_created: list[str] = field(default_factory=list)  # ids whose PUT answered 201
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def lab() -> Iterator[httplab.Lab]:
    with httplab.Lab() as fresh:
        yield fresh


def _client(lab: httplab.Lab) -> httpx.Client:
    return httpx.Client(base_url=lab.url, timeout=30)


def _work(lab: httplab.Lab, seed: int, barrier: threading.Barrier, tally: Tally) -> None:
    rng = random.Random(seed)
    mine: list[str] = []
    with _client(lab) as http:
        barrier.wait()
        for number in range(REQUESTS_PER_THREAD):
            choice = rng.random()
            try:
                if choice < 0.35:
                    reply = http.post("/lab/items", json={"by": seed, "n": number})
                    method = "POST"
                    if reply.status_code == 201:
                        item_id = reply.headers["Location"].rsplit("/", 1)[1]
                        tally.created.append(item_id)
                        mine.append(item_id)
                elif choice < 0.55:
                    # Delete one of mine, or race the others for one of theirs or a shared one.
                    target = mine.pop(rng.randrange(len(mine))) if mine and rng.random() < 0.7 else (
                        rng.choice(SHARED_IDS) if rng.random() < 0.5 else str(rng.randint(1, 50)))
                    reply = http.delete(f"/lab/items/{target}")
                    method = "DELETE"
                    if reply.status_code == 204:
                        tally.deleted.append(target)
                elif choice < 0.7:
                    target = rng.choice(SHARED_IDS)
                    reply = http.put(f"/lab/items/{target}", json={"by": seed, "n": number})
                    method = "PUT"
                    if reply.status_code == 201:
                        tally.put_created.append(target)
                elif choice < 0.8:
                    target = rng.choice(SHARED_IDS)
                    reply = http.patch(f"/lab/items/{target}", json={"patched_by": seed},
                                       headers={"Content-Type": "application/merge-patch+json"})
                    method = "PATCH"
                else:
                    reply = http.get("/lab/items")
                    method = "GET"
                tally.statuses[method, reply.status_code] += 1
            except httpx.HTTPError as error:  # pragma: no cover - reported below
                tally.errors.append(f"{type(error).__name__}: {error}")


def test_mixed_requests_from_many_threads_lose_and_duplicate_nothing(lab):
    barrier = threading.Barrier(THREADS)
    tallies = [Tally() for _ in range(THREADS)]
    threads = [threading.Thread(target=_work, args=(lab, n, barrier, tallies[n])) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)

    statuses = sum((t.statuses for t in tallies), Counter())
    assert [e for t in tallies for e in t.errors] == []
    assert sum(statuses.values()) == THREADS * REQUESTS_PER_THREAD
    assert {status for _, status in statuses} <= {200, 201, 204, 404}, statuses

    created = [i for t in tallies for i in t.created]
    deleted = [i for t in tallies for i in t.deleted]
    put_created = [i for t in tallies for i in t.put_created]
    assert len(created) == len(set(created)), "two POSTs were told they created the same item"
    assert not set(created) & set(SHARED_IDS)
    assert statuses["POST", 201] == len(created) == THREADS * REQUESTS_PER_THREAD - sum(
        n for (method, _), n in statuses.items() if method != "POST")
    # Every 204 to DELETE removed a different existing item: nothing is deleted twice...
    for item_id, times in Counter(deleted).items():
        assert times <= (item_id in created) + put_created.count(item_id), item_id

    state = lab.state()
    ids = [entry["id"] for entry in state["items"]]
    assert len(ids) == len(set(ids))
    # ...and the store holds exactly what the answers add up to.
    assert len(ids) == len(created) + len(put_created) - len(deleted)
    expected = Counter(created) + Counter(put_created)
    expected.subtract(Counter(deleted))
    assert set(ids) == {item_id for item_id, n in expected.items() if n == 1}
    assert all(n in (0, 1) for n in expected.values())
    # The per-method request counts saw every request too.
    counted = Counter({method: n for (method, _), n in statuses.items()})
    for method, n in counted.items():
        assert state["requests"][method] >= n


def test_concurrent_duplicates_of_many_keys_have_one_effect_each(lab):
    keys = [f"key-{n}" for n in range(40)]
    barrier = threading.Barrier(THREADS)
    answers: list[list[tuple[str, int, str | None, str | None]]] = [[] for _ in range(THREADS)]

    def send(slot: int) -> None:
        order = list(keys)
        random.Random(slot).shuffle(order)
        with _client(lab) as http:
            barrier.wait()
            for key in order:
                reply = http.post("/lab/items", json={"key": key}, headers={"Idempotency-Key": key})
                answers[slot].append(
                    (key, reply.status_code, reply.headers.get("Location"), reply.headers.get("Idempotent-Replayed"))
                )

    threads = [threading.Thread(target=send, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    items = lab.state()["items"]
    assert len(items) == len(keys), "one key must make exactly one item"
    assert sorted(entry["data"]["key"] for entry in items) == sorted(keys)
    flat = [answer for slot in answers for answer in slot]
    assert len(flat) == THREADS * len(keys)
    for key in keys:
        replies = [a for a in flat if a[0] == key]
        assert {status for _, status, _, _ in replies} <= {201, 409}
        originals = [a for a in replies if a[1] == 201 and a[3] is None]
        assert len(originals) == 1, key
        assert {location for _, status, location, _ in replies if status == 201} == {originals[0][2]}


def test_concurrent_conditional_puts_let_exactly_one_writer_win(lab):
    lab.send("PUT", "/lab/items/note", json={"text": "v0"})
    etag = lab.send("GET", "/lab/items/note").response.headers["ETag"]
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def write(slot: int) -> None:
        with _client(lab) as http:
            barrier.wait()
            reply = http.put("/lab/items/note", json={"text": f"by {slot}"}, headers={"If-Match": etag})
            with lock:
                statuses.append(reply.status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [204] + [412] * (THREADS - 1)
    assert lab.send("GET", "/lab/items/note").json["text"].startswith("by ")
