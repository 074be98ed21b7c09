"""Network queries (graph.query.network) on a tiny hand-written case whose answers can be read off it.

    g-v (victims, ID) --recruited-- p-a --associatedWith-- p-b --paid-- p-c --workedFor-- h-x (KH)
    g-v --traffickedTo--> c-kh (a country: context)       h-x --locatedIn--> c-kh
    p-a and p-c --engagedIn--> pr-x (a practice: concept)  p-a --associatedWith-- p-c is disputed
    p-z has no claim
"""

from __future__ import annotations

import pytest

from graph.errors import UsageError
from graph.load.validate import load_dataset
from graph.query.filters import Filters
from graph.query.network import common_neighbors, communities, connect, neighbors, rank, routes, timeline
from graph.query.projection import to_networkx

from ..conftest import ROOT

CASE = """
sources:
  - {id: s1, title: Test report, kind: Report, reliability: B, publisher: Test Publisher}
entities:
  - {id: p-a, type: Person, name: Alpha, country: ID}
  - {id: p-b, type: Person, name: Beta, country: ID}
  - {id: p-c, type: Person, name: Gamma, country: KH}
  - {id: p-z, type: Person, name: Zeta}
  - {id: g-v, type: Group, name: Victims, country: ID}
  - {id: h-x, type: Hospital, name: Test Hospital, country: KH}
  - {id: c-kh, type: Country, name: Cambodia, country: KH}
  - {id: pr-x, type: Practice, name: Organ brokering}
claims:
  - {id: c-recruited, subject: p-a, predicate: recruited, object: g-v, start: 2015,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-assoc, subject: p-b, predicate: associatedWith, object: p-a, start: 2016,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-paid, subject: p-b, predicate: paid, object: p-c, start: 2017-03,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-trafficked, subject: g-v, predicate: traffickedTo, object: c-kh, start: 2016, qualifiers: {count: 5},
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-worked, subject: p-c, predicate: workedFor, object: h-x,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-located, subject: h-x, predicate: locatedIn, object: c-kh,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-practice-a, subject: p-a, predicate: engagedIn, object: pr-x,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-practice-c, subject: p-c, predicate: engagedIn, object: pr-x,
     citations: [{source: s1, quote: q, credibility: 2}]}
  - {id: c-disputed, subject: p-a, predicate: associatedWith, object: p-c, status: disputed, start: 2014,
     citations: [{source: s1, quote: q, credibility: 2}]}
"""


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    from graph.model.ontology import load_ontology
    path = tmp_path_factory.mktemp("network") / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    ds = load_dataset([path], load_ontology(ROOT / "ontology"))
    return ds, to_networkx(ds)


def compiled(case, **filters):
    ds, G = case
    return Filters(**filters).compile(G, ds.ontology)


def test_neighbors_show_context_without_expanding_it(case):
    _, G = case
    one = neighbors(G, "p-a", 1, compiled(case))
    assert one["distance"] == {"p-a": 0, "g-v": 1, "p-b": 1, "pr-x": 1}  # the disputed claim to p-c is left out
    assert one["claims"] == ["c-assoc", "c-practice-a", "c-recruited"] and one["through"] == []
    two = neighbors(G, "p-a", 2, compiled(case))
    assert two["distance"] == {"p-a": 0, "g-v": 1, "p-b": 1, "pr-x": 1, "c-kh": 2, "p-c": 2}  # not p-c through pr-x
    wide = neighbors(G, "p-a", 2, compiled(case, via_context=True))
    assert wide["through"] == ["pr-x"] and wide["distance"]["p-c"] == 2
    with pytest.raises(UsageError, match="hops must be at least 1"):
        neighbors(G, "p-a", 0, compiled(case))


def test_common_neighbors_put_links_before_shared_context(case):
    _, G = case
    rows = common_neighbors(G, "p-a", "p-c", compiled(case))
    assert [(r["id"], r["role"], r["link"]) for r in rows] == [("p-b", "actor", True), ("pr-x", "concept", False)]
    assert rows[0]["claims_a"] == ["c-assoc"] and rows[0]["claims_b"] == ["c-paid"]
    assert common_neighbors(G, "p-a", "p-z", compiled(case)) == []


def test_connect_joins_terminals_over_concrete_entities(case):
    _, G = case
    tree = connect(G, ["p-a", "h-x"], compiled(case))
    assert tree["nodes"] == ["h-x", "p-a", "p-b", "p-c"] and tree["unreachable"] == [] and tree["through"] == []
    assert [(e["from"], e["to"], e["claims"]) for e in tree["edges"]] == [
        ("h-x", "p-c", ["c-worked"]), ("p-a", "p-b", ["c-assoc"]), ("p-b", "p-c", ["c-paid"])]
    apart = connect(G, ["p-a", "p-z"], compiled(case))
    assert apart["unreachable"] == ["p-z"] and apart["nodes"] == []
    with pytest.raises(UsageError, match="two different"):
        connect(G, ["p-a", "p-a"], compiled(case))


def test_rank_scores_the_concrete_graph(case):
    _, G = case
    rows = rank(G, "degree", compiled(case), top=4)
    assert rows == [{"id": "p-a", "score": 2.0}, {"id": "p-b", "score": 2.0}, {"id": "p-c", "score": 2.0},
                    {"id": "g-v", "score": 1.0}]
    assert [r["id"] for r in rank(G, "degree", compiled(case), types=frozenset({"Hospital"}))] == ["h-x"]
    assert rank(G, "betweenness", compiled(case), top=1) == [{"id": "p-b", "score": 0.4}]  # the middle of the chain
    with pytest.raises(UsageError, match="by must be degree"):
        rank(G, "fame", compiled(case))


def test_communities_partition_the_concrete_entities(case):
    _, G = case
    found = communities(G, compiled(case))
    members = [n for c in found for n in c]
    assert sorted(members) == ["g-v", "h-x", "p-a", "p-b", "p-c", "p-z"] and len(set(members)) == len(members)
    assert found[-1] == ["p-z"]  # alone: no claim links it
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    assert found == communities(G, compiled(case))  # seeded


def test_routes_add_up_flows_between_countries(case):
    ds, G = case
    assert routes(ds, G, compiled(case)) == [{"from": "ID", "from_name": "Indonesia", "to": "KH", "to_name": "Cambodia",
                                             "claims": ["c-trafficked"], "people": 5, "organs": []}]
    assert routes(ds, G, compiled(case, date_to="2015")) == []  # the flow is of 2016


def test_timeline_orders_dated_claims_by_valid_time(case):
    ds, G = case
    assert timeline(ds, G, compiled(case)) == ["c-recruited", "c-assoc", "c-trafficked", "c-paid"]  # not disputed
    assert timeline(ds, G, compiled(case), "p-b") == ["c-assoc", "c-paid"]
    with_undated = timeline(ds, G, compiled(case, date_from="2017", include_undated=True), "p-c")
    assert with_undated == ["c-paid", "c-practice-c", "c-worked"]  # undated last
