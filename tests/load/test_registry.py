"""The format registry: readers and writers are named by string and imported only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.load import registry


def test_the_loader_imports_no_reader_or_writer_until_a_file_needs_one():
    code = ("import sys, graph.load.files, graph.load.validate; "
            "print(sorted(m for m in sys.modules if m.startswith(('graph.rdf', 'graph.formats'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("fmt", registry.FORMATS, ids=lambda f: f.name)
def test_every_registered_reader_and_writer_resolves(fmt):
    assert fmt.reader or fmt.writer
    if fmt.reader:
        assert callable(registry.reader(fmt))
    if fmt.writer:
        assert callable(registry.writer(fmt))
    assert fmt.folder == (fmt.suffix is None)


def test_files_are_read_by_the_format_their_name_ends_in(tmp_path):
    assert registry.reading(tmp_path / "a.TTL").name == "ttl"
    assert registry.reading(tmp_path / "x.ftm.jsonl").name == "ftm"
    assert registry.reading(tmp_path / "x.jsonl") is None and registry.reading(tmp_path / ".ttl") is None
    assert registry.format_of(tmp_path / "g.gexf", None) == "gexf"
