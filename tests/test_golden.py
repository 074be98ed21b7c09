"""Every output of the shipped data is byte-identical to the pinned manifest.

A change meant to alter an output regenerates the manifest (see tests/golden/outputs.py); any
other change — a refactoring, a dependency bump — must leave every byte as it was.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.slow
def test_every_output_of_the_shipped_data_is_unchanged():
    spec = importlib.util.spec_from_file_location("golden_outputs", GOLDEN / "outputs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = (GOLDEN / "outputs.sha256").read_text(encoding="utf-8").splitlines()
    actual = module.manifest()
    assert len(actual) > 300
    diff = "\n".join(difflib.unified_diff(expected, actual, "pinned", "now", lineterm="", n=0))
    assert actual == expected, f"outputs changed (regenerate only if meant):\n{diff}"
