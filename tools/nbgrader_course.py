"""Build an nbgrader course from the classroom exercises.

    python tools/nbgrader_course.py build                  # writes build/nbgrader/
    python tools/nbgrader_course.py build --dest DIR       # anywhere else, e.g. your own course directory
    python tools/nbgrader_course.py build --points 2       # points per exercise (default 1)
    python tools/nbgrader_course.py build --language fr    # the French exercises (notebooks/fr/), in build/nbgrader-fr/

The course holds ``nbgrader_config.py`` and ``source/<assignment>/<assignment>.ipynb``: one assignment per
exercise, so a teacher releases, collects and grades each one after its lesson. Every notebook is made from
the exercise's solution source in ``notebooks/exercises/solutions/`` (the single source of truth for the
text learners read):

- markdown cells and the given set-up code become read-only cells;
- a code cell made only of comments (the scratch cell) stays free;
- the cell tagged ``solution`` becomes an autograded-answer cell, its code between nbgrader's
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers (``nbgrader generate_assignment`` replaces it);
- the ``httplab.check("<name>")`` cell becomes a locked autograder-test cell worth ``--points``: it runs
  the same state-based checker and fails with the checker's feedback.

There are no hidden tests: the checker is the test.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "exercises" / "solutions"
#: Each edition's solutions: English (notebooks/) and French (notebooks/fr/); same exercises, same checkers.
EDITIONS = {"en": SOLUTIONS, "fr": ROOT / "notebooks" / "fr" / "exercises" / "solutions"}
DEFAULT_DEST = ROOT / "build" / "nbgrader"
COURSE_ID = "httplab"
CHECK_CALL = re.compile(r"""\A\s*httplab\.check\(\s*["']([A-Za-z0-9_-]+)["']\s*\)\s*\Z""")
CONFIG_MARK = "# Written by httplab's tools/nbgrader_course.py"

CONFIG = f'''{CONFIG_MARK}: the httplab exercises as an nbgrader course.
# Use this folder as your course directory, or copy source/* into your own course directory and keep your own
# nbgrader_config.py: nothing below is needed there.
import os

c = get_config()  # noqa: F821 -- nbgrader defines get_config() while it reads this file

# This folder, wherever it was copied to.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# Change it to your course's id if you release through nbgrader's exchange.
c.CourseDirectory.course_id = "{COURSE_ID}"
# nbgrader's other defaults suit the checkers: a test cell takes well under a second. A learner's loop that keeps
# sending requests is stopped by the checker; any other endless loop by nbgrader's 30 s per cell (Execute.timeout).
'''

TEST_CELL = """import httplab

# The checker runs your function on fresh labs of its own and inspects the state they are left in.
result = httplab.check("{exercise}")
assert result.passed, "\\n".join(result.feedback)
print(result)"""

#: The test cell in each edition's language (the notebook's first cell has set the kit's language already).
TEST_CELLS = {
    "en": TEST_CELL,
    "fr": TEST_CELL.replace(
        "# The checker runs your function on fresh labs of its own and inspects the state they are left in.",
        "# Le vérificateur exécute votre fonction sur des labos neufs qui sont les siens, et examine l'état où elle "
        "les laisse.",
    ),
}


class CourseError(Exception):
    """A solution notebook that cannot be turned into an nbgrader notebook, with what to fix."""


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment: one exercise, one notebook of the same name."""

    name: str
    exercise: str
    notebook: nbformat.NotebookNode


def _nbgrader(
    grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: int = 0
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _only_comments(source: str) -> bool:
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return all(line.startswith("#") for line in lines)


def nbgrader_notebook(source: str, name: str, points: int = 1, language: str = "en") -> Assignment:
    """Turn one solution's py:percent text into an nbgrader source notebook.

    Parameters
    ----------
    source
        The py:percent text of ``notebooks/exercises/solutions/<name>.py``.
    name
        The assignment's name (the file's stem, e.g. ``"01-create-three"``), used in error messages.
    points
        What the autograder-test cell is worth.
    language
        The edition (``"en"`` or ``"fr"``): the test cell's comment is in its language.
    """
    if points < 1:
        raise CourseError(f"--points must be a whole number of at least 1, not {points}.")
    text = jupytext.reads(source, fmt="py:percent")
    if not any("solution" in cell.metadata.get("tags", []) for cell in text.cells):
        raise CourseError(f"{name}: no cell is tagged 'solution'; tag the cell that holds the answer.")
    cells: list[nbformat.NotebookNode] = []
    exercise = None
    answered = False
    for index, cell in enumerate(text.cells, start=1):
        code = cell.source.strip("\n")
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(code, metadata=_nbgrader(f"text-{index}", locked=True))
        elif "solution" in tags:
            if answered:
                raise CourseError(f"{name}: more than one cell is tagged 'solution'; nbgrader needs exactly one.")
            answered = True
            wrapped = f"### BEGIN SOLUTION\n{code}\n### END SOLUTION"
            new = nbformat.v4.new_code_cell(wrapped, metadata=_nbgrader("answer", solution=True))
        elif (match := CHECK_CALL.match(code)) is not None:
            if exercise is not None or not answered:
                raise CourseError(
                    f"{name}: the httplab.check(...) cell must come once, after the cell tagged 'solution'."
                )
            exercise = match[1]
            new = nbformat.v4.new_code_cell(
                TEST_CELLS[language].format(exercise=exercise),
                metadata=_nbgrader(f"check-{exercise}", grade=True, locked=True, points=points),
            )
        elif _only_comments(code):
            new = nbformat.v4.new_code_cell(code)  # the scratch cell: the learner's to use
        else:
            new = nbformat.v4.new_code_cell(code, metadata=_nbgrader(f"setup-{index}", locked=True))
        new["id"] = f"{name}-{index}"  # stable ids: building twice writes the same bytes
        cells.append(new)
    if exercise is None:
        raise CourseError(f'{name}: no cell calls httplab.check("<exercise>"); the checker cell is the test.')
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return Assignment(name, exercise, notebook)


def assignments(points: int = 1, language: str = "en") -> list[Assignment]:
    """Return one assignment per solution source of the *language* edition, in the exercises' order."""
    solutions = EDITIONS[language]
    sources = sorted(solutions.glob("[0-9][0-9]-*.py"))
    if not sources:
        raise CourseError(f"No exercise solutions (NN-name.py) in {solutions}.")
    return [nbgrader_notebook(path.read_text(encoding="utf-8"), path.stem, points, language) for path in sources]


def write_course(dest: Path, points: int = 1, language: str = "en") -> list[Path]:
    """Write ``nbgrader_config.py`` and ``source/<assignment>/<assignment>.ipynb`` under *dest*.

    A ``nbgrader_config.py`` that this script did not write is left as it is: it is the teacher's.
    Returns the files written.
    """
    built = assignments(points, language)
    written: list[Path] = []
    config = dest / "nbgrader_config.py"
    dest.mkdir(parents=True, exist_ok=True)
    if not config.exists() or config.read_text(encoding="utf-8").startswith(CONFIG_MARK):
        config.write_text(CONFIG, encoding="utf-8")
        written.append(config)
    for assignment in built:
        path = dest / "source" / assignment.name / f"{assignment.name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nbformat.writes(assignment.notebook) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build an nbgrader course from the httplab exercises.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write nbgrader_config.py and source/<assignment>/ notebooks")
    build.add_argument("--dest", type=Path, help="course directory (default: build/nbgrader, or build/nbgrader-fr)")
    build.add_argument("--points", type=int, default=1, help="points per exercise (default: 1)")
    build.add_argument(
        "--language", choices=sorted(EDITIONS), default="en", help="the exercises' edition (default: en)"
    )
    args = parser.parse_args(argv)
    if args.dest is None:
        args.dest = DEFAULT_DEST if args.language == "en" else DEFAULT_DEST.with_name(f"nbgrader-{args.language}")
    try:
        written = write_course(args.dest, args.points, args.language)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    config = args.dest / "nbgrader_config.py"
    if config not in written:
        print(f"kept your {config}: it was not written by this script")
    notebooks = [p for p in written if p.suffix == ".ipynb"]
    print(f"wrote {len(notebooks)} assignments under {args.dest / 'source'}")
    print(f"next, with this environment activated: cd {args.dest} && nbgrader generate_assignment '*'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
