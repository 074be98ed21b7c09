"""Reading RDF written by thbor-graph (ours, or a partner's that follows the same design) back
into records, which are then validated exactly like case files.

Claim nodes (``rdf:Statement``) become claims; subjects typed with an entity class become
entities; subjects typed with a source kind become sources. Ids come from ``dct:identifier``.
Plain triples are implied by the claim nodes and are not read separately.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import InputError, Problem
from graph.load.files import RawRecord
from graph.model.ontology import Ontology
from graph.model.records import Origin
from graph.rdf.terms import DCT, OA, RDF, RDFS, SCHEMA, SKOS

RDF_SUFFIXES = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
                ".jsonld": pyoxigraph.RdfFormat.JSON_LD, ".trig": pyoxigraph.RdfFormat.TRIG,
                ".nq": pyoxigraph.RdfFormat.N_QUADS, ".rdf": pyoxigraph.RdfFormat.RDF_XML}


def read_rdf(path: Path, onto: Ontology) -> list[RawRecord]:
    """The records an RDF file holds (unvalidated); raises InputError when it cannot be parsed."""
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError([Problem(str(path), 0, "", f"unknown RDF format (expected {', '.join(RDF_SUFFIXES)})")])
    subjects: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    try:
        for q in pyoxigraph.parse(path=str(path), format=fmt):
            subjects[_key(q.subject)][q.predicate.value].append(q.object)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError([Problem(str(path), getattr(exc, "lineno", 0) or 0, "", f"cannot parse RDF: {exc}")]) from None
    return _Reader(onto, subjects, str(path)).records()


def _key(term: Any) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode) else f"_:{term.value}"


class _Reader:
    def __init__(self, onto: Ontology, subjects: dict[str, dict[str, list[Any]]], path: str):
        self.onto, self.s, self.path = onto, subjects, path
        ns = onto.namespace
        self.ns = ns
        self.entity_types = set(onto.entity_types)
        self.source_kinds = set(onto.source_kinds)
        self.notation = {c.iri: n for f in ("status", "reliability", "credibility", "tlp")
                         for n, c in onto.vocabulary(f).concepts.items()}
        self.concept_notation = {c.iri: n for v in onto.vocabularies.values() for n, c in v.concepts.items()}
        self.ids: dict[str, str] = {}
        for iri, po in subjects.items():
            ident = self._one(po, DCT + "identifier")
            if ident is not None:
                self.ids[iri] = ident

    def _one(self, po: dict[str, list[Any]], prop: str) -> Any:
        values = po.get(prop, [])
        return values[0].value if values else None

    def _flag(self, po: dict[str, list[Any]], prop: str) -> bool | str | None:
        """An xsd:boolean as Python, None when absent; any other value is passed on, to be reported."""
        value = self._one(po, prop)
        return {"true": True, "1": True, "false": False, "0": False}.get(value, value)

    def _local(self, iri: str | None) -> str | None:
        return iri[len(self.ns):] if iri and iri.startswith(self.ns) else None

    def _types(self, po: dict[str, list[Any]]) -> list[str]:
        return [t for t in (self._local(x.value) for x in po.get(RDF + "type", [])) if t]

    def _id(self, term: Any) -> str | None:
        return self.ids.get(term.value) if term is not None else None

    def records(self) -> list[RawRecord]:
        out = []
        for iri in sorted(self.s):
            po = self.s[iri]
            types = self._types(po)
            if any(x.value == RDF + "Statement" for x in po.get(RDF + "type", [])):
                out.append(self._claim(iri, po))
            elif set(types) & self.source_kinds:
                out.append(self._source(iri, po, types))
            elif set(types) & self.entity_types:
                out.append(self._entity(iri, po, types))
        return out

    def _raw(self, kind: str, iri: str, data: dict[str, Any]) -> RawRecord:
        data = {k: v for k, v in data.items() if v is not None and v != [] and v != {}}
        if kind != "claim":
            data.setdefault("id", iri)
        return RawRecord(kind, data, Origin(self.path, 0))

    def _source(self, iri: str, po: dict[str, list[Any]], types: list[str]) -> RawRecord:
        kind = next(t for t in types if t in self.source_kinds)
        return self._raw("source", iri, {
            "id": self._one(po, DCT + "identifier"), "title": self._one(po, DCT + "title"),
            "publisher": self._one(po, DCT + "publisher"), "author": self._one(po, DCT + "creator"),
            "published": self._one(po, DCT + "issued"), "language": self._one(po, DCT + "language"),
            "url": self._one(po, SCHEMA + "url"), "kind": kind,
            "reliability": self.notation.get(self._one(po, self.ns + "reliability")),
            "tlp": self.notation.get(self._one(po, self.ns + "tlp")),
            "known_via": self._id((po.get(self.ns + "knownVia") or [None])[0]),
            "note": self._one(po, RDFS + "comment")})

    def _entity(self, iri: str, po: dict[str, list[Any]], types: list[str]) -> RawRecord:
        aliases = sorted(({"name": a.value, "lang": a.language} if a.language else {"name": a.value}
                          for a in po.get(SKOS + "altLabel", [])), key=lambda a: (a["name"], a.get("lang") or ""))
        return self._raw("entity", iri, {
            "id": self._one(po, DCT + "identifier"), "types": [t for t in types if t in self.entity_types],
            "name": self._one(po, RDFS + "label"), "aliases": aliases,
            "country": self._one(po, self.ns + "countryCode"), "description": self._one(po, DCT + "description"),
            "url": self._one(po, SCHEMA + "url"), "tlp": self.notation.get(self._one(po, self.ns + "tlp")),
            "note": self._one(po, RDFS + "comment"), "citations": self._citations(po),
            "merged_from": sorted(x.value for x in po.get(self.ns + "mergedFrom", []))})

    def _claim(self, iri: str, po: dict[str, list[Any]]) -> RawRecord:
        qualifiers = {}
        for name, q in self.onto.qualifiers.items():
            value = (po.get(self.ns + name) or [None])[0]
            if value is None:
                continue
            if q.vocabulary:
                qualifiers[name] = self.concept_notation.get(value.value, value.value)
            elif q.value_class:
                qualifiers[name] = self._local(value.value) or value.value
            elif q.datatype in ("decimal", "integer"):
                number = Decimal(value.value)
                qualifiers[name] = int(number) if number == number.to_integral_value() else float(number)
            else:
                qualifiers[name] = value.value
        return self._raw("claim", iri, {
            "id": self._one(po, DCT + "identifier"),
            "subject": self._id((po.get(RDF + "subject") or [None])[0]) or self._one(po, RDF + "subject"),
            "predicate": self._local(self._one(po, RDF + "predicate")) or self._one(po, RDF + "predicate"),
            "object": self._id((po.get(RDF + "object") or [None])[0]) or self._one(po, RDF + "object"),
            "status": self.notation.get(self._one(po, self.ns + "status")),
            "start": self._one(po, SCHEMA + "startDate"), "end": self._one(po, SCHEMA + "endDate"),
            "open_end": self._flag(po, self.ns + "openEnded"),
            "tlp": self.notation.get(self._one(po, self.ns + "tlp")), "qualifiers": qualifiers,
            "note": self._one(po, RDFS + "comment"), "citations": self._citations(po)})

    def _citations(self, po: dict[str, list[Any]]) -> list[dict[str, Any]]:
        found = []
        for node in po.get(self.ns + "citation", []):
            cpo = self.s.get(_key(node), {})
            selector = self.s.get(_key(cpo[OA + "hasSelector"][0]), {}) if cpo.get(OA + "hasSelector") else {}
            position = self._one(cpo, self.ns + "position")
            found.append((int(position) if position is not None else 0, {
                "source": self._id((cpo.get(OA + "hasSource") or [None])[0]) or self._one(cpo, OA + "hasSource"),
                "reports": self._id((cpo.get(self.ns + "reports") or [None])[0]),
                "quote": self._one(selector, OA + "exact"),
                "locator": self._one(cpo, self.ns + "locator"),
                "credibility": self.notation.get(self._one(cpo, self.ns + "credibility"))}))
        return [{k: v for k, v in c.items() if v is not None} for _, c in sorted(found, key=lambda x: x[0])]

