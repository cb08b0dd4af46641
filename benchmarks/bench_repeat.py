"""repeat() with state snapshots: 100 calls (goal ≤ 0.5 s), 1,000 calls, and 100 calls over 1,000 stored items."""

from __future__ import annotations

import time

from common import Table

import httplab


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(calls: int = 100, many: int = 1000, stored: int = 1000) -> Table:
    table = Table("repeat() with a snapshot after every call (socket lab)", ["run", "seconds", "per call (ms)", "goal"])
    with httplab.Lab() as lab:
        hundred = min(_timed(lambda: lab.repeat("PUT", "/lab/items/a", times=calls, json={"n": 1})) for _ in range(3))
        table.add(
            f"PUT ×{calls}, empty store",
            f"{hundred:.3f}",
            f"{hundred / calls * 1000:.2f}",
            "met (≤ 0.5 s)" if hundred <= 0.5 else "not met (≤ 0.5 s)",
        )
        thousand = _timed(lambda: lab.repeat("PUT", "/lab/items/a", times=many, json={"n": 1}))
        table.add(f"PUT ×{many:,}, empty store", f"{thousand:.3f}", f"{thousand / many * 1000:.2f}", "(scaling)")
        setup = [("PUT", f"/lab/items/i{k}", {"json": {"k": k}}) for k in range(stored)]
        big = _timed(lambda: lab.repeat("PUT", "/lab/items/a", times=calls, json={"n": 1}, setup=setup))
        setup_only = _timed(lambda: lab.repeat("GET", "/lab/items/i0", times=2, setup=setup))
        table.add(
            f"PUT ×{calls} over {stored:,} stored items (setup subtracted)",
            f"{big - setup_only:.3f}",
            f"{(big - setup_only) / calls * 1000:.2f}",
            "(scaling)",
        )
    return table


if __name__ == "__main__":
    print(main())
