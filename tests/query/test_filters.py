"""Filters: names checked, contradictions refused with a clear message; one rule read per claim and as
array masks; a graph's index never outlives a change of the graph."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graph import load_dataset
from graph.errors import UsageError
from graph.query.filters import Filters
from graph.query.index import GraphIndex
from graph.query.paths import shortest_path
from graph.query.projection import to_networkx

from ..conftest import FIXTURES


@pytest.fixture(scope="module")
def G_and_onto():
    from graph import load_ontology

    from ..conftest import ROOT
    onto = load_ontology(ROOT / "ontology")
    return to_networkx(load_dataset([FIXTURES / "tiny"], onto)), onto


@pytest.mark.parametrize("filters,message", [
    (Filters(predicates=frozenset({"paid"}), exclude_predicates=frozenset({"paid"})), "both required and excluded"),
    (Filters(via_types=frozenset({"Country"}), avoid_types=frozenset({"Country"})),
     "both required (via_types) and avoided"),
    (Filters(at="2020", date_from="2019"), "at cannot be combined"),
    (Filters(date_from="2021", date_to="2020"), "date_from 2021 is after date_to 2020"),
    (Filters(min_confidence=1.5), "within 0..1"),
    (Filters(predicates=frozenset({"recruted"})), "unknown predicate 'recruted'"),
    (Filters(avoid_types=frozenset({"Nation"})), "unknown entity type 'Nation'"),
    (Filters(statuses=frozenset({"rumour"})), "unknown status 'rumour'"),
    (Filters(max_tlp="PINK"), "unknown level 'PINK'"),
    (Filters(min_reliability="Z"), "unknown grade 'Z'"),
    (Filters(at="2020-13"), "not a valid date"),
    (Filters(include_undated=True), "include_undated needs a time window"),
    (Filters(known_by="2023-02-30"), "known_by: '2023-02-30' is not a valid date"),
])
def test_bad_filters_are_refused(G_and_onto, filters, message):
    G, onto = G_and_onto
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        filters.compile(G, onto)


def edges_kept(G, onto, f):
    cf = f.compile(G, onto)
    idx, mask, _ = cf.masks()
    by_mask = sorted(idx.keys[i] for i in range(len(idx.keys)) if mask[i])
    by_dict = sorted(k for _, _, k, d in G.edges(keys=True, data=True) if cf.edge_ok(d))
    assert by_mask == by_dict  # the array masks and the per-edge test agree
    return by_mask


def test_default_excludes_nothing_here_but_time_and_tlp_filter(G_and_onto):
    G, onto = G_and_onto
    assert len(edges_kept(G, onto, Filters())) == 3
    assert edges_kept(G, onto, Filters(at="2022")) == []  # the 2023 claim is not valid yet; undated ones say nothing
    assert edges_kept(G, onto, Filters(at="2023")) == ["cl-recruited"]
    assert edges_kept(G, onto, Filters(at="2022", include_undated=True)) == sorted(
        k for k in edges_kept(G, onto, Filters()) if k != "cl-recruited")
    assert "cl-recruited" not in edges_kept(G, onto, Filters(date_from="2024"))  # a start alone: its year only
    cf = Filters(at="2023").compile(G, onto)
    assert cf.notes() and cf.undated_left_out == 2 and "2 undated claim(s) left out" in cf.notes()[0]
    assert edges_kept(G, onto, Filters(max_tlp="CLEAR")) == ["h-hospital.locatedIn.c-kh"]
    assert edges_kept(G, onto, Filters(min_reliability="B")) == ["cl-recruited", "h-hospital.locatedIn.c-kh"]
    assert edges_kept(G, onto, Filters(statuses=frozenset({"alleged"}))) == ["g-victims.traffickedTo.c-kh"]


def test_describe_lists_only_what_was_set():
    assert Filters().describe() == {}
    assert Filters(avoid_types=frozenset({"Country"}), directed=True).describe() == {
        "avoid_types": ["Country"], "directed": True}


DISPUTED = """
sources:
  - {id: s1, title: Test report, kind: Report, reliability: B}
entities:
  - {id: p-a, type: Person, name: Alpha Broker}
  - {id: p-b, type: Person, name: Beta Recruiter}
  - {id: h-x, type: Hospital, name: Test Hospital}
claims:
  - {id: cl-disputed, subject: p-a, predicate: workedFor, object: h-x, status: disputed,
     citations: [{source: s1, quote: said to have worked there}]}
  - {id: cl-reported, subject: p-a, predicate: associatedWith, object: p-b, status: reported,
     citations: [{source: s1, quote: worked together}]}
