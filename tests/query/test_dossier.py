"""One entity's evidence (graph.query.dossier): the entity, every claim by relation and side, what filters left out."""

from __future__ import annotations

import pytest

from graph.errors import LookupProblem, UsageError
from graph.load.validate import load_dataset
from graph.model.names import NameIndex
from graph.query.dossier import dossier
from graph.query.projection import to_networkx
from graph.query.results import Query, QueryOptions
from graph.store import StoreDataset, StoreGraph, StoreNames, current, fingerprint, write_store

from ..conftest import FIXTURES, ROOT

CASE = FIXTURES / "dossier"


@pytest.fixture(scope="module")
def ds(ontology):
    return load_dataset([CASE], ontology)


def _query(ds, **options) -> Query:
    return Query.of(ds, to_networkx(ds), NameIndex.of(ds), QueryOptions(**options))


def _claims(d) -> dict[str, dict]:
    return {c["id"]: c for g in d.groups for c in g.claims}


def test_the_entity_in_full_by_an_alias(ds):
    d = dossier(_query(ds), "The Fixer")
    e = d.entity
    assert (e["id"], e["name"], e["types"], e["role"], e["country"], e["tlp"]) == (
        "p-broker", "Test Broker", ["Broker", "Person"], "actor", "ID", "GREEN")
    assert {"name": "The Fixer", "lang": "en"} in e["aliases"] and e["merged_from"] == ["p-broker-dup"]
    assert e["description"].startswith("A broker") and e["note"] == "Invented for the tests."
    assert [c["quote"] for c in e["citations"]] == ["a broker known as the Fixer", "amber-only detail on the broker"]
    assert e["citations"][0]["locator"] == "p. 3" and e["citations"][0]["credibility"] == "2"


def test_every_claim_grouped_by_relation_and_side(ds):
    d = dossier(_query(ds), "p-broker")
    assert [(g.side, g.predicate) for g in d.groups] == [
        ("subject", "recruited"), ("subject", "workedFor"), ("object", "associatedWith"), ("object", "paid")]
    claims = _claims(d)
    # the claim made of the merged duplicate is the broker's; the disputed one is left out and counted
    assert set(claims) == {"cl-recruited", "cl-worked", "cl-agency", "cl-paid"}
    assert (d.claims_left_out, d.status_left_out, d.undated_left_out) == (1, 1, None)
    assert d.notes() == ["1 claim(s) of Test Broker [p-broker] left out by the filters, 1 for their status "
                         "(disputed, refuted: --status shows them)"]
    assert claims["cl-paid"]["other"]["id"] == "p-boss" and claims["cl-paid"]["object"] == "p-broker"
    recruited = claims["cl-recruited"]
    assert recruited["qualifiers"] == {"count": 12} and recruited["known_since"] == "2023-07-26"
    assert recruited["citations"][1]["reports"]["source"] == "s-report"  # second-hand evidence
    worked = claims["cl-worked"]
    assert worked["start"] == "2019" and worked["open_end"] is True and worked["note"].startswith("Still")


def test_status_shows_the_contested_claims(ds):
    d = dossier(_query(ds, statuses=["disputed", "reported"]), "p-broker")
    assert _claims(d)["cl-operates"]["status"] == "disputed" and d.claims_left_out == 0 and d.notes() == []


def test_a_time_window_counts_the_undated_claims_it_left_out(ds):
    d = dossier(_query(ds, at="2023"), "p-broker")
    assert set(_claims(d)) == {"cl-recruited", "cl-worked"}  # 2019-open overlaps 2023, 2022 does not
    assert (d.claims_left_out, d.status_left_out, d.undated_left_out) == (3, 1, 1)  # cl-agency, cl-operates, cl-paid
    assert "1 undated (--include-undated shows them)" in d.notes()[0]
    d = dossier(_query(ds, at="2023", include_undated=True), "p-broker")
    assert _claims(d)["cl-paid"]["undated"] is True and d.undated_left_out == 0


