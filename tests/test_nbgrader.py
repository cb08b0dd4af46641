"""The exercises as an nbgrader course: the build marks the right cells, and nbgrader's own commands grade them.

The slow tests run nbgrader as a teacher would (``generate_assignment``, ``autograde``, ``generate_feedback``,
each a subprocess with this environment's nbgrader, in a temporary course directory) and read the scores from
nbgrader's gradebook. Students: alice hands in the solutions, bob the blank release, carol a wrong answer to
exercise 1 and, for exercise 2, a blank answer with the locked test cell rewritten to pass.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest

import httplab

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbgrader_course  # noqa: E402

SOLUTIONS = sorted((ROOT / "notebooks" / "exercises" / "solutions").glob("[0-9][0-9]-*.py"))
NAMES = [path.stem for path in SOLUTIONS]
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

# Carol's answer to exercise 1: POST creates a new item on every run, which the checker must catch.
WRONG_MAKE_THREE = """def make_three(lab):
    for name in ("a", "b", "c"):
        lab.send("POST", "/lab/items", json={"name": name})"""


def _cells(notebook: Any, **wanted: bool) -> list[Any]:
    return [
        cell
        for cell in notebook["cells"]
        if "nbgrader" in cell["metadata"]
        and all(cell["metadata"]["nbgrader"].get(key) == value for key, value in wanted.items())
    ]


def _answer(notebook: Any) -> Any:
    (cell,) = _cells(notebook, solution=True, grade=False)
    return cell


def _test_cell(notebook: Any) -> Any:
    (cell,) = _cells(notebook, grade=True)
    return cell


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def _solution_check_name(solution: Path) -> str:
    cells = jupytext.reads(solution.read_text(encoding="utf-8"), fmt="py:percent").cells
    (name,) = [m[1] for c in cells if (m := nbgrader_course.CHECK_CALL.match(c.source.strip("\n")))]
    return name


# ------------------------------------------------------------------------------------------------ the build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = tmp_path_factory.mktemp("built")
    assert nbgrader_course.main(["build", "--dest", str(course), "--points", "2"]) == 0
    return course


def test_build_writes_a_config_and_one_assignment_per_exercise(built):
    assert (built / "nbgrader_config.py").read_text(encoding="utf-8").startswith(nbgrader_course.CONFIG_MARK)
    found = sorted(p.relative_to(built / "source").as_posix() for p in (built / "source").rglob("*.ipynb"))
    assert found == [f"{name}/{name}.ipynb" for name in NAMES]
    assert len(found) == 11


@pytest.mark.parametrize("solution", SOLUTIONS, ids=NAMES)
def test_build_turns_the_solution_cell_into_an_answer_and_the_check_into_a_graded_test(built, solution):
    notebook = _read(built / "source" / solution.stem / f"{solution.stem}.ipynb")
    nbformat.validate(nbformat.from_dict(notebook))
    answer = "".join(_answer(notebook)["source"])
    assert answer.startswith("### BEGIN SOLUTION\n") and answer.endswith("\n### END SOLUTION")
    source_cells = jupytext.reads(solution.read_text(encoding="utf-8"), fmt="py:percent").cells
    (solved,) = [c.source.strip("\n") for c in source_cells if "solution" in c.metadata.get("tags", [])]
    assert solved in answer

    test = _test_cell(notebook)
    meta = test["metadata"]["nbgrader"]
    exercise = _solution_check_name(solution)
    assert meta["points"] == 2 and meta["locked"] and not meta["solution"]
    assert meta["grade_id"] == f"check-{exercise}"
    assert f'httplab.check("{exercise}")' in "".join(test["source"])
    assert "assert result.passed" in "".join(test["source"])
    # The test comes after the answer: nbgrader runs the cells in order.
    assert notebook["cells"].index(test) > notebook["cells"].index(_answer(notebook))


@pytest.mark.parametrize("solution", SOLUTIONS, ids=NAMES)
def test_build_locks_the_learners_text_which_comes_from_the_solution(built, solution):
    notebook = _read(built / "source" / solution.stem / f"{solution.stem}.ipynb")
    markdown = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
    assert markdown and all(c["metadata"]["nbgrader"]["locked"] for c in markdown)
    source_cells = jupytext.reads(solution.read_text(encoding="utf-8"), fmt="py:percent").cells
    expected = [c.source.strip("\n") for c in source_cells if c.cell_type == "markdown"]
    assert ["".join(c["source"]) for c in markdown] == expected
    # The scratch cell (comments only) is the learner's; no cell says jupytext should pair it with a .py.
    free = [c for c in notebook["cells"] if c["cell_type"] == "code" and "nbgrader" not in c["metadata"]]
    assert [("".join(c["source"])).startswith("# Scratch cell") for c in free] == [True]
    assert "jupytext" not in notebook["metadata"]
    grade_ids = [c["metadata"]["nbgrader"]["grade_id"] for c in notebook["cells"] if "nbgrader" in c["metadata"]]
    assert len(grade_ids) == len(set(grade_ids))


def test_build_writes_the_same_bytes_twice(built, tmp_path):
    nbgrader_course.write_course(tmp_path, points=2)
    for path in (built / "source").rglob("*.ipynb"):
        assert (tmp_path / path.relative_to(built)).read_bytes() == path.read_bytes(), path.name


def test_build_keeps_a_teachers_own_config(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'mine'\n")
    assert nbgrader_course.main(["build", "--dest", str(tmp_path)]) == 0
    assert "course_id = 'mine'" in (tmp_path / "nbgrader_config.py").read_text()
    assert "kept your" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("# %% [markdown]\n# Hello\n\n# %%\nhttplab.check('create-three')\n", "no cell is tagged 'solution'"),
        ('# %% tags=["solution"]\ndef f(lab):\n    pass\n', 'no cell calls httplab.check("<exercise>")'),
        (
            '# %%\nhttplab.check("create-three")\n\n# %% tags=["solution"]\ndef f(lab):\n    pass\n',
            "after the cell tagged 'solution'",
        ),
    ],
    ids=["no-solution-tag", "no-check", "check-before-solution"],
)
def test_build_says_what_is_wrong_with_a_solution_notebook(source, complaint):
    with pytest.raises(nbgrader_course.CourseError, match="99-broken") as raised:
        nbgrader_course.nbgrader_notebook(source, "99-broken")
    assert complaint in str(raised.value)


def test_build_refuses_zero_points(tmp_path, capsys):
    assert nbgrader_course.main(["build", "--dest", str(tmp_path), "--points", "0"]) == 2
    assert "--points must be a whole number of at least 1" in capsys.readouterr().err


# ------------------------------------------------------------------------------------- nbgrader's own commands


def _nbgrader(course: Path, *args: str) -> str:
    # nbgrader runs `alembic` from PATH when it creates gradebook.db: put this environment's bin/ first.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True, timeout=600
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "[ERROR]" not in log and "| ERROR]" not in log, f"nbgrader {args}:\n{log}"
    return log


def _submit(course: Path, student: str, assignment: str, notebook: Any) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run a course through nbgrader once: release, three students' submissions, autograde, feedback."""
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("nbgrader is not installed: it is in the test extra (pip install -e '.[test]')")
    if not (BIN / "nbgrader").exists():
        pytest.fail(f"nbgrader is importable but its command is not beside {sys.executable}")
    course = tmp_path_factory.mktemp("course")
    started = time.perf_counter()
    nbgrader_course.write_course(course)
    _nbgrader(course, "generate_assignment", "*")

    for name in NAMES:
        _submit(course, "alice", name, _read(course / "source" / name / f"{name}.ipynb"))
        _submit(course, "bob", name, _read(course / "release" / name / f"{name}.ipynb"))
    wrong = _read(course / "release" / NAMES[0] / f"{NAMES[0]}.ipynb")
    _answer(wrong)["source"] = WRONG_MAKE_THREE
    _submit(course, "carol", NAMES[0], wrong)
    tampered = _read(course / "release" / NAMES[1] / f"{NAMES[1]}.ipynb")
    _test_cell(tampered)["source"] = 'print("all tests pass")'
    _submit(course, "carol", NAMES[1], tampered)

    _nbgrader(course, "autograde", "*")
    _nbgrader(course, "generate_feedback", NAMES[0], "--student", "carol")
    seconds = time.perf_counter() - started

    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=nbgrader_course.COURSE_ID) as gradebook:
        for student in ("alice", "bob", "carol"):
            for submission in gradebook.student_submissions(student):
                scores[student, submission.assignment.name] = (submission.score, submission.max_score)
    print(f"nbgrader: generate, autograde {len(scores)} submissions and one feedback in {seconds:.0f} s")
    return {"course": course, "scores": scores}


