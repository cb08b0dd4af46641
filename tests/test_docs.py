"""The teacher's documents: links that resolve, a two-hour plan that fits and runs, a cheat sheet that agrees."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from pathlib import Path

import pytest
from _english import english_words

from httplab.experiments.verdicts import IDEMPOTENT_METHODS, SAFE_METHODS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cheat_sheet_pdf  # noqa: E402
import time_plan  # noqa: E402

GUIDE = ROOT / "docs" / "teacher-guide.md"
SHEET = ROOT / "docs" / "cheat-sheet.md"
INSTRUCTOR_NOTES = sorted((ROOT / "docs" / "instructors").glob("*.md"))
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*-*.py"))
EXERCISES = sorted((ROOT / "notebooks" / "exercises").glob("[0-9][0-9]-*.py"))
# The French edition: its guide and cheat sheet in docs/fr/, its lessons and exercises in notebooks/fr/.
GUIDE_FR = ROOT / "docs" / "fr" / "guide-enseignant.md"
SHEET_FR = ROOT / "docs" / "fr" / "aide-memoire.md"
LESSONS_FR = sorted((ROOT / "notebooks" / "fr").glob("[0-9][0-9]*-*.py"))
EXERCISES_FR = sorted((ROOT / "notebooks" / "fr" / "exercises").glob("[0-9][0-9]-*.py"))
INSTRUCTOR_NOTES_FR = sorted((ROOT / "docs" / "fr" / "instructeurs").glob("*.md"))
DOCUMENTS = (
    sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "docs" / "fr").glob("*.md")) + INSTRUCTOR_NOTES
    + INSTRUCTOR_NOTES_FR + [ROOT / "README.md"]
)


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ------------------------------------------------------------------------------------------------ links

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_HTML = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def relative_links(markdown: str) -> list[str]:
    """Every link target in *markdown* that is a path in this repository (no URL, no bare #anchor)."""
    text = _CODE_SPAN.sub("", _FENCE.sub("", markdown))
    targets = _INLINE.findall(text) + _REFERENCE.findall(text) + _HTML.findall(text)
    return [t for t in targets if not _SCHEME.match(t) and not t.startswith("#")]


def broken_links(path: Path) -> list[str]:
    """The relative links of the document at *path* whose file does not exist."""
    broken = []
    for target in relative_links(path.read_text(encoding="utf-8")):
        file_part = target.split("#", 1)[0].split("?", 1)[0]
        if not (path.parent / file_part).exists():
            broken.append(target)
    return broken


def test_links_reader_reports_a_missing_file_and_skips_urls_and_code(tmp_path):
    (tmp_path / "here.md").write_text("x")
    doc = tmp_path / "doc.md"
    doc.write_text(
        "[fine](here.md) [fine with anchor](here.md#part) [gone](missing.md) [site](https://example.org/x.md)\n"
        "[anchor](#top) `[in code](nope.md)` ![picture](img/none.png)\n\n[ref]: gone-too.md\n"
        "```\n[in a block](nope-either.md)\n```\n<a href=\"html-gone.md\">x</a>\n"
    )
    assert broken_links(doc) == ["missing.md", "img/none.png", "gone-too.md", "html-gone.md"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_every_relative_link_points_to_an_existing_file(path):
    assert broken_links(path) == [], f"{_id(path)} links to files that do not exist"


def test_the_guide_links_every_lesson_exercise_note_and_the_cheat_sheet():
    guide = GUIDE.read_text(encoding="utf-8")
    linked = {(GUIDE.parent / t.split("#", 1)[0]).resolve() for t in relative_links(guide)}
    wanted = [p.with_suffix(".ipynb") for p in LESSONS] + [p.with_suffix(".ipynb") for p in EXERCISES]
    wanted += INSTRUCTOR_NOTES + [SHEET]
    missing = [_id(p) for p in wanted if p.resolve() not in linked]
    assert missing == [], "the teacher guide should link these"


def test_the_french_guide_links_every_french_lesson_exercise_note_and_the_french_sheet():
    guide = GUIDE_FR.read_text(encoding="utf-8")
    linked = {(GUIDE_FR.parent / t.split("#", 1)[0]).resolve() for t in relative_links(guide)}
    assert LESSONS_FR and EXERCISES_FR and INSTRUCTOR_NOTES_FR
    wanted = [p.with_suffix(".ipynb") for p in LESSONS_FR] + [p.with_suffix(".ipynb") for p in EXERCISES_FR]
    wanted += INSTRUCTOR_NOTES_FR + [SHEET_FR]
    missing = [_id(p) for p in wanted if p.resolve() not in linked]
    assert missing == [], "the French teacher guide should link these"


def test_the_french_edition_mirrors_the_english_lessons_and_exercises():
    english = [p.relative_to(ROOT / "notebooks") for p in LESSONS + EXERCISES]
    french = [p.relative_to(ROOT / "notebooks" / "fr") for p in LESSONS_FR + EXERCISES_FR]
    assert french == english


def test_the_guides_point_to_each_other():
    english = {(GUIDE.parent / t).resolve() for t in relative_links(GUIDE.read_text(encoding="utf-8"))}
    french = {(GUIDE_FR.parent / t).resolve() for t in relative_links(GUIDE_FR.read_text(encoding="utf-8"))}
    assert GUIDE_FR.resolve() in english
    assert GUIDE.resolve() in french


def test_the_french_guide_says_how_to_teach_in_french():
    section = re.search(r"^## Enseigner en français$(.*?)(?=^## )", GUIDE_FR.read_text(encoding="utf-8"),
                        re.MULTILINE | re.DOTALL)
    assert section, "the French guide has no '## Enseigner en français' section"
    text = section.group(1)
    for needed in ("make lab-fr", 'httplab.set_language("fr")', "HTTPLAB_LANG", 'c.Spawner.environment',
                   "jupyterlab-language-pack-fr-FR", "Accept-Language", "### Glossaire"):
        assert needed in text, f"the section should mention {needed}"


def test_every_instructor_note_belongs_to_a_lesson():
    lessons = {p.name[:2] for p in LESSONS}
    strays = [p.name for p in INSTRUCTOR_NOTES if p.name[:2] not in lessons]
    assert strays == [], "instructor notes are named NN-*.md after their lesson"


# The French instructor notes, docs/fr/instructeurs/: one per English note, same name, same facts.


def test_every_french_instructor_note_has_an_english_twin_and_a_french_lesson():
    english = {p.name for p in INSTRUCTOR_NOTES}
    french = {p.name for p in INSTRUCTOR_NOTES_FR}
    assert sorted(french - english) == [], "a French note is named after its English twin in docs/instructors/"
    assert sorted(english - french) == [], "translate these English notes into docs/fr/instructeurs/"
    lessons = {p.stem for p in LESSONS_FR}
    assert sorted(p.name for p in INSTRUCTOR_NOTES_FR if p.stem not in lessons) == [], "named after a French lesson"


@pytest.mark.parametrize("note", INSTRUCTOR_NOTES_FR, ids=_id)
def test_french_note_links_its_french_lesson_and_french_notebooks_only(note):
    targets = [(note.parent / t.split("#", 1)[0]).resolve() for t in relative_links(note.read_text(encoding="utf-8"))]
    assert (ROOT / "notebooks" / "fr" / f"{note.stem}.ipynb").resolve() in targets, "link the French lesson"
    notebooks = [t for t in targets if t.is_relative_to(ROOT / "notebooks")]
    english = [str(t.relative_to(ROOT)) for t in notebooks if not t.is_relative_to(ROOT / "notebooks" / "fr")]
    assert english == [], "a French note sends teachers to the French lessons and exercises"


def note_facts(markdown: str) -> dict[str, list]:
    """What a French note must keep of its English twin.

    The checkable tokens of :func:`_facts` (status codes, RFC sections, everything in backticks), the predictions
    named in bold, the numbers of the timing paragraph (its minutes), and the heading levels in order. Link targets
    are left out (the French ones point elsewhere), and "three 501s" counts as 501.
    """
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"\b([1-5]\d\d)s\b", r"\1", text)
    timing = re.search(r"^\*\*(?:Timing|Durée) ?:\*\*(.*?)(?:\n\n|\Z)", text, re.MULTILINE | re.DOTALL)
    return {
        "facts": _facts(text),
        "predictions": sorted(re.findall(r"\*\*(\d\d[a-z]?-[a-z0-9-]+)\*\*", text)),
        "minutes": sorted(int(n) for n in re.findall(r"\d+", timing.group(1))) if timing else [],
        "headings": [len(marks) for marks in re.findall(r"^(#+) ", text, re.MULTILINE)],
    }


@pytest.mark.parametrize("note", INSTRUCTOR_NOTES_FR, ids=_id)
def test_french_note_keeps_every_fact_timing_and_heading_of_the_english_one(note):
    twin = ROOT / "docs" / "instructors" / note.name
    assert twin.exists()
    french, english = note_facts(note.read_text(encoding="utf-8")), note_facts(twin.read_text(encoding="utf-8"))
    assert english["minutes"], f"{_id(twin)} has no **Timing:** paragraph"
    for what in ("facts", "predictions", "minutes", "headings"):
        assert french[what] == english[what], f"{_id(note)} and {_id(twin)} differ in their {what}"


def test_note_facts_reader_sees_a_changed_minute_code_or_prediction():
    english = "# 05\n\n**Timing:** about 20 minutes. Run 5.\n\n## At\n\n**05-delete-twice**: **204, 404**, 501s\n"
    french = "# 05\n\n**Durée :** environ 20 minutes. Démo 5.\n\n## Au\n\n**05-delete-twice** : **204, 404**, 501\n"
    assert note_facts(french) == note_facts(english)
    assert note_facts(french.replace("5.", "6.")) != note_facts(english)
    assert note_facts(french.replace("404", "410")) != note_facts(english)
    assert note_facts(french.replace("05-delete-twice", "05-delete-once")) != note_facts(english)
    assert note_facts(french.replace("## Au", "### Au")) != note_facts(english)


@pytest.mark.parametrize("note", INSTRUCTOR_NOTES_FR, ids=_id)
def test_french_note_prose_is_french(note):
    text = _CODE_SPAN.sub("", note.read_text(encoding="utf-8"))
    text = re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)  # links: paths and titles
    text = re.sub(r"\b\d\d[a-z]?-[a-z0-9-]+|\b[A-Z]{2,}\b", "", text)  # prediction ids; MUST, SHOULD NOT
    # French words too, and the requests library.
    allowed = frozenset({"client", "change", "second", "correct", "requests", "should", "must"})
    assert english_words(text, allowed) == [], "translate the English left in this note"


