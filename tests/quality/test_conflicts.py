"""Conflicts: stated and denied, differing figures, mutually exclusive claims; and the command."""

from __future__ import annotations

import json

import pytest

from graph.errors import InputError, UsageError
from graph.load.validate import load_dataset
from graph.quality.conflicts import conflicting_claims, conflicts, conflicts_document, render
from graph.quality.stats import dataset_stats
from graph.synth import write_synth

from ..conftest import ROOT

CASE = """
sources:
  - {id: s-tempo, title: Outlet one, kind: NewsArticle, reliability: B, publisher: One}
  - {id: s-kompas, title: Outlet two, kind: NewsArticle, reliability: B, publisher: Two}
  - {id: s-wire, title: A wire story, kind: NewsArticle, reliability: C, publisher: Wire}
  - {id: s-hospital, title: The hospital's statement, kind: Report, reliability: C, tlp: AMBER}
entities:
  - {id: official, type: Person, name: An official, tlp: GREEN}
  - {id: donors, type: Group, name: Donors}
  - {id: case, type: Case, name: The case}
claims:
  - id: paid
    subject: official
    predicate: paid
    object: donors
    qualifiers: {currency: IDR}
    citations:
      - {source: s-tempo, quote: "at least 3 million rupiah per person", credibility: 2, values: {amountMin: 3000000}}
      - {source: s-kompas, quote: "3.2 to 3.5 million rupiah", credibility: 2,
         values: {amountMin: 3200000, amountMax: 3500000.0}}
  - id: victims
    subject: donors
    predicate: victimIn
    object: case
    status: disputed
    citations:
      - {source: s-wire, quote: "trafficked for their kidneys", credibility: 3}
      - {source: s-hospital, quote: "a training exercise", credibility: 3, stance: denies}
  - id: voluntary
    subject: donors
    predicate: donorIn
    object: case
    status: disputed
    citations:
      - {source: s-hospital, quote: "voluntary donors", credibility: 3}
"""


@pytest.fixture
def ds(ontology, write):
    return load_dataset([write("case.yaml", CASE)], ontology)


def test_each_kind_is_found_with_its_sides(ds):
    found = conflicts(ds)
    assert [(c.kind, c.claims, c.qualifier) for c in found] == [
        ("stance", ["victims"], None), ("values", ["paid"], "amountMin"), ("exclusive", ["victims", "voluntary"], None)]
    stance, values, exclusive = found
    assert [(s.says, [c["source"] for c in s.citations]) for s in stance.sides] == \
        [("affirms", ["s-wire"]), ("denies", ["s-hospital"])]
    # each figure beside the source that gave it; a decimal given as 3500000.0 is one number
    assert [(s.value, [c["source"] for c in s.citations]) for s in values.sides] == \
        [(3000000, ["s-tempo"]), (3200000, ["s-kompas"])]
    assert values.sides[1].citations[0]["values"] == {"amountMax": 3500000, "amountMin": 3200000}
    # an exclusive side lists only the citations that affirm its claim
    assert [(s.claim, [c["quote"] for c in s.citations]) for s in exclusive.sides] == \
        [("victims", ["trafficked for their kidneys"]), ("voluntary", ["voluntary donors"])]
    assert exclusive.statuses == {"victims": "disputed", "voluntary": "disputed"}


def test_a_level_leaves_out_what_is_above_it(ds):
    assert [c.kind for c in conflicts(ds, "green")] == ["values"]  # the hospital's statement is AMBER
    assert [c.kind for c in conflicts(ds, "clear")] == []  # the official is GREEN
    with pytest.raises(UsageError, match="max_tlp"):
        conflicts(ds, "purple")


def test_document_and_text(ds):
    doc = conflicts_document(conflicts(ds))
    assert doc["counts"] == {"stance": 1, "values": 1, "exclusive": 1}
    assert doc["conflicts"][1]["qualifier"] == "amountMin" and doc["conflicts"][1]["sides"][0]["value"] == 3000000
    lines = render(conflicts(ds))
    assert lines[0] == "stance: victims (disputed)" and lines[-1] == "3 conflict(s)"
    assert any('s-kompas (reliability B, credibility 2; origin s-kompas): "3.2 to 3.5 million rupiah"' in x
               for x in lines)


def test_stats_mark_conflicts_and_count_origins(ds):
    s = dataset_stats(ds)
    assert s["claims_by_independent_origins"] == {"1": 2, "2": 1}
    assert list(s["corroborated_claims"].values()) == [2]
    assert s["conflicting_claims"] == {"paid": "values", "victims": "stance, exclusive", "voluntary": "exclusive"}


def _marks_of(found):
    kinds: dict[str, list[str]] = {}
    for c in found:
        for cid in c.claims:
            kinds.setdefault(cid, []).append(c.kind)
    return {cid: ", ".join(dict.fromkeys(k)) for cid, k in sorted(kinds.items())}


@pytest.mark.parametrize("level", [None, "green", "clear"])
def test_the_marks_are_the_claims_of_the_conflicts(ds, level):
    assert conflicting_claims(ds, level) == _marks_of(conflicts(ds, level))


def test_the_marks_are_the_claims_of_the_conflicts_on_bulk_data(ontology, tmp_path):
    ds = load_dataset([write_synth(tmp_path / "s.jsonl", ontology, 3000, seed=4)], ontology)
    marks = conflicting_claims(ds)
    assert len(marks) > 10 and marks == _marks_of(conflicts(ds))


def test_values_are_checked_like_qualifiers(ontology, write):
    bad = CASE.replace("values: {amountMin: 3000000}", "values: {amountMin: lots, colour: red}")
    bad = bad.replace("stance: denies", "stance: maybe")
    with pytest.raises(InputError) as info:
        load_dataset([write("bad.yaml", bad)], ontology)
    messages = [p.message for p in info.value.problems]
    assert "citations.0.values.amountMin: 'lots' is not a number" in messages
    assert any(m.startswith("citations.0.values: unknown qualifier 'colour'") for m in messages)
    assert any(m.startswith("citations.1.stance: unknown value 'maybe'") for m in messages)


def test_origin_links_must_name_sources(ontology, write):
    bad = CASE.replace("publisher: Wire}", "publisher: Wire, syndicates: s-nowhere, cites: [s-wire]}")
    with pytest.raises(InputError) as info:
        load_dataset([write("bad.yaml", bad)], ontology)
    assert sorted(p.message for p in info.value.problems) == \
        ["cites: a source cannot name itself", "syndicates: unknown source 's-nowhere'"]


def test_the_shipped_data_holds_the_2014_disagreement(cli):
    code, out, _ = cli("conflicts", ROOT / "data", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["counts"] == {"stance": 1, "exclusive": 1}
    stance = doc["conflicts"][0]
    assert stance["claims"] == ["group-vn-donors-2014.victimIn.case-kh-military-hospital-2014.40ea98d8"]
    assert stance["statuses"] == {stance["claims"][0]: "disputed"}
    denies = stance["sides"][1]
    assert denies["says"] == "denies" and "training exercise" in denies["citations"][0]["quote"]
    code, out, _ = cli("conflicts", ROOT / "data")
    assert code == 0 and out.rstrip().endswith("2 conflict(s)")
    code, _, err = cli("conflicts", ROOT / "data", "--max-tlp", "purple")
    assert code == 2 and "unknown sharing level" in err
