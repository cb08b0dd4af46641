"""Streaming and many connections: httplab's server vs pytest-httpbin's, same application, same run.

* ``/drip?duration=2&numbytes=4``: when the first byte of the answer arrives (goal ≤ 0.1 s) and when
  the last one does (about 2 s when the server streams).
* A hundred clients at once, with aiohttp (when installed) and with httpx's AsyncClient: wall time
  until every one is answered (goal < 1 s). The clients run in this process, as in a notebook.
* A plain GET while 70 clients trickle request heads that never end (slowloris): its wall time
  (goal < 1 s). pytest-httpbin's server serves one connection at a time, so one such client blocks it.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import time

import httpx
from common import Table, quiet_pytest_httpbin

from httplab.server import LabServer, create_lab_app

SLOW_CLIENTS = 70
CLIENT_TIMEOUT = 10.0  # per request, for the hundred clients
BASELINE_WAIT = 3.0  # how long the baseline's plain GET may wait behind the slow clients


def _drip(url: str) -> tuple[float, float]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        started = time.perf_counter()
        conn.sendall(b"GET /drip?duration=2&numbytes=4&delay=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        received = conn.recv(65536)
        first = time.perf_counter() - started
        while received.partition(b"\r\n\r\n")[2].count(b"*") < 4:  # the head may hold a "*" too
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
        return first, time.perf_counter() - started


def _hundred_httpx(url: str) -> tuple[float, int] | None:
    async def main() -> tuple[float, int]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=CLIENT_TIMEOUT) as client:
            started = time.perf_counter()
            replies = await asyncio.gather(*(client.get("/get", params={"n": n}) for n in range(100)),
                                           return_exceptions=True)
            failed = sum(not isinstance(r, httpx.Response) or r.status_code != 200 for r in replies)
            return time.perf_counter() - started, failed

    return asyncio.run(main())


def _hundred_aiohttp(url: str) -> tuple[float, int] | None:
    try:
        import aiohttp
    except ImportError:
        return None

    async def main() -> tuple[float, int]:
        timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100), timeout=timeout) as session:

            async def get(n: int) -> int:
                async with session.get(f"{url}/get", params={"n": n}) as reply:
                    await reply.read()
                    return reply.status

            started = time.perf_counter()
            statuses = await asyncio.gather(*(get(n) for n in range(100)), return_exceptions=True)
            return time.perf_counter() - started, sum(status != 200 for status in statuses)

    return asyncio.run(main())


def _behind_slow_clients(url: str, wait: float) -> float | None:
    host, port = url.removeprefix("http://").split(":")
    slow: list[socket.socket] = []
    try:
        for _ in range(SLOW_CLIENTS):
            try:
                conn = socket.create_connection((host, int(port)), timeout=wait)
            except OSError:
                break  # the server's listen queue is full: it is locked out already
            slow.append(conn)
            conn.sendall(b"GET /get HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        started = time.perf_counter()
        try:
            httpx.get(url + "/get", timeout=wait)
        except httpx.TransportError:
            return None
        return time.perf_counter() - started
    finally:
        for conn in slow:
            conn.close()


def _hundred(runs: list[tuple[float, int] | None]) -> tuple[str, float | None]:
    if None in runs:
        return "(aiohttp not installed)", None
    done = [run for run in runs if run is not None]
    seconds = statistics.median(t for t, _ in done)
    failed = sum(f for _, f in done)
    return f"{seconds:.3f}" + (f" ({failed} of {100 * len(done)} failed)" if failed else ""), (
        None if failed else seconds
    )


def _seconds(value: float | None, limit: float | None = None) -> str:
    if value is None:
        return f"no answer within {limit:g} s" if limit else "(aiohttp not installed)"
    return f"{value:.3f}"


def _goal(value: float | None, goal: float) -> str:
    return "met" if value is not None and value <= goal else "not met"


def main(rounds: int = 3) -> Table:
    Server = quiet_pytest_httpbin()
    app = create_lab_app()
    ours, theirs = LabServer(app), Server(application=app)
    theirs.start()
    table = Table(
        "Streaming and many connections (median of rounds, seconds)",
        ["measure", "httplab", "pytest-httpbin", "goal"],
    )
    try:
        drips = [(_drip(ours.url), _drip(theirs.url)) for _ in range(rounds)]
        first = statistics.median(mine[0] for mine, _ in drips)
        table.add("/drip: first byte", f"{first:.3f}", f"{statistics.median(t[0] for _, t in drips):.3f}",
                  f"{_goal(first, 0.1)} (≤ 0.1 s)")
        table.add("/drip: last of 4 bytes", f"{statistics.median(m[1] for m, _ in drips):.3f}",
                  f"{statistics.median(t[1] for _, t in drips):.3f}", "(streams: about 2 s)")
        for label, run in [("100 clients at once, aiohttp", _hundred_aiohttp),
                           ("100 clients at once, httpx AsyncClient", _hundred_httpx)]:
            mine_text, mine = _hundred([run(ours.url) for _ in range(rounds)])
            base_text, _ = _hundred([run(theirs.url)])  # one round: it is slow, and not what is measured
            table.add(label, mine_text, base_text, f"{_goal(mine, 1.0)} (< 1 s)")
        slow = statistics.median(t for t in (_behind_slow_clients(ours.url, 30) for _ in range(rounds)) if t)
        base_slow = _behind_slow_clients(theirs.url, BASELINE_WAIT)
        table.add(f"GET with {SLOW_CLIENTS} slowloris sockets open", f"{slow:.3f}",
                  _seconds(base_slow, BASELINE_WAIT), f"{_goal(slow, 1.0)} (< 1 s)")
    finally:
        ours.stop()
        theirs._server.shutdown()
        theirs._server.server_close()
    return table


if __name__ == "__main__":
    print(main())