# ------------------------------------------------------------------------------------------ the plan

try:
    PLAN = time_plan.read_plan(GUIDE.read_text(encoding="utf-8"))
    PLAN_PROBLEM = ""
except time_plan.PlanError as problem:
    PLAN, PLAN_PROBLEM = time_plan.Plan((), None), str(problem)


def test_the_guide_has_a_two_hour_plan():
    assert PLAN_PROBLEM == ""
    assert PLAN.steps


def test_two_hour_plan_fits_in_two_hours():
    assert 0 < PLAN.minutes <= time_plan.CLASS_MINUTES
    assert all(step.minutes > 0 for step in PLAN.steps)
    assert time_plan.check_minutes(PLAN) == []


def test_two_hour_plan_states_its_total():
    assert PLAN.stated_total == PLAN.minutes


def _plan_markdown(rows: list[str]) -> str:
    return "\n".join(
        ["## A two-hour class", "", "| Step | Minutes | Notebook | Sections | In class |", "|---|---|---|---|---|"]
        + rows
    )


def test_plan_reader_sums_the_minutes_and_catches_an_overrun():
    plan = time_plan.read_plan(_plan_markdown([
        '| 1 | 70 | `02-post` | all | read |',
        '| 2 | 55 | `03-put` | all but "Self-check" | predict |',
        '| **Total** | **120** | | | |',
    ]))
    assert plan.minutes == 125
    assert [s.mode for s in plan.steps] == ["all", "all-but"]
    problems = time_plan.check_minutes(plan)
    assert any("125 minutes, more than 120" in p for p in problems)
    assert any("total says 120" in p for p in problems)


