"""The lessons: each .ipynb matches its py:percent source, carries no outputs, and runs clean."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebooks as nbtools  # noqa: E402

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT / "notebooks"))


def test_every_notebook_is_in_sync_with_its_source():
    stale = [str(p) for p, text in nbtools.expected_pairs().items() if not p.exists() or p.read_text() != text]
    assert stale == [], "run: python tools/notebooks.py sync"


def test_there_are_lessons():
    assert NOTEBOOKS, "notebooks/ holds no lessons"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        assert not cell.get("outputs"), f"{path.name} has outputs"
        assert cell.get("execution_count") is None


def _execute(path: Path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return notebook


def _stderr(notebook) -> list[str]:
    return [
        output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    ]


def _last_output_text(notebook) -> str:
    outputs = notebook.cells[-1].get("outputs", [])
    parts = []
    for output in outputs:
        data = output.get("data", {})
        parts += [str(data.get("text/plain", "")), str(data.get("text/html", "")), str(output.get("text", ""))]
    return " ".join(parts)


LESSONS = [p for p in NOTEBOOKS if "exercises" not in p.parts]
SOLUTIONS = [p for p in NOTEBOOKS if p.parent.name == "solutions"]
BLANKS = [p for p in NOTEBOOKS if p.parent.name == "exercises"]


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_lesson_runs_without_error_or_noise(path):
    notebook = _execute(path)
    assert _stderr(notebook) == []


#: What the checker says, in each edition's language (notebooks/ is English, notebooks/fr/ French).
CHECKER_WORDS = {
    "en": {"passed": "Passed", "not yet": "Not yet", "define": "Define a function"},
    "fr": {"passed": "Réussi", "not yet": "Pas encore", "define": "Définissez une fonction"},
}


def _edition(path: Path) -> str:
    return "fr" if "fr" in path.relative_to(ROOT / "notebooks").parts else "en"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", SOLUTIONS, ids=_id)
def test_solution_passes_its_own_checker(path):
    notebook = _execute(path)
    assert _stderr(notebook) == []
    assert CHECKER_WORDS[_edition(path)]["passed"] in _last_output_text(notebook)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", BLANKS, ids=_id)
def test_blank_exercise_runs_and_its_checker_gives_feedback(path):
    notebook = _execute(path)
    text = _last_output_text(notebook)
    words = CHECKER_WORDS[_edition(path)]
    assert words["not yet"] in text
    assert words["define"] in text


@pytest.mark.parametrize("edition", ["en", "fr"])
def test_every_exercise_has_a_solution_and_a_blank(edition):
    solutions = [p for p in SOLUTIONS if _edition(p) == edition]
    blanks = [p for p in BLANKS if _edition(p) == edition]
    assert [p.name for p in solutions] == [p.name for p in blanks]
    assert len(solutions) >= 8


def test_the_french_edition_has_every_lesson_and_exercise():
    """notebooks/fr/ mirrors notebooks/: the same lessons and exercises under the same names."""
    english = sorted(p.relative_to(ROOT / "notebooks") for p in NOTEBOOKS if _edition(p) == "en")
    french = sorted(p.relative_to(ROOT / "notebooks" / "fr") for p in NOTEBOOKS if _edition(p) == "fr")
    assert french == english


def test_every_french_notebook_speaks_french_from_its_first_code_cell():
    for path in NOTEBOOKS:
        if _edition(path) == "fr":
            cells = json.loads(path.read_text())["cells"]
            first = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
            assert 'httplab.set_language("fr")' in first, path


@pytest.mark.parametrize("path", SOLUTIONS, ids=_id)
def test_each_exercise_heading_is_the_title_the_kit_shows(path):
    """The notebook's heading and the checker's title say the same thing, in each edition's language."""
    import re

    from httplab.i18n import translate
    from httplab.teaching.exercises import EXERCISES

    source = path.with_suffix(".py").read_text(encoding="utf-8")
    name = re.search(r"""check\(["']([a-z-]+)["']""", source)
    heading = re.search(r"^# # .*? — (.+)$", source, re.MULTILINE)
    assert name and heading, f"{path.name}: no httplab.check(...) call or no '# # Exercise N — title' heading"
    assert heading[1] == translate(EXERCISES[name[1]].title, _edition(path))
