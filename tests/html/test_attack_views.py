"""An attack run on the views' path finding and valid-time slider: each test a finding or a probe that held.

A small case: two organisations linked only through a country, a claim dated 2020, one dated 2015 and
one undated, and names built to break out of markup and quotes.
"""

from __future__ import annotations

import json

import pytest

from graph import load_dataset, load_ontology
from graph.html.views import whole, write_view
from graph.query.filters import Filters
from graph.query.projection import to_networkx

from ..conftest import FIXTURES, ROOT
from .test_views import open_view

HOSTILE = "Evil \"'<img src=x onerror=window.pwned=1>`${1}</script>"
CASE = f"""
sources:
  - {{id: s1, title: Report, kind: Report, reliability: B}}
entities:
  - {{id: org-a, type: Organisation, name: {json.dumps(HOSTILE)}}}
  - {{id: org-b, type: Organisation, name: Beta Clinic}}
  - {{id: org-c, type: Organisation, name: Gamma Agency}}
  - {{id: org-d, type: Organisation, name: Delta Fund}}
  - {{id: country-kh, type: Country, name: Cambodia, country: KH}}
claims:
  - {{id: a-in-kh, subject: org-a, predicate: operatesIn, object: country-kh, citations: [{{source: s1, quote: a}}]}}
  - {{id: b-in-kh, subject: org-b, predicate: operatesIn, object: country-kh, citations: [{{source: s1, quote: b}}]}}
  - {{id: a-c-2020, subject: org-a, predicate: associatedWith, object: org-c, start: 2020, end: 2020,
      citations: [{{source: s1, quote: c}}]}}
  - {{id: a-d-undated, subject: org-a, predicate: associatedWith, object: org-d, citations: [{{source: s1, quote: d}}]}}
  - {{id: c-d-2015, subject: org-c, predicate: associatedWith, object: org-d, start: 2015, end: 2015,
      citations: [{{source: s1, quote: e}}]}}
"""


@pytest.fixture
def case_view(write, tmp_path):
    write("case/case.yaml", CASE)
    ds = load_dataset([tmp_path / "case"], load_ontology(ROOT / "ontology"))
    G = to_networkx(ds)
    cf = Filters().compile(G, ds.ontology)
    return write_view(ds, G, whole(G, cf), tmp_path / "overview.html")


def _at(page, year: int) -> None:
    page.evaluate("(y) => { const s = document.getElementById('valid-at'); s.value = String(y);"
                  " s.dispatchEvent(new Event('input')); }", year)


@pytest.mark.browser
def test_an_entity_panel_under_valid_at_counts_no_undated_claim(page, case_view):
    """With "Valid at 2020", the panel of an entity listed its undated claim (and its claims of other years)."""
    open_view(page, case_view)
    _at(page, 2020)
    page.evaluate("window.thborFocus('Gamma Agency')")
    text = page.text_content("#details")
    assert "Claims (1)" in text, text
    assert "c-d-2015" not in text
    page.evaluate("window.thborFocus('Delta Fund')")
    text = page.text_content("#details")
    assert "Claims (0)" in text and "a-d-undated" not in text, text


@pytest.mark.browser
def test_a_path_through_a_country_is_never_shown_as_a_link(page, case_view):
    open_view(page, case_view)
    answer = page.evaluate("window.thborPath('org-a', 'org-b')")
    assert answer["paths"] == [] and answer["not_connected"]["shared"] == ["country-kh"]
    page.evaluate("window.location.hash = '#path=org-a,org-b'")
    page.wait_for_function("document.getElementById('path-result').textContent.length > 0")
    text = page.text_content("#details")
    assert "No evidenced link" in text and "sharing these is no link" in text
    page.check("#path-context")
    text = page.text_content("#details")
    assert "not evidence that the two are linked" in text and "context/concept hop" in text
    # an undated claim is no evidence about 2020: no path A-D at 2020 but through C ... which is 2015
    _at(page, 2020)
    page.uncheck("#path-context")
    assert page.evaluate("window.thborPath('org-a', 'org-d')")["paths"] == []


@pytest.mark.browser
def test_hostile_names_and_hashes_stay_text(page, case_view):
    for hash_ in ["#path=%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E,org-b",
                  "#from=org-a", "#path=org-a,org-b", "#to=%22%27%3E%3Csvg%20onload%3Dwindow.pwned%3D1%3E",
                  "#path=constructor,__proto__", "#from=%E0%A4%A"]:
        page.goto(case_view.resolve().as_uri() + hash_)
        page.wait_for_function("window.thborReady === true", timeout=30000)
        page.evaluate("window.thborPath('org-a', 'org-c')")
        assert page.evaluate("window.pwned") is None, hash_
        assert page.locator("#details img, #path-result img, #details svg").count() == 0, hash_
    assert HOSTILE in page.text_content("#details") or HOSTILE in page.input_value("#path-from")


def test_a_green_view_embeds_nothing_above_green(cli, tmp_path):
    out = tmp_path / "green.html"
    code, _, err = cli("view", "--data", str(FIXTURES / "levels"), "--no-store", "--max-tlp", "green", "-o", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    for marker in ("AMBER-marker", "STRICT-marker", "RED-marker", "ent-lvl-red", "src-lvl-red", "claim-lvl-red",
                   "claim-green-relays-red", "ent-lvl-amber", "claim-lvl-amber"):
        assert marker not in text, marker
