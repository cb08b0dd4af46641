"""The code keeps the house style: ruff clean, mypy strict clean, a curated public door."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "httplab", "tests", "tools", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing():
    done = _run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_nothing_in_httplab_imports_the_widgets():
    import ast

    for path in (ROOT / "httplab").rglob("*.py"):
        # The public door may load a widget on first use (httplab.quiz, httplab.predict); nothing else may.
        if "widgets" in path.parts or path == ROOT / "httplab" / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("httplab.widgets"), path
            elif isinstance(node, ast.Import):
                assert not any(alias.name.startswith("httplab.widgets") for alias in node.names), path
