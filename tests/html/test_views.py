"""Network views and the dossier site in a real headless Chromium."""

from __future__ import annotations

from collections import defaultdict

import pytest

from graph import load_dataset
from graph.html.site import write_site
from graph.html.swatches import swatch_path
from graph.html.views import focus, path_view, payload, whole, write_view
from graph.query.filters import Filters
from graph.query.knowledge import known_by
from graph.query.paths import shortest_path
from graph.query.projection import to_networkx, valid_days

from ..conftest import ROOT

ALL = None


@pytest.fixture(scope="module")
def shipped():
    from graph import load_ontology
    ds = load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))
    G = to_networkx(ds)
    cf = Filters(statuses=frozenset(ds.ontology.vocabulary("status").ordered())).compile(G, ds.ontology)
    return ds, G, cf


def open_view(page, path):
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.thborReady === true", timeout=30000)


def offline_and_clean(page):
    assert not page.log["errors"], page.log["errors"]
    assert not [m for m in page.log["console"] if m[0] == "error"], page.log["console"]
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page.log["requests"]), page.log["requests"]


def test_overview_loads_offline_and_draws_the_whole_graph(page, shipped, tmp_path):
    ds, G, cf = shipped
    path = write_view(ds, G, whole(G, cf), tmp_path / "overview.html")
    open_view(page, path)
    offline_and_clean(page)
    drawn = page.evaluate("[window.network.body.data.nodes.length, window.network.body.data.edges.length]")
    assert drawn == [G.number_of_nodes(), G.number_of_edges()]
    assert page.text_content("#tlp") == "TLP:AMBER"  # the highest level of what the page holds
    pixels = page.evaluate("""(() => { const c = document.querySelector('#network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()""")
    assert pixels > 10000  # something is drawn


@pytest.mark.parametrize("width,height,min_width", [(390, 844, 300), (1440, 900, 800)])
def test_overview_fits_a_phone_and_a_desktop(page, shipped, tmp_path, width, height, min_width):
    ds, G, cf = shipped
    path = write_view(ds, G, whole(G, cf), tmp_path / "overview.html")
    page.set_viewport_size({"width": width, "height": height})
    open_view(page, path)
    offline_and_clean(page)
    box = page.locator("#network").bounding_box()
    assert page.locator("#network").is_visible()
    assert box["width"] > min_width and box["height"] > 300, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    canvas = page.locator("#network canvas")
    assert canvas.count() == 1 and canvas.bounding_box()["width"] > min_width
    assert page.evaluate("window.network.body.data.nodes.length") == G.number_of_nodes()
    if width < 800:  # the panels are below the network, not squeezed beside it
        assert page.locator("#details").bounding_box()["y"] >= box["y"] + box["height"] - 1
        assert page.locator("#controls").bounding_box()["width"] > 300


def click_node(page, node_id):
    x, y = page.evaluate("""(id) => { const p = window.network.getPositions([id])[id];
        const d = window.network.canvasToDOM(p);
        const r = document.querySelector('#network canvas').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""", node_id)
    page.mouse.click(x, y)


def test_clicking_a_node_and_an_edge_shows_the_evidence(page, shipped, tmp_path):
    ds, G, cf = shipped
    path = write_view(ds, G, focus(G, cf, "org-justice-for-myanmar", 1), tmp_path / "jfm.html")
    open_view(page, path)
    click_node(page, "org-justice-for-myanmar")
    assert page.text_content("#details h3") == "Justice For Myanmar"
    assert "Claims (1)" in page.text_content("#details")
    # the claim's citation links to the source's address, safely
    link = page.locator("#details a").first
    assert link.get_attribute("href").startswith("https://www.justiceformyanmar.org/")
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
    # click the edge: at the middle of its two ends
    x, y = page.evaluate("""() => { const n = window.network;
        const ids = n.getConnectedNodes('org-justice-for-myanmar');
        const ps = n.getPositions(['org-justice-for-myanmar', ids[0]]);
        const a = n.canvasToDOM(ps['org-justice-for-myanmar']), b = n.canvasToDOM(ps[ids[0]]);
        const r = document.querySelector('#network canvas').getBoundingClientRect();
        return [r.left + (a.x + b.x) / 2, r.top + (a.y + b.y) / 2]; }""")
    page.mouse.click(100, 100)  # empty space first, then the edge
    page.mouse.click(x, y)
    text = page.text_content("#details")
    assert page.text_content("#details h3") == "Claim"
    assert "documented" in text and "who-powered-the-expansion-of-cyber-scams-in-myawaddy" in text
    assert "reporting [C] Who powered the expansion of cyber scams in Myawaddy" in text


