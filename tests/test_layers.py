"""The folder is the layer: import contracts, private modules, one theme, one home for errors, small modules."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import httplab
from httplab.errors import HTTPLabError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "httplab"
LAYERS = [
    "httplab.widgets",
    "httplab.teaching",
    "httplab.experiments",
    "httplab.display",
    "httplab.client",
    "httplab.http",
]
#: House style: split a module before it passes about 400 lines.
MAX_LINES = 420


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imported(path: Path) -> list[str]:
    """Every module *path* imports, at any depth (functions and TYPE_CHECKING blocks included)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            # ``from httplab.server import _peer`` imports a module by its name.
            names += [f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[0] == "httplab" else None


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_import_contracts_name_every_layer_in_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    assert layers == LAYERS
    for layer in LAYERS + ["httplab.server"]:
        assert (ROOT / Path(*layer.split("."))).is_dir(), layer


def test_layers_widgets_import_no_private_module_of_another_layer():
    for path in (PACKAGE / "widgets").rglob("*.py"):
        for name in _imported(path):
            layer = _layer(name)
            if layer is None or layer == "httplab.widgets":
                continue
            private = [part for part in name.split(".") if part.startswith("_")]
            assert not private, f"{path.relative_to(ROOT)} imports {name}, a private module of {layer}"


def test_layers_no_colour_outside_the_theme():
    colour = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![0-9a-fA-F])")
    theme = PACKAGE / "display" / "theme.py"
    for path in _modules():
        if path == theme:
            continue
        found = [line for line in path.read_text(encoding="utf-8").splitlines() if colour.search(line)]
        assert not found, f"{path.relative_to(ROOT)} holds a colour; take it from httplab.display.theme: {found}"


def test_layers_every_httplab_error_lives_in_errors():
    for info in pkgutil.walk_packages(httplab.__path__, "httplab."):
        if info.name != "httplab.__main__":
            importlib.import_module(info.name)
    seen, todo = [], [HTTPLabError]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo += cls.__subclasses__()
    homes = {cls.__name__: cls.__module__ for cls in seen}
    assert set(homes.values()) == {"httplab.errors"}, homes
    assert {"QuizError", "BankError", "PredictionError", "SetupFailedError"} <= set(homes)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_module_stays_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it along a seam it has"
