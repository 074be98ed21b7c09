"""RDF export and import: real parsers, round trips, determinism, SHACL."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph import load_dataset
from graph.rdf.export import FORMATS, export_rdf
from graph.rdf.shacl import check_graph, check_rdf

from ..conftest import ROOT

RDFLIB = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
OXI = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
       "trig": pyoxigraph.RdfFormat.TRIG, "nq": pyoxigraph.RdfFormat.N_QUADS}


@pytest.fixture(scope="module")
def ds():
    from graph import load_ontology
    return load_dataset([ROOT / "data"], load_ontology(ROOT / "ontology"))


@pytest.fixture(scope="module")
def exported(ds, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    return {fmt: export_rdf(ds, folder / f"graph.{fmt}", max_tlp="RED").path for fmt in FORMATS}


def rdflib_graph(path, fmt) -> rdflib.Graph:
    if fmt in ("trig", "nq"):
        d = rdflib.Dataset()
        d.parse(path, format=RDFLIB[fmt])
        g = rdflib.Graph()
        for s, p, o, _ in d.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return rdflib.Graph().parse(path, format=RDFLIB[fmt])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_parses_with_rdflib_and_pyoxigraph_to_the_same_graph(exported, fmt):
    reference = rdflib_graph(exported["nt"], "nt")
    g = rdflib_graph(exported[fmt], fmt)
    assert len(g) == len(reference) > 4000
    assert isomorphic(g, reference)
    quads = list(pyoxigraph.parse(path=str(exported[fmt]), format=OXI[fmt]))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(reference)
    if fmt in ("trig", "nq"):
        assert {q.graph_name.value for q in quads} == {"https://w3id.org/thbor/data/graph"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_import_gives_back_the_same_dataset_and_the_same_export(ds, exported, fmt, tmp_path):
    back = load_dataset([exported[fmt]], ds.ontology)
    assert back.to_json() == ds.to_json()
    again = export_rdf(back, tmp_path / f"graph.{fmt}", max_tlp="RED").path
    assert again.read_bytes() == exported[fmt].read_bytes()


def test_exporting_twice_is_byte_identical(ds, tmp_path):
    for fmt in FORMATS:
        a = export_rdf(ds, tmp_path / "a" / f"g.{fmt}").path.read_bytes()
        b = export_rdf(ds, tmp_path / "b" / f"g.{fmt}").path.read_bytes()
        assert a == b, fmt
    manifest = "g.ttl.manifest.json"
    assert (tmp_path / "a" / manifest).read_bytes() == (tmp_path / "b" / manifest).read_bytes()


def test_claim_design(exported):
    g = rdflib_graph(exported["nt"], "nt")
    thb = rdflib.Namespace("https://w3id.org/thbor#")
    ent = rdflib.Namespace("https://w3id.org/thbor/data/entity/")
    # the plain triple, so that ordinary SPARQL works ...
    assert (ent["group-id-kh-2023-recruiters"], thb.recruited, ent["group-id-kh-2023-victims"]) in g
    # ... and the claim node with its evidence
    q = """SELECT ?status ?conf ?quote ?year WHERE {
      ?c rdf:subject ent:group-id-kh-2023-victims ; rdf:predicate thb:traffickedTo ; rdf:object ent:country-kh ;
         thb:status ?status ; thb:confidence ?conf ; schema:startDate ?year ; thb:count ?n ;
         thb:citation/oa:hasSelector/oa:exact ?quote . FILTER(?n = 122) }"""
    rows = list(g.query(q, initNs={"thb": thb, "ent": ent, "rdf": rdflib.RDF, "schema": rdflib.Namespace("https://schema.org/"),
                                   "oa": rdflib.Namespace("http://www.w3.org/ns/oa#")}))
    assert rows and {str(r.status) for r in rows} == {str(thb.reported)}
    assert str(rows[0].year) == "2023" and rows[0].year.datatype == rdflib.XSD.gYear
    assert any("122 nationals" in str(r.quote) for r in rows)
    # controlled values are SKOS concepts of the ontology, not strings
    reliabilities = list(g.objects(None, thb.reliability))
    assert reliabilities and all(isinstance(o, rdflib.URIRef) for o in reliabilities)


def test_export_conforms_to_the_shapes(ds, exported):
    result = check_rdf(exported["ttl"], ds.ontology)
    assert result.conforms, result.violations[:3]


def test_removing_a_claims_source_is_a_violation(ds, exported):
    g = rdflib_graph(exported["nt"], "nt")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    claim, source = next(iter(g.subject_objects(prov.wasDerivedFrom)))
    for s in g.subjects(prov.wasDerivedFrom, None):
        if s == claim:
            for o in list(g.objects(claim, prov.wasDerivedFrom)):
                g.remove((claim, prov.wasDerivedFrom, o))
    result = check_graph(g, ds.ontology)
    assert not result.conforms
    assert any(v.focus == str(claim) and "source" in v.message for v in result.violations)


def test_source_without_title_is_a_violation(ds, exported):
    g = rdflib_graph(exported["nt"], "nt")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    src = rdflib.URIRef("https://w3id.org/thbor/data/source/src-reed-thbor-sea")
    g.remove((src, dct.title, None))
    result = check_graph(g, ds.ontology)
    assert not result.conforms and any("title" in v.message for v in result.violations)


def test_check_cli(cli, exported, tmp_path):
    code, out, _ = cli("check", exported["ttl"])
    assert code == 0 and "conforms" in out
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
                   "<https://e.org/c> a rdf:Statement ; rdf:subject <https://e.org/a> .\n", encoding="utf-8")
    code, out, _ = cli("check", bad)
    assert code == 1 and "violation(s)" in out and "<https://e.org/c>" in out
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    code, _, err = cli("check", broken)
    assert code == 1 and "cannot parse RDF" in err


def test_import_cli_writes_a_valid_case_file(cli, exported, tmp_path):
    out_file = tmp_path / "back.yaml"
    code, out, _ = cli("import", exported["ttl"], "-o", out_file)
    assert code == 0 and "valid:" in out
    code, out, _ = cli("validate", out_file)
    assert code == 0 and "201 claims" in out


def test_partner_rdf_with_errors_is_reported(cli, tmp_path):
    bad = tmp_path / "partner.ttl"
    bad.write_text("""@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix thb: <https://w3id.org/thbor#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://p.org/c1> a rdf:Statement ; dct:identifier "c1" ; rdf:subject <https://p.org/x> ;
  rdf:predicate thb:recruited ; rdf:object <https://p.org/y> .
