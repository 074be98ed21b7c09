"""The projection's edge columns: each claim's attributes as the model's rules give them, one claim at a time."""

from __future__ import annotations

import pytest

from graph.load.validate import load_dataset
from graph.model.confidence import claim_confidence
from graph.model.origins import corroboration
from graph.model.records import cited_sources
from graph.query.projection import _Evidence, confidences, edge_table
from graph.synth import write_synth

from ..conftest import ROOT


@pytest.fixture(scope="module")
def datasets(ontology, tmp_path_factory):
    bulk = write_synth(tmp_path_factory.mktemp("synth") / "s.jsonl", ontology, 4000, seed=3)
    return [load_dataset([ROOT / "data"], ontology), load_dataset([bulk], ontology)]


def test_the_columns_are_the_rules_applied_to_each_claim(datasets):
    for ds in datasets:
        t = edge_table(ds)
        assert t.keys == list(ds.claims)
        assert confidences(ds) == t.columns["confidence"]
        for i, c in enumerate(ds.claims.values()):
            assert t.columns["confidence"][i] == claim_confidence(c, ds.sources, ds.ontology)
            assert t.columns["tlp"][i] == ds.effective_tlp(c)
            assert t.columns["sources"][i] == tuple(cited_sources(c.citations))
            assert t.columns["low_graded"][i] == ds.is_low_graded(c)
            assert t.columns["origins"][i] == corroboration(ds, c)


def test_claims_cited_alike_are_worked_out_once_and_the_memory_stays_bounded(datasets):
    ds = datasets[1]
    whole = _Evidence(ds)
    found = [whole.of(c) for c in ds.claims.values()]
    assert 0 < len(whole.memo) + len(whole.several) < len(ds.claims) / 2  # synthetic claims cite alike
    small = _Evidence(ds, limit=3)
    assert [small.of(c) for c in ds.claims.values()] == found
    assert len(small.memo) <= 3 and len(small.several) <= 3
