"""Sharing levels: nothing above the level asked for ever reaches the exported bytes."""

from __future__ import annotations

import re

import pytest

from graph import load_dataset
from graph.export import FORMATS, export_rdf
from graph.sharing import share

from .conftest import FIXTURES

LEVELS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
TAG = {"CLEAR": "CLEAR", "GREEN": "GREEN", "AMBER": "AMBER", "AMBER+STRICT": "STRICT", "RED": "RED"}
IDS = {"CLEAR": [], "GREEN": [], "AMBER": ["ent-lvl-amber", "src-lvl-amber", "claim-lvl-amber"],
       "AMBER+STRICT": ["ent-lvl-strict", "src-lvl-strict", "claim-lvl-strict"],
       "RED": ["ent-lvl-red", "src-lvl-red", "claim-lvl-red"]}


@pytest.fixture(scope="module")
def ds(request):
    from graph import load_ontology
    from .conftest import ROOT
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
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "test-secret")
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
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "another-secret")
    export_rdf(ds, tmp_path / "c.ttl", max_tlp="RED", pseudonymise=True)
    assert set(re.findall(r"pseudonym-([0-9a-f]{12})", (tmp_path / "c.ttl").read_text())) != tags


def test_default_key_is_reported(ds, tmp_path, monkeypatch):
    monkeypatch.delenv("THBOR_PSEUDONYM_KEY", raising=False)
    result = export_rdf(ds, tmp_path / "a.ttl", max_tlp="RED", pseudonymise=True)
    assert any("THBOR_PSEUDONYM_KEY" in w for w in result.manifest["sharing"]["warnings"])


def test_shipped_data_green_export_has_no_individual_victim(tmp_path):
    from graph import load_ontology
    from .conftest import ROOT
    ds = load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))
    export_rdf(ds, tmp_path / "g.nt", max_tlp="GREEN")
    data = (tmp_path / "g.nt").read_text(encoding="utf-8")
    for e in ds.entities.values():
        if e.tlp not in ("CLEAR", "GREEN"):
            assert e.name not in data and e.id not in data, e.id
