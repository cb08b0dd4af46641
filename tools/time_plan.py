"""Time the teacher guide's two-hour plan by executing it, step by step, as written.

    python tools/time_plan.py           # run every step of the plan and print the machine time of each
    python tools/time_plan.py --list    # print the plan as read from the guide, and run nothing

The plan is the table under the "two-hour class" heading of docs/teacher-guide.md. Each row names a
notebook and the sections of it the class works through: ``all``, ``all but "Self-check"`` or
``only "4. Safe methods"`` (section titles exactly as the lesson's ``## `` headings say them). This tool runs
the cells before the first section (the set-up) plus the cells of those sections, in a fresh kernel per
step, as tests/test_notebooks.py does, and prints how long the machine took. The class minutes in the table
are for people (reading, predicting, discussing); the machine time shows whether anything in the plan is slow.

For an exercise step the tool runs the worked solution in ``exercises/solutions/`` when there is one, so the
checker runs to the end, as it does once a learner's function is right.
"""

from __future__ import annotations

import argparse
import copy
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "teacher-guide.md"
NOTEBOOKS = ROOT / "notebooks"
CLASS_MINUTES = 120
#: A cell slower than this many seconds is pointed out: a class waits for it.
SLOW_CELL_SECONDS = 10.0

_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")
_QUOTED = re.compile(r'"([^"]+)"')


class PlanError(Exception):
    """The plan cannot be read or does not match the notebooks; the message says what to change."""


@dataclass(frozen=True)
class Step:
    """One row of the plan: which notebook, which of its sections, and how many class minutes."""

    label: str
    minutes: int
    notebook: str
    mode: str  # "all", "all-but" or "only"
    sections: tuple[str, ...] = ()
    activity: str = ""

    @property
    def path(self) -> Path:
        """The .ipynb the class opens."""
        return NOTEBOOKS / f"{self.notebook}.ipynb"

    @property
    def timed_path(self) -> Path:
        """The .ipynb this tool runs: an exercise's worked solution when there is one."""
        parts = Path(self.notebook).parts
        if parts[0] == "exercises" and len(parts) == 2:
            solution = NOTEBOOKS / "exercises" / "solutions" / f"{parts[1]}.ipynb"
            if solution.exists():
                return solution
        return self.path

    @property
    def sections_text(self) -> str:
        """The sections cell as a reader sees it."""
        quoted = ", ".join(f'"{s}"' for s in self.sections)
        return {"all": "all", "all-but": f"all but {quoted}", "only": f"only {quoted}"}[self.mode]


@dataclass(frozen=True)
class Plan:
    """The whole plan: its steps and the total the table states."""

    steps: tuple[Step, ...]
    stated_total: int | None

    @property
    def minutes(self) -> int:
        """The sum of every step's class minutes."""
        return sum(step.minutes for step in self.steps)


# ---------------------------------------------------------------------------------------- reading the plan


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _plain(cell: str) -> str:
    return cell.replace("**", "").replace("*", "").strip()


