"""An attack run on ``thbor serve``: each test is a finding (failing before its fix) or a probe that held.

``fixtures/leaks`` names withheld (RED) people and a withheld source in every spelling a mention can
take; ``fixtures/levels`` holds a record at every level. Served at GREEN, no answer may hold any form
of a withheld name, and every page must answer (a crash is no answer, and loses the headers).
"""

from __future__ import annotations

import hashlib
import html
import re
from urllib.parse import quote, unquote

import httpx
import pytest

from graph.cli import app  # noqa: F401 (the commands registered, for the cli fixture)
from graph.model.ontology import load_ontology
from graph.serve import open_served
from graph.serve.data import shared_root, shared_stamp
from graph.store import StoreDataset, fresh, write_store
from graph.workspace import Workspace

from ..conftest import FIXTURES, ROOT
from ..test_leaks import ALSO_WITHHELD, PEOPLE, SOURCE, leaks
from .conftest import running

LEAKS = FIXTURES / "leaks"
LEVELS_DIR = FIXTURES / "levels"
WITHHELD = PEOPLE + SOURCE + ALSO_WITHHELD
ASKED = [*WITHHELD, "nguyen van thanh", "NGUYEN-VAN-THANH", "Ｎｇｕｙｅｎ", "Wang Wei", "thanh", "BO", "per",
         "org-nguyen", "Nguyễn Văn Thành Clinic", "Clinic", "Lantern", "c1", "org-1", "org-2", "org-3", "s1", "s-green"]


@pytest.fixture(scope="module")
def leaks_server():
    served = open_served(Workspace([LEAKS], load_ontology(ROOT / "ontology"), use_store=False), "GREEN")
    with running(served) as base, httpx.Client(base_url=base) as client:
        yield client


def _questions(asked: str) -> list[str]:
    q = quote(asked, safe="")
    return [f"/search?q={q}", f"/api/search?q={q}", f"/entity/{q}", f"/entity/{q}/network?hops=2",
            f"/api/network?id={q}&hops=3", f"/api/show?name={q}", f"/api/neighbors?x={q}&hops=2",
            f"/api/path?a={q}&b=c1", f"/path?a={q}&b=org-1", f"/api/path?a=org-1&b={q}&via_context=1",
            f"/path?a=org-2&b={q}&via_context=1&directed=1"]


def _without_the_question(text: str, asked: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text += "\n" + unquote(text)
    for form in sorted({asked, html.escape(asked), quote(asked, safe=""), quote(asked)} - {""}, key=len, reverse=True):
        text = text.replace(form, "<asked>")
    return text


def test_every_entity_page_answers(leaks_server):
    """An alias without a language crashed the entity page (500, without the server's headers)."""
    for eid in ("org-1", "org-2", "org-3", "c1", "s1"):
        r = leaks_server.get(f"/entity/{eid}")
        assert r.status_code in (200, 404), (eid, r.status_code)
        assert r.headers.get("x-thbor-max-tlp") == "GREEN"
    assert "Harbour Clinic" in leaks_server.get("/entity/org-2").text


def test_no_form_of_a_withheld_name_in_any_answer(leaks_server):
    for asked in ASKED:
        for url in ["/", "/path", *_questions(asked)]:
            r = leaks_server.get(url)
            assert r.status_code < 500, (url, r.status_code)
            found = [n for n in leaks(_without_the_question(r.text, asked), WITHHELD)
                     if n.lower() not in asked.lower() and asked.lower() not in n.lower()]
            assert not found, (url, found)


def test_a_shared_copy_left_by_an_earlier_sharing_step_is_not_served(tmp_path, cli):
    """The shared copy beside a store was named after the store generation and the level alone, and the
    generation's name changes only with the inputs and the package version: a copy prepared by an earlier
    sharing step (one that withheld less) was served again after that step changed. Here such a copy, holding
    every record, sits under the name the server gave it; the server must prepare its own."""
    code, _, err = cli("build", str(LEVELS_DIR), "-o", str(tmp_path / "build"))
    assert code == 0, err
    onto = load_ontology(ROOT / "ontology")
    store = tmp_path / "build" / "store"
    gen = fresh(store, [LEVELS_DIR], onto)
    assert gen is not None
    earlier = hashlib.sha256(f"{gen.name}\0GREEN".encode()).hexdigest()[:24]  # the name it had
    write_store(StoreDataset(gen, onto).materialise(), shared_root(store, "GREEN"), earlier)
    served = open_served(Workspace([LEVELS_DIR], onto, str(store)), "GREEN")
    assert served.from_store is not None and served.from_store.name != f"gen-{earlier}"
    assert "ent-lvl-red" not in served.ds.entities and "ent-lvl-amber" not in served.ds.entities
    assert "ent-lvl-green" in served.ds.entities
    assert shared_stamp(gen, "GREEN") != shared_stamp(gen, "GREEN", code="another sharing step")


def test_a_server_on_another_loopback_address_answers_its_own_address():
    """Bound to 127.0.0.2 (loopback, so Host is checked), every request was refused: only 127.0.0.1 and
    localhost were accepted. Its own address is accepted now; another site's name still is not."""
    served = open_served(Workspace([LEVELS_DIR], load_ontology(ROOT / "ontology"), use_store=False), "GREEN")
    with running(served, host="127.0.0.2") as base, httpx.Client(base_url=base) as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
        assert client.get("/", headers={"Host": "127.0.0.2.attacker.example"}).status_code == 400


def test_an_unforeseen_error_is_answered_with_the_headers_and_no_detail(monkeypatch):
    """A fault nothing foresaw (injected here into one handler) still answers 500 with the security
    headers and the level, says nothing of what failed, and the server answers the next request."""
    from graph.serve import routes
    served = open_served(Workspace([LEAKS], load_ontology(ROOT / "ontology"), use_store=False), "GREEN")

    async def broken(self, request):
        raise RuntimeError("secret detail of the failure")
    monkeypatch.setattr(routes.Handlers, "index", broken)
    with running(served) as base, httpx.Client(base_url=base) as client:
        r = client.get("/")
        assert r.status_code == 500 and "secret detail" not in r.text
        assert r.headers["x-thbor-max-tlp"] == "GREEN" and "default-src" in r.headers["content-security-policy"]
        assert client.get("/search?q=c1").status_code == 200


def test_no_redirect_builds_an_address_from_the_host_header(leaks_server):
    r = leaks_server.get("/search/?q=c1", headers={"Host": "127.0.0.1"}, follow_redirects=False)
    assert r.status_code == 404 and "location" not in r.headers