def test_search_focuses_the_right_node(page, shipped, tmp_path):
    ds, G, cf = shipped
    open_view(page, write_view(ds, G, whole(G, cf), tmp_path / "o.html"))
    page.fill("#search", "Ha Noi")
    page.click("#search-form button")
    assert page.evaluate("window.network.getSelectedNodes()") == ["city-hanoi"]
    assert page.text_content("#details h3") == "Hanoi"
    page.fill("#search", "nothing like this")
    page.click("#search-form button")
    assert "No match" in page.text_content("#search-result")


def test_legend_click_hides_a_type(page, shipped, tmp_path):
    ds, G, cf = shipped
    open_view(page, write_view(ds, G, whole(G, cf), tmp_path / "o.html"))
    countries = sum(1 for e in ds.entities.values() if ds.ontology.view_group(e.types) == "Country")
    assert page.text_content('#legend li[data-group="Country"]') == f"Country ({countries})"
    page.click('#legend li[data-group="Country"]')
    hidden = page.evaluate("window.thborView.nodes.get({filter: function (n) { return n.hidden; }})"
                           ".map(function (n) { return n.id; })")
    shown_edges = page.evaluate("window.thborView.edges.get({filter: function (e) { return !e.hidden; }})")
    linked = {e["from"] for e in shown_edges} | {e["to"] for e in shown_edges}
    assert all(n in linked or not G.degree(n) for n in page.evaluate(SHOWN))  # no orphan left visible
    assert all(h.startswith("country-") or h not in linked for h in hidden)
    assert len([h for h in hidden if h.startswith("country-")]) == countries
    page.click('#legend li[data-group="Country"]')
    assert page.evaluate("window.thborView.nodes.get({filter: function (n) { return n.hidden; }}).length") == 0


def test_filters_hide_claims(page, shipped, tmp_path):
    ds, G, cf = shipped
    open_view(page, write_view(ds, G, whole(G, cf), tmp_path / "o.html"))
    page.uncheck('#status-filter input[value="alleged"]')
    hidden = page.evaluate("window.thborView.edges.get({filter: function (e) { return e.hidden; }}).length")
    assert hidden == sum(1 for c in ds.claims.values() if c.status == "alleged")
    page.check('#status-filter input[value="alleged"]')
    page.fill("#year-from", "2023")
    page.dispatch_event("#year-from", "change")
    shown = page.evaluate("window.thborView.edges.get({filter: function (e) { return !e.hidden; }})"
                          ".map(function (e) { return e.id; })")
    assert shown  # the 2023 cases (Indonesia-Cambodia, Hanoi)
    assert all(valid_days(ds.claims[c])[0] and (valid_days(ds.claims[c])[1] or "9999") >= "2023" for c in shown)
    page.check("#include-undated")  # undated claims come back only when asked for
    again = page.evaluate("window.thborView.edges.get({filter: function (e) { return !e.hidden; }}).length")
    assert again == len(shown) + sum(1 for c in page.evaluate("Object.keys(window.thborView.data.claims)")
                                     if valid_days(ds.claims[c]) == (None, None))


VISIBLE_EDGES = ("window.thborView.edges.get({filter: function (e) { return !e.hidden; }})"
                 ".map(function (e) { return window.thborView.dataId(e.id); })")


def test_known_by_keeps_the_claims_the_command_line_keeps(page, shipped, tmp_path):
    ds, G, cf = shipped
    spec = whole(G, cf)
    open_view(page, write_view(ds, G, spec, tmp_path / "o.html"))
    everything = set(page.evaluate(VISIBLE_EDGES))
    assert everything == set(spec.claims)
    seen = set()
    for date in ("2015", "2020-06", "2023-07-26", "2023"):
        page.fill("#known-by", date)
        shown = set(page.evaluate(VISIBLE_EDGES))
        kept = set(known_by(ds, date)[0].claims)
        assert shown == everything & kept, date
        assert page.text_content("#known-by-error") == ""
        seen.add(len(shown))
    assert len(seen) > 1 and min(seen) < len(everything)  # the dates make a difference
    for bad in ("2023-13", "2023-02-30", "23", "July 2023"):  # a visible message, and no filtering
        page.fill("#known-by", bad)
        assert set(page.evaluate(VISIBLE_EDGES)) == everything, bad
        assert "not a date" in page.text_content("#known-by-error")
        assert page.is_visible("#known-by-error")
    page.fill("#known-by", "")
    assert set(page.evaluate(VISIBLE_EDGES)) == everything and page.text_content("#known-by-error") == ""
    offline_and_clean(page)


