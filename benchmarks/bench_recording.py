"""Recording overhead: lab.send vs bare httpx to the same server on httpx's stock transport (goal ≤ 1.15×).

The baseline is a bare ``httpx.Client`` with httpx's default transport. ``lab.send`` uses the same
transport (httpcore) on a network backend that copies the bytes crossing the socket, builds
the immutable record and keeps it in the history. A bare client on that recording transport is
shown too, to split the cost of the byte capture from the cost of the record. ``lab.send`` skips
httpx's cookie parsing of responses that set no cookie (about 45 µs), which can pay for part of
the recording: a ratio below 1.00× is real, not an error.
"""

from __future__ import annotations

import statistics
import time

import httpx
from common import Table

import httplab
from httplab._capture import RecordingTransport


def _rate(send, n: int) -> float:
    for _ in range(20):
        send()
    started = time.perf_counter()
    for _ in range(n):
        send()
    return n / (time.perf_counter() - started)


def main(n: int = 400, rounds: int = 5) -> Table:
    table = Table(
        "Recording overhead: GET /lab/items/1 (median requests/second)",
        ["client", "req/s", "time per request vs bare httpx", "goal"],
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
    r, p, c, i = (statistics.median(x) for x in (recorded, plain, captured, in_process))
    table.add("bare httpx.Client, httpx's default transport (socket)", f"{p:.0f}", "1.00×", "(baseline)")
    table.add("bare httpx.Client, the lab's recording transport (socket)", f"{c:.0f}", f"{p / c:.2f}×",
              "(for information)")
    table.add(
        "lab.send (socket, recorded)",
        f"{r:.0f}",
        f"{p / r:.2f}×",
        "met (≤ 1.15×)" if p / r <= 1.15 else "not met (≤ 1.15×)",
    )
    table.add("lab.send (in-process, recorded)", f"{i:.0f}", f"{p / i:.2f}×", "(for information)")
    return table


if __name__ == "__main__":
    print(main())
