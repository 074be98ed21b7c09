"""Injected markup in every text field runs nothing, in the view and in the site, and shows as text."""

from __future__ import annotations

import yaml

from graph import load_dataset
from graph.html.site import write_site
from graph.html.views import whole, write_view
from graph.query.filters import Filters
from graph.query.projection import to_networkx

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
    "\u200b\ufeff<script>alert(22)</script>",  # invisible characters (bidi controls are refused on input)
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
        assert page.locator("#details img, #details svg, #details iframe, #details script, "
                            "#details object").count() == 0
        page.evaluate("(id) => window.network.emit('click', {nodes: [], edges: [id], pointer: {}})", f"c{i}")
        assert f"Q{i} {p}" in page.text_content("#details")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a'))"
                          ".map(function (a) { return a.getAttribute('href'); })")
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
        assert page.locator("main img, main svg:not(canvas), main iframe, main object, main details, "
                            "main video").count() == 0
        page.goto((tmp_path / "site" / "source" / f"s{i}.html").as_uri())
        assert f"T{i}" in page.text_content("h1")
    assert_nothing_ran(page)


# Names of Object.prototype's members: a page that looks data values up in a plain object finds
# these members instead (vis-network recursed without end on them).
PROTO_IDS = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf"]
PROTO_NAMES = {"constructor": "constructor", "toString": "toString", "valueOf": "valueOf",
               "hasOwnProperty": "hasOwnProperty", "isPrototypeOf": "__proto__"}


def proto_corpus(tmp_path):
    """Entities, a source and claims whose ids and names are Object.prototype's members."""
    data = {
        "sources": [{"id": "toLocaleString", "title": "toString", "publisher": "valueOf", "kind": "Report",
                     "reliability": "B", "url": "https://example.org/r"}],
        "entities": [{"id": i, "type": "Person" if n % 2 else "Organisation", "name": PROTO_NAMES[i],
                      "aliases": [{"name": "__proto__"}] if i == "constructor" else []}
                     for n, i in enumerate(PROTO_IDS)],
        "claims": [{"id": "propertyIsEnumerable" if a == "constructor" else f"{a}.{b}", "subject": a,
                    "predicate": "associatedWith", "object": b,
                    "citations": [{"source": "toLocaleString", "quote": f"{a} and {b}"}]}
                   for a, b in zip(PROTO_IDS, PROTO_IDS[1:], strict=False)],
    }
    path = tmp_path / "proto.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def click_entity(page, entity_id):
    """A real mouse click on the node drawn for ``entity_id``."""
    x, y = page.evaluate("""(id) => { const v = window.thborView.visId(id);
        const d = window.network.canvasToDOM(window.network.getPositions([v])[v]);
        const r = document.querySelector('#network canvas').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""", entity_id)
    page.mouse.click(x, y)


def test_ids_and_names_of_object_members_render_search_and_click(page, tmp_path, ontology):
    ds = load_dataset([proto_corpus(tmp_path)], ontology)
    G = to_networkx(ds)
    cf = Filters().compile(G, ontology)
    path = write_view(ds, G, whole(G, cf), tmp_path / "view.html")
    page.goto(path.as_uri())
    page.wait_for_function("window.thborReady === true", timeout=30000)
    assert page.evaluate("window.network.body.data.nodes.length") == len(PROTO_IDS)
    assert page.evaluate("window.network.body.data.edges.length") == len(PROTO_IDS) - 1
    for i in PROTO_IDS:
        page.fill("#search", i if i != "isPrototypeOf" else "__proto__")
        page.click("#search-form button")
        want = "constructor" if i == "isPrototypeOf" else i  # "__proto__" is also constructor's alias
        assert page.text_content("#search-result") == PROTO_NAMES[want], i
        assert page.evaluate("window.network.getSelectedNodes().map(window.thborView.dataId)") == [want]
        page.mouse.click(5, 890)  # empty canvas: clears the details
        click_entity(page, i)
        assert page.text_content("#details h3") == PROTO_NAMES[i], i
        claims = [c for c in ds.claims.values() if i in (c.subject, c.object)]
        assert f"Claims ({len(claims)})" in page.text_content("#details"), i
    page.evaluate("(id) => window.network.emit('click', {nodes: [], edges: [window.thborView.visId(id)], pointer: {}})",
                  "propertyIsEnumerable")
    assert page.text_content("#details h3") == "Claim" and "constructor and toString" in page.text_content("#details")
    # clicking a node fades the others: an id named like an Object member is not "kept" by accident
    page.evaluate("(id) => window.network.emit('click', {nodes: [window.thborView.visId(id)], edges: [], pointer: {}})",
                  "valueOf")
    lit = page.evaluate("window.thborView.nodes.get({filter: function (n) { return n.opacity === 1; }})"
                        ".map(function (n) { return window.thborView.dataId(n.id); })")
    assert sorted(lit) == ["hasOwnProperty", "toString", "valueOf"]
    assert_nothing_ran(page)


