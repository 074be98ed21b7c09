"""The documentation stays true: the generated command reference matches the code, and every
relative link in README.md and docs/ leads to a file that exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

REFERENCE = "docs/cli-reference.md"


def test_cli_reference_is_current():
    """docs/cli-reference.md is every command's --help as cog renders it now; when a command
    changes, ``cog -r docs/cli-reference.md`` regenerates it."""
    done = subprocess.run([sys.executable, "-m", "cogapp", "--check", "--diff", REFERENCE],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (f"{REFERENCE} is stale: run `.venv/bin/cog -r {REFERENCE}`\n"
                                  + done.stdout + done.stderr)


def test_every_relative_link_in_the_docs_leads_somewhere():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # an outside address or an anchor on the same page
            if not (page.parent / target.split("#")[0]).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, f"links to nothing: {broken}"


@pytest.mark.slow
def test_readme_quick_start_shows_what_the_build_prints(tmp_path):
    """The quick start's output block is the real output of ``thbor build`` on the shipped data."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ [^\n]*thbor build\n(.*?)```", readme, re.S)
    assert block, "README.md has no quick-start block ending in `thbor build`"
    work = tmp_path / "checkout"
    for name in ("data", "ontology"):
        shutil.copytree(ROOT / name, work / name)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([sys.executable, "-m", "graph", "build"], cwd=work, capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == block.group(1)


@pytest.mark.slow
def test_readme_examples_print_what_the_readme_shows(tmp_path):
    """Each ``$ thbor ...`` example of the README prints exactly the lines shown under it."""
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"^\$ (thbor [^\n]*)\n(.*?)(?=^\$ |^```)", readme, re.S | re.M)
    assert len(examples) >= 3
    work = tmp_path / "checkout"
    for name in ("data", "ontology"):
        shutil.copytree(ROOT / name, work / name)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    for command, shown in examples:
        done = subprocess.run([sys.executable, "-m", "graph", *shlex.split(command)[1:]], cwd=work,
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, (command, done.stderr)
        assert done.stdout.rstrip("\n") == shown.rstrip("\n"), command
