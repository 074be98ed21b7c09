"""The shipped ontology and data, loaded for real, and the standards the data must keep."""

from __future__ import annotations

import re

import pytest

from graph import dataset_stats, load_dataset, load_ontology

from .conftest import ROOT


@pytest.fixture(scope="module")
def ds():
    return load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))


def test_shipped_data_validates(ds):
    s = dataset_stats(ds)["totals"]
    assert s["entities"] >= 40 and s["claims"] >= 40


def test_every_source_is_graded_and_explained(ds):
    for src in ds.sources.values():
        assert src.reliability and src.note, src.id
        assert src.tlp == "CLEAR", src.id


def test_social_media_claims_are_alleged_and_low_graded(ds):
    for claim in ds.claims.values():
        kinds = {ds.sources[c.source].kind for c in claim.citations}
        if kinds == {"SocialMediaPost"}:
            assert claim.status == "alleged", claim.id


def test_quotes_are_short_verbatim_excerpts(ds):
    for rec in [*ds.claims.values(), *ds.entities.values()]:
        for c in rec.citations:
            assert len(c.quote.split()) <= 25, (rec.id, c.quote)


def test_no_private_person_is_public(ds):
    for e in ds.entities.values():
        if "Person" in e.types and e.tlp == "CLEAR":
            assert e.note and "public" in e.note.lower(), e.id
        if "Victim" in e.types and "Person" in e.types:
            assert e.tlp in {"AMBER", "AMBER+STRICT", "RED"}, e.id


def test_case_includes_the_2023_indonesia_cambodia_case(ds):
    claims = [c for c in ds.claims.values() if c.qualifiers.get("count") == 122]
    assert claims and all(c.start == "2023" for c in claims)
    assert any(re.search("KK Park", e.name) for e in ds.entities.values())
