"""The documentation stays true: the generated command reference matches the code, and every
relative link in README.md and docs/ leads to a file that exists."""

from __future__ import annotations

import re
import subprocess
import sys

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
