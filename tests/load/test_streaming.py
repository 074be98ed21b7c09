"""Checking without keeping claims: the same problems as a full load, in a fraction of the memory."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from graph.errors import InputError
from graph.load.streaming import check_files
from graph.load.validate import load_dataset
from graph.synth import write_synth

from ..conftest import ROOT


def _problems(fn, *args):
    with pytest.raises(InputError) as info:
        fn(*args)
    return [str(p) for p in info.value.problems]


def test_counts_match_a_full_load(ontology):
    ds = load_dataset([ROOT / "data"], ontology)
    assert check_files([ROOT / "data"], ontology) == {"sources": len(ds.sources), "entities": len(ds.entities),
                                                      "claims": len(ds.claims)}


def test_the_same_problems_as_a_full_load(write, ontology):
    lines = [
        {"record": "claim", "subject": "e-1", "predicate": "locatedIn", "object": "c-kh",  # before its entities
         "citations": [{"source": "s-1", "quote": "in Cambodia"}]},
        {"record": "source", "id": "s-1", "title": "Report", "kind": "Report", "reliability": "B"},
        {"record": "entity", "id": "c-kh", "type": "Country", "name": "Cambodia", "country": "KH"},
        {"record": "entity", "id": "e-1", "type": "Hospital", "name": "A hospital"},
        {"record": "entity", "id": "e-1", "type": "Hospital", "name": "Again"},  # duplicate id
        {"record": "claim", "subject": "e-1", "predicate": "locatedIn", "object": "nowhere",
         "citations": [{"source": "s-9", "quote": "q"}]},
        {"record": "claim", "subject": "c-kh", "predicate": "recruited", "object": "e-1", "start": "2023-13",
         "citations": [{"source": "s-1", "quote": "q"}]},
    ]
    f = write("bulk.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n{broken\n")
    expected = _problems(load_dataset, [f], ontology)
    assert len(expected) >= 5
    assert _problems(check_files, [f], ontology) == expected


@pytest.mark.slow
def test_claims_are_let_go(tmp_path, ontology):
    f = write_synth(tmp_path / "bulk.jsonl", ontology, claims=20_000, seed=3)
    tracemalloc.start()
    load_dataset([f], ontology)
    whole = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    counts = check_files([f], ontology)
    streamed = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert counts["claims"] == 20_000
    assert streamed < whole / 3  # entities are a fifth of the records; claims are not kept