""", encoding="utf-8")
    code, _, err = cli("validate", bad)
    assert code == 1 and "c1" in err and "citations" in err and "Traceback" not in err


OPEN_CASE = """\
sources: [{id: s1, title: Test source, kind: Report, reliability: B}]
entities:
  - {id: p1, types: [Person, Recruiter], name: P}
  - {id: g1, types: [Group, Victim], name: G}
claims:
  - {subject: p1, predicate: recruited, object: g1, start: 2019-03, end: open, citations: [{source: s1, quote: q}]}
  - {subject: p1, predicate: recruited, object: g1, start: 2018, citations: [{source: s1, quote: r}]}
  - {subject: p1, predicate: recruited, object: g1, start: 2016, end: 2017, citations: [{source: s1, quote: t}]}
"""
THB = rdflib.Namespace("https://w3id.org/thbor#")
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def open_ds(tmp_path_factory):
    from graph import load_ontology
    path = tmp_path_factory.mktemp("open") / "case.yaml"
    path.write_text(OPEN_CASE, encoding="utf-8")
    return load_dataset([path], load_ontology(ROOT / "ontology"))


@pytest.fixture(scope="module")
def open_exported(open_ds, tmp_path_factory):
    folder = tmp_path_factory.mktemp("open-export")
    return {fmt: export_rdf(open_ds, folder / f"graph.{fmt}", max_tlp="RED").path for fmt in FORMATS}


def claim_nodes(g: rdflib.Graph) -> dict[str, rdflib.term.Node]:
    """Claim nodes by the year of their start date."""
    return {str(o)[:4]: s for s, o in g.subject_objects(SCHEMA.startDate)}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_open_end_is_written_as_a_boolean_and_read_by_both_parsers(open_exported, fmt):
    g = rdflib_graph(open_exported[fmt], fmt)
    nodes = claim_nodes(g)
    assert sorted(nodes) == ["2016", "2018", "2019"]
    flag = g.value(nodes["2019"], THB.openEnded)
    assert flag == rdflib.Literal(True) and flag.datatype == rdflib.XSD.boolean
    assert g.value(nodes["2019"], SCHEMA.endDate) is None
    assert g.value(nodes["2018"], THB.openEnded) is None and g.value(nodes["2018"], SCHEMA.endDate) is None
    assert g.value(nodes["2016"], THB.openEnded) is None and str(g.value(nodes["2016"], SCHEMA.endDate)) == "2017"
    flags = [q for q in pyoxigraph.parse(path=str(open_exported[fmt]), format=OXI[fmt])
             if q.predicate == pyoxigraph.NamedNode(str(THB.openEnded))]
    assert [(q.subject.value, q.object.value, q.object.datatype.value) for q in flags] == \
        [(str(nodes["2019"]), "true", str(rdflib.XSD.boolean))]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_open_end_survives_export_and_import(open_ds, open_exported, fmt, tmp_path):
    back = load_dataset([open_exported[fmt]], open_ds.ontology)
    assert back.to_json() == open_ds.to_json()
    assert sorted((c.start, c.end, c.open_end) for c in back.claims.values()) == \
        [("2016", "2017", False), ("2018", None, False), ("2019-03", None, True)]
    again = export_rdf(back, tmp_path / f"graph.{fmt}", max_tlp="RED").path
    assert again.read_bytes() == open_exported[fmt].read_bytes()


def test_an_open_ended_export_conforms_and_an_open_end_with_an_end_date_does_not(open_ds, open_exported):
    assert check_rdf(open_exported["ttl"], open_ds.ontology).conforms
    g = rdflib_graph(open_exported["nt"], "nt")
    node = claim_nodes(g)["2019"]
    g.add((node, SCHEMA.endDate, rdflib.Literal("2020", datatype=rdflib.XSD.gYear)))
    result = check_graph(g, open_ds.ontology)
    assert not result.conforms
    assert [v.message for v in result.violations if v.focus == str(node)] == \
        ["An open-ended claim has a start date and no end date."]
    g.remove((node, SCHEMA.endDate, None))
    g.set((node, THB.openEnded, rdflib.Literal("yes")))
    result = check_graph(g, open_ds.ontology)
    assert not result.conforms and any("boolean" in v.message for v in result.violations)


def test_the_json_ld_context_names_open_ended(open_exported):
    import json
    context = json.loads((open_exported["jsonld"].parent / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["openEnded"] == {"@id": "thb:openEnded", "@type": "xsd:boolean"}


def test_import_cli_writes_end_open_back_as_open_end(cli, open_exported, tmp_path):
    out_file = tmp_path / "back.yaml"
    code, out, _ = cli("import", open_exported["ttl"], "-o", out_file)
    assert code == 0 and "3 claims" in out
    text = out_file.read_text(encoding="utf-8")
    assert text.count("open_end: true") == 1 and "open_end: false" not in text
    code, out, _ = cli("validate", out_file)
    assert code == 0 and "3 claims" in out


def test_partner_rdf_with_an_open_end_and_no_start_is_reported(cli, tmp_path):
    bad = tmp_path / "partner.ttl"
    bad.write_text("""@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix thb: <https://w3id.org/thbor#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://p.org/c1> a rdf:Statement ; dct:identifier "c1" ; rdf:subject <https://p.org/x> ;
  rdf:predicate thb:recruited ; rdf:object <https://p.org/y> ; thb:openEnded true .