def test_plan_reader_says_what_is_wrong_with_a_row():
    with pytest.raises(time_plan.PlanError, match="whole number"):
        time_plan.read_plan(_plan_markdown(["| 1 | ten | `02-post` | all | read |"]))
    with pytest.raises(time_plan.PlanError, match='"all", "all but" or "only"'):
        time_plan.read_plan(_plan_markdown(["| 1 | 10 | `02-post` | some of it | read |"]))
    with pytest.raises(time_plan.PlanError, match="no heading"):
        time_plan.read_plan("# A guide\n\nNo plan here.\n")


_MADE_UP = {
    "cells": [
        {"cell_type": "markdown", "source": "# Title"},
        {"cell_type": "code", "source": "setup = 1"},
        {"cell_type": "markdown", "source": "## 1. First"},
        {"cell_type": "code", "source": "first = 1"},
        {"cell_type": "markdown", "source": "### A subsection\ntext"},
        {"cell_type": "code", "source": "still_first = 1"},
        {"cell_type": "markdown", "source": "## Self-check"},
        {"cell_type": "code", "source": "quiz = 1"},
    ]
}


def test_plan_cells_are_the_set_up_plus_the_chosen_sections():
    only = time_plan.Step("1", 5, "x", "only", ("1. First",))
    all_but = time_plan.Step("2", 5, "x", "all-but", ("1. First",))
    assert time_plan.select_cells(_MADE_UP, only) == [0, 1, 2, 3, 4, 5]
    assert time_plan.select_cells(_MADE_UP, all_but) == [0, 1, 6, 7]
    with pytest.raises(time_plan.PlanError, match='no such heading. Its sections are: "1. First"; "Self-check"'):
        time_plan.select_cells(_MADE_UP, time_plan.Step("3", 5, "x", "only", ("2. Second",)))


