"""Pushing to a real SPARQL 1.1 store: an Oxigraph server started on loopback."""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT, local_http_server

DATA = ["--data", str(ROOT / "data")]
GRAPH = "https://example.org/thbor/test-graph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    assert Path(found).exists(), "the oxigraph server (PyPI package 'oxigraph') is part of the test extras"
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path_factory.mktemp("oxi")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError as err:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode()) from err
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("oxigraph did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def count(url: str, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(f"{url}/query?{urllib.parse.urlencode({'query': q})}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(json.load(resp)["results"]["bindings"][0]["n"]["value"])


def test_push_replaces_the_named_graph(cli, oxigraph, tmp_path):
    code, out, err = cli("push", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH, *DATA)
    assert code == 0, err
    pushed = int(out.split("pushed ")[1].split()[0])
    assert count(oxigraph, GRAPH) == pushed > 3000
    # pushing again replaces, it does not add
    assert cli("push", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH, *DATA)[0] == 0
    assert count(oxigraph, GRAPH) == pushed
    # a lower level replaces it with less
    assert cli("push", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH, "--max-tlp", "CLEAR", *DATA)[0] == 0
    assert count(oxigraph, GRAPH) < pushed


def test_what_arrived_can_be_queried(cli, oxigraph):
    cli("push", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH, *DATA)
    q = (f"PREFIX thb: <https://w3id.org/thbor#> SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ "
         "<https://w3id.org/thbor/data/entity/compound-kk-park> thb:locatedIn ?o } }")
    req = urllib.request.Request(f"{oxigraph}/query?{urllib.parse.urlencode({'query': q})}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        rows = json.load(resp)["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == ["https://w3id.org/thbor/data/entity/region-myawaddy"]


def test_unreachable_and_refusing_servers(cli, oxigraph):
    code, _, err = cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}/store", *DATA, "--timeout", "5")
    assert code == 1 and "cannot reach" in err and "Traceback" not in err
    code, _, err = cli("push", "--endpoint", f"{oxigraph}/no-such-service", *DATA)
    assert code == 1 and "refused the data: HTTP 404" in err
    code, _, err = cli("push", "--endpoint", "ftp://example.org/store", *DATA)
    assert code == 1 and "http(s) URL" in err


class _AuthHandler(http.server.BaseHTTPRequestHandler):
    expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
    received: list[str] = []

    def do_PUT(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append(self.headers.get("Content-Type", ""))
        self.send_response(204 if self.headers.get("Authorization") == self.expected else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_basic_auth_from_an_environment_variable(cli, monkeypatch):
    with local_http_server(_AuthHandler) as server:
        url = f"http://127.0.0.1:{server.server_port}/store"
        monkeypatch.setenv("THBOR_TEST_PASSWORD", "s3cret")
        code, out, err = cli("push", "--endpoint", url, "--user", "alice", "--password-env", "THBOR_TEST_PASSWORD",
                             *DATA)
        assert code == 0 and "HTTP 204" in out, err
        assert _AuthHandler.received[-1] == "application/n-triples"
        monkeypatch.setenv("THBOR_TEST_PASSWORD", "wrong")
        code, _, err = cli("push", "--endpoint", url, "--user", "alice", "--password-env", "THBOR_TEST_PASSWORD", *DATA)
        assert code == 1 and "HTTP 401" in err
        monkeypatch.delenv("THBOR_TEST_PASSWORD")
        code, _, err = cli("push", "--endpoint", url, "--user", "alice", "--password-env", "THBOR_TEST_PASSWORD", *DATA)
        assert code == 1 and "is not set" in err


def test_the_same_path_from_the_embedded_store_and_from_the_oxigraph_server(cli, oxigraph, tmp_path, monkeypatch):
    import graph.workspace
    data = ["--data", str(ROOT / "data")]
    graph_iri = GRAPH + "-full"
    assert cli("push", "--endpoint", f"{oxigraph}/store", "--graph", graph_iri, "--max-tlp", "RED", *data)[0] == 0
    assert cli("build", ROOT / "data", "-o", tmp_path / "build")[0] == 0
    query = ["group-id-kh-2023-recruiters", "Thailand", "--via-context"]
    monkeypatch.setattr(graph.workspace, "load_dataset",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed")))
    code, local, err = cli("path", *query, *data, "--store", tmp_path / "build" / "store")  # the embedded store
    assert code == 0, err
    code, remote, err = cli("path", *query, "--store", f"sparql+{oxigraph}/query?graph={graph_iri}")
    assert code == 0, err
    assert remote == local and remote.startswith("Path 1:")
    code, _, err = cli("path", *query, "--store", f"sparql+http://127.0.0.1:{free_port()}/query")
    assert code == 1 and "cannot reach" in err
    # the other commands read the shared store too
    shared = f"sparql+{oxigraph}/query?graph={graph_iri}"
    for command in (["rank", "--avoid-type", "Country"], ["sparql", str(ROOT / "queries" / "social-media-only.rq")]):
        _, local, _ = cli(*command, *data, "--store", tmp_path / "build" / "store")
        code, remote, err = cli(*command, "--store", shared)
        assert code == 0 and remote == local and remote.strip(), err
    assert cli("export", "-o", tmp_path / "remote.nt", "--max-tlp", "RED", "--store", shared)[0] == 0
    assert cli("export", ROOT / "data", "-o", tmp_path / "local.nt", "--max-tlp", "RED",
               "--store", tmp_path / "build" / "store")[0] == 0
    assert (tmp_path / "remote.nt").read_bytes() == (tmp_path / "local.nt").read_bytes()


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    """A store that refuses everything and echoes the credentials it got, with terminal escapes."""

    def do_PUT(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        sent = self.headers.get("Authorization", "")
        creds = base64.b64decode(sent.split()[-1]).decode() if sent else "none"
        ok = creds == "alice:s3cret/@x"
        body = f"\x1b[2J\x1b]0;pwned\x07you sent {creds}\u202e".encode()
        self.send_response(204 if ok else 401)
        if not ok:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not ok:
            self.wfile.write(body)

    do_POST = do_PUT  # noqa: N815 (a SPARQL Update request)

    def log_message(self, *args):
        pass


@pytest.fixture
def echo_server():
    with local_http_server(_EchoHandler) as server:
        yield f"127.0.0.1:{server.server_port}"


def test_credentials_in_the_url_are_used_and_never_printed(cli, echo_server):
    code, out, err = cli("push", "--endpoint", f"http://alice:s3cret%2F%40x@{echo_server}/store", *DATA)
    assert code == 0 and "HTTP 204" in out, err
    assert f"at http://{echo_server}/store " in out and "s3cret" not in out + err and "alice" not in out + err
    code, out, err = cli("push", "--endpoint", f"http://alice:wr0ng@{echo_server}/store", *DATA)
    assert code == 1 and "HTTP 401" in err
    assert "wr0ng" not in out + err and "you sent alice:***" in err
    code, _, err = cli("push", "--endpoint", f"http://alice:s3cret@127.0.0.1:{free_port()}/store", *DATA,
                       "--timeout", "5")
    assert code == 1 and "cannot reach http://127.0.0.1:" in err and "s3cret" not in err
    code, _, err = cli("push", "--endpoint", f"ftp://alice:s3cret@{echo_server}/store", *DATA)
    assert code == 1 and "http(s) URL" in err and "s3cret" not in err
    code, _, err = cli("push", "--endpoint", f"http://alice:s3cret@{echo_server}:99999/store", *DATA)
    assert code == 1 and "not a valid URL" in err and "s3cret" not in err and "Traceback" not in err
    code, _, err = cli("push", "--endpoint", f"http://alice:s3cret@{echo_server}/store", "--user", "bob", *DATA)
    assert code == 2 and "not both" in err and "s3cret" not in err
    code, _, err = cli("path", "a", "b", "--store", f"sparql+http://alice:s3cret@127.0.0.1:{free_port()}/query")
    assert code == 1 and "cannot reach" in err and "s3cret" not in err


def test_control_characters_of_a_reply_are_escaped(cli, echo_server):
    code, _, err = cli("push", "--endpoint", f"http://{echo_server}/store", *DATA)
    assert code == 1 and "HTTP 401" in err
    assert "\\x1b[2J\\x1b]0;pwned\\x07you sent none\\u202e" in err
    assert not any(c in err for c in "\x1b\x07\u202e")


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "1e300"])
def test_a_timeout_must_be_positive_and_finite(cli, echo_server, timeout):
    code, out, err = cli("push", "--endpoint", f"http://{echo_server}/store", "--timeout", timeout, *DATA)
    assert code == 2 and "--timeout must be" in err and out == ""


class _HtmlHandler(http.server.BaseHTTPRequestHandler):
    """A web server that is no SPARQL store: an HTML page for every request."""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html><body>\x1b[31mWelcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_shared_store_that_answers_html_is_a_clear_error(cli):
    with local_http_server(_HtmlHandler) as server:
        code, out, err = cli("sparql", "ASK { ?s ?p ?o }", "--store", f"sparql+http://127.0.0.1:{server.server_port}/query")
    assert code == 1 and out == ""
    assert "answered with text/html, not N-Triples" in err and "Traceback" not in err


def triples(url: str, graph: str) -> set[tuple[str, ...]]:
    q = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(f"{url}/query", data=urllib.parse.urlencode({"query": q}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        rows = json.load(resp)["results"]["bindings"]
    return {tuple(json.dumps(r[v], sort_keys=True) for v in ("s", "p", "o")) for r in rows}


def test_a_change_set_brings_the_store_to_the_new_export(cli, oxigraph, tmp_path, ontology):
    from graph.load.validate import load_dataset
    from graph.rdf.remote import push

    old = load_dataset([ROOT / "data"], ontology)
    claims = list(old.claims.values())
    entity = next(iter(old.entities.values()))
    changed = {**old.claims, claims[0].id: claims[0].model_copy(update={"status": "refuted"})}
    del changed[claims[1].id]
    new = type(old)(old.ontology, old.sources, {**old.entities, entity.id: entity.model_copy(update={"tlp": "RED"})},
                    changed, old.resolutions)
    for name, ds in (("old", old), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "dataset.json").write_text(ds.to_json(), encoding="utf-8")
    applied, full = f"{GRAPH}/applied", f"{GRAPH}/full"
    push(old, f"{oxigraph}/store", applied)
    before = triples(oxigraph, applied)
    code, out, err = cli("diff", tmp_path / "old", tmp_path / "new", "-o", tmp_path / "ch")
    assert code == 0, err
    code, out, err = cli("push", "--changes", tmp_path / "ch", "--endpoint", f"{oxigraph}/update", "--graph", applied)
    assert code == 0, err
    assert out.startswith("applied ") and "(HTTP 204)" in out
    push(new, f"{oxigraph}/store", full)
    after = triples(oxigraph, applied)
    assert after == triples(oxigraph, full) and after != before
    # the default graph is the one the change set names (the export's)
    push(old, f"{oxigraph}/store")
    assert cli("push", "--changes", tmp_path / "ch", "--endpoint", f"{oxigraph}/update")[0] == 0
    assert triples(oxigraph, "https://w3id.org/thbor/data/graph") == after


def change_set(folder, *, added: str, removed: str, level: str = "GREEN"):
    """A change set as thbor diff writes one: the two files and changes.json with their checksums."""
    import hashlib
    import json

    folder.mkdir()
    (folder / "added.nt").write_text(added)
    (folder / "removed.nt").write_text(removed)
    files = {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in ("added.nt", "removed.nt")}
    (folder / "changes.json").write_text(json.dumps({"graph": "https://e.org/g", "level": level, "files": files}))


def test_a_change_set_above_the_partner_level_or_edited_is_not_sent(cli, oxigraph, tmp_path):
    triple = "<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n"
    change_set(tmp_path / "red", added=triple, removed="", level="RED")
    code, out, err = cli("push", "--changes", tmp_path / "red", "--endpoint", f"{oxigraph}/update")
    assert code == 1 and "above the partner level GREEN" in err and not out
    change_set(tmp_path / "edited", added=triple, removed="")
    (tmp_path / "edited" / "added.nt").write_text(triple + "<https://e.org/x> <https://e.org/y> <https://e.org/z> .\n")
    code, out, err = cli("push", "--changes", tmp_path / "edited", "--endpoint", f"{oxigraph}/update")
    assert code == 1 and "not the file thbor diff wrote" in err and not out


def test_a_change_set_that_is_not_one(cli, oxigraph, tmp_path):
    code, out, err = cli("push", "--changes", tmp_path, "--endpoint", f"{oxigraph}/update")
    assert code == 1 and "not a change set written by thbor diff" in err


def test_a_change_set_with_credentials_never_shows_them(cli, echo_server, tmp_path, monkeypatch):
    triple = "<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n"
    change_set(tmp_path / "ch", added=triple, removed=triple)
    monkeypatch.setenv("THBOR_TEST_PW", "s3cret/@x")
    code, out, err = cli("push", "--changes", tmp_path / "ch", "--endpoint", f"http://{echo_server}/update",
                         "--user", "alice", "--password-env", "THBOR_TEST_PW")
    assert code == 0 and "(HTTP 204)" in out, err
    assert "s3cret" not in out + err
    code, out, err = cli("push", "--changes", tmp_path / "ch", "--endpoint", f"http://alice:wr0ng@{echo_server}/update")
    assert code == 1 and "HTTP 401" in err and "wr0ng" not in out + err and "refused the update" in err


def test_a_change_set_holds_triples_and_nothing_else(cli, oxigraph, tmp_path):
    change_set(tmp_path / "ch", added="} } ; DROP ALL ; INSERT DATA { <a:b> <a:c> <a:d> .\n", removed="")
    code, out, err = cli("push", "--changes", tmp_path / "ch", "--endpoint", f"{oxigraph}/update")
    assert code == 1 and "added.nt: not N-Triples" in err
    code, out, err = cli("push", "--changes", tmp_path / "ch", "--endpoint", f"{oxigraph}/update", "--max-tlp", "red")
    assert code == 2 and "no --max-tlp" in err
