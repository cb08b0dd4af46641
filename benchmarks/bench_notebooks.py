"""Wall time to execute every lesson and solution notebook headless."""

from __future__ import annotations

import time
from pathlib import Path

from common import Table

ROOT = Path(__file__).resolve().parent.parent / "notebooks"


def main() -> Table:
    import nbformat
    from nbclient import NotebookClient

    table = Table("Executing the notebooks headless", ["notebook", "seconds"])
    total = 0.0
    paths = sorted(
        p for p in ROOT.rglob("*.ipynb") if p.parent.name != "exercises" and ".ipynb_checkpoints" not in p.parts
    )
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(
            notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        elapsed = time.perf_counter() - started
        total += elapsed
        table.add(str(path.relative_to(ROOT)), f"{elapsed:.1f}")
    table.add(f"**all {len(paths)}**", f"**{total:.1f}**")
    return table


if __name__ == "__main__":
    print(main())
