"""``thbor serve`` over HTTP: a real uvicorn server, asked with httpx.

The sharing cap: ``fixtures/levels`` holds a record at every level with a marker in every field;
served at GREEN, no answer (page, JSON, suggestion, error) holds anything above it, and asking for a
withheld entity is answered exactly as asking for one that never existed. The JSON endpoints give
the CLI's ``--json`` answers, from the case files and from a store.
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote, unquote

import httpx
import pytest
import yaml

from graph.cli import app  # noqa: F401 (the commands registered, for the cli fixture)
from graph.model.ontology import load_ontology
from graph.serve import open_served
from graph.workspace import Workspace

from ..conftest import FIXTURES, ROOT
from .conftest import running

LEVELS = FIXTURES / "levels"
ABOVE_GREEN = ["AMBER-marker", "STRICT-marker", "RED-marker", "ent-lvl-amber", "ent-lvl-strict", "ent-lvl-red",
               "src-lvl-amber", "src-lvl-strict", "src-lvl-red", "claim-lvl-amber", "claim-lvl-strict", "claim-lvl-red",
               "claim-green-relays-red"]
WITHHELD_ASKED = ["ent-lvl-red", "ent-lvl-amber", "ent-lvl-strict", "Name-RED-marker", "Name-AMBER-marker",
                  "Alias-AMBER-marker", "Name-STRICT-marker"]
SHOWN = ["ent-lvl-clear", "ent-lvl-green", "country-kh"]


@pytest.fixture(scope="module")
def levels_server():
    served = open_served(Workspace([LEVELS], load_ontology(ROOT / "ontology"), use_store=False), "GREEN")
    with running(served) as base, httpx.Client(base_url=base) as client:
        yield client


def _text(r: httpx.Response, asked: str = "") -> str:
    """A body with HTML, JSON and URL escapes undone, without the text the request itself gave."""
    text = html.unescape(r.text)
    text = text.encode().decode("unicode_escape", errors="ignore") if r.headers.get("content-type", "").startswith(
        "application/json") else text
    text += "\n" + unquote(text)
    for form in {asked, html.escape(asked), quote(asked, safe=""), quote(asked)} - {""}:
        text = text.replace(form, "<asked>")
    return text


def _leaks(text: str) -> list[str]:
    return [m for m in ABOVE_GREEN if m.lower() in text.lower()]


def _every_question(asked: str) -> list[str]:
    q = quote(asked, safe="")
    return [f"/search?q={q}", f"/api/search?q={q}", f"/entity/{q}", f"/entity/{q}/network", f"/api/network?id={q}",
            f"/api/show?name={q}", f"/api/neighbors?x={q}", f"/api/path?a={q}&b=country-kh",
            f"/path?a={q}&b=ent-lvl-clear", f"/api/path?a=ent-lvl-clear&b={q}&via_context=1"]


def test_nothing_above_the_level_reaches_any_answer(levels_server):
    for asked in [*SHOWN, *WITHHELD_ASKED, "Name-CLEAR-marker", "Name", "marker", "lvl", "Cambodia"]:
        for url in ["/", "/path", *_every_question(asked)]:
            r = levels_server.get(url)
            assert r.status_code in (200, 400, 404), (url, r.status_code)
            assert not _leaks(_text(r, asked)), (url, _leaks(_text(r, asked)))
            assert r.headers["x-thbor-max-tlp"] == "GREEN"


def test_a_withheld_entity_is_answered_as_one_that_never_existed(levels_server, tmp_path):
    """Every question about the RED entity gets the answer of a server whose data never held it."""
    case = yaml.safe_load((LEVELS / "case.yaml").read_text(encoding="utf-8"))
    case["entities"] = [e for e in case["entities"] if e["id"] != "ent-lvl-red"]
    case["claims"] = [c for c in case["claims"] if c["id"] != "claim-lvl-red"]
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    never = open_served(Workspace([tmp_path], load_ontology(ROOT / "ontology"), use_store=False), "GREEN")
    with running(never) as base, httpx.Client(base_url=base) as other:
        for asked in ("ent-lvl-red", "Name-RED-marker", "name red marker", "Note-RED-marker"):
            for url in _every_question(asked):
                mine, theirs = levels_server.get(url), other.get(url)
                assert (mine.status_code, mine.text) == (theirs.status_code, theirs.text), url
        assert levels_server.get("/").text == other.get("/").text


def test_the_level_is_on_every_page(levels_server):
    for url in ["/", "/search?q=Name", "/entity/ent-lvl-clear", "/entity/ent-lvl-clear/network", "/path",
                "/path?a=ent-lvl-clear&b=country-kh", "/entity/nothing-here"]:
        r = levels_server.get(url)
        assert r.headers["content-type"].startswith("text/html")
        assert '<span class="tlp" id="tlp"' in r.text and "TLP:GREEN" in r.text, url


def test_what_may_leave_is_there(levels_server):
    page = levels_server.get("/entity/ent-lvl-clear").text
    assert "Name-CLEAR-marker" in page and "Quote-CLEAR-marker" in page
    found = levels_server.get("/api/search?q=Name-GREEN-marker").json()["results"]
    assert [r["id"] for r in found] == ["ent-lvl-green"]


def test_only_get_and_head(levels_server):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for url in ("/", "/entity/ent-lvl-clear", "/api/show?name=ent-lvl-clear", "/no/such/page"):
            r = levels_server.request(method, url)
            assert r.status_code == 405, (method, url)
            assert r.headers["allow"] == "GET, HEAD"
    assert levels_server.head("/entity/ent-lvl-clear").status_code == 200


def test_headers_limits_and_hosts(levels_server):
    r = levels_server.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    assert "http://" not in r.text.replace('href="http', "") and "https://" not in r.text
    assert levels_server.get("/search?q=" + "a" * 201).status_code == 400
    assert levels_server.get("/search?q=" + "a" * 3000).status_code == 414
    assert levels_server.get("/api/neighbors?x=ent-lvl-clear&hops=9").status_code == 400
    assert levels_server.get("/entity/ent-lvl-clear?page=999").status_code == 400
    assert levels_server.get("/assets/../pyproject.toml").status_code == 404
    # a page elsewhere that re-points its name at 127.0.0.1 (DNS rebinding) is refused
    assert levels_server.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert levels_server.get("/", headers={"Host": "localhost"}).status_code == 200


def test_values_are_escaped(levels_server):
    r = levels_server.get("/search?q=" + quote("<script>alert(1)</script>"))
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text


def _cli_json(cli, *args: str) -> dict:
    code, out, _ = cli(*args, "--json", "--max-tlp", "GREEN")
    assert code in (0, 3), out
    return json.loads(out)


@pytest.mark.slow
def test_json_answers_equal_the_cli_from_the_case_files(levels_server, cli):
    data = ["--data", str(LEVELS), "--no-store"]
    for name in ("ent-lvl-clear", "Name-GREEN-marker", "Cambodia"):
        assert levels_server.get("/api/show", params={"name": name}).json() == _cli_json(cli, "show", name, *data)
        for hops in (1, 2):
            served = levels_server.get("/api/neighbors", params={"x": name, "hops": hops}).json()
            assert served == _cli_json(cli, "neighbors", name, "--hops", str(hops), *data)
    for a, b, extra in [("ent-lvl-green", "ent-lvl-clear", []), ("ent-lvl-green", "country-kh", []),
                        ("Name-GREEN-marker", "Cambodia", ["--via-context"])]:
        params = {"a": a, "b": b, **({"via_context": "1"} if extra else {})}
        assert levels_server.get("/api/path", params=params).json() == _cli_json(cli, "path", a, b, *extra, *data)


@pytest.mark.slow
def test_json_answers_equal_the_cli_from_a_store(tmp_path, cli):
    """From a store: the records at the level are prepared once beside it, and answer as the CLI does."""
    data = ROOT / "data"
    code, out, err = cli("build", str(data), "-o", str(tmp_path / "build"))
    assert code == 0, err
    store = str(tmp_path / "build" / "store")
    served = open_served(Workspace([data], load_ontology(ROOT / "ontology"), store), "GREEN")
    assert served.from_store is not None and served.from_store.parent == tmp_path / "build" / "serve" / "green"
    args = ["--data", str(data), "--store", store]
    with running(served) as base, httpx.Client(base_url=base) as client:
        for name in ("KK Park", "Cambodia"):
            assert client.get("/api/show", params={"name": name}).json() == _cli_json(cli, "show", name, *args)
            got = client.get("/api/neighbors", params={"x": name, "hops": 2}).json()
            assert got == _cli_json(cli, "neighbors", name, "--hops", "2", *args)
        for a, b in [("KK Park", "Hanoi"), ("KK Park", "Cambodia")]:
            assert client.get("/api/path", params={"a": a, "b": b}).json() == _cli_json(cli, "path", a, b, *args)
        page = client.get("/entity/compound-kk-park")
        assert page.status_code == 200 and "KK Park" in page.text
    again = open_served(Workspace([data], load_ontology(ROOT / "ontology"), store), "GREEN")
    assert again.from_store == served.from_store  # prepared once


def test_the_entity_page_lists_the_dossier(levels_server, cli):
    """The page's claims are the dossier's, in its order (the JSON is thbor show's)."""
    shown = levels_server.get("/api/show", params={"name": "ent-lvl-clear"}).json()
    page = levels_server.get("/entity/ent-lvl-clear").text
    ids = [c["id"] for g in shown["relations"] for c in g["claims"]]
    assert ids and all(f'id="claim-{i}"' in page for i in ids)
    assert [page.index(f'id="claim-{i}"') for i in ids] == sorted(page.index(f'id="claim-{i}"') for i in ids)


def test_the_command_warns_off_loopback_and_checks_the_level(cli):
    code, _, err = cli("serve", "--host", "0.0.0.0", "--max-tlp", "PURPLE", "--data", str(LEVELS), "--no-store")
    assert "warning: serving on 0.0.0.0, not loopback" in err
    assert code == 2 and "--max-tlp: unknown sharing level 'PURPLE'" in err
    code, _, err = cli("serve", "--max-tlp", "PURPLE", "--data", str(LEVELS), "--no-store")
    assert code == 2 and "not loopback" not in err