# The French plan has the English table's shape in French words: "Étape" and "En classe" for the columns,
# "tout", "tout sauf" and "seulement" for the sections, which are the French lessons' own headings.
_FRENCH_PLAN_WORDS = {"Étape": "Step", "En classe": "In class", "tout": "all"}


def read_french_plan(markdown: str) -> time_plan.Plan:
    """Read the French guide's plan with time_plan's reader; each step names a notebook of notebooks/fr/."""
    lines = []
    for line in markdown.splitlines():
        if line.startswith("#") and "deux heures" in line:
            line = "## A two-hour class"
        elif line.lstrip().startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            cells = [_FRENCH_PLAN_WORDS.get(cell, cell) for cell in cells]
            cells = [re.sub(r'^tout sauf (?=")', "all but ", re.sub(r'^seulement (?=")', "only ", c)) for c in cells]
            line = "| " + " | ".join(cells) + " |"
        lines.append(line)
    plan = time_plan.read_plan("\n".join(lines))
    steps = tuple(dataclasses.replace(step, notebook=f"fr/{step.notebook}") for step in plan.steps)
    return time_plan.Plan(steps, plan.stated_total)


PLAN_FR = read_french_plan(GUIDE_FR.read_text(encoding="utf-8"))


def test_french_plan_reader_reads_french_words():
    plan = read_french_plan("\n".join([
        "## Un cours de deux heures",
        "",
        "| Étape | Minutes | Notebook | Sections | En classe |",
        "|---|---|---|---|---|",
        '| 1 | 10 | `02-post` | tout sauf "5. Explorez", "Autoévaluation" | prédire |',
        '| 2 | 5 | `exercises/01-create-three` | tout | par deux |',
        '| 3 | 5 | `03-put` | seulement "Autoévaluation" | seul |',
        "| **Total** | **20** | | | |",
    ]))
    assert [(s.notebook, s.mode, s.sections) for s in plan.steps] == [
        ("fr/02-post", "all-but", ("5. Explorez", "Autoévaluation")),
        ("fr/exercises/01-create-three", "all", ()),
        ("fr/03-put", "only", ("Autoévaluation",)),
    ]
    assert plan.stated_total == plan.minutes == 20


