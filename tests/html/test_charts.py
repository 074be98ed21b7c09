"""The site's charts: their data equal the query library's answers, their bytes repeat, they hide what
the site hides, and they draw offline in a real Chromium."""

from __future__ import annotations

import csv
import inspect
import io
import json
from collections import Counter

import pytest

from graph import load_dataset
from graph.html.charts import RANK_BY, RANK_TOP, centrality, route_flows, site_charts, status_timeline
from graph.html.chartspecs import VEGA, VEGA_LITE, check_svg, render_svg
from graph.html.site import write_site
from graph.model.sharing import share
from graph.query.filters import Filters
from graph.query.network import rank, routes, timeline
from graph.query.projection import to_networkx
from graph.query.results import Query

from ..conftest import FIXTURES, ROOT

CASE = """
sources:
  - {id: s-a, title: Report A, kind: Report, reliability: B, published: 2020}
  - {id: s-b, title: Post B, kind: SocialMediaPost, reliability: F}
entities:
  - {id: p-one, types: [Person, Broker], name: Broker One, country: ID}
  - {id: g-victims, types: [Group, Victim], name: Victims, country: ID}
  - {id: h-one, type: Hospital, name: Hospital One, country: KH}
  - {id: c-kh, type: Country, name: Cambodia, country: KH}
  - {id: c-th, type: Country, name: Thailand, country: TH}
claims:
  - {id: c1, subject: p-one, predicate: recruited, object: g-victims, start: 2019,
     citations: [{source: s-a, quote: q1}]}
  - {id: c2, subject: g-victims, predicate: traffickedTo, object: c-kh, start: 2019, end: 2020,
     qualifiers: {count: 7}, citations: [{source: s-a, quote: q2}]}
  - {id: c3, subject: g-victims, predicate: traffickedTo, object: c-th, start: 2021-03, status: alleged,
     qualifiers: {organ: kidney}, citations: [{source: s-b, quote: q3}]}
  - {id: c4, subject: h-one, predicate: locatedIn, object: c-kh, citations: [{source: s-a, quote: q4}]}
  - {id: c5, subject: p-one, predicate: associatedWith, object: h-one, status: disputed, start: 2021,
     citations: [{source: s-b, quote: q5}]}
  - {id: c6, subject: g-victims, predicate: traffickedTo, object: c-kh, status: alleged,
     citations: [{source: s-b, quote: q6}]}
"""


@pytest.fixture
def small(write, ontology):
    ds = load_dataset([write("case/case.yaml", CASE).parent], ontology)
    G = to_networkx(ds)
    return ds, G, Filters().compile(G, ontology)


def table(chart):
    return [dict(zip(chart.columns, row, strict=True)) for row in chart.rows]


def test_timeline_counts_are_the_timelines_claims_by_year_and_status(small):
    ds, G, cf = small
    chart = status_timeline(ds, G, cf)
    ids = timeline(ds, G, cf)
    expected = Counter((G.edges[ds.claims[k].subject, ds.claims[k].object, k]["lo"][:4], ds.claims[k].status)
                       for k in ids)
    dated = {(r["year"], r["status"]): r["claims"] for r in table(chart) if r["year"] != "undated"}
    assert dated == dict(expected) == {("2019", "reported"): 2, ("2021", "alleged"): 1}  # c5 is disputed: not shown
    # undated claims the site shows are counted apart, never at a year
    assert [(r["status"], r["claims"]) for r in table(chart) if r["year"] == "undated"] == [("alleged", 1),
                                                                                             ("reported", 1)]
    assert "2 undated claim(s)" in chart.description
    spec = chart.spec
    assert spec["hconcat"][0]["encoding"]["x"]["scale"]["domain"] == ["2019", "2020", "2021"]  # no year skipped
    assert all("year" not in row for row in spec["hconcat"][1]["data"]["values"])
    every = {s for s in ds.ontology.vocabulary("status").ordered()}
    shown = Filters(statuses=frozenset(every)).compile(G, ds.ontology)
    chart = status_timeline(ds, G, shown)
    assert ("2021", "disputed", 1) in chart.rows and "drawn in red" in chart.description


