"""SPARQL over the graph, and the documented example queries."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import ROOT

DATA = ["--data", str(ROOT / "data")]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_every_example_query_runs_and_returns_rows(cli, query):
    code, out, err = cli("sparql", query, *DATA, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["results"]["bindings"], query.name


def test_social_media_only_query_finds_the_x_post_claims(cli):
    code, out, _ = cli("sparql", ROOT / "queries" / "social-media-only.rq", *DATA, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows
    assert all(r["status"] == "alleged" for r in rows)
    assert any(r["id"].startswith("group-id-syndicate-brokers.memberOf") for r in rows)


def test_construct_gives_turtle_and_ask_a_boolean(cli):
    code, out, _ = cli("sparql", "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a thb:ScamCompound ; rdfs:label ?l }", *DATA)
    assert code == 0 and 'rdfs:label "KK Park"' in out
    code, out, _ = cli("sparql", "ASK { ?s a thb:Hospital }", *DATA)
    assert code == 0 and out.strip() == "true"


def test_sharing_level_applies_to_queries(cli):
    q = "SELECT ?n WHERE { ?e rdfs:label ?n ; a thb:Person }"
    _, red, _ = cli("sparql", q, *DATA, "--format", "csv")
    _, green, _ = cli("sparql", q, *DATA, "--format", "csv", "--max-tlp", "GREEN")
    assert "Santosh" in red and "Santosh" not in green


def test_syntax_error_is_a_clear_message(cli):
    code, _, err = cli("sparql", "SELEKT ?x WHERE {}", *DATA)
    assert code == 2 and "SPARQL syntax error" in err
