"""The shipped ontology and data, loaded for real, and the standards the data must keep."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from anyascii import anyascii

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
    files = {p.name for p in (ROOT / "data").glob("*.yaml")}
    unknown = {n for n in named if "." in n and n not in ds.claims} - {"subject.predicate.object"} - files
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


# Names the seed article gives for individual victims (with the name's Devanagari spellings); the
# dataset must not carry them anywhere.
VICTIM_NAMES = ("Santosh", "सन्तोष", "संतोष")


def _folded(text: str) -> str:
    # any case, accent, script or separator: "S-a n t ó s h" and "सन्तोष" fold like "santosh"
    return re.sub(r"[^a-z0-9]", "", anyascii(unicodedata.normalize("NFKC", text)).casefold())


def test_folding_catches_other_spellings():
    assert all("santosh" in _folded(s) for s in ("SANTOSH", "San-tosh", "Sántosh", "person_victim_santosh"))
    assert _folded("सन्तोष") in _folded("victim: सन्तोष.") and _folded("सन्तोष") != ""
    assert "santosh" not in _folded("a 19-year-old Nepali victim")


def test_no_victim_name_anywhere_under_data(ds):
    # every file under data/: names, ids, aliases, notes, quotes, COVERAGE.md, GRADING.md
    files = sorted(p for p in (ROOT / "data").rglob("*") if p.is_file())
    assert any(p.name == "COVERAGE.md" for p in files) and any(p.suffix == ".yaml" for p in files)
    for path in files:
        text = _folded(path.read_text(encoding="utf-8"))
        for name in VICTIM_NAMES:
            assert _folded(name) not in text, (path, name)
    # and the loaded records agree: individual victims are unnamed, at a restricted sharing level
    persons = [e for e in ds.entities.values() if {"Person", "Victim"} <= set(e.types)]
    assert len(persons) == 2
    for e in persons:
        assert e.name.startswith("Unnamed") and not e.aliases, e.id
        assert e.tlp == "AMBER", e.id


def test_routes_show_the_flows_the_article_states(cli):
    code, out, _ = cli("routes", "--data", str(ROOT / "data"), "--json")
    assert code == 0
    flows = {(r["from"], r["to"]): r["claims"] for r in json.loads(out)["routes"]}
    # transplant tourism: patients travel abroad to Thailand and the Philippines; origin not given
    assert flows[("?", "TH")] == ["group-transplant-tourists.transportedTo.country-th"]
    assert flows[("?", "PH")] == ["group-transplant-tourists.transportedTo.country-ph"]
    # the Vietnamese donors of the 2014 military-hospital case came to Cambodia
    assert [c for c in flows[("VN", "KH")] if c.startswith("group-vn-donors-2014.transportedTo.country-kh")]
    assert ("AE", "TH") not in flows and ("AE", "PH") not in flows  # the UAE is an example, not the origin


def test_post_dates_are_knowledge_time_not_valid_time(ds):
    for claim in ds.claims.values():
        kinds = {ds.sources[c.reports or c.source].kind for c in claim.citations}
        if kinds == {"SocialMediaPost"}:
            assert claim.start is None, claim.id


def test_a_disputed_victim_is_not_typed_victim(ds):
    for claim in ds.claims.values():
        if claim.predicate == "victimIn" and claim.status == "disputed":
            assert "Victim" not in ds.entities[claim.subject].types, claim.subject


def test_a_pending_bill_applies_nowhere(ds):
    bills = {e.id for e in ds.entities.values() if "Bill" in e.types}
    assert bills and not [c.id for c in ds.claims.values() if c.subject in bills and c.predicate == "appliesIn"]
