"""``thbor serve`` in a real headless Chromium: search → entity page → neighbourhood → path.

The server is a real uvicorn on a free loopback port over the shipped data at GREEN; every request
the browser makes must go to it (nothing from another host), with no script error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from graph.model.ontology import load_ontology
from graph.serve import open_served
from graph.workspace import Workspace

from ..conftest import ROOT
from .conftest import running


@pytest.fixture(scope="module")
def base():
    served = open_served(Workspace([ROOT / "data"], load_ontology(ROOT / "ontology"), use_store=False), "GREEN")
    with running(served) as url:
        yield url


def only_this_server(page, base):
    assert not page.log["errors"], page.log["errors"]
    assert not [m for m in page.log["console"] if m[0] == "error"], page.log["console"]
    here = urlsplit(base).netloc
    assert page.log["requests"] and all(urlsplit(u).netloc == here for u in page.log["requests"]), page.log["requests"]


@pytest.mark.slow
def test_search_entity_neighbourhood_and_path(page, base):
    page.goto(base + "/")
    assert page.text_content("#tlp") == "TLP:GREEN"
    page.fill("#q", "kk park")
    page.click("main form button")
    page.wait_for_url("**/search?q=kk+park")
    assert page.text_content("#tlp") == "TLP:GREEN"
    page.click(".results a:text-is('KK Park')")
    page.wait_for_url("**/entity/compound-kk-park")
    assert page.text_content("#title") == "KK Park" and "Claims (" in page.text_content("main")
    assert page.text_content("#tlp") == "TLP:GREEN"
    page.click("#network-link")
    page.wait_for_url("**/entity/compound-kk-park/network")
    page.wait_for_function("window.thborReady === true", timeout=30000)
    drawn = page.evaluate("window.network.body.data.nodes.length")
    assert drawn > 1
    assert "entities within 1 hop(s)" in page.text_content("#network-note")
    assert page.text_content("#tlp") == "TLP:GREEN"
    page.goto(base + "/path")
    page.fill("input[name=a]", "KK Park")
    page.fill("input[name=b]", "People held in Myawaddy cyber-scam compounds")
    page.click(".path-form button")
    page.wait_for_url("**/path?**")
    text = page.text_content("main")
    assert "Path 1:" in text and "Hop 1:" in text
    assert page.text_content("#tlp") == "TLP:GREEN"
    only_this_server(page, base)


@pytest.mark.slow
def test_no_path_says_what_the_two_share(page, base):
    page.goto(base + "/path?a=KK+Park&b=Hanoi")
    note = page.text_content("#no-path")
    assert note.startswith(("no evidenced link between KK Park", "no path from KK Park")), note
    only_this_server(page, base)
