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


def test_coverage_map_lists_every_paragraph_and_every_claim(ds):
    text = (ROOT / "data" / "COVERAGE.md").read_text(encoding="utf-8")
    paragraphs = [int(n) for n in re.findall(r"^## Paragraph (\d+)$", text, flags=re.M)]
    assert paragraphs == list(range(1, 44))  # the seed article has 43 paragraphs (lines)
    named = set(re.findall(r"`([A-Za-z0-9][A-Za-z0-9._:-]*)`", text))
    assert set(ds.claims) <= named, sorted(set(ds.claims) - named)
    unknown = {n for n in named if "." in n and n not in ds.claims} - {"subject.predicate.object", "sources.yaml"}
    assert not unknown, unknown


def test_dataset_size(ds):
    s = dataset_stats(ds)["totals"]
    assert s["entities"] >= 60 and s["claims"] >= 120


WORDS = {3: "three"}


def test_counts_come_from_the_quotes(ds):
    # a count in a qualifier is written in the quotes that support the claim (digits or words)
    for claim in ds.claims.values():
        quotes = " ".join(c.quote for c in claim.citations)
        for key in ("count", "officialCount", "age", "countryCount"):
            value = claim.qualifiers.get(key)
            if value is not None:
                assert re.search(rf"\b{value}\b", quotes) or WORDS.get(value, "?") in quotes, (claim.id, key)