"""


def test_queries_views_and_site_share_one_default_status_set(cli, write, tmp_path):
    data = write("disputed.yaml", DISPUTED)
    common = ["--data", data, "--no-store"]
    code, out, _ = cli("path", "Alpha Broker", "Test Hospital", *common)
    assert code == 3  # the disputed claim links nothing by default
    assert cli("view", *common, "-o", tmp_path / "v.html")[0] == 0
    assert cli("site", *common, "-o", tmp_path / "site")[0] == 0
    view = (tmp_path / "v.html").read_text(encoding="utf-8")
    page = (tmp_path / "site" / "entity" / "p-a.html").read_text(encoding="utf-8")
    assert "cl-reported" in view and "cl-disputed" not in view
    assert "cl-reported" in page and "cl-disputed" not in page
    assert "1 more claim(s) with status disputed, refuted are not shown" in page
    # asked for, the disputed claim is used everywhere, and marked
    every = [f"--status={s}" for s in ("reported", "disputed")]
    code, out, _ = cli("path", "Alpha Broker", "Test Hospital", *common, *every)
    assert code == 0 and "disputed" in out
    assert cli("view", *common, *every, "-o", tmp_path / "v2.html")[0] == 0
    assert cli("site", *common, *every, "-o", tmp_path / "site2")[0] == 0
    assert "cl-disputed" in (tmp_path / "v2.html").read_text(encoding="utf-8")
    page = (tmp_path / "site2" / "entity" / "p-a.html").read_text(encoding="utf-8")
    assert '<span class="status-flag">DISPUTED</span>' in page and "more claim(s)" not in page


def test_site_pages_say_the_time_they_were_made_for(cli, write, tmp_path):
    data = write("disputed.yaml", DISPUTED)
    assert cli("site", "--data", data, "--no-store", "--known-by", "2016", "-o", tmp_path / "site")[0] == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="scope">evidence published by 2016</span>' in page


# --- one rule, two readings: the per-claim tests and the array masks agree on random data ---

TYPES = ["Person", "Group", "Hospital", "Site", "Country", "City", "Practice"]  # actors, objects, context, concepts
PREDICATES = ["associatedWith", "partOf", "broader"]  # Entity -> Entity: symmetric and directed
STATUSES = ["alleged", "reported", "corroborated", "confirmed", "convicted", "disputed", "refuted"]
LEVELS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
YEARS = ["2014", "2015", "2016", "2016-06", "2017-02-14"]


@st.composite
def random_dataset(draw):
    """A few entities of several types (so several traversal roles) and claims with random evidence,
    valid times and sharing levels."""
    from graph.load.files import RawRecord
    from graph.load.validate import validate_records
    from graph.model.ontology import load_ontology
    from graph.model.records import Origin

    from ..conftest import ROOT
    here = Origin("mem", 0)
    raw = [RawRecord("source", {"id": f"s{g}", "title": g, "kind": "Report", "reliability": g, "publisher": f"p{g}",
                                "tlp": draw(st.sampled_from(LEVELS[:3]))}, here) for g in "ABCDEF"]
    n = draw(st.integers(2, 8))
    for i in range(n):
        raw.append(RawRecord("entity", {"id": f"n{i}", "type": draw(st.sampled_from(TYPES)), "name": f"N{i}",
                                        "tlp": draw(st.sampled_from(LEVELS))}, here))
    seen = set()
    for _ in range(draw(st.integers(1, 20))):
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        p = draw(st.sampled_from(PREDICATES))
        if i == j or (i, j, p) in seen:
            continue
        seen.add((i, j, p))
        claim = {"subject": f"n{i}", "predicate": p, "object": f"n{j}", "status": draw(st.sampled_from(STATUSES)),
                 "tlp": draw(st.sampled_from(LEVELS)),
                 "citations": [{"source": f"s{g}", "quote": "q", "credibility": draw(st.sampled_from("123456"))}
                               for g in draw(st.sets(st.sampled_from("ABCDEF"), min_size=1, max_size=2))]}
        start = draw(st.sampled_from([None, *YEARS]))
        if start is not None:
            claim["start"] = start
            end = draw(st.sampled_from([None, "open", "2018"]))
            if end is not None:
                claim["end"] = end
        raw.append(RawRecord("claim", claim, here))
    ds, problems = validate_records(raw, load_ontology(ROOT / "ontology"))
    assert not problems, problems
    return ds


def subset(values):
    return st.frozensets(st.sampled_from(values), max_size=2)


@st.composite
def random_filters(draw):
    window = draw(st.sampled_from(["none", "at", "from", "to", "both"]))
    at = draw(st.sampled_from(YEARS)) if window == "at" else None
    date_from = draw(st.sampled_from(YEARS)) if window in ("from", "both") else None
    date_to = draw(st.sampled_from(YEARS)) if window in ("to", "both") else None
    return Filters(predicates=draw(subset(PREDICATES)), exclude_predicates=draw(subset(PREDICATES)),
                   via_types=draw(subset(TYPES)), avoid_types=draw(subset(TYPES)),
                   avoid=draw(st.frozensets(st.sampled_from(["n0", "n1", "n9"]), max_size=2)),
                   min_confidence=draw(st.sampled_from([0.0, 0.1, 0.3, 0.42, 0.5, 0.8])),
                   min_reliability=draw(st.sampled_from([None, "B", "D"])),
                   statuses=draw(st.none() | st.frozensets(st.sampled_from(STATUSES), min_size=1, max_size=3)),
                   at=at, date_from=date_from, date_to=date_to, max_tlp=draw(st.sampled_from([None, *LEVELS])),
                   directed=draw(st.booleans()), via_context=draw(st.booleans()),
                   include_undated=window != "none" and draw(st.booleans()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_dataset(), random_filters())
def test_per_claim_tests_and_masks_accept_the_same_claims_and_entities(ds, f):
    assume(not f._problems(ds.ontology))  # contradictory filters are refused (see test_bad_filters_are_refused)
    G = to_networkx(ds)
    cf = f.compile(G, ds.ontology)
    idx, edge_mask, node_mask = cf.masks()
    assert {k for _, _, k, d in G.edges(keys=True, data=True) if cf.edge_ok(d)} == {
        idx.keys[i] for i in np.flatnonzero(edge_mask)}
    assert {n for n in G if cf.node_ok(n)} == {idx.nodes[i] for i in np.flatnonzero(node_mask)}
    assert {n for n in G if cf.shown(n)} == {idx.nodes[i] for i in np.flatnonzero(cf.shown_mask())}
    # the undated claims a window leaves out are those the other rules keep
    undated = [d for _, _, d in G.edges(data=True) if d["lo"] is None and d["hi"] is None]
    wide = dataclasses.replace(f, include_undated=True).compile(G, ds.ontology) if f.windowed else None
    expected = sum(map(wide.edge_ok, undated)) if wide and not f.include_undated else 0
    assert cf.undated_left_out == expected


def test_masks_agree_with_the_claims_read_directly(G_and_onto):
    """An independent reading of a few filters on the tiny case (the rules as the docs state them)."""
    G, onto = G_and_onto
    for f, expected in [(Filters(min_confidence=0.5), {"cl-recruited"}),
                        (Filters(statuses=frozenset({"alleged"}), max_tlp="CLEAR"), set()),
                        (Filters(date_to="2022"), set()),  # the 2023 claim is later; undated ones say nothing
                        (Filters(date_to="2023", include_undated=True),
                         {"cl-recruited", "g-victims.traffickedTo.c-kh", "h-hospital.locatedIn.c-kh"})]:
        cf = f.compile(G, onto)
        idx, mask, _ = cf.masks()
        assert {idx.keys[i] for i in np.flatnonzero(mask)} == expected, f


# --- no hidden state: a changed graph never answers from the index of its earlier state ---

def test_the_projection_is_frozen_and_keeps_its_index(G_and_onto):
    G, _ = G_and_onto
    assert nx.is_frozen(G)
    with pytest.raises(nx.NetworkXError):
        G.add_edge("p-broker", "h-hospital", key="new")
    assert GraphIndex.of(G) is GraphIndex.of(G)


def test_a_graph_changed_in_place_never_answers_from_a_stale_index(G_and_onto):
    frozen, onto = G_and_onto
    G = nx.MultiDiGraph(frozen)  # a copy that may change
    assert not nx.is_frozen(G)
    before = Filters().compile(G, onto)
    p = shortest_path(G, "p-broker", "g-victims", before)
    assert p is not None and p.hops == [["cl-recruited"]]
    # the claim goes: same node count, one edge fewer (the old cache compared node counts only)
    G.remove_edge("p-broker", "g-victims", key="cl-recruited")
    assert shortest_path(G, "p-broker", "g-victims", before) is None
    assert shortest_path(G, "p-broker", "g-victims", Filters().compile(G, onto)) is None
    # an attribute changed in place: the claim is now disputed, so left out by default
    G.add_edge("p-broker", "g-victims", key="cl-recruited", **frozen.edges["p-broker", "g-victims", "cl-recruited"])
    assert shortest_path(G, "p-broker", "g-victims", before).hops == [["cl-recruited"]]
    G.edges["p-broker", "g-victims", "cl-recruited"]["status"] = "disputed"
    assert shortest_path(G, "p-broker", "g-victims", before) is None
    assert not before.edge_ok(G.edges["p-broker", "g-victims", "cl-recruited"])