def test_french_plan_fits_in_two_hours_and_states_its_total():
    assert PLAN_FR.steps
    assert 0 < PLAN_FR.minutes <= time_plan.CLASS_MINUTES
    assert time_plan.check_minutes(PLAN_FR) == []
    assert PLAN_FR.stated_total == PLAN_FR.minutes


def _notebook(step: time_plan.Step) -> dict:  # type: ignore[type-arg]
    return json.loads(step.path.read_text(encoding="utf-8"))


def test_french_plan_follows_the_english_plan_step_by_step():
    assert [(s.label, s.minutes, f"fr/{s.notebook}", s.mode) for s in PLAN.steps] == [
        (s.label, s.minutes, s.notebook, s.mode) for s in PLAN_FR.steps
    ]
    for english, french in zip(PLAN.steps, PLAN_FR.steps, strict=True):
        english_titles = time_plan.section_titles(_notebook(english))
        french_titles = time_plan.section_titles(_notebook(french))
        assert len(english_titles) == len(french_titles), f"{french.notebook} and {english.notebook} differ"
        same_places = [french_titles[english_titles.index(title)] for title in english.sections]
        assert list(french.sections) == same_places, f"step {french.label} should name the French twins of its sections"


@pytest.mark.parametrize("step", PLAN_FR.steps, ids=lambda s: f"{s.label}-{s.notebook}")
def test_french_plan_step_names_a_french_notebook_and_sections_that_exist(step):
    assert step.path.exists(), f"step {step.label}: notebooks/{step.notebook}.ipynb does not exist"
    notebook = _notebook(step)
    chosen = time_plan.select_cells(notebook, step)  # raises, naming the section, when a heading has changed
    assert any(notebook["cells"][i]["cell_type"] == "code" for i in chosen)


@pytest.mark.parametrize("step", PLAN.steps, ids=lambda s: f"{s.label}-{s.notebook}")
def test_plan_step_names_a_notebook_and_sections_that_exist(step):
    assert step.path.exists(), f"step {step.label}: notebooks/{step.notebook}.ipynb does not exist"
    notebook = json.loads(step.timed_path.read_text(encoding="utf-8"))
    chosen = time_plan.select_cells(notebook, step)  # raises, naming the section, when a heading has changed
    assert any(notebook["cells"][i]["cell_type"] == "code" for i in chosen)


@pytest.mark.notebooks
@pytest.mark.slow
@pytest.mark.parametrize("step", PLAN.steps, ids=lambda s: f"{s.label}-{s.notebook}")
def test_plan_step_runs_as_written(step):
    timing = time_plan.run_step(step)
    assert timing.error is None, f"step {step.label} ({step.sections_text}) failed: {timing.error}"
    assert timing.stderr == ()


# ---------------------------------------------------------------------------------------- cheat sheet


