"""The change report of ``thbor diff``: every kind of change, on two tiny hand-written datasets."""

from __future__ import annotations

import json

import pytest

from graph.load.dataset_json import iter_dataset_json, read_dataset_json
from graph.load.validate import load_dataset
from graph.quality.diff import diff_builds

from ..conftest import ROOT

OLD = """
sources:
  - {id: s-a, title: Report A, kind: Report, reliability: B, tlp: CLEAR}
  - {id: s-b, title: Report B, kind: Report, reliability: C, tlp: CLEAR}
  - {id: s-gone, title: Report gone, kind: Report, reliability: C, tlp: CLEAR}
entities:
  - {id: p-one, type: Person, name: Person One, tlp: GREEN}
  - {id: p-two, type: Person, name: Person Two, tlp: GREEN}
  - {id: p-dup, type: Person, name: Person Dup, tlp: GREEN}
  - {id: p-dup2, type: Person, name: Person Dup Again, tlp: GREEN}
  - {id: p-away, type: Person, name: Person Away, tlp: GREEN}
  - {id: c-kh, type: Country, name: Cambodia, country: KH, tlp: CLEAR}
claims:
  - {id: cl-status, subject: p-one, predicate: operatesIn, object: c-kh, status: alleged, tlp: GREEN,
     citations: [{source: s-a, quote: "one operates in Cambodia", credibility: 3}]}
  - {id: cl-cite, subject: p-two, predicate: operatesIn, object: c-kh, tlp: GREEN,
     citations: [{source: s-a, quote: "two operates in Cambodia"}]}
  - {id: cl-gone, subject: p-two, predicate: recruited, object: p-one, tlp: GREEN,
     citations: [{source: s-gone, quote: "two recruited one"}]}
"""

NEW = """
sources:
  - {id: s-a, title: Report A, kind: Report, reliability: A, tlp: CLEAR}
  - {id: s-b, title: Report B, kind: Report, reliability: C, tlp: CLEAR}
  - {id: s-new, title: Report new, kind: Report, reliability: B, tlp: CLEAR}
entities:
  - {id: p-one, type: Person, name: Person One Renamed, aliases: [{name: P. One}], tlp: GREEN}
  - {id: p-two, type: Person, name: Person Two, tlp: RED}
  - {id: p-dup, type: Person, name: Person Dup, tlp: GREEN}
  - {id: p-dup2, type: Person, name: Person Dup Again, tlp: GREEN}
  - {id: c-kh, type: Country, name: Cambodia, country: KH, tlp: CLEAR}
claims:
  - {id: cl-status, subject: p-one, predicate: operatesIn, object: c-kh, status: convicted, tlp: GREEN,
     citations: [{source: s-a, quote: "one operates in Cambodia", credibility: 1}]}
  - {id: cl-cite, subject: p-two, predicate: operatesIn, object: c-kh, tlp: GREEN,
     citations: [{source: s-a, quote: "two operates in Cambodia"}, {source: s-b, quote: "two is in Cambodia"}]}
  - {id: cl-new, subject: p-one, predicate: operatesIn, object: c-kh, start: 2024, tlp: GREEN,
     citations: [{source: s-new, quote: "one, in 2024"}]}
resolutions:
  - {a: p-dup, b: p-dup2, decision: same, by: tester}
"""


@pytest.fixture
def builds(tmp_path, ontology):
    """Two 'builds': folders holding the dataset.json of OLD and NEW."""
    out = []
    for name, text in (("old", OLD), ("new", NEW)):
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        ds = load_dataset([tmp_path / f"{name}.yaml"], ontology)
        (tmp_path / name).mkdir()
        (tmp_path / name / "dataset.json").write_text(ds.to_json(), encoding="utf-8")
        out.append(tmp_path / name)
    return out


def changes(report):
    return {(c.record, c.id, c.what, json.dumps(c.old), json.dumps(c.new)) for c in report.changes}


def test_every_kind_of_change_is_reported(builds, ontology):
    report = diff_builds(*builds, ontology)
    got = changes(report)
    expected = {
        ("claim", "cl-status", "status", '"alleged"', '"convicted"'),
        ("claim", "cl-status", "credibility", '"3"', '"1"'),
        ("claim", "cl-gone", "removed", "null", "null"),
        ("entity", "p-one", "renamed", '"Person One"', '"Person One Renamed"'),
        ("entity", "p-one", "aliases", "[]", '["P. One"]'),
        ("entity", "p-two", "raised", '"GREEN"', '"RED"'),
        ("entity", "p-dup", "merged_ids", "[]", '["p-dup2"]'),
        ("entity", "p-dup2", "merged", "null", '"p-dup"'),
        ("entity", "p-away", "removed", "null", "null"),
        ("source", "s-a", "reliability", '"B"', '"A"'),
        ("source", "s-gone", "removed", "null", "null"),
        ("source", "s-new", "added", "null", "null"),
    }
    assert expected <= got
    assert ("entity", "p-dup2", "removed", "null", "null") not in got  # merged, not removed
    added = {c.id for c in report.changes if c.record == "claim" and c.what == "added"}
    assert added == {"cl-new"}
    cite = [c for c in report.changes if c.id == "cl-cite"]
    assert [(c.what, c.old) for c in cite] == [("citation", None)] and "s-b" in cite[0].new


