"""Path finding and valid time in the overview page answer as ``thbor path --json`` and ``--at`` do."""

from __future__ import annotations

import random

import pytest

from graph import load_dataset, load_ontology
from graph.html.views import whole, write_view
from graph.model.names import NameIndex
from graph.query.filters import Filters
from graph.query.projection import to_networkx
from graph.query.results import Query, QueryOptions

from ..conftest import ROOT
from .test_views import VISIBLE_EDGES, open_view

pytestmark = pytest.mark.browser

CONTEXT_ONLY = ("group-id-kh-2023-recruiters", "hosp-kh-military-2014")  # linked only through Cambodia


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    """The overview with every claim status (the path finder leaves the contested ones out itself)."""
    ds = load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))
    G = to_networkx(ds)
    cf = Filters(statuses=frozenset(ds.ontology.vocabulary("status").ordered())).compile(G, ds.ontology)
    spec = whole(G, cf)
    return ds, G, spec, write_view(ds, G, spec, tmp_path_factory.mktemp("paths") / "overview.html")


def cli_answer(ds, G, a: str, b: str, **options) -> dict:
    """What ``thbor path A B --json`` (with these options) prints, as data."""
    return Query.of(ds, G, NameIndex.of(ds), QueryOptions(**options)).path(a, b).to_dict()


def essentials(answer: dict) -> dict:
    """What the page and the command line must agree on: every path's entities and claims, and why none."""
    def path(p: dict) -> dict:
        return {"length": p["length"], "confidence": p["confidence"], "evidenced": p["evidenced"],
                "through": p["through"], "nodes": [n if isinstance(n, str) else n["id"] for n in p["nodes"]],
                "hops": [(h["from"], h["to"], h["context_hop"],
                          [c if isinstance(c, str) else c["id"] for c in h["claims"]]) for h in p["hops"]]}
    return {"paths": [path(p) for p in answer["paths"]], "not_connected": answer.get("not_connected")}


def kind(answer: dict) -> str:
    if answer["paths"]:
        return "path"
    return "through context" if (answer.get("not_connected") or {}).get("through") else "none"


def pairs(ds, G) -> list[tuple[str, str]]:
    """25 pairs with a fixed seed, and the kinds random pairs may miss: through context only, and
    linked only by a contested claim."""
    rng = random.Random(20261128)
    ids = sorted(ds.entities)
    out = [tuple(rng.sample(ids, 2)) for _ in range(25)]
    contested = [c for c in ds.claims.values() if c.status in ds.ontology.contested_statuses]
    out += [(c.subject, c.object) for c in contested if c.subject != c.object]
    return [*out, CONTEXT_ONLY]


def test_the_page_finds_the_paths_thbor_path_finds(page, overview):
    ds, G, _, path = overview
    open_view(page, path)
    kinds = set()
    for a, b in pairs(ds, G):
        want = essentials(cli_answer(ds, G, a, b))
        got = essentials(page.evaluate("([a, b]) => window.thborPath(a, b)", [a, b]))
        assert got == want, (a, b)
        kinds.add(kind(want))
    assert kinds == {"path", "through context"}  # with every status, context links every entity on the shipped data
    wide = [(a, b) for a, b in pairs(ds, G)[:8]] + [CONTEXT_ONLY]
    for options, page_options in (({"via_context": True}, {"viaContext": True}),
                                  ({"at": "2023"}, {"from": 2023, "to": 2023}),
                                  ({"at": "2014", "include_undated": True}, {"from": 2014, "to": 2014,
                                                                            "includeUndated": True}),
                                  ({"min_confidence": 0.25}, {"minConfidence": 0.25}),
                                  ({"known_by": "2023"}, {"knownBy": "2023-12-31"}),
                                  ({"statuses": ds.ontology.vocabulary("status").ordered()},
                                   {"statuses": ds.ontology.vocabulary("status").ordered()})):
        for a, b in wide:
            want = essentials(cli_answer(ds, G, a, b, **options))
            got = essentials(page.evaluate("([a, b, o]) => window.thborPath(a, b, o)", [a, b, page_options]))
            assert got == want, (a, b, options)
            kinds.add(kind(want))
    assert kinds == {"path", "through context", "none"}  # the answers cover every kind


def lit_nodes(page) -> set[str]:
    return set(page.evaluate("window.thborView.nodes.get({filter: function (n) { return n.opacity === 1; }})"
                             ".map(function (n) { return window.thborView.dataId(n.id); })"))