def method_table(markdown: str) -> dict[str, dict[str, str]]:
    """The first table whose header has Method, Safe and Idempotent columns, as method → column → cell."""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        header = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and {"Method", "Safe", "Idempotent"} <= set(header):
            rows = {}
            for row_line in lines[index + 2:]:
                if not row_line.lstrip().startswith("|"):
                    break
                cells = [c.strip() for c in row_line.strip().strip("|").split("|")]
                rows[cells[0]] = dict(zip(header, cells, strict=True))
            return rows
    raise AssertionError("no table with Method, Safe and Idempotent columns")


def _yes(cell: str) -> bool:
    word = re.match(r"[a-z]+", cell.lower())
    assert word and word.group(0) in ("yes", "no"), f"a cell should start with yes or no: {cell!r}"
    return word.group(0) == "yes"


def disagreements(table: dict[str, dict[str, str]]) -> list[str]:
    """Where the table's Safe and Idempotent columns differ from the package's method sets."""
    wrong = []
    for method, row in table.items():
        if _yes(row["Safe"]) != (method in SAFE_METHODS):
            wrong.append(f"{method} safe")
        if _yes(row["Idempotent"]) != (method in IDEMPOTENT_METHODS):
            wrong.append(f"{method} idempotent")
    return wrong


SHEET_TABLE = method_table(SHEET.read_text(encoding="utf-8"))


def test_cheat_sheet_method_table_agrees_with_the_package():
    assert set(SHEET_TABLE) >= IDEMPOTENT_METHODS | {"POST", "PATCH"}
    assert disagreements(SHEET_TABLE) == []


def test_cheat_sheet_post_and_patch_are_neither_safe_nor_idempotent():
    for method in ("POST", "PATCH"):
        assert not _yes(SHEET_TABLE[method]["Safe"])
        assert not _yes(SHEET_TABLE[method]["Idempotent"])
    assert "RFC 5789 §2" in SHEET_TABLE["PATCH"]["Source"]


def test_cheat_sheet_only_get_and_head_are_cacheable():
    assert {m for m, row in SHEET_TABLE.items() if _yes(row["Cacheable"])} == {"GET", "HEAD"}


def test_cheat_sheet_checker_catches_an_idempotent_patch():
    wrong = method_table(
        "| Method | Safe | Idempotent |\n|---|---|---|\n"
        "| GET | yes | yes |\n| PATCH | no | yes |\n| DELETE | yes | yes |"
    )
    assert disagreements(wrong) == ["PATCH idempotent", "DELETE safe"]


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    assert match, f"the cheat sheet has no section starting with {title!r}"
    return match.group(1)


def test_cheat_sheet_names_the_key_status_codes():
    codes = _section(SHEET.read_text(encoding="utf-8"), "Status codes")
    listed = set(re.findall(r"^\|\s*(\d{3})\b|\|\s*(\d{3})\s*\|", codes, re.MULTILINE))
    found = {code for pair in listed for code in pair if code}
    assert found >= {"201", "204", "304", "404", "405", "409", "412", "415", "422", "428", "501"}
    assert "`Location`" in codes and "`Allow`" in codes


def test_cheat_sheet_lists_preconditions_in_rfc_order():
    text = _section(SHEET.read_text(encoding="utf-8"), "Preconditions")
    order = [text.index(f"`{name}`") for name in ("If-Match", "If-Unmodified-Since", "If-None-Match",
                                                  "If-Modified-Since")]
    assert order == sorted(order)
    assert "§13.2.2" in SHEET.read_text(encoding="utf-8")


def test_cheat_sheet_has_one_line_per_core_truth():
    truths = _section(SHEET.read_text(encoding="utf-8"), "The core truths")
    items = re.findall(r"^\d+\. ", truths, re.MULTILINE)
    assert len(items) == 8, "HTTP_SEMANTICS.md states eight core truths"
    assert all(len(line) <= 120 for line in truths.strip().splitlines()), "one short line each"


# The French sheet, docs/fr/aide-memoire.md: the same facts, in French words.
_FRENCH_SHEET_WORDS = {"Méthode": "Method", "Sûre": "Safe", "Idemp.": "Idempotent",
                       "Cache": "Cacheable"}


