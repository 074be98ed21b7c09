"""Sharing levels: nothing above the level asked for ever reaches the exported bytes."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest

from graph import load_dataset
from graph.errors import UsageError
from graph.model.names import MentionFinder
from graph.model.records import derive_claim_id
from graph.model.sharing import share
from graph.rdf.export import FORMATS, export_rdf

from ..conftest import FIXTURES

LEVELS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
TAG = {"CLEAR": "CLEAR", "GREEN": "GREEN", "AMBER": "AMBER", "AMBER+STRICT": "STRICT", "RED": "RED"}
IDS = {"CLEAR": [], "GREEN": [], "AMBER": ["ent-lvl-amber", "src-lvl-amber", "claim-lvl-amber"],
       "AMBER+STRICT": ["ent-lvl-strict", "src-lvl-strict", "claim-lvl-strict"],
       "RED": ["ent-lvl-red", "src-lvl-red", "claim-lvl-red"]}


@pytest.fixture(scope="module")
def ds(request):
    from graph import load_ontology

    from ..conftest import ROOT
    return load_dataset([FIXTURES / "levels"], load_ontology(ROOT / "ontology"))


def forbidden(level: str) -> list[str]:
    """Markers and ids of every record above ``level``."""
    above = LEVELS[LEVELS.index(level) + 1:]
    out = []
    for lv in above:
        out += [f"-{TAG[lv]}-marker", *IDS[lv]]
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("level", LEVELS)
def test_exported_bytes_hold_nothing_above_the_level(ds, tmp_path, fmt, level):
    result = export_rdf(ds, tmp_path / f"graph.{fmt}", fmt=fmt, max_tlp=level)
    data = (tmp_path / f"graph.{fmt}").read_bytes().decode("utf-8")
    manifest = (tmp_path / f"graph.{fmt}.manifest.json").read_text()
    for marker in forbidden(level):
        assert marker not in data, (level, marker)
        assert marker not in manifest, (level, marker)
    # and what may leave does leave: the marker of the level itself is there
    assert f"-{TAG[level]}-marker" in data
    assert result.manifest["sharing"]["level"] == level


def test_mentions_of_withheld_records_are_dropped(ds):
    shared, report = share(ds, "GREEN")
    c = shared.claims["claim-clear-mentions-amber"]
    assert c.note is None
    assert [x.quote for x in c.citations] == ["Quote-CLEAR-second"]
    assert report.redacted_fields >= 1 and report.withheld["citations"] >= 2


def test_claim_loses_citations_of_withheld_sources_and_goes_when_none_is_left(ds):
    shared, _ = share(ds, "CLEAR")
    assert [x.source for x in shared.claims["claim-lvl-clear"].citations] == ["src-lvl-clear"]
    assert "claim-green-relays-red" not in shared.claims  # its only citation relays a RED source
    assert set(shared.entities) == {"ent-lvl-clear", "country-kh"}


def test_claim_level_counts(ds):
    shared, _ = share(ds, "GREEN")
    assert "claim-lvl-green" in shared.claims and "claim-lvl-amber" not in shared.claims


def test_pseudonymise_replaces_names_everywhere(ds, tmp_path, monkeypatch):
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "test-secret-of-the-partners")
    export_rdf(ds, tmp_path / "a.ttl", max_tlp="RED", pseudonymise=True)
    data = (tmp_path / "a.ttl").read_text(encoding="utf-8")
    for person in ("Name-AMBER-marker", "Alias-AMBER-marker", "Desc-AMBER-marker", "Name-STRICT-marker",
                   "Name-RED-marker", "Note-RED-marker", "ent-lvl-amber", "ent-lvl-strict", "ent-lvl-red"):
        assert person not in data, person
    assert "Name-CLEAR-marker" in data  # organisations keep their names
    tags = set(re.findall(r"pseudonym-([0-9a-f]{12})", data))
    assert len(tags) == 3
    export_rdf(ds, tmp_path / "b.ttl", max_tlp="RED", pseudonymise=True)
    assert (tmp_path / "b.ttl").read_bytes() == (tmp_path / "a.ttl").read_bytes()  # stable
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "another-secret-of-the-partners")
    export_rdf(ds, tmp_path / "c.ttl", max_tlp="RED", pseudonymise=True)
    assert set(re.findall(r"pseudonym-([0-9a-f]{12})", (tmp_path / "c.ttl").read_text())) != tags


def test_pseudonymise_without_a_key_is_refused(ds, tmp_path, monkeypatch):
    monkeypatch.delenv("THBOR_PSEUDONYM_KEY", raising=False)
    with pytest.raises(UsageError, match="THBOR_PSEUDONYM_KEY"):
        export_rdf(ds, tmp_path / "a.ttl", max_tlp="RED", pseudonymise=True)
    assert not (tmp_path / "a.ttl").exists()
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "   ")
    with pytest.raises(UsageError):
        share(ds, "RED", pseudonymise=True)


def test_a_short_key_is_reported(ds, monkeypatch):
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "short")
    assert any("THBOR_PSEUDONYM_KEY" in w for w in share(ds, "RED", pseudonymise=True)[1].warnings)
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "a secret long enough to pass")
    assert share(ds, "RED", pseudonymise=True)[1].warnings == []


def test_pseudonyms_differ_across_keys_and_cannot_be_recomputed_without_one(ds, monkeypatch):
    tags = []
    for secret in ("first secret of the exports", "second secret of the exports"):
        monkeypatch.setenv("THBOR_PSEUDONYM_KEY", secret)
        shared, report = share(ds, "RED", pseudonymise=True)
        tags.append({i for i in shared.entities if i.startswith("pseudonym-")})
        assert len(tags[-1]) == report.pseudonyms == 3
    assert not tags[0] & tags[1]
    # what anyone could compute from a person's id alone: plain hashes, or HMACs under keys anyone knows
    guesses = set()
    for person in ("ent-lvl-amber", "ent-lvl-strict", "ent-lvl-red"):
        guesses |= {hashlib.sha256(person.encode()).hexdigest()[:12], hashlib.md5(person.encode()).hexdigest()[:12]}
        for key in (b"", b"thbor-graph-default-pseudonym-key", b"thbor", b"THBOR_PSEUDONYM_KEY"):
            guesses.add(hmac.new(key, person.encode(), hashlib.sha256).hexdigest()[:12])
    assert not {t.removeprefix("pseudonym-") for t in tags[0] | tags[1]} & guesses


@pytest.fixture(scope="module")
def leaky():
    from graph import load_ontology

    from ..conftest import ROOT
    return load_dataset([FIXTURES / "leaks"], load_ontology(ROOT / "ontology"))


def test_every_field_that_mentions_a_withheld_record_is_dropped_or_redacted(leaky):
    shared, report = share(leaky, "GREEN")
    org1, org2, org3 = (shared.entities[i] for i in ("org-1", "org-2", "org-3"))
    assert org1.description is None and org1.note is None  # no accents; NFD
    assert org2.name == "[withheld] Clinic" and [a.name for a in org2.aliases] == ["Harbour Clinic"]
    assert org2.url is None and org3.url is None  # run together; percent-encoded
    assert org3.description is None  # fullwidth
    assert [c.quote for c in org3.citations] == ["Lantern Aid helps"]  # CJK inside CJK text
    assert "org-nguyen-van-thanh-fund" not in shared.entities  # its id names a withheld person
    assert set(shared.sources) == {"s1", "s-green"}  # s-named: title; s-press: publisher ("Bo")
    green = shared.sources["s-green"]
    assert green.author is None and green.url is None and green.note is None  # withheld source's URL, author
    by_subject = {c.subject: c for c in shared.claims.values()}
    assert by_subject["org-1"].qualifiers == {} and [c.quote for c in by_subject["org-1"].citations] == [
        "the clinic was involved"]
    c2 = by_subject["org-2"]
    assert c2.qualifiers == {} and c2.note is None  # "paid to bo", "Wang Wei's share"; line breaks
    assert [c.quote for c in c2.citations] == ["The clinic took part"]  # locator names the withheld author
    assert by_subject["org-3"].id == "org-3.involvedIn.c1"  # an explicit id naming a person: replaced
    assert report.redacted_fields >= 12 and report.replaced_ids == 1
    assert report.withheld == {"sources": 3, "entities": 4, "claims": 6, "citations": 6}


def test_derived_claim_ids_do_not_hash_what_was_dropped(leaky):
    shared, _ = share(leaky, "GREEN")
    for c in shared.claims.values():
        assert c.id == derive_claim_id(c)


def test_a_publisher_shared_elsewhere_is_no_secret(write, ontology):
    path = write("pub.yaml", """
        sources:
          - {id: s1, title: Public report, kind: Report, reliability: B, publisher: Daily Star}
          - {id: s2, title: Sealed report, kind: Report, reliability: B, publisher: Daily Star, tlp: RED,
             author: Secret Author}
        entities:
          - {id: org-1, type: Organisation, name: Clinic, description: "Named by the Daily Star; Secret Author too"}
        """)
    shared, _ = share(load_dataset([path], ontology), "GREEN")
    assert shared.sources["s1"].publisher == "Daily Star"
    assert shared.entities["org-1"].description is None  # the withheld source's author is still withheld


def test_mentions_are_whole_words_however_spelled():
    find = MentionFinder({"Nguyễn Văn Thành": "X", "王伟": "Y", "Bo": "Z", "x": "too short"})
    for text in ("nguyen van thanh", "NGUYEN-VAN-THANH", "Nguye\u0302\u0303n  Va\u0306n\nTha\u0300nh",
                 "NguyenVan Thanh", "Ｎｇｕｙｅｎ Ｖａｎ Ｔｈａｎｈ", "王伟说", "Wang Wei", "wangwei", "Bo's", "BO"):
        assert find(text), text
    for text in ("Swangwei", "wang", "Bob", "elbow", "x marks", "nguyen van"):
        assert not find(text), text
    assert find.replace("met Nguyễn  Văn Thành and 王伟.", lambda v: f"<{v}>") == "met <X> and <Y>."


def test_shipped_data_green_export_has_no_individual_victim(tmp_path):
    from graph import load_ontology

    from ..conftest import ROOT
    ds = load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))
    export_rdf(ds, tmp_path / "g.nt", max_tlp="GREEN")
    data = (tmp_path / "g.nt").read_text(encoding="utf-8")
    for e in ds.entities.values():
        if e.tlp not in ("CLEAR", "GREEN"):
            assert e.name not in data and e.id not in data, e.id


GLUED = """
sources:
  - {id: s1, title: Public report, kind: Report, reliability: B}
  - id: s2
    title: A campaign page
    kind: Report
    reliability: C
    url: https://example.org/a?who=Nguy%25E1%25BB%2585n+V%25C4%2583n+Th%25C3%25A0nh
