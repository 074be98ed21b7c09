"""Pushing to a real SPARQL 1.1 store: an Oxigraph server started on loopback."""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

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
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode())
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
    server = http.server.HTTPServer(("127.0.0.1", 0), _AuthHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/store"
    try:
        monkeypatch.setenv("THBOR_TEST_PASSWORD", "s3cret")
        code, out, err = cli("push", "--endpoint", url, "--user", "alice", "--password-env", "THBOR_TEST_PASSWORD", *DATA)
        assert code == 0 and "HTTP 204" in out, err
        assert _AuthHandler.received[-1] == "application/n-triples"
        monkeypatch.setenv("THBOR_TEST_PASSWORD", "wrong")
        code, _, err = cli("push", "--endpoint", url, "--user", "alice", "--password-env", "THBOR_TEST_PASSWORD", *DATA)
        assert code == 1 and "HTTP 401" in err
        monkeypatch.delenv("THBOR_TEST_PASSWORD")
        code, _, err = cli("push", "--endpoint", url, "--user", "alice", "--password-env", "THBOR_TEST_PASSWORD", *DATA)
        assert code == 1 and "is not set" in err
    finally:
        server.shutdown()


def test_the_same_path_from_the_embedded_store_and_from_the_oxigraph_server(cli, oxigraph, tmp_path, monkeypatch):
    import graph.cli_query
    data = ["--data", str(ROOT / "data")]
    graph_iri = GRAPH + "-full"
    assert cli("push", "--endpoint", f"{oxigraph}/store", "--graph", graph_iri, "--max-tlp", "RED", *data)[0] == 0
    assert cli("build", ROOT / "data", "-o", tmp_path / "build")[0] == 0
    query = ["group-id-kh-2023-recruiters", "Thailand", "--via-context"]
    monkeypatch.setattr(graph.cli_query, "load_dataset", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed")))
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
    assert cli("export", ROOT / "data", "-o", tmp_path / "local.nt", "--max-tlp", "RED", "--store", tmp_path / "build" / "store")[0] == 0
    assert (tmp_path / "remote.nt").read_bytes() == (tmp_path / "local.nt").read_bytes()