def test_knowledge_time_keeps_what_was_public(ds):
    d = dossier(_query(ds, known_by="2023-12"), "p-broker")
    claims = _claims(d)
    # the 2024 article stays: the report it relays was public
    assert [c["source"] for c in claims["cl-recruited"]["citations"]] == ["s-report", "s-article"]
    assert "cl-paid" not in claims  # its only source has no date
    assert d.to_dict()["known_by"]["date"] == "2023-12"
    d = dossier(_query(ds, known_by="2023-01"), "p-broker")
    assert "cl-recruited" not in _claims(d)
    assert [c["source"] for c in d.entity["citations"]] == ["s-amber"]  # the entity's own citations too


def test_above_the_sharing_level_refused_and_its_citations_not_shown(ds):
    with pytest.raises(UsageError, match="above the sharing level"):
        dossier(_query(ds, max_tlp="GREEN"), "o-agency")
    d = dossier(_query(ds, max_tlp="green"), "p-broker")
    assert [c["source"] for c in d.entity["citations"]] == ["s-report"]  # s-amber is AMBER
    assert "cl-agency" not in _claims(d)  # its subject is AMBER: not there, not counted
    assert (d.claims_left_out, d.status_left_out) == (1, 1)


def test_unknown_name_suggests(ds):
    with pytest.raises(LookupProblem, match="did you mean") as exc:
        dossier(_query(ds), "Test Broket")
    assert "p-broker" in str(exc.value)


def test_text_has_every_fact_of_the_json(ds):
    d = dossier(_query(ds), "p-broker")
    text = "\n".join(d.lines())
    assert text.startswith("Test Broker [p-broker]\n  types: Broker, Person (actor)")
    assert "also known as: Broker T; The Fixer (en); p-broker-dup" in text and "merged from: p-broker-dup" in text
    assert "sharing level: TLP:GREEN" in text
    assert "as object \u2014 paid (paid): 1 claim(s)" in text
    assert "Test Boss [p-boss] \u2014paid\u2192 Test Broker [p-broker]" in text
    confidence = _claims(d)["cl-recruited"]["confidence"]  # its value is the confidence model's, not pinned here
    assert _claims(d)["cl-recruited"]["independent_origins"] == 1
    assert (f"claim cl-recruited \u00b7 reported \u00b7 confidence {confidence:.3f} \u00b7 1 independent origin"
            " \u00b7 valid 2023 \u00b7 "
            "known since 2023-07-26 \u00b7 TLP:GREEN \u00b7 count=12") in text
    assert "valid 2019\u2013open" in text and "note: Still working there" in text
    assert "[B2] Test report [s-report] (Test Publisher, 2023-07-26), p. 4: \u201crecruited twelve people\u201d" in text
    assert "reporting [B] Test report [s-report] (Test Publisher, 2023-07-26): second-hand evidence" in text


def test_the_store_answers_as_the_case_files(ds, ontology, tmp_path):
    """From a store's records read on demand and its array index, the same dossier as from the files."""
    write_store(ds, tmp_path, fingerprint([CASE], ontology))
    gen = current(tmp_path)
    sds = StoreDataset(gen, ontology)
    for options in ({}, {"at": "2023"}, {"statuses": ["disputed"]}):
        stored = Query.of(sds, StoreGraph(gen, ontology), StoreNames(sds), QueryOptions(**options))
        assert dossier(stored, "p-broker").to_dict() == dossier(_query(ds, **options), "p-broker").to_dict()


def test_kk_park_on_the_shipped_data(ontology):
    real = load_dataset([ROOT / "data"], ontology)
    d = dossier(_query(real), "KK Park")
    expected = {c.id for c in real.claims.values() if "compound-kk-park" in (c.subject, c.object)}
    assert set(_claims(d)) == expected and d.claims_left_out == 0


def test_a_denying_source_is_shown_as_such_on_the_real_data(cli):
    """The seed's 2014 account ("training exercise") stands beside the allegation, marked as a denial."""
    import json as _json

    from ..conftest import ROOT
    code, out, _ = cli("show", "case-kh-military-hospital-2014", "--status", "disputed", "--json",
                       "--data", ROOT / "data", "--no-store")
    assert code == 0
    citations = [c for g in _json.loads(out)["relations"] for claim in g["claims"] for c in claim["citations"]]
    denials = [c for c in citations if c.get("stance") == "denies"]
    assert denials and all("training exercise" in c["quote"] for c in denials)
