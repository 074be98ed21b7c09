"""Injected markup in every text field runs nothing, in the view and in the site, and shows as text."""

from __future__ import annotations

import yaml

from graph import load_dataset
from graph.filters import Filters
from graph.projection import to_networkx
from graph.site import write_site
from graph.views import whole, write_view

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    "'><img src=x onerror=alert(5)>",
    "</script><script>alert(6)</script>",
    "javascript:alert(7)",
    '<a href="javascript:alert(8)">x</a>',
    '<iframe src="javascript:alert(9)"></iframe>',
    "<body onload=alert(10)>",
    "{{constructor.constructor('alert(11)')()}}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "\u2028\u2029<script>alert(13)</script>",
    "<details open ontoggle=alert(14)>",
    "<input autofocus onfocus=alert(15)>",
    "<video><source onerror=alert(16)></video>",
    "&lt;script&gt;alert(17)&lt;/script&gt;",
    '" onmouseover="alert(18)" x="',
    "${alert(19)}",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/y.css>",
    "\u202e<script>alert(22)</script>",
    "<!--<img src=x onerror=alert(23)>-->",
    "<object data=javascript:alert(24)>",
    "]]><script>alert(25)</script>",
]


def corpus(tmp_path):
    """One source and two entities per payload, the payload in every text field; a claim links them."""
    sources, entities, claims = [], [], []
    for i, p in enumerate(PAYLOADS):
        sources.append({"id": f"s{i}", "title": f"T{i} {p}", "publisher": f"P{i} {p}", "author": p,
                        "url": f"https://example.org/{i}?q='x'&p=(1)", "kind": "Report", "reliability": "C",
                        "note": p, "language": "en"})
        entities.append({"id": f"a{i}", "type": "Person", "name": f"N{i} {p}", "description": p, "note": p,
                         "aliases": [{"name": f"A{i} {p}", "lang": "en"}], "url": f"https://example.org/p{i}"})
        entities.append({"id": f"b{i}", "type": "Organisation", "name": f"O{i} {p}"})
        claims.append({"id": f"c{i}", "subject": f"a{i}", "predicate": "workedFor", "object": f"b{i}", "note": p,
                       "qualifiers": {"period": p},
                       "citations": [{"source": f"s{i}", "quote": f"Q{i} {p}", "locator": p, "credibility": 3}]})
    path = tmp_path / "corpus.yaml"
    path.write_text(yaml.safe_dump({"sources": sources, "entities": entities, "claims": claims}, allow_unicode=True),
                    encoding="utf-8")
    return path


def assert_nothing_ran(page):
    assert page.evaluate("window.__xss") == 0
    assert not page.log["dialogs"] and not page.log["errors"], (page.log["dialogs"], page.log["errors"])
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page.log["requests"]), page.log["requests"]


def test_view_runs_no_injected_markup_and_shows_it_literally(page, tmp_path, ontology):
    ds = load_dataset([corpus(tmp_path)], ontology)
    G = to_networkx(ds)
    cf = Filters().compile(G, ontology)
    path = write_view(ds, G, whole(G, cf), tmp_path / "view.html")
    html = path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "</script><script>alert(6)" not in html
    page.goto(path.as_uri())
    page.wait_for_function("window.thborReady === true", timeout=30000)
    for i, p in enumerate(PAYLOADS):
        # open every entity and claim in the details panel, hover to show tooltips
        page.evaluate("(id) => window.network.emit('click', {nodes: [id], edges: [], pointer: {}})", f"a{i}")
        text = page.text_content("#details")
        assert f"N{i} {p}" in text and f"A{i} {p}" in text and f"Q{i} {p}" in text and f"T{i} {p}" in text, i
        assert page.locator("#details img, #details svg, #details iframe, #details script, #details object").count() == 0
        page.evaluate("(id) => window.network.emit('click', {nodes: [], edges: [id], pointer: {}})", f"c{i}")
        assert f"Q{i} {p}" in page.text_content("#details")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(function (a) { return a.getAttribute('href'); })")
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    page.fill("#search", PAYLOADS[0])
    page.click("#search-form button")
    assert page.text_content("#search-result").startswith("N0 ")
    assert_nothing_ran(page)


def test_site_runs_no_injected_markup_and_shows_it_literally(page, tmp_path, ontology):
    ds = load_dataset([corpus(tmp_path)], ontology)
    G = to_networkx(ds)
    cf = Filters().compile(G, ontology)
    write_site(ds, G, cf, tmp_path / "site")
    page.goto((tmp_path / "site" / "index.html").as_uri())
    body = page.text_content("body")
    for i, p in enumerate(PAYLOADS):
        assert f"N{i} {p}" in body and f"T{i} {p}" in body
    for i, p in enumerate(PAYLOADS):
        page.goto((tmp_path / "site" / "entity" / f"a{i}.html").as_uri())
        page.wait_for_function("window.thborReady === true", timeout=30000)
        text = page.text_content("main")
        assert f"Q{i} {p}" in text and f"N{i} {p}" in text and f"T{i} {p}" in text
        assert page.locator("main img, main svg:not(canvas), main iframe, main object, main details, main video").count() == 0
        page.goto((tmp_path / "site" / "source" / f"s{i}.html").as_uri())
        assert f"T{i}" in page.text_content("h1")
    assert_nothing_ran(page)
