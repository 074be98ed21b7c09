"""A non-editable install finds the ontology shipped inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_ships_the_ontology_and_the_installed_command_works(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("thbor_graph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "graph/ontology/thbor.ttl" in names and "graph/ontology/shapes.ttl" in names
    assert any(n.endswith("entry_points.txt") for n in names)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    workdir = tmp_path / "elsewhere"  # no ./ontology here: the shipped copy must be used
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import graph, graph.ontology as o; "
                            "print(graph.__file__); print(o.find_ontology_dir())"],
                           capture_output=True, text=True, cwd=workdir, env=env, check=True)
    module_file, onto_dir = probe.stdout.split()
    assert module_file.startswith(str(target)) and onto_dir.startswith(str(target))
    run = subprocess.run([sys.executable, "-m", "graph", "validate", str(ROOT / "data")],
                         capture_output=True, text=True, cwd=workdir, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("valid:")