def french_method_table(markdown: str) -> dict[str, dict[str, str]]:
    """The French sheet's method table, read as the English one: its column names and oui/non in English."""
    lines = []
    for line in markdown.splitlines():
        if line.lstrip().startswith("|"):
            cells = [_FRENCH_SHEET_WORDS.get(c.strip(), c.strip()) for c in line.strip().strip("|").split("|")]
            cells = [re.sub(r"^oui", "yes", re.sub(r"^non", "no", c)) for c in cells]
            line = "| " + " | ".join(cells) + " |"
        lines.append(line)
    return method_table("\n".join(lines))


SHEET_FR_TEXT = SHEET_FR.read_text(encoding="utf-8")
SHEET_FR_TABLE = french_method_table(SHEET_FR_TEXT)


def test_french_cheat_sheet_method_table_agrees_with_the_package_and_the_english_sheet():
    assert list(SHEET_FR_TABLE) == list(SHEET_TABLE)
    assert disagreements(SHEET_FR_TABLE) == []
    for method, row in SHEET_FR_TABLE.items():
        for column in ("Safe", "Idempotent", "Cacheable"):
            assert _yes(row[column]) == _yes(SHEET_TABLE[method][column]), f"{method} {column}"
        assert row["Source"] == SHEET_TABLE[method]["Source"]
    assert {m for m, row in SHEET_FR_TABLE.items() if _yes(row["Cacheable"])} == {"GET", "HEAD"}


def test_french_method_table_reader_sees_a_wrong_cell():
    wrong = french_method_table("| Méthode | Sûre | Idemp. |\n|---|---|---|\n| PATCH | non | oui |\n")
    assert disagreements(wrong) == ["PATCH idempotent"]


def _facts(markdown: str) -> list[str]:
    """The sheet's checkable tokens: status codes, RFC numbers and sections, and everything in backticks."""
    text = markdown.replace("–", "-")
    return sorted(re.findall(r"`[^`]+`|§\d+(?:\.\d+)*(?:-\d+)?|RFC \d{4}|\b[1-5]\d\d\b|\b[1-5]xx\b", text))


def test_french_cheat_sheet_keeps_every_fact_of_the_english_one():
    assert _facts(SHEET_FR_TEXT) == _facts(SHEET.read_text(encoding="utf-8"))
    for english, french in (("Status codes", "Codes d'état"), ("Preconditions", "Conditions préalables"),
                            ("The core truths", "Les vérités essentielles")):
        assert _facts(_section(SHEET_FR_TEXT, french)) == _facts(_section(SHEET.read_text(encoding="utf-8"), english))


def test_facts_reader_sees_a_changed_code():
    assert _facts("PUT → 201 (§9.3.4), `ETag`") != _facts("PUT → 200 (§9.3.4), `ETag`")


def test_french_cheat_sheet_lists_preconditions_in_rfc_order_and_eight_short_truths():
    text = _section(SHEET_FR_TEXT, "Conditions préalables")
    order = [text.index(f"`{name}`") for name in ("If-Match", "If-Unmodified-Since", "If-None-Match",
                                                  "If-Modified-Since")]
    assert order == sorted(order)
    truths = _section(SHEET_FR_TEXT, "Les vérités essentielles")
    assert len(re.findall(r"^\d+\. ", truths, re.MULTILINE)) == 8
    assert all(len(line) <= 120 for line in truths.strip().splitlines())


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _need_chromium() -> None:
    """Skip on a laptop without Chromium; fail in CI, which installs it."""
    if cheat_sheet_pdf.chromium() is None:
        reason = "chromium not found: the print check needs Debian's Chromium (`sudo apt-get install chromium`)"
        if _in_ci():
            pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(reason)