def test_the_path_panel_picks_two_entities_and_shows_the_evidence(page, overview):
    ds, G, _, path = overview
    open_view(page, path)
    a, b = "group-id-kh-2023-recruiters", "country-kh"
    want = cli_answer(ds, G, a, b)["paths"][0]
    page.fill("#path-from", ds.entities[a].name)
    page.fill("#path-to", "Cambodia")
    page.click("#path-form button[type=submit]")
    assert page.text_content("#path-result").startswith(f"{want['length']} hop(s), confidence {want['confidence']}")
    assert lit_nodes(page) == {n["id"] for n in want["nodes"]}
    shown = page.evaluate("Array.from(document.querySelectorAll('#details .claim')).map(c => c.dataset.claim)")
    assert shown == [c["id"] for h in want["hops"] for c in h["claims"]]
    assert "\u201c" in page.text_content("#details .quote")  # the citations' quotes, as the details panel shows
    assert page.text_content("#path-command") == f"Same as: thbor path {a} {b}"
    assert page.evaluate("window.location.hash") == f"#path={a},{b}"
    # through context only: no evidenced link, what they share, and the path when asked for
    page.fill("#path-from", CONTEXT_ONLY[0])
    page.fill("#path-to", CONTEXT_ONLY[1])
    page.click("#path-form button[type=submit]")
    assert page.text_content("#path-result") == "No evidenced link with these filters."
    assert "A path exists only through Cambodia" in page.text_content("#details")
    page.check("#path-context")
    assert "not evidence that the two are linked" in page.text_content("#path-result")
    assert page.text_content("#path-command").endswith("--via-context")
    assert page.locator("#details h4.context-hop").count() >= 1
    # set from the selected node
    page.click("#path-clear")
    page.evaluate("window.network.selectNodes(['country-kh'])")
    page.click("#path-to-selected")
    assert page.input_value("#path-to") == "Cambodia"
    assert page.evaluate("window.location.hash") == ""
    assert not page.log["errors"], page.log["errors"]


def test_links_preset_the_path_by_the_hash(page, overview):
    ds, G, _, path = overview
    a, b = "group-id-kh-2023-recruiters", "country-kh"
    page.goto(path.resolve().as_uri() + f"#path={a},{b}")
    page.wait_for_function("window.thborReady === true", timeout=30000)
    assert lit_nodes(page) == {n["id"] for n in cli_answer(ds, G, a, b)["paths"][0]["nodes"]}
    page.goto(path.resolve().as_uri() + "#from=country-kh")
    page.wait_for_function("window.thborReady === true", timeout=30000)
    assert page.input_value("#path-from") == "Cambodia" and page.input_value("#path-to") == ""
    assert page.text_content("#details h3") == "Cambodia"
    page.evaluate("window.location.hash = '#path=country-kh,%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'")
    page.wait_for_function("document.getElementById('path-result').textContent.indexOf('Not in this view') === 0")
    assert page.evaluate("window.__xss") == 0 and not page.log["errors"]


@pytest.mark.parametrize("undated", [False, True])
def test_the_valid_time_slider_keeps_what_at_keeps(page, overview, undated):
    ds, G, spec, path = overview
    open_view(page, path)
    every = frozenset(ds.ontology.vocabulary("status").ordered())
    if undated:
        page.check("#include-undated")
    seen = set()
    for year in (2014, 2016, 2023):
        page.evaluate("(y) => { const s = document.getElementById('valid-at'); s.value = String(y);"
                      " s.dispatchEvent(new Event('input')); }", year)
        assert page.text_content("#valid-at-value") == str(year)
        cf = Filters(at=str(year), include_undated=undated, statuses=every).compile(G, ds.ontology)
        kept = {k for k in spec.claims if cf.edge_ok(G.edges[ds.claims[k].subject, ds.claims[k].object, k])}
        shown = set(page.evaluate(VISIBLE_EDGES))
        assert shown == kept, year
        seen.add(len(shown))
    assert len(seen) > 1
    page.evaluate("() => { const s = document.getElementById('valid-at'); s.value = s.min;"
                  " s.dispatchEvent(new Event('input')); }")
    assert page.text_content("#valid-at-value") == "any time"
    assert set(page.evaluate(VISIBLE_EDGES)) == set(spec.claims)


def test_a_site_page_opens_the_overview_with_itself_as_the_start(page, overview, tmp_path):
    """In a build, every entity page links to the overview with the entity as a path's start."""
    from graph.html.site import write_site
    ds, G, spec, _ = overview
    cf = Filters(statuses=frozenset(ds.ontology.vocabulary("status").ordered())).compile(G, ds.ontology)
    write_view(ds, G, spec, tmp_path / "views" / "overview.html")
    write_site(ds, G, cf, tmp_path / "site", overview="../views/overview.html")
    page.goto((tmp_path / "site" / "entity" / "country-kh.html").resolve().as_uri())
    page.click("a.find-paths")
    page.wait_for_function("window.thborReady === true", timeout=30000)
    assert page.url.endswith("/views/overview.html#from=country-kh")
    assert page.input_value("#path-from") == "Cambodia"
    # without an overview (thbor site on its own) no page links to one
    write_site(ds, G, cf, tmp_path / "alone")
    assert "find-paths" not in (tmp_path / "alone" / "entity" / "country-kh.html").read_text(encoding="utf-8")
