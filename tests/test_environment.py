"""environment.yml (conda, Binder) and pyproject.toml agree on what the kit needs to run."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCAL_INSTALLS = {".", "-e .", "-e.", "./"}
CONDA_ONLY = {"python", "pip"}


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _environment() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert isinstance(loaded, dict), "environment.yml must be a mapping with channels and dependencies"
    return loaded


def _conda_requirement(line: str) -> Requirement:
    """Read a conda match spec (``name=1.2``, ``name 1.2``, ``name>=1.2``) as a pip requirement."""
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", line.strip())
    assert match, f"environment.yml: cannot read the conda dependency {line!r}"
    name, spec = match[1], match[2].strip()
    if re.fullmatch(r"=?[0-9][0-9A-Za-z.*]*", spec):
        # conda's "name=1.2" and "name 1.2" mean 1.2.* (its "name==1.2", exactly 1.2, reads as pip's already).
        spec = f"=={spec.lstrip('=').removesuffix('.*')}.*"
    return Requirement(f"{name}{spec}")


def _sections(env: dict[str, Any]) -> tuple[list[str], list[str]]:
    conda: list[str] = []
    pip: list[str] = []
    for entry in env.get("dependencies", []):
        if isinstance(entry, dict):
            pip.extend(str(line) for line in entry.get("pip", []))
        else:
            conda.append(str(entry))
    return conda, pip


def _runtime() -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, _pyproject()["project"]["dependencies"])}


def _environment_requirements() -> dict[str, Requirement]:
    conda, pip = _sections(_environment())
    found: dict[str, Requirement] = {}
    pip_requirements = [Requirement(line) for line in pip if line not in LOCAL_INSTALLS]
    for req in [_conda_requirement(line) for line in conda] + pip_requirements:
        name = canonicalize_name(req.name)
        assert name not in found, f"environment.yml lists {req.name} twice (conda and pip?): keep one"
        found[name] = req
    return found


def _probes(*specs: SpecifierSet) -> list[Version]:
    """Versions on and around every boundary either spec mentions: enough to compare two simple ranges."""
    probes = {Version("0.0.1"), Version("9999")}
    for spec in specs:
        for clause in spec:
            release = Version(clause.version.removesuffix(".*")).release
            for i in range(len(release)):
                for step in (-1, 0, 1):
                    bumped = [*release[:i], max(release[i] + step, 0)]
                    probes.add(Version(".".join(map(str, bumped))))
            probes.add(Version(".".join(map(str, release))))
    return sorted(probes)


def _allows_only_what(env: SpecifierSet, project: SpecifierSet) -> list[Version]:
    """Return the probe versions environment.yml would install but pyproject.toml does not allow."""
    return [v for v in _probes(env, project) if env.contains(v, prereleases=True) and not project.contains(v, True)]


def test_environment_uses_conda_forge_only() -> None:
    assert _environment().get("channels") == ["conda-forge"]


def test_environment_python_satisfies_requires_python() -> None:
    conda, _ = _sections(_environment())
    pythons = [_conda_requirement(line) for line in conda if _conda_requirement(line).name == "python"]
    assert len(pythons) == 1 and pythons[0].specifier, "environment.yml must pin one Python version, e.g. python=3.11"
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    allowed = [v for v in _probes(pythons[0].specifier) if pythons[0].specifier.contains(v)]
    assert allowed and all(requires.contains(v) for v in allowed), (
        f"environment.yml's {pythons[0]} is outside pyproject's requires-python {requires}"
    )


def test_environment_installs_the_kit_itself() -> None:
    _, pip = _sections(_environment())
    assert LOCAL_INSTALLS & set(pip), "environment.yml's pip section must end with '-e .' so that httplab imports"


@pytest.mark.parametrize("name", sorted(_runtime()))
def test_environment_has_runtime_dependency(name: str) -> None:
    wanted = _runtime()[name]
    listed = _environment_requirements().get(name)
    assert listed is not None, f"pyproject.toml needs {wanted}; add '{wanted}' to environment.yml's pip section"
    assert listed.specifier, f"environment.yml lists {listed.name} without a version; pyproject.toml says {wanted}"
    outside = _allows_only_what(listed.specifier, wanted.specifier)
    versions = ", ".join(map(str, outside))
    assert not outside, f"environment.yml's '{listed}' allows {versions}, which pyproject.toml's '{wanted}' does not"


def test_environment_lists_nothing_pyproject_does_not_need() -> None:
    extra = sorted(set(_environment_requirements()) - set(_runtime()) - CONDA_ONLY)
    assert not extra, f"environment.yml installs {extra}, which pyproject.toml's runtime dependencies do not list"


def test_environment_probe_finds_a_looser_spec() -> None:
    # The check itself: a looser or disjoint range is caught, an equal or narrower one is not.
    assert _allows_only_what(SpecifierSet(">=0.20"), SpecifierSet(">=0.27"))
    assert _allows_only_what(SpecifierSet("==0.26.*"), SpecifierSet(">=0.27"))
    assert not _allows_only_what(SpecifierSet(">=0.27"), SpecifierSet(">=0.27"))
    assert not _allows_only_what(SpecifierSet(">=0.28,<1"), SpecifierSet(">=0.27"))
    assert _conda_requirement("python=3.11").specifier == SpecifierSet("==3.11.*")
    assert _conda_requirement("python 3.11").specifier == SpecifierSet("==3.11.*")
    assert _conda_requirement("python==3.11.7").specifier == SpecifierSet("==3.11.7")
    assert _conda_requirement("jupyterlab >=4.2").specifier == SpecifierSet(">=4.2")


def test_make_lab_and_binder_install_the_same_jupyterlab_settings():
    import fnmatch
    import json
    import os

    overrides = json.loads((ROOT / "tools" / "lab-settings" / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}  # no news pop-up over a lesson
    assert "tools/lab-settings/overrides.json" in (ROOT / "Makefile").read_text()
    post_build = ROOT / "postBuild"
    assert "tools/lab-settings/overrides.json" in post_build.read_text()
    assert "share/jupyter/lab/settings" in post_build.read_text()
    assert os.access(post_build, os.X_OK), "repo2docker runs postBuild only when it is executable"
    # The server settings (hidden .py sources; tests/browser runs JupyterLab with them).
    server = json.loads((ROOT / "tools" / "lab-settings" / "jupyter_server_config.json").read_text())
    globs = server["ContentsManager"]["hide_globs"]
    twins = [p for p in (ROOT / "notebooks").rglob("*.py") if p.with_suffix(".ipynb").exists()]
    shown = [str(p) for p in twins if not any(fnmatch.fnmatch(p.name, glob) for glob in globs)]
    assert twins and shown == [], "each lesson's .py source must be hidden so the lesson shows once"
    for installer in ("Makefile", "postBuild"):
        text = (ROOT / installer).read_text()
        assert "jupyter_server_config.json" in text and "etc" in text


def _make_target(name: str) -> str:
    """The recipe of a Makefile target, its continuation lines included."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line)
    return "\n".join(recipe)


def test_make_lab_opens_in_english_and_make_lab_fr_in_french():
    import json

    overrides = json.loads((ROOT / "tools" / "lab-settings" / "overrides.json").read_text())
    # JupyterLab would follow the system's locale otherwise: a French laptop would open `make lab` in French.
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "en"}
    lab, lab_fr = _make_target("lab"), _make_target("lab-fr")
    assert "HTTPLAB_LANG" not in lab and "--ServerApp.root_dir=notebooks " in lab
    assert "HTTPLAB_LANG=fr" in lab_fr and "root_dir=notebooks/fr" in lab_fr and "JUPYTERLAB_SETTINGS_DIR" in lab_fr
    french = (ROOT / "tools" / "lab-settings" / "fr" / "@jupyterlab" / "translation-extension"
              / "plugin.jupyterlab-settings").read_text()
    assert '"locale": "fr_FR"' in french
    runtime = {name for name in _runtime()}
    assert "jupyterlab-language-pack-fr-fr" in runtime, "JupyterLab's French menus come with the kit"