def test_timeline_in_a_time_window_says_what_the_window_leaves_out(small):
    ds, G, _ = small
    windowed = Filters(date_from="2020").compile(G, ds.ontology)
    chart = status_timeline(ds, G, windowed)
    assert [r for r in chart.rows if r[0].startswith("undated")] == [("undated, left out by the time window", "", 2)]
    assert sum(r[2] for r in chart.rows if not r[0].startswith("undated")) == len(timeline(ds, G, windowed))
    included = Filters(date_from="2020", include_undated=True).compile(G, ds.ontology)
    chart = status_timeline(ds, G, included)
    assert sum(r[2] for r in chart.rows) == len(timeline(ds, G, included))
    assert [r for r in chart.rows if r[0] == "undated"] == [("undated", "alleged", 1), ("undated", "reported", 1)]


def test_route_flows_are_the_routes_answer(small):
    ds, G, cf = small
    chart = route_flows(ds, G, cf)
    answer = routes(ds, G, cf)
    assert [(r["from"], r["to"], r["claims"], r["people"], r["organs"]) for r in table(chart)] == [
        ("Indonesia (ID)", "Cambodia (KH)", 2, 7, ""), ("Indonesia (ID)", "Thailand (TH)", 1, "", "kidney")]
    assert [r["claim ids"].split() for r in table(chart)] == [r["claims"] for r in answer]
    links = chart.spec["data"][0]["values"]
    assert [(x["label"], x["carries"]) for x in links] == [("2 claims \u00b7 7 people", "people"),
                                                          ("1 claim \u00b7 kidney", "organs")]
    assert chart.spec["$schema"] == VEGA and chart.spec_file == "routes.vg.json"


def test_centrality_is_the_rank_answer_with_its_defaults_in_class_colours(small):
    ds, G, cf = small
    defaults = inspect.signature(Query.rank).parameters
    assert (RANK_BY, RANK_TOP) == (defaults["by"].default, defaults["top"].default)  # those of thbor rank
    chart = centrality(ds, G, cf)
    assert [(r["id"], r[RANK_BY]) for r in table(chart)] == [(r["id"], r["score"]) for r in rank(G, RANK_BY, cf)]
    spec = chart.spec
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"], strict=True)) == {
        g: ds.ontology.colour(g) for g in {ds.ontology.view_group(ds.entities[r["id"]].types) for r in table(chart)}}
    assert spec["$schema"] == VEGA_LITE and chart.spec_file == "centrality.vl.json"


def test_charts_render_to_the_same_svg_twice_and_hold_no_script(small):
    ds, G, cf = small
    first, second = site_charts(ds, G, cf), site_charts(ds, G, cf)
    assert [c.svg for c in first] == [c.svg for c in second]
    for chart in first:
        assert chart.svg.startswith("<svg") and "<script" not in chart.svg
        assert chart.title in chart.svg


def test_a_chart_that_would_hold_script_is_refused(small):
    from graph.errors import OutputError
    ds, G, cf = small
    spec = status_timeline(ds, G, cf).spec
    assert render_svg(spec)  # drawn as usual; a name with markup is text
    spec["hconcat"][0]["data"]["values"][0]["status"] = "<script>alert(1)</script>"
    assert "&lt;script&gt;" in render_svg(spec)
    ns = 'xmlns="http://www.w3.org/2000/svg"'
    for bad in (f"<svg {ns}><script>alert(1)</script></svg>", f'<svg {ns}><rect onclick="alert(1)"/></svg>',
                f'<svg {ns} xmlns:x="http://www.w3.org/1999/xlink"><image x:href="http://example.org/x.png"/></svg>',
                f"<svg {ns}><foreignObject><p>x</p></foreignObject></svg>", "<svg><text>a</svg>"):
        with pytest.raises(OutputError):
            check_svg(bad, "x")
    outside = {**spec, "hconcat": [{**spec["hconcat"][0], "data": {"url": "https://example.org/x.csv"}}]}
    with pytest.raises(OutputError, match="not allowed"):  # no request to any host, ever
        render_svg(outside)
    broken = {**spec, "hconcat": [{"mark": "no-such-mark", "data": {"values": []}}]}
    with pytest.raises(OutputError, match="could not be drawn"):
        render_svg(broken)


