"""The class view under a class's load: 300 learners each post a prediction within 5 s.

The service runs in its own process in test mode (``python -m httplab.classview --test-mode``: no hub, the
token is the learner's name), on SQLite in a temporary folder, as on a hub. Each simulated learner posts once at
a random moment in the 5-second window. Then: is every report stored, and how long after the last post does the
teacher's summary show the full distribution? Last, the cost of a report on a learner's cell: the time
``report.prediction`` takes in the kernel (it only queues; a background thread sends).
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import Table, machine

PREFIX = "/services/httplab-classview/"
CHOICES = ["1", "3", "0"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "httplab.classview", "--test-mode", "--port", str(port), "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{PREFIX}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "api/summary", headers={"Authorization": "token teacher"}).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the class view did not start within 30 s")


async def _class(url: str, learners: int, window: float) -> tuple[list[float], list[int], float]:
    rng = random.Random(18)
    latencies: list[float] = []
    statuses: list[int] = []

    async def learner(n: int, client: httpx.AsyncClient) -> None:
        await asyncio.sleep(rng.uniform(0, window))
        choice = CHOICES[n % len(CHOICES)]
        event = {
            "kind": "prediction",
            "lesson": "02-post",
            "question": "02-post-three",
            "answer": choice,
            "before_demo": True,
            "observed": "3",
            "correct": choice == "3",
        }
        began = time.perf_counter()
        reply = await client.post(url + "api/events", json=event, headers={"Authorization": f"token learner{n:03d}"})
        latencies.append(time.perf_counter() - began)
        statuses.append(reply.status_code)

    limits = httpx.Limits(max_connections=learners)
    async with httpx.AsyncClient(timeout=30, limits=limits, trust_env=False) as client:
        await asyncio.gather(*(learner(n, client) for n in range(learners)))
    return latencies, statuses, time.perf_counter()


def _cell_cost(url: str, reports: int) -> list[float]:
    saved = {name: os.environ.get(name) for name in ("HTTPLAB_CLASSVIEW_URL", "JUPYTERHUB_API_TOKEN")}
    os.environ.update({"HTTPLAB_CLASSVIEW_URL": url, "JUPYTERHUB_API_TOKEN": "learner-cell"})
    try:
        return _time_reports(reports)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _time_reports(reports: int) -> list[float]:
    from httplab.teaching import report

    outcome = {
        "prediction": "02-post-three",
        "lesson": "02-post",
        "chosen": "3",
        "locked_before_demo": True,
        "observed": "3",
        "matched": True,
    }
    costs = []
    for _ in range(reports):
        began = time.perf_counter()
        report.prediction(outcome)
        costs.append(time.perf_counter() - began)
        time.sleep(0.002)  # a class's pace, not a flood: the queue stays short
    report.flush(30)
    return costs


def main(learners: int = 300, window: float = 5.0, reports: int = 200) -> Table:
    with tempfile.TemporaryDirectory() as folder:
        process, url = _start(Path(folder))
        try:
            latencies, statuses, last_post = asyncio.run(_class(url, learners, window))
            teacher = {"Authorization": "token teacher"}
            while True:
                summary = httpx.get(url + "api/summary", headers=teacher).json()
                entry = next((p for p in summary["predictions"] if p["question"] == "02-post-three"), None)
                if entry and entry["locked"] >= learners:
                    shown_after = time.perf_counter() - last_post
                    break
                if time.perf_counter() - last_post > 30:
                    shown_after = float("nan")
                    break
                time.sleep(0.05)
            stored = summary["reports"]
            costs = _cell_cost(url, reports)
        finally:
            process.terminate()
            process.wait(10)
    ms = sorted(x * 1000 for x in latencies)
    cell_us = sorted(x * 1e6 for x in costs)
    table = Table(f"Class view: {learners} learners post a prediction within {window:g} s", ["measure", "value"])
    table.add("reports stored / sent", f"{stored} / {learners} ({learners - stored} lost)")
    table.add("answered 204 (stored)", f"{statuses.count(204)} of {learners}")
    table.add(
        "post latency median / p95 / max",
        f"{statistics.median(ms):.1f} / {ms[int(0.95 * len(ms)) - 1]:.1f} / {ms[-1]:.1f} ms",
    )
    table.add("full distribution on the teacher's summary after the last post", f"{shown_after * 1000:.0f} ms")
    p99 = cell_us[max(0, int(0.99 * len(cell_us)) - 1)]
    table.add(
        f"cost on the learner's cell (report.prediction, {reports} calls) median / p99 / max",
        f"{statistics.median(cell_us):.0f} / {p99:.0f} / {cell_us[-1]:.0f} µs",
    )
    return table


if __name__ == "__main__":
    print(machine())
    print(main())