def test_path_view_highlights_exactly_the_path(page, shipped, tmp_path):
    ds, G, _ = shipped
    a, b = "group-id-kh-2023-recruiters", "hosp-kh-military-2014"
    assert path_view(G, Filters().compile(G, ds.ontology), a, b) is None  # only through Cambodia
    cf = Filters(via_context=True).compile(G, ds.ontology)
    spec = path_view(G, cf, a, b)
    assert spec.through == ["country-kh"] and "through context: Cambodia" in spec.title
    open_view(page, write_view(ds, G, spec, tmp_path / "p.html"))
    marked = page.evaluate("window.thborView.edges.get({filter: function (e) { return e.context_hop; }})"
                           ".map(function (e) { return e.id; })")
    assert marked and all("country-kh" in (ds.claims[c].subject, ds.claims[c].object) for c in marked)
    expected = shortest_path(G, a, b, cf).nodes
    lit = page.evaluate("window.thborView.nodes.get({filter: function (n) { return n.opacity === 1; }})"
                        ".map(function (n) { return n.id; })")
    assert sorted(lit) == sorted(expected)
    faded = page.evaluate("window.thborView.nodes.get({filter: function (n) { return n.opacity < 1; }}).length")
    assert faded > 0


def test_export_png_button_makes_an_image(page, shipped, tmp_path):
    ds, G, cf = shipped
    open_view(page, write_view(ds, G, whole(G, cf), tmp_path / "o.html"))
    with page.expect_download() as info:
        page.click("#export-png")
    assert info.value.suggested_filename == "thbor-network.png"
    target = tmp_path / "shot.png"
    info.value.save_as(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_too_large_a_view_is_refused(cli):
    code, _, err = cli("view", "--data", str(ROOT / "data"), "--max-nodes", "10", "-o", "/dev/null")
    assert code == 2 and "above the limit of 10" in err and "--focus" in err


def test_site_pages_link_up_offline(page, tmp_path, cli):
    code, out, _ = cli("site", "--data", str(ROOT / "data"), "-o", tmp_path / "site")
    assert code == 0
    page.goto((tmp_path / "site" / "index.html").as_uri())
    assert "Cases" in page.text_content("body")
    page.fill("#filter", "nothing is called this")
    assert page.locator("#filter-empty").is_visible()
    assert page.text_content("#filter-empty") == "No entity or source matches \u201cnothing is called this\u201d."
    assert not page.locator("h2:visible, h3:visible").count()  # no headings left over empty lists
    page.fill("#filter", "kk park")
    visible = page.evaluate("Array.from(document.querySelectorAll('li[data-key]'))"
                            ".filter(function (li) { return !li.hidden; }).length")
    assert visible == 1
    assert not page.locator("#filter-empty").is_visible()
    assert page.locator("h2:visible").count() >= 1
    page.click("text=KK Park")
    page.wait_for_function("window.thborReady === true", timeout=30000)
    assert page.text_content("h1") == "KK Park"
    assert "engaged in" in page.text_content("body") and "D4" in page.text_content("body")
    page.click("text=Human Trafficking for Organ Removal in Southeast Asia >> nth=0")
    assert "Claims it supports" in page.text_content("body")
    offline_and_clean(page)


def test_a_case_view_shows_its_own_evidence_not_cases_that_share_a_country():
    from graph import load_ontology
    ds = load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))
    G = to_networkx(ds)
    spec = focus(G, Filters().compile(G, ds.ontology), "case-id-kh-kidney-2023", 2)
    assert {"group-id-kh-2023-recruiters", "group-id-kh-2023-victims", "country-kh"} <= set(spec.nodes)
    assert not {"case-kh-military-hospital-2014", "case-kh-th-kidney-2014"} & set(spec.nodes)
    wide = focus(G, Filters(via_context=True).compile(G, ds.ontology), "case-id-kh-kidney-2023", 2)
    assert "case-kh-military-hospital-2014" in wide.nodes  # through Cambodia, only when asked for