def test_identical_builds_have_no_changes(builds, ontology):
    report = diff_builds(builds[0], builds[0] / "dataset.json", ontology)
    assert report.changes == []


def test_dataset_json_reads_back(builds, ontology):
    ds = read_dataset_json(builds[1], ontology)
    assert ds.to_json() == (builds[1] / "dataset.json").read_text(encoding="utf-8")
    assert ds.resolutions and ds.entities["p-dup"].merged_from == ["p-dup2"]


def test_other_layouts_read_the_same(builds, ontology, tmp_path):
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(json.loads((builds[1] / "dataset.json").read_text())), encoding="utf-8")
    assert [(e.section, e.id) for e in iter_dataset_json(compact)] == \
        [(e.section, e.id) for e in iter_dataset_json(builds[1])]
    assert diff_builds(builds[1], compact, ontology).changes == []


def test_cli_report_and_json(builds, cli, tmp_path):
    code, out, err = cli("diff", *builds, "-o", tmp_path / "ch")
    assert code == 0, err
    assert "claim cl-status: status alleged -> convicted" in out
    assert "entity p-two: level GREEN -> RED (now withheld from partners)" in out
    assert "entity p-dup2: merged into p-dup" in out
    code, out, err = cli("diff", *builds, "-o", tmp_path / "ch", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["level"] == "GREEN" and data["counts"]["claim status"] == 1
    assert data["rdf"]["counts"]["removed"] > 0
    assert cli("diff", *builds, "-o", tmp_path / "ch", "--json")[1] == out  # deterministic


def test_cli_report_only_writes_nothing(builds, cli, tmp_path):
    code, out, err = cli("diff", *builds, "-o", tmp_path / "ch", "--report-only")
    assert code == 0, err
    assert "claim cl-status: status alleged -> convicted" in out and "wrote" not in out
    assert not (tmp_path / "ch").exists()
    data = json.loads(cli("diff", *builds, "--report-only", "--json")[1])
    assert "rdf" not in data and data["counts"]["claim status"] == 1


def test_cli_errors(builds, cli, tmp_path):
    code, _, err = cli("diff", builds[0], tmp_path / "nowhere", "-o", tmp_path / "ch")
    assert code == 1 and "no dataset.json" in err
    code, _, err = cli("diff", *builds, "-o", tmp_path / "ch", "--max-tlp", "purple")
    assert code == 2 and "unknown sharing level" in err
    code, _, err = cli("diff", *builds, "-o", builds[0] / "ch")
    assert code == 2
    shuffled = tmp_path / "shuffled.json"
    data = json.loads((builds[0] / "dataset.json").read_text())
    data["claims"].reverse()
    shuffled.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = cli("diff", shuffled, builds[1], "-o", tmp_path / "ch")
    assert code == 1 and "not sorted" in err


def test_shipped_data_against_itself(cli, tmp_path, ontology):
    ds = load_dataset([ROOT / "data"], ontology)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "dataset.json").write_text(ds.to_json(), encoding="utf-8")
    code, out, _ = cli("diff", tmp_path / "b", tmp_path / "b", "-o", tmp_path / "ch")
    assert code == 0 and "no changes" in out and "0 triple(s) added, 0 removed" in out


@pytest.mark.parametrize("chunk", [1, 7, 100, 1 << 24])
def test_the_stream_reads_the_same_at_any_chunk_size(builds, monkeypatch, chunk):
    import graph.load.dataset_json as module
    data = json.loads((builds[1] / "dataset.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(module, "_CHUNK", chunk)
    entries = list(iter_dataset_json(builds[1]))
    for section in ("claims", "entities", "sources", "resolutions"):
        assert [json.loads(e.text) for e in entries if e.section == section] == data.get(section, [])
    assert [e.id for e in entries if e.section == "sources"] == [s["id"] for s in data["sources"]]


def test_a_cut_short_dataset_is_an_error(builds, tmp_path, cli):
    text = (builds[0] / "dataset.json").read_bytes()
    (tmp_path / "cut.json").write_bytes(text[: len(text) // 2])
    code, _, err = cli("diff", builds[0], tmp_path / "cut.json", "-o", tmp_path / "ch")
    assert code == 1 and "cut short" in err
