"""Cold start in a fresh process (import, start, first response) and stop(), vs pytest-httpbin's server."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from common import Table

OURS = """
import time; t = time.perf_counter()
import httplab
lab = httplab.start()
lab.send("GET", "/get")
first = time.perf_counter() - t
t = time.perf_counter(); lab.stop(); stop = time.perf_counter() - t
import json; print(json.dumps([first, stop]))
"""

THEIRS = """
import time; t = time.perf_counter()
import logging; logging.disable(logging.CRITICAL)
import httpx
from httpbin import app
from pytest_httpbin import serve
serve.Handler.log_message = lambda *a, **k: None
server = serve.Server(application=app); server.start()
httpx.get(server.url + "/get")
first = time.perf_counter() - t
t = time.perf_counter(); server._server.shutdown(); server._server.server_close(); stop = time.perf_counter() - t
import json; print(json.dumps([first, stop]))
"""


def _run(code: str) -> tuple[float, float]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, stop = json.loads(done.stdout.strip().splitlines()[-1])
    return first, stop


def main(rounds: int = 5) -> Table:
    ours, theirs = [], []
    for _ in range(rounds):  # alternate, so both see the same machine load
        ours.append(_run(OURS))
        theirs.append(_run(THEIRS))
    mine = statistics.median(o[0] for o in ours)
    base = statistics.median(t[0] for t in theirs)
    stop = statistics.median(o[1] for o in ours)
    table = Table("Cold start in a fresh process (median)", ["measure", "httplab", "pytest-httpbin", "ratio", "goal"])
    table.add(
        "import + start + first response (s)",
        f"{mine:.3f}",
        f"{base:.3f}",
        f"{mine / base:.2f}×",
        "met (≤ 1.0×)" if mine <= base else "not met (≤ 1.0×)",
    )
    table.add(
        "stop() (s)",
        f"{stop:.4f}",
        f"{statistics.median(t[1] for t in theirs):.4f}",
        "",
        "met (≤ 0.1 s)" if stop <= 0.1 else "not met (≤ 0.1 s)",
    )
    return table


if __name__ == "__main__":
    print(main())
