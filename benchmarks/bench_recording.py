"""Recording overhead: lab.send vs bare httpx to the same server on httpx's stock transport (goal ≤ 1.15×).

The baseline is a bare ``httpx.Client`` with httpx's default transport. ``lab.send`` uses the same
transport (httpcore) on a network backend that copies the bytes crossing the socket, builds
the immutable record and keeps it in the history. A bare client on that recording transport is
shown too, to split the cost of the byte capture from the cost of the record. ``lab.send`` skips
httpx's cookie parsing of responses that set no cookie (about 45 µs), which can pay for part of
the recording: a ratio below 1.00× is real, not an error.

Wall time is what a learner waits; on a shared, busy machine it also measures the neighbours.
The process's CPU time per request (client and lab server share the process) is shown beside
it: it does not count time spent waiting for a core, so it is the steadier of the two ratios.
"""

from __future__ import annotations

import statistics
import time

import httpx
from common import Table

import httplab
from httplab.client._capture import RecordingTransport


def _rate(send, n: int) -> tuple[float, float]:
    """Return requests per second (wall clock) and the process's CPU seconds per request."""
    for _ in range(20):
        send()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        send()
    return n / (time.perf_counter() - started), (time.process_time() - cpu) / n


def main(n: int = 400, rounds: int = 5) -> Table:
    table = Table(
        "Recording overhead: GET /lab/items/1 (median requests/second)",
        ["client", "req/s", "time per request vs bare httpx", "CPU per request vs bare httpx", "goal"],
    )
    with (
        httplab.Lab() as lab,
        httplab.Lab(in_process=True) as inner,
        httpx.Client(base_url=lab.url) as stock,
        httpx.Client(base_url=lab.url, transport=RecordingTransport()) as capturing,
    ):
        for target in (lab, inner):
            target.send("PUT", "/lab/items/1", json={"name": "apple"})
        recorded, plain, captured, in_process = [], [], [], []
        # Interleaved rounds, so that a noisy neighbour on a shared machine hits every client alike.
        for _ in range(rounds):
            plain.append(_rate(lambda: stock.get("/lab/items/1"), n))
            recorded.append(_rate(lambda: lab.send("GET", "/lab/items/1"), n))
            captured.append(_rate(lambda: capturing.get("/lab/items/1"), n))
            in_process.append(_rate(lambda: inner.send("GET", "/lab/items/1"), n))
    rate = {name: statistics.median(r for r, _ in runs) for name, runs in
            (("r", recorded), ("p", plain), ("c", captured), ("i", in_process))}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in
           (("r", recorded), ("p", plain), ("c", captured), ("i", in_process))}

    def row(label: str, key: str, goal: str) -> None:
        table.add(label, f"{rate[key]:.0f}", f"{rate['p'] / rate[key]:.2f}×", f"{cpu[key] / cpu['p']:.2f}×", goal)

    row("bare httpx.Client, httpx's default transport (socket)", "p", "(baseline)")
    row("bare httpx.Client, the lab's recording transport (socket)", "c", "(for information)")
    ratio = rate["p"] / rate["r"]
    row("lab.send (socket, recorded)", "r", "met (≤ 1.15×)" if ratio <= 1.15 else "not met (≤ 1.15×)")
    row("lab.send (in-process, recorded)", "i", "(for information)")
    return table


if __name__ == "__main__":
    print(main())
