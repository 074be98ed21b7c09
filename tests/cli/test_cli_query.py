"""The query commands on the shipped data: answers, evidence, exit codes, JSON."""

from __future__ import annotations

import json

from ..conftest import ROOT

DATA = ["--data", str(ROOT / "data")]
RECRUITERS = "group-id-kh-2023-recruiters"


def test_path_from_recruiters_to_destination_country_with_citations(cli):
    code, out, _ = cli("path", RECRUITERS, "Cambodia", *DATA)
    assert code == 0
    assert out.startswith("Path 1:") and "Former victims turned recruiters" in out
    assert "Human Trafficking for Organ Removal in Southeast Asia" in out  # citation title
    assert "\u201c" in out and "[D" in out  # a quote and a grade


def test_a_path_only_through_a_country_is_no_link_by_default(cli):
    code, out, _ = cli("path", RECRUITERS, "Thailand", *DATA, "--json")
    doc = json.loads(out)
    assert code == 3 and doc["paths"] == [] and doc["not_connected"]["through"] == ["country-kh"]
    code, out, _ = cli("path", RECRUITERS, "Thailand", *DATA, "--json", "--via-context")
    p = json.loads(out)["paths"][0]
    assert code == 0 and p["through"] == ["country-kh"] and p["evidenced"] is False
    assert [n["role"] for n in p["nodes"] if n["id"] == "country-kh"] == ["context"]
    assert [h["context_hop"] for h in p["hops"]] == [h["from"] == "country-kh" or h["to"] == "country-kh"
                                                    for h in p["hops"]]
    assert any(h["context_hop"] for h in p["hops"])


def test_kk_park_and_indonesia_share_no_evidenced_link(cli):
    code, out, _ = cli("path", "KK Park", "Indonesia", *DATA)
    assert code == 3
    assert out.startswith("no evidenced link between KK Park [compound-kk-park] and Indonesia [country-id]")
    assert "Organ harvesting (Practice, concept)" in out and "use --via-context" in out
    code, out, _ = cli("path", "KK Park", "Indonesia", *DATA, "--via-context")
    assert code == 0 and "through Organ harvesting (Practice, concept): not evidence" in out
    assert "[context/concept hop]" in out


def test_walking_a_claim_backwards_keeps_its_arrow(cli):
    code, out, _ = cli("path", RECRUITERS, "hosp-kh-military-2014", *DATA, "--via-context")
    assert code == 0
    assert "Cambodia [country-kh] \u2190locatedIn\u2014 Military hospital" in out


def test_json_schema(cli):
    code, out, _ = cli("path", RECRUITERS, "Cambodia", *DATA, "--json", "--k", "3")
    doc = json.loads(out)
    assert set(doc) == {"query", "paths", "truncated", "message"}
    assert doc["query"]["mode"] == "k-shortest" and doc["query"]["from"]["id"] == RECRUITERS
    lengths = [p["length"] for p in doc["paths"]]
    assert lengths == sorted(lengths) and len(lengths) == 3
    hop = doc["paths"][0]["hops"][0]
    claim = hop["claims"][0]
    assert {"id", "subject", "predicate", "object", "status", "confidence", "citations", "direction"} <= set(claim)
    assert {"source", "title", "reliability", "quote"} <= set(claim["citations"][0])


