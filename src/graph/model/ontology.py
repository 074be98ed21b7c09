"""The ontology as data: entity classes, relations, qualifiers and vocabularies read from Turtle.

Python names no entity or relation type. It knows only the meta-model: the root classes
``thb:Entity`` and ``thb:Source``, the class ``thb:Qualifier``, a few annotation properties and
the claim-model properties (``thb:status``, ``thb:reliability``, ``thb:credibility``,
``thb:tlp``) whose ``thb:vocabulary`` names the scheme of their values.

>>> onto = load_ontology()
>>> onto.is_a(["Hospital"], {"Organisation"})
True
>>> onto.vocabulary("tlp").rank("AMBER") > onto.vocabulary("tlp").rank("GREEN")
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from graph.errors import OntologyError
from graph.model.appearance import AppearanceAccess, read_colours
from graph.model.vocabulary import (
    META_PREFIX,
    MODEL_FIELDS,
    Concept,
    LocalName,
    Vocabulary,
    VocabularyAccess,
    is_true,
    read_field_defaults,
    read_vocabularies,
    text,
    thb,
)

__all__ = ["SHAPES_FILE", "ClassInfo", "Concept", "Ontology", "Qualifier", "Relation", "RouteQualifiers", "Vocabulary",
           "find_ontology_dir", "load_ontology"]

SHAPES_FILE = "shapes.ttl"
THB = {name: thb(name) for name in (
    "Entity", "Source", "Qualifier", "defaultTLP", "vocabulary", "valueClass", "flowRelation", "pseudonymise",
    "legend", "shape", "dossierView", "ftmSchema", "ftmSubject", "ftmObject", "traversalRole", "honorific",
    "routeCount", "routeItem", *MODEL_FIELDS,
)}
XSD_KINDS = {
    "http://www.w3.org/2001/XMLSchema#decimal": "decimal",
    "http://www.w3.org/2001/XMLSchema#integer": "integer",
    "http://www.w3.org/2001/XMLSchema#string": "string",
    "http://www.w3.org/2001/XMLSchema#date": "date",
}


@dataclass(frozen=True)
class ClassInfo:
    """An entity class or source kind."""

    name: str
    iri: str
    label: str
    definition: str
    ancestors: frozenset[str]  # names of this class and every superclass in the namespace
    default_tlp: str | None
    pseudonymise: bool = False  # members get a pseudonym in a pseudonymised export (inherited)
    legend: bool = False  # a group of its own in views
    shape: str | None = None  # node shape in views (inherited)
    dossier_view: bool = False  # members get a view of their own in a build
    ftm_schema: str | None = None  # FollowTheMoney schema (inherited; "" means: not exported)
    traversal: str | None = None  # traversal role notation (inherited from the nearest class naming one)
    colour: str | None = None  # node colour in views, "#RRGGBB" (thb:colour, inherited)


@dataclass(frozen=True)
class Relation:
    """A relation (object property) that claims use as predicate."""

    name: str
    iri: str
    label: str
    definition: str
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool
    flow: bool = False  # moves people or organs from the subject's country to the object (routes)
    ftm: tuple[str, str, str] | None = None  # FollowTheMoney (schema, subject property, object property)
    disjoint: frozenset[str] = frozenset()  # owl:propertyDisjointWith as declared here (the relation is symmetric)


@dataclass(frozen=True)
class Qualifier:
    """A key allowed in a claim's ``qualifiers`` map and the kind of value it takes."""

    name: str
    iri: str
    label: str
    datatype: str | None = None
    vocabulary: str | None = None
    value_class: str | None = None
    route_count: bool = False  # thb:routeCount: routes add its figures up as the people moved along a flow
    route_item: bool = False  # thb:routeItem: routes list its values for a flow (the organs moved)


class RouteQualifiers(NamedTuple):
    """The qualifiers that routes tally: the one whose figures they add up, the one whose values they list."""

    summed: str | None  # thb:routeCount
    listed: str | None  # thb:routeItem


