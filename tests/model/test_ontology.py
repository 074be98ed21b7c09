"""The ontology is data: it parses with real RDF tools and extending it needs no Python change."""

from __future__ import annotations

import shutil

import pyoxigraph
import pyshacl
import pytest
import rdflib

from graph import InputError, load_dataset, load_ontology
from graph.errors import OntologyError

from ..conftest import ROOT


def test_ontology_parses_with_rdflib_and_pyoxigraph():
    g = rdflib.Graph().parse(ROOT / "ontology" / "thbor.ttl", format="turtle")
    quads = list(pyoxigraph.parse(path=str(ROOT / "ontology" / "thbor.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) == len(quads) > 500


def test_shapes_parse_and_validate_with_pyshacl():
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    data = rdflib.Graph().parse(data="""
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix ex: <https://example.org/> .
        ex:c a rdf:Statement ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:b .
    """, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert not conforms
    assert "at least one source" in text and "status" in text


def test_required_vocabularies_and_roots(ontology):
    assert ontology.vocabulary("status").ordered()[:2] == ["alleged", "reported"]
    assert ontology.vocabulary("reliability").ordered() == list("ABCDEF")
    assert ontology.vocabulary("credibility").ordered() == list("123456")
    assert ontology.vocabulary("tlp").ordered() == ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
    assert {"kidney", "liver segment", "cornea"} <= set(ontology.vocabularies["OrganScheme"].concepts)


def test_every_relation_and_class_is_documented(ontology):
    for rel in ontology.relations.values():
        assert rel.label and rel.definition, rel.name
        assert rel.domain and rel.range, rel.name
    for cls in ontology.classes.values():
        assert cls.label, cls.name


def test_subclasses_and_default_sharing_levels(ontology):
    assert ontology.is_a(["ScamCompound"], {"Organisation"})
    assert not ontology.is_a(["Country"], {"Agent"})
    assert ontology.default_tlp(["Person", "Recruiter"]) == "AMBER"  # most restrictive wins
    assert ontology.default_tlp(["Country"]) == "CLEAR"
    assert ontology.relations["associatedWith"].symmetric


EXTENSION = """
@prefix thb:  <https://w3id.org/thbor#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
thb:OrganBank a owl:Class ; rdfs:subClassOf thb:Organisation ; rdfs:label "organ bank"@en .
thb:suppliedOrgansTo a owl:ObjectProperty ; rdfs:domain thb:OrganBank ; rdfs:range thb:Hospital ;
    rdfs:label "supplied organs to"@en ; skos:definition "Test relation."@en .
"""

CASE = """
sources: [{id: s, title: T, kind: Report, reliability: C}]
entities:
  - {id: bank, type: OrganBank, name: Bank}
  - {id: hosp, type: Hospital, name: Hospital}
claims:
  - {subject: bank, predicate: suppliedOrgansTo, object: hosp, citations: [{source: s, quote: q}]}
"""


def test_new_class_and_relation_need_only_an_ontology_edit(tmp_path, write):
    case = write("case.yaml", CASE)
    with pytest.raises(InputError) as exc:
        load_dataset([case], load_ontology(ROOT / "ontology"))
    assert "unknown entity type 'OrganBank'" in str(exc.value)
    assert "unknown predicate 'suppliedOrgansTo'" in str(exc.value)

    onto_dir = tmp_path / "onto"
    shutil.copytree(ROOT / "ontology", onto_dir)
    with (onto_dir / "thbor.ttl").open("a", encoding="utf-8") as fh:
        fh.write(EXTENSION)
    ds = load_dataset([case], load_ontology(onto_dir))
    assert ds.entities["bank"].types == ["OrganBank"]
    assert ds.entities["bank"].tlp == "CLEAR"  # inherited from Organisation
    [claim] = ds.claims.values()
    assert claim.predicate == "suppliedOrgansTo"

    # and the new relation's domain is enforced like any other
    bad = write("bad.yaml", CASE.replace("subject: bank", "subject: hosp").replace("object: hosp", "object: bank"))
    with pytest.raises(InputError, match="needs OrganBank"):
        load_dataset([bad], load_ontology(onto_dir))


def test_broken_ontology_is_a_clear_error(tmp_path):
    (tmp_path / "thbor.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(OntologyError, match="cannot parse Turtle"):
        load_ontology(tmp_path)
    with pytest.raises(OntologyError, match="not found"):
        load_ontology(tmp_path / "missing")


def test_vocabulary_decisions_are_read_from_annotations(ontology):
    assert ontology.default_status == "reported"
    assert ontology.partner_level == "GREEN"
    assert ontology.dashed_statuses == {"alleged"}
    assert ontology.contested_statuses == {"disputed", "refuted"}
    assert ontology.weak_evidence_statuses == {"alleged", "disputed", "refuted"}
    assert ontology.low_grades("reliability") == {"E", "F"} and ontology.low_grades("credibility") == {"5", "6"}
    assert {"dr", "kombes", "haji"} <= ontology.honorifics
    assert ontology.route_qualifiers == ("count", "organ")
    assert ontology.listing("tlp") == "CLEAR, GREEN, AMBER, AMBER+STRICT, RED"


ANNOTATED = """
sources: [{id: s, title: T, kind: Report, reliability: C}]
entities:
  - {id: a, type: Person, name: Dr Alpha}
  - {id: b, type: Person, name: Beta}
claims:
  - {subject: a, predicate: associatedWith, object: b, citations: [{source: s, quote: q}]}
"""


def test_changing_an_annotation_changes_the_behaviour(tmp_path, write):
    onto_dir = tmp_path / "onto"
    shutil.copytree(ROOT / "ontology", onto_dir)
    ttl = onto_dir / "thbor.ttl"
    text = ttl.read_text(encoding="utf-8")
    for old, new in [("thb:defaultValue thb:reported", "thb:defaultValue thb:alleged"),
                     ("thb:partnerLevel thb:tlp-green", "thb:partnerLevel thb:tlp-amber"),
                     ("thb:unverified true ; thb:dashed true ;", ""),
                     ('skos:notation "dr" .', 'skos:notation "doctor" .')]:
        assert old in text
        text = text.replace(old, new)
    ttl.write_text(text + '\nthb:reported thb:dashed true .\n', encoding="utf-8")
    onto = load_ontology(onto_dir)
    [claim] = load_dataset([write("case.yaml", ANNOTATED)], onto).claims.values()
    assert claim.status == "alleged"
    assert onto.partner_level == "AMBER"
    assert onto.dashed_statuses == {"reported"}
    assert onto.weak_evidence_statuses == {"disputed", "refuted"}
    assert "dr" not in onto.honorifics and "doctor" in onto.honorifics


def test_a_default_status_is_required_and_must_be_a_status(tmp_path):
    onto_dir = tmp_path / "onto"
    shutil.copytree(ROOT / "ontology", onto_dir)
    ttl = onto_dir / "thbor.ttl"
    text = ttl.read_text(encoding="utf-8")
    ttl.write_text(text.replace(" thb:defaultValue thb:reported ;", ""), encoding="utf-8")
    with pytest.raises(OntologyError, match="thb:status needs a thb:defaultValue"):
        load_ontology(onto_dir)
    ttl.write_text(text.replace("thb:defaultValue thb:reported", "thb:defaultValue thb:tlp-red"), encoding="utf-8")
    with pytest.raises(OntologyError, match="not a concept of thb:ClaimStatusScheme"):
        load_ontology(onto_dir)
    ttl.write_text(text.replace("thb:partnerLevel thb:tlp-green", "thb:partnerLevel thb:alleged"), encoding="utf-8")
    with pytest.raises(OntologyError, match="partnerLevel"):
        load_ontology(onto_dir)


def test_every_class_has_a_colour_and_classes_drawn_together_differ(ontology):
    import re
    for name in ontology.classes:  # declared or inherited, a colour of the form #RRGGBB
        assert re.fullmatch(r"#[0-9A-F]{6}", ontology.colour(name)), name
    ds = load_dataset([ROOT / "data"], ontology)
    used = sorted({ontology.view_group(e.types) for e in ds.entities.values()})

    def parents(n):
        anc = ontology.classes[n].ancestors - {n}
        return {a for a in anc if not any(a in ontology.classes[b].ancestors - {b} for b in anc)}

    pairs = [(a, b) for i, a in enumerate(used) for b in used[i + 1:]
             if parents(a) & parents(b) or a in ontology.classes[b].ancestors or b in ontology.classes[a].ancestors]
    assert len(pairs) > 20  # siblings (Country, Region, City; the kinds of organisation) and class/superclass
    same = [(a, b) for a, b in pairs if ontology.colour(a) == ontology.colour(b)]
    assert not same, same
    # the pairs the issue found sharing a colour
    assert ontology.colour("Country") != ontology.colour("Region")
    assert ontology.colour("Case") != ontology.colour("Phenomenon")


def test_colours_are_inherited_and_checked(tmp_path):
    onto_dir = tmp_path / "onto"
    shutil.copytree(ROOT / "ontology", onto_dir)
    with (onto_dir / "thbor.ttl").open("a", encoding="utf-8") as f:
        f.write('\nthb:OrganBank a owl:Class ; rdfs:subClassOf thb:Hospital ; rdfs:label "organ bank"@en .\n')
    onto = load_ontology(onto_dir)
    assert onto.colour("OrganBank") == onto.colour("Hospital")  # inherited
    assert onto.shape("OrganBank") == onto.shape("Hospital")
    with (onto_dir / "thbor.ttl").open("a", encoding="utf-8") as f:
        f.write('thb:OrganBank thb:colour "#117733" .\n')
    assert load_ontology(onto_dir).colour("OrganBank") == "#117733"  # its own wins
    with (onto_dir / "thbor.ttl").open("a", encoding="utf-8") as f:
        f.write('thb:Hospital thb:colour "#117733" .\n')
    with pytest.raises(OntologyError, match="a class has one colour"):
        load_ontology(onto_dir)
    shutil.copytree(ROOT / "ontology", tmp_path / "bad")
    with (tmp_path / "bad" / "thbor.ttl").open("a", encoding="utf-8") as f:
        f.write('thb:Treaty thb:colour "red" .\n')
    with pytest.raises(OntologyError, match="not a colour"):
        load_ontology(tmp_path / "bad")


def test_an_entity_of_several_types_takes_its_most_specific_types_colour(ontology):
    look = ontology.appearance(["Victim", "Person"])
    assert look == ontology.appearance(["Person", "Victim"])  # the order the types are given in does not matter
    assert (look.group, look.colour, look.shape) == ("Person", ontology.colour("Person"), ontology.shape("Person"))
    assert look.others == ("Victim",) and look.border == ontology.colour("Victim")
    deeper = ontology.appearance(["Organisation", "Hospital"])  # a type and its superclass: the subclass wins
    assert deeper.group == "Hospital" and deeper.others == () and deeper.border is None
    assert ontology.appearance(["Hospital"]).border is None
