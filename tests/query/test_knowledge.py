"""Valid time and knowledge time: --at, --from/--to, --include-undated, open ends and --known-by."""

from __future__ import annotations

import json

import pytest

from graph import load_dataset
from graph.query.filters import Filters
from graph.query.knowledge import known_by, known_since, public_by
from graph.query.projection import to_networkx

TIMES = """
sources:
  - {id: s-2014, title: Early report, kind: Report, reliability: B, published: 2014-06-01}
  - {id: s-2016, title: Later report, kind: Report, reliability: B, published: 2016}
  - {id: s-nodate, title: Undated leaflet, kind: Report, reliability: C}
entities:
  - {id: p-a, type: Person, name: Alpha Broker}
  - {id: p-b, type: Person, name: Beta Recruiter}
  - {id: p-c, type: Person, name: Gamma Driver}
  - {id: p-d, type: Person, name: Delta Doctor}
  - {id: h-x, type: Hospital, name: Test Hospital}
claims:
  - {id: in-2014, subject: p-a, predicate: associatedWith, object: p-b, start: 2014,
     citations: [{source: s-2014, quote: worked together in 2014}]}
  - {id: open-2014, subject: p-b, predicate: associatedWith, object: p-c, start: 2014, end: open,
     citations: [{source: s-2014, quote: have worked together since 2014}]}
  - {id: undated, subject: p-c, predicate: associatedWith, object: p-d,
     citations: [{source: s-2016, quote: know each other}]}
  - {id: ends-2010, subject: p-d, predicate: workedFor, object: h-x, end: 2010,
     citations: [{source: s-2014, quote: until 2010}, {source: s-2016, quote: left in 2010}]}
  - {id: later-only, subject: p-a, predicate: workedFor, object: h-x, start: 2013,
     citations: [{source: s-2016, quote: worked there in 2013}, {source: s-nodate, quote: worked there}]}
  - {id: relayed, subject: p-b, predicate: workedFor, object: h-x, start: 2013,
     citations: [{source: s-nodate, quote: as the early report said, reports: s-2014}]}
"""


@pytest.fixture
def times(write):
    return write("times.yaml", TIMES)


@pytest.fixture
def dataset(times, ontology):
    return load_dataset([times], ontology)


def kept(ds, **filters) -> list[str]:
    G = to_networkx(ds)
    cf = Filters(**filters).compile(G, ds.ontology)
    idx, mask, _ = cf.masks()
    by_mask = sorted(idx.keys[i] for i in range(len(idx.keys)) if mask[i])
    assert by_mask == sorted(k for _, _, k, d in G.edges(keys=True, data=True) if cf.edge_ok(d))
    return by_mask


def test_a_start_alone_covers_its_own_period_and_an_open_end_runs_on(dataset):
    assert kept(dataset, at="2014") == ["in-2014", "open-2014"]
    assert kept(dataset, at="2020") == ["open-2014"]  # only the claim the data says is open-ended
    assert kept(dataset, date_from="2015", date_to="2016") == ["open-2014"]
    assert kept(dataset, at="2010") == ["ends-2010"]  # an end alone covers its own period
    assert kept(dataset, at="2012") == []


def test_undated_claims_are_left_out_of_a_time_window_and_counted(dataset):
    G = to_networkx(dataset)
    cf = Filters(at="2014").compile(G, dataset.ontology)
    cf.masks()
    assert cf.undated_left_out == 1 and cf.notes() == [
        "1 undated claim(s) left out of the graph: an undated claim says nothing about the time asked for "
        "(--include-undated uses them, marked undated)"]
    assert kept(dataset, at="2014", include_undated=True) == ["in-2014", "open-2014", "undated"]
    assert "undated" in kept(dataset)  # no window: every claim


def test_public_by_reads_the_last_day_a_published_date_stands_for():
    assert public_by("2016", "2016-12-31") and not public_by("2016", "2016-06")
    assert public_by("2014-06-01", "2014-06") and public_by(None, "2020") is None


