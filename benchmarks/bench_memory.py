"""Memory: a fresh kernel-like process after import + start (goal ≤ 120 MB), and growth over 10,000 exchanges."""

from __future__ import annotations

import json
import subprocess
import sys

from common import Table

CODE = """
import json, resource
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
import httplab
lab = httplab.start()
lab.send("GET", "/get")
started = rss_mb()
for n in range(EXCHANGES):
    lab.send("PUT", "/lab/items/a", json={"n": n})
after = rss_mb()
print(json.dumps([started, after, len(lab.history), lab.client.history_size]))
lab.stop()
"""


def main(exchanges: int = 10_000) -> Table:
    done = subprocess.run(
        [sys.executable, "-c", CODE.replace("EXCHANGES", str(exchanges))], capture_output=True, text=True, check=True
    )
    started, after, kept, cap = json.loads(done.stdout.strip().splitlines()[-1])
    table = Table("Memory of a process running a lab (RSS)", ["measure", "MB", "goal"])
    table.add(
        "after import httplab + start() + one request",
        f"{started:.1f}",
        "met (≤ 120 MB)" if started <= 120 else "not met (≤ 120 MB)",
    )
    table.add(
        f"after {exchanges:,} more exchanges (history keeps {kept:,} of cap {cap:,})",
        f"{after:.1f}",
        f"growth {after - started:+.1f} MB (bounded by the history cap)",
    )
    return table


if __name__ == "__main__":
    print(main())
