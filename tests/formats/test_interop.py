"""GraphML, GEXF, FollowTheMoney, CSV and Neo4j exports, read back with real readers."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from graph import load_dataset
from graph.formats.export import TOOL_FORMATS, export
from graph.model.sharing import share

from ..conftest import FIXTURES, ROOT
from ..model.test_sharing import LEVELS, forbidden


@pytest.fixture(scope="module")
def ds():
    from graph import load_ontology
    return load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))


def target(tmp_path, fmt):
    return tmp_path / fmt if TOOL_FORMATS[fmt] is None else tmp_path / f"graph-{fmt}{TOOL_FORMATS[fmt]}"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_read_back_with_networkx(ds, tmp_path, fmt):
    result = export(ds, target(tmp_path, fmt), fmt=fmt)
    shared, _ = share(ds, "GREEN")
    G = nx.read_graphml(result.path) if fmt == "graphml" else nx.read_gexf(result.path)
    assert G.number_of_nodes() == len(shared.entities)
    assert G.number_of_edges() == len(shared.claims)
    node = G.nodes["compound-kk-park"]
    assert node["type"] == "ScamCompound" and node["country"] == "MM"
    edges = {d["id"]: d for _, _, d in G.edges(data=True)}
    claim = edges["compound-kk-park.engagedIn.phen-organ-harvesting"]
    assert claim["status"] == "alleged" and float(claim["confidence"]) > 0 and int(claim["source_count"]) == 1
    dated = sum(1 for c in shared.claims.values() if c.start)
    assert sum(1 for d in edges.values() if "start" in d) == dated


def test_ftm_lines_validate_with_followthemoney(ds, tmp_path):
    from followthemoney import model
    result = export(ds, target(tmp_path, "ftm"), fmt="ftm")
    rows = [json.loads(line) for line in result.path.read_text(encoding="utf-8").splitlines()]
    ids = {r["id"] for r in rows}
    assert rows
    for r in rows:
        proxy = model.get_proxy(r, cleaned=False)
        for prop, values in r["properties"].items():
            assert sorted(proxy.get(prop)) == sorted(values), (r["id"], prop)
            assert proxy.schema.get(prop) is not None
        for prop in proxy.schema.properties.values():
            if prop.type.name == "entity":
                assert all(v in ids for v in proxy.get(prop.name)), (r["id"], prop.name)
    schemas = {r["schema"] for r in rows}
    assert {"Person", "Organization", "Membership", "UnknownLink", "Address", "Event"} <= schemas
    assert result.manifest["left_out_by_format"]["entities"] > 0  # groups, countries, practices


def test_csv_reads_back_and_is_safe_for_spreadsheets(ds, tmp_path, write):
    export(ds, tmp_path / "csv", fmt="csv")
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    shared, _ = share(ds, "GREEN")
    assert len(edges) == len(shared.claims)
    row = next(e for e in edges if e["id"] == "compound-kk-park.engagedIn.phen-organ-harvesting")
    assert row["status"] == "alleged" and "[D4]" in row["evidence"] and "KK Park" in row["evidence"]
    nasty = write("nasty.yaml", """
        sources: [{id: s, title: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")", kind: Report,
                   reliability: C, tlp: CLEAR}]
        entities:
          - {id: a, type: Organisation, name: "+cmd|' /C calc'!A0", tlp: CLEAR}
          - {id: b, type: Organisation, name: "@SUM(1+1)", tlp: CLEAR, description: "-2+3"}
        claims:
          - {subject: a, predicate: associatedWith, object: b, note: "=1+1", citations: [{source: s, quote: "=cmd"}]}
        """)
    from graph import load_ontology
    small = load_dataset([nasty], load_ontology(ROOT / "ontology"))
    export(small, tmp_path / "nasty", fmt="csv")
    for name in ("nodes.csv", "edges.csv", "sources.csv"):
        with open(tmp_path / "nasty" / name, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for value in row:
                    assert not value.startswith(("=", "+", "-", "@")), (name, value)
    text = (tmp_path / "nasty" / "nodes.csv").read_text(encoding="utf-8")
    assert "'+cmd" in text and "'@SUM" in text and "'-2+3" in text


def test_neo4j_files_have_the_headers_neo4j_admin_expects(ds, tmp_path):
    export(ds, tmp_path / "neo4j", fmt="neo4j")
    with open(tmp_path / "neo4j" / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.reader(fh))
    with open(tmp_path / "neo4j" / "relationships.csv", encoding="utf-8", newline="") as fh:
        rels = list(csv.reader(fh))
    assert nodes[0][0] == "id:ID" and nodes[0][-1] == ":LABEL" and "types:string[]" in nodes[0]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and "confidence:float" in rels[0]
    shared, _ = share(ds, "GREEN")
    assert len(nodes) - 1 == len(shared.entities) and len(rels) - 1 == len(shared.claims)
    assert all(r[2] in ds.ontology.relations for r in rels[1:])
    script = (tmp_path / "neo4j" / "import.cypher").read_text(encoding="utf-8")
    assert script.count("MERGE (n:") == len(shared.entities) and script.count("MATCH (a:Entity") == len(shared.claims)


@pytest.mark.parametrize("fmt", sorted(TOOL_FORMATS))
@pytest.mark.parametrize("level", LEVELS)
def test_no_format_leaks_above_the_level(tmp_path, fmt, level):
    from graph import load_ontology
    ds = load_dataset([FIXTURES / "levels"], load_ontology(ROOT / "ontology"))
    result = export(ds, target(tmp_path, fmt), fmt=fmt, max_tlp=level)
    data = "".join(f.read_text(encoding="utf-8") for f in result.files)
    for marker in forbidden(level):
        assert marker not in data, (fmt, level, marker)


@pytest.mark.parametrize("fmt", sorted(TOOL_FORMATS))
def test_tool_exports_are_deterministic_and_pseudonymise(ds, tmp_path, fmt, monkeypatch):
    monkeypatch.setenv("THBOR_PSEUDONYM_KEY", "k")
    a = export(ds, target(tmp_path / "a", fmt), fmt=fmt, max_tlp="RED", pseudonymise=True)
    b = export(ds, target(tmp_path / "b", fmt), fmt=fmt, max_tlp="RED", pseudonymise=True)
    assert [f.read_bytes() for f in a.files] == [f.read_bytes() for f in b.files]
    data = "".join(f.read_text(encoding="utf-8") for f in a.files)
    assert "Santosh" not in data and "person-victim-santosh" not in data


def test_ftm_import_maps_back_with_a_source_per_dataset(cli, tmp_path):
    from graph import load_ontology
    ds = load_dataset([FIXTURES / "ftm" / "extract.ftm.jsonl"], load_ontology(ROOT / "ontology"))
    assert set(ds.sources) == {"ftm-test_sanctions", "ftm-test_registry"}
    assert ds.entities["os-person-1"].types == ["Person"] and ds.entities["os-person-1"].country == "KH"
    assert ds.entities["os-company-1"].types == ["Company"]
    assert ds.claims["os-link-1"].predicate == "workedFor" and ds.claims["os-link-1"].start == "2019-05-01"
    assert ds.claims["os-link-2"].predicate == "memberOf"
    assert ds.claims["os-link-3"].predicate == "fundedBy"  # the UnknownLink's role names a relation
    assert ds.claims["os-link-1"].citations[0].source == "ftm-test_sanctions"
    code, out, _ = cli("import", FIXTURES / "ftm" / "extract.ftm.jsonl", "-o", tmp_path / "back.yaml")
    assert code == 0 and cli("validate", tmp_path / "back.yaml")[0] == 0


def test_broken_ftm_lines_are_reported_with_their_line(cli, write):
    path = write("bad.ftm.jsonl", '{"id": "x", "schema": "Person", "properties": {"name": ["X"]}}\n'
                                  '{"id": "y", "schema": "NoSuchSchema", "properties": {}}\nnot json\n')
    code, _, err = cli("validate", path)
    assert code == 1 and f"{path}:2: y: unknown FtM schema" in err and f"{path}:3:" in err


OPEN_CASE = """
    sources: [{id: s1, title: T, kind: Report, reliability: B, tlp: CLEAR}]
    entities:
      - {id: a, type: Organisation, name: A, tlp: CLEAR}
      - {id: b, type: Organisation, name: B, tlp: CLEAR}
    claims:
      - {subject: a, predicate: associatedWith, object: b, start: 2019-03, end: open,
         citations: [{source: s1, quote: q}]}
      - {subject: a, predicate: associatedWith, object: b, start: 2018,
         citations: [{source: s1, quote: r}]}
      - {subject: a, predicate: associatedWith, object: b, start: 2016, end: 2017-06,
         citations: [{source: s1, quote: t}]}
    """


@pytest.fixture
def open_ds(write):
    from graph import load_ontology
    return load_dataset([write("open.yaml", OPEN_CASE)], load_ontology(ROOT / "ontology"))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_mark_open_ends_and_close_a_lone_start(open_ds, tmp_path, fmt):
    result = export(open_ds, target(tmp_path, fmt), fmt=fmt)
    G = nx.read_graphml(result.path) if fmt == "graphml" else nx.read_gexf(result.path)
    spells = {d["start"][:4]: (d["start"], d.get("end"), d.get("open_end")) for _, _, d in G.edges(data=True)}
    assert spells == {"2019": ("2019-03-01", None, True), "2018": ("2018-01-01", "2018-12-31", None),
                      "2016": ("2016-01-01", "2017-06-30", None)}


@pytest.mark.parametrize("fmt, table", [("csv", "edges.csv"), ("neo4j", "relationships.csv")])
def test_tables_write_open_as_the_end_of_an_open_ended_claim(open_ds, tmp_path, fmt, table):
    export(open_ds, tmp_path / fmt, fmt=fmt)
    with open(tmp_path / fmt / table, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted((r["start"], r["end"]) for r in rows) == [("2016", "2017-06"), ("2018", ""), ("2019-03", "open")]


def test_ftm_leaves_the_end_of_an_open_ended_claim_empty(open_ds, tmp_path):
    result = export(open_ds, target(tmp_path, "ftm"), fmt="ftm")
    rows = [json.loads(line) for line in result.path.read_text(encoding="utf-8").splitlines()]
    dates = sorted((r["properties"]["startDate"][0], r["properties"].get("endDate")) for r in rows
                   if "startDate" in r["properties"])
    assert dates == [("2016", ["2017-06"]), ("2018", None), ("2019-03", None)]
