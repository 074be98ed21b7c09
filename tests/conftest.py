"""Shared fixtures: tiny hand-written datasets and a CLI runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.ontology import load_ontology

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def ontology():
    return load_ontology(ROOT / "ontology")


@pytest.fixture
def tiny() -> Path:
    return FIXTURES / "tiny"


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path from dedented text (or bytes) and return its path."""
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return path
    return _write


@pytest.fixture
def cli():
    """Run ``thbor`` in-process; returns (exit code, stdout, stderr)."""
    runner = CliRunner()

    def _run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["--ontology", str(ROOT / "ontology"), *map(str, args)])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr
    return _run
