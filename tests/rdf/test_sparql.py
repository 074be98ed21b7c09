"""SPARQL over the graph, and the documented example queries."""

from __future__ import annotations

import csv
import http.server
import io
import json

import pytest

from ..conftest import ROOT, local_http_server

DATA = ["--data", str(ROOT / "data")]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_every_example_query_runs_and_returns_rows(cli, query):
    code, out, err = cli("sparql", query, *DATA, "--format", "json", "--max-tlp", "RED")
    assert code == 0, err
    assert json.loads(out)["results"]["bindings"], query.name


def test_social_media_only_query_finds_the_x_post_claims(cli):
    code, out, _ = cli("sparql", ROOT / "queries" / "social-media-only.rq", *DATA,
                       "--format", "csv", "--max-tlp", "AMBER")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows
    assert all(r["status"] == "alleged" for r in rows)
    assert any(r["id"].startswith("group-id-syndicate-brokers.memberOf") for r in rows)


def test_construct_gives_turtle_and_ask_a_boolean(cli):
    code, out, _ = cli("sparql", "CONSTRUCT { ?s rdfs:label ?l } "
                                 "WHERE { ?s a thb:ScamCompound ; rdfs:label ?l }", *DATA)
    assert code == 0 and 'rdfs:label "KK Park"' in out
    code, out, _ = cli("sparql", "ASK { ?s a thb:Hospital }", *DATA)
    assert code == 0 and out.strip() == "true"


LEVELS = """
    sources: [{id: s1, title: Public report, kind: Report, reliability: B}]
    entities:
      - {id: org-clear, type: Organisation, tlp: CLEAR, name: Clear Clinic}
      - {id: org-green, type: Organisation, tlp: GREEN, name: Green Clinic}
      - {id: org-amber, type: Organisation, tlp: AMBER, name: Amber Clinic}
      - {id: org-red, type: Organisation, tlp: RED, name: Red Clinic}
      - {id: org-formula, type: Organisation, tlp: CLEAR, name: "=HYPERLINK(\\"http://x.test\\")"}
      - {id: c1, type: Case, name: C}
    claims:
      - {subject: org-clear, predicate: involvedIn, object: c1, citations: [{source: s1, quote: q}]}
      - {subject: org-green, predicate: involvedIn, object: c1, citations: [{source: s1, quote: q}]}
      - {subject: org-amber, predicate: involvedIn, object: c1, citations: [{source: s1, quote: q}]}
      - {subject: org-red, predicate: involvedIn, object: c1, citations: [{source: s1, quote: q}]}
      - {subject: org-formula, predicate: involvedIn, object: c1, citations: [{source: s1, quote: q}]}
    """
NAMES = "SELECT ?n WHERE { ?e a thb:Organisation ; rdfs:label ?n } ORDER BY ?n"


def test_queries_answer_at_the_partner_level_unless_told_and_say_so(cli, write):
    data = ["--data", write("levels.yaml", LEVELS), "--no-store"]
    code, out, err = cli("sparql", NAMES, *data, "--format", "csv")
    assert code == 0 and "answering at TLP:GREEN" in err, err
    assert "Green Clinic" in out and "Amber Clinic" not in out and "Red Clinic" not in out
    code, out, err = cli("sparql", NAMES, *data, "--format", "csv", "--max-tlp", "RED")
    assert code == 0 and "answering at TLP:RED" in err
    assert "Amber Clinic" in out and "Red Clinic" in out
    code, out, err = cli("sparql", NAMES, *data)  # the table says it too
    assert code == 0 and "answering at TLP:GREEN" in err and "Amber" not in out
    _, out, _ = cli("sparql", NAMES, *data, "--format", "json")
    assert json.loads(out)["sharing"] == {"level": "GREEN"}
    _, out, _ = cli("sparql", "ASK { ?s rdfs:label \"Green Clinic\" }", *data, "--format", "json", "--max-tlp", "clear")
    assert json.loads(out)["sharing"] == {"level": "CLEAR"} and json.loads(out)["boolean"] is False


def test_csv_neutralises_formula_cells(cli, write):
    data = ["--data", write("levels.yaml", LEVELS), "--no-store"]
    code, out, err = cli("sparql", NAMES, *data, "--format", "csv")
    assert code == 0, err
    assert ["'=HYPERLINK(\"http://x.test\")"] in list(csv.reader(io.StringIO(out)))
    q = 'SELECT ?v WHERE { VALUES ?v { "+1" "-2" "@SUM(A1)" "\\tx" "plain" "a=b" } }'
    code, out, err = cli("sparql", q, *data, "--format", "csv")
    assert code == 0, err
    assert sorted(r[0] for r in csv.reader(io.StringIO(out, newline=""))) == sorted(
        ["v", "'+1", "'-2", "'@SUM(A1)", "'\tx", "plain", "a=b"])


class _Service(http.server.BaseHTTPRequestHandler):
    """A stand-in for a remote host: SPARQL results on /sparql, an HTML page anywhere else."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._reply()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._reply()

    def _reply(self):
        self.requests.append(self.path)
        if self.path.startswith("/sparql"):
            kind, body = "application/sparql-results+json", json.dumps(
                {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}})
        else:
            kind, body = "text/html", "<html><body>\x1b[31mNot a SPARQL endpoint</body></html>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def service():
    _Service.requests = []
    with local_http_server(_Service) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.mark.parametrize("pattern", [
    "SERVICE <{url}/sparql> {{ ?s ?p ?x }}",
    "service silent <{url}/sparql> {{ ?s ?p ?x }}",
    "FILTER EXISTS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "{{ SELECT ?x WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?x }} }} }}",
    "BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?x }}",
])
def test_federated_queries_are_refused_before_any_request(cli, service, pattern):
    code, out, err = cli("sparql", "SELECT ?x WHERE { " + pattern.format(url=service) + " }", *DATA)
    assert code == 2 and "federated query refused" in err and "--allow-service" in err, err
    assert _Service.requests == [] and out == ""


def test_service_in_comments_and_strings_is_not_a_federated_query(cli, service):
    q = f'SELECT ?x WHERE {{ # SERVICE <{service}/sparql> {{ }}\n BIND("SERVICE <{service}/sparql> {{ }}" AS ?x) }}'
    code, out, err = cli("sparql", q, *DATA, "--format", "csv")
    assert code == 0, err
    assert list(csv.reader(io.StringIO(out)))[1] == [f"SERVICE <{service}/sparql> {{ }}"]
    assert _Service.requests == []


def test_allowed_federated_query_asks_the_service_and_a_non_sparql_reply_is_a_clear_error(cli, service):
    code, out, err = cli("sparql", f"SELECT ?x WHERE {{ SERVICE <{service}/sparql> {{ ?s ?p ?x }} }}", *DATA,
                         "--allow-service", "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["x", "remote"] and _Service.requests
    code, out, err = cli("sparql", f"SELECT ?x WHERE {{ SERVICE <{service}/page> {{ ?s ?p ?x }} }}", *DATA,
                         "--allow-service")
    assert code == 1 and out == ""
    assert err.startswith("error: the query failed:") and "text/html" in err and "Traceback" not in err


def test_syntax_error_is_a_clear_message(cli):
    code, _, err = cli("sparql", "SELEKT ?x WHERE {}", *DATA)
    assert code == 2 and "SPARQL syntax error" in err
