"""Concurrency: four simultaneous GET /delay/0.5, httplab's server vs pytest-httpbin's (goal ≤ 0.7 s)."""

from __future__ import annotations

import statistics
import threading
import time

import httpx
from common import Table, quiet_pytest_httpbin

from httplab.server import LabServer, create_lab_app


def _four_at_once(url: str) -> float:
    clients = [httpx.Client(base_url=url) for _ in range(4)]
    try:
        threads = [threading.Thread(target=c.get, args=("/delay/0.5",)) for c in clients]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started
    finally:
        for c in clients:
            c.close()


def main(rounds: int = 3) -> Table:
    Server = quiet_pytest_httpbin()
    app = create_lab_app()
    ours, theirs = LabServer(app), Server(application=app)
    theirs.start()
    try:
        mine = statistics.median(_four_at_once(ours.url) for _ in range(rounds))
        base = statistics.median(_four_at_once(theirs.url) for _ in range(rounds))
    finally:
        ours.stop()
        theirs._server.shutdown()
        theirs._server.server_close()
    table = Table("Four concurrent GET /delay/0.5 (median wall time)", ["server", "seconds", "goal ≤ 0.7 s"])
    table.add("httplab", f"{mine:.2f}", "met" if mine <= 0.7 else "not met")
    table.add("pytest-httpbin", f"{base:.2f}", "(baseline)")
    return table


if __name__ == "__main__":
    print(main())