""", encoding="utf-8")
    code, _, err = cli("validate", bad)
    assert code == 1 and "open_end: an open end needs a start" in err and "Traceback" not in err


EVIDENCE_CASE = """
sources:
  - {id: s1, title: Outlet one, kind: NewsArticle, reliability: B, language: id}
  - {id: s2, title: Outlet two, kind: NewsArticle, reliability: B, syndicates: s3, cites: [s3, s1]}
  - {id: s3, title: A wire story, kind: NewsArticle, reliability: C}
entities:
  - {id: p1, type: Person, name: An official}
  - {id: g1, type: Group, name: Donors}
claims:
  - subject: p1
    predicate: paid
    object: g1
    qualifiers: {currency: IDR}
    citations:
      - {source: s1, quote: "at least 3 million rupiah per person", credibility: 2, values: {amountMin: 3000000}}
      - {source: s2, quote: "3.2 to 3.5 million rupiah", values: {amountMin: 3200000, amountMax: 3500000}}
      - {source: s3, quote: "nobody was paid", credibility: 4, stance: denies}
"""


@pytest.fixture(scope="module")
def evidence_ds(tmp_path_factory):
    from graph import load_ontology
    path = tmp_path_factory.mktemp("evidence") / "case.yaml"
    path.write_text(EVIDENCE_CASE, encoding="utf-8")
    return load_dataset([path], load_ontology(ROOT / "ontology"))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_citation_values_stances_and_origin_links_survive_export_and_import(evidence_ds, fmt, tmp_path):
    path = export_rdf(evidence_ds, tmp_path / f"graph.{fmt}", max_tlp="RED").path
    back = load_dataset([path], evidence_ds.ontology)
    assert back.to_json() == evidence_ds.to_json()
    [claim] = back.claims.values()
    assert [(c.source, c.values, c.stance) for c in claim.citations] == [
        ("s1", {"amountMin": 3000000}, None), ("s2", {"amountMax": 3500000, "amountMin": 3200000}, None),
        ("s3", {}, "denies")]
    assert (back.sources["s2"].syndicates, back.sources["s2"].cites) == ("s3", ["s1", "s3"])
    again = export_rdf(back, tmp_path / "again" / f"graph.{fmt}", max_tlp="RED").path
    assert again.read_bytes() == path.read_bytes()


def test_each_citation_node_carries_the_values_its_source_gave(evidence_ds, tmp_path):
    path = export_rdf(evidence_ds, tmp_path / "graph.nt", max_tlp="RED").path
    g = rdflib_graph(path, "nt")
    OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
    given = {str(g.value(node, OA.hasSource)).rsplit("/", 1)[-1]:
             sorted((str(p).rsplit("#", 1)[-1], o.toPython()) for p, o in g.predicate_objects(node)
                    if str(p).endswith(("#amountMin", "#amountMax")))
             for node in g.subjects(rdflib.RDF.type, THB.Citation)}
    assert given == {"s1": [("amountMin", 3000000)], "s2": [("amountMax", 3500000), ("amountMin", 3200000)], "s3": []}
    denial = [n for n in g.subjects(THB.stance, None)]
    assert len(denial) == 1 and g.value(denial[0], THB.stance) == THB.denies
    assert check_rdf(path, evidence_ds.ontology).conforms


def test_a_citation_with_two_counts_or_a_bad_stance_is_a_violation(evidence_ds, tmp_path):
    path = export_rdf(evidence_ds, tmp_path / "graph.nt", max_tlp="RED").path
    g = rdflib_graph(path, "nt")
    node = next(iter(g.subjects(THB.stance, None)))
    g.set((node, THB.stance, THB.reported))
    g.add((node, THB["count"], rdflib.Literal(1)))  # THB.count is the str method
    g.add((node, THB["count"], rdflib.Literal(2)))
    messages = {v.message for v in check_graph(g, evidence_ds.ontology).violations}
    assert {"A citation has at most one stance, from the stance scheme.",
            "A citation gives at most one count, a whole number."} <= messages