entities:
  - {id: per-v, types: [Person, Victim], tlp: RED, name: Nguyễn Văn Thành}
  - {id: per-k, types: [Person], tlp: AMBER, name: Mohammed Karimi}
  - {id: org-1, type: Organisation, name: Clinic,
     description: "Contact nguyenvanthanh1990@mail.example or #FreeNguyenVanThanh"}
  - {id: org-2, type: Organisation, name: Foundation, description: "the MohammedKarimiFoundation"}
  - {id: org-3, type: Organisation, name: Shelter, description: "KARIMI, Mohammed came; so did Mohammed&#32;Karimi"}
  - {id: org-4, type: Organisation, name: Office, description: "Van Thanh street; Mr Karimi's neighbour Bob"}
  - {id: c1, type: Case, name: C}
claims:
  - {subject: per-v, predicate: victimIn, object: c1, citations: [{source: s1, quote: a victim}]}
  - {subject: org-1, predicate: involvedIn, object: c1, citations: [{source: s2, quote: the page}]}
"""


def test_glued_escaped_and_reordered_names_do_not_leave(write, ontology):
    ds = load_dataset([write("glued.yaml", GLUED)], ontology)
    shared, _ = share(ds, "GREEN")
    kept = {e.id: e.description for e in shared.entities.values()}
    assert kept["org-1"] is None and kept["org-2"] is None and kept["org-3"] is None  # every form found
    assert kept["org-4"] == "Van Thanh street; Mr Karimi's neighbour Bob"  # a part of a name alone is not the name
    assert shared.sources["s2"].url is None  # the URL named the victim, escaped twice


def test_links_to_withheld_sources_and_figures_naming_withheld_people_do_not_leave(ontology, write, tmp_path):
    ds = load_dataset([write("echo.yaml", """
    sources:
      - {id: s-wire, title: A wire story, kind: NewsArticle, reliability: B, tlp: AMBER}
      - {id: s-other, title: Another story, kind: NewsArticle, reliability: B}
      - {id: s-reprint, title: A reprint, kind: NewsArticle, reliability: B, syndicates: s-wire,
         cites: [s-wire, s-other]}
    entities:
      - {id: p-secret, type: Person, name: Sompong Secretname, tlp: AMBER}
      - {id: g1, type: Group, name: Donors, tlp: GREEN}
      - {id: kh, type: Country, name: Cambodia}
    claims:
      - {subject: g1, predicate: operatesIn, object: kh, citations: [
          {source: s-reprint, quote: "donors in Cambodia"},
          {source: s-other, quote: "as the donor said", values: {scope: Sompong Secretname}},
          {source: s-other, quote: "donors there", values: {scope: Cambodia}}]}
    """)], ontology)
    shared, _ = share(ds, "GREEN")
    reprint = shared.sources["s-reprint"]
    assert (reprint.syndicates, reprint.cites) == (None, ["s-other"])
    [claim] = shared.claims.values()
    assert [c.values for c in claim.citations] == [{}, {"scope": "Cambodia"}]
    path = export_rdf(ds, tmp_path / "g.nt", max_tlp="GREEN").path
    text = path.read_text(encoding="utf-8")
    assert "s-wire" not in text and "Secretname" not in text
    assert load_dataset([path], ontology).sources["s-reprint"].cites == ["s-other"]
