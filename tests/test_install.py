"""A non-editable install finds the ontology shipped inside the package."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest

from .conftest import ROOT


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_dependencies() -> set[str]:
    """The distributions ``pip install .`` brings in: pyproject's main dependencies, not the extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normal(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec).group()) for spec in project["dependencies"]}


def imported_modules() -> dict[str, set[str]]:
    """Top-level modules of other distributions the package imports, anywhere (lazy imports in
    functions too), each with the package's modules that import it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "src" / "graph").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("graph", "__future__"):
                    found.setdefault(top, set()).add(path.name)
    return found


def test_every_imported_module_is_a_declared_dependency():
    """Every format (the FollowTheMoney one loads its library only when asked for) works after
    ``pip install .``: what the code imports is installed by the main dependencies."""
    modules = imported_modules()
    assert "ftm.py" in modules["followthemoney"]  # the lazy import of the ftm format is seen
    owners = importlib.metadata.packages_distributions()
    declared = declared_dependencies()
    missing = {m: sorted(where) for m, where in modules.items()
               if not {_normal(d) for d in owners.get(m, [m])} & declared}
    assert not missing, f"imported but not in [project] dependencies: {missing}"


@pytest.mark.slow
def test_wheel_ships_the_ontology_and_the_installed_command_works(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("thbor_graph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "graph/ontology/thbor.ttl" in names and "graph/ontology/shapes.ttl" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    required = {_normal(re.match(r"[A-Za-z0-9._-]+", line[len("Requires-Dist: "):]).group())
                for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist: ") and "extra ==" not in line}
    assert required == declared_dependencies() and "followthemoney" in required

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    workdir = tmp_path / "elsewhere"  # no ./ontology here: the shipped copy must be used
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import graph, graph.model.ontology as o; "
                            "print(graph.__file__); print(o.find_ontology_dir())"],
                           capture_output=True, text=True, cwd=workdir, env=env, check=True)
    module_file, onto_dir = probe.stdout.split()
    assert module_file.startswith(str(target)) and onto_dir.startswith(str(target))
    run = subprocess.run([sys.executable, "-m", "graph", "validate", str(ROOT / "data")],
                         capture_output=True, text=True, cwd=workdir, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("valid:")
