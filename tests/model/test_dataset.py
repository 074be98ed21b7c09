"""The Dataset's JSON: written a record at a time, the same bytes as the whole document at once."""

from __future__ import annotations

import json

import orjson

from graph.load.validate import load_dataset
from graph.model.dataset import Dataset
from graph.model.records import Resolution


def _whole(ds: Dataset) -> str:
    return orjson.dumps(ds.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"


def test_streamed_json_is_the_whole_document(tiny, ontology):
    ds = load_dataset([tiny], ontology)
    assert ds.to_json() == _whole(ds)
    assert list(orjson.loads(ds.to_json())) == ["claims", "entities", "ontology_version", "sources"]
    ds.resolutions = [Resolution(a="p-broker", b="h-hospital", decision="not", by="Test curator")]
    assert ds.to_json() == _whole(ds) and '"resolutions": [' in ds.to_json()


def test_an_empty_dataset_and_a_number_beyond_64_bits(ontology, tiny):
    assert Dataset(ontology).to_json() == _whole(Dataset(ontology))
    ds = load_dataset([tiny], ontology)
    claim = next(iter(ds.claims.values()))
    claim.qualifiers["count"] = 2**70  # orjson cannot write it: the standard library does
    assert str(2**70) in ds.to_json()
    assert json.loads(ds.to_json())["claims"][0]["qualifiers"]["count"] == 2**70