def plan_table(markdown: str) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the first table under a heading that mentions "two-hour".

    Raises
    ------
    PlanError
        No such heading, or no table under it.

    """
    lines = markdown.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if _HEADING.match(line) and "two-hour" in line.lower()), None
    )
    if start is None:
        raise PlanError('The guide has no heading with "two-hour" in it; the plan belongs under such a heading.')
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    table: list[str] = []
    for line in lines[start + 1:]:
        heading = _HEADING.match(line)
        if heading and len(line) - len(line.lstrip("#")) <= level:
            break
        if line.lstrip().startswith("|"):
            table.append(line)
        elif table:
            break
    if len(table) < 3:
        raise PlanError("Under the two-hour heading there is no table with a header, a separator and rows.")
    return _cells(table[0]), [_cells(line) for line in table[2:]]


def _column(header: list[str], name: str) -> int:
    for index, title in enumerate(header):
        if _plain(title).lower() == name:
            return index
    raise PlanError(f'The plan\'s table needs a "{name.capitalize()}" column; its columns are: {", ".join(header)}.')


def _sections(cell: str, label: str) -> tuple[str, tuple[str, ...]]:
    text = cell.strip()
    quoted = tuple(_QUOTED.findall(text))
    lowered = text.lower()
    if lowered == "all":
        return "all", ()
    if lowered.startswith("all but") and quoted:
        return "all-but", quoted
    if lowered.startswith("only") and quoted:
        return "only", quoted
    raise PlanError(
        f'Step {label}: the Sections cell says {text!r}. Write "all", "all but" or "only" followed by section '
        'titles in double quotes, e.g. only "4. Safe methods".'
    )


def read_plan(markdown: str) -> Plan:
    """Read the two-hour plan from the guide's markdown.

    Raises
    ------
    PlanError
        The table is missing, a column is missing, or a row cannot be read.

    """
    header, rows = plan_table(markdown)
    step_col, minutes_col = _column(header, "step"), _column(header, "minutes")
    notebook_col, sections_col = _column(header, "notebook"), _column(header, "sections")
    activity_col = next((i for i, t in enumerate(header) if _plain(t).lower() == "in class"), None)
    steps: list[Step] = []
    stated_total: int | None = None
    for row in rows:
        if len(row) != len(header):
            raise PlanError(f"A row of the plan has {len(row)} cells, the header {len(header)}: {' | '.join(row)}")
        label = _plain(row[step_col])
        minutes_text = _plain(row[minutes_col])
        if not minutes_text.isdigit():
            raise PlanError(f"Step {label}: minutes must be a whole number, not {minutes_text!r}.")
        if label.lower() == "total":
            stated_total = int(minutes_text)
            continue
        name = re.search(r"`([^`]+)`", row[notebook_col])
        if name is None:
            raise PlanError(f"Step {label}: name the notebook in backticks, e.g. `02-post`.")
        mode, sections = _sections(row[sections_col], label)
        activity = row[activity_col] if activity_col is not None else ""
        steps.append(Step(label, int(minutes_text), name.group(1), mode, sections, activity))
    if not steps:
        raise PlanError("The plan's table has no steps.")
    return Plan(tuple(steps), stated_total)


# ------------------------------------------------------------------------------------ choosing the cells


def _source(cell: dict) -> str:  # type: ignore[type-arg]
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else str(source)


def section_of_cells(notebook: dict) -> list[str | None]:  # type: ignore[type-arg]
    """Name the ``## `` section each cell belongs to (None for the set-up before the first section).

    A markdown cell that opens with a ``## `` heading starts that section; a heading further down a
    cell starts its section from the next cell on.
    """
    current: str | None = None
    owners: list[str | None] = []
    for cell in notebook["cells"]:
        lines = _source(cell).splitlines() if cell["cell_type"] == "markdown" else []
        if lines and lines[0].startswith("## "):
            current = lines[0][3:].strip()
        owners.append(current)
        for line in lines[1:]:
            if line.startswith("## "):
                current = line[3:].strip()
    return owners


def section_titles(notebook: dict) -> list[str]:  # type: ignore[type-arg]
    """Every ``## `` section title of a notebook, in order."""
    seen: list[str] = []
    for owner in section_of_cells(notebook):
        if owner is not None and owner not in seen:
            seen.append(owner)
    return seen


def select_cells(notebook: dict, step: Step) -> list[int]:  # type: ignore[type-arg]
    """Return the indexes of the cells the step uses: the set-up, then the chosen sections.

    Raises
    ------
    PlanError
        The step names a section the notebook does not have.

    """
    titles = section_titles(notebook)
    missing = [s for s in step.sections if s not in titles]
    if missing:
        listed = "; ".join(f'"{t}"' for t in titles)
        raise PlanError(
            f'Step {step.label} names section "{missing[0]}" of {step.notebook}, which has no such heading. '
            f"Its sections are: {listed}. Update the plan in docs/teacher-guide.md."
        )
    chosen = []
    for index, owner in enumerate(section_of_cells(notebook)):
        if owner is None or step.mode == "all":
            chosen.append(index)
        elif (step.mode == "only") == (owner in step.sections):
            chosen.append(index)
    return chosen


# ------------------------------------------------------------------------------------------------ timing


@dataclass(frozen=True)
class StepTiming:
    """What running one step took."""

    step: Step
    ran: Path
    cells: int
    seconds: float
    cell_seconds: tuple[tuple[float, str], ...] = field(repr=False)
    error: str | None = None
    stderr: tuple[str, ...] = ()

    @property
    def slowest(self) -> tuple[float, str]:
        """The slowest code cell: its seconds and its first line."""
        return max(self.cell_seconds, default=(0.0, ""))


