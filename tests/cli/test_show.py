"""``thbor show``: one entity's evidence in the terminal, from the case files or the workspace store."""

from __future__ import annotations

import json
import shutil

from graph.load.validate import load_dataset
from graph.store import fingerprint, write_store

from ..conftest import FIXTURES, ROOT

CASE = ["--data", str(FIXTURES / "dossier"), "--no-store"]


def test_kk_park_lists_every_claim_with_its_citations(cli, ontology):
    code, out, _ = cli("show", "KK Park", "--data", ROOT / "data")
    assert code == 0 and out.startswith("KK Park [compound-kk-park]\n")
    ds = load_dataset([ROOT / "data"], ontology)
    claims = [c for c in ds.claims.values() if "compound-kk-park" in (c.subject, c.object)]
    assert claims and f"{len(claims)} claim(s)" in out
    for c in claims:
        assert f"claim {c.id} \u00b7 {c.status}" in out
        for cit in c.citations:
            grade = f"{ds.sources[cit.source].reliability}{cit.credibility or ''}"
            assert f"\u201c{cit.quote}\u201d" in out and f"[{grade}]" in out
    for cit in ds.entities["compound-kk-park"].citations:
        assert f"\u201c{cit.quote}\u201d" in out


def test_text_and_json(cli):
    code, out, err = cli("show", "The Fixer", *CASE)
    assert code == 0 and out.startswith("Test Broker [p-broker]\n")
    assert "as subject \u2014 recruited (recruited): 1 claim(s)" in out and "as object \u2014 paid" in out
    assert "1 claim(s) of Test Broker [p-broker] left out by the filters" in err
    code, out, _ = cli("show", "The Fixer", *CASE, "--json")
    doc = json.loads(out)
    assert code == 0 and list(doc) == ["entity", "filters", "claim_count", "claims_left_out", "status_left_out",
                                       "relations"]
    assert doc["entity"]["merged_from"] == ["p-broker-dup"] and doc["claim_count"] == 4
    assert [(r["as"], r["predicate"]) for r in doc["relations"]][0] == ("subject", "recruited")
    claim = doc["relations"][0]["claims"][0]
    assert {"id", "status", "confidence", "start", "known_since", "tlp", "qualifiers", "citations",
            "other"} <= set(claim)


def test_filters_apply(cli):
    code, out, _ = cli("show", "p-broker", *CASE, "--status", "disputed", "--json")
    doc = json.loads(out)
    assert code == 0 and [c["id"] for r in doc["relations"] for c in r["claims"]] == ["cl-operates"]
    assert doc["filters"] == {"statuses": ["disputed"]} and doc["claims_left_out"] == 4
    code, out, _ = cli("show", "p-broker", *CASE, "--from", "2020", "--include-undated", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["undated_left_out"] == 0
    assert {c["id"]: c.get("undated") for r in doc["relations"] for c in r["claims"]}["cl-paid"] is True
    code, _, err = cli("show", "p-broker", *CASE, "--at", "2023", "--from", "2020")
    assert code == 2 and "cannot be combined" in err


def test_sharing_level(cli):
    code, out, err = cli("show", "p-broker", *CASE, "--max-tlp", "green")
    assert code == 0 and "amber" not in (out + err).lower()  # neither the AMBER source nor the AMBER agency
    code, out, err = cli("show", "Amber agency", *CASE, "--max-tlp", "green")
    assert code == 1 and "Amber agency" in err and out == ""  # above the level it does not exist for the query


def test_unknown_name_exits_1_with_suggestions(cli):
    code, out, err = cli("show", "Test Broket", *CASE)
    assert code == 1 and out == "" and "did you mean" in err and "p-broker" in err


def test_the_store_gives_the_same_json(cli, ontology, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "dossier", data)
    store = tmp_path / "store"
    write_store(load_dataset([data], ontology), store, fingerprint([data], ontology))
    for extra in ([], ["--at", "2023"], ["--max-tlp", "green"], ["--known-by", "2023-12"]):
        code, stored, _ = cli("show", "p-broker", "--data", data, "--store", store, "--json", *extra)
        code_files, files, _ = cli("show", "p-broker", "--data", data, "--no-store", "--json", *extra)
        assert code == code_files == 0 and stored == files
