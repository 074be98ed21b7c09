"""Filters: names checked, contradictions refused with a clear message."""

from __future__ import annotations

import pytest

from graph import load_dataset
from graph.errors import UsageError
from graph.query.filters import Filters
from graph.query.projection import to_networkx

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
