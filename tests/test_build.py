"""The main job's limits: bulk inputs get a build that finishes, and says what it left out."""

from __future__ import annotations

import json

import pytest

from graph.build import BuildLimits, build

CASES = """
sources:
  - {id: s1, title: Test report, kind: Report, reliability: B}
entities:
  - {id: c-kh, type: Country, name: Cambodia, country: KH}
  - {id: c-th, type: Country, name: Thailand, country: TH}
  - {id: case-a, type: Case, name: Test case A}
  - {id: case-b, type: Case, name: Test case B}
claims:
  - {subject: case-a, predicate: occurredIn, object: c-kh, citations: [{source: s1, quote: "in Cambodia"}]}
  - {subject: case-b, predicate: occurredIn, object: c-th, citations: [{source: s1, quote: "in Thailand"}]}
  - {subject: case-b, predicate: occurredIn, object: c-kh, citations: [{source: s1, quote: "and Cambodia"}]}
"""


@pytest.fixture
def cases(write):
    return write("cases.yaml", CASES)


def test_small_inputs_get_every_output_and_a_full_shacl_check(cases, ontology, tmp_path):
    result = build([cases], tmp_path / "out", ontology)
    assert result.notes == []
    triples = json.loads((tmp_path / "out" / "export" / "graph.ttl.manifest.json").read_text())["counts"]["triples"]
    assert result.shacl == f"all {triples} triples"
    assert (tmp_path / "out" / "views" / "case-a.html").exists() and (tmp_path / "out" / "views" / "case-b.html").exists()
    assert (tmp_path / "out" / "views" / "overview.html").exists()
    assert result.site_pages > 0


def test_bulk_inputs_stay_within_the_limits_and_say_what_they_left_out(cases, ontology, tmp_path):
    limits = BuildLimits(shacl_full_triples=10, shacl_sample_claims=1, view_nodes=3, dossier_entities=3)
    result = build([cases], tmp_path / "out", ontology, limits=limits)
    assert not (tmp_path / "out" / "views").exists()  # the overview has 4 entities
    assert result.shacl.startswith("a sample of 1 claims (") and "above the full-check limit of 10" in result.shacl
    assert not (tmp_path / "out" / "site").exists() and result.site_pages == 0
    assert result.notes == ["no overview view: 4 entities, above the limit of 3",
                            "no case views and no dossier site: 4 entities, above the limit of 3 "
                            "(thbor view --case and thbor site write them on request)"]
    assert (tmp_path / "out" / "store" / "CURRENT").exists()  # what queries read is always written
    assert (tmp_path / "out" / "export" / "graph.nt").exists()


def test_only_the_first_cases_get_a_view(cases, ontology, tmp_path):
    result = build([cases], tmp_path / "out", ontology, limits=BuildLimits(case_views=1))
    assert sorted(p.name for p in (tmp_path / "out" / "views").glob("*.html")) == ["case-a.html", "overview.html"]
    assert result.notes == ["case views for the first 1 of 2 cases only (thbor view --case CASE writes any other)"]


def test_a_case_view_above_the_node_limit_is_named_not_written(cases, ontology, tmp_path):
    result = build([cases], tmp_path / "out", ontology, limits=BuildLimits(view_nodes=2))
    assert (tmp_path / "out" / "views" / "case-a.html").exists()  # case A and Cambodia
    assert not (tmp_path / "out" / "views" / "case-b.html").exists()  # case B, Thailand and Cambodia
    assert any(n.startswith("1 case view(s) not written, above 2 entities: case-b") for n in result.notes)


def test_a_case_view_does_not_reach_other_cases_through_a_country(cases, ontology, tmp_path):
    build([cases], tmp_path / "out", ontology)
    page = (tmp_path / "out" / "views" / "case-b.html").read_text(encoding="utf-8")
    assert "Test case B" in page and "Cambodia" in page  # its own evidence: where it occurred
    assert "Test case A" not in page and "case-a" not in page  # only "also in Cambodia": not shown


@pytest.mark.parametrize("folder", ["tests/fixtures/tiny", "data"])
def test_counts_from_the_edge_columns_are_the_counts_from_the_claims(folder, ontology):
    from graph.projection import edge_table
    from graph.stats import dataset_stats
    from graph.validate import load_dataset

    from .conftest import ROOT
    ds = load_dataset([ROOT / folder], ontology)
    assert dataset_stats(ds, edge_table(ds)) == dataset_stats(ds)