def test_site_writes_each_chart_as_svg_spec_and_csv_the_same_bytes_twice(small, tmp_path):
    ds, G, cf = small
    sites = [write_site(ds, G, cf, tmp_path / name) for name in ("one", "two")]
    names = sorted(p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one" / "charts").iterdir())
    assert names == ["charts/centrality.csv", "charts/centrality.svg", "charts/centrality.vl.json",
                     "charts/routes.csv", "charts/routes.svg", "charts/routes.vg.json",
                     "charts/timeline.csv", "charts/timeline.svg", "charts/timeline.vl.json"]
    for name in [*names, "charts.html", "index.html"]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert all(tmp_path / "one" / n in sites[0].files for n in names)
    spec = json.loads((tmp_path / "one" / "charts" / "timeline.vl.json").read_text(encoding="utf-8"))
    assert spec["$schema"] == VEGA_LITE and spec["description"]
    rows = list(csv.reader(io.StringIO((tmp_path / "one" / "charts" / "routes.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["from", "to", "claims", "people", "organs", "claim ids"] and len(rows) == 3
    page = (tmp_path / "one" / "charts.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and page.count("<table>") == 3 and page.count("<figcaption") == 3
    assert 'href="charts.html"' in (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    entity = next((tmp_path / "one" / "entity").iterdir()).read_text(encoding="utf-8")
    assert 'href="../charts.html"' in entity  # every page's header links to the charts


def test_no_chart_names_a_record_above_the_sites_level(ontology, tmp_path, cli):
    """A withheld record leaves no trace in a chart: every text field of the levels fixture carries
    its level's marker, and none above GREEN reaches a chart, its spec, its data or the page."""
    code, _, err = cli("site", "--data", FIXTURES / "levels", "--max-tlp", "green", "-o", tmp_path / "site")
    assert code == 0, err
    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "charts").iterdir()}
    texts["charts.html"] = (tmp_path / "site" / "charts.html").read_text(encoding="utf-8")
    assert "Name-GREEN-marker" in texts["centrality.svg"]  # the charts do name what the site shows
    for name, text in texts.items():
        for marker in ("RED-marker", "AMBER-marker", "STRICT-marker", "ent-lvl-red", "ent-lvl-amber"):
            assert marker not in text, (name, marker)
    # the leaks fixture: the people it withholds are no label (a GREEN record may still say their name)
    code, _, err = cli("site", "--data", FIXTURES / "leaks", "--max-tlp", "green", "-o", tmp_path / "leaks")
    assert code == 0, err
    full = load_dataset([FIXTURES / "leaks"], ontology)
    withheld = [e for e in full.entities.values() if e.id not in share(full, "GREEN")[0].entities]
    assert withheld
    for p in (tmp_path / "leaks" / "charts").glob("*.csv"):
        cells = {c for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8"))) for c in row}
        cells |= {w for c in cells for w in c.split()}
        assert not cells & {x for e in withheld for x in (e.id, e.name)}, p.name


@pytest.mark.parametrize("fixture", ["levels", "leaks"])
def test_the_sites_filters_alone_keep_withheld_entities_out_of_the_charts(fixture, ontology):
    """Without the sharing step (a library caller's site with max_tlp): no withheld entity is a label."""
    full = load_dataset([FIXTURES / fixture], ontology)
    tlp = ontology.vocabulary("tlp")
    withheld = [e for e in full.entities.values() if e.tlp and tlp.rank(e.tlp) > tlp.rank("GREEN")]
    assert withheld
    G = to_networkx(full)
    charts = site_charts(full, G, Filters(max_tlp="GREEN").compile(G, ontology))
    named = {row[2] for row in next(c for c in charts if c.name == "centrality").rows}
    assert named and not named & {e.id for e in withheld}
    for chart in charts:
        labels = [str(v) for row in chart.rows for v in row]
        assert not {e.name for e in withheld} & set(labels), chart.name
        assert not [e.id for e in withheld if any(e.id in v.split() for v in labels)], chart.name


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    from graph import load_ontology
    ds = load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))
    G = to_networkx(ds)
    out = tmp_path_factory.mktemp("site") / "site"
    write_site(ds, G, Filters().compile(G, ds.ontology), out)
    return out


@pytest.mark.parametrize("width", [390, 1400])
def test_charts_page_of_the_shipped_data_draws_every_chart_offline(page, shipped_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((shipped_site / "charts.html").as_uri())
    page.wait_for_load_state("load")
    marks = {"timeline": ".mark-rect path", "routes": ".mark-path path", "centrality": ".mark-rect path"}
    for name, selector in marks.items():
        svg = page.locator(f'[data-chart="{name}"] > svg')
        assert svg.count() == 1 and svg.is_visible(), name
        box = svg.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, (name, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (name, box)  # scaled to fit a phone
        assert page.locator(f'[data-chart="{name}"] {selector}').count() > 0, name
        labels = page.locator(f'[data-chart="{name}"] text').all_text_contents()
        assert any(labels), name
        assert page.locator(f"#chart-{name} figcaption").inner_text().strip()
        assert page.locator(f"#chart-{name} table tbody tr").count() > 0
    routes_text = " ".join(page.locator('[data-chart="routes"] text').all_text_contents())
    assert "Cambodia (KH)" in routes_text and "122 people" in routes_text
    assert not page.log["errors"], page.log["errors"]
    assert not [m for m in page.log["console"] if m[0] == "error"], page.log["console"]
    assert page.log["requests"] and all(u.startswith("file:") for u in page.log["requests"]), page.log["requests"]
    for link in page.locator("#chart-routes a").all():  # the files beside the page are there
        href = link.get_attribute("href")
        assert (shipped_site / href).is_file(), href


def test_charts_page_works_under_the_sites_content_security_policy(browser, shipped_site):
    """Without Playwright's CSP bypass: the inline SVG needs no script or inline style."""
    context = browser.new_context()
    try:
        page = context.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto((shipped_site / "charts.html").as_uri())
        page.wait_for_load_state("load")
        assert not violations, violations
        assert page.locator('[data-chart="timeline"] > svg').bounding_box()["height"] > 100
    finally:
        context.close()


def test_charts_page_runs_no_injected_markup_and_shows_it_as_text(page, tmp_path, ontology):
    """Names holding markup (the payloads of test_injection) are text in the SVG: nothing runs or loads."""
    from .test_injection import PAYLOADS, corpus
    ds = load_dataset([corpus(tmp_path)], ontology)
    G = to_networkx(ds)
    write_site(ds, G, Filters().compile(G, ontology), tmp_path / "site")
    page.goto((tmp_path / "site" / "charts.html").as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") == 0 and not page.log["dialogs"] and not page.log["errors"]
    assert all(u.startswith("file:") for u in page.log["requests"]), page.log["requests"]
    labels = " ".join(page.locator('[data-chart="centrality"] text').all_text_contents())
    assert "N0 <script>alert(1)</script>" in labels or "N0 <script>" in labels  # long names are cut with "…"
    table = page.locator("#chart-centrality table").inner_text()
    assert sum(p.strip() in table for p in PAYLOADS) >= 10  # the top 20 are drawn, the rest are tied at 0
    assert page.locator("#chart-centrality svg script, #chart-centrality svg foreignObject").count() == 0
