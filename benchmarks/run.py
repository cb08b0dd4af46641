"""Run every benchmark and write the tables, with date, machine and versions, into benchmarks/README.md."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import bench_classview
import bench_concurrency
import bench_connections
import bench_memory
import bench_notebooks
import bench_recording
import bench_repeat
import bench_startup
import bench_throughput
from common import machine

HERE = Path(__file__).resolve().parent
INTRO = """# Benchmarks

Run them all with `make bench` (about five minutes). Every script measures httplab **side by side with a
baseline in the same run** — pytest-httpbin's server serving the same application, or bare httpx — and prints
medians and ratios: these machines are shared and noisy, so compare, don't quote absolute times. The test suite
only checks that the scripts run (`tests/test_benchmarks.py`); it never asserts a time.

## Latest run
"""


def main(write: bool = True) -> str:
    sections = [
        bench_throughput.main(),
        bench_concurrency.main(),
        bench_connections.main(),
        bench_startup.main(),
        bench_recording.main(),
        bench_repeat.main(),
        bench_memory.main(),
        bench_notebooks.main(),
        bench_classview.main(),
    ]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = INTRO + f"\n{stamp} — {machine()}\n\n" + "\n".join(s.markdown() for s in sections)
    print(text)
    if write:
        notes = HERE / "NOTES.md"
        extra = "\n" + notes.read_text() if notes.exists() else ""
        (HERE / "README.md").write_text(text + extra)
    return text


if __name__ == "__main__":
    main(write="--no-write" not in sys.argv)