def test_site_pages_of_object_member_ids_work(page, tmp_path, ontology):
    ds = load_dataset([proto_corpus(tmp_path)], ontology)
    G = to_networkx(ds)
    write_site(ds, G, Filters().compile(G, ontology), tmp_path / "site")
    page.goto((tmp_path / "site" / "index.html").as_uri())
    for i in PROTO_IDS:
        page.fill("#filter", PROTO_NAMES[i])
        shown = page.evaluate("Array.from(document.querySelectorAll('li[data-key]'))"
                              ".filter(function (li) { return !li.hidden; })"
                              ".map(function (li) { return li.textContent; })")
        assert any(s.startswith(PROTO_NAMES[i]) for s in shown), (i, shown)
    for i in PROTO_IDS:
        page.goto((tmp_path / "site" / "entity" / f"{i}.html").as_uri())
        page.wait_for_function("window.thborReady === true", timeout=30000)
        assert page.text_content("h1") == PROTO_NAMES[i]
        drawn = page.evaluate("window.network.body.data.nodes.getIds().map(window.thborView.dataId)")
        assert i in drawn and len(drawn) == len({i, *G.predecessors(i), *G.successors(i)})
    with page.expect_navigation():
        click_entity(page, "hasOwnProperty")  # an embedded network goes to the clicked entity's page
    assert page.url.endswith("/entity/hasOwnProperty.html")
    assert_nothing_ran(page)


CSP_WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) {"
             " window.__csp.push(e.effectiveDirective); });")


def test_site_pages_enforce_a_content_security_policy(browser, tmp_path, ontology):
    """Without Playwright's CSP bypass: the site works under its policy, and the policy blocks inline script."""
    ds = load_dataset([corpus(tmp_path)], ontology)
    G = to_networkx(ds)
    site = tmp_path / "site"
    write_site(ds, G, Filters().compile(G, ontology), site)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(CSP_WATCH + " window.__xss = 0; window.alert = function () { window.__xss++; };")
        page.goto((site / "index.html").as_uri())
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
        assert policy.count() == 1 and "script-src 'self';" in policy.get_attribute("content")
        page.fill("#filter", "N3 ")  # the search script, a file under assets/, runs
        shown = page.evaluate("Array.from(document.querySelectorAll('li[data-key]')).filter(function (li) {"
                              " return !li.hidden; }).length")
        assert shown == 1
        for i in (0, 5, 6):
            page.goto((site / "entity" / f"a{i}.html").as_uri())
            page.wait_for_function("() => window.thborReady === true", timeout=30000)
            assert page.evaluate("window.network.body.data.nodes.length") == 2  # the embedded network draws
        page.goto((site / "source" / "s0.html").as_uri())
        assert page.evaluate("window.__csp") == [] and page.evaluate("window.__xss") == 0 and not errors

        # an inline script and an inline handler, as if escaping had failed, do not run
        entity = site / "entity" / "a0.html"
        html = entity.read_text(encoding="utf-8")
        tampered = html.replace("<main>", "<main><script>alert(1)</script><img src=x onerror=alert(2)>", 1)
        assert tampered != html
        (site / "entity" / "tampered.html").write_text(tampered, encoding="utf-8")
        page.goto((site / "entity" / "tampered.html").as_uri())
        page.wait_for_function("() => window.thborReady === true", timeout=30000)
        page.wait_for_function("() => window.__csp.length >= 2")
        assert page.evaluate("window.__xss") == 0
        assert sorted(page.evaluate("window.__csp")) == ["script-src-attr", "script-src-elem"]
    finally:
        context.close()