def _autograded(graded: dict[str, Any], student: str, name: str) -> Any:
    return _read(graded["course"] / "autograded" / student / name / f"{name}.ipynb")


def _error(cell: Any) -> Any:
    (error,) = [o for o in cell["outputs"] if o["output_type"] == "error"]
    return error


@pytest.mark.slow
@pytest.mark.notebooks
def test_nbgrader_release_replaces_every_solution(graded):
    for name in NAMES:
        source = _answer(_read(graded["course"] / "source" / name / f"{name}.ipynb"))
        released = _read(graded["course"] / "release" / name / f"{name}.ipynb")
        answer = "".join(_answer(released)["source"])
        assert "raise NotImplementedError()" in answer
        solution_lines = [line for line in "".join(source["source"]).splitlines()[1:-1] if line.strip()]
        assert not any(line in answer for line in solution_lines), name
        assert "BEGIN SOLUTION" not in json.dumps(released)


@pytest.mark.slow
@pytest.mark.notebooks
def test_nbgrader_autograde_gives_the_solutions_full_marks(graded):
    alice = {name: graded["scores"]["alice", name] for name in NAMES}
    assert alice == {name: (1.0, 1.0) for name in NAMES}
    outputs = "".join(o.get("text", "") for o in _test_cell(_autograded(graded, "alice", NAMES[0]))["outputs"])
    assert "the checker accepts your solution" in outputs