def test_context_hops_are_marked_in_every_view_and_red_still_wins(ontology, write, tmp_path):
    from graph.html.views import payload
    data = write("ctx.yaml", """
    sources:
      - {id: s1, title: Test report, kind: Report, reliability: B}
    entities:
      - {id: case-a, type: Case, name: Test case A}
      - {id: case-b, type: Case, name: Test case B}
      - {id: c-kh, type: Country, name: Testland, country: KH}
    claims:
      - {subject: case-a, predicate: occurredIn, object: c-kh, citations: [{source: s1, quote: in Testland}]}
      - {subject: case-b, predicate: occurredIn, object: c-kh, status: disputed,
         citations: [{source: s1, quote: maybe}]}
      - {id: undated-a, subject: case-a, predicate: occurredIn, object: c-kh, qualifiers: {placeRole: hub},
         citations: [{source: s1, quote: a hub}]}
    """)
    ds = load_dataset([data], ontology)
    G = to_networkx(ds)
    every = frozenset(ontology.vocabulary("status").concepts)
    spec = focus(G, Filters(via_context=True, statuses=every).compile(G, ontology), "case-a", 2)
    assert spec.through == ["c-kh"] and "case-b" in spec.nodes and "through context: Testland" in spec.title
    edges = {e["id"]: e for e in payload(ds, G, spec)["edges"]}
    assert all(e["context_hop"] for e in edges.values())
    disputed = edges["case-b.occurredIn.c-kh"]
    assert disputed["color"] == "#c0392b" and disputed["dashes"] == [2, 6]  # red wins, still dotted
    assert edges["case-a.occurredIn.c-kh"]["color"] == "#e69f00"
    plain = focus(G, Filters().compile(G, ontology), "case-a", 2)
    assert plain.through == [] and "case-b" not in plain.nodes
    data_out = payload(ds, G, plain)
    assert data_out["statuses"] == [s for s in ontology.vocabulary("status").ordered()
                                    if s not in ("disputed", "refuted")]
    windowed = whole(G, Filters(date_from="2000", include_undated=True).compile(G, ontology))
    marked = payload(ds, G, windowed)
    assert "valid from 2000; undated claims included" in windowed.title
    assert all(c.get("undated") is True for c in marked["claims"].values())


def test_the_site_marks_conflicts_counts_origins_and_links_its_conflicts_page(cli, tmp_path):
    args = ["site", "--data", str(ROOT / "data"), "--no-store", "--status", "disputed", "--status", "reported"]
    assert cli(*args, "-o", tmp_path / "a")[0] == 0
    site = tmp_path / "a"
    assert 'href="conflicts.html">Conflicts</a> (2)' in (site / "index.html").read_text(encoding="utf-8")
    conflicts_page = (site / "conflicts.html").read_text(encoding="utf-8")
    assert "training exercise" in conflicts_page and "<h3>denies</h3>" in conflicts_page
    donors = (site / "entity" / "group-vn-donors-2014.html").read_text(encoding="utf-8")
    assert "CONFLICT: stance, exclusive" in donors and "CONFLICT: exclusive" in donors
    assert "1 independent origin" in donors and '<span class="stance">denies</span>' in donors
    # the conflicts page links each claim to where a page shows it
    assert 'href="entity/group-vn-donors-2014.html#claim-group-vn-donors-2014-victimIn' in conflicts_page
    assert cli(*args, "-o", tmp_path / "b")[0] == 0
    for f in sorted(site.rglob("*")):
        if f.is_file():
            assert f.read_bytes() == (tmp_path / "b" / f.relative_to(site)).read_bytes(), f


# what vis-network draws for each node, what the legend and the site's swatches show
DRAWN_JS = """() => window.thborView.data.nodes.map(function (n) {
    var o = window.network.body.nodes[window.thborView.visId(n.id)].options;
    return [n.group_, o.color.background, o.shape]; })"""
LEGEND_JS = """() => Array.from(document.querySelectorAll('#legend li')).map(function (li) {
    var svg = li.querySelector('svg.swatch'), p = svg.querySelector('path');
    return [li.dataset.group, p.getAttribute('fill'), svg.dataset.shape, p.getAttribute('d')]; })"""
