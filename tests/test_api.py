"""The public API: every name ``graph`` lists resolves, lazily, to the object its module defines."""

from __future__ import annotations

import importlib
import subprocess
import sys

import graph


def test_every_public_name_resolves_to_its_module_object():
    for name in graph.__all__:
        module = importlib.import_module(graph._PUBLIC[name])
        assert getattr(graph, name) is getattr(module, name), name


def test_no_public_name_is_also_a_module_of_the_package():
    # importing graph.X sets the attribute X of graph to the module, hiding a function of that name
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(graph.__path__)}
    assert not modules & set(graph.__all__)


def test_importing_the_package_loads_no_layer():
    code = "import sys, graph; print(sorted(m for m in sys.modules if m.startswith('graph.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