@dataclass
class Ontology(VocabularyAccess, AppearanceAccess):
    """Everything the software reads from ``ontology/``; the vocabulary accessors come from
    :class:`~graph.model.vocabulary.VocabularyAccess`, those of how views draw entities from
    :class:`~graph.model.appearance.AppearanceAccess`."""

    directory: Path
    namespace: str
    version: str
    classes: dict[str, ClassInfo]
    relations: dict[str, Relation]
    qualifiers: dict[str, Qualifier]
    vocabularies: dict[str, Vocabulary]  # by scheme local name
    field_vocabularies: dict[str, str] = field(default_factory=dict)  # claim-model field -> scheme
    traversal_scheme: str | None = None  # the scheme of thb:traversalRole values
    field_defaults: dict[str, str] = field(default_factory=dict)  # claim-model field -> its thb:defaultValue
    honorific_scheme: str | None = None  # the scheme of thb:honorific values

    @property
    def entity_types(self) -> list[str]:
        """Names of the classes an entity may have, sorted."""
        return sorted(n for n, c in self.classes.items() if "Entity" in c.ancestors)

    @property
    def source_kinds(self) -> list[str]:
        """Names of the classes a source's ``kind`` may name, sorted."""
        return sorted(n for n, c in self.classes.items() if "Source" in c.ancestors and n != "Source")

    def is_a(self, types: Iterable[str], classes: Iterable[str]) -> bool:
        """True when one of ``types`` is one of ``classes`` or a subclass of one."""
        wanted = set(classes)
        return any(wanted & self.classes[t].ancestors for t in types if t in self.classes)

    def default_tlp(self, types: Iterable[str]) -> str:
        """The most restrictive default sharing level among the types (inherited)."""
        tlp = self.vocabulary("tlp")
        levels = [lv for t in types if t in self.classes and (lv := self.classes[t].default_tlp)]
        return max(levels, key=tlp.rank) if levels else tlp.ordered()[0]

    def traversal_role(self, types: Iterable[str]) -> str:
        """The traversal role of an entity: of highest rank among its types' roles, a role that is not
        traversable first; with none set, the scheme's first role (``actor``; "" without a scheme).

        >>> onto = load_ontology()
        >>> onto.traversal_role(["Country"]), onto.traversal_role(["Practice"]), onto.traversal_role(["Site"])
        ('context', 'concept', 'actor')
        """
        scheme = self.vocabularies.get(self.traversal_scheme or "")
        roles = [r for t in types if t in self.classes and (r := self.classes[t].traversal)]
        if not roles or scheme is None:
            return scheme.ordered()[0] if scheme is not None else ""
        # as for traversal (see traversable): a role that is not traversable wins over one that is
        opaque = [r for r in roles if r in scheme.concepts and not scheme.concepts[r].traversable]
        return max(sorted(opaque or roles), key=scheme.rank)

    def traversable(self, types: Iterable[str]) -> bool:
        """May an entity of these types link two others in a path (see :meth:`traversal_role`)?"""
        return not any(t in self.opaque_types for t in types)

    @functools.cached_property
    def opaque_types(self) -> frozenset[str]:
        """Classes whose members are not passed through by default: their role is not traversable.

        An entity is opaque when one of its types is.
        """
        scheme = self.vocabularies.get(self.traversal_scheme or "")
        if scheme is None:
            return frozenset()
        return frozenset(n for n, c in self.classes.items()
                         if c.traversal in scheme.concepts and not scheme.concepts[c.traversal].traversable)

    @functools.cached_property
    def route_qualifiers(self) -> RouteQualifiers:
        """The qualifiers marked ``thb:routeCount`` and ``thb:routeItem`` (the first by name of each).

        >>> load_ontology().route_qualifiers
        RouteQualifiers(summed='count', listed='organ')
        """
        counts = [n for n, q in self.qualifiers.items() if q.route_count]
        items = [n for n, q in self.qualifiers.items() if q.route_item]
        return RouteQualifiers(min(counts, default=None), min(items, default=None))

    def pseudonymised(self, types: Iterable[str]) -> bool:
        """True when one of the types is marked ``thb:pseudonymise`` (or inherits it)."""
        return any(self.classes[t].pseudonymise for t in types if t in self.classes)

    def iri(self, name: str) -> str:
        """IRI of a term of the namespace."""
        return self.namespace + name


