"""The script that regenerates the README's screenshots runs on a real build and draws real pages."""

from __future__ import annotations

import importlib.util
import re
import struct
import sys

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_readme_screenshot_comes_from_the_script():
    shots = {s.name for s in _script().SHOTS}
    shown = set(re.findall(r"docs/img/([\w-]+\.png)", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert shown <= shots, shown - shots
    assert all((ROOT / "docs" / "img" / name).exists() for name in shown)


def test_the_script_draws_each_page_of_a_real_build(tmp_path, browser):
    script = _script()
    build_dir = script.build_shipped(tmp_path)
    written = script.take(build_dir, tmp_path / "img", browser=browser)
    assert {p.name for p in written} == {s.name for s in script.SHOTS}  # every page is in the build
    for shot in script.SHOTS:
        data = (tmp_path / "img" / shot.name).read_bytes()
        width, _ = _png_size(data)
        assert width == shot.width
        assert len(data) > 15_000, shot.name  # a blank page compresses to a few kB
