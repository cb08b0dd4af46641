"""Recording overhead: lab.send vs bare httpx to the same server (goal ≤ 1.15×); in-process vs socket.

The baseline is a bare ``httpx.Client`` on the same transport as ``lab.send`` (the lab's plain-HTTP
transport); httpx's default transport is shown too. ``lab.send`` skips httpx's cookie parsing of
responses that set no cookie (about 45 µs), which can more than pay for the recording: a ratio
below 1.00× is real, not an error.
"""

from __future__ import annotations

import statistics
import time

import httpx
from common import Table

import httplab
from httplab._transport import PlainHTTPTransport


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
        httpx.Client(base_url=lab.url, transport=PlainHTTPTransport()) as bare,
        httpx.Client(base_url=lab.url) as stock,
    ):
        for target in (lab, inner):
            target.send("PUT", "/lab/items/1", json={"name": "apple"})
        recorded, plain, default, in_process = [], [], [], []
        for _ in range(rounds):
            recorded.append(_rate(lambda: lab.send("GET", "/lab/items/1"), n))
            plain.append(_rate(lambda: bare.get("/lab/items/1"), n))
            default.append(_rate(lambda: stock.get("/lab/items/1"), n))
            in_process.append(_rate(lambda: inner.send("GET", "/lab/items/1"), n))
    r, p, d, i = (statistics.median(x) for x in (recorded, plain, default, in_process))
    table.add("bare httpx.Client, the lab's transport (socket)", f"{p:.0f}", "1.00×", "(baseline)")
    table.add("bare httpx.Client, httpx's default transport (socket)", f"{d:.0f}", f"{p / d:.2f}×", "(for information)")
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