def test_credible_and_max_hops(cli):
    code, out, _ = cli("path", RECRUITERS, "Cambodia", *DATA, "--credible", "--json")
    assert code == 0 and json.loads(out)["query"]["mode"] == "credible"
    code, out, _ = cli("path", RECRUITERS, "Cambodia", *DATA, "--max-hops", "6", "--limit", "2", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["truncated"] and "more than 2 paths" in doc["message"]
    assert all(p["evidenced"] for p in doc["paths"])


def test_exit_codes(cli):
    code, _, err = cli("path", "Hanoy", "Cambodia", *DATA)
    assert code == 1 and "did you mean" in err and "city-hanoi" in err
    code, out, _ = cli("path", RECRUITERS, "hosp-kh-military-2014", *DATA, "--avoid-type", "Country")
    assert code == 3 and "no path" in out
    code, _, err = cli("path", RECRUITERS, "Cambodia", *DATA, "--via-type", "Country", "--avoid-type", "Country")
    assert code == 2 and "both required" in err
    code, _, err = cli("path", RECRUITERS, "Cambodia", *DATA, "--k", "2", "--credible")
    assert code == 2 and "choose one" in err
    # above the sharing level asked for, a person does not exist for the query, not even as a suggestion
    code, _, err = cli("path", "person-victim-np-kidney-seller", "Cambodia", *DATA, "--max-tlp", "GREEN")
    assert code == 1 and "no entity named 'person-victim-np-kidney-seller'" in err and "19-year-old" not in err


def test_neighbors_common_connect(cli):
    code, out, _ = cli("neighbors", "KK Park", "--hops", "1", *DATA, "--json")
    doc = json.loads(out)
    assert code == 0 and {n["id"] for n in doc["nodes"]} >= {"compound-kk-park", "region-myawaddy"}
    assert [n["role"] for n in doc["nodes"] if n["id"] == "region-myawaddy"] == ["context"]
    code, out, _ = cli("common", RECRUITERS, "group-id-kh-2023-victims", *DATA, "--json")
    doc = json.loads(out)
    assert code == 0 and {c["id"] for c in doc["common"]} == {"case-id-kh-kidney-2023"}
    assert {c["id"] for c in doc["shared_context"]} == {"country-id"}  # both Indonesian: no link
    code, out, _ = cli("connect", RECRUITERS, "KK Park", "Hanoi", *DATA, "--json")
    assert code == 3 and json.loads(out)["unreachable"] == ["compound-kk-park", "city-hanoi"]
    code, out, _ = cli("connect", RECRUITERS, "KK Park", "Hanoi", *DATA, "--json", "--via-context")
    doc = json.loads(out)
    assert code == 0 and not doc["unreachable"] and doc["through"] and doc["evidenced"] is False
    ids = {n["id"] for n in doc["nodes"]}
    assert {RECRUITERS, "compound-kk-park", "city-hanoi"} <= ids


def test_rank_communities_routes_timeline(cli):
    code, out, _ = cli("rank", "--by", "degree", "--type", "Agent", *DATA, "--json", "--top", "5")
    rows = json.loads(out)["ranking"]
    scores = [r["score"] for r in rows]
    assert code == 0 and len(rows) == 5 and scores == sorted(scores, reverse=True)
    code, out1, _ = cli("communities", *DATA, "--json")
    _, out2, _ = cli("communities", *DATA, "--json")
    assert code == 0 and out1 == out2  # seeded: deterministic
    code, out, _ = cli("routes", *DATA, "--json")
    routes = {(r["from"], r["to"]): r for r in json.loads(out)["routes"]}
    assert code == 0 and routes[("ID", "KH")]["people"] == 122 and routes[("ID", "KH")]["organs"] == ["kidney"]
    code, out, _ = cli("timeline", "Cambodia", *DATA, "--from", "2014", "--to", "2014", "--json")
    items = json.loads(out)["timeline"]
    assert code == 0 and items and all(i["start"].startswith("2014") for i in items)
    code, _, err = cli("rank", "--by", "fame", *DATA)
    assert code == 2 and "--by must be" in err


def test_rank_scores_actors_on_the_concrete_graph(cli):
    code, out, _ = cli("rank", "--by", "betweenness", *DATA, "--json", "--top", "50")
    rows = json.loads(out)["ranking"]
    assert code == 0 and rows and all(r["role"] == "actor" for r in rows)
    assert rows[0]["id"] == "hosp-kh-military-2014"  # between the 2014 donors and their case
    assert not any("GeneralCategory" in r["types"] for r in rows)  # "traffickers in general" is a theme
    code, out, _ = cli("rank", "--by", "betweenness", *DATA, "--json", "--via-context", "--top", "1")
    assert json.loads(out)["ranking"][0]["id"] == "phen-thbor"  # the theme, only when asked for
    code, out, _ = cli("rank", "--type", "Country", *DATA)
    assert code == 0 and "ranked only with --via-context" in out
    code, out, _ = cli("communities", *DATA, "--json")
    members = [n for c in json.loads(out)["communities"] for n in c]
    assert members and all(n["role"] == "actor" for n in members)


def test_lookup_suggests_what_a_person_would_mean(cli):
    code, _, err = cli("path", "KK", "Indonesia", *DATA)
    assert code == 1 and "did you mean" in err and err.index("compound-kk-park") < err.index("(KK Park)")
    code, _, err = cli("path", "Indonesian victims", "KK Park", *DATA)
    assert code == 1 and err.splitlines()[1].split()[0] == "group-id-kh-2023-victims"


def test_no_link_messages_and_exit_codes(cli, tmp_path):
    code, out, _ = cli("view", "--path", RECRUITERS, "hosp-kh-military-2014", *DATA, "-o", tmp_path / "p.html")
    assert code == 3 and "no evidenced link" in out and "Cambodia (Country, context)" in out
    assert not (tmp_path / "p.html").exists()
    code, _, err = cli("path", "KK Park", "compound-kk-park", *DATA)
    assert code == 2 and "the same entity" in err
    code, out, _ = cli("common", "KK Park", "Indonesia", *DATA)
    assert code == 3 and "0 shared neighbour(s)" in out
    # following claims one way only, the shared country is no link, and passing it gives no path either
    code, out, _ = cli("path", RECRUITERS, "group-id-kh-2023-victims", *DATA, "--directed", "--predicate", "nationalOf")
    assert code == 3 and "both are linked to Indonesia (Country, context), which is no link" in out
    assert "--via-context" not in out


def test_max_hops_keeps_the_shortest_paths_when_cut(cli):
    code, out, _ = cli("path", RECRUITERS, "Cambodia", *DATA, "--max-hops", "6", "--limit", "1", "--json")
    doc = json.loads(out)
    code, full, _ = cli("path", RECRUITERS, "Cambodia", *DATA, "--max-hops", "6", "--limit", "1000", "--json")
    shortest = min(p["length"] for p in json.loads(full)["paths"])
    assert doc["truncated"] and [p["length"] for p in doc["paths"]] == [shortest]


def test_a_category_described_in_general_terms_links_nothing(cli):
    code, out, _ = cli("path", "group-migrants", "group-refugees", *DATA)
    assert code == 3 and "a path exists only through Organ traffickers and brokers in Southeast Asia" in out
    assert "GeneralCategory" in out and "concept)" in out


def test_python_users_get_exactly_what_json_prints(cli, ontology):
    from graph.query.results import PathMode, QueryOptions
    from graph.workspace import Workspace
    q = Workspace([ROOT / "data"], ontology, use_store=False).query(QueryOptions(via_context=True))
    code, out, _ = cli("path", RECRUITERS, "Thailand", *DATA, "--no-store", "--json", "--via-context", "--k", "2")
    assert code == 0 and json.loads(out) == q.path(RECRUITERS, "Thailand", PathMode(k=2)).to_dict()
    _, out, _ = cli("neighbors", "KK Park", "--hops", "2", *DATA, "--no-store", "--json", "--via-context")
    assert json.loads(out) == q.neighbors("KK Park", 2).to_dict()
    _, out, _ = cli("rank", "--by", "degree", "--type", "Agent", *DATA, "--no-store", "--json", "--via-context")
    assert json.loads(out) == q.rank("degree", ["Agent"]).to_dict()


def test_library_messages_name_fields_and_the_cli_says_flags(cli, ontology):
    import pytest

    from graph.errors import UsageError
    from graph.query.results import PathMode
    with pytest.raises(UsageError, match="choose one of k, max_hops and credible"):
        PathMode(k=2, credible=True)
    code, _, err = cli("path", RECRUITERS, "Cambodia", *DATA, "--max-hops", "0")
    assert code == 2 and "--k, --max-hops and --limit must be at least 1" in err
    code, _, err = cli("rank", "--type", "Nation", *DATA)
    assert code == 2 and "--type: unknown entity type(s) Nation" in err
