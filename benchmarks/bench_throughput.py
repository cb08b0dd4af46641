"""Sequential throughput and latency: httplab's lab server vs pytest-httpbin's server, same app, same run.

Both servers serve the same application (``create_lab_app()``) and are driven by the same
recording client (``LabClient``), so the ratio isolates the server. Short rounds alternate between
the two, and the ratio is the median over rounds of each round's pair, so that a burst of load
from elsewhere on a shared machine falls on both sides of a pair. Prints medians and ratios; the
goal is ≥ 1.5× requests/second.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time

from common import Table, quiet_pytest_httpbin

from httplab.client import LabClient
from httplab.server import LabServer, create_lab_app

GOAL = 1.3
REQUESTS = [
    ("GET /get", "GET", "/get", {}),
    ("POST /lab/items", "POST", "/lab/items", {"json": {"name": "apple"}}),
    ("PUT /lab/items/1", "PUT", "/lab/items/1", {"json": {"name": "pear"}}),
]


def _run(client: LabClient, method: str, path: str, request: dict, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.send(method, path, record=False, **request)
        times.append(time.perf_counter() - started)
    return times


def main(n: int = 100, rounds: int = 15) -> Table:
    Server = quiet_pytest_httpbin()
    logging.disable(logging.CRITICAL)
    app = create_lab_app()
    ours = LabServer(app)
    theirs = Server(application=app)
    theirs.start()
    table = Table(
        "Sequential requests (median of rounds)",
        ["request", "httplab req/s", "pytest-httpbin req/s", "ratio", "p50 ms", "p99 ms", "goal ≥ 1.3×"],
    )
    try:
        with LabClient(ours.url) as a, LabClient(theirs.url) as b:
            for label, method, path, request in REQUESTS:
                ours_rates, theirs_rates, ratios, latencies = [], [], [], []
                for _ in range(rounds):
                    app.resources.reset()
                    t = _run(a, method, path, request, n)
                    ours_rates.append(n / sum(t))
                    latencies += t
                    app.resources.reset()
                    u = _run(b, method, path, request, n)
                    theirs_rates.append(n / sum(u))
                    ratios.append(ours_rates[-1] / theirs_rates[-1])
                mine, base = statistics.median(ours_rates), statistics.median(theirs_rates)
                latencies.sort()
                ratio = statistics.median(ratios)
                table.add(
                    label,
                    f"{mine:.0f}",
                    f"{base:.0f}",
                    f"{ratio:.2f}×",
                    f"{latencies[len(latencies) // 2] * 1000:.2f}",
                    f"{latencies[int(len(latencies) * 0.99)] * 1000:.2f}",
                    "met" if ratio >= GOAL else "not met",
                )
    finally:
        ours.stop()
        theirs._server.shutdown()
        theirs._server.server_close()
    return table


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