def find_ontology_dir(explicit: Path | str | None = None) -> Path:
    """Where the ontology is read from.

    An explicit folder wins; then ``./ontology`` when the working folder has one (an
    investigation may extend the ontology); then the copy shipped inside the package.
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_dir():
            raise OntologyError(f"{path}: ontology folder not found")
        return path
    local = Path("ontology")
    if local.is_dir() and any(local.glob("*.ttl")):
        return local
    shipped = Path(str(resources.files("graph") / "ontology"))
    if shipped.is_dir():
        return shipped
    source_tree = Path(__file__).resolve().parents[3] / "ontology"  # editable install
    if source_tree.is_dir():
        return source_tree
    raise OntologyError("no ontology folder found: give the folder (thbor --ontology DIR, load_ontology(DIR))")


def load_ontology(directory: Path | str | None = None) -> Ontology:
    """Read every ``*.ttl`` of the ontology folder except the SHACL shapes."""
    path = find_ontology_dir(directory).resolve()
    files = sorted(p for p in path.glob("*.ttl") if p.name != SHAPES_FILE)
    if not files:
        raise OntologyError(f"{path}: no ontology Turtle files")
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load_cached(stamp)


@functools.lru_cache(maxsize=8)
def _load_cached(stamp: tuple[tuple[str, int, int], ...]) -> Ontology:
    g = Graph()
    for name, _, _ in stamp:
        try:
            g.parse(name, format="turtle")
        except Exception as exc:  # rdflib raises many kinds; all mean the same to the user
            raise OntologyError(f"{name}: cannot parse Turtle: {exc}") from None
    return _read(g, Path(stamp[0][0]).parent)


def _read(g: Graph, directory: Path) -> Ontology:
    onto_iris = list(g.subjects(RDF.type, OWL.Ontology))
    if not onto_iris:
        raise OntologyError(f"{directory}: no owl:Ontology declared")
    ns = META_PREFIX
    version = str(g.value(onto_iris[0], OWL.versionInfo) or "")

    def local(term: object) -> str | None:
        return str(term)[len(ns):] if isinstance(term, URIRef) and str(term).startswith(ns) else None

    vocabularies = read_vocabularies(g, local)
    classes = _read_classes(g, local, vocabularies)
    for root in ("Entity", "Source"):
        if root not in classes:
            raise OntologyError(f"{directory}: the ontology must define thb:{root}")
    relations = _read_relations(g, local, classes)
    qualifiers = _read_qualifiers(g, local)
    field_vocabularies = {}
    for model_field in MODEL_FIELDS:
        scheme = local(g.value(THB[model_field], THB["vocabulary"]))
        if scheme is None or scheme not in vocabularies:
            raise OntologyError(f"{directory}: thb:{model_field} needs a thb:vocabulary scheme")
        field_vocabularies[model_field] = scheme
    try:
        field_defaults = read_field_defaults(g, vocabularies, field_vocabularies)
    except OntologyError as exc:
        raise OntologyError(f"{directory}: {exc}") from None
    schemes = {}
    for role in ("traversalRole", "honorific"):
        schemes[role] = local(g.value(THB[role], THB["vocabulary"]))
        if schemes[role] is not None and schemes[role] not in vocabularies:
            raise OntologyError(f"{directory}: thb:{role} names an unknown scheme thb:{schemes[role]}")
    return Ontology(directory, ns, version, classes, relations, qualifiers, vocabularies, field_vocabularies,
                    schemes["traversalRole"], field_defaults, schemes["honorific"])


def _read_classes(g: Graph, local: LocalName, vocabularies: dict[str, Vocabulary]) -> dict[str, ClassInfo]:
    names = {n for c in g.subjects(RDF.type, OWL.Class) if (n := local(c)) is not None}
    names = {n for n in names if not list(g.objects(thb(n), OWL.unionOf))}
    parents = {n: {p for o in g.objects(thb(n), RDFS.subClassOf) if (p := local(o)) is not None} for n in names}
    tlp_scheme = local(g.value(THB["tlp"], THB["vocabulary"])) or ""
    tlp_by_iri = {c.iri: c.notation for c in vocabularies.get(tlp_scheme, Vocabulary("", "", {})).concepts.values()}

    def ancestors(n: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        if n in seen:
            raise OntologyError(f"subclass cycle through thb:{n}")
        out = {n}
        for p in parents.get(n, ()):
            out |= ancestors(p, seen | {n})
        return frozenset(out)

    def default_tlp(n: str) -> str | None:
        # breadth-first up the hierarchy: the nearest class that names a level wins
        frontier, seen = [n], set()
        while frontier:
            found = [f for c in frontier if (f := tlp_by_iri.get(str(g.value(thb(c), THB["defaultTLP"]))))]
            if found:
                return max(found, key=lambda lv: vocabularies[tlp_scheme].rank(lv))
            seen.update(frontier)
            frontier = sorted({p for c in frontier for p in parents.get(c, ()) if p not in seen})
        return None

    def flag(prop: str) -> set[str]:
        return {n for n in names if is_true(g.value(thb(n), THB[prop]))}

    flagged, legend, dossier = flag("pseudonymise"), flag("legend"), flag("dossierView")
    shapes = {n: str(v) for n in names if (v := g.value(thb(n), THB["shape"])) is not None}
    colours = read_colours(g, names)
    ftm = {n: str(v) for n in names if (v := g.value(thb(n), THB["ftmSchema"])) is not None}
    role_scheme = local(g.value(THB["traversalRole"], THB["vocabulary"]))
    role_vocabulary = vocabularies.get(role_scheme or "", Vocabulary("", "", {}))
    role_by_iri = {c.iri: c.notation for c in role_vocabulary.concepts.values()}
    roles = {}
    for n in names:
        value = g.value(thb(n), THB["traversalRole"])
        if value is not None:
            if str(value) not in role_by_iri:
                raise OntologyError(f"thb:{n} thb:traversalRole {value}: not a concept of thb:{role_scheme}")
            roles[n] = role_by_iri[str(value)]
    out = {}
    for n in sorted(names):
        iri = thb(n)
        anc = ancestors(n)
        shaped = sorted((len(ancestors(a)), a) for a in anc if a in shapes)  # the nearest class with a shape
        coloured = sorted((len(ancestors(a)), a) for a in anc if a in colours)
        mapped = sorted((len(ancestors(a)), a) for a in anc if a in ftm)
        roled = sorted((len(ancestors(a)), a) for a in anc if a in roles)
        out[n] = ClassInfo(n, str(iri), text(g, iri, RDFS.label, SKOS.prefLabel) or n,
                           text(g, iri, SKOS.definition, RDFS.comment), anc, default_tlp(n), bool(anc & flagged),
                           n in legend, shapes[shaped[-1][1]] if shaped else None, n in dossier,
                           ftm[mapped[-1][1]] if mapped else None, roles[roled[-1][1]] if roled else None,
                           colours[coloured[-1][1]] if coloured else None)
    return out


def _class_set(g: Graph, local: LocalName, node: Node, classes: dict[str, ClassInfo], *, where: str) -> frozenset[str]:
    members = g.value(node, OWL.unionOf)
    items = list(Collection(g, members)) if members is not None else [node]
    names = [local(i) for i in items]
    unknown = [str(i) for i, n in zip(items, names, strict=True) if n not in classes]
    if unknown:
        raise OntologyError(f"{where}: unknown class {', '.join(unknown)}")
    return frozenset(n for n in names if n is not None)


def _read_relations(g: Graph, local: LocalName, classes: dict[str, ClassInfo]) -> dict[str, Relation]:
    out = {}
    for prop in sorted(set(g.subjects(RDF.type, OWL.ObjectProperty)), key=str):
        name = local(prop)
        if name is None or not isinstance(prop, URIRef) or (prop, RDF.type, THB["Qualifier"]) in g:
            continue
        domain, range_ = g.value(prop, RDFS.domain), g.value(prop, RDFS.range)
        if domain is None or range_ is None:
            continue  # claim-model terms (status, citation, ...) are not relations
        out[name] = Relation(
            name, str(prop), text(g, prop, RDFS.label) or name, text(g, prop, SKOS.definition, RDFS.comment),
            _class_set(g, local, domain, classes, where=f"thb:{name} domain"),
            _class_set(g, local, range_, classes, where=f"thb:{name} range"),
            (prop, RDF.type, OWL.SymmetricProperty) in g,
            is_true(g.value(prop, THB["flowRelation"])),
            _ftm_relation(g, prop),
            frozenset(filter(None, map(local, g.objects(prop, OWL.propertyDisjointWith)))),
        )
    return out


def _ftm_relation(g: Graph, prop: URIRef) -> tuple[str, str, str] | None:
    schema, subject, object_ = (g.value(prop, THB[k]) for k in ("ftmSchema", "ftmSubject", "ftmObject"))
    if schema is None or subject is None or object_ is None:
        return None
    return str(schema), str(subject), str(object_)


def _read_qualifiers(g: Graph, local: LocalName) -> dict[str, Qualifier]:
    out = {}
    for prop in g.subjects(RDF.type, THB["Qualifier"]):
        name = local(prop)
        if name is None or not isinstance(prop, URIRef):
            continue
        out[name] = Qualifier(
            name, str(prop), text(g, prop, RDFS.label) or name,
            XSD_KINDS.get(str(g.value(prop, RDFS.range))),
            local(g.value(prop, THB["vocabulary"])),
            local(g.value(prop, THB["valueClass"])),
            is_true(g.value(prop, THB["routeCount"])),
            is_true(g.value(prop, THB["routeItem"])),
        )
    return dict(sorted(out.items()))