def test_known_by_keeps_the_evidence_that_was_public_then(dataset):
    early, report = known_by(dataset, "2015")
    # a citation relaying the 2014 report was public when the report was, whatever the relay's date
    assert sorted(early.claims) == ["ends-2010", "in-2014", "open-2014", "relayed"]
    assert known_since(dataset, dataset.claims["relayed"]) == "2014-06-01"
    assert [c.source for c in early.claims["ends-2010"].citations] == ["s-2014"]  # the 2016 citation is gone
    assert report.claims_left_out == 2 and report.citations_left_out == 4
    assert report.later_sources == ["s-2016"] and report.undated_sources == ["s-nodate"]
    assert sorted(known_by(dataset, "2016")[0].claims) == sorted(dataset.claims) and \
        "later-only" in known_by(dataset, "2016")[0].claims  # s-2016 public; the undated citation still out
    assert known_since(dataset, dataset.claims["ends-2010"]) == "2014-06-01"
    assert known_since(dataset, dataset.claims["undated"]) == "2016"


def test_the_cli_reports_what_a_window_left_out(cli, times):
    code, out, err = cli("path", "Alpha Broker", "Delta Doctor", "--data", times, "--no-store", "--at", "2014",
                         "--json")
    doc = json.loads(out)
    assert code == 3 and doc["query"]["undated_left_out"] == 1 and "1 undated claim(s) left out" in err
    code, out, err = cli("path", "Alpha Broker", "Delta Doctor", "--data", times, "--no-store", "--at", "2014",
                         "--include-undated", "--json")
    doc = json.loads(out)
    assert code == 0 and "left out" not in err
    claims = {c["id"]: c for h in doc["paths"][0]["hops"] for c in h["claims"]}
    assert claims["undated"]["undated"] is True and "undated" not in claims["in-2014"]
    assert claims["open-2014"]["open_end"] is True
    code, out, _ = cli("path", "Alpha Broker", "Delta Doctor", "--data", times, "--no-store", "--at", "2014",
                       "--include-undated")
    assert "undated" in out and "2014\u2013open" in out
    code, _, err = cli("path", "Alpha Broker", "Delta Doctor", "--data", times, "--no-store", "--include-undated")
    assert code == 2 and "--include-undated needs a time window" in err


def test_the_cli_known_by(cli, times):
    code, out, err = cli("timeline", "--data", times, "--no-store", "--known-by", "2015", "--json")
    doc = json.loads(out)
    assert code == 0 and [c["id"] for c in doc["timeline"]] == ["ends-2010", "relayed", "in-2014", "open-2014"]
    assert doc["known_by"]["undated_sources"] == ["s-nodate"] and doc["known_by"]["claims_left_out"] == 2
    assert "sources without a published date" in err and "s-nodate" in err
    code, out, _ = cli("timeline", "--data", times, "--no-store")
    lines = out.splitlines()
    assert lines[0].split() == ["happened", "known", "since", "claim"]
    assert lines[1].startswith("2010") and "2014-06-01" in lines[1]  # valid time, then knowledge time
    code, _, err = cli("timeline", "--data", times, "--no-store", "--known-by", "2015-13")
    assert code == 2 and "--known-by" in err and "not a valid date" in err


def test_the_shipped_data_in_2014_is_2014(cli):
    from ..conftest import ROOT
    data = ["--data", str(ROOT / "data"), "--no-store"]
    code, out, err = cli("timeline", *data, "--at", "2023", "--json")
    items = json.loads(out)["timeline"]
    assert code == 0 and items and all(i["start"].startswith("2023") or i.get("end", "").startswith("2023")
                                       for i in items)
    code, out, _ = cli("timeline", *data, "--from", "2014", "--to", "2014", "--json")
    assert all("2014" in (i.get("start", ""), i.get("end", "")) for i in json.loads(out)["timeline"])
    # the 2023 recruiter group is not on any path in 2014
    code, out, _ = cli("neighbors", "group-id-kh-2023-recruiters", *data, "--at", "2014", "--json")
    assert code == 0 and [n["id"] for n in json.loads(out)["nodes"]] == ["group-id-kh-2023-recruiters"]