SITE_JS = """() => Array.from(document.querySelectorAll('[data-group] > svg.swatch')).map(function (svg) {
    var p = svg.querySelector('path');
    return [svg.parentNode.dataset.group, p.getAttribute('fill'), svg.dataset.shape, p.getAttribute('d')]; })"""


def drawn(page) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for group, colour, shape in page.evaluate(DRAWN_JS):
        out[group].add((colour.upper(), shape))
    return out


def test_a_class_looks_the_same_in_every_view_its_legend_and_the_site(page, shipped, tmp_path):
    ds, G, cf = shipped
    onto = ds.ontology
    via = Filters(via_context=True, statuses=frozenset(onto.vocabulary("status").ordered())).compile(G, onto)
    views = {"overview": whole(G, cf), "case": focus(G, cf, "case-id-kh-kidney-2023", 2),
             "path": path_view(G, via, "group-id-kh-2023-recruiters", "hosp-kh-military-2014")}
    seen: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # class -> where -> (colour, shape)
    for name, spec in views.items():
        open_view(page, write_view(ds, G, spec, tmp_path / f"{name}.html"))
        offline_and_clean(page)
        for group, looks in drawn(page).items():
            assert len(looks) == 1, (name, group, looks)  # every node of a class alike
            seen[group][name] = looks.pop()
        legend = page.evaluate(LEGEND_JS)
        assert sorted(g for g, *_ in legend) == sorted(g for g in seen if name in seen[g])
        for group, colour, shape, d in legend:  # each swatch in its nodes' colour, drawn in their shape
            assert (colour.upper(), shape) == seen[group][name] and d == swatch_path(shape), group
    site = write_site(ds, G, cf, tmp_path / "site").out_dir
    page.goto((site / "index.html").as_uri())
    for group, colour, shape, d in page.evaluate(SITE_JS):
        seen[group]["site index"] = (colour.upper(), shape)
        assert d == swatch_path(shape)
    page.goto((site / "entity" / "case-id-kh-kidney-2023.html").as_uri())
    page.wait_for_function("window.thborReady === true", timeout=30000)
    offline_and_clean(page)
    for group, looks in drawn(page).items():
        assert len(looks) == 1, (group, looks)
        seen[group]["site page"] = looks.pop()
    for group, where in seen.items():  # one look per class, everywhere, and the ontology's
        assert set(where.values()) == {(onto.colour(group), onto.shape(group))}, (group, where)
    assert set(seen["Country"]) == {"overview", "case", "path", "site index", "site page"}
    assert onto.shape("Country") != "dot" and page.locator("svg.swatch circle").count() == 0


def test_an_entity_of_several_types_shows_the_others_as_border_and_in_its_tooltip(shipped):
    ds, G, cf = shipped
    onto = ds.ontology
    nodes = {n["id"]: n for n in payload(ds, G, whole(G, cf))["nodes"]}
    several = [e for e in ds.entities.values() if onto.appearance(e.types).border]
    assert several
    for e in several:
        look = onto.appearance(e.types)
        node = nodes[e.id]
        assert node["color"]["background"] == look.colour and node["color"]["border"] == look.border
        assert node["color"]["highlight"]["border"] == look.border  # kept when selected
        assert node["shape"] == look.shape and ", ".join(look.others) in node["title"]
    single = next(e for e in ds.entities.values() if len(e.types) == 1)
    assert nodes[single.id]["color"] == onto.colour(onto.view_group(single.types))


PARALLEL = """
sources:
  - {id: s-report, title: Test report, kind: Report, reliability: B}
  - {id: s-post, title: Test post, kind: SocialMediaPost, reliability: D}
entities:
  - {id: p-broker, types: [Person, Broker], name: Test Broker}
  - {id: g-victims, types: [Group, Victim], name: Test victims}
  - {id: c-kh, type: Country, name: Testland, country: KH}
  - {id: h-hospital, type: Hospital, name: Test Hospital, country: KH}
claims:
  - {id: cl-recruited, subject: p-broker, predicate: recruited, object: g-victims,
     citations: [{source: s-report, quote: recruited them, credibility: 2}]}
  - {id: cl-targeted, subject: p-broker, predicate: targeted, object: g-victims, status: alleged,
     citations: [{source: s-post, quote: targeted them, credibility: 3}]}
  - {id: cl-paid, subject: g-victims, predicate: paid, object: p-broker,
     citations: [{source: s-report, quote: paid him, credibility: 2}]}
  - {id: cl-located, subject: h-hospital, predicate: locatedIn, object: c-kh,
     citations: [{source: s-report, quote: in Testland}]}
  - {id: cl-operates, subject: p-broker, predicate: operatesIn, object: c-kh,
     citations: [{source: s-report, quote: works in Testland, credibility: 2}]}
"""