@pytest.mark.slow
@pytest.mark.notebooks
def test_nbgrader_autograde_gives_blank_notebooks_zero_and_the_checkers_feedback(graded):
    for solution, name in zip(SOLUTIONS, NAMES, strict=True):
        assert graded["scores"]["bob", name] == (0.0, 1.0), name
        error = _error(_test_cell(_autograded(graded, "bob", name)))
        # The checker's own words for an answer cell that defines nothing.
        expected = httplab.check(_solution_check_name(solution), {}).feedback
        assert error["ename"] == "AssertionError"
        assert error["evalue"] == "\n".join(expected)


@pytest.mark.slow
@pytest.mark.notebooks
def test_nbgrader_autograde_shows_the_checkers_feedback_on_a_wrong_answer(graded):
    assert graded["scores"]["carol", NAMES[0]] == (0.0, 1.0)
    namespace: dict[str, Any] = {}
    exec(WRONG_MAKE_THREE, namespace)
    expected = httplab.check("create-three", namespace)
    assert not expected.passed and "POST" in expected.feedback[0]
    assert _error(_test_cell(_autograded(graded, "carol", NAMES[0])))["evalue"] == "\n".join(expected.feedback)
    # ...and in the HTML feedback that nbgrader hands back to the student.
    page = graded["course"] / "feedback" / "carol" / NAMES[0] / f"{NAMES[0]}.html"
    assert html.escape(expected.feedback[0], quote=False) in page.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.notebooks
def test_nbgrader_autograde_restores_a_rewritten_test_cell(graded):
    assert graded["scores"]["carol", NAMES[1]] == (0.0, 1.0)
    test = _test_cell(_autograded(graded, "carol", NAMES[1]))
    assert 'httplab.check("change-one-field")' in "".join(test["source"])
    assert _error(test)["ename"] == "AssertionError"


# ------------------------------------------------------------------------------------------ the French course

FRENCH_SOLUTIONS = sorted(nbgrader_course.EDITIONS["fr"].glob("[0-9][0-9]-*.py"))


def test_the_french_course_has_the_same_assignments_from_the_french_solutions(tmp_path):
    assert nbgrader_course.main(["build", "--language", "fr", "--dest", str(tmp_path)]) == 0
    found = sorted(p.parent.name for p in (tmp_path / "source").rglob("*.ipynb"))
    assert found == NAMES == [path.stem for path in FRENCH_SOLUTIONS]
    for solution in FRENCH_SOLUTIONS:
        notebook = _read(tmp_path / "source" / solution.stem / f"{solution.stem}.ipynb")
        first_code = next("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
        assert 'httplab.set_language("fr")' in first_code, solution.stem
        test = "".join(_test_cell(notebook)["source"])
        assert "Le vérificateur exécute votre fonction" in test and "The checker runs" not in test
        assert f'httplab.check("{_solution_check_name(solution)}")' in test


@pytest.mark.slow
@pytest.mark.notebooks
def test_nbgrader_grades_the_french_course_with_french_feedback(tmp_path):
    """nbgrader's own commands on one French exercise: the solution passes, the blank gets the checker in French."""
    if not (BIN / "nbgrader").exists():
        pytest.fail(f"nbgrader's command is not beside {sys.executable}: it is in the test extra")
    name = NAMES[0]
    nbgrader_course.write_course(tmp_path, language="fr")
    _nbgrader(tmp_path, "generate_assignment", name)
    _submit(tmp_path, "alice", name, _read(tmp_path / "source" / name / f"{name}.ipynb"))
    _submit(tmp_path, "bob", name, _read(tmp_path / "release" / name / f"{name}.ipynb"))
    _nbgrader(tmp_path, "autograde", name)

    def autograded(student: str) -> Any:
        return _read(tmp_path / "autograded" / student / name / f"{name}.ipynb")

    passed = "".join(o.get("text", "") for o in _test_cell(autograded("alice"))["outputs"])
    assert "le vérificateur accepte votre solution" in passed
    error = _error(_test_cell(autograded("bob")))
    assert error["ename"] == "AssertionError" and "Définissez une fonction" in error["evalue"]
