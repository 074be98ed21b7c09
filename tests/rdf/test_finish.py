"""N-Triples and Turtle written by a child process (bulk builds): the same bytes, right manifests, clean failures."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph import load_dataset, load_ontology
from graph.build import BuildLimits, build
from graph.errors import OutputError
from graph.rdf.finish import write_rdf_in_child
from graph.rdf.write import write_rdf
from graph.synth import write_synth

from ..conftest import ROOT

BULK = {"dossier_entities": 3, "view_nodes": 3}  # no views or site: the tests are about the export


@pytest.fixture(scope="module")
def shipped():
    return load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synthetic.jsonl"
    return write_synth(path, load_ontology(ROOT / "ontology"), 300, seed=3, shareable="all")


def test_the_child_writes_the_bytes_write_rdf_writes(shipped, tmp_path):
    nt, ttl = io.StringIO(), io.StringIO()
    triples = write_rdf(shipped, nt, ttl)
    with (tmp_path / "g.nt").open("wb") as nt_fh, (tmp_path / "g.ttl").open("wb") as ttl_fh:
        written = write_rdf_in_child(shipped, nt_fh, ttl_fh, where=str(tmp_path))
    expected = [nt.getvalue().encode("utf-8"), ttl.getvalue().encode("utf-8")]
    assert [(tmp_path / f"g.{x}").read_bytes() for x in ("nt", "ttl")] == expected
    assert any(not line.isascii() for line in nt.getvalue().splitlines())  # multi-byte text went through the child
    assert written.triples == triples
    assert [written.nt_sha256, written.ttl_sha256] == [hashlib.sha256(b).hexdigest() for b in expected]


def test_a_bulk_build_writes_the_export_a_small_build_writes(synthetic, tmp_path):
    small = build([synthetic], tmp_path / "small", limits=BuildLimits(**BULK))
    bulk = build([synthetic], tmp_path / "bulk", limits=BuildLimits(child_claims=0, **BULK))
    assert small.export["counts"]["claims"] == 300 and bulk.export == small.export
    for name in ("graph.nt", "graph.ttl", "graph.nt.manifest.json", "graph.ttl.manifest.json"):
        assert (tmp_path / "bulk" / "export" / name).read_bytes() == (tmp_path / "small" / "export" / name).read_bytes()


def test_the_bulk_turtle_is_the_graph_of_the_ntriples_and_its_manifest_is_right(synthetic, tmp_path):
    build([synthetic], tmp_path / "out", limits=BuildLimits(child_claims=0, **BULK))
    folder = tmp_path / "out" / "export"
    for fmt in ("nt", "ttl"):
        manifest = json.loads((folder / f"graph.{fmt}.manifest.json").read_text(encoding="utf-8"))
        assert manifest["files"][f"graph.{fmt}"] == hashlib.sha256((folder / f"graph.{fmt}").read_bytes()).hexdigest()
    nt = rdflib.Graph().parse(folder / "graph.nt", format="nt")
    ttl = rdflib.Graph().parse(folder / "graph.ttl", format="turtle")
    assert len(nt) == manifest["counts"]["triples"] and isomorphic(nt, ttl)  # no blank nodes: equal triples
    oxi = {fmt: set(pyoxigraph.parse(path=str(folder / f"graph.{fmt}"), format=f))
           for fmt, f in (("nt", pyoxigraph.RdfFormat.N_TRIPLES), ("ttl", pyoxigraph.RdfFormat.TURTLE))}
    assert oxi["nt"] == oxi["ttl"] and len(oxi["nt"]) == len(nt)


def test_a_full_disk_in_the_child_is_an_output_error_with_its_reason(shipped, tmp_path):
    with open("/dev/full", "wb") as nt_fh, (tmp_path / "g.ttl").open("wb") as ttl_fh, \
            pytest.raises(OutputError, match=r"^out: cannot write: No space left on device$"):
        write_rdf_in_child(shipped, nt_fh, ttl_fh, where="out")


def test_a_bulk_build_whose_export_cannot_be_written_fails_cleanly_and_leaves_nothing(synthetic, tmp_path):
    # every file may grow to 400 kB (the child inherits the limit): dataset.json and the store fit, graph.nt does not
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))
        from graph.build import BuildLimits, build
        from graph.errors import OutputError
        try:
            build([{str(synthetic)!r}], {str(tmp_path / "out")!r},
                  limits=BuildLimits(child_claims=0, **{BULK!r}))
        except OutputError as exc:
            print(exc)
            sys.exit(3)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 3, done.stderr
    assert done.stdout.strip().endswith("export: cannot write: File too large")
    assert "Traceback" not in done.stdout + done.stderr
    left = sorted(p.name for p in tmp_path.iterdir())
    assert not [n for n in left if n == "out" or n.startswith(".out.tmp")], left  # no build folder, no fresh copy