EDGE_POINT = """(id) => { const n = window.network, e = n.body.edges[id];
    const p = e.edgeType.getPoint(0.5), d = n.canvasToDOM(p);
    const r = document.querySelector('#network canvas').getBoundingClientRect();
    return [r.left + d.x, r.top + d.y]; }"""
SHOWN = "window.thborView.nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; })"


@pytest.fixture
def parallel(ontology, write):
    ds = load_dataset([write("parallel.yaml", PARALLEL)], ontology)
    G = to_networkx(ds)
    every = frozenset(ontology.vocabulary("status").ordered())
    return ds, G, Filters(statuses=every).compile(G, ontology)


def test_claims_between_one_pair_are_distinct_curves_each_with_its_evidence(page, parallel, tmp_path):
    ds, G, cf = parallel
    open_view(page, write_view(ds, G, whole(G, cf), tmp_path / "pair.html"))
    offline_and_clean(page)
    drawn_edges = {e["id"]: e for e in page.evaluate("window.thborView.edges.get()")}
    pair = ["cl-paid", "cl-recruited", "cl-targeted"]
    assert set(pair) <= set(drawn_edges)
    curves = {(drawn_edges[c]["smooth"]["type"], drawn_edges[c]["smooth"]["roundness"],
               drawn_edges[c]["from"] < drawn_edges[c]["to"]) for c in pair}
    # seen from one end, no two curves coincide
    sides = {(t if forward else {"curvedCW": "curvedCCW", "curvedCCW": "curvedCW"}[t], r) for t, r, forward in curves}
    assert len(sides) == 3
    assert "smooth" not in drawn_edges["cl-located"]  # a lone claim stays straight
    for cid in pair:
        page.mouse.click(5, 5)
        page.mouse.click(*page.evaluate(EDGE_POINT, cid))
        assert page.evaluate("window.network.getSelectedEdges()") == [cid]
        assert page.get_attribute("#details .claim", "data-claim") == cid
        assert f"claim {cid}" in page.text_content("#details")
    # the tooltip names the relation, the status and the grades
    title = drawn_edges["cl-targeted"]["title"]
    assert "targeted" in title and "alleged" in title and "D3" in title
    assert "B2" in drawn_edges["cl-recruited"]["title"]
    # the grade badge explains itself in the ontology's words
    badge = page.locator("#details .grade").first
    rel, cred = ds.ontology.vocabulary("reliability"), ds.ontology.vocabulary("credibility")
    assert badge.text_content() == "D3"  # the last claim clicked: cl-targeted
    assert badge.get_attribute("title") == (f"source reliability D ({rel.concepts['D'].label}), "
                                            f"information credibility 3 ({cred.concepts['3'].label})")
    # reset empties the evidence panel
    page.click("#reset")
    assert "cl-paid" not in page.text_content("#details")
    assert page.locator("#details .claim").count() == 0


def test_hiding_a_type_or_claims_leaves_no_orphan_but_the_focus(page, parallel, tmp_path):
    ds, G, cf = parallel
    open_view(page, write_view(ds, G, whole(G, cf), tmp_path / "all.html"))
    assert sorted(page.evaluate(SHOWN)) == sorted(ds.entities)
    page.click('#legend li[data-group="Country"]')  # the hospital's one claim goes with Testland
    assert sorted(page.evaluate(SHOWN)) == ["g-victims", "p-broker"]
    page.click('#legend li[data-group="Country"]')
    default = f'#status-filter input[value="{ds.ontology.default_status}"]'
    page.uncheck(default)  # only the alleged claim is left
    assert sorted(page.evaluate(SHOWN)) == ["g-victims", "p-broker"]
    page.check(default)
    assert sorted(page.evaluate(SHOWN)) == sorted(ds.entities)
    spec = focus(G, cf, "h-hospital", 1)
    assert spec.highlight_nodes == ["h-hospital"]
    open_view(page, write_view(ds, G, spec, tmp_path / "focus.html"))
    page.click('#legend li[data-group="Country"]')
    assert page.evaluate(SHOWN) == ["h-hospital"]  # left without claims, but the view is about it
