"""The controlled vocabularies of the ontology (SKOS concept schemes) and what the software reads from them.

Every vocabulary decision is an annotation of a concept or a scheme in ``ontology/``, never a
constant in Python: which status a claim gets when it names none (``thb:defaultValue`` on
``thb:status``), which grades are weak (``thb:lowGrade``), which statuses contest a claim
(``thb:contested``) or mark it unverified (``thb:unverified``), which are drawn dashed
(``thb:dashed``), the level a partner export shares (``thb:partnerLevel`` on the TLP scheme) and
the words ignored when matching names (the scheme of ``thb:honorific``). :class:`VocabularyAccess`
reads them for :class:`~graph.model.ontology.Ontology`.

>>> from graph.model.ontology import load_ontology
>>> onto = load_ontology()
>>> onto.default_status, onto.partner_level, sorted(onto.dashed_statuses)
('reported', 'GREEN', ['alleged'])
>>> sorted(onto.low_grades("reliability")), onto.listing("tlp")
(['E', 'F'], 'CLEAR, GREEN, AMBER, AMBER+STRICT, RED')
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import OntologyError

META_PREFIX = "https://w3id.org/thbor#"
MODEL_FIELDS = ("status", "reliability", "credibility", "tlp", "stance")  # claim-model fields whose values are concepts
LocalName = Callable[[object], "str | None"]


def thb(name: str) -> URIRef:
    """A term of the meta-model namespace."""
    return URIRef(META_PREFIX + name)


@dataclass(frozen=True)
class Concept:
    """One value of a controlled vocabulary (SKOS concept)."""

    notation: str
    iri: str
    label: str
    rank: int
    score: float | None
    low_grade: bool
    traversable: bool = True  # a traversal role whose members may link two other entities
    contested: bool = False  # a claim status left out by default and marked where shown
    unverified: bool = False  # a claim status that says the claim is asserted without verification
    dashed: bool = False  # a claim status whose edges views draw dashed


@dataclass(frozen=True)
class Vocabulary:
    """A SKOS concept scheme, looked up by notation."""

    name: str
    iri: str
    concepts: dict[str, Concept]
    partner_level: str | None = None  # thb:partnerLevel: the concept shared with partners by default

    def rank(self, notation: str) -> int:
        """Rank of a concept; raises KeyError for an unknown notation."""
        return self.concepts[notation].rank

    def ordered(self) -> list[str]:
        """Notations in rank order."""
        return sorted(self.concepts, key=lambda n: (self.concepts[n].rank, n))


class VocabularyAccess:
    """The accessors of :class:`~graph.model.ontology.Ontology` that read its concept schemes.

    A mixin, so that the ontology's one object answers every question while each module stays
    short; the attributes below are fields of the ontology dataclass.
    """

    vocabularies: dict[str, Vocabulary]  # by scheme local name
    field_vocabularies: dict[str, str]  # claim-model field -> scheme
    field_defaults: dict[str, str]  # claim-model field -> notation of its thb:defaultValue
    honorific_scheme: str | None  # the scheme of thb:honorific values

    def vocabulary(self, model_field: str) -> Vocabulary:
        """The vocabulary of a claim-model field: status, reliability, credibility or tlp."""
        return self.vocabularies[self.field_vocabularies[model_field]]

    def listing(self, model_field: str) -> str:
        """The notations of a field's vocabulary in rank order, for help texts and messages."""
        return ", ".join(self.vocabulary(model_field).ordered())

    def low_grades(self, model_field: str) -> frozenset[str]:
        """The grades of ``reliability`` or ``credibility`` marked ``thb:lowGrade``: weak on their own."""
        return frozenset(n for n, c in self.vocabulary(model_field).concepts.items() if c.low_grade)

    @functools.cached_property
    def default_status(self) -> str:
        """The status of a claim that names none (``thb:defaultValue`` of ``thb:status``)."""
        return self.field_defaults["status"]

    @functools.cached_property
    def contested_statuses(self) -> frozenset[str]:
        """Claim statuses marked ``thb:contested``: left out by default, marked where shown.

        >>> from graph.model.ontology import load_ontology
        >>> sorted(load_ontology().contested_statuses)
        ['disputed', 'refuted']
        """
        return frozenset(n for n, c in self.vocabulary("status").concepts.items() if c.contested)

    @functools.cached_property
    def weak_evidence_statuses(self) -> frozenset[str]:
        """The statuses a claim resting only on low-graded sources may have: unverified or contested."""
        statuses = self.vocabulary("status").concepts.items()
        return frozenset(n for n, c in statuses if c.unverified or c.contested)

    @functools.cached_property
    def dashed_statuses(self) -> frozenset[str]:
        """Claim statuses whose edges views draw dashed (``thb:dashed``)."""
        return frozenset(n for n, c in self.vocabulary("status").concepts.items() if c.dashed)

    @functools.cached_property
    def partner_level(self) -> str:
        """The sharing level of a partner export and of SPARQL when none is asked for (``thb:partnerLevel``)."""
        tlp = self.vocabulary("tlp")
        return tlp.partner_level or tlp.ordered()[0]

    @functools.cached_property
    def honorifics(self) -> frozenset[str]:
        """The honorifics, titles and ranks ignored when matching names (the scheme of ``thb:honorific``)."""
        scheme = self.vocabularies.get(self.honorific_scheme or "")
        return frozenset(scheme.concepts) if scheme else frozenset()


