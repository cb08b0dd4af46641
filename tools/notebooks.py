"""Keep the lesson notebooks in step with their py:percent sources.

    python tools/notebooks.py sync     # write every notebooks/**/*.ipynb from its .py twin (no outputs)
    python tools/notebooks.py check    # exit 1 if a pair differs or an .ipynb holds outputs

Exercise notebooks are generated from solution sources: a cell tagged ``solution`` is replaced by an
empty code cell with a ``# Your code here`` prompt, so every exercise is proven solvable by its own
solution, which CI runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent / "notebooks"
SOLUTIONS = ROOT / "exercises" / "solutions"
PLACEHOLDER = "# Your code here\n"
#: The placeholder in each edition's own language (the edition is the folder under notebooks/, if any).
PLACEHOLDERS = {"fr": "# Votre code ici\n"}


def _sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if ".ipynb_checkpoints" not in p.parts)


def _clean(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "jupytext": {"formats": "ipynb,py:percent"},
    }
    for cell in notebook.cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = {"tags": cell.metadata["tags"]} if cell.metadata.get("tags") else {}
    notebook.nbformat, notebook.nbformat_minor = 4, 4
    return notebook


def exercise_from_solution(source: str, placeholder: str = PLACEHOLDER) -> str:
    """Return the py:percent text of an exercise: solution cells emptied, everything else kept."""
    notebook = jupytext.reads(source, fmt="py:percent")
    for cell in notebook.cells:
        if "solution" in cell.metadata.get("tags", []):
            cell.source = placeholder.rstrip("\n")
            cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "solution"] + ["exercise"]
    return str(jupytext.writes(notebook, fmt="py:percent"))


def expected_pairs() -> dict[Path, str]:
    """Map every generated file (exercise sources and all .ipynb) to its expected text."""
    files: dict[Path, str] = {}
    # Each edition (notebooks/ in English, notebooks/fr/ in French) has its exercises/solutions/.
    for solutions in sorted(ROOT.rglob("exercises/solutions")):
        for solution in sorted(solutions.glob("*.py")):
            edition = solutions.parent.parent.name
            placeholder = PLACEHOLDERS.get(edition, PLACEHOLDER)
            files[solutions.parent / solution.name] = exercise_from_solution(solution.read_text(), placeholder)
    sources = {p: p.read_text() for p in _sources()}
    sources.update({p: t for p, t in files.items()})
    for path, text in sources.items():
        notebook = _clean(jupytext.reads(text, fmt="py:percent"))
        files[path.with_suffix(".ipynb")] = nbformat.writes(notebook) + "\n"
    return files


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    stale = []
    for path, text in expected_pairs().items():
        if not path.exists() or path.read_text() != text:
            stale.append(path)
            if command == "sync":
                path.write_text(text)
    if command == "sync":
        for path in stale:
            print(f"wrote {path.relative_to(ROOT.parent)}")
        return 0
    for path in stale:
        print(f"out of date: {path.relative_to(ROOT.parent)} (run: python tools/notebooks.py sync)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
