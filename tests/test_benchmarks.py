"""The benchmark scripts run and print their tables (no timing is asserted here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

pytestmark = pytest.mark.socket


def _check(table, *, rows: int) -> None:
    text = table.markdown()
    assert len(table.rows) == rows
    assert text.startswith("### ")
    assert all(len(row) == len(table.columns) for row in table.rows)


def test_throughput_script_runs():
    import bench_throughput

    _check(bench_throughput.main(n=5, rounds=1), rows=3)


def test_concurrency_script_runs():
    import bench_concurrency

    _check(bench_concurrency.main(rounds=1), rows=2)


def test_startup_script_runs():
    import bench_startup

    _check(bench_startup.main(rounds=1), rows=2)


def test_recording_script_runs():
    import bench_recording

    _check(bench_recording.main(n=5, rounds=1), rows=4)


def test_repeat_script_runs():
    import bench_repeat

    _check(bench_repeat.main(calls=3, many=4, stored=5), rows=3)


def test_memory_script_runs():
    import bench_memory

    table = bench_memory.main(exchanges=20)
    _check(table, rows=2)
    assert float(table.rows[0][1]) > 10  # a real RSS figure, in MB


def test_classview_script_runs():
    pytest.importorskip("jupyterhub")
    import bench_classview

    table = bench_classview.main(learners=12, window=0.3, reports=5)
    _check(table, rows=5)
    assert table.rows[0][1] == "12 / 12 (0 lost)"