def read_vocabularies(g: Graph, local: LocalName) -> dict[str, Vocabulary]:
    """Every concept scheme of the namespace, with its concepts by notation."""
    out = {}
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        name = local(scheme)
        if name is None:
            continue
        concepts = {}
        for c in g.subjects(SKOS.inScheme, scheme):
            notation = g.value(c, SKOS.notation)
            if notation is None:
                raise OntologyError(f"concept {c} of {name} has no skos:notation")
            concepts[str(notation)] = Concept(
                str(notation), str(c), text(g, c, SKOS.prefLabel, RDFS.label),
                int(_number(g.value(c, thb("rank"))) or 0),
                _number(g.value(c, thb("score"))),
                is_true(g.value(c, thb("lowGrade"))),
                not isinstance(trav := g.value(c, thb("traversable")), Literal) or trav.toPython() is not False,
                is_true(g.value(c, thb("contested"))),
                is_true(g.value(c, thb("unverified"))),
                is_true(g.value(c, thb("dashed"))),
            )
        partner = g.value(scheme, thb("partnerLevel"))
        by_iri = {c.iri: n for n, c in concepts.items()}
        if partner is not None and str(partner) not in by_iri:
            raise OntologyError(f"thb:{name} thb:partnerLevel {partner}: not a concept of thb:{name}")
        out[name] = Vocabulary(name, str(scheme), concepts, by_iri[str(partner)] if partner is not None else None)
    return out


def read_field_defaults(g: Graph, vocabularies: dict[str, Vocabulary],
                        field_vocabularies: dict[str, str]) -> dict[str, str]:
    """The ``thb:defaultValue`` of each claim-model field that names one; the status must."""
    out = {}
    for model_field, scheme in field_vocabularies.items():
        value = g.value(thb(model_field), thb("defaultValue"))
        if value is None:
            continue
        by_iri = {c.iri: n for n, c in vocabularies[scheme].concepts.items()}
        if str(value) not in by_iri:
            raise OntologyError(f"thb:{model_field} thb:defaultValue {value}: not a concept of thb:{scheme}")
        out[model_field] = by_iri[str(value)]
    if "status" not in out:
        raise OntologyError("thb:status needs a thb:defaultValue: the status of a claim that names none")
    return out


def text(g: Graph, subject: Node, *predicates: URIRef) -> str:
    """The first of ``predicates`` that the subject has, in English when it has several."""
    for p in predicates:
        values = sorted(g.objects(subject, p), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
        if values:
            return str(values[0])
    return ""


def is_true(value: object) -> bool:
    """True for the literal ``true`` (a flag annotation), False for anything else or nothing."""
    return isinstance(value, Literal) and value.toPython() is True


def _number(value: Node | None) -> float | None:
    return float(value.toPython()) if isinstance(value, Literal) else None