def _seconds(cell: dict) -> float | None:  # type: ignore[type-arg]
    execution = cell.get("metadata", {}).get("execution", {})
    start, end = execution.get("iopub.status.busy"), execution.get("iopub.status.idle")
    if not (start and end):
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def run_step(step: Step, timeout: int = 180) -> StepTiming:
    """Execute the step's cells in a fresh kernel and measure the time they take."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = step.timed_path
    if not path.exists():
        raise PlanError(f"Step {step.label}: {path.relative_to(ROOT)} does not exist. Check the notebook's name.")
    notebook = nbformat.read(path, as_version=4)
    keep = select_cells(notebook, step)
    subset = copy.deepcopy(notebook)
    subset.cells = [notebook.cells[i] for i in keep]
    client = NotebookClient(
        subset, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    error = None
    started = time.perf_counter()
    try:
        # The kernel's own start-up chatter (e.g. a warning about TCP transport) is not the notebook's output.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as failure:
        lines = [line for line in str(failure).strip().splitlines() if line.strip()]
        error = lines[-1] if lines else type(failure).__name__
    seconds = time.perf_counter() - started
    cell_seconds = []
    stderr = []
    for cell in subset.cells:
        if cell.cell_type != "code":
            continue
        took = _seconds(cell)
        if took is not None:
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            cell_seconds.append((took, first))
        stderr += [o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr"]
    code_cells = sum(1 for cell in subset.cells if cell.cell_type == "code")
    return StepTiming(step, path, code_cells, seconds, tuple(cell_seconds), error, tuple(stderr))


# ------------------------------------------------------------------------------------------------- output


def _describe(plan: Plan) -> list[str]:
    lines = [f"{'step':<5} {'min':>3}  {'notebook':<34} sections"]
    for step in plan.steps:
        lines.append(f"{step.label:<5} {step.minutes:>3}  {step.notebook:<34} {step.sections_text}")
    lines.append(f"{'':<5} {plan.minutes:>3}  class minutes in all (at most {CLASS_MINUTES})")
    return lines


def check_minutes(plan: Plan) -> list[str]:
    """Say what is wrong with the plan's minutes, if anything."""
    problems = []
    if plan.minutes > CLASS_MINUTES:
        problems.append(f"The steps add up to {plan.minutes} minutes, more than {CLASS_MINUTES}: shorten a step.")
    if plan.stated_total is not None and plan.stated_total != plan.minutes:
        problems.append(
            f"The table's total says {plan.stated_total} minutes, but the steps add up to {plan.minutes}."
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the teacher guide's two-hour plan by executing it.")
    parser.add_argument("--guide", type=Path, default=GUIDE, help="the guide to read the plan from")
    parser.add_argument("--list", action="store_true", help="print the plan as read, run nothing")
    args = parser.parse_args(argv)
    try:
        plan = read_plan(args.guide.read_text(encoding="utf-8"))
    except (OSError, PlanError) as problem:
        print(f"Cannot read the plan: {problem}", file=sys.stderr)
        return 2
    print(f"The two-hour plan in {args.guide.name}: {len(plan.steps)} steps.")
    print("\n".join(_describe(plan)))
    problems = check_minutes(plan)
    if args.list:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    print()
    print(f"{'step':<5} {'cells':>5} {'machine s':>9}  slowest cell")
    failed = False
    total = 0.0
    for step in plan.steps:
        try:
            timing = run_step(step)
        except PlanError as problem:
            print(f"{step.label:<5} cannot run: {problem}")
            failed = True
            continue
        total += timing.seconds
        took, first = timing.slowest
        ran = "" if timing.ran == step.path else f"   (ran {timing.ran.relative_to(NOTEBOOKS)})"
        print(f"{step.label:<5} {timing.cells:>5} {timing.seconds:>9.1f}  {took:4.1f} s  {first[:60]}{ran}")
        if took > SLOW_CELL_SECONDS:
            print(f"      ↑ that cell takes more than {SLOW_CELL_SECONDS:.0f} s: a class waits for it.")
        if timing.error:
            print(f"      ✘ failed: {timing.error}")
            failed = True
        for text in timing.stderr:
            print(f"      ! printed to stderr: {text.strip()[:100]}")
    print(f"{'all':<5} {'':>5} {total:>9.1f}  seconds of machine time, kernel start-ups included")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
