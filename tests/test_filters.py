"""Filters: names checked, contradictions refused with a clear message."""

from __future__ import annotations

import pytest

from graph import load_dataset
from graph.errors import UsageError
from graph.filters import Filters
from graph.projection import to_networkx

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def G_and_onto():
    from graph import load_ontology
    from .conftest import ROOT
    onto = load_ontology(ROOT / "ontology")
    return to_networkx(load_dataset([FIXTURES / "tiny"], onto)), onto


@pytest.mark.parametrize("filters,message", [
    (Filters(predicates=frozenset({"paid"}), exclude_predicates=frozenset({"paid"})), "both required and excluded"),
    (Filters(via_types=frozenset({"Country"}), avoid_types=frozenset({"Country"})), "both required (--via-type) and avoided"),
    (Filters(at="2020", date_from="2019"), "--at cannot be combined"),
    (Filters(date_from="2021", date_to="2020"), "--from 2021 is after --to 2020"),
    (Filters(min_confidence=1.5), "within 0..1"),
    (Filters(predicates=frozenset({"recruted"})), "unknown predicate 'recruted'"),
    (Filters(avoid_types=frozenset({"Nation"})), "unknown entity type 'Nation'"),
    (Filters(statuses=frozenset({"rumour"})), "unknown status 'rumour'"),
    (Filters(max_tlp="PINK"), "unknown level 'PINK'"),
    (Filters(min_reliability="Z"), "unknown grade 'Z'"),
    (Filters(at="2020-13"), "not a valid date"),
    (Filters(include_undated=True), "--include-undated needs a time window"),
    (Filters(known_by="2023-02-30"), "--known-by: '2023-02-30' is not a valid date"),
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