@pytest.mark.browser
@pytest.mark.parametrize("language", sorted(cheat_sheet_pdf.SHEETS))
@pytest.mark.parametrize("size", cheat_sheet_pdf.SIZES)
def test_cheat_sheet_prints_on_one_page(size, language, tmp_path):
    _need_chromium()
    sheet = cheat_sheet_pdf.SHEETS[language]
    pages = cheat_sheet_pdf.print_pdf(sheet.read_text(encoding="utf-8"), tmp_path / "sheet.pdf", size)
    assert pages == 1, f"{sheet.name} takes {pages} pages on {size}; it should fit one"


@pytest.mark.browser
def test_print_check_counts_more_than_one_page(tmp_path):
    _need_chromium()
    long_sheet = SHEET.read_text(encoding="utf-8") * 2
    assert cheat_sheet_pdf.print_pdf(long_sheet, tmp_path / "long.pdf", "A4") == 2


# ------------------------------------------------------------------------------ the notebook version

NOTEBOOK_SHEET = ROOT / "notebooks" / "cheat-sheet.py"


def missing_sheet_lines(sheet: str, notebook_source: str) -> list[str]:
    """The sheet's lines (its title aside) that the notebook's markdown cells do not carry word for word."""
    import jupytext

    notebook = jupytext.reads(notebook_source, fmt="py:percent")
    markdown = {line for cell in notebook.cells if cell.cell_type == "markdown" for line in cell.source.splitlines()}
    return [line for line in sheet.splitlines()[1:] if line.strip() and line not in markdown]


def test_notebook_cheat_sheet_carries_every_line_of_the_printed_one():
    sheet = SHEET.read_text(encoding="utf-8")
    assert missing_sheet_lines(sheet, NOTEBOOK_SHEET.read_text(encoding="utf-8")) == [], "copy the change across"


def test_french_notebook_cheat_sheet_carries_every_line_of_the_french_printed_one():
    notebook = (ROOT / "notebooks" / "fr" / "cheat-sheet.py").read_text(encoding="utf-8")
    assert missing_sheet_lines(SHEET_FR_TEXT, notebook) == [], "copy the change across"


def test_notebook_cheat_sheet_check_sees_a_changed_line():
    sheet = "# Title\n\n| PATCH | no | no |\n"
    notebook = "# %% [markdown]\n# # Title\n#\n# | PATCH | no | yes |\n"
    assert missing_sheet_lines(sheet, notebook) == ["| PATCH | no | no |"]


# ------------------------------------------------------------------------------------------ exercises


def exercise_titles(markdown: str, heading: str = "Exercises") -> list[str]:
    """The linked titles in the guide's exercise table (under ``## heading``), in order."""
    section = re.search(rf"^## {re.escape(heading)}$(.*?)(?=^## )", markdown, re.MULTILINE | re.DOTALL)
    assert section, f"the guide has no '## {heading}' section"
    return re.findall(r"^\|\s*\d+\s*\|\s*\[([^\]]+)\]\(", section.group(1), re.MULTILINE)


def test_the_guide_lists_every_exercise_by_its_title():
    from httplab.teaching.exercises import EXERCISES

    assert exercise_titles(GUIDE.read_text(encoding="utf-8")) == [e.title for e in EXERCISES.values()]


def test_the_french_guide_lists_every_exercise_by_its_french_title():
    from httplab.i18n import translate
    from httplab.teaching.exercises import EXERCISES

    french = [translate(e.title, "fr") for e in EXERCISES.values()]
    assert all(title != e.title for title, e in zip(french, EXERCISES.values(), strict=True)), "translate the titles"
    assert exercise_titles(GUIDE_FR.read_text(encoding="utf-8"), "Exercices") == french


def test_exercise_titles_reader_sees_an_old_title():
    guide = "## Exercises\n\n| # | Exercise |\n|---|---|\n| 3 | [An order that is safe to retry](x.ipynb) |\n## Next\n"
    assert exercise_titles(guide) == ["An order that is safe to retry"]
